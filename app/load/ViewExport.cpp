#include "load/ViewExport.h"

#include "load/CsvExport.h"
#include "util/MetadataRedaction.h"
#include "util/RawMetadataRedaction.h"

#include <cstring>

namespace caracal {

namespace {
constexpr size_t kChunk = 1u << 20;
constexpr size_t kCheckEvery = 4096;

std::string where(const EventStore& store, RowId row) {
    const EventRecord& rec = store.record(row);
    return store.source(rec.source).name() + ":" + std::to_string(rec.line);
}
} // namespace

ExportOutcome exportRows(const EventStore& store, std::span<const RowId> rows, const ExportOptions& options,
                         const std::function<bool(std::string_view)>& write, const std::atomic<bool>* cancel,
                         const std::function<void(double)>& progress) {
    ExportOutcome outcome;
    std::string buffer;
    buffer.reserve(kChunk + (64u << 10));
    auto flush = [&] {
        if (buffer.empty()) return true;
        const bool ok = write(buffer);
        buffer.clear();
        if (!ok) outcome.error = "the output could not be written (disk full or closed?)";
        return ok;
    };
    if (options.format == ExportFormat::Csv && options.csvHeader) buffer += csv::headerRow();
    for (size_t i = 0; i < rows.size(); ++i) {
        if (i % kCheckEvery == 0) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                outcome.cancelled = true;
                return outcome;
            }
            if (progress) progress(double(i) / double(rows.size()));
        }
        const RowId row = rows[i];
        if (options.format == ExportFormat::Csv) {
            const nlohmann::ordered_json event = store.event(row);
            buffer += csv::row(options.redact ? redactedEvent(event) : event);
        } else {
            // A plain row is the event itself: no copy before it reaches the buffer.
            std::string joined;
            const std::string_view text = store.record(row).flags & SearchRow
                                              ? std::string_view(joined = store.eventJson(row))
                                              : store.rowText(row);
            const size_t start = buffer.size();
            if (!options.redact) {
                buffer.append(text);
            } else {
                const RawRedaction r = redactEventText(text, buffer);
                if (r == RawRedaction::Malformed) {
                    outcome.error = where(store, row) + ": the event could not be read to redact it";
                    return outcome;
                }
                if (r == RawRedaction::Redacted) ++outcome.redactedRows;
            }
            // An item of a pretty-printed page spans lines; JSON text has line breaks only as whitespace
            // (never inside strings), so a space in their place keeps the event and one line per event.
            if (std::memchr(text.data(), '\n', text.size()) || std::memchr(text.data(), '\r', text.size()))
                for (size_t k = start; k < buffer.size(); ++k)
                    if (buffer[k] == '\n' || buffer[k] == '\r') buffer[k] = ' ';
            buffer += '\n';
        }
        ++outcome.rows;
        if (buffer.size() >= kChunk && !flush()) return outcome;
    }
    if (!flush()) return outcome;
    if (progress) progress(1.0);
    return outcome;
}

} // namespace caracal
