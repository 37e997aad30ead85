#include "chain/Digest.h"

// The low-level SHA256_* calls are deprecated in OpenSSL 3 in favour of EVP, but EVP fetches the algorithm
// and takes locks on every call, which costs more than hashing a 1 KB row; the low-level context is a plain
// struct (copied to reuse HMAC key states) over the same SHA-extension code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

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
    static const auto table = [] {
        std::array<int8_t, 256> t;
        t.fill(-1);
        for (int c = '0'; c <= '9'; ++c)
            t[c] = static_cast<int8_t>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c)
            t[c] = static_cast<int8_t>(c - 'a' + 10);
        return t;
    }();
    if (hex.size() != 64) return false;
    int bad = 0;
    for (size_t i = 0; i < 32; ++i) {
        const int hi = table[static_cast<uint8_t>(hex[2 * i])],
                  lo = table[static_cast<uint8_t>(hex[2 * i + 1])];
        bad |= hi | lo;
        out[i] = static_cast<uint8_t>((hi << 4) | (lo & 15));
    }
    return bad >= 0;
}

} // namespace caracal
