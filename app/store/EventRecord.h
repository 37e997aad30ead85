#pragma once
// The thin record kept per event: where its bytes are, its time, and interned ids of the fields that the
// indexes and the filter language need. Everything else is parsed from the raw bytes when it is shown.
#include <cstdint>
#include <string>

namespace caracal {

using RowId = uint32_t;

// String-valued fields held as interned ids (0 = absent or empty).
enum class Field : uint8_t {
    Zone,
    EventType,
    Decision,
    RequestId,
    EvaluationStatus,
    Application,     // metadata application_id, or client_id / app_id on anomaly events
    ApplicationName, // metadata application_name
    Session,         // metadata agent_session_id: the governed run ("Session")
    AuthorityRecord, // metadata session_id: the authority record
    Resource,
    PolicySet,
    PolicySetVersion,
    ManifestSha,
    DenyReason, // deny events only: the deny reason code by the console's rule (present/denyReasonCode)
    Count
};
constexpr int kFieldCount = static_cast<int>(Field::Count);

// Multi-valued facts are tags: a kind in the top 4 bits and an interned id below.
enum class TagKind : uint32_t { Label = 1, Code = 2, Policy = 3 };
constexpr uint32_t kTagIdMask = 0x0fffffffu;
constexpr uint32_t makeTag(TagKind k, uint32_t id) {
    return (static_cast<uint32_t>(k) << 28) | id;
}
constexpr TagKind tagKind(uint32_t tag) {
    return static_cast<TagKind>(tag >> 28);
}

enum RecordFlag : uint8_t {
    SearchRow = 1, // a Go audit-search row: the event is under "Event", chain fields beside it
    // Field::Application holds client_id / app_id (an anomaly event), not metadata_json.application_id.
    ApplicationFromClientId = 2,
};

struct EventRecord {
    uint64_t offset = 0;    // first byte of the row (line or array item) in its source buffer
    int64_t occurredAt = 0; // microseconds since the epoch, UTC
    uint32_t length = 0;    // bytes of the row
    uint32_t line = 0;      // 1-based line (or CSV record line) in the source file
    uint32_t fields[kFieldCount] = {};
    uint32_t tagsBegin = 0; // range in the store's tag array
    uint16_t tagCount = 0;
    uint16_t source = 0;
    uint8_t flags = 0;

    uint32_t field(Field f) const { return fields[static_cast<int>(f)]; }
    uint32_t& field(Field f) { return fields[static_cast<int>(f)]; }
};

// A line (or CSV record, or array item) that could not be read as an event.
struct BadLine {
    uint16_t source = 0;
    uint32_t line = 0;
    std::string reason;
};

} // namespace caracal
