#pragma once
// Caracal's admin-audit rows: who changed what through the control plane (actor, action, entity, status),
// a table apart from decision events. They arrive as a page of GET /v1/zones/<zone>/admin-audit, its CSV
// download, or an export of the admin_audit_events table (JSON lines or CSV). The console shows them in
// their own window; the loader only recognises them so it can point there instead of reporting bad lines.
//
// Limits: at most kMaxAdminEvents rows are read (the rest is counted and said); a row that is not an object
// is a located problem, not a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

constexpr size_t kMaxAdminEvents = 200000;

struct AdminEvent {
    std::string id, requestId, actorId, actorName, actorScope, action, method, path, entityType, entityId,
        statusCode, occurredAt, chainSeq, zoneId;
    std::string payloadJson; // as JSON text; "" when absent or null
    std::string signature;   // "signed", "unsigned", or "" when the source does not say
    uint32_t line = 0;       // where the row starts in the file
};

struct AdminAuditRead {
    std::vector<AdminEvent> events;
    std::vector<std::string> problems; // each with its line
    size_t notRead = 0;                // rows past kMaxAdminEvents
    std::string nextCursor;            // a page's next_cursor, when it has one
};

// Whether a CSV header line is an admin-audit one (actor_id and action, no event_type).
bool looksLikeAdminAuditCsv(std::string_view firstLine);
// Whether one JSON object is an admin-audit row (actor_id, action and method, no event_type).
bool looksLikeAdminAuditRow(std::string_view object);

// Reads a whole file of any of the shapes above.
AdminAuditRead readAdminAudit(std::string_view text);

} // namespace caracal
