#pragma once
// Caracal's metadata redaction (see MetadataRedaction.h) applied to an event's own JSON text instead of a
// parsed copy, so that exporting a million events stays a copy: an event with nothing to redact is copied
// byte for byte, and otherwise only the offending values' bytes are replaced by "[redacted]". Everything
// else (key order, number literals, escapes, whitespace) stays exactly as the producer wrote it.
#include <string>
#include <string_view>

namespace caracal {

enum class RawRedaction {
    Unchanged, // nothing to redact: `out` got the input's bytes
    Redacted,  // `out` got the input with at least one metadata value replaced
    Malformed, // not a JSON object this scanner can follow: `out` is left as it was
};

// Appends `event` (one JSON object) to `out`, with the value of every metadata_json key (at any depth, in
// objects inside arrays too) that Caracal redacts replaced by "[redacted]". A value that already reads
// "[redacted]" is left alone. Every top-level metadata_json member is treated, duplicates included. Never
// reads outside `event`, whatever it holds.
RawRedaction redactEventText(std::string_view event, std::string& out);

} // namespace caracal
