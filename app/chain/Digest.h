#pragma once
// SHA-256 and HMAC-SHA256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions (several times
// faster than QCryptographicHash on the same machine; tests/bench measures both). Hex helpers beside them.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace caracal {

using Digest32 = std::array<uint8_t, 32>;

Digest32 sha256(std::string_view data);

// HMAC-SHA256 under one key, the key's inner and outer states prepared once. Not thread-safe: one per thread
// (copy it).
class HmacSha256 {
  public:
    explicit HmacSha256(std::string_view key);
    HmacSha256(const HmacSha256& other);
    HmacSha256& operator=(const HmacSha256&) = delete;
    ~HmacSha256();
    Digest32 mac(std::string_view message) const;

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

std::string toHex(const Digest32& d);
// Lowercase hex of exactly 64 digits (as Caracal writes them); false otherwise.
bool fromHex64(std::string_view hex, Digest32& out);

} // namespace caracal
