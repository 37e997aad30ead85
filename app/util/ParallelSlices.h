#pragma once
// Work over a large range split into consecutive slices, one per core (one slice below 65,536 items), the
// calling thread taking the first. Callers that collect per slice join the slices in order.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace caracal {

inline size_t sliceCount(size_t items) {
    return items < 65536 ? 1 : std::max(1u, std::thread::hardware_concurrency());
}

// Calls work(slice, begin, end) for each of `slices` consecutive parts of [0, items) and waits for all.
template <class Work> void forEachSlice(size_t items, size_t slices, Work&& work) {
    std::vector<std::thread> pool;
    for (size_t s = 1; s < slices; ++s)
        pool.emplace_back([&, s] { work(s, items * s / slices, items * (s + 1) / slices); });
    work(size_t(0), size_t(0), items / slices);
    for (auto& t : pool)
        t.join();
}

} // namespace caracal
