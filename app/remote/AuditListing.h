#pragma once
// Reading audit events from a deployment, page by page, into whatever the caller does with a page (the store
// the files use). The Caracal API (/v1/zones/:zone/audit, newest first, base64url cursors, the filters it can
// apply), by-request, explain and CSV export; and the audit service (/api/audit/search, the only source of
// chain fields, chain_seq cursors, a 24-hour default window). Notes say what the reader must know about what
// came back: millisecond times, redacted authority records, events a page boundary may have skipped.
#include "load/EventLoader.h"
#include "query/FilterParser.h"
#include "remote/RemoteFetcher.h"
#include "util/SourceBuffer.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

// The part of a filter the API applies itself; everything else is applied locally on the pages received.
struct ServerFilter {
    std::vector<std::pair<std::string, std::string>> params; // name, value (not yet percent-encoded)
    std::vector<std::string> local;                          // what stays local, said plainly
};
ServerFilter apiFilterFor(const FilterNode* root, int64_t nowMicros);

// Follow mode: the filter with `since` moved up to `sinceMicros` (the newest loaded event less an overlap, so
// events written a little late are read again and then dropped by id), unless the filter's own since is
// later.
ServerFilter followFilter(const ServerFilter& filter, int64_t sinceMicros);

struct AuditServiceQuery {
    std::string since, until, decision, requestId; // RFC 3339 / exact values; empty: not sent
};
// The part of a server filter the audit service understands (time window, decision, request id).
AuditServiceQuery auditQueryFrom(const ServerFilter& filter);

struct ListResult {
    int pages = 0;
    size_t events = 0;
    bool complete = false; // reached the end
    bool capped = false;   // stopped at the page cap with more to read
    std::optional<RemoteError> error;
    std::vector<std::string> notes;
};

using PageSink = std::function<void(const QByteArray& page, int index)>;
using PageProgress = std::function<void(int pages, size_t events)>;

ListResult listApiAudit(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                        const PageSink& sink, const PageProgress& progress = {});
ListResult listAuditService(RemoteFetcher& fetcher, const std::string& zone, const AuditServiceQuery& query,
                            const PageSink& sink, const PageProgress& progress = {});

// One zone from the API, or from the audit service when `auditService` (the filter mapped to what it takes).
ListResult listZone(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                    bool auditService, const PageSink& sink, const PageProgress& progress = {});
// Loads a received page like a file, marked with where it came from (the API cuts times and redacts).
bool loadPage(const QByteArray& page, std::string name, SourceOrigin origin, const LoadCallbacks& callbacks);

QUrl apiUrl(const RemoteConnection& c, const std::string& zone, const std::string& tail = {},
            const std::vector<std::pair<std::string, std::string>>& query = {});
RemoteResponse fetchByRequest(RemoteFetcher& fetcher, const std::string& zone, const std::string& requestId);
RemoteResponse fetchExplain(RemoteFetcher& fetcher, const std::string& zone, const std::string& requestId);
// Caracal's own DecisionTrace for a request, parsed; an answer that is not a JSON object is an error.
struct CaracalExplain {
    nlohmann::ordered_json trace;
    std::optional<RemoteError> error;
};
CaracalExplain fetchCaracalExplain(RemoteFetcher& fetcher, const std::string& zone,
                                   const std::string& requestId);
// format=csv with the chosen export fields (empty: the 46 defaults) and the server filter; limit 0: the
// server's default.
RemoteResponse fetchCsv(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                        const std::vector<std::string>& fields, int limit);
// The same, ready to save: fields checked before anything is sent (the API answers invalid_fields for any
// name outside the 46), the limit kept to at most 1000 (CSV has no cursor), the server's file name, the row
// count.
struct CsvDownload {
    QByteArray body; // exactly as sent
    std::string fileName;
    size_t rows = 0;
    std::optional<RemoteError> error;
};
CsvDownload downloadCsv(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                        const std::vector<std::string>& fields, int limit);

// The {"ts", "id"} inside an API cursor (base64url JSON), or nullopt when it is not one.
std::optional<std::pair<std::string, std::string>> decodeApiCursor(const std::string& cursor);

} // namespace caracal
