#pragma once
// Caracal's per-zone audit chain: content_sha256 over the event's canonical fields, and chain_hmac binding
// each event to its predecessor under AUDIT_HMAC_KEY.
#include <cstdint>
#include <string>

namespace caracal {

struct ChainInput {
    std::string id, zoneId, eventType, requestId, decision, policySetId, policySetVersionId, manifestSha,
        evaluationStatus;
    std::string determiningPoliciesJsonb = "null", diagnosticsJsonb = "null", metadataJsonb = "null";
    int64_t occurredAtMicros = 0;
};

// occurred_at as the writer hashes it: Go's UnixNano of a microsecond time, in decimal. Past the year 2262 it
// leaves int64, where Go wraps around (two's complement); so does this, with no undefined overflow.
void appendUnixNanos(std::string& out, int64_t micros);
// The hashed bytes: the fields joined by 0x1F, then occurred_at as Unix nanoseconds.
void appendContentMessage(std::string& out, const ChainInput& in);
// Lowercase hex SHA-256 of the 0x1F-joined fields, ending with occurred_at as Unix nanoseconds.
std::string contentSha256(const ChainInput& in);
// Lowercase hex HMAC-SHA256 of "content|prev" under the raw key bytes; "" when the key is empty.
std::string chainHmac(const std::string& keyBytes, const std::string& content, const std::string& prev);
// Decodes a hex string (whitespace around it ignored); empty on malformed input.
std::string hexDecode(const std::string& hex);

} // namespace caracal
