#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "catalog/TroubleshootingLinker.h"
#endif

#include <QProcess>
#include <set>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

class TroubleshootingTest : public QObject {
    Q_OBJECT
    const TroubleshootingCatalog& catalog = TroubleshootingCatalog::instance();

    static nlohmann::ordered_json event(const std::string& type, const std::string& decision,
                                        const std::string& status,
                                        nlohmann::ordered_json meta = nlohmann::ordered_json::object(),
                                        nlohmann::ordered_json diagnostics = nullptr) {
        return {{"id", "e"},
                {"zone_id", "z"},
                {"event_type", type},
                {"request_id", "r"},
                {"decision", decision},
                {"evaluation_status", status},
                {"diagnostics_json", diagnostics},
                {"metadata_json", meta},
                {"occurred_at", "2026-11-14T00:00:00Z"}};
    }
    static std::vector<std::string> addresses(const EventLinks& links) {
        std::vector<std::string> out;
        for (const auto& l : links.rows)
            out.push_back(l.row.address());
        return out;
    }
    static bool contains(const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    }

  private slots:
    void seedAndCurrentTablesAreComplete() {
        size_t current = 0, seed = 0;
        for (const auto& e : catalog.codes()) {
            current += e.inCurrentTable;
            seed += e.inSeedTable;
        }
        QCOMPARE(current, size_t(29));
        QCOMPARE(seed, size_t(18)); // the seed's 19 rows less agent_identity_required, which is an alias now
        for (const char* code :
             {"access_denied", "invalid_token", "resource_not_found", "internal_error", "policy_eval_failed",
              "provider_rate_limited", "interaction_required", "sts_unavailable",
              "credential_expired_not_renewable", "payload_too_large", "zone_invalid", "scope_insufficient",
              "operation_not_permitted", "agent_identity_required", "delegation_required", "chain_mismatch",
              "hop_count_exceeded", "http_request_failed", "config_missing"})
            QVERIFY2(catalog.resolve(code), code);
        for (const auto& t :
             {"readiness-failures", "profile-issues", "sts-403", "gateway-403", "upstream-unreachable",
              "missing-audit-events", "console-sign-in", "application-identity", "symptom"})
            QVERIFY2(catalog.table(t), t);
        QCOMPARE(catalog.table("symptom")->columns.size(), size_t(4));
        QCOMPARE(catalog.table("sts-403")->rows.size(), size_t(5));
    }

    void aliasesResolveToTheirRows() {
        const std::vector<std::pair<std::string, std::string>> aliases = {
            {"agent_identity_required", "session_required"},
            {"insufficient_scope", "scope_insufficient"},
            {"invalid_zone", "zone_invalid"},
            {"missing_token", "invalid_token"}};
        for (const auto& [alias, code] : aliases) {
            const CodeResolution r = catalog.resolve(alias);
            QVERIFY2(r.entry, alias.c_str());
            QCOMPARE(r.canonical(), code);
            QCOMPARE(r.aliasOf, code);
            QVERIFY(!r.aliasNote.empty());
        }
        for (const char* own : {"session_revoked", "delegation_stale"}) {
            const CodeResolution r = catalog.resolve(own);
            QVERIFY(r.entry && r.aliasOf.empty());
        }
    }

    void everyCodeCaracalEmitsResolves() {
        // caracal.md section 6.2 (API and Coordinator codes), 4.2, 3 (console BFF) and 7.3 (readiness
        // reasons).
        for (const char* code : {"invalid_query",
                                 "invalid_fields",
                                 "invalid_cursor",
                                 "invalid_params",
                                 "request_not_found",
                                 "invalid_admin_token",
                                 "rate_limited",
                                 "admin_token_read_only",
                                 "admin_token_approve_only",
                                 "approve_capability_required",
                                 "admin_token_zone_mismatch",
                                 "system_zone_read_only",
                                 "invalid_account_assertion",
                                 "account_scope_required",
                                 "zone_forbidden",
                                 "audit_unavailable",
                                 "retention_above_limit",
                                 "version_not_found",
                                 "invalid_policy_contract",
                                 "session_not_found",
                                 "session_depth_limit_exceeded",
                                 "delegation_exceeds_parent_authority",
                                 "delegation_revoked",
                                 "self_delegation_denied",
                                 "config_invalid",
                                 "config_permissions",
                                 "control_plane_unreachable",
                                 "network_error",
                                 "sts_unreachable",
                                 "stream_consumers_not_ready",
                                 "postgres_unreachable",
                                 "consumer_unhealthy",
                                 "audit_dlq_threshold"})
            QVERIFY2(catalog.resolve(code), code);
        for (const auto& d : DenyReasonCatalog::instance().all())
            QVERIFY2(catalog.resolve(d.code), d.code.c_str());
        QVERIFY(!catalog.resolve("no_such_code"));
        QCOMPARE(catalog.nearest("acess_denied").front(), std::string("access_denied"));
    }

    void everyCodeTheGeneratorEmitsResolves() {
        std::set<std::string> unresolved, seen;
        for (const auto& ev : generatedEvents(12, 5000))
            for (const auto& c : linkEvent(ev).codes) {
                if (c.from == "upstream_status") continue; // an HTTP status, linked through its surface
                seen.insert(c.code);
                if (!catalog.resolve(c.code)) unresolved.insert(c.code);
            }
        QVERIFY2(unresolved.empty(), unresolved.empty() ? "" : unresolved.begin()->c_str());
        QVERIFY(seen.size() > 30);
    }

    void validatorCatchesBrokenData() {
        std::vector<std::string> errors;
        TroubleshootingCatalog::fromJson(
            "{\"error_codes\":[{\"code\":\"a\",\"meaning\":\"m\",\"first_check\":\"f\",\"related\":[\"t/"
            "nope\"]},"
            "{\"code\":\"a\",\"meaning\":\"m\",\"first_check\":\"f\"},{\"code\":\"b\"}],"
            "\"aliases\":{\"x\":{\"code\":\"missing\"},\"a\":{\"code\":\"b\"}},"
            "\"tables\":[{\"key\":\"t\",\"columns\":[\"A\",\"B\"],\"rows\":[{\"key\":\"r\",\"cells\":[\"1\"]}"
            ","
            "{\"key\":\"r\",\"cells\":[\"1\",\"2\"]}]}]}",
            errors);
        const QStringList all = [&] {
            QStringList l;
            for (const auto& e : errors)
                l << QString::fromStdString(e);
            return l;
        }();
        QVERIFY(all.contains("duplicate error code \"a\""));
        QVERIFY(all.contains("error code \"b\": code, meaning and first_check are required"));
        QVERIFY(all.contains("alias \"x\" points at \"missing\", which has no row"));
        QVERIFY(all.contains("alias \"a\" is also an error code"));
        QVERIFY(all.contains("row \"t/r\" has 1 cells for 2 columns"));
        QVERIFY(all.contains("duplicate row \"t/r\""));
        QVERIFY(all.contains("error code \"a\" refers to \"t/nope\", which is not a table or row"));
        errors.clear();
        TroubleshootingCatalog::fromJson("not json", errors);
        QCOMPARE(errors.size(), size_t(1));
    }

    void surfaceRules() {
        // An STS deny: its code's row and the STS 403 table.
        auto sts =
            linkEvent(event("token_exchange", "deny", "complete", {}, {{{"reason", "no_rule_matched"}}}));
        QCOMPARE(sts.surface, Surface::Sts);
        QCOMPARE(sts.codes.front().code, std::string("no_rule_matched"));
        QCOMPARE(sts.codes.front().from, std::string("diagnostics.reason"));
        QVERIFY(contains(addresses(sts), "sts-403/scopes"));
        // no_active_policy_set goes to the active-policy-set check first.
        auto noSet = linkEvent(
            event("token_exchange", "deny", "complete", {}, {{{"reason", "no_active_policy_set"}}}));
        QCOMPARE(addresses(noSet).front(), std::string("sts-403/active-policy-set"));
        // A Gateway 403 from the upstream: the Gateway 403 table, not the STS one.
        auto gw = linkEvent(
            event("gateway_resource_request", "allow", "upstream_rejected", {{"upstream_status", 403}}));
        QCOMPARE(gw.surface, Surface::Gateway);
        QVERIFY(contains(addresses(gw), "gateway-403/mandate-freshness"));
        QVERIFY(!contains(addresses(gw), "sts-403/scopes"));
        // Transport errors: Upstream Unreachable.
        auto up = linkEvent(event("gateway_resource_request", "allow", "upstream_error",
                                  {{"error_kind", "transport_error"}}));
        QVERIFY(contains(addresses(up), "upstream-unreachable/connection-refused"));
        QCOMPARE(up.codes.back().from, std::string("error_kind"));
        // Replays are the Gateway refusing a used token.
        QVERIFY(contains(addresses(linkEvent(event("replay_detected", "deny", "anomaly"))),
                         "gateway-403/mandate-freshness"));
        // The same code from two surfaces links to different rows.
        auto fromSts = addresses(linkEvent(event("token_exchange", "deny", "resource_not_found")));
        auto fromApi = addresses(linkEvent(event("credential_revealed", "deny", "resource_not_found")));
        QVERIFY(contains(fromSts, "sts-403/audit-request-id"));
        QVERIFY(!contains(fromApi, "sts-403/audit-request-id"));
        QVERIFY(fromSts != fromApi);
        // An operator's reason is prose, not a code.
        QVERIFY(linkEvent(event("control.invoke", "deny", "complete", {{"reason", "missing control scope"}}))
                    .codes.empty());
        // A step-up gate is interaction_required.
        auto gate = linkEvent(event("token_exchange", "allow", "complete", {},
                                    {{{"step_up_required", {{"type", "human_approval"}}}}}));
        QCOMPARE(gate.codes.front().code, std::string("interaction_required"));
    }

    void errorsCommand() {
        QProcess p;
        p.start(CARACAL_TRACE_BIN, {"errors", "insufficient_scope", "--format", "json"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j["code"].get<std::string>(), std::string("scope_insufficient"));
        QCOMPARE(j["alias_of"].get<std::string>(), std::string("scope_insufficient"));
        QCOMPARE(j["kind"].get<std::string>(), std::string("error"));
        for (const char* key : {"meaning", "likely_source", "first_check", "http_status", "rows"})
            QVERIFY(j.contains(key));
        QVERIFY(!j["rows"].empty());
        QVERIFY(j["rows"][0].contains("table") && j["rows"][0].contains("key") &&
                j["rows"][0].contains("symptom_or_check") && j["rows"][0].contains("fix"));
        p.start(CARACAL_TRACE_BIN, {"errors", "access_denied", "--format", "json"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(nlohmann::json::parse(p.readAllStandardOutput().toStdString())["alias_of"].is_null());
        p.start(CARACAL_TRACE_BIN, {"errors", "scope_mismatch", "--format", "json"});
        QVERIFY(p.waitForFinished(60000));
        const auto deny = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(deny["kind"].get<std::string>(), std::string("deny_reason"));
        QCOMPARE(deny["meaning"].get<std::string>(), std::string("Scope not allowed"));
        p.start(CARACAL_TRACE_BIN, {"errors", "acess_denied"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("nearest known codes: access_denied"));
        p.start(CARACAL_TRACE_BIN, {"errors"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray list = p.readAllStandardOutput();
        QVERIFY(list.contains("task_session_cannot_start_service") &&
                list.contains("agent_identity_required") && list.contains("no_rule_matched"));
    }
};

QTEST_GUILESS_MAIN(TroubleshootingTest)
#include "tst_troubleshooting.moc"
