// The ledger read directly: a real PostgreSQL 15 started here holds Caracal's audit tables (roles, RLS, a
// monthly partition) with events inserted as the ingest inserts them. Every filter-table expression must give
// the file engine's answer; page boundaries inside one millisecond lose nothing; hostile values stay values;
// sessions are read-only, zone-scoped and time-limited; failures (server gone, cancel, wrong password, TLS)
// are reported, never shown as complete; verify finds an UPDATE.
#ifndef Q_MOC_RUN
#include "LedgerFixture.h"
#include "TestSupport.h"
#include "chain/Digest.h"
#include "ledger/LedgerConnection.h"
#include "ledger/LedgerProbe.h"
#include "ledger/LedgerQuery.h"
#include "ledger/LedgerSearch.h"
#include "ledger/LedgerStats.h"
#include "ledger/LedgerVerify.h"
#include "query/FilterQuery.h"
#include "trace/DiagnosticsOverview.h"
#include "util/Timestamp.h"
#endif

#include <QProcess>
#include <QTest>

using namespace caracal;
using Json = nlohmann::ordered_json;

namespace {

const char* kKeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The rows of tst_filter's table (expression, count over tests/data/filter-events.jsonl).
const std::vector<std::pair<const char*, int>> kFilterRows = {
    {"", 15},
    {"zone:zone-a", 8},
    {"zone:zone-b", 5},
    {"zone:nonexistent", 0},
    {"zone_id:zone-c", 2},
    {"request:req-1", 2},
    {"request:ctl-1", 1},
    {"type:token_exchange", 6},
    {"type:step_up_*", 3},
    {"type:gateway* OR type:run*", 3},
    {"decision:deny", 6},
    {"-decision:deny", 9},
    {"NOT type:token_exchange", 9},
    {"decision:deny zone:zone-a", 3},
    {"zone:zone-a AND decision:allow", 5},
    {"decision:deny OR decision:pending", 7},
    {"(zone:zone-b OR zone:zone-c) decision:deny", 3},
    {"-zone:zone-a -zone:zone-b", 2},
    {"status:scope_mismatch", 1},
    {"app:app-pay", 6},
    {"app:research-bot", 2},
    {"app:app-res", 5},
    {"app:payments-*", 4},
    {"session:s-1", 1},
    {"authority:ar-1", 1},
    {"resource:resource://ledger", 3},
    {"resource:resource://p*", 2},
    {"label:finance", 2},
    {"label:research", 2},
    {"reason:no_rule_matched", 1},
    {"reason:transport_error", 1},
    {"reason:provider_not_found", 1},
    {"reason:provider_unavailable", 1},
    {"reason:policy_eval_failed", 1},
    {"reason:\"missing control scope\"", 0},
    {"reason:\"looks fine\"", 0},
    {"deny_reason:no_rule_matched", 1},
    {"deny_reason:\"missing control scope\"", 1},
    {"deny_reason:p*", 2},
    {"deny_reason:policy_denied", 0},
    {"deny_reason:\"\"", 9},
    {"policy:caracal-payments-mint", 1},
    {"policy:caracal-*", 2},
    {"policy:psv-2", 4},
    {"policy:ps-1", 6},
    {"since:2026-11-14T10:10:00Z", 4},
    {"until:2026-11-14T10:01:00Z", 2},
    {"since:10m", 9},
    {"since:2026-11-14T10:00:00.5Z until:2026-11-14T10:01", 1},
    {"since:now", 0},
    {"quarterly", 1},
    {"Quarterly", 1},
    {"QUARTERLY", 0},
    {"\"opa eval\"", 1},
    {"resource://pipernet", 2},
    {"zone:zone-a (type:token_exchange OR type:run_launch) -decision:deny", 2},
    // Beyond the table: negations and ORs mixing pushed-down and local terms.
    {"-label:finance", 13},
    {"-reason:no_rule_matched zone:zone-a", 7},
    {"-deny_reason:scope_mismatch", 14},
    {"zone:zone-a -deny_reason:anomaly", 8},
    {"label:finance OR decision:deny", 7},
    {"-(zone:zone-a decision:allow)", 10},
    {"request:\"\"", 0},
};

std::vector<Json> readEvents(const std::string& path) {
    std::vector<Json> out;
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty()) out.push_back(Json::parse(line.toStdString()));
    return out;
}

// The ids of events matching `root`, in output order.
struct Found {
    std::vector<std::string> ids;
    LedgerSearchResult result;
};
Found ledgerIds(LedgerConnection& c, const std::string& expression, int64_t now, size_t pageRows = 3) {
    Found f;
    ParsedFilter parsed = parseFilter(expression);
    LedgerReadOptions o;
    o.pageRows = pageRows;
    f.result = searchLedgerEvents(c, parsed.root.get(), now, o, SIZE_MAX,
                                  [&](const EventStore& s, const std::vector<RowId>& rows) {
                                      for (RowId r : rows)
                                          f.ids.push_back(s.eventId(r));
                                  });
    return f;
}

struct Run {
    int exit = -1;
    QByteArray out, err;
};
Run trace(const QStringList& args,
          const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(CARACAL_TRACE_BIN, args);
    p.closeWriteChannel();
    p.waitForFinished(-1);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class LedgerTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::PgTestServer> pg;
    const std::string key = hexDecode(kKeyHex);
    QTemporaryDir dir;
    int64_t now = 0;
    size_t mainRows = 0;

    QString sql(const QString& statement) {
        QString out;
        if (!pg->run(statement, out)) qWarning("psql: %s", qPrintable(out));
        return out.trimmed();
    }
    // libpq connection strings: over the socket as a role, or over TCP.
    QString conn(const QString& db, const QString& user = "reader") const {
        return QString("host=%1 port=%2 dbname=%3 user=%4")
            .arg(pg->socketDir())
            .arg(pg->port())
            .arg(db, user);
    }
    bool open(LedgerConnection& c, const QString& db, const QString& user = "reader",
              const std::string& zone = {}, int timeoutMs = 60000) {
        LedgerOptions o;
        o.conninfo = conn(db, user).toStdString();
        o.zone = zone;
        o.statementTimeoutMs = timeoutMs;
        std::string e;
        const bool ok = c.open(o, e);
        if (!ok) qWarning("%s", e.c_str());
        return ok;
    }

  private slots:
    void initTestCase() {
        pg = std::make_unique<test::PgTestServer>();
        QVERIFY2(pg->ok(), qPrintable(pg->error()));
        QString error;
        // "filters": exactly the filter table's events. "postgres": generated events plus awkward ones.
        QVERIFY(!sql("CREATE DATABASE filters").contains("ERROR"));
        pg->setDatabase("filters");
        QVERIFY2(test::createLedger(*pg, error), qPrintable(error));
        QVERIFY2(test::insertLedgerEvents(*pg, readEvents(test::dataPath("filter-events.jsonl")), key, error),
                 qPrintable(error));
        pg->setDatabase("postgres");
        QVERIFY2(test::createLedger(*pg, error), qPrintable(error));
        std::vector<Json> events;
        for (auto& e : test::generatedEvents(5, 400))
            events.push_back(e);
        // 30 events inside one millisecond, 12 of them in the same microsecond.
        for (int i = 0; i < 30; ++i) {
            Json e = events[static_cast<size_t>(i)];
            e["id"] = "ms-" + std::to_string(100 - i); // ids run against time order
            e["zone_id"] = "zone-ms";
            e["occurred_at"] = "2026-11-20T08:00:00.123" + std::string(i < 12 ? "000" : "4") +
                               (i < 12 ? "" : std::to_string(10 + i)) + "Z";
            events.push_back(e);
        }
        QVERIFY2(test::insertLedgerEvents(*pg, events, key, error), qPrintable(error));
        mainRows = events.size();
        QCOMPARE(sql("SELECT count(*) FROM audit_events").toULongLong(), mainRows);
        now = *parseRfc3339Micros("2026-11-14T10:15:00Z");
    }

    void passwordsAreRefused_data() {
        QTest::addColumn<QString>("conninfo");
        QTest::newRow("keyword") << "host=127.0.0.1 dbname=caracal user=reader password=hunter2secret";
        QTest::newRow("quoted keyword") << "host=127.0.0.1 password='hunter2secret' user=reader";
        QTest::newRow("uri") << "postgresql://reader:hunter2secret@127.0.0.1:5432/caracal";
        QTest::newRow("uri query") << "postgres://127.0.0.1/caracal?user=reader&password=hunter2secret";
    }
    void passwordsAreRefused() {
        QFETCH(QString, conninfo);
        const auto refused = refuseConnectionString(conninfo.toStdString());
        QVERIFY(refused);
        QVERIFY(refused->find("hunter2secret") == std::string::npos);
        QVERIFY(refused->find(".pgpass") != std::string::npos);
        QVERIFY(refused->find("PGPASSFILE") != std::string::npos);
        for (const char* command : {"search", "stats", "verify"}) {
            const Run r = trace({command, "--pg", conninfo});
            QCOMPARE(r.exit, 2);
            QVERIFY(!r.err.contains("hunter2secret") && !r.out.contains("hunter2secret"));
            QVERIFY(r.err.contains("pgpass"));
        }
        QVERIFY(!refuseConnectionString("host=/tmp dbname=x user=y"));
        QVERIFY(!refuseConnectionString("service=caracal"));
        QVERIFY(refuseConnectionString("host='unterminated")); // not parseable: said, not sent
    }

    void filterCompilesToParameters() {
        auto parsed = parseFilter("zone:\"a' OR '1'='1\" type:token_* -decision:deny reason:x since:1h");
        auto compiled = compileLedgerFilter(parsed.root.get(), now);
        const auto& f = std::get<LedgerFilter>(compiled);
        QVERIFY(f.where.find("'1'") == std::string::npos); // the value is nowhere in the statement
        QCOMPARE(f.params.front(), std::string("a' OR '1'='1"));
        QVERIFY(!f.exact);
        QCOMPARE(f.local.size(), size_t(1)); // reason: only
        QVERIFY(describeLocalPart(f).find("reason:") != std::string::npos);
        auto exact = compileLedgerFilter(parseFilter("zone:a decision:deny").root.get(), now);
        QVERIFY(std::get<LedgerFilter>(exact).exact);
        QVERIFY(std::get<LedgerFilter>(exact).local.empty());
        // The deny reason rule has a SQL form: deny_reason: runs in the database, negated too.
        auto reason = compileLedgerFilter(parseFilter("-deny_reason:x deny_reason:no_*").root.get(), now);
        QVERIFY(std::get<LedgerFilter>(reason).exact);
        QVERIFY(std::get<LedgerFilter>(reason).local.empty());
        QCOMPARE(std::get<LedgerFilter>(reason).params.size(), size_t(2));
        // One term alone is the same text whether or not the parser grouped it.
        QCOMPARE(std::get<LedgerFilter>(compileLedgerFilter(parseFilter("zone:a").root.get(), now)).where,
                 std::get<LedgerFilter>(compileLedgerFilter(parseFilter("zone:a x").root.get(), now)).where);
        auto bad = compileLedgerFilter(parseFilter("since:yesterday").root.get(), now);
        QVERIFY(std::holds_alternative<FilterError>(bad));
    }

    void differentialAgainstFiles_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("count");
        for (const auto& [expr, n] : kFilterRows)
            QTest::newRow(expr) << QString(expr) << n;
    }
    void differentialAgainstFiles() {
        QFETCH(QString, expression);
        QFETCH(int, count);
        static std::unique_ptr<EventStore> files = test::load({test::dataPath("filter-events.jsonl")});
        auto compiled = FilterQuery::compile(expression.toStdString(), *files, now);
        QVERIFY(std::holds_alternative<FilterQuery>(compiled));
        std::vector<std::string> expected;
        for (RowId r : std::get<FilterQuery>(compiled).run())
            expected.push_back(files->eventId(r));
        QCOMPARE(int(expected.size()), count); // the table itself still holds
        LedgerConnection c;
        QVERIFY(open(c, "filters"));
        const Found f = ledgerIds(c, expression.toStdString(), now);
        QVERIFY2(f.result.read.error.empty(), f.result.read.error.c_str());
        QVERIFY(f.result.read.complete);
        QCOMPARE(f.ids, expected);
    }

    void denyReasonCountsMatchTheOverview() {
        // The Diagnostics overview's deny reasons, counted by the server, equal the file engine's groups.
        static std::unique_ptr<EventStore> files = test::load({test::dataPath("filter-events.jsonl")});
        std::map<std::string, uint64_t> expected;
        for (const OverviewGroup& g : buildDiagnosticsOverview(*files))
            if (g.kind == "deny_reasons")
                for (const OverviewItem& i : g.items)
                    expected[i.label] = i.rows.size();
        QCOMPARE(expected.size(), size_t(6));
        LedgerConnection c;
        QVERIFY(open(c, "filters"));
        std::string e;
        const auto all = ledgerDenyReasonCounts(c, LedgerFilter{}, e);
        QVERIFY2(all, e.c_str());
        QCOMPARE(*all, expected);
        // Under a filter, only its rows: zone-a's three denies.
        auto zoneA = std::get<LedgerFilter>(compileLedgerFilter(parseFilter("zone:zone-a").root.get(), now));
        const auto some = ledgerDenyReasonCounts(c, zoneA, e);
        QVERIFY2(some, e.c_str());
        uint64_t n = 0;
        for (const auto& [code, count] : *some)
            n += count;
        QCOMPARE(n, uint64_t(3));
        // Merged into an overview of fewer loaded rows: the loaded counts stay, the server's stand beside
        // them, and reasons only the server holds are listed with their filter.
        std::vector<RowId> oneDeny;
        for (RowId r = 0; r < RowId(files->size()) && oneDeny.empty(); ++r)
            if (files->field(r, Field::Decision) == "deny") oneDeny.push_back(r);
        auto groups = buildDiagnosticsOverview(*files, oneDeny);
        addServerDenyReasons(groups, *all);
        const OverviewGroup& deny = groups.front();
        QCOMPARE(deny.kind, std::string("deny_reasons"));
        QCOMPARE(deny.total(), size_t(1));
        QCOMPARE(*deny.serverTotal, uint64_t(6));
        QCOMPARE(deny.items.size(), size_t(6));
        QCOMPARE(deny.items.front().rows.size(), size_t(1)); // the loaded one first
        for (const OverviewItem& i : deny.items) {
            QCOMPARE(*i.server, expected[i.label]);
            QVERIFY(i.filter.rfind("deny_reason:", 0) == 0);
        }
    }

    void statsAndSearchCliMatchFiles() {
        const QString file = QString::fromStdString(test::dataPath("filter-events.jsonl"));
        const Run fromFile = trace({"stats", "--format", "json", file});
        const Run fromLedger = trace({"stats", "--format", "json", "--pg", conn("filters")});
        QCOMPARE(fromLedger.exit, 0);
        QVERIFY2(Json::parse(fromLedger.out.toStdString()) == Json::parse(fromFile.out.toStdString()),
                 fromLedger.out.constData());
        const Run zoneOnly =
            trace({"stats", "--format", "json", "--zone", "zone-b", "--pg", conn("filters")});
        QCOMPARE(Json::parse(zoneOnly.out.toStdString())["events"].get<int>(), 5);

        auto ids = [](const QByteArray& jsonl) {
            QStringList out;
            for (const QByteArray& line : jsonl.split('\n'))
                if (!line.isEmpty()) out << QString::fromStdString(Json::parse(line.toStdString())["id"]);
            return out;
        };
        const QStringList args = {"search", "--zone", "zone-a", "--filter", "-decision:deny"};
        const Run a = trace(args + QStringList{file});
        const Run b = trace(args + QStringList{"--pg", conn("filters")});
        QCOMPARE(b.exit, 0);
        QCOMPARE(ids(b.out), ids(a.out));
        QCOMPARE(ids(b.out).size(), 5);
        // The table: one title line, then the rows (later pages print no title of their own).
        const Run table = trace({"search", "--format", "table", "--pg", conn("filters")});
        QCOMPARE(table.exit, 0);
        QCOMPARE(table.out.count("OCCURRED (UTC)"), 1);
        QCOMPARE(table.out.count('\n'), 16);
        const Run limited = trace({"search", "--limit", "2", "--pg", conn("filters")});
        QCOMPARE(ids(limited.out).size(), 2);
        const Run local = trace({"search", "--filter", "reason:no_rule_matched", "--pg", conn("filters")});
        QCOMPARE(ids(local.out), QStringList{"e03"});
        QVERIFY(local.err.contains("applied here")); // said that it ran locally
        const Run none =
            trace({"search", "--zone", "zone-a", "--filter", "decision:nothing", "--pg", conn("filters")});
        QCOMPARE(none.exit, 1);
        QVERIFY(none.out.isEmpty());

        // explain: the same trace as from the file.
        const Run ef = trace({"explain", "--request-id", "req-1", "--format", "json", file});
        const Run el =
            trace({"explain", "--request-id", "req-1", "--format", "json", "--pg", conn("filters")});
        QCOMPARE(el.exit, 0);
        const Json jf = Json::parse(ef.out.toStdString()), jl = Json::parse(el.out.toStdString());
        for (const char* k : {"request_id", "zone_id", "final_decision"})
            QVERIFY2(jl[k] == jf[k], k);
        QCOMPARE(jl["events"].size(), jf["events"].size());
        QCOMPARE(trace({"explain", "--request-id", "nope", "--pg", conn("filters")}).exit, 1);
    }

    void sharedMillisecondAcrossPages() {
        LedgerConnection c;
        QVERIFY(open(c, "postgres"));
        for (size_t pageRows : {size_t(1), size_t(4), size_t(7), size_t(100)}) {
            const Found f = ledgerIds(c, "zone:zone-ms", now, pageRows);
            QVERIFY(f.result.read.complete);
            QCOMPARE(f.ids.size(), size_t(30));
            // (occurred_at, id): the 12 at .123000 by id, then the others by their microsecond.
            QString expect;
            QString out;
            const QString sqlOrder = sql(
                "SELECT string_agg(id, ',' ORDER BY occurred_at, id COLLATE \"C\") FROM audit_events WHERE "
                "zone_id = 'zone-ms'");
            for (const auto& id : f.ids)
                out += (out.isEmpty() ? "" : ",") + QString::fromStdString(id);
            QCOMPARE(out, sqlOrder);
            if (pageRows == 4) QVERIFY(f.result.read.pages >= 8);
        }
        // Keyset resumption inside the shared millisecond (and the shared microsecond): read k rows, then
        // "after (occurred_at, id)" of the last one; together exactly the 30, once each, in order.
        auto zoneOnly = compileLedgerFilter(parseFilter("zone:zone-ms").root.get(), now);
        const LedgerFilter& filter = std::get<LedgerFilter>(zoneOnly);
        for (size_t k : {size_t(1), size_t(5), size_t(12), size_t(13), size_t(29)}) {
            std::vector<std::string> ids;
            auto collect = [&](std::string&& lines, size_t) {
                for (const auto& line : QByteArray::fromStdString(lines).split('\n'))
                    if (!line.isEmpty()) ids.push_back(Json::parse(line.toStdString())["id"]);
                return true;
            };
            LedgerReadOptions first;
            first.rowCap = k;
            const LedgerReadResult a = readLedgerEvents(c, filter, first, collect);
            QVERIFY(a.capped);
            LedgerReadOptions rest;
            rest.after = std::make_pair(a.lastMicros, a.lastId);
            const LedgerReadResult b = readLedgerEvents(c, filter, rest, collect);
            QVERIFY(b.complete);
            QCOMPARE(ids.size(), size_t(30));
            QString joined;
            for (const auto& id : ids)
                joined += (joined.isEmpty() ? "" : ",") + QString::fromStdString(id);
            QCOMPARE(joined, sql("SELECT string_agg(id, ',' ORDER BY occurred_at, id COLLATE \"C\") FROM "
                                 "audit_events WHERE zone_id = 'zone-ms'"));
        }
    }

    void injectionStaysAValue_data() {
        QTest::addColumn<QString>("value");
        QTest::newRow("quote") << "zone-a' OR '1'='1";
        QTest::newRow("comment") << "zone-a'; --";
        QTest::newRow("statement") << "x'); DROP TABLE audit_events; --";
        QTest::newRow("dollar") << "$1) OR TRUE OR ($1";
        QTest::newRow("dollar quote") << "$$ OR TRUE $$";
        QTest::newRow("like wildcards") << "%";
        QTest::newRow("backslash") << "zone-a\\' OR 1=1 --";
        QTest::newRow("jsonb op") << "finance' OR metadata_json ? 'x";
    }
    void injectionStaysAValue() {
        QFETCH(QString, value);
        LedgerConnection c;
        QVERIFY(open(c, "filters"));
        std::string quoted = value.toStdString();
        for (size_t at = 0; (at = quoted.find('"', at)) != std::string::npos; at += 2)
            quoted.replace(at, 1, "\\\"");
        for (const char* key : {"zone", "request", "type", "decision", "status", "app", "session",
                                "authority", "resource", "label", "policy", "reason"}) {
            for (const std::string& suffix : {std::string(), std::string("*")}) {
                const std::string expr = std::string(key) + ":\"" + quoted + "\"" + suffix;
                const Found f = ledgerIds(c, expr, now);
                QVERIFY2(f.result.read.error.empty(), (expr + ": " + f.result.read.error).c_str());
                QVERIFY2(f.ids.empty(), expr.c_str());
            }
        }
        for (const char* option : {"--request-id", "--zone"}) {
            const Run r = trace({"search", option, value, "--pg", conn("filters")});
            QCOMPARE(r.exit, 1);
            QVERIFY(r.out.isEmpty());
            QVERIFY(!r.err.contains("SELECT") && !r.err.contains("syntax"));
            const Run e = trace({"explain", "--request-id", value, "--pg", conn("filters")});
            QCOMPARE(e.exit, 1);
            QVERIFY(!e.err.contains("SELECT") && !e.err.contains("syntax"));
        }
        pg->setDatabase("filters");
        QCOMPARE(sql("SELECT count(*) FROM audit_events"), QString("15")); // nothing dropped
        pg->setDatabase("postgres");
    }

    void rowLevelSecurity() {
        {
            LedgerConnection c; // one zone: RLS itself narrows the session
            QVERIFY(open(c, "filters", "reader", "zone-b"));
            QCOMPARE(c.zone(), std::string("zone-b"));
            const Found f = ledgerIds(c, "", now);
            QCOMPARE(f.ids.size(), size_t(5));
            std::string e;
            QCOMPARE(ledgerZoneCounts(c, e)->size(), size_t(1));
        }
        {
            LedgerConnection c;
            QVERIFY(open(c, "filters", "reader"));
            QCOMPARE(c.zone(), std::string("*"));
            std::string e;
            const auto counts = ledgerZoneCounts(c, e);
            QVERIFY(counts);
            QCOMPARE(counts->at("zone-a"), uint64_t(8));
            QCOMPARE(counts->at("zone-c"), uint64_t(2));
            // No zone set at all: the policy hides everything, and the message says so.
            QVERIFY(c.query("SELECT set_config('caracal.zone_id', '', false)", {}, e));
            QCOMPARE(ledgerIds(c, "", now).ids.size(), size_t(0));
            QVERIFY(c.whyNothingVisible().find("caracal.zone_id is not set") != std::string::npos);
        }
        const Run other = trace({"search", "--zone", "zone-none", "--pg", conn("filters")});
        QCOMPARE(other.exit, 1);
        QVERIFY2(other.err.contains("only zone zone-none"), other.err.constData());
        const Run stats = trace({"stats", "--zone", "zone-none", "--pg", conn("filters")});
        QCOMPARE(stats.exit, 1);
        QVERIFY(stats.err.contains("row-level security"));
        // A role without SELECT: a clear refusal naming the privilege, exit 2.
        const Run nobody = trace({"search", "--pg", conn("filters", "nobody")});
        QCOMPARE(nobody.exit, 2);
        QVERIFY2(nobody.err.contains("permission denied") && nobody.err.contains("caracalapi"),
                 nobody.err.constData());
    }

    void probeReportsEachStep() {
        LedgerOptions o;
        o.conninfo = conn("filters").toStdString();
        LedgerProbe p = probeLedger(o);
        QVERIFY2(p.problem.empty(), p.problem.c_str());
        QVERIFY(p.reachable && p.authenticated && p.readOnly);
        QCOMPARE(p.rowsPerZone.size(), size_t(3));
        QCOMPARE(p.rowsPerZone.at("zone-b"), uint64_t(5));
        QVERIFY(p.summary().find("zone-b: 5") != std::string::npos);
        o.zone = "zone-none";
        p = probeLedger(o);
        QVERIFY(p.authenticated && p.rowsPerZone.empty());
        QVERIFY(p.problem.find("row-level security") != std::string::npos);
        o.conninfo = conn("filters", "nosuchrole").toStdString();
        p = probeLedger(o);
        QVERIFY(p.reachable && !p.authenticated && !p.problem.empty());
        o.conninfo = QString("host=%1 port=1 dbname=x user=y").arg(pg->socketDir()).toStdString();
        p = probeLedger(o);
        QVERIFY(!p.reachable && !p.problem.empty());
    }

    void sessionIsReadOnly() {
        LedgerConnection c;
        QVERIFY(open(c, "filters", "ingest")); // caracalaudit may INSERT: only the session stops it
        std::string e;
        QVERIFY(
            !c.query("INSERT INTO audit_events (id, zone_id, event_type, occurred_at) VALUES ('x', 'zone-a', "
                     "'t', now())",
                     {}, e));
        QVERIFY2(e.find("read-only") != std::string::npos, e.c_str());
        QVERIFY(e.find("INSERT INTO") == std::string::npos); // the statement is not quoted back
        LedgerConnection su;
        QVERIFY(open(su, "filters", "postgres"));
        QVERIFY(!su.query("UPDATE audit_events SET decision = 'allow'", {}, e));
        QVERIFY(e.find("read-only") != std::string::npos);
        pg->setDatabase("filters");
        QCOMPARE(sql("SELECT count(*) FROM audit_events WHERE id = 'x'"), QString("0"));
        pg->setDatabase("postgres");
    }

    void statementTimeout() {
        LedgerConnection c;
        QVERIFY(open(c, "filters", "reader", {}, 50));
        std::string e;
        QVERIFY(!c.query("SELECT pg_sleep(30)", {}, e));
        QVERIFY2(e.find("statement timeout") != std::string::npos, e.c_str());
        QVERIFY(!c.lost()); // the session survives a timed-out statement
        QVERIFY(c.query("SELECT 1", {}, e));
    }

    void cancelStopsReading() {
        LedgerConnection c;
        QVERIFY(open(c, "postgres"));
        std::atomic<bool> cancel{false};
        LedgerReadOptions o;
        o.pageRows = 10;
        o.cancel = &cancel;
        o.progress = [&](size_t) { cancel = true; };
        size_t seen = 0;
        const LedgerReadResult r = readLedgerEvents(c, LedgerFilter{}, o, [&](std::string&&, size_t n) {
            seen += n;
            return true;
        });
        QVERIFY(r.cancelled);
        QVERIFY(!r.complete);
        QCOMPARE(seen, size_t(10));
        // A row cap: stops, knows more remain, and how many the server holds.
        std::atomic<bool> never{false};
        o.cancel = &never;
        o.progress = {};
        o.rowCap = 25;
        const LedgerReadResult capped =
            readLedgerEvents(c, LedgerFilter{}, o, [](std::string&&, size_t) { return true; });
        QVERIFY(capped.capped);
        QCOMPARE(capped.rows, size_t(25));
        std::string e;
        QCOMPARE(*countLedgerEvents(c, LedgerFilter{}, e), uint64_t(mainRows));
        // Verify cancelled part way: no verdict.
        LedgerVerifyOptions v;
        v.key = key;
        std::atomic<bool> stop{false};
        v.cancel = &stop;
        v.progress = [&](size_t rows) {
            if (rows > 0) stop = true;
        };
        VerifyReport report;
        QVERIFY(!verifyLedger(c, v, report, e));
        QVERIFY(e.find("incomplete") != std::string::npos);
    }

    void wrongPasswordIsExitTwo() {
        QVERIFY(!sql("CREATE ROLE pwuser LOGIN PASSWORD 'right-horse-battery' IN ROLE caracalapi")
                     .contains("ERROR"));
        // Password logins for that role over TCP (the rest of the cluster stays trust).
        const QString hba = pg->dataDirectory() + "/pg_hba.conf";
        QFile f(hba);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray old = f.readAll();
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("host all pwuser 127.0.0.1/32 scram-sha-256\n" + old);
        f.close();
        QVERIFY(pg->giveToServer(hba));
        sql("SELECT pg_reload_conf()");
        const QString tcp = QString("host=127.0.0.1 port=%1 dbname=filters user=pwuser").arg(pg->port());
        const QString passFile = dir.path() + "/pgpass";
        auto withPassword = [&](const QString& password) {
            QFile p(passFile);
            p.open(QIODevice::WriteOnly | QIODevice::Truncate);
            p.write(QString("127.0.0.1:%1:filters:pwuser:%2\n").arg(pg->port()).arg(password).toUtf8());
            p.close();
            p.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("PGPASSFILE", passFile);
            return env;
        };
        // The reload is asynchronous: wait until the server asks this role for a password.
        QTRY_VERIFY_WITH_TIMEOUT(trace({"stats", "--pg", tcp}, withPassword("not-the-password-zz")).exit ==
                                         2 &&
                                     trace({"stats", "--pg", tcp}, withPassword("not-the-password-zz"))
                                         .err.contains("refused the login"),
                                 20000);
        const Run wrong = trace({"search", "--pg", tcp}, withPassword("not-the-password-zz"));
        QCOMPARE(wrong.exit, 2);
        QVERIFY2(wrong.err.contains("password authentication failed"), wrong.err.constData());
        QVERIFY(!wrong.err.contains("not-the-password-zz") && !wrong.out.contains("not-the-password-zz"));
        QProcessEnvironment none = QProcessEnvironment::systemEnvironment();
        none.insert("PGPASSFILE", dir.path() + "/no-such-file");
        const Run missing = trace({"stats", "--pg", tcp}, none);
        QCOMPARE(missing.exit, 2);
        QVERIFY2(missing.err.contains("no password was found") || missing.err.contains("none was found"),
                 missing.err.constData());
        const Run right =
            trace({"stats", "--format", "json", "--pg", tcp}, withPassword("right-horse-battery"));
        QCOMPARE(right.exit, 0);
        QVERIFY(!right.err.contains("right-horse-battery") && !right.out.contains("right-horse-battery"));
        QCOMPARE(Json::parse(right.out.toStdString())["events"].get<int>(), 15);
    }

    void tlsVerifyFull() {
        // A self-signed certificate for 127.0.0.1, made here.
        const QString crt = pg->dataDirectory() + "/server.crt",
                      keyPath = pg->dataDirectory() + "/server.key";
        QProcess openssl;
        openssl.start("openssl",
                      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", crt,
                       "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
        QVERIFY(openssl.waitForFinished(-1));
        QCOMPARE(openssl.exitCode(), 0);
        QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(pg->giveToServer(crt) && pg->giveToServer(keyPath));
        const QString otherCrt = dir.path() + "/other.crt";
        QProcess other;
        other.start("openssl",
                    {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path() + "/other.key",
                     "-out", otherCrt, "-days", "2", "-subj", "/CN=127.0.0.1"});
        QVERIFY(other.waitForFinished(-1));
        QVERIFY(!sql("ALTER SYSTEM SET ssl = on").contains("ERROR"));
        sql("SELECT pg_reload_conf()");
        const QString tls = QString("host=127.0.0.1 port=%1 dbname=filters user=reader sslmode=verify-full "
                                    "sslrootcert=%2")
                                .arg(pg->port());
        auto tryOpen = [&](const QString& root, std::string& error) {
            LedgerConnection c;
            LedgerOptions o;
            o.conninfo = tls.arg(root).toStdString();
            return c.open(o, error) && c.usesTls();
        };
        std::string error;
        QTRY_VERIFY_WITH_TIMEOUT(tryOpen(crt, error), 20000);
        const Run r = trace({"stats", "--format", "json", "--pg", tls.arg(crt)});
        QCOMPARE(r.exit, 0);
        QCOMPARE(Json::parse(r.out.toStdString())["events"].get<int>(), 15);
        // Another certificate as the root: refused, with the reason.
        QVERIFY(!tryOpen(otherCrt, error));
        QVERIFY2(error.find("certificate") != std::string::npos, error.c_str());
        QCOMPARE(trace({"stats", "--pg", tls.arg(otherCrt)}).exit, 2);
    }

    void verifyIntactThenUpdated() {
        // Admin rows beside the events (a global chain row), hashed as the admin writer does.
        std::string m;
        for (const std::string& f :
             {std::string("adm-1"), std::string("req-9"), std::string("acct-7"), std::string("Ops"),
              std::string("admin:write"), std::string("PUT /v1/audit-retention"), std::string("PUT"),
              std::string("/v1/audit-retention"), std::string(""), std::string(""), std::string(""),
              std::string("200"), std::string(""), std::string("2026-11-14T10:00:02.005Z")})
            m += f + '\x1f';
        const std::string content = toHex(sha256(m));
        QVERIFY(
            !sql(QString::fromStdString(
                     "INSERT INTO admin_audit_events (id, request_id, actor_id, actor_name, actor_scope, "
                     "action, "
                     "method, path, status_code, occurred_at, content_sha256, chain_hmac, chain_seq) VALUES "
                     "('adm-1', 'req-9', 'acct-7', 'Ops', 'admin:write', 'PUT /v1/audit-retention', 'PUT', "
                     "'/v1/audit-retention', 200, '2026-11-14T10:00:02.005Z', '" +
                     content + "', '" + chainHmac(key, content, "") + "', 1)"))
                 .contains("ERROR"));
        LedgerConnection c;
        QVERIFY(open(c, "postgres", "postgres"));
        LedgerVerifyOptions o;
        o.key = key;
        VerifyReport report;
        std::string e;
        QVERIFY2(verifyLedger(c, o, report, e), e.c_str());
        for (const auto& z : report.zones)
            for (const auto& p : z.problems)
                qWarning("%s %s %s", z.zoneId.c_str(), problemKindName(p.kind), p.message.c_str());
        QCOMPARE(report.verdict(), Verdict::Intact);
        QVERIFY(report.hmacChecked);
        size_t rows = 0;
        for (const auto& z : report.zones)
            if (z.table == ChainTable::AuditEvents) rows += z.rows;
        QCOMPARE(rows, mainRows);
        QVERIFY(report.zones.back().globalChain);
        QCOMPARE(report.zones.back().rows, size_t(1));
        const QString keyFile =
            QString::fromStdString(test::writeFile(dir, "key.hex", std::string(kKeyHex) + "\n"));
        QFile::setPermissions(keyFile, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(trace({"verify", "--hmac-key-file", keyFile, "--pg", conn("postgres", "postgres")}).exit, 0);

        // Altered in the database by the superuser.
        const QString victim = sql("SELECT id FROM audit_events WHERE zone_id = 'zone-ms' AND chain_seq = 5");
        sql("UPDATE audit_events SET decision = 'allow', metadata_json = '{\"edited\": true}' WHERE id = '" +
            victim + "'");
        QVERIFY(verifyLedger(c, o, report, e));
        QCOMPARE(report.verdict(), Verdict::Tampered);
        const ZoneVerdict* z = report.zone("zone-ms");
        QVERIFY(z);
        QCOMPARE(z->problems.size(), size_t(1));
        QCOMPARE(z->problems[0].kind, ProblemKind::ContentMismatch);
        QCOMPARE(z->problems[0].chainSeq, int64_t(5));
        QCOMPARE(QString::fromStdString(z->problems[0].eventId), victim);
        const Run r = trace({"verify", "--format", "json", "--zone", "zone-ms", "--hmac-key-file", keyFile,
                             "--pg", conn("postgres", "postgres")});
        QCOMPARE(r.exit, 3);
        QCOMPARE(Json::parse(r.out.toStdString())["verdict"].get<std::string>(), std::string("tampered"));
        sql("UPDATE admin_audit_events SET status_code = 500 WHERE id = 'adm-1'");
        QVERIFY(verifyLedger(c, o, report, e));
        QCOMPARE(report.zones.back().problems.at(0).eventId, std::string("adm-1"));
    }

    void serverStoppedMidStream() {
        // A server of its own, stopped (as a crash) while pages are still being read.
        test::PgTestServer doomed;
        QVERIFY2(doomed.ok(), qPrintable(doomed.error()));
        QString error;
        QVERIFY2(test::createLedger(doomed, error), qPrintable(error));
        // Far more than socket buffers hold, so rows are still on their way when the server dies.
        QString out;
        QVERIFY2(
            doomed.run(
                "INSERT INTO audit_events (id, zone_id, event_type, occurred_at, metadata_json) SELECT "
                "'ev-' || g, 'zone-x', 'token_exchange', '2026-11-01'::timestamptz + g * interval '1 ms', "
                "jsonb_build_object('pad', repeat('x', 2000)) FROM generate_series(1, 20000) g",
                out),
            qPrintable(out));
        LedgerConnection c;
        LedgerOptions o;
        o.conninfo = doomed.connectionString().toStdString();
        std::string e;
        QVERIFY2(c.open(o, e), e.c_str());
        LedgerReadOptions r;
        r.pageRows = 100;
        size_t pages = 0;
        const LedgerReadResult result = readLedgerEvents(c, LedgerFilter{}, r, [&](std::string&&, size_t) {
            if (++pages == 2) doomed.stopImmediately();
            return true;
        });
        QVERIFY2(pages == 2,
                 qPrintable(QString::number(result.rows) + " " + QString::fromStdString(result.error)));
        QVERIFY(!result.complete);
        QVERIFY2(result.error.find("lost") != std::string::npos &&
                     result.error.find("incomplete") != std::string::npos,
                 result.error.c_str());
        QVERIFY(c.lost());
        // The CLI on a stopped server: exit 2, a clear message.
        const Run gone = trace({"search", "--pg", doomed.connectionString()});
        QCOMPARE(gone.exit, 2);
        QVERIFY(gone.err.contains("cannot connect"));
    }

    void cleanupTestCase() { pg.reset(); }
};

QTEST_GUILESS_MAIN(LedgerTest)
#include "tst_ledger.moc"
