#pragma once
// Loads files into batches with all cores: each file's shape is detected, JSON lines are cut into blocks read
// in parallel, and batches are delivered in file order on the calling thread, so a caller can show the first
// rows while the rest is still being read. Cancellable; reports progress after every batch.
#include "store/LoadBatch.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace caracal {

class EventStore;

enum class InputShape { Empty, JsonLines, JsonDocument, CsvExport };
const char* shapeName(InputShape shape);
// Decides from the bytes: a CSV export header, one JSON document (array, page, explain trace, pretty-printed
// object), or JSON lines (plain events, Go search rows, pages one per line).
InputShape detectShape(std::string_view bytes);

struct LoadOptions {
    // When set, JSON-lines rows that contain none of these strings are not parsed (a grep-like pre-pass for
    // request-id searches). Rows that are visibly not a JSON object are still parsed and reported.
    std::vector<std::string> prefilter;
    size_t blockBytes = 8u << 20;
    unsigned threads = 0; // 0: one per core
};

struct LoadProgress {
    size_t fileIndex = 0;
    size_t fileCount = 0;
    uint64_t bytesDone = 0;  // across all files
    uint64_t bytesTotal = 0; // known sizes of all files
    size_t events = 0;
    size_t badLines = 0;
};

struct LoadCallbacks {
    std::function<void(LoadBatch&&)> batch;            // required; called in order on the calling thread
    std::function<void(const LoadProgress&)> progress; // optional
    std::function<void(const std::string& message)> fileError; // optional: a whole input could not be read
    std::function<void(const std::string& message)> notice; // optional: something worth saying about an input
    const std::atomic<bool>* cancel = nullptr;
};

// Returns false when cancelled.
bool loadFiles(const std::vector<std::string>& paths, const LoadOptions& options,
               const LoadCallbacks& callbacks);

// Loads bytes already in memory (a page received from a server, a pasted trace) the same way as a file.
bool loadBuffer(const std::shared_ptr<SourceBuffer>& source, const LoadOptions& options,
                const LoadCallbacks& callbacks);

// Convenience for the CLI, tests and benchmarks: loads into `store` and builds its indexes.
bool loadIntoStore(EventStore& store, const std::vector<std::string>& paths, const LoadOptions& options = {},
                   const std::function<void(const LoadProgress&)>& progress = {},
                   const std::atomic<bool>* cancel = nullptr);

// True when `literal` can be searched in raw bytes: Caracal's producers (Go encoding/json, PostgreSQL jsonb,
// JavaScript JSON.stringify) write every printable ASCII character literally except " \ < > &.
bool isRawSearchable(std::string_view literal);

} // namespace caracal
