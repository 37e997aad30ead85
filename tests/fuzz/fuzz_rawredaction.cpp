// Redaction on an event's own bytes: any input gives an answer without reading past it, and whatever it
// redacts parses as JSON again with no secret-key value left in metadata.
#include "FuzzInput.h"
#include "util/MetadataRedaction.h"
#include "util/RawMetadataRedaction.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

using namespace caracal;

namespace {
bool anySecretLeft(const nlohmann::json& v) {
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            if ((isRedactedKey(it.key()) && it.value() != kRedactedValue) || anySecretLeft(it.value()))
                return true;
    } else if (v.is_array()) {
        for (const auto& item : v)
            if (anySecretLeft(item)) return true;
    }
    return false;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 20)) return 0;
    const std::string_view in = fuzz::text(data, size);
    std::string out;
    const RawRedaction r = redactEventText(in, out);
    if (r == RawRedaction::Malformed) {
        if (!out.empty()) std::abort();
        return 0;
    }
    if (r == RawRedaction::Unchanged && out != in) std::abort();
    // Where the input is JSON a parser accepts, the output is too, and its metadata keeps no secret. (A
    // parser keeps one of duplicate keys; the scanner redacted every copy, so the kept one is redacted.)
    const auto parsed = nlohmann::json::parse(in, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return 0;
    const auto redacted = nlohmann::json::parse(out, nullptr, false);
    if (redacted.is_discarded()) std::abort();
    if (auto it = redacted.find("metadata_json"); it != redacted.end() && anySecretLeft(*it)) std::abort();
    return 0;
}
