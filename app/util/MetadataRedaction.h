#pragma once
// Caracal's API redaction of audit metadata (apps/api/src/redact.ts): any key, at any depth, whose
// lower-cased name is one of 17 sensitive names has its whole value (even an object) replaced by
// "[redacted]". determining_policies_json and diagnostics_json are not redacted. Everything the console and
// CLI print, copy or export from metadata goes through this unless the user asked for raw values.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace caracal {

inline constexpr const char* kRedactedValue = "[redacted]";

// Whether Caracal redacts a metadata key of this name (case-insensitive).
bool isRedactedKey(std::string_view key);

// Redacts `metadata` in place (objects inside arrays too); returns how many values it changed (a value that
// already reads "[redacted]" is not counted).
size_t redactMetadata(nlohmann::ordered_json& metadata);

// A copy of an event with its metadata_json redacted; other fields are untouched.
nlohmann::ordered_json redactedEvent(const nlohmann::ordered_json& event);

// The text to copy or show for an event: its own bytes, with (when `redact`) the metadata values Caracal
// redacts replaced by "[redacted]" in place (util/RawMetadataRedaction), every other byte as it was.
std::string eventTextToShare(std::string_view raw, bool redact);

} // namespace caracal
