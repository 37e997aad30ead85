#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "util/RawJson.h"
#endif

#include <sstream>

using namespace caracal;
using namespace caracal::test;

class LoaderTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    std::string searchRows(uint64_t events) {
        gen::GeneratorOptions o;
        o.seed = 11;
        o.events = events;
        o.searchRows = true;
        std::ostringstream out;
        gen::generate(o, out);
        return out.str();
    }

  private slots:
    void detectsShapes() {
        QCOMPARE(detectShape(""), InputShape::Empty);
        QCOMPARE(detectShape(" \n\r\n"), InputShape::Empty);
        QCOMPARE(detectShape(eventLine("a") + "\n" + eventLine("b")), InputShape::JsonLines);
        QCOMPARE(detectShape("[\n" + eventLine("a") + "\n]"), InputShape::JsonDocument);
        QCOMPARE(detectShape("{\n  \"items\": []\n}"), InputShape::JsonDocument);
        QCOMPARE(detectShape("id,occurred_at,event_type\r\nx,2026-11-14T00:00:00Z,y\r\n"),
                 InputShape::CsvExport);
        QCOMPARE(detectShape("hello,world\n"),
                 InputShape::JsonLines); // not an export header: lines, reported bad
    }

    void plainJsonLines() {
        auto store = load({dataPath("filter-events.jsonl")});
        QCOMPARE(store->size(), size_t(15));
        QVERIFY(store->badLines().empty());
        QCOMPARE(store->record(0).line, 1u);
        QCOMPARE(store->record(14).line, 15u);
        QCOMPARE(store->eventId(8), std::string("ctl-1"));
        QCOMPARE(store->field(8, Field::RequestId), std::string_view("ctl-1"));
    }

    void goSearchRowsOnePerLine() {
        const std::string text = searchRows(200);
        auto store = load({writeFile(tmp, "rows.jsonl", text)});
        QCOMPARE(store->size(), size_t(200));
        QVERIFY(store->badLines().empty());
        QVERIFY(store->record(0).flags & SearchRow);
        // The event is unwrapped; chain fields stay beside it under their own names.
        const auto ev = store->event(0);
        QVERIFY(ev.contains("id") && ev.contains("zone_id") && !ev.contains("Event"));
        QVERIFY(ev.contains("ChainSeq") && ev.contains("ContentSHA256") && ev.contains("PrevContentSHA256") &&
                ev.contains("ChainHMAC") && ev.contains("IngestedAt"));
        // The event's own bytes come through untouched.
        const std::string json = store->eventJson(0);
        const auto inner = rawjson::member(store->rowText(0), "Event");
        QVERIFY(json.rfind(std::string(inner->substr(0, inner->size() - 1)), 0) == 0);
    }

    void goSearchPages() {
        const std::string rows = searchRows(3);
        std::string items;
        std::istringstream lines(rows);
        for (std::string line; std::getline(lines, line);)
            items += (items.empty() ? "" : ",\n    ") + line;
        // A whole page as one pretty document, a page per line, and the empty page (events: null).
        const std::string doc = "{\n  \"events\": [\n    " + items + "\n  ],\n  \"next_cursor\": \"3\"\n}\n";
        auto a = load({writeFile(tmp, "page.json", doc)});
        QCOMPARE(a->size(), size_t(3));
        QCOMPARE(a->record(0).line, 3u); // items keep the line they start on
        QCOMPARE(a->record(2).line, 5u);
        std::string compact = "{\"events\":[" + items + "],\"next_cursor\":\"3\"}";
        compact.erase(std::remove(compact.begin(), compact.end(), '\n'), compact.end());
        auto b = load({writeFile(tmp, "pages.jsonl",
                                 compact + "\n{\"events\":null,\"next_cursor\":\"\"}\n" + compact + "\n")});
        QCOMPARE(b->size(), size_t(6));
        QVERIFY(b->badLines().empty());
        QCOMPARE(b->record(5).line, 3u);
        auto c = load({writeFile(tmp, "empty-page.json", "{\"events\": null, \"next_cursor\": \"\"}")});
        QCOMPARE(c->size(), size_t(0));
        QVERIFY(c->badLines().empty());
    }

    void apiPages() {
        auto store =
            load({dataPath("api/list-nofilter-page1.json"), dataPath("api/list-exact-limit-page2.json")});
        QCOMPARE(store->size(), size_t(50));
        QVERIFY(store->badLines().empty());
        QCOMPARE(store->sourceCount(), size_t(2)); // the empty page is a loaded input too
        // Exact bytes of the first item, and its full parse.
        QVERIFY(store->rowText(0).substr(0, 47) == "{\"id\":\"01a1d764-6fa2-7553-95ba-18f479eab20c\",\"z");
        QVERIFY(store->rowText(0).back() == '}');
        const auto ev = store->event(0);
        QCOMPARE(QString::fromStdString(ev["metadata_json"]["tier"].get<std::string>()), "high");
        QCOMPARE(store->field(0, Field::Decision), std::string_view("consumed"));
        QCOMPARE(store->field(0, Field::Zone), std::string_view("zone-demo-a"));
    }

    void byRequestArrayAndExplainTrace() {
        auto pair = load({dataPath("api/by-request-te-allow-gateway-pair.json")});
        QCOMPARE(pair->size(), size_t(2));
        QCOMPARE(pair->field(1, Field::EventType), std::string_view("gateway_resource_request"));
        QCOMPARE(pair->field(0, Field::RequestId), pair->field(1, Field::RequestId));
        auto explain = load({dataPath("api/explain-te-deny-reason.json")});
        QCOMPARE(explain->size(), size_t(1)); // its events; denied[] repeats them and is not read twice
        QCOMPARE(explain->field(0, Field::Decision), std::string_view("deny"));
    }

    void csvExport() {
        auto store = load({dataPath("api/audit-zone-demo-a.csv")});
        QCOMPARE(store->size(), size_t(50));
        QVERIFY(store->badLines().empty());
        QCOMPARE(store->field(0, Field::Zone), std::string_view("zone-demo-a"));
        QCOMPARE(store->record(0).line, 2u); // the header is line 1
        auto unnamed = load({dataPath("api/list-format-csv.csv")});
        QCOMPARE(unnamed->size(), size_t(50));
        QCOMPARE(unnamed->field(0, Field::Zone), std::string_view(""));
        QCOMPARE(unnamed->notices().size(), size_t(1));
        QVERIFY(QString::fromStdString(unnamed->notices()[0]).contains("audit-<zone>.csv"));
    }

    void pagesFromMemoryJoinTheSameStore() {
        // What a remote source does: each received page is a buffer appended to the store the files use.
        EventStore store;
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&& b) { store.append(std::move(b)); };
        std::ifstream page(dataPath("api/list-nofilter-page1.json"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
        QVERIFY(loadBuffer(SourceBuffer::fromBytes("http://127.0.0.1:3000/v1/zones/zone-demo-a/audit", bytes),
                           {}, cb));
        QVERIFY(loadFiles({dataPath("filter-events.jsonl")}, {}, cb));
        store.finishLoading();
        QCOMPARE(store.size(), size_t(65));
        QCOMPARE(store.rowsWith(Field::Zone, "zone-demo-a").size(), size_t(50));
        QCOMPARE(store.source(store.record(0).source).name(),
                 std::string("http://127.0.0.1:3000/v1/zones/zone-demo-a/audit"));
    }

    void prettyPrintedSingleEvent() {
        auto store = load({writeFile(tmp, "one.json",
                                     "{\n  \"id\": \"e1\",\n  \"zone_id\": \"z\",\n  \"occurred_at\": "
                                     "\"2026-11-14T00:00:00Z\"\n}\n")});
        QCOMPARE(store->size(), size_t(1));
        QCOMPARE(store->eventId(0), std::string("e1"));
    }

    void severalFilesOneStore() {
        auto store = load({dataPath("filter-events.jsonl"), dataPath("api/list-nofilter-page1.json"),
                           dataPath("api/audit-zone-demo-a.csv")});
        QCOMPARE(store->size(), size_t(115));
        QCOMPARE(store->sourceCount(), size_t(3));
        QCOMPARE(store->rowsWith(Field::Zone, "zone-demo-a").size(), size_t(100));
    }

    void stagedDeliveryInOrderWithProgress() {
        std::vector<uint64_t> ends;
        std::vector<uint64_t> done;
        size_t events = 0;
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&& b) {
            ends.push_back(b.bytesEnd);
            events += b.records.size();
        };
        cb.progress = [&](const LoadProgress& p) { done.push_back(p.bytesDone); };
        LoadOptions opt;
        opt.blockBytes = 64 * 1024;
        opt.threads = 2;
        QVERIFY(loadFiles({CARACAL_SAMPLE}, opt, cb));
        QVERIFY(ends.size() > 10);
        QVERIFY(std::is_sorted(ends.begin(), ends.end()));
        QVERIFY(std::is_sorted(done.begin(), done.end()));
        std::ifstream f(CARACAL_SAMPLE, std::ios::binary | std::ios::ate);
        QCOMPARE(done.back(), static_cast<uint64_t>(f.tellg()));
        QCOMPARE(events, size_t(4000));
    }

    void cancelStopsEarly() {
        std::atomic<bool> cancel{false};
        size_t batches = 0;
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&&) {
            ++batches;
            cancel = true;
        };
        cb.cancel = &cancel;
        LoadOptions opt;
        opt.blockBytes = 64 * 1024;
        QVERIFY(!loadFiles({CARACAL_SAMPLE}, opt, cb));
        QCOMPARE(batches, size_t(1));
    }

    void sameResultWithOneOrTwoThreadsAndAnyBlockSize() {
        LoadOptions one;
        one.threads = 1;
        LoadOptions two;
        two.threads = 2;
        two.blockBytes = 10000;
        auto a = load({CARACAL_SAMPLE}, one);
        auto b = load({CARACAL_SAMPLE}, two);
        QCOMPARE(a->size(), b->size());
        for (RowId r = 0; r < a->size(); r += 97) {
            QCOMPARE(a->eventId(r), b->eventId(r));
            QCOMPARE(a->record(r).line, b->record(r).line);
            QCOMPARE(a->rowText(r), b->rowText(r));
        }
    }

    void prefilterReadsOnlyCandidateRows() {
        auto full = load({CARACAL_SAMPLE});
        const std::string request(full->field(full->timeOrder()[500], Field::RequestId));
        LoadOptions opt;
        opt.prefilter = {request};
        auto narrowed = load({CARACAL_SAMPLE}, opt);
        QVERIFY(narrowed->size() < 10);
        const auto a = full->rowsWith(Field::RequestId, request);
        const auto b = narrowed->rowsWith(Field::RequestId, request);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            QCOMPARE(full->rowText(a[i]), narrowed->rowText(b[i]));
        QVERIFY(isRawSearchable("req-abc:1.2_x"));
        QVERIFY(!isRawSearchable("a\"b"));
        QVERIFY(!isRawSearchable("a<b"));
        QVERIFY(!isRawSearchable(""));
    }
};

QTEST_GUILESS_MAIN(LoaderTest)
#include "tst_loader.moc"
