#pragma once
// Events of a view counted over time: one bucket per multiple of the bucket size since the Unix epoch (UTC),
// from the first event's bucket to the last's, empty buckets included. Counts are kept per real decision
// value (the CLI prints those) and summed into decision classes (the console stacks those), optionally one
// lane per zone. Reads only the store's thin records, on every core.
#include "store/EventStore.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace caracal {

// How a decision is drawn: Caracal's allow/deny and the step-up hold's states; anything else is Other.
enum class DecisionClass : uint8_t { Allow, Deny, Pending, Approved, Rejected, Consumed, Other, Count };
constexpr int kDecisionClassCount = static_cast<int>(DecisionClass::Count);
DecisionClass decisionClassOf(std::string_view decision);
std::string_view decisionClassName(DecisionClass c); // "allow", ..., "other"

// The bucket sizes offered, smallest first: 1s 5s 10s 30s 1m 5m 10m 30m 1h 3h 6h 12h 1d 2d 7d 14d 30d 90d
// 365d.
const std::vector<int64_t>& timelineBucketLadder();
// "1s", "5m", "1h", "1d", "7d": the largest whole unit.
std::string bucketSizeName(int64_t seconds);
// "30s", "5m", "3h", "1d", "2w" as seconds; nullopt for anything else (zero, negative, no unit, overflow).
std::optional<int64_t> parseBucketSize(std::string_view text);
// The smallest ladder size that covers [firstMicros, lastMicros] in at most maxBuckets aligned buckets.
int64_t automaticBucketSeconds(int64_t firstMicros, int64_t lastMicros, int maxBuckets);

// Start of the aligned bucket holding `micros` (a multiple of the size since the epoch, also before 1970).
int64_t bucketStartSeconds(int64_t micros, int64_t bucketSeconds);

struct TimelineOptions {
    int64_t bucketSeconds = 0; // 0: automatic, from the range
    int maxBuckets = 100;      // what "automatic" aims at
    bool perZone = false;      // one lane per zone
    // A window [rangeBegin, rangeEnd) in microseconds (a zoomed view): rows outside it are not counted and
    // the buckets span the window, not the first and last event.
    std::optional<int64_t> rangeBegin, rangeEnd;
};

// More buckets than this (lanes x buckets) is an error that asks for a larger bucket, not a huge allocation.
constexpr size_t kMaxTimelineCells = 2'000'000;

struct Timeline {
    int64_t bucketSeconds = 1;
    int64_t firstStart = 0; // seconds since the epoch of the first bucket's start
    size_t bucketCount = 0;
    size_t events = 0; // rows counted (inside the window, when there is one)
    // Distinct decision values of the store, with their class; decision index d refers into these.
    std::vector<std::string> decisions;
    std::vector<DecisionClass> decisionClasses;
    // Lanes: one (all zones, zone "") or one per zone that has events in the view, most events first.
    std::vector<std::string> laneZones;
    // Nonzero counts by lane, bucket and decision, ordered by lane, then bucket, then decision index.
    struct Cell {
        uint32_t lane, bucket, decision, count;
    };
    std::vector<Cell> cells;
    // Counts by lane, bucket and class: classCounts[(lane * bucketCount + bucket) * kDecisionClassCount + c].
    std::vector<uint32_t> classCounts;

    int64_t bucketStart(size_t bucket) const { return firstStart + int64_t(bucket) * bucketSeconds; }
    uint32_t classCount(size_t lane, size_t bucket, DecisionClass c) const {
        return classCounts[(lane * bucketCount + bucket) * kDecisionClassCount + int(c)];
    }
    uint32_t bucketTotal(size_t lane, size_t bucket) const;
    // The bucket holding an instant, or nullopt outside the range.
    std::optional<size_t> bucketOf(int64_t micros) const;
    // Counts of one bucket summed over lanes, by decision value (the values with events only).
    std::vector<std::pair<std::string, uint32_t>> decisionsOf(size_t bucket) const;
};

struct TimelineError {
    std::string message;
};

// Counts `rows` of `store` (distinct rows, as a view holds them; any order). Checks `cancel` every few
// thousand rows; a cancelled computation returns nullopt. Too many buckets for the range is an error naming
// the numbers.
std::optional<std::variant<Timeline, TimelineError>>
computeTimeline(const EventStore& store, const std::vector<RowId>& rows, const TimelineOptions& options,
                const std::atomic<bool>* cancel = nullptr);

// "2026-11-14T10:05:00Z" (whole seconds, UTC).
std::string formatUtcSeconds(int64_t seconds);

} // namespace caracal
