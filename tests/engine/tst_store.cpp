#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "load/StoreMerge.h"
#include "store/StoreStats.h"
#endif

using namespace caracal;
using namespace caracal::test;

class StoreTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

  private slots:
    void timeOrderBreaksTiesById() {
        // Out of order, with two events in the same microsecond.
        const std::string text = eventLine("c", "z", "2026-11-14T10:00:02Z") + "\n" +
                                 eventLine("b", "z", "2026-11-14T10:00:01.000001Z") + "\n" +
                                 eventLine("a", "z", "2026-11-14T10:00:01.000001Z") + "\n" +
                                 eventLine("d", "z", "2026-11-14T11:00:01+02:00") + "\n";
        auto store = load({writeFile(tmp, "order.jsonl", text)});
        QStringList ids;
        for (RowId r : store->timeOrder())
            ids << QString::fromStdString(store->eventId(r));
        QCOMPARE(ids, QStringList({"d", "a", "b", "c"}));
    }

    void postingsByIndexedFields() {
        auto store = load({dataPath("filter-events.jsonl")});
        QCOMPARE(store->rowsWith(Field::Zone, "zone-a").size(), size_t(8));
        QCOMPARE(store->rowsWith(Field::Decision, "deny").size(), size_t(6));
        QCOMPARE(store->rowsWith(Field::EventType, "token_exchange").size(), size_t(6));
        QCOMPARE(store->rowsWith(Field::RequestId, "req-4").size(), size_t(2));
        QCOMPARE(store->rowsWith(Field::RequestId, "nope").size(), size_t(0));
        QCOMPARE(store->rowsWith(Field::Resource, "resource://ledger").size(), size_t(0)); // not indexed
        const auto zones = store->valueCounts(Field::Zone);
        QCOMPARE(zones.size(), size_t(3));
        QCOMPARE(zones[0].first, std::string_view("zone-a"));
        QCOMPARE(zones[0].second, size_t(8));
        // Postings are in time order.
        const auto deny = store->rowsWith(Field::Decision, "deny");
        for (size_t i = 1; i < deny.size(); ++i)
            QVERIFY(store->lessInTime(deny[i - 1], deny[i]));
    }

    void fieldsAndTags() {
        auto store = load({dataPath("filter-events.jsonl")});
        QCOMPARE(store->field(0, Field::Application), std::string_view("app-pay"));
        QCOMPARE(store->field(0, Field::ApplicationName), std::string_view("payments-agent"));
        QCOMPARE(store->field(0, Field::Session), std::string_view("s-1"));
        QCOMPARE(store->field(0, Field::AuthorityRecord), std::string_view("ar-1"));
        QCOMPARE(store->field(0, Field::PolicySetVersion), std::string_view("psv-1"));
        QCOMPARE(store->field(10, Field::Application), std::string_view("app-pay")); // replay: client_id
        QStringList tags;
        for (uint32_t t : store->tags(0))
            tags << QString::fromStdString(std::string(store->str(t & kTagIdMask)));
        QCOMPARE(tags, QStringList({"caracal-payments-mint", "finance"}));
    }

    void applicationNamesResolveAcrossEvents() {
        auto store = load({dataPath("filter-events.jsonl")});
        QCOMPARE(store->field(1, Field::ApplicationName),
                 std::string_view("")); // the Gateway event has only the id
        QCOMPARE(store->actorOf(1), std::string_view("payments-agent"));
        QCOMPARE(store->actorOf(4), std::string_view("research-bot"));
        QCOMPARE(store->actorOf(14), std::string_view("app-x")); // never named: the id
        QCOMPARE(store->applicationName("app-res"), std::string_view("research-bot"));
        QCOMPARE(store->applicationName("nobody"), std::string_view(""));
    }

    void jsonFieldsAccessible() {
        auto store = load({dataPath("filter-events.jsonl")});
        const auto ev = store->event(9);
        QVERIFY(ev["diagnostics_json"].is_array());
        QCOMPARE(ev["diagnostics_json"][0]["error"].get<std::string>(), std::string("opa eval: boom"));
        QVERIFY(ev["determining_policies_json"].is_null());
        QCOMPARE(store->event(0)["metadata_json"]["agent_labels"][0].get<std::string>(),
                 std::string("finance"));
        // Key order is the input's.
        QCOMPARE(QString::fromStdString(store->event(0).begin().key()), "id");
    }

    void statsCountEverything() {
        auto store = load({dataPath("filter-events.jsonl")});
        const StoreStats s = computeStats(*store);
        QCOMPARE(s.events, size_t(15));
        QCOMPARE(s.zones.at("zone-a"), size_t(8));
        QCOMPARE(s.decisions.at("deny"), size_t(6));
        QCOMPARE(s.zoneDecisions.at("zone-b").at("pending"), size_t(1));
        QCOMPARE(s.eventTypes.at("step_up_decided"), size_t(1));
        const auto j = statsToJson(s);
        QStringList keys;
        for (auto it = j.begin(); it != j.end(); ++it)
            keys << QString::fromStdString(it.key());
        QCOMPARE(keys,
                 QStringList({"events", "bad_lines", "zones", "decisions", "zone_decisions", "event_types"}));
    }

    // The same events from the API (millisecond times, authority record redacted), from a file export (full
    // precision, raw) and from the audit service (chain fields): each id is shown once, from the richest
    // copy.
    void mergingKeepsTheRicherCopy() {
        auto withMeta = [](std::string line, const std::string& authority) {
            line.pop_back();
            return line + ",\"metadata_json\":{\"session_id\":\"" + authority + "\"}}";
        };
        const std::string api =
            withMeta(eventLine("a", "z", "2026-11-14T10:00:01.123Z"), "[redacted]") + "\n" +
            withMeta(eventLine("b", "z", "2026-11-14T10:00:02.000Z"), "[redacted]") + "\n";
        const std::string file =
            withMeta(eventLine("a", "z", "2026-11-14T10:00:01.123456Z"), "ar-1") + "\n" +
            withMeta(eventLine("c", "z", "2026-11-14T10:00:03.5Z"), "ar-3") + "\n" +
            withMeta(eventLine("a", "other-zone", "2026-11-14T10:00:01.123456Z"), "ar-9") + "\n";
        auto base = load({writeFile(tmp, "api.jsonl", api)});
        const auto fromFile = [&](const std::string& name, const std::string& text) {
            const std::string path = writeFile(tmp, name, text);
            return [path](const LoadCallbacks& cb) { return loadFiles({path}, {}, cb); };
        };
        const StoreExtension merged = extendStore(*base, fromFile("export.jsonl", file));
        QVERIFY(merged.store);
        QCOMPARE(merged.counts.added, size_t(2)); // c, and a in another zone
        QCOMPARE(merged.counts.replaced, size_t(1));
        QCOMPARE(merged.counts.kept, size_t(0));
        const EventStore& m = *merged.store;
        QCOMPARE(m.size(), size_t(5));
        QCOMPARE(m.eventCount(), size_t(4));
        QVERIFY(m.isSuperseded(0));
        QCOMPARE(base->size(), size_t(2)); // the original is untouched
        QCOMPARE(base->eventCount(), size_t(2));
        QStringList shown;
        for (RowId r : m.timeOrder())
            shown << QString::fromStdString(m.eventId(r) + "@" +
                                            std::string(m.field(r, Field::AuthorityRecord)));
        QCOMPARE(shown, QStringList({"a@ar-1", "a@ar-9", "b@[redacted]", "c@ar-3"}));
        QCOMPARE(m.rowsWith(Field::RequestId, "req-1").size(), size_t(4));
        QCOMPARE(m.rowsWith(Field::Zone, "z").size(), size_t(3));
        QCOMPARE(computeStats(m).events, size_t(4));

        // Reading the API again (follow mode) adds nothing and keeps the richer copies.
        const StoreExtension again = extendStore(m, fromFile("api-again.jsonl", api));
        QCOMPARE(again.counts.added, size_t(0));
        QCOMPARE(again.counts.kept, size_t(2));
        QCOMPARE(again.store->eventCount(), size_t(4));
        QCOMPARE(again.store->timeOrder(), m.timeOrder());

        // An audit-service row (chain fields) outranks the file.
        const std::string searchRow =
            "{\"Event\":" + withMeta(eventLine("c", "z", "2026-11-14T10:00:03.5Z"), "ar-3") +
            ",\"ContentSHA256\":\"" + std::string(64, 'a') + "\",\"ChainSeq\":7}\n";
        const StoreExtension chained = extendStore(m, fromFile("search.jsonl", searchRow));
        QCOMPARE(chained.counts.replaced, size_t(1));
        const RowId c = chained.store->timeOrder().back();
        QVERIFY(chained.store->record(c).flags & SearchRow);
        QVERIFY(eventRichness(*chained.store, c) > eventRichness(m, m.timeOrder().back()));

        // A cancelled extension gives no store.
        std::atomic<bool> cancel{true};
        QVERIFY(!extendStore(m, fromFile("x.jsonl", file), &cancel).store);
    }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "tst_store.moc"
