#include "chain/Digest.h"

// The low-level SHA256_* calls are deprecated in OpenSSL 3 in favour of EVP, but EVP fetches the algorithm
// and takes locks on every call, which costs more than hashing a 1 KB row; the low-level context is a plain
// struct (copied to reuse HMAC key states) over the same SHA-extension code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace caracal {

Digest32 sha256(std::string_view data) {
    Digest32 d;
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data.data(), data.size());
    SHA256_Final(d.data(), &ctx);
    return d;
}

// HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)): both padded-key blocks are hashed once and their states
// copied per message.
struct HmacSha256::State {
    SHA256_CTX inner, outer;
};

HmacSha256::HmacSha256(std::string_view key) : m_state(std::make_unique<State>()) {
    uint8_t block[64] = {};
    if (key.size() > sizeof block) {
        const Digest32 k = sha256(key);
        std::copy(k.begin(), k.end(), block);
    } else {
        std::copy(key.begin(), key.end(), block);
    }
    uint8_t ipad[64], opad[64];
    for (int i = 0; i < 64; ++i) {
        ipad[i] = block[i] ^ 0x36;
        opad[i] = block[i] ^ 0x5c;
    }
    SHA256_Init(&m_state->inner);
    SHA256_Update(&m_state->inner, ipad, sizeof ipad);
    SHA256_Init(&m_state->outer);
    SHA256_Update(&m_state->outer, opad, sizeof opad);
    std::fill(std::begin(block), std::end(block), 0);
    std::fill(std::begin(ipad), std::end(ipad), 0);
    std::fill(std::begin(opad), std::end(opad), 0);
}

HmacSha256::HmacSha256(const HmacSha256& other) : m_state(std::make_unique<State>(*other.m_state)) {}

HmacSha256::~HmacSha256() = default;

Digest32 HmacSha256::mac(std::string_view message) const {
    Digest32 innerDigest, out;
    SHA256_CTX ctx = m_state->inner;
    SHA256_Update(&ctx, message.data(), message.size());
    SHA256_Final(innerDigest.data(), &ctx);
    ctx = m_state->outer;
    SHA256_Update(&ctx, innerDigest.data(), innerDigest.size());
    SHA256_Final(out.data(), &ctx);
    return out;
}

std::string toHex(const Digest32& d) {
    static const char* digits = "0123456789abcdef";
    std::string s(64, '0');
    for (size_t i = 0; i < d.size(); ++i) {
        s[2 * i] = digits[d[i] >> 4];
        s[2 * i + 1] = digits[d[i] & 15];
    }
    return s;
}

bool fromHex64(std::string_view hex, Digest32& out) {
    // Caracal writes lowercase and compares text: an uppercase digit would not match there either.
    if (hex.size() != 64) return false;
#if defined(__SSE2__)
    // Three hashes per row are decoded: 16 digits at a time, as values 0-15 or a flag that one is not a
    // digit.
    const __m128i zero = _mm_set1_epi8('0'), letterA = _mm_set1_epi8('a'), nine = _mm_set1_epi8(9),
                  five = _mm_set1_epi8(5), ten = _mm_set1_epi8(10), lowByte = _mm_set1_epi16(0x00FF);
    __m128i valid = _mm_set1_epi8(-1);
    for (int k = 0; k < 4; ++k) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hex.data() + 16 * k));
        const __m128i digit = _mm_sub_epi8(c, zero), letter = _mm_sub_epi8(c, letterA);
        const __m128i isDigit = _mm_cmpeq_epi8(_mm_max_epu8(digit, nine), nine); // unsigned digit <= 9
        const __m128i isLetter = _mm_cmpeq_epi8(_mm_max_epu8(letter, five), five);
        valid = _mm_and_si128(valid, _mm_or_si128(isDigit, isLetter));
        const __m128i v =
            _mm_or_si128(_mm_and_si128(isDigit, digit), _mm_and_si128(isLetter, _mm_add_epi8(letter, ten)));
        // Each 16-bit lane holds two digits, the high nibble in its low byte.
        const __m128i bytes =
            _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, lowByte), 4), _mm_srli_epi16(v, 8));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out.data() + 8 * k), _mm_packus_epi16(bytes, bytes));
    }
    return _mm_movemask_epi8(valid) == 0xFFFF;
#else
    static const auto table = [] {
        std::array<int8_t, 256> t;
        t.fill(-1);
        for (int c = '0'; c <= '9'; ++c)
            t[c] = static_cast<int8_t>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c)
            t[c] = static_cast<int8_t>(c - 'a' + 10);
        return t;
    }();
    int bad = 0;
    for (size_t i = 0; i < 32; ++i) {
        const int hi = table[static_cast<uint8_t>(hex[2 * i])],
                  lo = table[static_cast<uint8_t>(hex[2 * i + 1])];
        bad |= hi | lo;
        out[i] = static_cast<uint8_t>((hi << 4) | (lo & 15));
    }
    return bad >= 0;
#endif
}

} // namespace caracal
