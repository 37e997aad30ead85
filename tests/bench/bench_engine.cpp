// caracal-bench: loads a file the way the console does and measures what product.md sets targets for: time to
// the first batch, full indexing, request-id / zone / free-text filters after loading, statistics tables by
// each field, and private memory.
#include "load/EventLoader.h"
#include "query/FilterQuery.h"
#include "statistics/FieldStatistics.h"
#include "store/EventStore.h"
#include "timeline/TimelineBuckets.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace caracal;
using Clock = std::chrono::steady_clock;

static double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Median wall time of `runs` runs of a filter, in milliseconds; also returns the match count.
static double medianFilterMs(const EventStore& store, const std::string& expr, int runs, size_t& matches) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto t = Clock::now();
        auto compiled = FilterQuery::compile(expr, store, 0);
        matches = std::get<FilterQuery>(compiled).run().size();
        times.push_back(msSince(t));
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

static long smapsKb(const std::string& key) {
    std::ifstream in("/proc/self/smaps_rollup");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
    return -1;
}

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "Usage: caracal-bench FILE REQUEST_ID ZONE WORD\n");
        return 2;
    }
    const std::string file = argv[1];
    EventStore store;
    double firstBatchMs = -1;
    const auto start = Clock::now();
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& b) {
        if (firstBatchMs < 0) firstBatchMs = msSince(start);
        store.append(std::move(b));
    };
    loadFiles({file}, {}, cb);
    const double appendedMs = msSince(start);
    store.finishLoading();
    const double loadMs = msSince(start);

    size_t n = 0;
    std::printf("events %zu\n", store.size());
    std::printf("bad_lines %zu\n", store.badLines().size());
    std::printf("first_batch_ms %.1f\n", firstBatchMs);
    std::printf("scan_ms %.1f\n", appendedMs);
    std::printf("load_ms %.1f\n", loadMs);
    std::printf("request_lookup_ms %.4f\n", medianFilterMs(store, std::string("request:") + argv[2], 101, n));
    std::printf("request_matches %zu\n", n);
    std::printf("zone_filter_ms %.2f\n", medianFilterMs(store, std::string("zone:") + argv[3], 11, n));
    std::printf("zone_matches %zu\n", n);
    std::printf("text_filter_ms %.1f\n", medianFilterMs(store, argv[4], 5, n));
    std::printf("text_matches %zu\n", n);
    // One statistics table per grouping over every row (median of 5), as `stats --by` and the window count.
    for (StatisticsField f : allStatisticsFields()) {
        std::vector<double> times;
        size_t values = 0;
        for (int i = 0; i < 5; ++i) {
            const auto t = Clock::now();
            StatisticsOptions options;
            options.by = f;
            values = computeFieldStatistics(store, options).rows.size();
            times.push_back(msSince(t));
        }
        std::sort(times.begin(), times.end());
        std::printf("statistics_%s_ms %.1f (%zu values)\n", std::string(statisticsFieldName(f)).c_str(),
                    times[2], values);
    }
    {
        // The timeline of every loaded row (automatic bucket), as the console's panel counts the whole view.
        std::vector<double> times;
        size_t buckets = 0;
        for (int i = 0; i < 5; ++i) {
            const auto t = Clock::now();
            auto computed = computeTimeline(store, store.timeOrder(), {});
            buckets = std::get<Timeline>(*computed).bucketCount;
            times.push_back(msSince(t));
        }
        std::sort(times.begin(), times.end());
        std::printf("timeline_ms %.1f\n", times[times.size() / 2]);
        std::printf("timeline_buckets %zu\n", buckets);
    }
    std::printf("rss_kb %ld\n", smapsKb("Rss"));
    std::printf("anonymous_kb %ld\n", smapsKb("Anonymous"));
    std::printf("private_dirty_kb %ld\n", smapsKb("Private_Dirty"));
    return 0;
}
