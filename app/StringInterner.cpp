#include "StringInterner.h"

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

StringInterner::StringInterner() {
    m_pool.add({});
    m_ids.emplace(std::string_view{}, 0);
}

uint32_t StringInterner::intern(std::string_view s) {
    if (auto it = m_ids.find(s); it != m_ids.end()) return it->second;
    const uint32_t id = m_pool.add(s);
    m_ids.emplace(m_pool.at(id), id);
    return id;
}

uint32_t StringInterner::find(std::string_view s) const {
    auto it = m_ids.find(s);
    return it == m_ids.end() ? kMissing : it->second;
}

} // namespace caracal
