#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "query/FilterQuery.h"
#include "query/TextSearch.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <random>
#endif

using namespace caracal;
using namespace caracal::test;

// Table-driven: expression -> expected count on tests/data/filter-events.jsonl (15 events, see the file),
// expression -> expected error text.
class FilterTest : public QObject {
    Q_OBJECT
    std::unique_ptr<EventStore> store;
    int64_t now = 0;

  private slots:
    void initTestCase() {
        store = load({dataPath("filter-events.jsonl")});
        QCOMPARE(store->size(), size_t(15));
        now = *parseRfc3339Micros("2026-11-14T10:15:00Z");
    }

    void counts_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("count");
        const std::vector<std::pair<const char*, int>> rows = {
            {"", 15},
            {"zone:zone-a", 8},
            {"zone:zone-b", 5},
            {"zone:nonexistent", 0},
            {"zone_id:zone-c", 2},
            {"request:req-1", 2},
            {"request:ctl-1", 1},
            {"type:token_exchange", 6},
            {"type:step_up_*", 3},
            {"type:gateway* OR type:run*", 3},
            {"decision:deny", 6},
            {"-decision:deny", 9},
            {"NOT type:token_exchange", 9},
            {"decision:deny zone:zone-a", 3},
            {"zone:zone-a AND decision:allow", 5},
            {"decision:deny OR decision:pending", 7},
            {"(zone:zone-b OR zone:zone-c) decision:deny", 3},
            {"-zone:zone-a -zone:zone-b", 2},
            {"status:scope_mismatch", 1},
            {"app:app-pay", 6},
            {"app:research-bot", 2},
            {"app:app-res", 5},
            {"app:payments-*", 4},
            {"session:s-1", 1},
            {"authority:ar-1", 1},
            {"resource:resource://ledger", 3},
            {"resource:resource://p*", 2},
            {"label:finance", 2},
            {"label:research", 2},
            {"reason:no_rule_matched", 1},
            {"reason:transport_error", 1},
            {"reason:provider_not_found", 1},
            {"reason:provider_unavailable", 1},
            {"reason:policy_eval_failed", 1},
            {"reason:\"missing control scope\"", 0}, // a control command's reason is prose, not a code
            {"reason:\"looks fine\"", 0},
            {"policy:caracal-payments-mint", 1},
            {"policy:caracal-*", 2},
            {"policy:psv-2", 4},
            {"policy:ps-1", 6},
            {"since:2026-11-14T10:10:00Z", 4},
            {"until:2026-11-14T10:01:00Z", 2},
            {"since:10m", 9},
            {"since:2026-11-14T10:00:00.5Z until:2026-11-14T10:01", 1},
            {"since:now", 0},
            {"quarterly", 1},
            {"Quarterly", 1},
            {"QUARTERLY", 0}, // capitals make the match exact
            {"\"opa eval\"", 1},
            {"resource://pipernet", 2},
            {"zone:zone-a (type:token_exchange OR type:run_launch) -decision:deny", 2},
        };
        for (const auto& [expr, n] : rows)
            QTest::newRow(expr) << QString(expr) << n;
    }
    void counts() {
        QFETCH(QString, expression);
        QFETCH(int, count);
        auto compiled = FilterQuery::compile(expression.toStdString(), *store, now);
        if (auto* e = std::get_if<FilterError>(&compiled)) QFAIL(e->text().c_str());
        const auto& q = std::get<FilterQuery>(compiled);
        const auto rows = q.run();
        QCOMPARE(int(rows.size()), count);
        // run() returns rows in time order, and agrees with matches().
        for (size_t i = 1; i < rows.size(); ++i)
            QVERIFY(store->lessInTime(rows[i - 1], rows[i]));
        int direct = 0;
        for (RowId r = 0; r < store->size(); ++r)
            direct += q.matches(r);
        QCOMPARE(direct, count);
    }

    void errors_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing value") << "zone:"
                                       << "column 6: expected a value after \"zone:\"";
        QTest::newRow("unclosed paren") << "(zone:a"
                                        << "column 8: expected \")\" to close the \"(\" at column 1";
        QTest::newRow("stray paren") << "zone:a)"
                                     << "column 7: unexpected \")\" with no matching \"(\"";
        QTest::newRow("dangling OR") << "zone:a OR"
                                     << "column 8: expected a term after OR";
        QTest::newRow("leading OR") << "OR zone:a"
                                    << "column 1: expected a term";
        QTest::newRow("unknown field")
            << "decision:deny zoen:a"
            << "column 15: unknown field \"zoen\"; expected one of zone, request, "
               "type, decision, status, app, "
               "session, authority, resource, label, reason, deny_reason, policy, since, until";
        QTest::newRow("unterminated quote") << "app:\"abc"
                                            << "column 5: unterminated quote: expected a closing \"";
        QTest::newRow("lonely dash") << "- zone:a"
                                     << "column 1: expected a term right after \"-\"";
        QTest::newRow("NOT at end") << "zone:a NOT"
                                    << "column 8: expected a term after NOT";
        QTest::newRow("empty group") << "zone:a ()"
                                     << "column 9: expected a term inside \"( )\"";
        QTest::newRow("bad time")
            << "since:yesterday"
            << "column 1: \"since:\" expects 15m, 2h, 7d, now or an ISO 8601 time, not \"yesterday\"";
    }
    void errors() {
        QFETCH(QString, expression);
        QFETCH(QString, error);
        auto compiled = FilterQuery::compile(expression.toStdString(), *store, now);
        auto* e = std::get_if<FilterError>(&compiled);
        QVERIFY2(e, "expected a parse error");
        QCOMPARE(QString::fromStdString(e->text()), error);
    }

    void relativeTimes() {
        QCOMPARE(*parseFilterTime("15m", now), now - 15 * 60 * 1000000LL);
        QCOMPARE(*parseFilterTime("2h", now), now - 2 * 3600 * 1000000LL);
        QCOMPARE(*parseFilterTime("7d", now), now - 7 * 86400 * 1000000LL);
        QCOMPARE(*parseFilterTime("now", now), now);
        QCOMPARE(*parseFilterTime("2026-11-14", now), *parseRfc3339Micros("2026-11-14T00:00:00Z"));
        QVERIFY(!parseFilterTime("15x", now));
    }

    void smartCaseText() {
        QVERIFY(containsText("Hello World", "world"));
        QVERIFY(containsText("HELLO", "hello"));
        QVERIFY(!containsText("hello", "Hello"));
        QVERIFY(containsText("xxabab", "abab"));
        QVERIFY(!containsText("ab", "abc"));
        QVERIFY(containsText("aAaAb", "aab"));
        QVERIFY(containsText("x-Research-BOT!", "research-bot"));
        QVERIFY(containsText("research-bot", "research-bot"));
        QVERIFY(!containsText("research-bo", "research-bot"));
        QVERIFY(containsText("zzzqa", "qa")); // the rare byte first
        QVERIFY(!containsText("q", "aq"));
        QVERIFY(containsText("aq", "aq"));
    }

    // Free text matches JSON strings as a user reads them: the audit service's copy (Go writes & < > as
    // \u0026 \u003c \u003e) and the API's copy of one event are both found.
    void freeTextMatchesDecodedStrings() {
        QTemporaryDir dir;
        const std::string goCopy =
            "{\"id\":\"go\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T10:00:00Z\","
            "\"metadata_json\":{\"path\":\"/v1?tenant=acme\\u0026region=eu\","
            "\"note\":\"\\u003cb\\u003e \\\"quoted\\\" a\\\\b\"}}";
        const std::string apiCopy =
            "{\"id\":\"api\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T10:00:01Z\","
            "\"metadata_json\":{\"path\":\"/v1?tenant=acme&region=eu\","
            "\"note\":\"<b> \\\"quoted\\\" a\\\\b\"}}";
        auto s = load({writeFile(dir, "copies.jsonl", goCopy + "\n" + apiCopy + "\n")});
        QCOMPARE(s->size(), size_t(2));
        auto count = [&](const std::string& expr) {
            return std::get<FilterQuery>(FilterQuery::compile(expr, *s, now)).run().size();
        };
        QCOMPARE(count("\"tenant=acme&region\""), size_t(2));
        QCOMPARE(count("\"<b>\""), size_t(2));
        QCOMPARE(count("\"TENANT=acme&region\""), size_t(0));   // smart case still applies
        QCOMPARE(count("\"a\\\\b\""), size_t(2));               // the filter "a\\b" is a\b as read
        QCOMPARE(count("\"\\\"quoted\\\"\""), size_t(2));       // "quoted" with its quotes
        QCOMPARE(count("\"tenant=acme\\\\u0026\""), size_t(1)); // the escape itself, typed, is raw text
    }

    // One string may mix escape forms (hand-edited files, other encoders, ASCII-only writers): the decoded
    // text is what counts, wherever the escapes are.
    void freeTextMatchesMixedEscapes() {
        auto found = [](std::string_view raw, std::string_view text) {
            return JsonTextNeedle(text).foundIn(raw);
        };
        QVERIFY(found(R"({"p":"acme\u0026region<eu\u003E"})", "acme&region<eu>"));
        QVERIFY(found(R"({"p":"a\u003Cb\u003eC"})", "a<b>c"));            // upper- and lower-case hex
        QVERIFY(found(R"({"u":"https:\/\/x.io\/a"})", "https://x.io/a")); // \/ for /
        QVERIFY(found(R"({"n":"caf\u00e9 cr\u00E8me"})", "café crème"));  // ASCII-only writer
        QVERIFY(found(R"({"n":"caf\u00e9 crème"})", "café crème"));       // half escaped, half not
        QVERIFY(found(R"({"e":"ok \ud83d\ude00!"})", "ok 😀!"));           // a surrogate pair
        // (no raw string here: moc reads a backslash before a quote in one as an escape)
        QVERIFY(found("{\"q\":\"say \\\"hi\\\" \\u0026 go\"}", "\"hi\" & go"));
        QVERIFY(found(R"({"x":"\u0026"})", "&")); // every character escaped
        QVERIFY(found(R"({"x":"a\u0026\u003c"})", "&<"));
        QVERIFY(found(R"({"p":"ACME\u0026Region"})", "acme&region")); // smart case over escapes
        QVERIFY(!found(R"({"p":"acme\u0026region"})", "ACME&region"));
        QVERIFY(!found(R"({"x":"\\u0026"})", "&")); // an escaped backslash, then the letters u0026
        QVERIFY(!found(R"({"x":"a\\u0026b"})", "a&b"));
        QVERIFY(!found(R"({"a":"x\u0026","b":"y"})", "x&\",\"b")); // decoded text ends at the string's end
        QVERIFY(!found(R"({"p":"acme\u0026regio"})", "acme&region"));
        QVERIFY(!found(R"({"p":"acm\u0026region"})", "acme&region"));
        QVERIFY(found(R"({"p":"a\\u0026"})", "a\\u0026")); // ... found where the text has one
        QVERIFY(!found(R"({"p":"x\u00"})", "x&"));         // a cut escape is not a character
    }

    // The vectorised scan agrees with a plain search at every alignment and length.
    void findTextAgreesWithPlainSearch() {
        std::mt19937 rng(7);
        const std::string alphabet = "abAB\"\\u0&x";
        for (int round = 0; round < 4000; ++round) {
            std::string hay(rng() % 70, ' '), needle(1 + rng() % 5, ' ');
            for (char& c : hay)
                c = alphabet[rng() % alphabet.size()];
            for (char& c : needle)
                c = alphabet[rng() % alphabet.size()];
            const bool fold =
                std::none_of(needle.begin(), needle.end(), [](char c) { return std::isupper(c); });
            std::string lowered = hay;
            if (fold)
                for (char& c : lowered)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const size_t from = hay.empty() ? 0 : rng() % (hay.size() + 1);
            QCOMPARE(findText(hay, needle, fold, from), lowered.find(needle, from));
        }
    }

    void requestTermUsesTheIndex() {
        // The narrowest indexed term decides the rows looked at; results are the same either way.
        auto a = std::get<FilterQuery>(FilterQuery::compile("request:req-4 zone:zone-b", *store, now)).run();
        QCOMPARE(a.size(), size_t(2));
        QCOMPARE(store->eventId(a[0]), std::string("e05"));
        QCOMPARE(store->eventId(a[1]), std::string("e07"));
    }
};

QTEST_GUILESS_MAIN(FilterTest)
#include "tst_filter.moc"
