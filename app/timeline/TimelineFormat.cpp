#include "timeline/TimelineFormat.h"

#include <algorithm>

namespace caracal {

namespace {
// Per bucket (lanes summed) and decision index, from the cells.
std::vector<uint32_t> bucketDecisionCounts(const Timeline& t) {
    std::vector<uint32_t> counts(t.bucketCount * t.decisions.size(), 0);
    for (const Timeline::Cell& c : t.cells)
        counts[size_t(c.bucket) * t.decisions.size() + c.decision] += c.count;
    return counts;
}
} // namespace

nlohmann::ordered_json timelineToJson(const Timeline& t) {
    const std::vector<uint32_t> counts = bucketDecisionCounts(t);
    const size_t D = t.decisions.size();
    // Decision keys in name order, whatever order the store interned them in.
    std::vector<size_t> byName(D);
    for (size_t d = 0; d < D; ++d)
        byName[d] = d;
    std::sort(byName.begin(), byName.end(),
              [&](size_t a, size_t b) { return t.decisions[a] < t.decisions[b]; });
    nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
    for (size_t b = 0; b < t.bucketCount; ++b) {
        nlohmann::ordered_json decisions = nlohmann::ordered_json::object();
        uint64_t events = 0;
        for (size_t d : byName)
            if (const uint32_t n = counts[b * D + d]) {
                decisions[t.decisions[d]] = n;
                events += n;
            }
        buckets.push_back({{"start", formatUtcSeconds(t.bucketStart(b))},
                           {"events", events},
                           {"decisions", std::move(decisions)}});
    }
    return {{"bucket_seconds", t.bucketSeconds}, {"buckets", std::move(buckets)}};
}

std::string timelineToText(const Timeline& t) {
    const std::vector<uint32_t> counts = bucketDecisionCounts(t);
    const size_t D = t.decisions.size();
    // Columns for the decision values that occur, in class order (allow, deny, step-up states), then by name.
    std::vector<size_t> shown;
    std::vector<uint64_t> totals(D, 0);
    for (size_t i = 0; i < counts.size(); ++i)
        totals[i % D] += counts[i];
    for (size_t d = 0; d < D; ++d)
        if (totals[d]) shown.push_back(d);
    std::sort(shown.begin(), shown.end(), [&](size_t a, size_t b) {
        if (t.decisionClasses[a] != t.decisionClasses[b]) return t.decisionClasses[a] < t.decisionClasses[b];
        return t.decisions[a] < t.decisions[b];
    });
    std::string out = "bucket " + bucketSizeName(t.bucketSeconds) + " (" + std::to_string(t.bucketSeconds) +
                      " s), " + std::to_string(t.bucketCount) + " buckets, " + std::to_string(t.events) +
                      " events";
    if (t.bucketCount)
        out += ", " + formatUtcSeconds(t.bucketStart(0)) + " to " +
               formatUtcSeconds(t.bucketStart(t.bucketCount - 1) + t.bucketSeconds);
    out += "\n";
    if (!t.bucketCount) return out;

    std::vector<uint64_t> events(t.bucketCount, 0);
    uint64_t most = 1;
    for (size_t b = 0; b < t.bucketCount; ++b) {
        for (size_t d = 0; d < D; ++d)
            events[b] += counts[b * D + d];
        most = std::max(most, events[b]);
    }
    auto pad = [](std::string s, size_t width) {
        return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
    };
    std::vector<std::string> titles;
    std::vector<size_t> widths;
    for (size_t d : shown) {
        titles.push_back(t.decisions[d].empty() ? "(none)" : t.decisions[d]);
        widths.push_back(std::max<size_t>(titles.back().size(), std::to_string(totals[d]).size()));
    }
    const size_t eventsWidth = std::max<size_t>(6, std::to_string(most).size());
    out += "START (UTC)           " + pad("EVENTS", eventsWidth);
    for (size_t i = 0; i < shown.size(); ++i)
        out += "  " + pad(titles[i], widths[i]);
    out += "\n";
    for (size_t b = 0; b < t.bucketCount; ++b) {
        std::string line = formatUtcSeconds(t.bucketStart(b));
        line += std::string(22 - std::min<size_t>(22, line.size()), ' ') +
                pad(std::to_string(events[b]), eventsWidth);
        for (size_t i = 0; i < shown.size(); ++i)
            line += "  " + pad(std::to_string(counts[b * D + shown[i]]), widths[i]);
        // A bar of up to 30 marks, scaled to the busiest bucket, so the shape reads at a glance.
        const size_t marks = size_t((events[b] * 30 + most - 1) / most);
        if (marks) line += "  " + std::string(marks, '#');
        out += line + "\n";
    }
    return out;
}

} // namespace caracal
