#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "query/FilterQuery.h"
#include "statistics/FieldStatistics.h"
#include "trace/DiagnosticsOverview.h"
#endif

#include <map>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

// FieldStatistics over the whole store and over a view: sliced counting agrees with a plain loop, sparklines
// and decisions add up, row filters select the row's events, and cancelling stops the count.
class StatisticsTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<EventStore> store;

  private slots:
    void initTestCase() {
        gen::GeneratorOptions o;
        o.seed = 77;
        o.events = 150000; // past one slice (65,536 rows), so the count is split across cores
        std::ostringstream out;
        gen::generate(o, out);
        store = load({writeFile(tmp, "big.jsonl", out.str())});
        QCOMPARE(store->eventCount(), size_t(150000));
    }

    void countsAddUp_data() {
        QTest::addColumn<int>("field");
        for (StatisticsField f : allStatisticsFields())
            QTest::newRow(std::string(statisticsFieldName(f)).c_str()) << int(f);
    }
    void countsAddUp() {
        QFETCH(int, field);
        StatisticsOptions options;
        options.by = StatisticsField(field);
        options.sparklineSlices = 30;
        const StatisticsTable t = computeFieldStatistics(*store, options);
        QVERIFY(!t.cancelled);
        QCOMPARE(t.events, uint64_t(150000));
        QVERIFY(!t.rows.empty());
        const bool multi = options.by == StatisticsField::Label || options.by == StatisticsField::Policy;
        uint64_t sum = 0;
        for (const StatisticsRow& r : t.rows) {
            uint64_t d = 0, s = 0;
            for (uint64_t n : r.decisions)
                d += n;
            for (uint32_t n : r.sparkline)
                s += n;
            QCOMPARE(d, r.events);
            QCOMPARE(s, r.events);
            QCOMPARE(r.sparkline.size(), size_t(30));
            sum += r.events;
        }
        if (multi)
            QVERIFY(sum + t.without >= t.events);
        else
            QCOMPARE(sum + t.without, t.events);
        // The filter of a row selects that row's events (for single-valued fields, exactly them).
        const StatisticsRow& top = t.rows.front();
        auto q = FilterQuery::compile(statisticsRowFilter(options.by, top.value), *store, 0);
        QVERIFY(std::holds_alternative<FilterQuery>(q));
        const size_t matched = std::get<FilterQuery>(q).run().size();
        if (options.by == StatisticsField::Application || options.by == StatisticsField::Policy)
            QVERIFY(matched >= top.events); // app: also matches names; policy: also policy set ids
        else
            QCOMPARE(uint64_t(matched), top.events);
    }

    void slicedEqualsPlainLoop() {
        StatisticsOptions options;
        options.by = StatisticsField::Session;
        const StatisticsTable t = computeFieldStatistics(*store, options);
        std::map<std::string, uint64_t> expected;
        uint64_t without = 0;
        for (RowId r : store->timeOrder()) {
            const std::string_view s = store->field(r, Field::Session);
            s.empty() ? ++without : ++expected[std::string(s)];
        }
        QCOMPARE(t.without, without);
        QCOMPARE(t.rows.size(), expected.size());
        for (const StatisticsRow& r : t.rows)
            QCOMPARE(r.events, expected[r.value]);
    }

    void currentViewOnly() {
        auto q = FilterQuery::compile("decision:deny", *store, 0);
        const std::vector<RowId> view = std::get<FilterQuery>(q).run();
        StatisticsOptions options;
        options.by = StatisticsField::Decision;
        const StatisticsTable t = computeFieldStatistics(*store, options, &view);
        QCOMPARE(t.rows.size(), size_t(1));
        QCOMPARE(t.rows[0].value, std::string("deny"));
        QCOMPARE(t.rows[0].events, uint64_t(view.size()));
        // Reasons over the denies: one each, none without.
        options.by = StatisticsField::Reason;
        const StatisticsTable reasons = computeFieldStatistics(*store, options, &view);
        uint64_t sum = 0;
        for (const auto& r : reasons.rows)
            sum += r.events;
        QCOMPARE(sum, uint64_t(view.size()));
        QCOMPARE(reasons.without, uint64_t(0));
        // An empty view is an empty table.
        const std::vector<RowId> none;
        const StatisticsTable empty = computeFieldStatistics(*store, options, &none);
        QCOMPARE(empty.events, uint64_t(0));
        QVERIFY(empty.rows.empty());
    }

    void cancelStops() {
        std::atomic<bool> cancel{true};
        const StatisticsTable t = computeFieldStatistics(*store, {}, nullptr, &cancel);
        QVERIFY(t.cancelled);
        QVERIFY(t.rows.empty());
    }

    void rowFilterQuotes() {
        QCOMPARE(statisticsRowFilter(StatisticsField::Resource, "resource://a \"b\""), // quotes escaped
                 std::string("resource:\"resource://a \\\"b\\\"\""));
        QCOMPARE(statisticsRowFilter(StatisticsField::Reason, "no_rule_matched"),
                 std::string("deny_reason:no_rule_matched"));
        QCOMPARE(statisticsRowFilter(StatisticsField::Label, "team*"), std::string("label:\"team*\""));
        QCOMPARE(statisticsRowFilter(StatisticsField::Label, "a\\b(c)"), std::string("label:\"a\\\\b(c)\""));
        QCOMPARE(statisticsRowFilter(StatisticsField::EventType, "token_exchange"),
                 std::string("type:token_exchange"));
    }

    // The Diagnostics overview's deny reasons use the same rule: one per deny, so they add up to the denies.
    void diagnosticsDenyReasonsAddUp() {
        const auto groups = buildDiagnosticsOverview(*store);
        const auto deny = std::find_if(groups.begin(), groups.end(),
                                       [](const OverviewGroup& g) { return g.kind == "deny_reasons"; });
        QVERIFY(deny != groups.end());
        QCOMPARE(deny->total(), store->rowsWith(Field::Decision, "deny").size());
        QVERIFY(deny->note.empty()); // it adds up, so nothing to explain
        for (const OverviewGroup& g : groups)
            if (g.kind == "step_up" || g.kind == "gateway_errors" || g.kind == "policy_versions")
                QVERIFY2(!g.note.empty(), g.kind.c_str());
    }
};

QTEST_GUILESS_MAIN(StatisticsTest)
#include "tst_fieldstatistics.moc"
