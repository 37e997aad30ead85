#pragma once
// Writing a view's rows out: JSON lines (the events' own bytes, or with Caracal's metadata redaction applied
// to those bytes) or the API's 46-field CSV. Shared by the console's File > Export view and by
// `caracal-trace search --format jsonl|csv`, so both write the same bytes.
#include "store/EventStore.h"

#include <atomic>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace caracal {

enum class ExportFormat { JsonLines, Csv };

struct ExportOptions {
    ExportFormat format = ExportFormat::JsonLines;
    bool redact = false;   // metadata values under Caracal's 17 secret keys become "[redacted]"
    bool csvHeader = true; // the CSV header row first
};

struct ExportOutcome {
    size_t rows = 0;         // rows written
    size_t redactedRows = 0; // rows with at least one value replaced
    bool cancelled = false;
    std::optional<std::string> error; // the sink refused bytes, or an event could not be redacted
};

// Writes `rows` in order through `write` (chunks of about a mebibyte; it returns false to stop with an
// error). `cancel` is checked every few thousand rows; `progress` gets the share done.
ExportOutcome exportRows(const EventStore& store, std::span<const RowId> rows, const ExportOptions& options,
                         const std::function<bool(std::string_view chunk)>& write,
                         const std::atomic<bool>* cancel = nullptr,
                         const std::function<void(double)>& progress = {});

} // namespace caracal
