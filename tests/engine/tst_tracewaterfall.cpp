#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "trace/TraceWaterfall.h"
#endif

using namespace caracal;
using namespace caracal::test;

class TraceWaterfallTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<EventStore> store;

    // A generated request that went through an approval: issued, decided (under the challenge id), consumed.
    std::optional<RequestTrace> requestWithApproval() {
        for (RowId r = 0; r < store->size(); ++r) {
            if (store->field(r, Field::EventType) != "step_up_consumed") continue;
            auto t =
                buildRequestTrace(*store, store->field(r, Field::Zone), store->field(r, Field::RequestId));
            if (t && t->stepUps.size() == 1 && t->stepUps[0].issued && t->stepUps[0].decided &&
                t->stepUps[0].consumed)
                return t;
        }
        return std::nullopt;
    }

  private slots:
    void initTestCase() {
        gen::GeneratorOptions o;
        o.seed = 18;
        o.events = 4000;
        std::ostringstream out;
        gen::generate(o, out);
        store = load({writeFile(tmp, "gen.jsonl", out.str())});
        QVERIFY(store->eventCount() > 3000);
    }

    void lanesMarksGapsAndTheApprovalSpan() {
        const auto t = requestWithApproval();
        QVERIFY2(t.has_value(), "the generator writes approval flows that end consumed");
        const TraceWaterfall w = buildTraceWaterfall(*t, *store);

        // One mark per step, in time order, each on the lane of its event type's surface.
        QCOMPARE(w.marks.size(), t->steps.size());
        const int64_t first = store->record(t->steps.front().row).occurredAt;
        QCOMPARE(w.startMicros, first);
        std::vector<std::string> expectedLanes;
        for (const char* name : {"STS", "Gateway", "Approvals", "API"})
            for (const TraceStep& s : t->steps)
                if (surfaceName(s.surface) == name &&
                    std::find(expectedLanes.begin(), expectedLanes.end(), name) == expectedLanes.end())
                    expectedLanes.push_back(name);
        QCOMPARE(w.lanes.size(), expectedLanes.size());
        for (size_t i = 0; i < expectedLanes.size(); ++i)
            QCOMPARE(w.laneName(i), expectedLanes[i]);
        QVERIFY(std::find(expectedLanes.begin(), expectedLanes.end(), "Approvals") != expectedLanes.end());
        int64_t last = 0;
        for (size_t i = 0; i < w.marks.size(); ++i) {
            const WaterfallMark& m = w.marks[i];
            QCOMPARE(m.row, t->steps[i].row);
            QCOMPARE(m.atMicros, store->record(m.row).occurredAt - first);
            QVERIFY(m.atMicros >= last);
            last = m.atMicros;
            QCOMPARE(w.laneName(m.lane),
                     std::string(surfaceName(surfaceOf(store->field(m.row, Field::EventType)))));
            QCOMPARE(m.eventId, store->eventId(m.row));
            QVERIFY(m.hoverText.find(m.eventId) != std::string::npos);
            QVERIFY(m.hoverText.find(m.label) != std::string::npos);
        }
        QCOMPARE(w.durationMicros, last);
        QCOMPARE(w.finalDecision, t->finalDecision);

        // Gaps: every pair of consecutive marks at different times, labelled with the difference.
        size_t expectedGaps = 0;
        for (size_t i = 1; i < t->steps.size(); ++i)
            if (store->record(t->steps[i].row).occurredAt > store->record(t->steps[i - 1].row).occurredAt)
                ++expectedGaps;
        QCOMPARE(w.gaps.size(), expectedGaps);
        QVERIFY(expectedGaps > 0);
        for (const WaterfallGap& g : w.gaps) {
            QCOMPARE(g.fromMicros, w.marks[g.from].atMicros);
            QCOMPARE(g.toMicros, w.marks[g.from + 1].atMicros);
            QCOMPARE(g.label, "+" + waterfallDuration(g.toMicros - g.fromMicros));
        }

        // The hold: a span on the Approvals lane from issued through decided to consumed.
        QCOMPARE(w.spans.size(), size_t(1));
        const WaterfallSpan& span = w.spans[0];
        const StepUpFlow& flow = t->stepUps[0];
        QCOMPARE(w.laneName(span.lane), std::string("Approvals"));
        QCOMPARE(span.challengeId, flow.challengeId);
        QCOMPARE(span.state, std::string("consumed"));
        QVERIFY(!span.open);
        QCOMPARE(span.startMicros, store->record(*flow.issued).occurredAt - first);
        QCOMPARE(span.decidedMicros, store->record(*flow.decided).occurredAt - first);
        QCOMPARE(span.endMicros, store->record(*flow.consumed).occurredAt - first);
        QVERIFY(span.startMicros < span.decidedMicros && span.decidedMicros <= span.endMicros);
        // The decision was found through its challenge id, and its mark says so.
        const int decided = w.markOf(*flow.decided);
        QVERIFY(decided >= 0);
        QVERIFY(w.marks[size_t(decided)].joined);
        QVERIFY(w.marks[size_t(decided)].hoverText.find("challenge id") != std::string::npos);
    }

    void anUndecidedHoldRunsToTheEnd() {
        const std::string path = writeFile(
            tmp, "held.jsonl",
            eventLine("a", "z", "2026-11-14T10:00:00Z", "held") + "\n" +
                "{\"id\":\"b\",\"zone_id\":\"z\",\"event_type\":\"step_up_issued\",\"request_id\":\"held\","
                "\"decision\":\"pending\",\"metadata_json\":{\"challenge_id\":\"ch-1\",\"tier\":\"high\"},"
                "\"occurred_at\":\"2026-11-14T10:00:02Z\"}\n" +
                "{\"id\":\"c\",\"zone_id\":\"z\",\"event_type\":\"control.invoke\",\"request_id\":\"held\","
                "\"decision\":\"allow\",\"occurred_at\":\"2026-11-14T10:00:05Z\"}\n");
        auto s = load({path});
        const auto t = buildRequestTrace(*s, "z", "held");
        QVERIFY(t.has_value());
        const TraceWaterfall w = buildTraceWaterfall(*t, *s);
        QCOMPARE(w.lanes.size(), size_t(3));
        QCOMPARE(w.laneName(0), std::string("STS"));
        QCOMPARE(w.laneName(1), std::string("Approvals"));
        QCOMPARE(w.laneName(2), std::string("API"));
        QCOMPARE(w.durationMicros, int64_t(5'000'000));
        QCOMPARE(w.gaps.size(), size_t(2));
        QCOMPARE(w.gaps[0].label, std::string("+2.0 s"));
        QCOMPARE(w.gaps[1].label, std::string("+3.0 s"));
        QCOMPARE(w.spans.size(), size_t(1));
        QVERIFY(w.spans[0].open);
        QCOMPARE(w.spans[0].startMicros, int64_t(2'000'000));
        QCOMPARE(w.spans[0].endMicros, int64_t(5'000'000));
        QCOMPARE(w.spans[0].decidedMicros, int64_t(-1));
    }

    void durations() {
        QCOMPARE(waterfallDuration(850), std::string("850 \u00b5s"));
        QCOMPARE(waterfallDuration(12'500), std::string("12.5 ms"));
        QCOMPARE(waterfallDuration(3'200'000), std::string("3.2 s"));
        QCOMPARE(waterfallDuration(240'000'000), std::string("4.0 min"));
        QCOMPARE(waterfallDuration(9'000'000'000), std::string("2.5 h"));
    }
};

QTEST_GUILESS_MAIN(TraceWaterfallTest)
#include "tst_tracewaterfall.moc"
