#pragma once
// The one store that files, remote pages and the bundled sample all load into. Holds the sources' bytes, thin
// records, interned strings and the indexes (time order; postings by zone, request id, event type, decision).
// Mutated from one thread (append, finishLoading); readable from any thread between mutations.
#include "store/EventRecord.h"
#include "store/LoadBatch.h"
#include "util/SourceBuffer.h"
#include "util/StringInterner.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace caracal {

class EventStore {
  public:
    EventStore() = default;
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    // Room for about this many events, so appending never copies the record array while a window is waiting
    // (reserved memory is only address space until rows fill it).
    void reserve(size_t events);
    // A copy that shares the sources' bytes: follow mode and merging extend the copy on a worker thread while
    // views keep reading this one, then swap. Row ids and string ids stay the same. Indexes are not copied:
    // the copy is extended and then indexed (finishLoading) anyway.
    std::unique_ptr<EventStore> clone() const;
    // Adds a batch's records and bad lines. Rows are numbered in arrival order.
    void append(LoadBatch&& batch);
    // The indexes over everything appended so far. buildIndexes() only reads, so a GUI can run it on a worker
    // thread (while nothing is appended) and adopt the result on its own thread.
    struct Indexes;
    Indexes buildIndexes() const;
    void adoptIndexes(Indexes&& indexes);
    void finishLoading();
    // Records a whole input that could not be read (a missing path, a directory, ...).
    void addLoadError(std::string message) { m_loadErrors.push_back(std::move(message)); }
    // Records something worth telling about an input that is not an error (an empty file, a CSV without
    // zone).
    void addNotice(std::string message);

    size_t size() const { return m_records.size(); }
    // Rows hidden because a richer copy of the same event is loaded (see StoreMerge). The indexes leave them
    // out, so every view does too; size() still counts them, eventCount() does not.
    void supersede(RowId row);
    bool isSuperseded(RowId row) const { return row < m_superseded.size() && m_superseded[row]; }
    size_t supersededCount() const { return m_supersededCount; }
    size_t eventCount() const { return size() - m_supersededCount; }
    const EventRecord& record(RowId row) const { return m_records[row]; }
    std::string_view str(uint32_t id) const { return m_strings.at(id); }
    std::string_view field(RowId row, Field f) const { return m_strings.at(m_records[row].field(f)); }
    // The event's id, read from its row (ids are not kept in memory: they are only needed to show an event).
    std::string eventId(RowId row) const;
    std::span<const uint32_t> tags(RowId row) const {
        return {m_tags.data() + m_records[row].tagsBegin, m_records[row].tagCount};
    }
    const StringInterner& strings() const { return m_strings; }
    size_t sourceCount() const { return m_sources.size(); }
    const SourceBuffer& source(uint16_t index) const { return *m_sources[index]; }
    const std::vector<BadLine>& badLines() const { return m_badLines; }
    const std::vector<std::string>& loadErrors() const { return m_loadErrors; }
    const std::vector<std::string>& notices() const { return m_notices; }

    // Exact bytes of the row as the input holds it (for a search row, the whole wrapper).
    std::string_view rowText(RowId row) const;
    // The event's own JSON text: the row itself, or for a Go search row the "Event" object with the
    // wrapper's chain fields (IngestedAt, ContentSHA256, ...) appended under their own names.
    std::string eventJson(RowId row) const;
    // The event parsed in full, keys in input order (for the detail view and exports).
    nlohmann::ordered_json event(RowId row) const;

    // --- indexes, valid after finishLoading() ---
    // All rows ordered by occurred_at, then event id.
    const std::vector<RowId>& timeOrder() const { return m_indexes.timeOrder; }
    // Rows whose field equals the interned value, in time order. Indexed: Zone, RequestId, EventType,
    // Decision.
    std::span<const RowId> rowsWith(Field f, uint32_t valueId) const;
    std::span<const RowId> rowsWith(Field f, std::string_view value) const;
    static bool isIndexed(Field f);
    // The request's events within a zone (in every zone when `zone` is empty), in time order.
    std::vector<RowId> rowsOfRequest(std::string_view zone, std::string_view requestId) const;
    // Distinct values of an indexed field with their event counts, most frequent first.
    std::vector<std::pair<std::string_view, size_t>> valueCounts(Field f) const;
    bool lessInTime(RowId a, RowId b) const;
    // The name other loaded events give an application id (Gateway and approval events carry only the id).
    std::string_view applicationName(std::string_view applicationId) const;
    // The row's application name, or the name known for its id, or the id itself.
    std::string_view actorOf(RowId row) const;

    struct Postings {
        std::vector<uint32_t> offsets; // by interned id, size = interner size + 1
        std::vector<RowId> rows;
    };
    struct Indexes {
        std::vector<RowId> timeOrder;
        Postings postings[4];
        std::unordered_map<uint32_t, uint32_t>
            applicationNames; // application id -> name, as events name them
    };

  private:
    int postingsSlot(Field f) const;

    std::vector<std::shared_ptr<const SourceBuffer>> m_sources;
    std::vector<EventRecord> m_records;
    std::vector<uint8_t> m_superseded; // by row; empty while nothing is superseded
    size_t m_supersededCount = 0;
    std::vector<uint32_t> m_tags;
    std::vector<BadLine> m_badLines;
    std::vector<std::string> m_loadErrors;
    std::vector<std::string> m_notices;
    StringInterner m_strings;
    Indexes m_indexes;
};

} // namespace caracal
