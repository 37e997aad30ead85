#pragma once
// What a long graph computation (building a zone's graph from its events, laying out thousands of boxes)
// sees of whoever waits for it: a flag asking it to stop, checked often enough that a Cancel or a closed
// window returns within a moment, and where to say how far it got. Both are optional.
#include <atomic>
#include <functional>

namespace caracal {

struct GraphWork {
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(double)> progress; // a fraction in [0, 1]
    double from = 0, to = 1;              // the share of the caller's progress this work covers

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void report(double fraction) const {
        if (progress) progress(from + (to - from) * fraction);
    }
    // The same flag and sink for a step that covers [a, b] of this work.
    GraphWork part(double a, double b) const {
        GraphWork w = *this;
        w.from = from + (to - from) * a;
        w.to = from + (to - from) * b;
        return w;
    }
};

} // namespace caracal
