#pragma once
// Counts in messages as people write them: "1 event", "3 events", "4,000 events" (grouped by thousands).
#include <cstdint>
#include <string>

namespace caracal {

inline std::string groupedNumber(uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

inline std::string countText(uint64_t n, const char* singular, const char* plural) {
    return groupedNumber(n) + " " + (n == 1 ? singular : plural);
}

} // namespace caracal
