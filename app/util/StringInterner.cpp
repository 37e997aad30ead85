#include "util/StringInterner.h"

#include <cstring>

namespace caracal {

std::string_view StringPool::store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kChunk / 4) { // a large string gets its own allocation so chunks stay dense
        auto big = std::make_unique<char[]>(s.size());
        std::memcpy(big.get(), s.data(), s.size());
        std::string_view view(big.get(), s.size());
        m_chunks.insert(m_chunks.end() - (m_chunks.empty() ? 0 : 1), std::move(big));
        return view;
    }
    if (m_used + s.size() > kChunk) {
        m_chunks.push_back(std::make_unique<char[]>(kChunk));
        m_used = 0;
    }
    char* dst = m_chunks.back().get() + m_used;
    std::memcpy(dst, s.data(), s.size());
    m_used += s.size();
    return {dst, s.size()};
}

uint32_t StringPool::add(std::string_view s) {
    m_views.push_back(store(s));
    return static_cast<uint32_t>(m_views.size() - 1);
}

StringInterner::StringInterner(const StringInterner& other) : StringInterner() {
    reserve(other.size());
    for (uint32_t id = 1; id < other.size(); ++id)
        intern(other.at(id), other.hashOf(id));
}

uint32_t StringInterner::hash(std::string_view s) {
    // Eight bytes at a time with a multiply-xorshift mix: fast on ids and good enough for a probing table.
    uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i); // an empty view may have a null data()
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return static_cast<uint32_t>(h);
}

StringInterner::StringInterner() : m_slots(16, 0) {
    m_pool.add({});
    m_hashes.push_back(hash({}));
    m_slots[m_hashes[0] & 15] = 1;
}

void StringInterner::reserve(size_t n) {
    m_pool.reserve(n);
    m_hashes.reserve(n);
    size_t table = m_slots.size();
    while (table < 2 * n)
        table *= 2;
    if (table > m_slots.size()) {
        m_slots.assign(table / 2, 0); // grow() doubles it and places every string again
        grow();
    }
}

void StringInterner::grow() {
    std::vector<uint32_t> table(m_slots.size() * 2, 0);
    const size_t mask = table.size() - 1;
    for (uint32_t id = 0; id < m_hashes.size(); ++id) {
        size_t i = m_hashes[id] & mask;
        while (table[i])
            i = (i + 1) & mask;
        table[i] = id + 1;
    }
    m_slots.swap(table);
}

uint32_t StringInterner::intern(std::string_view s, uint32_t h) {
    const size_t mask = m_slots.size() - 1;
    size_t i = h & mask;
    while (const uint32_t slot = m_slots[i]) {
        const uint32_t id = slot - 1;
        if (m_hashes[id] == h && m_pool.at(id) == s) return id;
        i = (i + 1) & mask;
    }
    const uint32_t id = m_pool.add(s);
    m_hashes.push_back(h);
    m_slots[i] = id + 1;
    if (m_hashes.size() * 2 > m_slots.size()) grow();
    return id;
}

uint32_t StringInterner::find(std::string_view s) const {
    const uint32_t h = hash(s);
    const size_t mask = m_slots.size() - 1;
    for (size_t i = h & mask; const uint32_t slot = m_slots[i]; i = (i + 1) & mask)
        if (m_hashes[slot - 1] == h && m_pool.at(slot - 1) == s) return slot - 1;
    return kMissing;
}

} // namespace caracal
