#include "util/TextFind.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace caracal {

namespace {

// How common a byte is in audit JSON: punctuation, hex digits (UUIDs, hashes) and vowels are everywhere.
int byteCommonness(unsigned char c) {
    if (std::strchr("\":,-_{}[]0123456789abcdef", c)) return 3;
    if (std::strchr("aeiounrstl.", c)) return 2;
    return 1;
}

} // namespace

bool bytesEqualAt(const char* p, std::string_view needle, bool fold) {
    if (!fold) return std::memcmp(p, needle.data(), needle.size()) == 0;
    for (size_t i = 0; i < needle.size(); ++i)
        if (foldedByte(static_cast<unsigned char>(p[i]), true) != static_cast<unsigned char>(needle[i]))
            return false;
    return true;
}

size_t findText(std::string_view hay, std::string_view needle, bool fold, size_t from) {
    const size_t n = needle.size();
    if (n == 0) return from <= hay.size() ? from : std::string_view::npos;
    if (hay.size() < n || from > hay.size() - n) return std::string_view::npos;
    // Two anchor bytes, the rarest first, filter the candidate starts 16 at a time.
    size_t a = 0;
    for (size_t i = 1; i < n; ++i)
        if (byteCommonness(static_cast<unsigned char>(needle[i])) <
            byteCommonness(static_cast<unsigned char>(needle[a])))
            a = i;
    size_t b = a == n - 1 ? 0 : n - 1;
    const char* base = hay.data();
    const size_t last = hay.size() - n; // the last possible start
    size_t i = from;
#ifdef __SSE2__
    auto letterBit = [&](char c) { return static_cast<char>(fold && c >= 'a' && c <= 'z' ? 0x20 : 0); };
    const __m128i wantA = _mm_set1_epi8(needle[a]), wantB = _mm_set1_epi8(needle[b]);
    const __m128i orA = _mm_set1_epi8(letterBit(needle[a])), orB = _mm_set1_epi8(letterBit(needle[b]));
    for (; i + 15 <= last; i += 16) {
        // (x | 0x20) == c is exactly "x is c in either case" for a lower-case letter c.
        const __m128i x = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + a)), orA);
        const __m128i y = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + b)), orB);
        unsigned mask = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, wantA), _mm_cmpeq_epi8(y, wantB))));
        while (mask) {
            const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
            if (bytesEqualAt(base + at, needle, fold)) return at;
            mask &= mask - 1;
        }
    }
#endif
    for (; i <= last; ++i)
        if (foldedByte(static_cast<unsigned char>(base[i + a]), fold) ==
                static_cast<unsigned char>(needle[a]) &&
            bytesEqualAt(base + i, needle, fold))
            return i;
    return std::string_view::npos;
}

} // namespace caracal
