#pragma once
// Append-only string storage. StringPool keeps strings at stable addresses; StringInterner gives each distinct
// string one small id, so thin records can hold a zone, a request id or an application as 4 bytes.
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace caracal {

class StringPool {
public:
    uint32_t add(std::string_view s);
    std::string_view at(uint32_t id) const { return m_views[id]; }
    uint32_t size() const { return static_cast<uint32_t>(m_views.size()); }
    void reserve(size_t n) { m_views.reserve(n); }

private:
    std::string_view store(std::string_view s);
    static constexpr size_t kChunk = 1 << 20;
    std::vector<std::unique_ptr<char[]>> m_chunks;
    size_t m_used = kChunk;
    std::vector<std::string_view> m_views;
};

class StringInterner {
public:
    StringInterner(); // id 0 is always the empty string
    uint32_t intern(std::string_view s);
    // Id of s, or kMissing when s was never interned.
    uint32_t find(std::string_view s) const;
    std::string_view at(uint32_t id) const { return m_pool.at(id); }
    uint32_t size() const { return m_pool.size(); }
    static constexpr uint32_t kMissing = 0xffffffffu;

private:
    StringPool m_pool;
    std::unordered_map<std::string_view, uint32_t> m_ids;
};

} // namespace caracal
