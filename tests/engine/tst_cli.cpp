#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#endif

#include <QProcess>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

// caracal-trace run as a process: exit codes, stderr locations, output order and formats.
class CliTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    struct Run {
        int exit;
        QByteArray out, err;
        QList<QByteArray> lines() const {
            QList<QByteArray> l = out.split('\n');
            if (!l.isEmpty() && l.back().isEmpty()) l.pop_back();
            return l;
        }
    };
    Run run(const QStringList& args) {
        QProcess p;
        p.start(CARACAL_TRACE_BIN, args);
        p.closeWriteChannel(); // standard input is a pipe here: with no FILE, the commands read it
        if (!p.waitForFinished(120000)) return {-1, {}, "timeout"};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    static QString data(const char* name) { return QString::fromStdString(dataPath(name)); }
    static QStringList ids(const Run& r) {
        QStringList out;
        for (const auto& l : r.lines())
            out << QString::fromStdString(nlohmann::json::parse(l.toStdString())["id"]);
        return out;
    }

  private slots:
    void versionAndHelp() {
        auto v = run({"--version"});
        QCOMPARE(v.exit, 0);
        QCOMPARE(v.out.trimmed(), QByteArray("caracal-trace " CARACAL_VERSION));
        QCOMPARE(run({}).exit, 2);
        QCOMPARE(run({"frobnicate"}).exit, 2);
        auto h = run({"search", "--help"});
        QCOMPARE(h.exit, 0);
        QVERIFY(h.out.contains("--request-id"));
        QCOMPARE(h.out.count("Options:"), 1); // one heading, above the options
        QVERIFY(h.out.indexOf("Options:") < h.out.indexOf("\n  --request-id"));
        QCOMPARE(run({"stats", "--help"}).exit, 0);
        QCOMPARE(run({"verify", "--help"}).exit, 0);
        // Plain events carry no chain fields: nothing can be verified (tst_verify covers the command).
        auto plain = run({"verify", data("filter-events.jsonl")});
        QCOMPARE(plain.exit, 1);
        QVERIFY(plain.out.contains("verdict: unverifiable"));
    }

    void searchByRequestIdInTimeOrder() {
        auto r = run({"search", "--request-id", "req-1", data("filter-events.jsonl")});
        QCOMPARE(r.exit, 0);
        QCOMPARE(ids(r), QStringList({"e01", "e02"}));
        // The event's own bytes, unchanged.
        QVERIFY(r.lines()[0].startsWith("{\"id\":\"e01\",\"zone_id\":\"zone-a\""));
        auto none = run({"search", "--request-id", "nope", data("filter-events.jsonl")});
        QCOMPARE(none.exit, 1);
        QVERIFY(none.out.isEmpty());
    }

    void optionsCombine() {
        // Several values of one option are alternatives; different options must all match.
        auto r = run({"search", "--zone", "zone-c", "--zone", "zone-b", "--filter", "decision:deny",
                      data("filter-events.jsonl")});
        QCOMPARE(r.exit, 0);
        QCOMPARE(ids(r), QStringList({"e04", "ctl-1", "e11"}));
        auto two = run({"search", "--request-id", "req-1", "--request-id", "req-4", "--zone", "zone-b",
                        data("filter-events.jsonl")});
        QCOMPARE(ids(two), QStringList({"e05", "e07"}));
        auto limited = run({"search", "--zone", "zone-a", "--limit", "3", data("filter-events.jsonl")});
        QCOMPARE(ids(limited), QStringList({"e01", "e02", "e03"}));
    }

    void ordersAcrossFiles() {
        const std::string later =
            writeFile(tmp, "later.jsonl", eventLine("late", "z", "2026-11-15T00:00:00Z", "r") + "\n");
        const std::string earlier = writeFile(tmp, "earlier.jsonl",
                                              eventLine("b", "z", "2026-11-14T00:00:00Z", "r") + "\n" +
                                                  eventLine("a", "z", "2026-11-14T00:00:00Z", "r") + "\n");
        auto r = run(
            {"search", "--request-id", "r", QString::fromStdString(later), QString::fromStdString(earlier)});
        QCOMPARE(ids(r), QStringList({"a", "b", "late"}));
    }

    void usageErrors() {
        auto f = run({"search", "--filter", "zone:", data("filter-events.jsonl")});
        QCOMPARE(f.exit, 2);
        QVERIFY(f.err.contains("--filter: column 6: expected a value after \"zone:\""));
        QVERIFY(f.out.isEmpty());
        QCOMPARE(run({"search", "--limit", "0", data("filter-events.jsonl")}).exit, 2);
        QCOMPARE(run({"search", "--format", "xml", data("filter-events.jsonl")}).exit, 2);
        QCOMPARE(run({"search", "--bogus", data("filter-events.jsonl")}).exit, 2);
        // No FILE and standard input not a terminal: standard input is the input (empty here).
        const auto noFile = run({"search"});
        QCOMPARE(noFile.exit, 1);
        QCOMPARE(noFile.err.trimmed(), QByteArray("caracal-trace: standard input: empty, no events"));
        QCOMPARE(run({"stats", "--format", "yaml", data("filter-events.jsonl")}).exit, 2);
    }

    void unreadableInputExitsTwoButStillAnswers() {
        auto r =
            run({"search", "--request-id", "req-1", "/nonexistent/file.jsonl", data("filter-events.jsonl")});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains("/nonexistent/file.jsonl: cannot open"));
        QCOMPARE(ids(r), QStringList({"e01", "e02"}));
        QCOMPARE(run({"stats", tmp.path() + "/missing-folder"}).exit, 2); // a folder itself is an input now
    }

    void badLinesReportedWithLocation() {
        const std::string path = writeFile(tmp, "bad.jsonl",
                                           eventLine("a", "z", "2026-11-14T00:00:00Z", "r") + "\n{broken\n" +
                                               eventLine("b", "z", "2026-11-14T00:00:01Z", "r") + "\n[1]\n");
        const QString p = QString::fromStdString(path);
        auto stats = run({"stats", "--format", "json", p});
        QCOMPARE(stats.exit, 0);
        QVERIFY(stats.err.contains((p + ":2: ").toUtf8()));
        QVERIFY(stats.err.contains((p + ":4: ").toUtf8()));
        const auto j = nlohmann::json::parse(stats.out.toStdString());
        QCOMPARE(j["events"].get<int>(), 2);
        QCOMPARE(j["bad_lines"].get<int>(), 2);
        // A request-id search still reports rows that are visibly broken.
        auto search = run({"search", "--request-id", "r", p});
        QCOMPARE(search.exit, 0);
        QCOMPARE(ids(search), QStringList({"a", "b"}));
        QVERIFY(search.err.contains((p + ":2: ").toUtf8()));
    }

    void statsJsonContract() {
        auto r = run({"stats", "--format", "json", data("filter-events.jsonl")});
        QCOMPARE(r.exit, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["events"].get<int>(), 15);
        QCOMPARE(j["bad_lines"].get<int>(), 0);
        QCOMPARE(j["zones"]["zone-a"].get<int>(), 8);
        QCOMPARE(j["decisions"]["deny"].get<int>(), 6);
        QCOMPARE(j["zone_decisions"]["zone-c"]["deny"].get<int>(), 2);
        QCOMPARE(j["event_types"]["token_exchange"].get<int>(), 6);
        QCOMPARE(j.size(), size_t(6));
        auto text = run({"stats", data("filter-events.jsonl")});
        QCOMPARE(text.exit, 0);
        QVERIFY(text.out.contains("Events      15 in 3 zones from 1 file"));
        auto empty =
            run({"stats", "--format", "json", QString::fromStdString(writeFile(tmp, "empty.jsonl", ""))});
        QCOMPARE(empty.exit, 1);
        QCOMPARE(nlohmann::json::parse(empty.out.toStdString())["events"].get<int>(), 0);
    }

    void searchRedactsOnlyWhenAsked() {
        QByteArray file, redacted;
        for (int i = 0; i < 3; ++i) {
            const std::string n = std::to_string(i);
            auto e = nlohmann::ordered_json::parse(
                eventLine("red-" + n, "zone-a", "2026-11-14T10:0" + n + ":00Z"));
            e["metadata_json"] = {{"application_id", "app"},
                                  {"session_id", "ar-secret-" + n},
                                  {"nested", {{"Token", "tok-secret"}, {"kept", 1.50}}}};
            const QByteArray line = QByteArray::fromStdString(e.dump());
            file += line + "\n";
            redacted += QByteArray(line)
                            .replace(QByteArray::fromStdString("\"ar-secret-" + n + "\""), "\"[redacted]\"")
                            .replace("\"tok-secret\"", "\"[redacted]\"") +
                        "\n";
        }
        const QString path = QString::fromStdString(writeFile(tmp, "secrets.jsonl", file.toStdString()));
        // The default is the events' own bytes: a pipeline into verify sees what was written.
        const Run raw = run({"search", path});
        QCOMPARE(raw.exit, 0);
        QCOMPARE(raw.out, file);
        const Run red = run({"search", "--redact", path});
        QCOMPARE(red.exit, 0);
        QCOMPARE(red.out, redacted);
        QVERIFY(!red.out.contains("secret-"));
        const Run csv = run({"search", "--format", "csv", "--redact", path});
        QCOMPARE(csv.exit, 0);
        QCOMPARE(csv.lines().size(), 4);
        QVERIFY(run({"search", "--help"}).out.contains("--redact"));
    }

    void searchRowsUnwrapWithChainFields() {
        gen::GeneratorOptions o;
        o.seed = 21;
        o.events = 40;
        o.searchRows = true;
        std::ostringstream rows;
        gen::generate(o, rows);
        const QString p = QString::fromStdString(writeFile(tmp, "rows.jsonl", rows.str()));
        auto r = run({"search", "--limit", "5", p});
        QCOMPARE(r.exit, 0);
        QCOMPARE(r.lines().size(), 5);
        for (const auto& line : r.lines()) {
            const auto ev = nlohmann::json::parse(line.toStdString());
            QVERIFY(!ev.contains("Event"));
            QVERIFY(ev.contains("event_type") && ev.contains("ChainSeq") && ev.contains("ContentSHA256"));
        }
    }

    void csvAndTableFormats() {
        auto csvOut = run({"search", "--format", "csv", "--zone", "zone-c", data("filter-events.jsonl")});
        QCOMPARE(csvOut.exit, 0);
        const auto lines = csvOut.out.split('\n');
        QVERIFY(lines[0].startsWith(
            "id,occurred_at,event_type,decision,evaluation_status,request_id,ingested_at,"));
        QCOMPARE(lines[0].count(','), 45);
        QVERIFY(lines[0].endsWith("\r"));
        QCOMPARE(csvOut.out.count("\r\n"), 3);
        auto table =
            run({"search", "--format", "table", "--request-id", "req-2", data("filter-events.jsonl")});
        QCOMPARE(table.exit, 0);
        QVERIFY(table.out.startsWith("OCCURRED (UTC)"));
        QVERIFY(table.out.contains("2026-11-14T10:01:00.000000Z  zone-a  token_exchange  deny"));
        QVERIFY(table.out.contains("no_rule_matched"));
    }

    void grepPathAgreesWithFullParse() {
        // --request-id skips rows without the id; --filter request: parses everything. Same answer.
        auto store = load({CARACAL_SAMPLE});
        for (RowId r : {RowId(10), RowId(1234), RowId(3999)}) {
            const QString request = QString::fromStdString(std::string(store->field(r, Field::RequestId)));
            auto fast = run({"search", "--request-id", request, CARACAL_SAMPLE});
            auto full = run({"search", "--filter", "request:\"" + request + "\"", CARACAL_SAMPLE});
            QCOMPARE(fast.exit, 0);
            QCOMPARE(fast.out, full.out);
        }
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
