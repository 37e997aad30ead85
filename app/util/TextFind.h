#pragma once
// Finding a byte string in a large buffer, the inner loop of free text and of the request-id prefilter: two
// anchor bytes (the needle's rarest, and its first or last) filter 16 candidate starts at a time with SSE2,
// and only their survivors are compared in full.
#include <cstddef>
#include <string_view>

namespace caracal {

// The first position >= from where `needle` occurs, or npos. `foldCase`: ASCII letters of the haystack
// compare case-insensitively (the needle must then be lower case).
size_t findText(std::string_view haystack, std::string_view needle, bool foldCase, size_t from = 0);

// An ASCII capital lower-cased when `fold`; every other byte as it is.
inline unsigned char foldedByte(unsigned char c, bool fold) {
    return fold && c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c | 0x20) : c;
}
// Whether the bytes at `p` (at least needle.size() of them) are `needle`, letters folded when `fold`.
bool bytesEqualAt(const char* p, std::string_view needle, bool fold);

} // namespace caracal
