#include "chain/Digest.h"

#include <openssl/evp.h>
#include <stdexcept>

namespace caracal {

Digest32 sha256(std::string_view data) {
    Digest32 d;
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr);
    return d;
}

// HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)): both padded-key blocks are hashed once and their states
// copied per message.
struct HmacSha256::State {
    EVP_MD_CTX* inner = EVP_MD_CTX_new();
    EVP_MD_CTX* outer = EVP_MD_CTX_new();
    EVP_MD_CTX* work = EVP_MD_CTX_new();
    ~State() {
        EVP_MD_CTX_free(inner);
        EVP_MD_CTX_free(outer);
        EVP_MD_CTX_free(work);
    }
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
    if (!EVP_DigestInit_ex(m_state->inner, EVP_sha256(), nullptr) ||
        !EVP_DigestUpdate(m_state->inner, ipad, sizeof ipad) ||
        !EVP_DigestInit_ex(m_state->outer, EVP_sha256(), nullptr) ||
        !EVP_DigestUpdate(m_state->outer, opad, sizeof opad))
        throw std::runtime_error("libcrypto could not prepare HMAC-SHA256");
}

HmacSha256::HmacSha256(const HmacSha256& other) : m_state(std::make_unique<State>()) {
    EVP_MD_CTX_copy_ex(m_state->inner, other.m_state->inner);
    EVP_MD_CTX_copy_ex(m_state->outer, other.m_state->outer);
}

HmacSha256::~HmacSha256() = default;

Digest32 HmacSha256::mac(std::string_view message) const {
    Digest32 innerDigest, out;
    unsigned int len = 0;
    EVP_MD_CTX_copy_ex(m_state->work, m_state->inner);
    EVP_DigestUpdate(m_state->work, message.data(), message.size());
    EVP_DigestFinal_ex(m_state->work, innerDigest.data(), &len);
    EVP_MD_CTX_copy_ex(m_state->work, m_state->outer);
    EVP_DigestUpdate(m_state->work, innerDigest.data(), innerDigest.size());
    EVP_DigestFinal_ex(m_state->work, out.data(), &len);
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
    if (hex.size() != 64) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1; // Caracal writes lowercase and compares text: uppercase would not match there either
    };
    for (size_t i = 0; i < 32; ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    return true;
}

} // namespace caracal
