#include "timeline/TimelineBuckets.h"

#include "util/ParallelSlices.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

namespace caracal {

namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 86400;
constexpr size_t kCancelStride = 4096;
// Per-thread dense counting up to this many (lane, bucket, decision) cells; beyond, a hash map per thread.
constexpr size_t kDenseCells = 4'000'000;

int64_t floorDiv(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool cancelled(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Distinct interned ids of a field, sorted, so a row's id maps to a dense index by binary search.
struct DenseIds {
    std::vector<uint32_t> ids;
    uint32_t indexOf(uint32_t id) const {
        return uint32_t(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
    }
    bool contains(uint32_t id) const { return std::binary_search(ids.begin(), ids.end(), id); }
};

DenseIds knownIds(const EventStore& store, Field f) {
    DenseIds d;
    d.ids.push_back(0); // absent or empty
    for (const auto& [value, count] : store.valueCounts(f))
        if (const uint32_t id = store.strings().find(value); id != StringInterner::kMissing)
            d.ids.push_back(id);
    std::sort(d.ids.begin(), d.ids.end());
    d.ids.erase(std::unique(d.ids.begin(), d.ids.end()), d.ids.end());
    return d;
}

void addIds(DenseIds& d, std::vector<uint32_t>& extra) {
    if (extra.empty()) return;
    d.ids.insert(d.ids.end(), extra.begin(), extra.end());
    std::sort(d.ids.begin(), d.ids.end());
    d.ids.erase(std::unique(d.ids.begin(), d.ids.end()), d.ids.end());
}

// The rows to visit, slice by slice. A large view in an order of its own (sorted by a column) would read the
// records at random; marking its rows in a bitmap and walking that reads them front to back instead, which is
// several times faster for a million rows. Rows of a view are distinct, so nothing is lost.
class RowWalk {
  public:
    RowWalk(const EventStore& store, const std::vector<RowId>& rows) : m_rows(rows) {
        m_useBits = rows.size() >= 65536 && store.size() / 8 <= rows.size() &&
                    !std::is_sorted(rows.begin(), rows.end());
        if (!m_useBits) return;
        m_bits.assign((store.size() + 63) / 64, 0);
        for (RowId r : rows)
            m_bits[r >> 6] |= uint64_t(1) << (r & 63);
    }
    size_t items() const { return m_useBits ? m_bits.size() : m_rows.size(); }
    // Calls f(row) for the rows of items [begin, end); false when cancelled.
    template <class F> bool visit(size_t begin, size_t end, const std::atomic<bool>* cancel, F&& f) const {
        if (m_useBits) {
            for (size_t w = begin; w < end; ++w) {
                if ((w - begin) % (kCancelStride / 64) == 0 && cancelled(cancel)) return false;
                for (uint64_t x = m_bits[w]; x; x &= x - 1)
                    f(RowId(w * 64 + size_t(__builtin_ctzll(x))));
            }
            return true;
        }
        for (size_t i = begin; i < end; ++i) {
            if ((i - begin) % kCancelStride == 0 && cancelled(cancel)) return false;
            f(m_rows[i]);
        }
        return true;
    }

  private:
    const std::vector<RowId>& m_rows;
    std::vector<uint64_t> m_bits;
    bool m_useBits = false;
};

} // namespace

DecisionClass decisionClassOf(std::string_view d) {
    if (d == "allow") return DecisionClass::Allow;
    if (d == "deny") return DecisionClass::Deny;
    if (d == "pending") return DecisionClass::Pending;
    if (d == "approved") return DecisionClass::Approved;
    if (d == "rejected") return DecisionClass::Rejected;
    if (d == "consumed") return DecisionClass::Consumed;
    return DecisionClass::Other;
}

std::string_view decisionClassName(DecisionClass c) {
    static constexpr std::string_view names[] = {"allow",    "deny",     "pending", "approved",
                                                 "rejected", "consumed", "other"};
    return names[std::min(int(c), kDecisionClassCount - 1)];
}

const std::vector<int64_t>& timelineBucketLadder() {
    static const std::vector<int64_t> ladder = {
        1,         5,         10,        30,         kMinute, 5 * kMinute, 10 * kMinute, 30 * kMinute,
        kHour,     3 * kHour, 6 * kHour, 12 * kHour, kDay,    2 * kDay,    7 * kDay,     14 * kDay,
        30 * kDay, 90 * kDay, 365 * kDay};
    return ladder;
}

std::string bucketSizeName(int64_t s) {
    if (s > 0 && s % (7 * kDay) == 0 && s % (365 * kDay) != 0 && s % (30 * kDay) != 0)
        return std::to_string(s / (7 * kDay)) + "w";
    if (s > 0 && s % kDay == 0) return std::to_string(s / kDay) + "d";
    if (s > 0 && s % kHour == 0) return std::to_string(s / kHour) + "h";
    if (s > 0 && s % kMinute == 0) return std::to_string(s / kMinute) + "m";
    return std::to_string(s) + "s";
}

std::optional<int64_t> parseBucketSize(std::string_view t) {
    if (t.size() < 2) return std::nullopt;
    int64_t unit = 0;
    switch (t.back()) {
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = kMinute;
        break;
    case 'h':
        unit = kHour;
        break;
    case 'd':
        unit = kDay;
        break;
    case 'w':
        unit = 7 * kDay;
        break;
    default:
        return std::nullopt;
    }
    int64_t n = 0;
    const char* end = t.data() + t.size() - 1;
    const auto [ptr, ec] = std::from_chars(t.data(), end, n);
    if (ec != std::errc() || ptr != end || n <= 0) return std::nullopt;
    // Past 100 years a bucket means nothing, and the product must not overflow.
    if (n > 36600 * kDay / unit) return std::nullopt;
    return n * unit;
}

int64_t bucketStartSeconds(int64_t micros, int64_t bucketSeconds) {
    return floorDiv(floorDiv(micros, 1'000'000), bucketSeconds) * bucketSeconds;
}

int64_t automaticBucketSeconds(int64_t first, int64_t last, int maxBuckets) {
    maxBuckets = std::max(1, maxBuckets);
    for (int64_t size : timelineBucketLadder()) {
        const int64_t count = (bucketStartSeconds(last, size) - bucketStartSeconds(first, size)) / size + 1;
        if (count <= maxBuckets) return size;
    }
    // Beyond the ladder: whole multiples of a year.
    int64_t size = timelineBucketLadder().back();
    while ((bucketStartSeconds(last, size) - bucketStartSeconds(first, size)) / size + 1 > maxBuckets &&
           size < std::numeric_limits<int64_t>::max() / 4)
        size *= 2;
    return size;
}

std::string formatUtcSeconds(int64_t seconds) {
    std::string s = formatUtcMicros(seconds * 1'000'000); // "...T10:05:00.000000Z"
    const size_t dot = s.rfind('.');
    if (dot != std::string::npos) s = s.substr(0, dot) + "Z";
    return s;
}

uint32_t Timeline::bucketTotal(size_t lane, size_t bucket) const {
    uint32_t n = 0;
    for (int c = 0; c < kDecisionClassCount; ++c)
        n += classCounts[(lane * bucketCount + bucket) * kDecisionClassCount + c];
    return n;
}

std::optional<size_t> Timeline::bucketOf(int64_t micros) const {
    const int64_t start = bucketStartSeconds(micros, bucketSeconds);
    if (start < firstStart) return std::nullopt;
    const int64_t b = (start - firstStart) / bucketSeconds;
    if (b >= int64_t(bucketCount)) return std::nullopt;
    return size_t(b);
}

std::vector<std::pair<std::string, uint32_t>> Timeline::decisionsOf(size_t bucket) const {
    std::vector<uint32_t> byDecision(decisions.size(), 0);
    for (const Cell& c : cells)
        if (c.bucket == bucket) byDecision[c.decision] += c.count;
    std::vector<std::pair<std::string, uint32_t>> out;
    for (size_t d = 0; d < decisions.size(); ++d)
        if (byDecision[d]) out.emplace_back(decisions[d], byDecision[d]);
    return out;
}

std::optional<std::variant<Timeline, TimelineError>> computeTimeline(const EventStore& store,
                                                                     const std::vector<RowId>& rows,
                                                                     const TimelineOptions& options,
                                                                     const std::atomic<bool>* cancel) {
    Timeline t;
    DenseIds decisions = knownIds(store, Field::Decision);
    DenseIds zones;
    zones.ids.push_back(0);
    if (options.perZone) zones = knownIds(store, Field::Zone);

    // Pass 1: the time range, and any value the indexes do not list (rows superseded or not yet indexed).
    const size_t slices = sliceCount(rows.size());
    const bool windowed = options.rangeBegin && options.rangeEnd && *options.rangeEnd > *options.rangeBegin;
    const int64_t windowBegin = windowed ? *options.rangeBegin : std::numeric_limits<int64_t>::min();
    const int64_t windowEnd = windowed ? *options.rangeEnd : std::numeric_limits<int64_t>::max();
    struct RangePart {
        int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
        size_t inside = 0;
        std::vector<uint32_t> newDecisions, newZones;
    };
    std::vector<RangePart> ranges(slices);
    std::atomic<bool> stopped{false};
    const RowWalk walk(store, rows);
    forEachSlice(walk.items(), slices, [&](size_t s, size_t begin, size_t end) {
        RangePart& p = ranges[s];
        if (!walk.visit(begin, end, cancel, [&](RowId row) {
                const EventRecord& rec = store.record(row);
                if (rec.occurredAt < windowBegin || rec.occurredAt >= windowEnd) return;
                ++p.inside;
                p.first = std::min(p.first, rec.occurredAt);
                p.last = std::max(p.last, rec.occurredAt);
                if (const uint32_t d = rec.field(Field::Decision); !decisions.contains(d))
                    p.newDecisions.push_back(d);
                if (options.perZone)
                    if (const uint32_t z = rec.field(Field::Zone); !zones.contains(z))
                        p.newZones.push_back(z);
            }))
            stopped = true;
    });
    if (stopped || cancelled(cancel)) return std::nullopt;
    int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
    size_t inside = 0;
    for (RangePart& p : ranges) {
        inside += p.inside;
        first = std::min(first, p.first);
        last = std::max(last, p.last);
        addIds(decisions, p.newDecisions);
        addIds(zones, p.newZones);
    }

    for (uint32_t id : decisions.ids) {
        t.decisions.emplace_back(store.str(id));
        t.decisionClasses.push_back(decisionClassOf(store.str(id)));
    }
    t.events = inside;
    if (windowed) { // the buckets span the window, whatever falls inside it
        first = windowBegin;
        last = windowEnd - 1;
    }
    const bool none = inside == 0 && !windowed;
    t.bucketSeconds = options.bucketSeconds > 0 ? options.bucketSeconds
                      : none                    ? 1
                                                : automaticBucketSeconds(first, last, options.maxBuckets);
    if (none) {
        if (!options.perZone) t.laneZones.emplace_back();
        return t;
    }
    t.firstStart = bucketStartSeconds(first, t.bucketSeconds);
    const int64_t lastStart = bucketStartSeconds(last, t.bucketSeconds);
    const uint64_t buckets = uint64_t((lastStart - t.firstStart) / t.bucketSeconds) + 1;
    const size_t lanes = zones.ids.size(), D = decisions.ids.size();
    if (buckets > kMaxTimelineCells || buckets * lanes > kMaxTimelineCells)
        return TimelineError{"buckets of " + bucketSizeName(t.bucketSeconds) + " from " +
                             formatUtcSeconds(t.firstStart) + " to " + formatUtcSeconds(lastStart) +
                             " make " + std::to_string(buckets) + " buckets" +
                             (lanes > 1 ? " in each of " + std::to_string(lanes) + " zones" : std::string()) +
                             "; at most " + std::to_string(kMaxTimelineCells) +
                             " can be counted: choose a larger bucket or a narrower filter"};
    t.bucketCount = size_t(buckets);

    // Pass 2: counting, dense per thread when the cells are few, else sparse.
    const uint64_t cellsPerThread = buckets * lanes * D;
    const bool dense = cellsPerThread <= kDenseCells;
    std::vector<std::vector<uint32_t>> denseParts(dense ? slices : 0);
    std::vector<std::unordered_map<uint64_t, uint32_t>> sparseParts(dense ? 0 : slices);
    const int64_t firstStart = t.firstStart, size = t.bucketSeconds;
    const bool perZone = options.perZone;
    forEachSlice(walk.items(), slices, [&](size_t s, size_t begin, size_t end) {
        std::vector<uint32_t>* counts = nullptr;
        if (dense) {
            denseParts[s].assign(size_t(cellsPerThread), 0);
            counts = &denseParts[s];
        }
        if (!walk.visit(begin, end, cancel, [&](RowId row) {
                const EventRecord& rec = store.record(row);
                if (rec.occurredAt < windowBegin || rec.occurredAt >= windowEnd) return;
                const uint64_t bucket =
                    uint64_t((bucketStartSeconds(rec.occurredAt, size) - firstStart) / size);
                const uint64_t lane = perZone ? zones.indexOf(rec.field(Field::Zone)) : 0;
                const uint64_t key =
                    (lane * buckets + bucket) * D + decisions.indexOf(rec.field(Field::Decision));
                if (counts)
                    ++(*counts)[key];
                else
                    ++sparseParts[s][key];
            }))
            stopped = true;
    });
    if (stopped || cancelled(cancel)) return std::nullopt;

    // Joined into nonzero cells ordered by key (lane, bucket, decision).
    std::vector<std::pair<uint64_t, uint32_t>> joined;
    if (dense) {
        std::vector<uint32_t>& total = denseParts[0];
        for (size_t s = 1; s < slices; ++s)
            for (size_t k = 0; k < total.size(); ++k)
                total[k] += denseParts[s][k];
        for (size_t k = 0; k < total.size(); ++k)
            if (total[k]) joined.emplace_back(k, total[k]);
    } else {
        std::unordered_map<uint64_t, uint32_t>& total = sparseParts[0];
        for (size_t s = 1; s < slices; ++s)
            for (const auto& [k, n] : sparseParts[s])
                total[k] += n;
        joined.assign(total.begin(), total.end());
        std::sort(joined.begin(), joined.end());
    }

    // Lanes without events are left out; the rest ordered by their events, most first, then zone.
    std::vector<uint64_t> laneEvents(lanes, 0);
    for (const auto& [k, n] : joined)
        laneEvents[k / D / buckets] += n;
    std::vector<uint32_t> order;
    for (uint32_t l = 0; l < lanes; ++l)
        if (laneEvents[l] || !perZone) order.push_back(l);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        if (laneEvents[a] != laneEvents[b]) return laneEvents[a] > laneEvents[b];
        return store.str(zones.ids[a]) < store.str(zones.ids[b]);
    });
    std::vector<uint32_t> laneIndex(lanes, UINT32_MAX);
    for (uint32_t i = 0; i < order.size(); ++i) {
        laneIndex[order[i]] = i;
        t.laneZones.emplace_back(perZone ? store.str(zones.ids[order[i]]) : std::string_view{});
    }
    t.classCounts.assign(order.size() * t.bucketCount * kDecisionClassCount, 0);
    t.cells.reserve(joined.size());
    for (const auto& [k, n] : joined) {
        const uint32_t d = uint32_t(k % D), bucket = uint32_t(k / D % buckets),
                       lane = laneIndex[k / D / buckets];
        t.cells.push_back({lane, bucket, d, n});
        t.classCounts[(size_t(lane) * t.bucketCount + bucket) * kDecisionClassCount +
                      int(t.decisionClasses[d])] += n;
    }
    std::sort(t.cells.begin(), t.cells.end(), [](const Timeline::Cell& a, const Timeline::Cell& b) {
        return std::tie(a.lane, a.bucket, a.decision) < std::tie(b.lane, b.bucket, b.decision);
    });
    return t;
}

} // namespace caracal
