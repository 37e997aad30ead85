#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "graph/DelegationGraph.h"
#include "load/CsvExport.h"
#include "present/EventDetails.h"
#include "query/FilterParser.h"
#include "query/FilterQuery.h"
#include "remote/AuditListing.h"
#include "remote/FollowSchedule.h"
#include "remote/RemoteError.h"
#include "remote/RemoteFetcher.h"
#include "setup/ProfileCheck.h"
#include "setup/ReadinessCheck.h"
#include "trace/DiagnosticsOverview.h"
#include "trace/RequestTrace.h"
#include "util/RawJson.h"
#endif

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <fstream>
#include <variant>

using namespace caracal;
using namespace caracal::test;

// Each defect that coverage-guided fuzzing found, replayed from its regression input in tests/fuzz/corpus and
// held to the located error it must produce (the corpus replay only proves there is no crash).
class HostileTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    static std::string corpus(const std::string& harness, const std::string& name) {
        return std::string(CARACAL_FUZZ_CORPUS) + "/" + harness + "/" + name;
    }
    static std::string bytesOf(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static std::string reasonAt(const EventStore& s, uint32_t line) {
        for (const auto& b : s.badLines())
            if (b.line == line) return b.reason;
        return "(no report)";
    }
    static QStringList ids(const EventStore& s) {
        QStringList out;
        for (RowId r = 0; r < s.size(); ++r)
            out << QString::fromStdString(s.eventId(r));
        return out;
    }

  private slots:
    // Keys as Go's encoding/json reads them: escapes decoded, the last duplicate wins, in every reader.
    void escapedPageKeyIsThePage() {
        auto s = load({corpus("load", "regress-escaped-items-key.json")});
        QCOMPARE(ids(*s), (QStringList{"e1", "e2"}));
        QVERIFY(s->badLines().empty());
    }
    void escapedEventKeyIsASearchRow() {
        auto s = load({corpus("load", "regress-escaped-event-key.jsonl")});
        QCOMPARE(ids(*s), (QStringList{"e1", "e2"}));
        QVERIFY(s->record(0).flags & SearchRow);
        const auto ev = s->event(0);
        QCOMPARE(ev["id"].get<std::string>(), std::string("e1"));
        QCOMPARE(ev["IngestedAt"].get<std::string>(), std::string("2026-11-14T10:00:05Z"));
        QVERIFY(!s->eventJson(0).empty());
    }
    void lastDuplicateEventDecides() {
        auto s = load({corpus("load", "regress-duplicate-event-number.jsonl")});
        QCOMPARE(reasonAt(*s, 1), std::string("\"Event\" is not an object"));
        QCOMPARE(ids(*s), (QStringList{"e2"}));
    }
    void lastDuplicateIdDecides() {
        auto s = load({corpus("load", "regress-duplicate-event-nonstring-id.jsonl")});
        QCOMPARE(reasonAt(*s, 1), std::string("\"id\" is a number, not a string"));
        // Same microsecond: the sort compares ids, read by the byte scanner from the same (last) copy.
        QCOMPARE(ids(*s), (QStringList{"b", "c", "d2"}));
        for (RowId r = 0; r < s->size(); ++r)
            QCOMPARE(s->event(r)["id"].get<std::string>(), s->eventId(r));
        QCOMPARE(s->rowsWith(Field::Zone, "z1").size(), size_t(3));
    }
    void rawScannerDecodesKeys() {
        QCOMPARE(rawjson::member(R"({"\u0069d":"a","id":"b"})", "id").value_or(""),
                 std::string_view("\"b\""));
        QCOMPARE(rawjson::unescape(R"(\ud83d\ude00 \ud800 \u00e9)"),
                 std::string("\xF0\x9F\x98\x80 \xEF\xBF\xBD \xC3\xA9"));
        QVERIFY(rawjson::keyIs(R"(\u0045vent)", "Event"));
        QCOMPARE(rawjson::depthExceededAt(std::string(1025, '[')), size_t(1024));
        QCOMPARE(rawjson::depthExceededAt("[\"[[[[\"]", 2), std::string_view::npos);
    }

    // Fields of another type are skipped or shown as "?", never an uncaught nlohmann type_error.
    void wrongTypesAreShownNotThrown() {
        auto s = load({corpus("load", "regress-wrong-types.jsonl")});
        QCOMPARE(s->size(), size_t(3));
        for (RowId r = 0; r < s->size(); ++r) {
            const EventDetails d = describeEvent(s->event(r), "f", 1);
            QVERIFY(!d.label.empty());
        }
        const EventDetails d = describeEvent(s->event(1), "f", 2);
        bool sawStepUp = false, sawRisk = false, sawChain = false;
        for (const auto& g : d.groups)
            for (const auto& row : g.rows) {
                if (row.label.rfind("Step-up required (approval)", 0) == 0) {
                    sawStepUp = true;
                    QCOMPARE(row.values.size(), size_t(3));
                    QCOMPARE(row.values[0], std::string("? tier, approver operator, identified"));
                }
                if (row.label == "Risk") sawRisk = row.values.size() == 3 && row.values[0] == "?: ?";
                if (g.title == "Delegation chain" && row.label == "1. root issuer") sawChain = true;
            }
        QVERIFY(sawStepUp);
        QVERIFY(sawRisk);
        QVERIFY(sawChain);
        const auto trace = buildRequestTrace(*s, "z1", "r1");
        QVERIFY(trace);
        const auto j = traceToJson(*trace, *s);
        QCOMPARE(j["denied"][0]["evaluation_status"].get<std::string>(), std::string());
        QVERIFY(!traceToText(*trace, *s).empty());
        QVERIFY(!buildDiagnosticsOverview(*s).empty());
    }

    // Numbers beyond a double's range: a located error, the rest kept.
    void csvNumberOutOfRange() {
        const std::string path = tmp.path().toStdString() + "/audit-z1.csv";
        QVERIFY(QFile::copy(QString::fromStdString(corpus("csv", "regress-number-1e999.csv")),
                            QString::fromStdString(path)));
        auto s = load({path});
        QCOMPARE(ids(*s), (QStringList{"c2"}));
        const std::string reason = reasonAt(*s, 2);
        QVERIFY2(reason.find("\"response_bytes\" holds 1e999") != std::string::npos, reason.c_str());
        QVERIFY2(reason.find("range of a double") != std::string::npos, reason.c_str());
    }
    void coordinatorNumberOutOfRange() {
        DelegationGraph g;
        const MergeResult r =
            g.mergeCoordinator(bytesOf(corpus("coordinator", "regress-number-2e308.json")), "edges.json");
        const std::string error = r.error.value_or("");
        QVERIFY2(error.find("edges.json: not JSON (number overflow parsing '2e+308' at byte 91") == 0,
                 error.c_str());
    }
    void statusFileNumberOutOfRange() {
        const std::string text = bytesOf(corpus("setup", "regress-status-3e333.json")).substr(1);
        const ReadinessReport r = parseStatusJson(text, "status.json");
        const std::string error = r.error.value_or("");
        QVERIFY2(error.find("status.json: not JSON (number overflow parsing '3e333' at byte 60") == 0,
                 error.c_str());
    }
    void statusFileModeOfAnotherType() {
        const std::string text = bytesOf(corpus("setup", "regress-status-mode-number.json")).substr(1);
        const ReadinessReport r = parseStatusJson(text, "status.json");
        QCOMPARE(r.error.value_or(""),
                 std::string("status.json: \"mode\" is not a string; expected the output of "
                             "`caracal status --ready --json`"));
        // A port beyond 65535 is ignored, not cut to an int.
        const ReadinessReport ok =
            parseStatusJson(R"({"services":[{"name":"api","ok":true,"port":99999999999}]})", "s.json");
        QVERIFY(!ok.error);
        QCOMPARE(ok.services.at(0).port, ServiceReadiness{}.port);
    }

    // Relative filter times: checked before multiplying, with the limit in the message.
    void relativeTimeOverflow() {
        EventStore store;
        const auto compiled =
            FilterQuery::compile(bytesOf(corpus("filter", "regress-since-overflow.txt")), store, 0);
        const auto* e = std::get_if<FilterError>(&compiled);
        QVERIFY(e);
        QCOMPARE(e->position, size_t(0));
        QCOMPARE(e->message,
                 std::string("\"since:\" reaches back at most 36600 days (100 years), not \"106751992d\""));
        QCOMPARE(parseFilterTime("36600d", 0), std::optional<int64_t>(-int64_t(36600) * 86400 * 1000000));
        QCOMPARE(parseFilterTime("36601d", 0), std::nullopt);
        QCOMPARE(parseFilterTime("106751992d", 0), std::nullopt);
        QCOMPARE(parseFilterTime("9223372036854775807s", 0), std::nullopt);
    }

    // The filter parser's recursion is bounded: length and nesting limits are located errors.
    void filterLimits() {
        const ParsedFilter parens = parseFilter(bytesOf(corpus("filter", "regress-open-parens-16k.txt")));
        QVERIFY(parens.error);
        QCOMPARE(parens.error->text(), std::string("column 8193: the filter is longer than 8192 bytes"));
        const ParsedFilter dashes = parseFilter(bytesOf(corpus("filter", "regress-dashes-20k.txt")));
        QVERIFY(dashes.error);
        QCOMPARE(dashes.error->position, kMaxFilterLength);
        const ParsedFilter deep = parseFilter(std::string(65, '(') + "a" + std::string(65, ')'));
        QVERIFY(deep.error);
        QCOMPARE(deep.error->text(),
                 std::string("column 65: groups and negations nest deeper than 64 levels"));
        const ParsedFilter negations = parseFilter(std::string(100, '-') + "a");
        QVERIFY(negations.error);
        QCOMPARE(negations.error->position, size_t(64));
        QVERIFY(!parseFilter(std::string(64, '(') + "a" + std::string(64, ')')).error);
        QVERIFY(!parseFilter(std::string(63, '-') + "a").error);
    }

    // Constraints nested 50k deep inside a string, and a Coordinator document nested 50k deep.
    void deepJsonIsALocatedError() {
        DelegationGraph g;
        const MergeResult r = g.mergeCoordinator(
            bytesOf(corpus("coordinator", "regress-constraints-50k-deep.json")), "edges.json");
        QVERIFY(!r.error);
        QCOMPARE(r.edges, size_t(1));
        bool noted = false;
        for (const auto& n : g.notes())
            noted = noted || n.find("constraints_json is a string that is not JSON (nested deeper than 1024 "
                                    "levels at byte 5121)") != std::string::npos;
        QVERIFY(noted);
        DelegationGraph g2;
        const MergeResult deep =
            g2.mergeCoordinator(bytesOf(corpus("coordinator", "regress-document-50k-deep.json")), "d.json");
        QCOMPARE(deep.error.value_or(""),
                 std::string("d.json: not JSON (nested deeper than 1024 levels at byte 1025)"));
    }

    // A server's Retry-After is capped, however large, and never overflows.
    void retryAfterIsCapped() {
        QCOMPARE(parseRetryAfter("2147483", 0), std::optional<int>(kMaxRetryAfterSeconds));
        QCOMPARE(parseRetryAfter("2147483648", 0), std::optional<int>(kMaxRetryAfterSeconds));
        QCOMPARE(parseRetryAfter("99999999999999999999999", 0), std::optional<int>(kMaxRetryAfterSeconds));
        QCOMPARE(parseRetryAfter("-5", 0), std::optional<int>(0));
        QCOMPARE(parseRetryAfter("12", 0), std::optional<int>(12));
        QCOMPARE(parseRetryAfter("Fri, 01 Jan 2100 00:00:00 GMT", 1794650000),
                 std::optional<int>(kMaxRetryAfterSeconds));
        const auto [head, body] = [] {
            const std::string t = bytesOf(corpus("errorbody", "regress-retry-after-huge.txt"));
            return std::pair{t.substr(0, t.find('\n')), t.substr(t.find('\n') + 1)};
        }();
        const RemoteError e = remoteErrorFromHttp(RemoteService::Api, 429, body, head.substr(4), 0);
        QCOMPARE(e.retryAfterSeconds, std::optional<int>(kMaxRetryAfterSeconds));
        FollowSchedule schedule;
        schedule.failed("429", std::numeric_limits<int>::max());
        QCOMPARE(schedule.nextDelayMs(0.5), kMaxRetryAfterSeconds * 1000);
    }

    // A page whose last items carry a non-string occurred_at, with a next cursor: a page like any other.
    void serverPageWithOddTimes() {
        QHttpServer server;
        int calls = 0;
        server.route("/v1/zones/<arg>/audit", [&](const QString&) {
            ++calls;
            const char* body =
                calls == 1
                    ? R"({"items":[{"id":"a","zone_id":"z","occurred_at":"2026-11-14T10:00:00.000Z"},)"
                      R"({"id":"b","zone_id":"z","occurred_at":5},{"id":"c","zone_id":"z","occurred_at":5}],)"
                      R"("next_cursor":"eyJ0cyI6IngifQ"})"
                    : R"({"items":[],"next_cursor":null})";
            return QHttpServerResponse("application/json", body);
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        const std::string tokenPath = writeFile(tmp, "token", "t0ken");
        RemoteConnection c;
        c.apiBase = "http://127.0.0.1:" + std::to_string(port);
        c.tokenFile = tokenPath;
        c.maxAttempts = 1;
        RemoteFetcher fetcher(c, "t0ken");
        int pages = 0;
        const ListResult r =
            listApiAudit(fetcher, "z", ServerFilter{}, [&](const QByteArray&, int) { ++pages; });
        QVERIFY(!r.error);
        QVERIFY(r.complete);
        QCOMPARE(pages, 1);
        QCOMPARE(calls, 2);
    }

    // A long zone id in a profile: the client-secret path is built without std::regex.
    void longZoneIdInProfile() {
        SetupEnvironment env;
        env.home = "/home/u";
        QCOMPARE(defaultClientSecretPath(env, "a/b//c", "x y"),
                 std::string("/home/u/.config/caracal/runtime/a_b_c/x_y/client-secret"));
        const std::string longId = bytesOf(corpus("setup", "regress-profile-long-zone-id.toml"));
        const std::string zone(50000, 'z');
        // The run of "/" becomes one "_", which is trimmed at the end of a segment as Caracal's SDK does.
        QCOMPARE(defaultClientSecretPath(env, zone + "//", "a").size(),
                 std::string("/home/u/.config/caracal/runtime/").size() + 50000 + 16);
        const std::string path = writeFile(tmp, "caracal.toml", longId.substr(1));
        QFile::setPermissions(QString::fromStdString(path), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const ProfileReport report = checkProfile(env, path);
        QCOMPARE(report.zoneId.size(), size_t(50000));
    }
};

QTEST_MAIN(HostileTest)
#include "tst_hostile.moc"
