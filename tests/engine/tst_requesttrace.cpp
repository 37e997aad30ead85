#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "present/EventDetails.h"
#include "trace/DiagnosticsOverview.h"
#include "trace/RequestTrace.h"
#include "util/MetadataRedaction.h"
#include "util/Timestamp.h"
#endif

#include <QDir>
#include <QProcess>

using namespace caracal;
using namespace caracal::test;

class RequestTraceTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    static nlohmann::ordered_json readJson(const std::string& path) {
        std::ifstream in(path);
        return nlohmann::ordered_json::parse(in);
    }
    std::string writeEvents(const std::string& name, const std::vector<nlohmann::ordered_json>& events) {
        std::string text;
        for (const auto& e : events)
            text += e.dump() + "\n";
        return writeFile(tmp, name, text);
    }
    static nlohmann::ordered_json ev(const std::string& id, const std::string& type,
                                     const std::string& request, const std::string& decision,
                                     const std::string& time,
                                     nlohmann::ordered_json meta = nlohmann::ordered_json::object(),
                                     const std::string& version = "", const std::string& manifest = "") {
        nlohmann::ordered_json e = {{"id", id},
                                    {"zone_id", "z"},
                                    {"event_type", type},
                                    {"request_id", request},
                                    {"decision", decision}};
        if (!version.empty()) e["policy_set_version_id"] = version;
        if (!manifest.empty()) e["manifest_sha"] = manifest;
        e["evaluation_status"] = "complete";
        e["determining_policies_json"] = nullptr;
        e["diagnostics_json"] = nullptr;
        e["metadata_json"] = meta;
        e["occurred_at"] = "2026-11-14T10:00:" + time + "Z";
        return e;
    }
    static std::vector<std::string> kinds(const RequestTrace& t) {
        std::vector<std::string> k;
        for (const auto& f : t.missing)
            k.push_back(f.kind);
        return k;
    }

  private slots:
    // The oracle: Caracal's own explain responses. Reading each one's events back, our DecisionTrace must
    // equal Caracal's: final decision, denied entries (with the reconstructed policy input) and events.
    void matchesCaracalExplain_data() {
        QTest::addColumn<QString>("file");
        for (const QString& f : QDir(QString::fromStdString(dataPath("api/explain"))).entryList({"*.json"}))
            QTest::newRow(f.toUtf8()) << f;
    }
    void matchesCaracalExplain() {
        QFETCH(QString, file);
        const std::string path = dataPath("api/explain/" + file.toStdString());
        const auto expected = readJson(path);
        auto store = load({path});
        auto trace = buildRequestTrace(*store, expected["zone_id"].get<std::string>(),
                                       expected["request_id"].get<std::string>());
        QVERIFY(trace.has_value());
        const auto ours = traceToJson(*trace, *store);
        QCOMPARE(QString::fromStdString(ours["final_decision"]),
                 QString::fromStdString(expected["final_decision"]));
        QCOMPARE(ours["denied"].size(), expected["denied"].size());
        for (size_t i = 0; i < expected["denied"].size(); ++i)
            QVERIFY2(ours["denied"][i] == expected["denied"][i],
                     (ours["denied"][i].dump() + "\n!=\n" + expected["denied"][i].dump()).c_str());
        QVERIFY(ours["events"] == expected["events"]);
        // Caracal's keys first, in Caracal's order; ours after.
        QStringList keys;
        for (auto it = ours.begin(); it != ours.end(); ++it)
            keys << QString::fromStdString(it.key());
        QCOMPARE(keys.mid(0, 5),
                 QStringList({"request_id", "zone_id", "final_decision", "denied", "events"}));
    }

    // Raw audit-service rows of Caracal's redaction probe: our explain must print what Caracal's printed,
    // "[redacted]" for the 17 keys at any depth, while the policy input keeps the raw session id as
    // Caracal's.
    void redactsLikeCaracalExplain() {
        const auto expected = readJson(dataPath("caracal-api/probe/probe-explain-redaction.json"));
        auto store = load({dataPath("redaction/probe-raw.jsonl")});
        auto trace = buildRequestTrace(*store, "zone-probe", "probe-redaction");
        QVERIFY(trace);
        const auto ours = traceToJson(*trace, *store);
        QVERIFY2(ours["denied"] == expected["denied"],
                 (ours["denied"].dump() + "\n!=\n" + expected["denied"].dump()).c_str());
        // The same events in the same order; the raw rows keep microseconds where the API cut to
        // milliseconds.
        QCOMPARE(ours["events"].size(), expected["events"].size());
        for (size_t i = 0; i < expected["events"].size(); ++i) {
            auto a = ours["events"][i], b = expected["events"][i];
            a.erase("occurred_at");
            b.erase("occurred_at");
            QVERIFY2(a == b, (a.dump() + "\n!=\n" + b.dump()).c_str());
        }
        const std::string text = ours.dump() + traceToText(*trace, *store);
        for (const char* secret : {"tok-live-1", "raw-bearer-1", "cs-raw-1", "sess-raw-1", "ck-raw-1"})
            QVERIFY2(text.find(secret) == std::string::npos, secret);
        // Asked for raw values, they are there.
        TraceOutputOptions raw;
        raw.redact = false;
        const auto unredacted = traceToJson(*trace, *store, raw);
        QCOMPARE(unredacted["denied"][0]["metadata"]["token"].get<std::string>(), std::string("tok-live-1"));
        QCOMPARE(unredacted["events"][1]["metadata_json"]["nested"]["Session"]["id"].get<std::string>(),
                 std::string("sess-raw-1"));
        QVERIFY(unredacted.contains("redaction_note"));
    }

    void redactionKeys() {
        nlohmann::ordered_json m = {{"PASSWORD", "p"},
                                    {"list", {{{"api_key", "k"}, {"keep", 1}}}},
                                    {"Set_Cookie", {{"a", "b"}}},
                                    {"tokens", "not a key"},
                                    {"private_key", nullptr}};
        QCOMPARE(redactMetadata(m), size_t(4));
        QCOMPARE(m["PASSWORD"].get<std::string>(), std::string("[redacted]"));
        QCOMPARE(m["list"][0]["api_key"].get<std::string>(), std::string("[redacted]"));
        QCOMPARE(m["list"][0]["keep"].get<int>(), 1);
        QCOMPARE(m["Set_Cookie"].get<std::string>(), std::string("[redacted]"));
        QCOMPARE(m["tokens"].get<std::string>(), std::string("not a key"));
        for (const char* k : {"password", "passwd", "secret", "token", "access_token", "refresh_token",
                              "id_token", "api_key", "apikey", "authorization", "cookie", "set_cookie",
                              "client_secret", "private_key", "session", "session_id", "assertion"})
            QVERIFY2(isRedactedKey(k) && isRedactedKey(QString(k).toUpper().toStdString()), k);
        QVERIFY(!isRedactedKey("agent_session_id") && !isRedactedKey("session_ids"));
    }

    void explainCommandRedactsUnlessAsked() {
        const QString file = QString::fromStdString(dataPath("redaction/probe-raw.jsonl"));
        QProcess p;
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "probe-redaction", file});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray text = p.readAllStandardOutput();
        QVERIFY(!text.contains("tok-live-1") && !text.contains("cs-raw-1"));
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "probe-redaction", "--format", "json", file});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray json = p.readAllStandardOutput();
        QVERIFY(!json.contains("tok-live-1") && json.contains("[redacted]"));
        p.start(CARACAL_TRACE_BIN,
                {"explain", "--request-id", "probe-redaction", "--format", "json", "--no-redact", file});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("tok-live-1"));
    }

    // A saved Caracal explain keeps its own denied[]: rebuilt from its redacted events, the policy input
    // would say "[redacted]" where Caracal's says the authority record id.
    void savedExplainKeepsItsDenied() {
        const QString file =
            QString::fromStdString(dataPath("caracal-api/probe/probe-explain-redaction.json"));
        const auto expected = readJson(file.toStdString());
        QProcess p;
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "probe-redaction", "--format", "json", file});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::ordered_json::parse(p.readAllStandardOutput().toStdString());
        QVERIFY(j["denied"] == expected["denied"]);
        QCOMPARE(j["denied"][0]["policy_input"]["context"]["session_id"].get<std::string>(),
                 std::string("ar-authority-0001"));
        QVERIFY(j.contains("denied_note"));
    }

    // Caracal's own explain test documents leave zone_id and occurred_at out of their rows.
    void explainDocumentRowsTakeTheDocumentZone() {
        const std::string path = dataPath("explain-docs/explain-rows-without-zone.json");
        auto store = load({path});
        QCOMPARE(store->size(), size_t(2));
        QVERIFY(store->badLines().empty());
        QCOMPARE(std::string(store->field(0, Field::Zone)), std::string("zone-unit"));
        bool noted = false;
        for (const auto& n : store->notices())
            noted = noted || (n.find("took the document's zone zone-unit") != std::string::npos &&
                              n.find("without occurred_at") != std::string::npos);
        QVERIFY(noted);
        QProcess p;
        p.start(CARACAL_TRACE_BIN,
                {"explain", "--request-id", "req-unit-1", "--format", "json", QString::fromStdString(path)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::ordered_json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j["final_decision"].get<std::string>(), std::string("deny"));
        QCOMPARE(j["denied"][0]["policy_input"]["session"]["id"].get<std::string>(),
                 std::string("ar-unit-raw"));
    }

    // Not audit events: an error body or an admin-audit page says what it is instead of "missing id".
    void nonEventDocumentsSayWhatTheyAre() {
        auto error = load({dataPath("caracal-api/demo/error-cursor-unparseable-timestamp.json")});
        QCOMPARE(error->size(), size_t(0));
        QVERIFY(error->badLines().empty());
        QVERIFY(!error->notices().empty());
        const std::string& note = error->notices().back();
        QVERIFY2(note.find("Caracal error response") != std::string::npos &&
                     note.find("Explain an error") != std::string::npos &&
                     note.find("internal_error") != std::string::npos &&
                     note.find("fixture-error-cursor-unparseable-timestamp") != std::string::npos,
                 note.c_str());
        auto admin = load({dataPath("explain-docs/admin-audit-page.json")});
        QCOMPARE(admin->size(), size_t(0));
        QVERIFY(admin->badLines().empty());
        QVERIFY(!admin->notices().empty() &&
                admin->notices().back().find("admin-audit") != std::string::npos);
        QVERIFY(admin->notices().back().find("missing") == std::string::npos);
    }

    void finalDecisionRules() {
        const std::string path =
            writeEvents("final.jsonl", {ev("a", "token_exchange", "r1", "allow", "00"),
                                        ev("b", "gateway_resource_request", "r1", "allow", "01"),
                                        ev("c", "token_exchange", "r2", "deny", "00"),
                                        ev("d", "token_exchange", "r2", "allow", "01"),
                                        ev("e", "step_up_issued", "r3", "pending", "00")});
        auto store = load({path});
        QCOMPARE(buildRequestTrace(*store, "z", "r1")->finalDecision, std::string("allow"));
        QCOMPARE(buildRequestTrace(*store, "z", "r2")->finalDecision, std::string("deny")); // any deny wins
        QCOMPARE(buildRequestTrace(*store, "z", "r3")->finalDecision, std::string("pending"));
        QVERIFY(!buildRequestTrace(*store, "z", "nope").has_value());
        QVERIFY(!buildRequestTrace(*store, "other-zone", "r1").has_value());
        const auto steps = buildRequestTrace(*store, "z", "r1")->steps;
        QCOMPARE(steps[1].surface, Surface::Gateway);
        QCOMPARE(steps[1].sincePreviousMicros, int64_t(1000000));
    }

    void stepUpJoinedAcrossIds() {
        auto store = load({dataPath("api/by-request-step-up-issued-consumed.json"),
                           dataPath("api/by-request-step-up-decided-by-challenge-id.json")});
        const std::string request(store->field(0, Field::RequestId));
        auto t = buildRequestTrace(*store, "zone-demo-a", request);
        QVERIFY(t.has_value());
        QCOMPARE(t->events.size(), size_t(2));
        QCOMPARE(t->steps.size(), size_t(3)); // the decision, found through the challenge id
        QVERIFY(t->steps[1].joined);
        QCOMPARE(t->stepUps.size(), size_t(1));
        QCOMPARE(t->stepUps[0].state, std::string("consumed"));
        QVERIFY(!t->stepUps[0].approver.empty());
        QVERIFY(t->stepUps[0].timeToDecideMicros > 0);
        QVERIFY(t->missing.empty());
    }

    void missingRules() {
        const std::string path = writeEvents(
            "missing.jsonl",
            {ev("a", "token_exchange", "direct", "allow", "00"),
             ev("b", "gateway_resource_request", "orphan", "allow", "00"),
             ev("c", "step_up_issued", "held", "pending", "00", {{"challenge_id", "ch-9"}}),
             ev("d", "token_exchange", "weird", "deny", "00", {}, "psv-1", "no_active_policy_set"),
             ev("e", "token_exchange", "two", "allow", "00", {}, "psv-1", "m1"),
             ev("f", "gateway_resource_request", "two", "allow", "01", {}, "psv-2", "m2")});
        auto store = load({path});
        QCOMPARE(kinds(*buildRequestTrace(*store, "z", "direct")),
                 std::vector<std::string>({"no_gateway_event"}));
        QCOMPARE(kinds(*buildRequestTrace(*store, "z", "orphan")),
                 std::vector<std::string>({"no_exchange_event"}));
        QCOMPARE(kinds(*buildRequestTrace(*store, "z", "held")),
                 std::vector<std::string>({"approval_never_decided"}));
        QCOMPARE(kinds(*buildRequestTrace(*store, "z", "weird")),
                 std::vector<std::string>({"version_without_active_set"}));
        auto two = buildRequestTrace(*store, "z", "two");
        QCOMPARE(kinds(*two), std::vector<std::string>({"manifest_changed"}));
        QCOMPARE(two->policyVersions.size(), size_t(2));
    }

    void diagnosticsAreTyped() {
        nlohmann::ordered_json e = ev("a", "token_exchange", "r", "deny", "00");
        e["diagnostics_json"] =
            nlohmann::ordered_json::parse("[{\"reason\":\"no_rule_matched\"},{\"step_up_required\":{\"type\":"
                                          "\"human_approval\",\"tiers\":[{\"tier\":\"high\","
                                          "\"approver\":\"operator\",\"ttl_seconds\":1800}]}},{\"risk\":[{"
                                          "\"scope\":\"payments:write\",\"tier\":\"high\"}]},"
                                          "{\"error\":\"opa eval: boom\"},{\"something\":1}]");
        const EventDetails d = describeEvent(e);
        const auto g = std::find_if(d.groups.begin(), d.groups.end(),
                                    [](const DetailGroup& x) { return x.title == "Diagnostics"; });
        QVERIFY(g != d.groups.end());
        QCOMPARE(g->rows.size(), size_t(5));
        QCOMPARE(g->rows[0].values[0], std::string("No rule matched (no_rule_matched)"));
        QCOMPARE(g->rows[1].label, std::string("Step-up required (human_approval)"));
        QCOMPARE(g->rows[1].values[0], std::string("high tier, approver operator, identified, TTL 1800 s"));
        QCOMPARE(g->rows[2].values[0], std::string("payments:write: high"));
        QCOMPARE(g->rows[3].label, std::string("Policy engine error"));
        QCOMPARE(g->rows[4].label, std::string("Other"));
    }

    void diagnosticsOverviewCounts() {
        auto store = load({dataPath("filter-events.jsonl")});
        const auto groups = buildDiagnosticsOverview(*store);
        auto group = [&](const std::string& kind) -> const OverviewGroup& {
            return *std::find_if(groups.begin(), groups.end(),
                                 [&](const OverviewGroup& g) { return g.kind == kind; });
        };
        auto count = [&](const std::string& kind, const std::string& label) -> int {
            for (const auto& i : group(kind).items)
                if (i.label == label) return int(i.rows.size());
            return 0;
        };
        // One deny reason per deny event, by the Reason column's rule, so the group adds up to the 6 denies:
        // engine errors, anomalies and a refused control command have theirs too.
        QCOMPARE(group("deny_reasons").items.size(), size_t(6));
        QCOMPARE(group("deny_reasons").total(), store->rowsWith(Field::Decision, "deny").size());
        QCOMPARE(count("deny_reasons", "policy_eval_failed"), 1);
        QCOMPARE(count("deny_reasons", "anomaly"), 1);
        QCOMPARE(count("deny_reasons", "missing control scope"), 1);
        QCOMPARE(count("deny_reasons", "no_rule_matched"), 1);
        QCOMPARE(count("deny_reasons", "scope_mismatch"), 1);
        // e12's metadata reason comes first; its status is not counted a second time.
        QCOMPARE(count("deny_reasons", "provider_not_found"), 1);
        QCOMPARE(count("deny_reasons", "provider_unavailable"), 0);
        QCOMPARE(group("deny_reasons").items[0].zones.size(), size_t(1));
        QCOMPARE(group("policy_engine_errors").items.size(), size_t(1));
        QCOMPARE(group("policy_engine_errors").items[0].children.at(0).label, std::string("opa eval: boom"));
        QCOMPARE(count("anomalies", "replay_detected"), 1);
        QCOMPARE(count("gateway_errors", "transport_error"), 1);
        QCOMPARE(count("gateway_errors", "upstream_error"), 1);
        QCOMPARE(count("policy_versions", "psv-2"), 4);
        const auto& v2 =
            *std::find_if(group("policy_versions").items.begin(), group("policy_versions").items.end(),
                          [](const OverviewItem& i) { return i.label == "psv-2"; });
        QCOMPARE(v2.decisions.at("deny"), size_t(3));
        QCOMPARE(v2.decisions.at("allow"), size_t(1));
        QCOMPARE(v2.first, *parseRfc3339Micros("2026-11-14T10:02:00Z"));
        QCOMPARE(v2.last, *parseRfc3339Micros("2026-11-14T10:11:00Z"));
        // Over a selection only.
        const auto some = buildDiagnosticsOverview(*store, {2});
        QCOMPARE(some[0].total(), size_t(1));
        QCOMPARE(some[0].items[0].label, std::string("no_rule_matched"));
    }

    void comparingTwoEvents() {
        auto store = load({dataPath("filter-events.jsonl")});
        const auto diff =
            compareEvents(store->event(0), store->event(2)); // an allow and a deny of the same kind
        auto find = [&](const std::string& path) {
            return *std::find_if(diff.begin(), diff.end(),
                                 [&](const FieldComparison& f) { return f.path == path; });
        };
        QVERIFY(find("decision").differs);
        QCOMPARE(find("decision").left, std::string("allow"));
        QCOMPARE(find("decision").right, std::string("deny"));
        QVERIFY(!find("zone_id").differs);
        QVERIFY(!find("event_type").differs);
        QCOMPARE(find("metadata_json.agent_session_id").right, std::string("(absent)"));
        QVERIFY(find("metadata_json.agent_session_id").differs);
        QCOMPARE(find("diagnostics_json").right, std::string("[{\"reason\":\"no_rule_matched\"}]"));
    }

    void explainCommand() {
        const QString explainFile =
            QString::fromStdString(dataPath("api/explain/explain-te-deny-reason.json"));
        const auto expected = readJson(explainFile.toStdString());
        QProcess p;
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", QString::fromStdString(expected["request_id"]),
                                    "--format", "json", explainFile});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::ordered_json::parse(p.readAllStandardOutput().toStdString());
        QVERIFY(j["denied"] == expected["denied"]);
        for (const char* key : {"surfaces", "missing", "step_up", "codes", "policy_versions"})
            QVERIFY2(j.contains(key), key);
        QVERIFY(!j["codes"].empty() && !j["codes"][0]["rows"].empty());
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "not-there", explainFile});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("not in the data"));
        p.start(CARACAL_TRACE_BIN, {"explain", explainFile});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        // The same request id in two zones needs --zone.
        const std::string twoZones =
            writeEvents("zones.jsonl", {ev("a", "token_exchange", "shared", "allow", "00")});
        auto other = ev("b", "token_exchange", "shared", "deny", "01");
        other["zone_id"] = "z2";
        const std::string second = writeEvents("zones2.jsonl", {other});
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "shared", QString::fromStdString(twoZones),
                                    QString::fromStdString(second)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--zone"));
        p.start(CARACAL_TRACE_BIN, {"explain", "--request-id", "shared", "--zone", "z2",
                                    QString::fromStdString(twoZones), QString::fromStdString(second)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("Final decision: deny"));
    }
};

QTEST_GUILESS_MAIN(RequestTraceTest)
#include "tst_requesttrace.moc"
