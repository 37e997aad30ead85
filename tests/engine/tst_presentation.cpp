#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "catalog/DenyReasonCatalog.h"
#include "present/EventPresentation.h"
#endif

#include <set>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

class PresentationTest : public QObject {
    Q_OBJECT
    std::unique_ptr<EventStore> store;

  private slots:
    void initTestCase() { store = load({dataPath("filter-events.jsonl")}); }

    void catalogHasEveryReason() {
        const auto& c = DenyReasonCatalog::instance();
        QCOMPARE(c.all().size(), size_t(41));
        size_t web = 0;
        std::set<std::string> codes;
        for (const auto& r : c.all()) {
            web += r.webConsole;
            QVERIFY(codes.insert(r.code).second);
            QVERIFY(!r.label.empty() && !r.hint.empty());
        }
        QCOMPARE(web, size_t(37));
        for (const char* unlabelledByWeb :
             {"approval_policy_changed", "approval_class_conflict", "control_resource_requires_control_key",
              "provider_credential_unavailable"})
            QVERIFY(c.find(unlabelledByWeb) && !c.find(unlabelledByWeb)->webConsole);
        QCOMPARE(c.label("no_rule_matched"), std::string("No rule matched"));
        QCOMPARE(c.label("something_new"), std::string("Something new"));
        std::string error;
        DenyReasonCatalog::fromJson("{\"reasons\":[{\"code\":\"a\",\"label\":\"A\",\"hint\":\"h\"},{\"code\":"
                                    "\"a\",\"label\":\"B\",\"hint\":\"h\"}]}",
                                    error);
        QVERIFY(QString::fromStdString(error).contains("duplicate code a"));
    }

    // Every deny the generator produces (all of Caracal's producers' codes) has a catalog label.
    void everyGeneratedDenyResolves() {
        std::set<std::string> unknown;
        for (const auto& ev : generatedEvents(8, 4000)) {
            // A refresh error code or a federation error text in metadata.reason is the provider's, not a
            // deny reason.
            const std::string status = ev["evaluation_status"];
            if (status == "credential_refresh_failed" || status.rfind("subject_federation_", 0) == 0)
                continue;
            if (auto code = denyReasonCode(ev); code && ev["event_type"] == "token_exchange")
                if (!DenyReasonCatalog::instance().find(*code)) unknown.insert(*code);
        }
        QVERIFY2(unknown.empty(), (*unknown.begin()).c_str());
    }

    // The loader's deny reason (Field::DenyReason, computed once in the bulk scan) is the rule's code for
    // every event: plain events and Go search rows of a generated file, and the edge cases of the rule.
    void scannedDenyReasonMatchesRule() {
        QTemporaryDir dir;
        for (bool searchRows : {false, true}) {
            gen::GeneratorOptions o;
            o.seed = 18;
            o.events = 20000;
            o.searchRows = searchRows;
            std::ostringstream out;
            gen::generate(o, out);
            const auto file = load({writeFile(dir, searchRows ? "rows.jsonl" : "plain.jsonl", out.str())});
            QCOMPARE(file->size(), size_t(20000));
            size_t denies = 0, mismatches = 0;
            std::set<std::string> codes;
            for (RowId r = 0; r < file->size(); ++r) {
                const auto expected = denyReasonCode(file->event(r));
                const std::string_view scanned = file->field(r, Field::DenyReason);
                if (expected) ++denies, codes.insert(*expected);
                if (expected.value_or("") != scanned) ++mismatches;
            }
            QCOMPARE(mismatches, size_t(0));
            QVERIFY(denies > 1000);
            QVERIFY(codes.size() > 20); // the generator emits every deny reason and status
        }
        // Every other shape goes through the same scan: a CSV export, API pages, by-request arrays.
        for (const char* name :
             {"api/audit-zone-demo-a.csv", "api/list-nofilter-page1.json",
              "api/by-request-te-allow-gateway-pair.json", "api/explain-te-deny-reason.json"}) {
            const auto other = load({dataPath(name)});
            QVERIFY2(other->size() > 0, name);
            for (RowId r = 0; r < other->size(); ++r)
                QCOMPARE(std::string(other->field(r, Field::DenyReason)),
                         denyReasonCode(other->event(r)).value_or(""));
        }
        // Edge cases: a non-string reason, an empty one, the last copy of a duplicated key, a first
        // diagnostics item without a reason, a status "complete", a non-deny.
        const std::string lines[] = {
            R"({"id":"a","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"deny","metadata_json":{"reason":5},"evaluation_status":"anomaly"})",
            R"({"id":"b","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"deny","metadata_json":{"reason":""},"evaluation_status":"complete","diagnostics_json":[{"reason":"no_rule_matched"}]})",
            R"({"id":"c","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"deny","metadata_json":{"reason":"x","reason":"rate_limited"}})",
            R"({"id":"d","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"deny","evaluation_status":"complete","diagnostics_json":[{"code":"c"},{"reason":"second"}]})",
            R"({"id":"e","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"allow","metadata_json":{"reason":"scope_mismatch"}})",
            R"({"id":"f","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","decision":"deny","decision":"allow","metadata_json":{"reason":"scope_mismatch"}})",
            R"({"id":"g","zone_id":"z","occurred_at":"2026-11-14T10:00:00Z","event_type":"control.invoke","decision":"deny","metadata_json":{"reason":"missing control scope"}})",
        };
        const char* expected[] = {"anomaly", "no_rule_matched",      "rate_limited", "policy_denied", "",
                                  "",        "missing control scope"};
        std::string text;
        for (const auto& l : lines)
            text += l + "\n";
        const auto edge = load({writeFile(dir, "edge.jsonl", text)});
        QCOMPARE(edge->size(), std::size(lines));
        for (RowId r = 0; r < edge->size(); ++r) {
            QCOMPARE(std::string(edge->field(r, Field::DenyReason)), std::string(expected[r]));
            QCOMPARE(denyReasonCode(edge->event(r)).value_or(""), std::string(expected[r]));
        }
    }

    void labelsAndTones() {
        QCOMPARE(eventLabel("token_exchange", "allow"), std::string("Token issued"));
        QCOMPARE(eventLabel("token_exchange", "deny"), std::string("Token denied"));
        QCOMPARE(eventLabel("gateway_resource_request", "allow"), std::string("Resource call"));
        QCOMPARE(eventLabel("step_up_issued", "pending"), std::string("Approval requested"));
        QCOMPARE(eventLabel("step_up_decided", "rejected"), std::string("Approval rejected"));
        QCOMPARE(eventLabel("run_launch", "deny"), std::string("Workload launch denied"));
        // A type Caracal does not emit is said to be unknown; only "_" turns into a space.
        QCOMPARE(eventLabel("some.new_type", "allow"), std::string("Some.new type (unknown event type)"));
        QCOMPARE(eventLabel("token.exchange", "allow"), std::string("Token.exchange (unknown event type)"));
        QCOMPARE(eventLabel("control.invoke", "allow"), std::string("Control command"));
        QCOMPARE(humanizeCode("federated_user_issuer.example.com"),
                 std::string("Federated user issuer.example.com"));
        QCOMPARE(humanizeCode("resource://a.b/c_d"), std::string("Resource://a.b/c d"));
        QCOMPARE(decisionTone("consumed"), Tone::Success);
        QCOMPARE(decisionTone("rejected"), Tone::Danger);
        QCOMPARE(decisionTone("partial"), Tone::Warning);
        QCOMPARE(decisionTone("weird"), Tone::Muted);
    }

    void summariesAndReasons() {
        QCOMPARE(eventSummary(store->event(0)),
                 std::string("payments-agent was issued a credential for resource://ledger"));
        QCOMPARE(
            eventSummary(store->event(2)),
            std::string("research-bot was denied a credential for resource://pipernet - No rule matched"));
        QCOMPARE(eventSummary(store->event(7)),
                 std::string("app-res called resource://pipernet - the upstream could not be reached"));
        QCOMPARE(*denyReasonCode(store->event(3)), std::string("scope_mismatch"));
        QCOMPARE(*denyReasonCode(store->event(11)),
                 std::string("provider_not_found")); // metadata reason first
        QCOMPARE(*denyReasonCode(store->event(9)), std::string("policy_eval_failed"));
        QVERIFY(!denyReasonCode(store->event(0)).has_value());
        QCOMPARE(actorName(store->event(10)), std::string("app-pay")); // replay: client_id
        // The operator's reason is shown, and it is prose, not a deny code.
        QCOMPARE(eventSummary(store->event(8)),
                 std::string("Control command audit was refused: \"missing control scope\""));
        // The rule covers every event type: a refused control command's reason is its metadata reason.
        QCOMPARE(*denyReasonCode(store->event(8)), std::string("missing control scope"));
        const nlohmann::ordered_json rejected = {{"id", "d1"},
                                                 {"zone_id", "z"},
                                                 {"event_type", "step_up_decided"},
                                                 {"decision", "rejected"},
                                                 {"metadata_json",
                                                  {{"tier", "high"},
                                                   {"approver_subject_id", "console:acct-1"},
                                                   {"reason", "not during the freeze"}}}};
        QCOMPARE(eventSummary(rejected),
                 std::string("high approval rejected by console:acct-1: \"not during the freeze\""));
    }
};

QTEST_GUILESS_MAIN(PresentationTest)
#include "tst_presentation.moc"
