#pragma once
// A Caracal deployment on 127.0.0.1 for the tests, speaking the contract the captured fixtures show
// (tests/data/caracal-api): the API's audit list with its filters, validation, newest-first order and
// millisecond base64url cursors (including the skip of same-millisecond events), by-request, explain (the
// captured answers), Bearer admin-token checks with the API's error bodies, and the audit service's search
// (Go rows, chain_seq cursors, "events": null at the end, plain-text errors). Faults can be switched on: slow
// answers, cut-off pages, endless cursors, 429 with Retry-After, 500 then success, reset connections.
#include "load/CsvExport.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace caracal::test {

class ContractServer {
  public:
    struct Event {
        std::string id, zone, type, request, decision, occurredAt;
        int64_t micros = 0; // the ledger's full precision, which the API never shows
        nlohmann::json meta;
        QByteArray raw; // the item exactly as the API serialises it
    };
    enum class Fault {
        None,
        CutOffPage,
        EndlessCursor,
        RateLimitedOnce,
        ServerErrorOnce,
        Unauthorized,
        NeverAnswer
    };

    explicit ContractServer(const QString& fixtures, QByteArray token = "test-admin-token")
        : m_fixtures(fixtures), m_token(std::move(token)) {
        for (const char* zonePages : {"list-nofilter-page1", "list-nofilter-page2", "list-nofilter-page3",
                                      "list-zone-demo-b-page1", "list-zone-demo-b-page2"})
            addItems(read("demo/" + QString(zonePages) + ".json"));
        addItems(read("probe/probe-list-all.json"));
        // The probe zone's stored microseconds (the README): the API shows only .500Z and .499Z.
        for (auto& e : m_events) {
            if (e.id == "probe-0001") e.micros += 900;
            if (e.id == "probe-0002") e.micros += 500;
            if (e.id == "probe-0003") e.micros += 100;
        }
        m_server.route("/v1/zones/<arg>/audit", [this](const QString& zone, const QHttpServerRequest& r) {
            return list(zone.toStdString(), r);
        });
        m_server.route("/v1/zones/<arg>/audit/by-request/<arg>",
                       [this](const QString& zone, const QString& id, const QHttpServerRequest& r) {
                           return byRequest(zone.toStdString(), id.toStdString(), r);
                       });
        m_server.route("/v1/zones/<arg>/audit/by-request/<arg>/explain",
                       [this](const QString& zone, const QString& id, const QHttpServerRequest& r) {
                           return explain(zone.toStdString(), id.toStdString(), r);
                       });
        m_server.route("/api/audit/search", [this](const QHttpServerRequest& r) { return auditSearch(r); });
        m_port = m_server.listen(QHostAddress::LocalHost);
        m_silent.listen(QHostAddress::LocalHost); // accepts, never answers
        m_reset.listen(QHostAddress::LocalHost);
        QObject::connect(&m_reset, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_reset.nextPendingConnection())
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] {
                    s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                    s->abort(); // unread request bytes: the kernel answers with a reset
                    s->deleteLater();
                });
        });
        m_slow.listen(QHostAddress::LocalHost);
        QObject::connect(&m_slow, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_slow.nextPendingConnection())
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    s->readAll();
                    const QByteArray body = read("demo/list-nofilter-page1.json");
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json; "
                             "charset=utf-8\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" +
                             body.left(body.size() / 2));
                    QTimer::singleShot(300, s, [s, body] {
                        s->write(body.mid(body.size() / 2));
                        s->disconnectFromHost();
                    });
                });
        });
    }

    QString baseUrl() const { return QString("http://127.0.0.1:%1").arg(m_port); }
    QString silentUrl() const { return QString("http://127.0.0.1:%1").arg(m_silent.serverPort()); }
    void setFault(Fault f) {
        m_fault = f;
        m_faultUsed = false;
    }
    int requests() const { return m_requests; }
    const std::vector<QByteArray>& authorizations() const { return m_authorizations; }
    QByteArray read(const QString& name) const {
        QFile f(m_fixtures + "/" + name);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Adds an event after start (follow mode): newest first in its zone.
    void addEvent(Event e) { m_events.insert(m_events.begin(), std::move(e)); }
    // A token exchange written now, as the API serialises it (millisecond time, authority record redacted).
    static Event apiEvent(const std::string& id, const std::string& zone, const std::string& request,
                          const std::string& occurredAt) {
        Event e{id, zone, "token_exchange", request, "allow", occurredAt};
        e.micros = parseMicros(occurredAt);
        e.meta = {{"application_id", "app-live"}, {"session_id", "[redacted]"}};
        e.raw = QByteArray::fromStdString(
            "{\"id\":\"" + id + "\",\"zone_id\":\"" + zone +
            "\",\"event_type\":\"token_exchange\",\"request_id\":\"" + request +
            "\",\"decision\":\"allow\",\"policy_set_id\":\"\",\"policy_set_version_id\":\"\","
            "\"manifest_sha\":\"\",\"evaluation_status\":\"complete\",\"determining_policies_json\":null,"
            "\"diagnostics_json\":null,\"metadata_json\":{\"application_id\":\"app-live\",\"session_id\":"
            "\"[redacted]\"},\"occurred_at\":\"" +
            occurredAt + "\",\"ingested_at\":\"" + occurredAt + "\"}");
        return e;
    }
    // Accepts a connection, reads the request and resets it (RST) without answering.
    QString resetUrl() const { return QString("http://127.0.0.1:%1").arg(m_reset.serverPort()); }
    // Answers every request with the first page of zone-demo-a, its body sent in two parts 300 ms apart.
    QString slowUrl() const { return QString("http://127.0.0.1:%1").arg(m_slow.serverPort()); }
    const std::vector<Event>& events() const { return m_events; }

  private:
    static QHttpServerResponse
    json(QByteArray body, QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok) {
        return QHttpServerResponse("application/json; charset=utf-8", std::move(body), status);
    }
    static QHttpServerResponse error(const char* code, int status) {
        return json(QByteArray("{\"error\":\"") + code + "\"}", QHttpServerResponse::StatusCode(status));
    }
    static int64_t parseMicros(const std::string& iso) {
        QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODateWithMs);
        return t.isValid() ? t.toMSecsSinceEpoch() * 1000 : INT64_MIN;
    }

    // Splits {"items":[...]} into the raw bytes of each item.
    void addItems(const QByteArray& page) {
        const int start = page.indexOf('[');
        int depth = 0, itemStart = -1;
        bool inString = false, escaped = false;
        for (int i = start + 1; i < page.size(); ++i) {
            const char c = page[i];
            if (inString) {
                if (escaped)
                    escaped = false;
                else if (c == '\\')
                    escaped = true;
                else if (c == '"')
                    inString = false;
                continue;
            }
            if (c == '"') inString = true;
            if (c == '{') {
                if (depth++ == 0) itemStart = i;
            } else if (c == '}') {
                if (--depth == 0) {
                    const QByteArray raw = page.mid(itemStart, i - itemStart + 1);
                    const auto j = nlohmann::json::parse(raw.toStdString());
                    Event e{j["id"],         j["zone_id"],  j["event_type"],
                            j["request_id"], j["decision"], j["occurred_at"]};
                    e.micros = parseMicros(e.occurredAt);
                    e.meta = j["metadata_json"].is_object() ? j["metadata_json"] : nlohmann::json::object();
                    e.raw = raw;
                    m_events.push_back(std::move(e));
                }
            } else if (c == ']' && depth == 0)
                break;
        }
    }

    bool authorized(const QHttpServerRequest& r) {
        ++m_requests;
        const QByteArray auth = r.value("Authorization");
        m_authorizations.push_back(auth);
        return auth == "Bearer " + m_token && m_fault != Fault::Unauthorized;
    }

    // One-shot faults answer instead of the route; the next request is served normally.
    std::optional<QHttpServerResponse> fault() {
        if (m_fault == Fault::RateLimitedOnce && !m_faultUsed) {
            m_faultUsed = true;
            QHttpServerResponse r = error("rate_limited", 429);
            r.setHeader("Retry-After", "1");
            return r;
        }
        if (m_fault == Fault::ServerErrorOnce && !m_faultUsed) {
            m_faultUsed = true;
            return json(
                "{\"error\":\"internal_error\",\"error_description\":\"The service failed to process the "
                "request\",\"requestId\":\"fixture-fault\"}",
                QHttpServerResponse::StatusCode::InternalServerError);
        }
        return std::nullopt;
    }

    // CSV exports: the captured answer whose query has the same parameters (in any order), or the API's
    // invalid_fields for a field that is not an export field.
    QHttpServerResponse csvExport(const std::string& zone, const QUrlQuery& q) {
        for (const QString& f : q.queryItemValue("fields", QUrl::FullyDecoded).split(',', Qt::SkipEmptyParts))
            if (!csv::isExportField(f.toStdString())) return error("invalid_fields", 400);
        std::map<QString, QString> wanted;
        for (const auto& [k, v] : q.queryItems(QUrl::FullyDecoded))
            wanted[k] = v;
        for (const QString dir : {"demo", "probe"})
            for (const QString& meta : QDir(m_fixtures + "/" + dir).entryList({"*.meta.json"})) {
                const auto j = nlohmann::json::parse(read(dir + "/" + meta).toStdString());
                const QUrl url("http://x" + QString::fromStdString(j["path"].get<std::string>()));
                if (url.path().toStdString() != "/v1/zones/" + zone + "/audit") continue;
                std::map<QString, QString> captured;
                for (const auto& [k, v] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
                    captured[k] = v;
                if (captured != wanted) continue;
                const QByteArray body =
                    read(dir + "/" + QString::fromStdString(j["body_file"].get<std::string>()));
                QHttpServerResponse response(QByteArray::fromStdString(j["content_type"].get<std::string>()),
                                             body, QHttpServerResponse::StatusCode(j["status"].get<int>()));
                if (j["content_disposition"].is_string())
                    response.setHeader(
                        "Content-Disposition",
                        QByteArray::fromStdString(j["content_disposition"].get<std::string>()));
                return response;
            }
        return json("{\"error\":\"no capture answers this query\"}",
                    QHttpServerResponse::StatusCode::NotImplemented); // a test asked what was never captured
    }

    QHttpServerResponse list(const std::string& zone, const QHttpServerRequest& r) {
        if (!authorized(r)) return error("invalid_admin_token", 401);
        if (auto f = fault()) return std::move(*f);
        const QUrlQuery q = r.query();
        if (q.queryItemValue("format") == "csv") return csvExport(zone, q);
        auto value = [&](const char* k) { return q.queryItemValue(k, QUrl::FullyDecoded).toStdString(); };
        int limit = 100;
        if (q.hasQueryItem("limit")) {
            bool ok = false;
            limit = q.queryItemValue("limit").toInt(&ok);
            if (!ok || limit < 1 || limit > 1000) return error("invalid_query", 400);
        }
        const std::string decision = value("decision");
        if (!decision.empty() && decision != "allow" && decision != "deny" && decision != "partial")
            return error("invalid_query", 400);
        std::set<std::string> types;
        if (q.hasQueryItem("event_type")) {
            const QStringList list = q.queryItemValue("event_type").split(',');
            if (list.size() > 16) return error("invalid_query", 400);
            for (const auto& t : list)
                types.insert(t.toStdString());
        }
        int64_t since = INT64_MIN, until = INT64_MAX;
        for (const char* k : {"since", "until"})
            if (q.hasQueryItem(k)) {
                const std::string v = value(k);
                if (v.empty() || v.back() != 'Z' || v.size() < 20) return error("invalid_query", 400);
                (std::string(k) == "since" ? since : until) = parseMicros(v);
            }
        std::optional<std::pair<int64_t, std::string>> cursor;
        if (q.hasQueryItem("cursor")) {
            const QByteArray raw = QByteArray::fromBase64(q.queryItemValue("cursor").toUtf8(),
                                                          QByteArray::Base64UrlEncoding |
                                                              QByteArray::AbortOnBase64DecodingErrors);
            const auto j = nlohmann::json::parse(raw.toStdString(), nullptr, false);
            if (!j.is_object() || !j.contains("ts") || !j["ts"].is_string() ||
                j["ts"].get<std::string>().empty())
                return error("invalid_cursor", 400);
            cursor = std::pair{parseMicros(j["ts"]), j.value("id", std::string())};
        }
        std::vector<const Event*> page;
        for (const Event& e : m_events) {
            if (e.zone != zone) continue;
            if (q.hasQueryItem("request_id") && e.request != value("request_id")) continue;
            if (!decision.empty() && e.decision != decision) continue;
            if (!types.empty() && !types.count(e.type)) continue;
            auto meta = [&](const char* k) {
                return e.meta.contains(k) && e.meta[k].is_string() ? e.meta[k].get<std::string>() : "";
            };
            if (q.hasQueryItem("application_id") && meta("application_id") != value("application_id"))
                continue;
            if (q.hasQueryItem("session_id") && meta("agent_session_id") != value("session_id")) continue;
            if (q.hasQueryItem("authority_record_id") && meta("session_id") != value("authority_record_id"))
                continue;
            if (q.hasQueryItem("label")) {
                const auto& labels =
                    e.meta.contains("agent_labels") ? e.meta["agent_labels"] : nlohmann::json::array();
                if (std::find(labels.begin(), labels.end(), value("label")) == labels.end()) continue;
            }
            if (e.micros < since || e.micros >= until) continue;
            // (occurred_at, id) < (ts, id) with ts cut to the millisecond: same-millisecond rows are skipped.
            if (cursor && !(e.micros < cursor->first || (e.micros == cursor->first && e.id < cursor->second)))
                continue;
            page.push_back(&e);
            if (int(page.size()) == limit) break;
        }
        QByteArray body = "{\"items\":[";
        for (size_t i = 0; i < page.size(); ++i)
            body += (i ? "," : "") + page[i]->raw;
        body += "],\"next_cursor\":";
        if (int(page.size()) == limit || m_fault == Fault::EndlessCursor) {
            const std::string last = page.empty() ? "2026-11-14T00:00:00.000Z" : page.back()->occurredAt;
            static int endless = 0;
            const std::string id = page.empty() || m_fault == Fault::EndlessCursor
                                       ? "endless-" + std::to_string(++endless)
                                       : page.back()->id;
            const QByteArray c =
                QByteArray::fromStdString(nlohmann::ordered_json{{"ts", last}, {"id", id}}.dump());
            body += "\"" + c.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"";
        } else {
            body += "null";
        }
        body += "}";
        if (m_fault == Fault::CutOffPage) body.truncate(body.size() / 2);
        return json(body);
    }

    QHttpServerResponse byRequest(const std::string& zone, const std::string& id,
                                  const QHttpServerRequest& r) {
        if (!authorized(r)) return error("invalid_admin_token", 401);
        if (auto f = fault()) return std::move(*f);
        std::vector<const Event*> found;
        for (auto it = m_events.rbegin(); it != m_events.rend(); ++it)
            if (it->zone == zone && it->request == id) found.push_back(&*it);
        if (found.empty()) return error("request_not_found", 404);
        std::stable_sort(found.begin(), found.end(), [](auto* a, auto* b) { return a->micros < b->micros; });
        QByteArray body = "[";
        for (size_t i = 0; i < found.size(); ++i)
            body += (i ? "," : "") + found[i]->raw;
        return json(body + "]");
    }

    QHttpServerResponse explain(const std::string& zone, const std::string& id, const QHttpServerRequest& r) {
        if (!authorized(r)) return error("invalid_admin_token", 401);
        for (const QString dir : {"demo", "probe"})
            for (const QString& meta : QDir(m_fixtures + "/" + dir).entryList({"*explain*.meta.json"})) {
                const auto j = nlohmann::json::parse(read(dir + "/" + meta).toStdString());
                if (j["path"] == "/v1/zones/" + zone + "/audit/by-request/" + id + "/explain" &&
                    j["status"] == 200)
                    return json(read(dir + "/" + QString::fromStdString(j["body_file"].get<std::string>())));
            }
        return error("request_not_found", 404);
    }

    // The Go audit service: text errors, rows with chain fields, chain_seq cursors.
    QHttpServerResponse auditSearch(const QHttpServerRequest& r) {
        ++m_requests;
        if (r.value("Authorization") != "Bearer " + m_token)
            return QHttpServerResponse("text/plain; charset=utf-8", "unauthorized\n",
                                       QHttpServerResponse::StatusCode::Unauthorized);
        if (auto f = fault()) return std::move(*f);
        const QUrlQuery q = r.query();
        if (!q.hasQueryItem("zone_id"))
            return QHttpServerResponse("text/plain; charset=utf-8", "zone_id is required\n",
                                       QHttpServerResponse::StatusCode::BadRequest);
        const std::string zone = q.queryItemValue("zone_id").toStdString();
        const int64_t after = q.queryItemValue("cursor").toLongLong();
        const int limit =
            std::clamp(q.hasQueryItem("limit") ? q.queryItemValue("limit").toInt() : 100, 1, 1000);
        std::vector<const Event*> zoneEvents;
        for (auto it = m_events.rbegin(); it != m_events.rend(); ++it) // chain order: oldest first
            if (it->zone == zone) zoneEvents.push_back(&*it);
        QByteArray rows;
        int64_t seq = 0, last = 0;
        int n = 0;
        for (const Event* e : zoneEvents) {
            ++seq;
            if (seq <= after || n == limit) continue;
            if (q.hasQueryItem("request_id") && e->request != q.queryItemValue("request_id").toStdString())
                continue;
            rows += (n ? "," : "") + QByteArray("{\"Event\":") + e->raw +
                    ",\"IngestedAt\":\"2026-11-21T22:18:04.269123Z\","
                    "\"ContentSHA256\":\"" +
                    QByteArray(64, 'a') +
                    "\",\"PrevContentSHA256\":\"\",\"ChainHMAC\":\"\","
                    "\"ChainSeq\":" +
                    QByteArray::number(seq) + "}";
            last = seq;
            ++n;
        }
        if (n == 0) return json("{\"events\":null,\"next_cursor\":\"\"}");
        return json("{\"events\":[" + rows + "],\"next_cursor\":\"" + QByteArray::number(last) + "\"}");
    }

    QString m_fixtures;
    QByteArray m_token;
    QHttpServer m_server;
    QTcpServer m_silent, m_reset, m_slow;
    quint16 m_port = 0;
    std::vector<Event> m_events;
    Fault m_fault = Fault::None;
    bool m_faultUsed = false;
    int m_requests = 0;
    std::vector<QByteArray> m_authorizations;
};

} // namespace caracal::test
