#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#endif

#include <QDir>
#include <QFile>
#include <QProcess>
#include <map>
#include <set>
#include <sstream>

using namespace caracal;
using namespace caracal::test;
using Json = nlohmann::json;

// `caracal-trace stats --by`: every grouping against counts this test computes itself from the JSON lines,
// and plain `stats` byte for byte as it printed before --by existed.
class StatsCliTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString generated;
    std::vector<Json> events;

    struct Run {
        int exit;
        QByteArray out, err;
    };
    Run run(const QStringList& args, const QString& dir = {}) {
        QProcess p;
        if (!dir.isEmpty()) p.setWorkingDirectory(dir);
        p.start(CARACAL_TRACE_BIN, args);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000)) return {-1, {}, "timeout"};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    static QByteArray fileBytes(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing " + path.toUtf8() + ")");
    }

    static std::string str(const Json& obj, const char* key) {
        if (!obj.is_object()) return {};
        auto it = obj.find(key);
        return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
    }
    // The values an event has for a grouping, written out here from the wording, not from the engine.
    static std::set<std::string> valuesOf(const Json& ev, const std::string& by) {
        const Json meta = ev.contains("metadata_json") ? ev["metadata_json"] : Json();
        std::set<std::string> out;
        auto add = [&](const std::string& v) {
            if (!v.empty()) out.insert(v);
        };
        if (by == "zone") add(str(ev, "zone_id"));
        if (by == "event_type") add(str(ev, "event_type"));
        if (by == "decision") add(str(ev, "decision"));
        if (by == "application") add(str(meta, "application_id"));
        if (by == "resource") add(str(meta, "resource"));
        if (by == "session") add(str(meta, "agent_session_id"));
        if (by == "reason" && str(ev, "decision") == "deny") {
            std::string code = str(meta, "reason");
            const std::string status = str(ev, "evaluation_status");
            if (code.empty() && status != "complete") code = status;
            if (code.empty() && ev.contains("diagnostics_json") && ev["diagnostics_json"].is_array() &&
                !ev["diagnostics_json"].empty())
                code = str(ev["diagnostics_json"][0], "reason");
            add(code.empty() ? "policy_denied" : code);
        }
        if (by == "policy" && ev.contains("determining_policies_json") &&
            ev["determining_policies_json"].is_array())
            for (const auto& p : ev["determining_policies_json"])
                add(str(p, "policy"));
        if (by == "label" && meta.is_object() && meta.contains("agent_labels") &&
            meta["agent_labels"].is_array())
            for (const auto& l : meta["agent_labels"])
                if (l.is_string()) add(l.get<std::string>());
        return out;
    }

    struct Expected {
        std::map<std::string, std::map<std::string, uint64_t>> decisions; // value -> decision -> n
        std::map<std::string, uint64_t> events;
        uint64_t without = 0;
    };
    Expected expect(const std::string& by, const std::string& onlyZone = {}) const {
        Expected e;
        for (const Json& ev : events) {
            if (!onlyZone.empty() && str(ev, "zone_id") != onlyZone) continue;
            const auto values = valuesOf(ev, by);
            if (values.empty()) ++e.without;
            for (const std::string& v : values) {
                ++e.events[v];
                ++e.decisions[v][str(ev, "decision")];
            }
        }
        return e;
    }
    static void compare(const Json& got, const Expected& e, const std::string& by, size_t top = 0) {
        QCOMPARE(got["by"].get<std::string>(), by);
        QCOMPARE(got["without"].get<uint64_t>(), e.without);
        const Json& rows = got["rows"];
        QCOMPARE(rows.size(), top ? std::min(top, e.events.size()) : e.events.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const std::string value = rows[i]["value"];
            QVERIFY2(e.events.count(value), value.c_str());
            QCOMPARE(rows[i]["events"].get<uint64_t>(), e.events.at(value));
            std::map<std::string, uint64_t> decisions;
            for (const auto& [d, n] : rows[i]["decisions"].items())
                decisions[d] = n.get<uint64_t>();
            QCOMPARE(decisions, e.decisions.at(value));
            if (i == 0) continue;
            // events descending, then value ascending
            const uint64_t prev = rows[i - 1]["events"], cur = rows[i]["events"];
            QVERIFY(prev > cur || (prev == cur && rows[i - 1]["value"].get<std::string>() < value));
        }
        if (!top) // every value is listed exactly once
            QCOMPARE(std::set<std::string>(), [&] {
                std::set<std::string> missing;
                for (const auto& [v, n] : e.events)
                    missing.insert(v);
                for (const auto& r : rows)
                    missing.erase(r["value"].get<std::string>());
                return missing;
            }());
    }

  private slots:
    void initTestCase() {
        gen::GeneratorOptions o;
        o.seed = 1818;
        o.events = 6000;
        std::ostringstream out;
        gen::generate(o, out);
        generated = QString::fromStdString(writeFile(tmp, "generated.jsonl", out.str()));
        std::istringstream in(out.str());
        for (std::string line; std::getline(in, line);)
            events.push_back(Json::parse(line));
    }

    // The output of plain `stats` (text and json, one and three inputs) was saved from the build before
    // --by existed; it must not change by a byte.
    void plainStatsUnchanged() {
        const QString data = QString::fromStdString(dataPath(""));
        const QStringList three = {"filter-events.jsonl", "api/audit-zone-demo-a.csv",
                                   "api/list-nofilter-page1.json"};
        auto one = run({"stats", "filter-events.jsonl"}, data);
        QCOMPARE(one.exit, 0);
        QCOMPARE(one.out, fileBytes(data + "stats/plain-one.txt"));
        one = run({"stats", "--format", "json", "filter-events.jsonl"}, data);
        QCOMPARE(one.out, fileBytes(data + "stats/plain-one.json"));
        auto all = run(QStringList{"stats"} + three, data);
        QCOMPARE(all.exit, 0);
        QCOMPARE(all.out, fileBytes(data + "stats/plain-three.txt"));
        all = run(QStringList{"stats", "--format", "json"} + three, data);
        QCOMPARE(all.out, fileBytes(data + "stats/plain-three.json"));
    }

    void byEveryFieldMatchesIndependentCounts_data() {
        QTest::addColumn<QString>("by");
        for (const char* by : {"zone", "event_type", "decision", "application", "resource", "reason",
                               "policy", "session", "label"})
            QTest::newRow(by) << by;
    }
    void byEveryFieldMatchesIndependentCounts() {
        QFETCH(QString, by);
        const auto r = run({"stats", "--by", by, "--format", "json", generated});
        QCOMPARE(r.exit, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QCOMPARE(r.out.count('\n'), 1); // one JSON document on one line
        const Json got = Json::parse(r.out.toStdString());
        const Expected e = expect(by.toStdString());
        QVERIFY(e.events.size() >= 2); // the generator gives every grouping several values
        compare(got, e, by.toStdString());
        if (by == "reason") {
            uint64_t denies = 0;
            for (const Json& ev : events)
                denies += str(ev, "decision") == "deny";
            uint64_t counted = 0;
            for (const auto& row : got["rows"])
                counted += row["events"].get<uint64_t>();
            QCOMPARE(counted, denies); // one reason per deny event
            QCOMPARE(got["without"].get<uint64_t>(), events.size() - denies);
        }
        if (by == "application") {
            // A row's name is a name the events give that id.
            std::map<std::string, std::set<std::string>> names;
            for (const Json& ev : events)
                if (auto n = str(ev["metadata_json"], "application_name"); !n.empty())
                    names[str(ev["metadata_json"], "application_id")].insert(n);
            size_t named = 0;
            for (const auto& row : got["rows"]) {
                const std::string id = row["value"];
                QCOMPARE(row.contains("name"), names.count(id) > 0);
                if (!row.contains("name")) continue;
                QVERIFY(names[id].count(row["name"].get<std::string>()));
                ++named;
            }
            QVERIFY(named > 0);
        }
    }

    void topAndFilter() {
        const Expected all = expect("resource");
        auto r = run({"stats", "--by", "resource", "--top", "3", "--format", "json", generated});
        QCOMPARE(r.exit, 0);
        compare(Json::parse(r.out.toStdString()), all, "resource", 3);

        const std::string zone = events.front()["zone_id"];
        r = run({"stats", "--by", "reason", "--filter", QString::fromStdString("zone:" + zone), "--format",
                 "json", generated});
        QCOMPARE(r.exit, 0);
        compare(Json::parse(r.out.toStdString()), expect("reason", zone), "reason");

        // The filter key of the reason rows selects exactly that row's events.
        const Json reasons =
            Json::parse(run({"stats", "--by", "reason", "--format", "json", generated}).out.toStdString());
        const std::string code = reasons["rows"][0]["value"];
        r = run({"search", "--filter", QString::fromStdString("deny_reason:" + code), generated});
        QCOMPARE(r.exit, 0);
        QCOMPARE(uint64_t(r.out.count('\n')), reasons["rows"][0]["events"].get<uint64_t>());

        const auto text = run({"stats", "--by", "decision", generated});
        QCOMPARE(text.exit, 0);
        QVERIFY(text.out.startsWith("DECISION"));
        QVERIFY(text.out.contains("over 6000 events; without decision: 0"));
    }

    void usageErrors() {
        auto r = run({"stats", "--by", "nope", generated});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains("--by: unknown field \"nope\"; expected one of zone|event_type|decision"));
        r = run({"stats", "--by", "zone", "--top", "0", generated});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains("--top: expected a whole number of at least 1"));
        r = run({"stats", "--top", "3", generated});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains("--top needs --by FIELD"));
        r = run({"stats", "--by", "zone", "--filter", "zone:(", generated});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains("--filter: column"));
        // Nothing matches: an empty table and exit 1, as search does.
        r = run({"stats", "--by", "zone", "--filter", "zone:no-such-zone", "--format", "json", generated});
        QCOMPARE(r.exit, 1);
        QCOMPARE(r.out, QByteArray("{\"by\":\"zone\",\"rows\":[],\"without\":0}\n"));
    }
};

QTEST_GUILESS_MAIN(StatsCliTest)
#include "tst_statscli.moc"
