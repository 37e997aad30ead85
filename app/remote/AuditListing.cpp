#include "remote/AuditListing.h"

#include "load/CsvExport.h"
#include "query/FilterQuery.h"
#include "util/JsonField.h"
#include "util/Timestamp.h"

#include <QUrlQuery>
#include <nlohmann/json.hpp>
#include <regex>

namespace caracal {

using Json = nlohmann::json;

namespace {
const char* kMillisecondNote =
    "Times from the Caracal API are to the millisecond (the ledger keeps microseconds).";
const char* kRedactedNote =
    "metadata_json.session_id (the authority record) arrives from the API as \"[redacted]\"; "
    "the authority: filter still works on the server, but the value cannot be shown.";

// filename="NAME" of a Content-Disposition header, NAME without quotes, slashes or backslashes. Scanned by
// hand: a server controls the header, and std::regex recurses once per character of a long name.
std::optional<std::string> dispositionFileName(const std::string& header) {
    const std::string tag = "filename=\"";
    for (size_t at = header.find(tag); at != std::string::npos; at = header.find(tag, at + 1)) {
        const size_t start = at + tag.size();
        const size_t end = header.find_first_of("\"/\\", start);
        if (end != std::string::npos && end > start && header[end] == '"')
            return header.substr(start, std::min<size_t>(end - start, 255));
    }
    return std::nullopt;
}

bool looksLikeId(const std::string& v) {
    if (v.size() != 36) return false;
    static const std::regex uuid(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(v, uuid);
}

void addNote(std::vector<std::string>& notes, const std::string& note) {
    if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
}

std::string next(const Json& page) {
    return page.contains("next_cursor") && page["next_cursor"].is_string()
               ? page["next_cursor"].get<std::string>()
               : "";
}

std::string millisecondOf(const std::string& iso) {
    const auto micros = parseRfc3339Micros(iso);
    return micros ? std::to_string(*micros / 1000) : std::string();
}
} // namespace

ServerFilter apiFilterFor(const FilterNode* root, int64_t nowMicros) {
    ServerFilter out;
    if (!root) return out;
    std::vector<const FilterNode*> terms;
    if (root->kind == FilterNode::Kind::And)
        for (const auto& c : root->children)
            terms.push_back(c.get());
    else
        terms.push_back(root);
    auto has = [&](const char* name) {
        return std::any_of(out.params.begin(), out.params.end(),
                           [&](const auto& p) { return p.first == name; });
    };
    for (const FilterNode* t : terms) {
        // An OR of plain event types is one event_type list (at most 16).
        if (t->kind == FilterNode::Kind::Or && !has("event_type") && t->children.size() <= 16 &&
            std::all_of(t->children.begin(), t->children.end(), [](const auto& c) {
                return c->kind == FilterNode::Kind::Term && c->key == FilterKey::Type && !c->prefix;
            })) {
            std::string list;
            for (const auto& c : t->children)
                list += (list.empty() ? "" : ",") + c->value;
            out.params.emplace_back("event_type", list);
            continue;
        }
        if (t->kind != FilterNode::Kind::Term || t->prefix) {
            out.local.push_back("a term combined with OR, NOT or a * prefix");
            continue;
        }
        const std::string& v = t->value;
        auto take = [&](const char* name, const std::string& value) {
            if (has(name))
                out.local.push_back(std::string(name) + " beyond the first");
            else
                out.params.emplace_back(name, value);
        };
        switch (t->key) {
        case FilterKey::Request:
            take("request_id", v);
            break;
        case FilterKey::Type:
            take("event_type", v);
            break;
        case FilterKey::Session:
            take("session_id", v);
            break; // the Session: metadata.agent_session_id
        case FilterKey::Authority:
            take("authority_record_id", v);
            break; // metadata.session_id
        case FilterKey::Label:
            take("label", v);
            break;
        case FilterKey::Decision:
            if (v == "allow" || v == "deny" || v == "partial")
                take("decision", v);
            else
                out.local.push_back("decision:" + v + " (the API filters allow, deny and partial only)");
            break;
        case FilterKey::App:
            if (looksLikeId(v))
                take("application_id", v);
            else
                out.local.push_back("app:" + v + " (the API filters application ids, not names)");
            break;
        case FilterKey::Since:
        case FilterKey::Until:
            if (auto micros = parseFilterTime(v, nowMicros))
                take(t->key == FilterKey::Since ? "since" : "until", formatUtcMicros(*micros));
            break;
        default:
            out.local.push_back(std::string(filterKeyName(t->key)) +
                                (t->key == FilterKey::Text ? " text" : ":" + v));
        }
    }
    return out;
}

ServerFilter followFilter(const ServerFilter& filter, int64_t sinceMicros) {
    ServerFilter out = filter;
    auto since =
        std::find_if(out.params.begin(), out.params.end(), [](const auto& p) { return p.first == "since"; });
    const std::string moved = formatUtcMicros(sinceMicros);
    if (since == out.params.end())
        out.params.emplace_back("since", moved);
    else if (parseRfc3339Micros(since->second).value_or(INT64_MIN) < sinceMicros)
        since->second = moved;
    return out;
}

AuditServiceQuery auditQueryFrom(const ServerFilter& filter) {
    AuditServiceQuery q;
    for (const auto& [k, v] : filter.params) {
        if (k == "since") q.since = v;
        if (k == "until") q.until = v;
        if (k == "decision") q.decision = v;
        if (k == "request_id") q.requestId = v;
    }
    return q;
}

std::optional<std::pair<std::string, std::string>> decodeApiCursor(const std::string& cursor) {
    const QByteArray raw = QByteArray::fromBase64(
        QByteArray::fromStdString(cursor), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const Json j = Json::parse(raw.toStdString(), nullptr, false);
    if (!j.is_object() || !j.contains("ts") || !j["ts"].is_string()) return std::nullopt;
    return std::pair{j["ts"].get<std::string>(),
                     j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : ""};
}

ListResult listZone(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                    bool auditService, const PageSink& sink, const PageProgress& progress) {
    return auditService ? listAuditService(fetcher, zone, auditQueryFrom(filter), sink, progress)
                        : listApiAudit(fetcher, zone, filter, sink, progress);
}

bool loadPage(const QByteArray& page, std::string name, SourceOrigin origin, const LoadCallbacks& callbacks) {
    auto source = SourceBuffer::fromBytes(std::move(name), page.toStdString());
    source->origin = origin;
    return loadBuffer(source, {}, callbacks);
}

QUrl apiUrl(const RemoteConnection& c, const std::string& zone, const std::string& tail,
            const std::vector<std::pair<std::string, std::string>>& query) {
    std::string base = c.apiBase;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    QUrl url(QString::fromStdString(base));
    const QString path = url.path() + "/v1/zones/" +
                         QString::fromUtf8(QUrl::toPercentEncoding(QString::fromStdString(zone))) + "/audit" +
                         QString::fromStdString(tail);
    url.setPath(path, QUrl::StrictMode);
    QUrlQuery q;
    for (const auto& [k, v] : query)
        q.addQueryItem(QString::fromStdString(k),
                       QString::fromUtf8(QUrl::toPercentEncoding(QString::fromStdString(v))));
    if (!q.isEmpty()) url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

ListResult listApiAudit(RemoteFetcher& fetcher, const std::string& zone, const ServerFilter& filter,
                        const PageSink& sink, const PageProgress& progress) {
    ListResult result;
    result.notes.push_back(kMillisecondNote);
    const RemoteConnection& c = fetcher.connection();
    std::string cursor, cursorMillisecond;
    for (int page = 1;; ++page) {
        if (page > c.pageCap) {
            result.capped = true;
            result.notes.push_back(
                "Stopped after " + std::to_string(c.pageCap) +
                " pages (the page cap); more events remain. Raise the cap or narrow the filter.");
            break;
        }
        auto query = filter.params;
        query.emplace_back("limit", std::to_string(c.pageLimit));
        if (!cursor.empty()) query.emplace_back("cursor", cursor);
        const RemoteResponse r = fetcher.get(apiUrl(c, zone, {}, query), RemoteService::Api);
        if (r.error) {
            result.error = r.error;
            break;
        }
        const Json j = Json::parse(r.body.toStdString(), nullptr, false);
        if (!j.is_object() || !j.contains("items") || !j["items"].is_array()) {
            result.error = remoteNetworkError(
                "protocol",
                "page " + std::to_string(page) +
                    (j.is_discarded()
                         ? " is not complete JSON (the answer was cut off or is not JSON)"
                         : " is not a Caracal list page ({\"items\": [...], \"next_cursor\": ...})"),
                c.apiBase);
            break;
        }
        const Json& items = j["items"];
        ++result.pages;
        result.events += items.size();
        if (!items.empty()) {
            if (!cursorMillisecond.empty() && !jsonfield::text(items[0], "occurred_at").empty() &&
                millisecondOf(jsonfield::text(items[0], "occurred_at")) == cursorMillisecond)
                addNote(result.notes,
                        "Page " + std::to_string(page) +
                            " starts in the same millisecond as the cursor that led to it: "
                            "the API skips events of that millisecond with smaller microseconds, so some may "
                            "be missing. "
                            "Load that moment again with since:/until:, or read the zone's export.");
            // The cursor keeps only the last item's millisecond: other events of that millisecond with
            // smaller microseconds are never returned. Two items sharing it at the page's end show the risk.
            const size_t n = items.size();
            // A server controls these items: occurred_at may be missing or not a string.
            const std::string lastTime = n >= 2 ? jsonfield::text(items[n - 1], "occurred_at") : "";
            if (!next(j).empty() && !lastTime.empty() &&
                lastTime == jsonfield::text(items[n - 2], "occurred_at"))
                addNote(result.notes,
                        "Page " + std::to_string(page) +
                            " ends with events that share its last millisecond (" + lastTime +
                            "): the API skips further events of that millisecond, so some may be missing. "
                            "Load that moment again with since:/until:, or read the zone's export.");
            if (r.body.contains("\"session_id\":\"[redacted]\"")) addNote(result.notes, kRedactedNote);
            sink(r.body, page);
        }
        if (progress) progress(result.pages, result.events);
        const std::string nextCursor = next(j);
        if (items.empty() ||
            nextCursor.empty()) { // a full last page still carries a cursor; the empty page after ends it
            result.complete = true;
            break;
        }
        if (nextCursor == cursor) {
            result.error =
                remoteNetworkError("protocol", "the API returned the same cursor twice", c.apiBase);
            break;
        }
        cursor = nextCursor;
        const auto decoded = decodeApiCursor(nextCursor);
        cursorMillisecond = decoded ? millisecondOf(decoded->first) : std::string();
    }
    return result;
}

ListResult listAuditService(RemoteFetcher& fetcher, const std::string& zone, const AuditServiceQuery& q,
                            const PageSink& sink, const PageProgress& progress) {
    ListResult result;
    const RemoteConnection& c = fetcher.connection();
    if (q.since.empty())
        result.notes.push_back(
            "The audit service searches only the last 24 hours unless given a since: time.");
    std::string base = c.auditUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    std::string cursor;
    for (int page = 1;; ++page) {
        if (page > c.pageCap) {
            result.capped = true;
            result.notes.push_back("Stopped after " + std::to_string(c.pageCap) +
                                   " pages (the page cap); more may remain.");
            break;
        }
        QUrl url(QString::fromStdString(base + "/api/audit/search"));
        QUrlQuery query;
        auto add = [&](const char* k, const std::string& v) {
            if (!v.empty())
                query.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(QString::fromStdString(v))));
        };
        add("zone_id", zone);
        add("since", q.since);
        add("until", q.until);
        add("decision", q.decision);
        add("request_id", q.requestId);
        add("limit", std::to_string(c.pageLimit));
        add("cursor", cursor);
        url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
        const RemoteResponse r = fetcher.get(url, RemoteService::Audit);
        if (r.error) {
            result.error = r.error;
            break;
        }
        const Json j = Json::parse(r.body.toStdString(), nullptr, false);
        if (!j.is_object() || !j.contains("events") || !(j["events"].is_array() || j["events"].is_null())) {
            result.error = remoteNetworkError("protocol",
                                              "page " + std::to_string(page) +
                                                  (j.is_discarded()
                                                       ? " is not complete JSON"
                                                       : " is not an audit search page ({\"events\": ...})"),
                                              c.auditUrl);
            break;
        }
        ++result.pages;
        const size_t n = j["events"].is_array() ? j["events"].size() : 0;
        result.events += n;
        if (progress) progress(result.pages, result.events);
        // next_cursor is set even on the last page: only an empty page ends the search.
        if (n == 0) {
            result.complete = true;
            break;
        }
        sink(r.body, page);
        const std::string next = j.contains("next_cursor") && j["next_cursor"].is_string()
                                     ? j["next_cursor"].get<std::string>()
                                     : "";
        if (next.empty() || next == cursor) {
            result.complete = next.empty();
            if (!next.empty())
                result.error = remoteNetworkError(
                    "protocol", "the audit service returned the same cursor twice", c.auditUrl);
            break;
        }
        cursor = next;
    }
    return result;
}

RemoteResponse fetchByRequest(RemoteFetcher& f, const std::string& zone, const std::string& requestId) {
    return f.get(
        apiUrl(f.connection(), zone,
               "/by-request/" + QUrl::toPercentEncoding(QString::fromStdString(requestId)).toStdString()),
        RemoteService::Api);
}

RemoteResponse fetchExplain(RemoteFetcher& f, const std::string& zone, const std::string& requestId) {
    return f.get(apiUrl(f.connection(), zone,
                        "/by-request/" +
                            QUrl::toPercentEncoding(QString::fromStdString(requestId)).toStdString() +
                            "/explain"),
                 RemoteService::Api);
}

CaracalExplain fetchCaracalExplain(RemoteFetcher& f, const std::string& zone, const std::string& requestId) {
    CaracalExplain out;
    const RemoteResponse r = fetchExplain(f, zone, requestId);
    if (r.error) {
        out.error = r.error;
        return out;
    }
    out.trace =
        nlohmann::ordered_json::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr, false);
    if (!out.trace.is_object() || !out.trace.contains("final_decision"))
        out.error = remoteNetworkError(
            "protocol", "the explain answer is not a DecisionTrace (JSON with final_decision)",
            apiUrl(f.connection(), zone).toString(QUrl::RemoveQuery).toStdString());
    return out;
}

RemoteResponse fetchCsv(RemoteFetcher& f, const std::string& zone, const ServerFilter& filter,
                        const std::vector<std::string>& fields, int limit) {
    auto query = filter.params;
    query.emplace_back("format", "csv");
    if (!fields.empty()) {
        std::string list;
        for (const auto& x : fields)
            list += (list.empty() ? "" : ",") + x;
        query.emplace_back("fields", list);
    }
    if (limit > 0) query.emplace_back("limit", std::to_string(limit));
    return f.get(apiUrl(f.connection(), zone, {}, query), RemoteService::Api);
}

CsvDownload downloadCsv(RemoteFetcher& f, const std::string& zone, const ServerFilter& filter,
                        const std::vector<std::string>& fields, int limit) {
    CsvDownload out;
    for (const auto& field : fields)
        if (!csv::isExportField(field)) {
            out.error = remoteErrorFromHttp(RemoteService::Api, 400, R"({"error":"invalid_fields"})", "", 0);
            out.error->message = "\"" + field +
                                 "\" is not one of the 46 export fields, so the API would refuse "
                                 "the export (invalid_fields).";
            return out;
        }
    const RemoteResponse r = fetchCsv(f, zone, filter, fields, limit <= 0 ? 0 : std::min(limit, 1000));
    if (r.error) {
        out.error = r.error;
        return out;
    }
    out.body = r.body;
    out.fileName = dispositionFileName(r.contentDisposition.toStdString()).value_or("audit-" + zone + ".csv");
    const auto records = csv::parse({r.body.constData(), size_t(r.body.size())});
    out.rows = records.empty() ? 0 : records.size() - 1; // the header row
    return out;
}

} // namespace caracal
