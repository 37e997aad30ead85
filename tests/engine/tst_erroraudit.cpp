#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "trace/ErrorAuditComparison.h"
#endif

using namespace caracal;
using namespace caracal::test;
using Verdict = ErrorAuditComparison::Verdict;

class ErrorAuditTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<EventStore> store;

    ErrorAuditComparison compare(const std::string& body) {
        return compareErrorWithAudit(explainErrorBody(body), *store);
    }

  private slots:
    void initTestCase() {
        const std::string text =
            // A policy deny whose only reason is in the diagnostics, behind the STS's generic 403.
            "{\"id\":\"d1\",\"zone_id\":\"z\",\"event_type\":\"token_exchange\",\"request_id\":\"req-deny\","
            "\"decision\":\"deny\",\"evaluation_status\":\"complete\",\"diagnostics_json\":[{\"reason\":"
            "\"no_rule_matched\"}],\"metadata_json\":{\"resource\":\"crm\"},\"occurred_at\":"
            "\"2026-11-14T10:00:00Z\"}\n" +
            eventLine("a1", "z", "2026-11-14T10:00:01Z", "req-allow") + "\n" +
            eventLine("h1", "z", "2026-11-14T10:00:02Z", "req-held") + "\n" +
            "{\"id\":\"h2\",\"zone_id\":\"z\",\"event_type\":\"step_up_issued\",\"request_id\":\"req-held\","
            "\"decision\":\"pending\",\"metadata_json\":{\"challenge_id\":\"ch-7\",\"tier\":\"high\"},"
            "\"occurred_at\":\"2026-11-14T10:00:03Z\"}\n";
        store = load({writeFile(tmp, "audit.jsonl", text)});
        QCOMPARE(store->eventCount(), size_t(4));
    }

    void accessDeniedHidesTheRealReason() {
        const auto c = compare("{\"error\":\"access_denied\",\"error_description\":\"policy denied\","
                               "\"requestId\":\"req-deny\"}");
        QCOMPARE(c.verdict, Verdict::AgreesDecision);
        QCOMPARE(c.zone, std::string("z"));
        QCOMPARE(c.auditDecision, std::string("deny"));
        QVERIFY(c.realReason.has_value());
        QCOMPARE(*c.realReason, std::string("no_rule_matched"));
        QVERIFY(c.decidingRow.has_value());
        QCOMPARE(store->eventId(*c.decidingRow), std::string("d1"));
        QVERIFY(c.message.find("no_rule_matched") != std::string::npos);
    }

    void theSameReasonAgrees() {
        const auto c = compare("{\"error\":\"no_rule_matched\",\"requestId\":\"req-deny\"}");
        QCOMPARE(c.verdict, Verdict::Agrees);
        QCOMPARE(std::string(verdictName(c.verdict)), std::string("agrees"));
    }

    void anotherReasonDisagrees() {
        const auto c = compare("{\"error\":\"invalid_token\",\"requestId\":\"req-deny\"}");
        QCOMPARE(c.verdict, Verdict::Disagrees);
        QVERIFY(c.message.find("no_rule_matched") != std::string::npos);
    }

    void aDenyTheAuditRecordsAsAllowed() {
        const auto c = compare("{\"error\":\"access_denied\",\"requestId\":\"req-allow\"}");
        QCOMPARE(c.verdict, Verdict::Disagrees);
        QCOMPARE(c.auditDecision, std::string("allow"));
        QVERIFY(!c.realReason.has_value());
        QVERIFY(c.message.find("without an audit event") != std::string::npos);
    }

    void anApprovalHold() {
        QCOMPARE(compare("{\"error\":\"interaction_required\",\"requestId\":\"req-held\"}").verdict,
                 Verdict::Agrees);
        QCOMPARE(compare("{\"error\":\"interaction_required\",\"requestId\":\"req-deny\"}").verdict,
                 Verdict::Disagrees);
    }

    void theRequestIdInDetails() {
        const auto c = compare("{\"error\":\"access_denied\",\"details\":{\"request_id\":\"req-deny\"}}");
        QCOMPARE(c.requestId, std::string("req-deny"));
        QCOMPARE(c.verdict, Verdict::AgreesDecision);
    }

    void nothingToCompare() {
        QCOMPARE(compare("{\"error\":\"access_denied\",\"requestId\":\"elsewhere\"}").verdict,
                 Verdict::NotLoaded);
        QCOMPARE(compare("{\"error\":\"access_denied\"}").verdict, Verdict::NoRequestId);
    }
};

QTEST_GUILESS_MAIN(ErrorAuditTest)
#include "tst_erroraudit.moc"
