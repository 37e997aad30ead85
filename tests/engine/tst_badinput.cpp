#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#endif

#include <sys/stat.h>
#include <unistd.h>

using namespace caracal;
using namespace caracal::test;

// The bad-input corpus: every problem is reported with its line, every valid line is kept, nothing hangs.
class BadInputTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    static std::string reasonAt(const EventStore& s, uint32_t line) {
        for (const auto& b : s.badLines())
            if (b.line == line) return b.reason;
        return "(no report)";
    }

  private slots:
    void corpusKeepsEveryValidLine() {
        std::string deep =
            "{\"id\":\"deep\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\",\"metadata_json\":";
        deep += std::string(20000, '[') + std::string(20000, ']') + "}";
        const std::string big = "{\"id\":\"big\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\","
                                "\"metadata_json\":{\"blob\":\"" +
                                std::string(10 * 1024 * 1024, 'x') + "\"}}";
        std::string nul = eventLine("nul");
        nul[20] = '\0';
        const std::vector<std::string> lines = {
            eventLine("ok-1"),                                                          // 1
            "{\"id\":\"t\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\"", // 2 truncated
            "not json at all",                                                          // 3
            "\"just a string\"",                                                        // 4
            "{\"id\":5,\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\"}",    // 5 wrong type
            "{\"id\":\"m\",\"occurred_at\":\"2026-11-14T00:00:00Z\"}",                  // 6 missing zone
            "{\"id\":\"y\",\"zone_id\":\"z\",\"occurred_at\":\"yesterday\"}",           // 7 bad time
            "{\"id\":\"u\",\"zone_id\":\"z\xff\xfe\",\"occurred_at\":\"2026-11-14T00:00:00Z\"}", // 8 bad
                                                                                                 // UTF-8
            nul,                                                                                 // 9 NUL byte
            deep,                     // 10 deep nesting
            big,                      // 11 a valid 10 MB line
            eventLine("crlf") + "\r", // 12 CRLF ending
            "",                       // 13 blank
            "{\"id\":\"\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\"}", // 14 empty id:
                                                                                        // Caracal rejects it
            "{\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\",\"decision\":7}", // 15 missing id
            "{\"id\":\"odd\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\",\"decision\":7,"
            "\"event_type\":null,\"metadata_json\":\"x\"}",             // 16 odd but fine
            eventLine("ok-2"),                                          // 17
            eventLine("zero", "z", "0001-01-01T00:00:00Z"),             // 18 Go's zero time
            eventLine("nozone", ""),                                    // 19 empty zone_id
            eventLine("notime", "z", ""),                               // 20 empty occurred_at
            eventLine("zero-frac", "z", "0001-01-01T00:00:00.000000Z"), // 21 the zero time, written longer
        };
        std::string text;
        for (const auto& l : lines)
            text += l + "\n";
        text.pop_back(); // no newline at the end of the file
        auto store = load({writeFile(tmp, "corpus.jsonl", text)});

        QStringList ids;
        for (RowId r = 0; r < store->size(); ++r)
            ids << QString::fromStdString(store->eventId(r));
        QCOMPARE(ids, QStringList({"ok-1", "big", "crlf", "odd", "ok-2"}));
        QCOMPARE(store->badLines().size(), size_t(15));
        QVERIFY(QString::fromStdString(reasonAt(*store, 2)).contains("truncated"));
        QVERIFY(QString::fromStdString(reasonAt(*store, 3)).contains("malformed"));
        QCOMPARE(reasonAt(*store, 4), std::string("not a JSON object (found a string)"));
        QCOMPARE(reasonAt(*store, 5), std::string("\"id\" is a number, not a string"));
        QCOMPARE(reasonAt(*store, 6), std::string("missing \"zone_id\""));
        QCOMPARE(reasonAt(*store, 7), std::string("\"occurred_at\" is not an RFC 3339 time: \"yesterday\""));
        QCOMPARE(reasonAt(*store, 8), std::string("invalid UTF-8"));
        QCOMPARE(reasonAt(*store, 9), std::string("NUL byte at column 21"));
        QCOMPARE(reasonAt(*store, 10), std::string("nested deeper than 1024 levels"));
        QCOMPARE(reasonAt(*store, 15), std::string("missing \"id\""));
        // What Caracal's audit consumer refuses is a bad line here too.
        QVERIFY(QString::fromStdString(reasonAt(*store, 14)).startsWith("\"id\" is empty"));
        QVERIFY(QString::fromStdString(reasonAt(*store, 18)).contains("zero time"));
        QVERIFY(QString::fromStdString(reasonAt(*store, 19)).startsWith("\"zone_id\" is empty"));
        QVERIFY(QString::fromStdString(reasonAt(*store, 20)).startsWith("\"occurred_at\" is empty"));
        QVERIFY(QString::fromStdString(reasonAt(*store, 21)).contains("zero time"));
        QCOMPARE(store->record(1).line, 11u);
        QCOMPARE(store->rowText(2).back(), '}'); // the CR is not part of the row
        QCOMPARE(store->record(4).line, 17u);
    }

    void crlfFileLoadsWhole() {
        auto store = load({writeFile(tmp, "crlf.jsonl", eventLine("a") + "\r\n" + eventLine("b") + "\r\n")});
        QCOMPARE(store->size(), size_t(2));
        QVERIFY(store->badLines().empty());
        QCOMPARE(store->event(1)["id"].get<std::string>(), std::string("b"));
    }

    void brokenFirstLineDoesNotLoseTheRest() {
        // Looks like the start of a pretty-printed document, but it is JSON lines with a broken first line.
        auto store = load({writeFile(tmp, "first-broken.jsonl",
                                     "{\"id\":\"x\",\"zone_id\":"
                                     "\n" +
                                         eventLine("a") + "\n" + eventLine("b") + "\n")});
        QCOMPARE(store->size(), size_t(2));
        QCOMPARE(store->badLines().size(), size_t(1));
        QCOMPARE(store->badLines()[0].line, 1u);
    }

    void fileTruncatedWhileOpen() {
        std::string text;
        for (int i = 0; i < 400; ++i)
            text += eventLine("e" + std::to_string(i), "z", "2026-11-14T10:00:00Z", "r") + "\n";
        const std::string path = writeFile(tmp, "shrinking.jsonl", text);
        auto store = load({path});
        QCOMPARE(store->size(), size_t(400));
        QVERIFY(!store->source(0).truncated());
        QCOMPARE(truncate(path.c_str(), 0), 0); // log rotation, or another program rewriting the file
        // Reading the last event touches pages past the new end: zeros instead of a crash, and the source
        // says so.
        const RowId last = store->timeOrder().back();
        const std::string_view bytes = store->rowText(last);
        QCOMPARE(bytes.size(), size_t(store->record(last).length));
        QVERIFY(bytes.find_first_not_of('\0') == std::string_view::npos);
        QVERIFY(store->event(last).is_discarded());
        QVERIFY(store->source(0).truncated());
    }

    void emptyAndBlankFiles() {
        auto empty = load({writeFile(tmp, "empty.jsonl", "")});
        QCOMPARE(empty->size(), size_t(0));
        QVERIFY(empty->badLines().empty());
        QVERIFY(empty->loadErrors().empty());
        QCOMPARE(empty->notices().size(), size_t(1));
        auto blank = load({writeFile(tmp, "blank.jsonl", "\n\n  \r\n")});
        QCOMPARE(blank->size(), size_t(0));
        QVERIFY(blank->badLines().empty());
    }

    // Folders, FIFOs and compressed files are inputs now (tst_inputs); a missing path is still an error.
    void unreadableInputsAreErrorsNotCrashes() {
        auto store = load({tmp.path().toStdString() + "/missing.jsonl", dataPath("filter-events.jsonl"),
                           "/dev/null/not-a-dir.jsonl"});
        QCOMPARE(store->size(), size_t(15)); // the readable file still loads
        QCOMPARE(store->loadErrors().size(), size_t(2));
        QVERIFY(QString::fromStdString(store->loadErrors()[0]).contains("No such file or directory"));
        QVERIFY(QString::fromStdString(store->loadErrors()[1]).contains("Not a directory"));
    }

    void badItemsInsideAPage() {
        const std::string page = "{\"items\":[" + eventLine("a") + ",{\"id\":\"b\"},17," + eventLine("c") +
                                 "],\"next_cursor\":null}";
        auto store = load({writeFile(tmp, "page.json", page)});
        QCOMPARE(store->size(), size_t(2));
        QCOMPARE(store->badLines().size(), size_t(2));
        QCOMPARE(store->badLines()[0].reason, std::string("missing \"zone_id\""));
        QCOMPARE(store->badLines()[1].reason, std::string("not a JSON object (found a number)"));
    }

    void csvWithRaggedRows() {
        auto store =
            load({writeFile(tmp, "audit-zone-x.csv",
                            "id,occurred_at,event_type\r\na,2026-11-14T00:00:00.000Z,token_exchange\r\n"
                            "b,2026-11-14T00:00:01.000Z\r\nc,not-a-time,token_exchange\r\n"
                            "d,2026-11-14T00:00:02.000Z,\"multi\nline\"\r\n")});
        QCOMPARE(store->size(), size_t(2));
        QCOMPARE(store->field(1, Field::EventType), std::string_view("multi\nline"));
        QCOMPARE(store->record(1).line, 5u);
        QCOMPARE(store->badLines().size(), size_t(2));
        QCOMPARE(store->badLines()[0].line, 3u);
        QVERIFY(QString::fromStdString(store->badLines()[0].reason).contains("2 cells, the header has 3"));
        QCOMPARE(store->badLines()[1].line, 4u);
    }
};

QTEST_GUILESS_MAIN(BadInputTest)
#include "tst_badinput.moc"
