#pragma once
// RFC 3339 timestamps as integer microseconds since the Unix epoch (UTC), the precision Caracal stores.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caracal {

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+hh:mm|-hh:mm)". 't'/'z' and a space separator are accepted as RFC
// 3339 allows. Digits past the microsecond are truncated, as PostgreSQL's timestamptz does on insert.
std::optional<int64_t> parseRfc3339Micros(std::string_view text);

// Formats as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, always six fraction digits).
std::string formatUtcMicros(int64_t micros);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d);

} // namespace caracal
