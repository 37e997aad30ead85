#pragma once
// Reads rows (one JSON line, or one item of a page or array) into thin records with simdjson's validating DOM
// parser. A row that is not an event is reported as a bad line with the reason; nothing else stops the scan.
#include "store/LoadBatch.h"

#include <simdjson.h>
#include <string>

namespace caracal {

class EventExtractor {
  public:
    explicit EventExtractor(LoadBatch& out) : m_out(out) {}

    // Reads the row at [offset, offset + length) of the batch's source. `line` is relative to the batch.
    // Pages ({"items": [...]}, {"events": [...]}), arrays and explain traces on one row are expanded.
    void readRow(uint64_t offset, uint32_t length, uint32_t line, bool expandContainers = true);

    static std::string describe(simdjson::error_code error);

    // For rows of a saved explain response: a row without zone_id takes the document's, and one without
    // occurred_at is kept (time 0, file order) instead of being a bad line. Counted for the load's note.
    void setDocumentDefaults(std::string zone, bool timeOptional) {
        m_documentZone = std::move(zone);
        m_timeOptional = timeOptional;
    }
    size_t zoneFilled() const { return m_zoneFilled; }
    size_t timeMissing() const { return m_timeMissing; }

  private:
    bool parse(uint64_t offset, uint32_t length, simdjson::dom::element& root, std::string& reason);
    void readEvent(simdjson::dom::object event, bool searchRow, uint64_t offset, uint32_t length,
                   uint32_t line);
    // Returns metadata_json.reason when it is a string (the last copy of the key), else empty.
    std::string_view readMetadata(simdjson::dom::object metadata, EventRecord& rec);
    void addTag(TagKind kind, std::string_view value);
    void bad(uint32_t line, std::string reason);

    LoadBatch& m_out;
    simdjson::dom::parser m_parser;
    simdjson::padded_string m_scratch;
    std::string m_documentZone;
    bool m_timeOptional = false;
    size_t m_zoneFilled = 0, m_timeMissing = 0;
};

} // namespace caracal
