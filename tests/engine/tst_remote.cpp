#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "ContractServer.h"
#include "TestSupport.h"
#include "load/EventLoader.h"
#include "load/StoreMerge.h"
#include "query/FilterQuery.h"
#include "remote/AuditListing.h"
#include "remote/FollowSchedule.h"
#include "trace/ExplainComparison.h"
#include "trace/RequestTrace.h"
#include "util/SourceBuffer.h"
#include "util/Timestamp.h"
#endif

#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

using namespace caracal;
using namespace caracal::test;
using Fault = ContractServer::Fault;

// The remote client against a contract server on 127.0.0.1 that answers as Caracal's captured responses do.
class RemoteTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const QString fixtures = QString(CARACAL_TEST_DATA) + "/caracal-api";
    const QByteArray token = "test-admin-token";
    std::unique_ptr<ContractServer> server;
    QString tokenFile;

    RemoteConnection connection(int pageLimit = 50) const {
        RemoteConnection c;
        c.apiBase = server->baseUrl().toStdString();
        c.auditUrl = server->baseUrl().toStdString();
        c.tokenFile = tokenFile.toStdString();
        c.pageLimit = pageLimit;
        c.connectTimeoutMs = 5000;
        return c;
    }
    RemoteFetcher fetcher(int pageLimit = 50) const {
        RemoteFetcher f(connection(pageLimit), token);
        f.setPauseScale(0.01); // retries keep their order and count, not their seconds
        return f;
    }

    QByteArray rawGet(const QString& pathAndQuery, const QByteArray& bearer) {
        RemoteConnection c = connection();
        c.maxAttempts = 1;
        RemoteFetcher f(c, bearer);
        return f.get(QUrl(server->baseUrl() + pathAndQuery), RemoteService::Api).body;
    }
    static void appendPage(EventStore& store, const QByteArray& bytes, int page) {
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&& b) { store.append(std::move(b)); };
        loadBuffer(SourceBuffer::fromBytes("page " + std::to_string(page), bytes.toStdString()), {}, cb);
    }
    static bool hasNote(const ListResult& r, const std::string& part) {
        return std::any_of(r.notes.begin(), r.notes.end(),
                           [&](const auto& n) { return n.find(part) != std::string::npos; });
    }

  private slots:
    void initTestCase() {
        server = std::make_unique<ContractServer>(fixtures, token);
        QVERIFY(server->baseUrl().endsWith(QString::number(QUrl(server->baseUrl()).port())));
        tokenFile = QString::fromStdString(writeFile(tmp, "admin-token", token.toStdString() + "\n"));
    }

    // The contract server answers each captured request with the captured bytes.
    void contractMatchesCaptures_data() {
        QTest::addColumn<QString>("capture");
        for (const char* name : {"demo/list-nofilter-page1",
                                 "demo/list-nofilter-page2",
                                 "demo/list-nofilter-page3",
                                 "demo/list-zone-demo-b-page1",
                                 "demo/list-zone-demo-b-page2",
                                 "demo/list-exact-limit-page1",
                                 "demo/list-exact-limit-page2",
                                 "demo/list-nofilter-default-limit",
                                 "demo/list-filter-request-id",
                                 "demo/list-filter-decision-deny",
                                 "demo/list-filter-event-type-multi",
                                 "demo/list-filter-event-type-single",
                                 "demo/list-filter-application-id",
                                 "demo/list-filter-session-id",
                                 "demo/list-filter-authority-record-id",
                                 "demo/list-filter-label",
                                 "demo/list-filter-since-until",
                                 "demo/list-filter-since-until-fractional",
                                 "demo/error-zone-does-not-exist-list",
                                 "probe/probe-list-all",
                                 "probe/probe-page1-limit1",
                                 "probe/probe-page2-limit1",
                                 "probe/probe-page3-limit1",
                                 "probe/probe-filter-session-id",
                                 "demo/by-request-te-allow-gateway-pair",
                                 "demo/by-request-step-up-issued-consumed",
                                 "demo/explain-te-deny-reason",
                                 "demo/error-limit-0",
                                 "demo/error-limit-5000",
                                 "demo/error-limit-not-a-number",
                                 "demo/error-decision-approved",
                                 "demo/error-event-type-17-types",
                                 "demo/error-invalid-cursor",
                                 "demo/error-invalid-cursor-wrong-shape",
                                 "demo/error-since-not-datetime",
                                 "demo/error-since-with-offset",
                                 "demo/error-unknown-request-id",
                                 "demo/error-request-id-of-other-zone",
                                 "demo/error-unknown-request-id-explain"})
            QTest::newRow(name) << name;
    }
    void contractMatchesCaptures() {
        QFETCH(QString, capture);
        const auto meta = nlohmann::json::parse(server->read(capture + ".meta.json").toStdString());
        const QByteArray expected = server->read(
            capture.section('/', 0, 0) + "/" + QString::fromStdString(meta["body_file"].get<std::string>()));
        QVERIFY(!expected.isEmpty());
        const QByteArray got = rawGet(QString::fromStdString(meta["path"].get<std::string>()), token);
        QCOMPARE(got, expected);
    }

    void authFailuresAnswerAlike() {
        const QByteArray expected = server->read("demo/error-no-token.json");
        QCOMPARE(rawGet("/v1/zones/zone-demo-a/audit?limit=1", "wrong"), expected);
        QCOMPARE(rawGet("/v1/zones/zone-demo-a/audit?limit=1", ""), expected);
        RemoteConnection c = connection();
        RemoteFetcher f(c, "wrong");
        const RemoteResponse r = f.get(apiUrl(c, "zone-demo-a", {}, {{"limit", "1"}}), RemoteService::Api);
        QVERIFY(r.error);
        QCOMPARE(r.error->code, std::string("invalid_admin_token"));
        QCOMPARE(r.attempts, 1); // a 401 is never retried
        QVERIFY(r.error->message.find("admin token") != std::string::npos);
        QVERIFY(!r.error->rows.empty());
    }

    // Paging reads every event once, a full last page's cursor leads to an empty page, and pages fill the
    // store.
    void pagingReadsEverything() {
        auto f = fetcher(50);
        EventStore store;
        std::vector<int> progressPages;
        ListResult r = listApiAudit(
            f, "zone-demo-a", {}, [&](const QByteArray& b, int page) { appendPage(store, b, page); },
            [&](int pages, size_t) { progressPages.push_back(pages); });
        store.finishLoading();
        QVERIFY(!r.error);
        QVERIFY(r.complete && !r.capped);
        QCOMPARE(r.pages, 3);
        QCOMPARE(r.events, size_t(143));
        QCOMPARE(store.size(), size_t(143));
        QCOMPARE(progressPages, (std::vector<int>{1, 2, 3}));
        QVERIFY(hasNote(r, "to the millisecond"));
        auto exact = fetcher(57);
        r = listApiAudit(exact, "zone-demo-b", {}, [](const QByteArray&, int) {});
        QCOMPARE(r.pages, 2); // 57 events, then the empty page the cursor leads to
        QCOMPARE(r.events, size_t(57));
        QVERIFY(r.complete);
    }

    // What the server can filter goes to the server; the rest stays local, and both together give the same
    // events as filtering the whole zone locally.
    void filterMapping() {
        const int64_t now = *parseRfc3339Micros("2026-11-20T00:00:00Z");
        auto parsed =
            parseFilter("decision:deny type:token_exchange label:finance session:s-1 authority:ar-1 "
                        "app:2c0f888a-0570-43c9-964a-cc45c33cb1a6 since:2026-11-14T00:00:20Z "
                        "app:payments-agent decision:pending resource:r* \"free text\"");
        QVERIFY(!parsed.error);
        const ServerFilter s = apiFilterFor(parsed.root.get(), now);
        const std::vector<std::pair<std::string, std::string>> want = {
            {"decision", "deny"},
            {"event_type", "token_exchange"},
            {"label", "finance"},
            {"session_id", "s-1"},
            {"authority_record_id", "ar-1"},
            {"application_id", "2c0f888a-0570-43c9-964a-cc45c33cb1a6"},
            {"since", "2026-11-14T00:00:20.000000Z"}};
        QCOMPARE(s.params, want);
        QCOMPARE(s.local.size(), size_t(4)); // an app name, decision:pending, a prefix, free text
        QVERIFY(apiFilterFor(parseFilter("type:step_up_issued OR type:step_up_consumed").root.get(), now)
                    .params == (std::vector<std::pair<std::string, std::string>>{
                                   {"event_type", "step_up_issued,step_up_consumed"}}));

        // Against the server: decision:deny type:token_exchange, then the rest locally.
        auto f = fetcher(1000);
        EventStore remote;
        const auto expr = parseFilter("decision:deny type:token_exchange -label:finance");
        listApiAudit(f, "zone-demo-a", apiFilterFor(expr.root.get(), now),
                     [&](const QByteArray& b, int p) { appendPage(remote, b, p); });
        remote.finishLoading();
        EventStore all;
        listApiAudit(f, "zone-demo-a", {}, [&](const QByteArray& b, int p) { appendPage(all, b, p); });
        all.finishLoading();
        auto run = [&](EventStore& store) {
            std::set<std::string> ids;
            for (RowId r : std::get<FilterQuery>(FilterQuery::compile(expr.root.get(), store, now)).run())
                ids.insert(store.eventId(r));
            return ids;
        };
        QVERIFY(remote.size() < all.size());
        QCOMPARE(run(remote), run(all));
        QVERIFY(!run(all).empty());
    }

    // Events sharing the cursor's millisecond are skipped by the server: the listing says so when it can see
    // it.
    void millisecondBoundary() {
        auto f = fetcher(2);
        const ListResult r = listApiAudit(f, "zone-probe", {}, [](const QByteArray&, int) {});
        QCOMPARE(r.events, size_t(3)); // probe-0003 shares page 1's last millisecond and is never returned
        QVERIFY(hasNote(r, "share its last millisecond"));
        QVERIFY(hasNote(r, "[redacted]"));
        // One event a page shows nothing to compare with: the skip happens unseen, as with Caracal's console.
        auto single = fetcher(1);
        QCOMPARE(listApiAudit(single, "zone-probe", {}, [](const QByteArray&, int) {}).events, size_t(2));
        QCOMPARE(
            decodeApiCursor("eyJ0cyI6IjIwMjYtMTEtMTRUMDE6MDA6MDAuNTAwWiIsImlkIjoicHJvYmUtMDAwMSJ9")->first,
            std::string("2026-11-14T01:00:00.500Z"));
        QVERIFY(!decodeApiCursor("not-a-cursor"));
    }

    void faults() {
        // 429 with Retry-After, then success: retried once after the pause the server asked for.
        server->setFault(Fault::RateLimitedOnce);
        auto f = fetcher(50);
        std::vector<int> pauses;
        f.onRetry([&](const RemoteError& e, int, int ms) {
            QCOMPARE(e.httpStatus, 429);
            pauses.push_back(ms);
        });
        RemoteResponse r =
            f.get(apiUrl(f.connection(), "zone-demo-b", {}, {{"limit", "5"}}), RemoteService::Api);
        QVERIFY(!r.error);
        QCOMPARE(r.attempts, 2);
        QCOMPARE(pauses, std::vector<int>{10}); // Retry-After: 1 s, scaled by the test's 0.01
        // 500 then success.
        f.onRetry({});
        server->setFault(Fault::ServerErrorOnce);
        r = f.get(apiUrl(f.connection(), "zone-demo-b", {}, {{"limit", "5"}}), RemoteService::Api);
        QVERIFY(!r.error);
        QCOMPARE(r.attempts, 2);
        // A page cut off in the middle.
        server->setFault(Fault::CutOffPage);
        ListResult l = listApiAudit(f, "zone-demo-a", {}, [](const QByteArray&, int) {});
        QVERIFY(l.error);
        QVERIFY(l.error->message.find("not complete JSON") != std::string::npos);
        // A cursor that never ends is stopped by the page cap.
        server->setFault(Fault::EndlessCursor);
        RemoteConnection capped = connection(50);
        capped.pageCap = 3;
        RemoteFetcher cf(capped, token);
        l = listApiAudit(cf, "zone-demo-b", {}, [](const QByteArray&, int) {});
        QVERIFY(l.capped && !l.complete);
        QCOMPARE(l.pages, 3);
        QVERIFY(hasNote(l, "page cap"));
        server->setFault(Fault::None);
        // An answer that never comes: a timeout after every attempt, said as such.
        RemoteConnection slow = connection();
        slow.apiBase = server->silentUrl().toStdString();
        slow.connectTimeoutMs = 200;
        slow.maxAttempts = 2;
        RemoteFetcher sf(slow, token);
        sf.setPauseScale(0.01);
        r = sf.get(apiUrl(slow, "zone-demo-a"), RemoteService::Api);
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, std::string("timeout"));
        QCOMPARE(r.attempts, 2);
        // A connection reset after the request was sent: retried, then said as a network failure.
        slow.apiBase = server->resetUrl().toStdString();
        RemoteFetcher resetting(slow, token);
        resetting.setPauseScale(0.01);
        r = resetting.get(apiUrl(slow, "zone-demo-a"), RemoteService::Api);
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, std::string("network"));
        QCOMPARE(r.attempts, 2);
        // A slow answer arriving in parts within the timeouts is read whole.
        slow.apiBase = server->slowUrl().toStdString();
        slow.connectTimeoutMs = 30000;
        RemoteFetcher patient(slow, token);
        r = patient.get(apiUrl(slow, "zone-demo-a"), RemoteService::Api);
        QVERIFY2(!r.error, r.error ? r.error->text().c_str() : "");
        QCOMPARE(r.body, server->read("demo/list-nofilter-page1.json"));
        // A refused connection: nothing listens there any more.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        slow.apiBase = "http://127.0.0.1:" + std::to_string(closed.serverPort());
        closed.close();
        RemoteFetcher rf(slow, token);
        rf.setPauseScale(0.01);
        r = rf.get(apiUrl(slow, "zone-demo-a"), RemoteService::Api);
        QCOMPARE(r.error->kind, std::string("network"));
        QVERIFY(r.error->message.find("Could not reach") != std::string::npos);
    }

    // Follow mode: a poll asks for what is newer than the newest loaded event (less an overlap) and adds only
    // events not loaded yet; the schedule backs off while the server fails.
    void followAddsOnlyNewEvents() {
        ContractServer live(fixtures, token);
        RemoteConnection c = connection(50);
        c.apiBase = live.baseUrl().toStdString();
        RemoteFetcher f(c, token);
        auto pollInto = [&](const EventStore& base) {
            return extendStore(base, [&](const LoadCallbacks& cb) {
                const auto zoneRows = base.rowsWith(Field::Zone, "zone-demo-a");
                const int64_t newest = zoneRows.empty() ? 0 : base.record(zoneRows.back()).occurredAt;
                const ListResult r =
                    listApiAudit(f, "zone-demo-a", followFilter({}, newest - 5'000'000),
                                 [&](const QByteArray& page, int index) {
                                     loadBuffer(SourceBuffer::fromBytes("poll " + std::to_string(index),
                                                                        page.toStdString()),
                                                {}, cb);
                                 });
                return !r.error;
            });
        };
        EventStore empty;
        empty.finishLoading();
        StoreExtension first = pollInto(empty);
        QVERIFY(first.store);
        QCOMPARE(first.counts.added, size_t(143));
        const size_t before = live.requests();
        StoreExtension quiet = pollInto(*first.store);
        QCOMPARE(quiet.counts.added, size_t(0)); // the overlap re-reads the last seconds; nothing is new
        QVERIFY(quiet.counts.kept > 0);
        QCOMPARE(live.requests(), before + 1); // one page: only the last five seconds were asked for
        live.addEvent(
            ContractServer::apiEvent("live-1", "zone-demo-a", "req-live", "2026-11-14T00:10:47.001Z"));
        live.addEvent(
            ContractServer::apiEvent("live-2", "zone-demo-a", "req-live", "2026-11-14T00:10:48.002Z"));
        StoreExtension grown = pollInto(*quiet.store);
        QCOMPARE(grown.counts.added, size_t(2));
        QCOMPARE(grown.store->eventCount(), size_t(145));
        QCOMPARE(grown.store->eventId(grown.store->timeOrder().back()), std::string("live-2"));
        QCOMPARE(grown.store->rowsWith(Field::RequestId, "req-live").size(), size_t(2));

        // A later since in the filter wins over the newest loaded time.
        ServerFilter userSince;
        userSince.params = {{"since", "2026-11-15T00:00:00Z"}, {"decision", "deny"}};
        const ServerFilter moved = followFilter(userSince, *parseRfc3339Micros("2026-11-14T00:00:00Z"));
        QCOMPARE(moved.params, userSince.params);
        const ServerFilter later = followFilter(userSince, *parseRfc3339Micros("2026-11-16T00:00:00.5Z"));
        QCOMPARE(later.params.front().second, std::string("2026-11-16T00:00:00.500000Z"));
    }

    // Caracal's explain beside ours: equal where the data is whole, and every difference named where the API
    // withheld what Caracal's explain reads raw.
    void explainComparedWithCaracals() {
        auto f = fetcher();
        auto ours = [&](const std::string& zone, const std::string& request) {
            EventStore store;
            const RemoteResponse r = fetchByRequest(f, zone, request);
            appendPage(store, r.body, 1);
            store.finishLoading();
            return traceToJson(*buildRequestTrace(store, zone, request), store);
        };
        for (const char* file :
             {"explain-te-deny-reason", "explain-te-allow-gateway-pair", "explain-step-up-issued-consumed"}) {
            const auto expected =
                nlohmann::ordered_json::parse(server->read("demo/" + QString(file) + ".json").toStdString());
            const std::string zone = expected["zone_id"], request = expected["request_id"];
            const CaracalExplain theirs = fetchCaracalExplain(f, zone, request);
            QVERIFY(!theirs.error);
            QVERIFY(theirs.trace == expected);
            const auto differences = compareExplain(ours(zone, request), theirs.trace);
            QVERIFY2(differences.empty(), differencesToJson(differences).dump().c_str());
        }
        const CaracalExplain probe = fetchCaracalExplain(f, "zone-probe", "probe-redaction");
        QVERIFY(!probe.error);
        const auto differences = compareExplain(ours("zone-probe", "probe-redaction"), probe.trace);
        QVERIFY(!differences.empty());
        bool sessionNamed = false;
        for (const auto& d : differences) {
            QVERIFY2(d.path.rfind("/denied/", 0) == 0, d.path.c_str());
            QVERIFY2(d.path.find("/policy_input/") != std::string::npos, d.path.c_str());
            QCOMPARE(d.ours, std::string("\"[redacted]\""));
            QVERIFY(d.why.find("withholds") != std::string::npos);
            sessionNamed = sessionNamed || d.path.find("/session_id") != std::string::npos;
        }
        QVERIFY(sessionNamed);
        // An event only one side has, and a different final decision.
        auto mine = ours("zone-probe", "probe-redaction");
        mine["final_decision"] = "allow";
        const std::string dropped = mine["events"][0]["id"];
        mine["events"].erase(0);
        const auto more = compareExplain(mine, probe.trace);
        auto find = [&](const std::string& path) {
            return std::find_if(more.begin(), more.end(), [&](const auto& d) { return d.path == path; });
        };
        QVERIFY(find("/final_decision") != more.end());
        QVERIFY(find("/events/" + dropped) != more.end());
        QCOMPARE(find("/events/" + dropped)->ours, std::string("(absent)"));
        QVERIFY(find("/events/" + dropped)->why.find("load the request again") != std::string::npos);
        const auto json = differencesToJson(more);
        QVERIFY(json.is_array() && !json.empty());
        // An unknown request: Caracal's 404 is an error value, not a trace.
        const CaracalExplain missing = fetchCaracalExplain(f, "zone-demo-a", "no-such-request");
        QVERIFY(missing.error);
        QCOMPARE(missing.error->code, std::string("request_not_found"));
    }

    // CSV exports come back byte for byte as the server sent them, with its file name and row count.
    void csvDownload() {
        auto f = fetcher();
        const std::vector<std::string> eight = {"id",         "occurred_at",    "event_type", "decision",
                                                "request_id", "application_id", "resource",   "reason"};
        CsvDownload d = downloadCsv(f, "zone-demo-a", {}, eight, 50);
        QVERIFY2(!d.error, d.error ? d.error->text().c_str() : "");
        QCOMPARE(d.body, server->read("demo/list-format-csv-fields.csv"));
        QCOMPARE(d.fileName, std::string("audit-zone-demo-a.csv"));
        QCOMPARE(d.rows, size_t(50));
        d = downloadCsv(f, "zone-demo-a", {}, {}, 50); // all 46 fields: none sent
        QCOMPARE(d.body, server->read("demo/list-format-csv.csv"));
        // The server filter goes along: the captured denies with ten fields.
        ServerFilter deny;
        deny.params = {{"decision", "deny"}};
        d = downloadCsv(f, "zone-demo-a", deny,
                        {"id", "occurred_at", "decision", "evaluation_status", "determining_policies",
                         "requested_scopes", "agent_labels", "delegation_hop_count", "latency_ms", "reason"},
                        100);
        QCOMPARE(d.body, server->read("demo/list-format-csv-fields-all-deny.csv"));
        QCOMPARE(d.rows, size_t(34));
        // Embedded line breaks in quoted cells are not rows.
        d = downloadCsv(f, "zone-probe", {},
                        {"id", "occurred_at", "reason", "method", "upstream_host", "application_name",
                         "latency_ms", "response_bytes", "gateway_status", "requested_scopes", "agent_labels",
                         "subject", "determining_policies"},
                        0);
        QVERIFY(!d.error);
        QCOMPARE(d.body, server->read("probe/probe-csv-fields.csv"));
        QCOMPARE(d.rows, size_t(4));
        // A field outside the 46 is refused before anything is sent.
        const int before = server->requests();
        d = downloadCsv(f, "zone-demo-a", {}, {"id", "metadata_json"}, 50);
        QVERIFY(d.error);
        QCOMPARE(d.error->code, std::string("invalid_fields"));
        QVERIFY(d.error->message.find("metadata_json") != std::string::npos);
        QCOMPARE(server->requests(), before);
    }

    void followScheduleBacksOff() {
        FollowSchedule s(10000);
        QCOMPARE(s.nextDelayMs(0.0), 10000);
        s.failed("HTTP 503");
        QCOMPARE(s.nextDelayMs(0.5), 20000);
        QCOMPARE(s.nextDelayMs(0.0), 15000);
        QCOMPARE(s.nextDelayMs(0.999), 24990);
        s.failed("HTTP 503");
        s.failed("HTTP 503");
        QCOMPARE(s.nextDelayMs(0.5), 80000);
        for (int i = 0; i < 20; ++i)
            s.failed("network");
        QCOMPARE(s.nextDelayMs(1.0), FollowSchedule::kMaxBackoffMs);
        QCOMPARE(s.lastFailure(), std::string("network"));
        s.succeeded();
        QCOMPARE(s.nextDelayMs(0.9), 10000);
        s.failed("rate limited", 120);
        QCOMPARE(s.nextDelayMs(0.5), 120000); // Retry-After beats a shorter backoff
        FollowSchedule slow(3600 * 1000);
        slow.failed("HTTP 503");
        QCOMPARE(slow.nextDelayMs(0.5), 3600 * 1000); // never more often than the interval
        s.setIntervalMs(10);
        QCOMPARE(s.intervalMs(), 1000); // at most once a second
    }

    // TLS is verified: a self-signed server is refused (and said so) until its certificate is the CA file.
    void tlsIsVerified() {
        const QString dir = QString(CARACAL_TEST_DATA) + "/tls";
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        const auto certs = QSslCertificate::fromPath(dir + "/test-server.pem");
        QVERIFY(!certs.isEmpty());
        conf.setLocalCertificate(certs.first());
        QFile keyFile(dir + "/test-server.key");
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        conf.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));
        QSslServer tls;
        tls.setSslConfiguration(conf);
        QVERIFY(tls.listen(QHostAddress::LocalHost));
        const QByteArray body = server->read("demo/list-nofilter-page1.json");
        QObject::connect(&tls, &QTcpServer::pendingConnectionAvailable, [&] {
            while (QTcpSocket* s = tls.nextPendingConnection())
                QObject::connect(s, &QTcpSocket::readyRead, s, [s, body] {
                    s->readAll();
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                    s->disconnectFromHost();
                });
        });
        RemoteConnection c = connection();
        c.apiBase = "https://127.0.0.1:" + std::to_string(tls.serverPort());
        c.maxAttempts = 1;
        RemoteFetcher untrusted(c, token);
        RemoteResponse r = untrusted.get(apiUrl(c, "zone-demo-a"), RemoteService::Api);
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, std::string("tls"));
        QVERIFY2(r.error->message.find("could not be verified") != std::string::npos,
                 r.error->message.c_str());
        QVERIFY(r.error->message.find("CA file") != std::string::npos);
        c.caFile = (dir + "/test-server.pem").toStdString();
        RemoteFetcher trusted(c, token);
        r = trusted.get(apiUrl(c, "zone-demo-a"), RemoteService::Api);
        QVERIFY2(!r.error, r.error ? r.error->text().c_str() : "");
        QCOMPARE(r.body, body);
        // A CA file that holds no certificate is an error before anything is sent.
        c.caFile = (dir + "/README.md").toStdString();
        RemoteFetcher broken(c, token);
        r = broken.get(apiUrl(c, "zone-demo-a"), RemoteService::Api);
        QVERIFY(r.error);
        QVERIFY(r.error->message.find("holds no PEM certificate") != std::string::npos);
    }

    void cancelAbortsAtOnce() {
        RemoteConnection slow = connection();
        slow.apiBase = server->silentUrl().toStdString();
        slow.connectTimeoutMs = 600000; // only the cancel can end it
        std::atomic<bool> cancel{false};
        RemoteFetcher f(slow, token);
        f.setCancel(&cancel);
        QTimer::singleShot(0, [&] { cancel = true; });
        const RemoteResponse r = f.get(apiUrl(slow, "zone-demo-a"), RemoteService::Api);
        QVERIFY(r.error);
        QCOMPARE(r.error->kind, std::string("cancelled"));
        QCOMPARE(r.attempts, 1);
    }

    void errorBodies_data() {
        QTest::addColumn<int>("service");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("capture");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("says");
        QTest::addColumn<bool>("retryable");
        const int api = int(RemoteService::Api), audit = int(RemoteService::Audit);
        QTest::newRow("401") << api << 401 << "demo/error-wrong-token.json"
                             << ""
                             << "invalid_admin_token"
                             << "admin token" << false;
        QTest::newRow("invalid_params") << api << 400 << "demo/error-invalid-request-id-space.json"
                                        << ""
                                        << "invalid_params"
                                        << "letters, digits" << false;
        QTest::newRow("invalid_query") << api << 400 << "demo/error-limit-0.json"
                                       << ""
                                       << "invalid_query"
                                       << "limit" << false;
        QTest::newRow("invalid_cursor") << api << 400 << "demo/error-invalid-cursor.json"
                                        << ""
                                        << "invalid_cursor"
                                        << "first page" << false;
        QTest::newRow("invalid_fields") << api << 400 << "demo/error-invalid-fields.json"
                                        << ""
                                        << "invalid_fields"
                                        << "46 export fields" << false;
        QTest::newRow("request_not_found") << api << 404 << "demo/error-unknown-request-id.json"
                                           << ""
                                           << "request_not_found"
                                           << "another zone" << false;
        QTest::newRow("500 internal_error") << api << 500 << "demo/error-cursor-unparseable-timestamp.json"
                                            << ""
                                            << "internal_error"
                                            << "retried" << true;
        QTest::newRow("Fastify 404") << api << 404 << "demo/error-invalid-request-id-raw-slash-explain.json"
                                     << ""
                                     << "route_not_found"
                                     << "base URL" << false;
        QTest::newRow("Fastify 414") << api << 414 << "demo/error-request-id-101-chars.json"
                                     << ""
                                     << "FST_ERR_MAX_PARAM_LENGTH"
                                     << "100 characters" << false;
        QTest::newRow("zone token") << api << 403 << ""
                                    << "{\"error\":\"admin_token_zone_mismatch\"}"
                                    << "admin_token_zone_mismatch"
                                    << "another zone" << false;
        QTest::newRow("rate limited") << api << 429 << ""
                                      << "{\"error\":\"rate_limited\"}"
                                      << "rate_limited"
                                      << "600 requests" << true;
        QTest::newRow("audit: no zone") << audit << 400 << ""
                                        << "zone_id is required\n"
                                        << "zone_id_required"
                                        << "needs a zone" << false;
        QTest::newRow("audit: token") << audit << 401 << ""
                                      << "unauthorized\n"
                                      << "unauthorized"
                                      << "refused the token" << false;
        QTest::newRow("audit: disabled") << audit << 404 << ""
                                         << "404 page not found\n"
                                         << "search_disabled"
                                         << "turned off" << false;
        QTest::newRow("audit: failed") << audit << 500 << ""
                                       << "search failed\n"
                                       << "search_failed"
                                       << "failed on its side" << true;
        QTest::newRow("proxy text") << api << 502 << ""
                                    << "<html>Bad gateway</html>"
                                    << ""
                                    << "502" << true;
    }
    void errorBodies() {
        QFETCH(int, service);
        QFETCH(int, status);
        QFETCH(QString, capture);
        QFETCH(QString, body);
        QFETCH(QString, code);
        QFETCH(QString, says);
        QFETCH(bool, retryable);
        const QByteArray bytes = capture.isEmpty() ? body.toUtf8() : server->read(capture);
        QVERIFY(!bytes.isEmpty());
        const RemoteError e = remoteErrorFromHttp(RemoteService(service), status, bytes.toStdString());
        QCOMPARE(QString::fromStdString(e.code), code);
        QVERIFY2(e.text().find(says.toStdString()) != std::string::npos, e.text().c_str());
        QCOMPARE(e.retryable, retryable);
    }

    void retryRules() {
        for (int s : {408, 425, 429, 500, 502, 503, 504})
            QVERIFY(isRetryableStatus(s));
        for (int s : {400, 401, 403, 404, 409, 414, 422})
            QVERIFY(!isRetryableStatus(s));
        QCOMPARE(parseRetryAfter("7", 0), std::optional<int>(7));
        QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), std::optional<int>(10));
        QVERIFY(!parseRetryAfter("soon", 0));
    }

    void tokensAndUrls() {
        RemoteConnection c;
        c.tokenFile = tokenFile.toStdString();
        QCOMPARE(loadAdminToken(c).token, token); // trailing newline trimmed
        c.tokenFile = (tmp.path() + "/missing").toStdString();
        QVERIFY(loadAdminToken(c).error.find("cannot read the token file") != std::string::npos);
        c.tokenFile.clear();
        c.tokenEnv = "CARACAL_TEST_TOKEN_VAR";
        qputenv("CARACAL_TEST_TOKEN_VAR", "from-env");
        QCOMPARE(loadAdminToken(c).token, QByteArray("from-env"));
        qunsetenv("CARACAL_TEST_TOKEN_VAR");
        QVERIFY(loadAdminToken(c).error.find("not set") != std::string::npos);
        QVERIFY(checkRemoteUrl("http://caracal.example.com", false)->find("plain http") != std::string::npos);
        QVERIFY(!checkRemoteUrl("http://caracal.example.com", true));
        QVERIFY(!checkRemoteUrl("http://127.0.0.1:3000", false));
        QVERIFY(!checkRemoteUrl("http://[::1]:3000", false));
        QVERIFY(!checkRemoteUrl("https://caracal.example.com", false));
        QVERIFY(checkRemoteUrl("https://user:pw@caracal.example.com", false));
        QVERIFY(checkRemoteUrl("ftp://x", false));
        // The token travels in the header only, and never into a log line.
        server->setFault(Fault::None);
        auto f = fetcher();
        f.get(apiUrl(f.connection(), "zone-demo-b", {}, {{"limit", "1"}}), RemoteService::Api);
        QCOMPARE(server->authorizations().back(), "Bearer " + token);
        const std::string log = describeRequestForLog(apiUrl(f.connection(), "zone-demo-b"));
        QVERIFY(log.find("Bearer [redacted]") != std::string::npos &&
                log.find(token.toStdString()) == std::string::npos);
    }

    // The audit service: chain fields, chain_seq cursors, a non-empty cursor on the last page, null at the
    // end.
    void auditService() {
        auto f = fetcher(20);
        EventStore store;
        ListResult r = listAuditService(f, "zone-demo-b", {},
                                        [&](const QByteArray& b, int p) { appendPage(store, b, p); });
        store.finishLoading();
        QVERIFY(!r.error);
        QVERIFY(r.complete);
        QCOMPARE(r.pages, 4); // 20 + 20 + 17, then "events": null
        QCOMPARE(store.size(), size_t(57));
        QVERIFY(store.eventJson(0).find("\"ChainSeq\":1") != std::string::npos);
        QVERIFY(hasNote(r, "last 24 hours"));
        r = listAuditService(f, "zone-demo-b", {"2026-11-13T00:00:00Z", "", "", "req-payments-b7f8"},
                             [](const QByteArray&, int) {});
        QVERIFY(!hasNote(r, "last 24 hours"));
        RemoteFetcher wrong(connection(), "nope");
        r = listAuditService(wrong, "zone-demo-b", {}, [](const QByteArray&, int) {});
        QCOMPARE(r.error->code, std::string("unauthorized"));
        QCOMPARE(f.get(QUrl(server->baseUrl() + "/api/audit/search"), RemoteService::Audit).error->code,
                 std::string("zone_id_required"));
    }

    // caracal-trace search/explain --api: the same client, the token from a file or the variable only.
    void commandLine() {
        auto run = [&](const QStringList& args,
                       const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
            QProcess p;
            p.setProcessEnvironment(env);
            QSignalSpy done(&p, &QProcess::finished);
            p.start(CARACAL_TRACE_BIN, args);
            if (!done.wait(60000)) return std::tuple<int, QByteArray, QByteArray>{-1, {}, {}};
            return std::tuple<int, QByteArray, QByteArray>{p.exitCode(), p.readAllStandardOutput(),
                                                           p.readAllStandardError()};
        };
        auto [exit, out, err] = run({"search", "--api", server->baseUrl(), "--zone", "zone-demo-a",
                                     "--token-file", tokenFile, "--request-id", "req-research-3398"});
        QCOMPARE(exit, 0);
        QCOMPARE(out.count('\n'), 2);
        QVERIFY(err.contains("millisecond"));
        QVERIFY(!out.contains(token) && !err.contains(token));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CARACAL_ADMIN_TOKEN", QString::fromUtf8(token));
        std::tie(exit, out, err) = run({"search", "--api", server->baseUrl(), "--zone", "zone-demo-b",
                                        "--filter", "decision:deny", "--format", "table"},
                                       env);
        QCOMPARE(exit, 0);
        QVERIFY(out.contains("deny"));
        env.remove("CARACAL_ADMIN_TOKEN");
        std::tie(exit, out, err) = run({"search", "--api", server->baseUrl(), "--zone", "zone-demo-a"}, env);
        QCOMPARE(exit, 2);
        QVERIFY(err.contains("no admin token"));
        std::tie(exit, out, err) =
            run({"search", "--api", "http://caracal.example.com", "--zone", "z", "--token-file", tokenFile});
        QCOMPARE(exit, 2);
        QVERIFY(err.contains("plain http"));
        std::tie(exit, out, err) = run({"search", "--api", server->baseUrl(), "--zone", "zone-demo-a",
                                        "--token-file", tmp.path() + "/missing"});
        QCOMPARE(exit, 2);
        const QString wrongToken = QString::fromStdString(writeFile(tmp, "wrong-token", "nope"));
        std::tie(exit, out, err) =
            run({"search", "--api", server->baseUrl(), "--zone", "zone-demo-a", "--token-file", wrongToken});
        QCOMPARE(exit, 2);
        QVERIFY(err.contains("invalid_admin_token"));
        QVERIFY(!err.contains("nope"));
        std::tie(exit, out, err) =
            run({"explain", "--api", server->baseUrl(), "--zone", "zone-demo-a", "--token-file", tokenFile,
                 "--request-id", "req-triage-ddfe", "--format", "json"});
        QCOMPARE(exit, 0);
        const auto mine = nlohmann::json::parse(out.toStdString());
        const auto caracal =
            nlohmann::json::parse(server->read("demo/explain-te-deny-reason.json").toStdString());
        QCOMPARE(mine["final_decision"].get<std::string>(), caracal["final_decision"].get<std::string>());
        QCOMPARE(mine["denied"].size(), caracal["denied"].size());
        QVERIFY(!mine.contains("caracal_differences"));
        std::tie(exit, out, err) =
            run({"explain", "--api", server->baseUrl(), "--zone", "zone-probe", "--token-file", tokenFile,
                 "--request-id", "probe-redaction", "--format", "json", "--compare"});
        QCOMPARE(exit, 0);
        const auto compared = nlohmann::json::parse(out.toStdString());
        QVERIFY(!compared["caracal_differences"].empty());
        QCOMPARE(compared["caracal_differences"][0]["ours"].get<std::string>(), std::string("[redacted]"));
        QVERIFY(compared["caracal_differences"][0].contains("why"));
        std::tie(exit, out, err) =
            run({"explain", "--api", server->baseUrl(), "--zone", "zone-demo-a", "--token-file", tokenFile,
                 "--request-id", "req-triage-ddfe", "--compare"});
        QCOMPARE(exit, 0);
        QVERIFY2(out.contains("Caracal's own explain says the same."), qPrintable(out));
        QVERIFY(!out.contains(token));
        std::tie(exit, out, err) = run({"explain", "--api", server->baseUrl(), "--zone", "zone-demo-a",
                                        "--token-file", tokenFile, "--request-id", "req-does-not-exist"});
        QCOMPARE(exit, 1);
        std::tie(exit, out, err) = run({"search", "--audit-url", server->baseUrl(), "--zone", "zone-demo-b",
                                        "--token-file", tokenFile, "--filter", "since:2026-11-01T00:00:00Z"});
        QCOMPARE(exit, 0);
        QCOMPARE(out.count('\n'), 57);
        QVERIFY(out.contains("\"ChainSeq\""));
    }
};

QTEST_GUILESS_MAIN(RemoteTest)
#include "tst_remote.moc"
