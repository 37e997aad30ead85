#pragma once
// Append-only string storage. StringPool keeps strings at stable addresses; StringInterner gives each
// distinct string one small id, so thin records can hold a zone, a request id or an application as 4 bytes.
// The interner is a flat open-addressing table (12 bytes per string beside the text) because interning is the
// bulk scan's hottest path and millions of request ids must fit in memory.
#include <cstdint>
#include <memory>
#include <string_view>
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
    // A copy with the same ids (a store extended off the GUI thread starts from one).
    StringInterner(const StringInterner& other);
    StringInterner& operator=(const StringInterner&) = delete;
    StringInterner(StringInterner&&) = default;
    StringInterner& operator=(StringInterner&&) = default;
    uint32_t intern(std::string_view s) { return intern(s, hash(s)); }
    // Room for n strings without rehashing (a rehash of millions of strings takes tens of milliseconds).
    void reserve(size_t n);
    // With the hash already known (an id moving from a batch's interner to the store's).
    uint32_t intern(std::string_view s, uint32_t h);
    // Id of s, or kMissing when s was never interned.
    uint32_t find(std::string_view s) const;
    std::string_view at(uint32_t id) const { return m_pool.at(id); }
    uint32_t hashOf(uint32_t id) const { return m_hashes[id]; }
    uint32_t size() const { return m_pool.size(); }
    static uint32_t hash(std::string_view s);
    static constexpr uint32_t kMissing = 0xffffffffu;

  private:
    void grow();
    StringPool m_pool;
    std::vector<uint32_t> m_hashes; // by id
    std::vector<uint32_t> m_slots;  // id + 1, 0 = empty; size is a power of two, at most half full
};

} // namespace caracal
