#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "chain/ChainHash.h"
#include "chain/JsonbText.h"
#include "util/Timestamp.h"
#endif

#include <QProcess>
#include <QTest>
#include <set>
#include <sstream>

using namespace caracal;

static std::string generate(uint64_t seed, uint64_t events, bool rows = false, const std::string& key = {}) {
    gen::GeneratorOptions o;
    o.seed = seed;
    o.events = events;
    o.searchRows = rows;
    o.hmacKey = key;
    std::ostringstream out;
    gen::generate(o, out);
    return out.str();
}

static std::vector<nlohmann::json> parseLines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(nlohmann::json::parse(line));
    return out;
}

class GeneratorTest : public QObject {
    Q_OBJECT
    std::vector<nlohmann::json> events;

  private slots:
    void initTestCase() { events = parseLines(generate(3, 6000)); }

    void deterministicForASeed() {
        QVERIFY(generate(5, 1500) == generate(5, 1500));
        QVERIFY(generate(5, 1500) != generate(6, 1500));
        QVERIFY(generate(5, 300, true) == generate(5, 300, true));
    }

    void writesExactlyTheCountInTimeOrder() {
        QCOMPARE(events.size(), size_t(6000));
        int64_t last = INT64_MIN;
        for (const auto& e : events) {
            const auto t = parseRfc3339Micros(e["occurred_at"].get<std::string>());
            QVERIFY(t.has_value());
            QVERIFY(*t >= last);
            last = *t;
        }
    }

    void coversEveryTypeReasonAndStatus() {
        std::set<std::string> types, reasons, statuses;
        for (const auto& e : events) {
            types.insert(e["event_type"]);
            statuses.insert(e["evaluation_status"]);
            if (e["diagnostics_json"].is_array())
                for (const auto& d : e["diagnostics_json"])
                    if (d.contains("reason")) reasons.insert(d["reason"]);
        }
        QCOMPARE(types,
                 (std::set<std::string>{"token_exchange", "run_launch", "jti_collision", "step_up_issued",
                                        "step_up_decided", "step_up_consumed", "gateway_resource_request",
                                        "replay_detected", "control.invoke", "credential_revealed"}));
        for (const char* r :
             {"no_rule_matched", "restriction_active", "malformed_risk_data", "malformed_approval_data",
              "resource_not_granted", "delegation_scope_exceeded", "confinement_violation",
              "role_scope_mismatch", "mandate_target_mismatch", "no_active_policy_set"})
            QVERIFY2(reasons.count(r), r);
        for (const char* s : {"policy_eval_failed",
                              "approval_invalid",
                              "approval_already_consumed",
                              "approval_rejected",
                              "approval_expired",
                              "approval_policy_changed",
                              "approval_class_conflict",
                              "resource_not_found",
                              "scope_mismatch",
                              "resource_outside_delegation",
                              "operation_not_permitted",
                              "rate_limited",
                              "control_resource_requires_control_key",
                              "provider_unavailable",
                              "credential_not_provisioned",
                              "credential_refresh_failed",
                              "credential_injection_denied",
                              "provider_credential_unavailable",
                              "exchange_denied",
                              "subject_federation_invalid",
                              "subject_federation_rejected",
                              "workload_auth_failed",
                              "executed",
                              "upstream_rejected",
                              "build_failed",
                              "upstream_error",
                              "anomaly"})
            QVERIFY2(statuses.count(s), s);
    }

    void shapesFollowTheProducers() {
        std::map<std::string, std::set<std::string>> typesByRequest;
        std::set<std::string> challengeIds, decidedRequests;
        std::set<int> hopCounts;
        bool engineError = false, noActiveManifest = false;
        for (const auto& e : events) {
            const std::string type = e["event_type"], request = e["request_id"];
            typesByRequest[request].insert(type);
            const auto& m = e["metadata_json"];
            if (type == "control.invoke") QVERIFY(e["id"] == e["request_id"]);
            if (type == "step_up_issued") challengeIds.insert(m["challenge_id"].get<std::string>());
            if (type == "step_up_decided") {
                QVERIFY(e["request_id"] == m["challenge_id"]); // stored under the challenge id
                decidedRequests.insert(request);
            }
            if (m.contains("delegation_chain")) {
                const int hops = m["delegation_hop_count"];
                hopCounts.insert(hops);
                QCOMPARE(int(m["delegation_chain"].size()), hops + 1);
                QCOMPARE(m["delegation_chain"].back()["delegation_edge_id"].get<std::string>(),
                         std::string());
                QVERIFY(m["delegation_chain"][hops - 1]["delegation_edge_id"] == m["delegation_edge_id"]);
            }
            if (e["evaluation_status"] == "policy_eval_failed") {
                QVERIFY(e["diagnostics_json"][0].contains("error"));
                engineError = true;
            }
            if (e.value("manifest_sha", "") == "no_active_policy_set") noActiveManifest = true;
        }
        QCOMPARE(hopCounts, (std::set<int>{1, 2, 3, 4}));
        QVERIFY(engineError && noActiveManifest);
        for (const auto& d : decidedRequests)
            QVERIFY(challengeIds.count(d));
        int pairs = 0;
        for (const auto& [req, types] : typesByRequest)
            pairs += types.count("token_exchange") && types.count("gateway_resource_request");
        QVERIFY(pairs > 100);
    }

    // Search rows carry a valid per-zone chain: recompute every hash the way Caracal's sweeper does.
    void searchRowsChainVerifies() {
        const std::string key = hexDecode(std::string(64, 'a'));
        const auto rows = parseLines(generate(9, 800, true, key));
        std::map<std::string, std::pair<std::string, int64_t>> lastByZone;
        for (const auto& row : rows) {
            const auto& e = row["Event"];
            ChainInput in;
            in.id = e["id"];
            in.zoneId = e["zone_id"];
            in.eventType = e["event_type"];
            in.requestId = e["request_id"];
            in.decision = e["decision"];
            in.policySetId = e.value("policy_set_id", "");
            in.policySetVersionId = e.value("policy_set_version_id", "");
            in.manifestSha = e.value("manifest_sha", "");
            in.evaluationStatus = e["evaluation_status"];
            in.determiningPoliciesJsonb = jsonbTextOrNull(&e["determining_policies_json"]);
            in.diagnosticsJsonb = jsonbTextOrNull(&e["diagnostics_json"]);
            in.metadataJsonb = e.contains("metadata_json") ? jsonbText(e["metadata_json"]) : "null";
            in.occurredAtMicros = *parseRfc3339Micros(e["occurred_at"].get<std::string>());
            const std::string content = contentSha256(in);
            QCOMPARE(row["ContentSHA256"].get<std::string>(), content);
            auto& last = lastByZone[in.zoneId];
            QCOMPARE(row["PrevContentSHA256"].get<std::string>(), last.first);
            QCOMPARE(row["ChainSeq"].get<int64_t>(), last.second + 1);
            QCOMPARE(row["ChainHMAC"].get<std::string>(), chainHmac(key, content, last.first));
            last = {content, last.second + 1};
        }
        QVERIFY(lastByZone.size() >= 3);
    }

    void commandLine() {
        QProcess p;
        p.start(CARACAL_GEN_BIN, {"--seed", "4", "--events", "50", "--format", "search"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput().count('\n'), 50);
        p.start(CARACAL_GEN_BIN, {"--format", "xml"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(GeneratorTest)
#include "tst_generator.moc"
