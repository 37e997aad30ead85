// caracal-export-bench: loads a file, then writes its whole view (every event in time order) the way File >
// Export view does, as JSON lines with the events' own bytes and with metadata redaction, to a file in
// OUTDIR. Prints the best of three runs of each in milliseconds, and how many events the redaction changed.
#include "load/EventLoader.h"
#include "load/ViewExport.h"
#include "store/EventStore.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace caracal;
using Clock = std::chrono::steady_clock;

static double exportMs(const EventStore& store, const std::string& path, bool redact, size_t& changed) {
    double best = 1e18;
    for (int run = 0; run < 3; ++run) {
        std::FILE* out = std::fopen(path.c_str(), "wb");
        if (!out) return -1;
        const auto t = Clock::now();
        ExportOptions options;
        options.redact = redact;
        const ExportOutcome outcome =
            exportRows(store, store.timeOrder(), options, [out](std::string_view chunk) {
                return std::fwrite(chunk.data(), 1, chunk.size(), out) == chunk.size();
            });
        std::fclose(out); // as cp does: written to the page cache, not synced
        best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        changed = outcome.redactedRows;
        if (outcome.error) return -1;
    }
    return best;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: caracal-export-bench FILE OUTDIR\n");
        return 2;
    }
    EventStore store;
    loadIntoStore(store, {argv[1]}, {});
    size_t changed = 0;
    const std::string out = std::string(argv[2]) + "/export-bench.jsonl";
    std::printf("export_events %zu\n", store.timeOrder().size());
    std::printf("export_raw_ms %.1f\n", exportMs(store, out, false, changed));
    std::printf("export_redacted_ms %.1f\n", exportMs(store, out, true, changed));
    std::printf("export_redacted_events %zu\n", changed);
    std::remove(out.c_str());
    return 0;
}
