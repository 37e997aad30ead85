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

    void labelsAndTones() {
        QCOMPARE(eventLabel("token_exchange", "allow"), std::string("Token issued"));
        QCOMPARE(eventLabel("token_exchange", "deny"), std::string("Token denied"));
        QCOMPARE(eventLabel("gateway_resource_request", "allow"), std::string("Resource call"));
        QCOMPARE(eventLabel("step_up_issued", "pending"), std::string("Approval requested"));
        QCOMPARE(eventLabel("step_up_decided", "rejected"), std::string("Approval rejected"));
        QCOMPARE(eventLabel("run_launch", "deny"), std::string("Workload launch denied"));
        QCOMPARE(eventLabel("some.new_type", "allow"), std::string("Some new type"));
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
        QCOMPARE(eventSummary(store->event(8)), std::string("Control command audit was refused"));
    }
};

QTEST_GUILESS_MAIN(PresentationTest)
#include "tst_presentation.moc"
