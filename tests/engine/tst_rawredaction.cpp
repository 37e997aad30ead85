#ifndef Q_MOC_RUN
#include "TestSupport.h"
#include "load/ViewExport.h"
#include "util/MetadataRedaction.h"
#include "util/RawMetadataRedaction.h"
#endif

#include <random>

using namespace caracal;
using namespace caracal::test;

// Redaction on an event's own bytes (util/RawMetadataRedaction) and the view export built on it.
#ifndef Q_MOC_RUN // moc cannot read raw string literals
struct RawRedactionChecks {
    QTemporaryDir tmp;

    static std::pair<RawRedaction, std::string> redact(std::string_view in) {
        std::string out = "prefix|"; // what was in the buffer stays
        const RawRedaction r = redactEventText(in, out);
        if (out.rfind("prefix|", 0) != 0) return {r, "<prefix lost>"};
        return {r, out.substr(7)};
    }

    // The parsed-tree redaction is the reference: both must mean the same event.
    static void agreesWithTreeRedaction(const std::string& in) {
        const auto [r, out] = redact(in);
        QVERIFY(r != RawRedaction::Malformed);
        const auto expected = redactedEvent(nlohmann::ordered_json::parse(in));
        QCOMPARE(QString::fromStdString(nlohmann::ordered_json::parse(out).dump()),
                 QString::fromStdString(expected.dump()));
    }

  public:
    void nothingToRedactIsCopiedByteForByte() {
        // Odd spacing, escapes and number literals that a re-serialiser would change.
        const std::string line =
            R"({ "id":"e1" , "metadata_json" : {"application_id":"a\u0070p","latency_ms":1.50E+2,)"
            R"("note":"tok\"en","nested":{"list":[1,{"x":"token"}]}},"token":"top-level is not metadata"})";
        const auto [r, out] = redact(line);
        QCOMPARE(r, RawRedaction::Unchanged);
        QCOMPARE(out, line);
        // Already redacted values (however escaped) need nothing either.
        const std::string marked =
            R"({"metadata_json":{"session_id":"[redacted]","token":"\u005bredacted]"}})";
        QCOMPARE(redact(marked).first, RawRedaction::Unchanged);
        QCOMPARE(redact(marked).second, marked);
        // No metadata at all, or metadata that is not an object.
        QCOMPARE(redact(R"({"id":"x"})").second, std::string(R"({"id":"x"})"));
        QCOMPARE(redact(R"({"metadata_json":null})").first, RawRedaction::Unchanged);
    }

    void onlyTheValueSpansAreReplaced() {
        const std::string line = R"({"id":"e1", "metadata_json":{"a":1, "session_id" : "ar-9" ,"b":[2.50]},)"
                                 R"("occurred_at":"2026-11-14T10:00:00Z"})";
        const auto [r, out] = redact(line);
        QCOMPARE(r, RawRedaction::Redacted);
        QCOMPARE(out, std::string(
                          R"({"id":"e1", "metadata_json":{"a":1, "session_id" : "[redacted]" ,"b":[2.50]},)"
                          R"("occurred_at":"2026-11-14T10:00:00Z"})"));
    }

    void nestedObjectsArraysAndWholeValues() {
        const std::string line =
            R"({"metadata_json":{"outer":{"Password":{"deep":[1,2,{"x":"y"}]}},"list":[{"API_KEY":12},)"
            R"({"ok":true,"cookie":["a","b"]}],"secret":null,"authorization":false}})";
        const auto [r, out] = redact(line);
        QCOMPARE(r, RawRedaction::Redacted);
        QCOMPARE(
            out,
            std::string(
                R"({"metadata_json":{"outer":{"Password":"[redacted]"},"list":[{"API_KEY":"[redacted]"},)"
                R"({"ok":true,"cookie":"[redacted]"}],"secret":"[redacted]","authorization":"[redacted]"}})"));
        agreesWithTreeRedaction(line);
    }

    void escapedDuplicateAndCaseInsensitiveKeys() {
        // "\u0074oken" is "token"; a duplicate key is redacted in every copy; the name compares lower-cased.
        const std::string line =
            R"({"metadata_json":{"\u0074oken":"t1","TOKEN":"t2","token":"t3",)"
            R"("Session_ID":"s","tokens":"not a secret key"},"metadata_json":{"id_token":"x"}})";
        const auto [r, out] = redact(line);
        QCOMPARE(r, RawRedaction::Redacted);
        QCOMPARE(
            out,
            std::string(
                R"({"metadata_json":{"\u0074oken":"[redacted]","TOKEN":"[redacted]","token":"[redacted]",)"
                R"("Session_ID":"[redacted]","tokens":"not a secret key"},"metadata_json":{"id_token":"[redacted]"}})"));
        // Strings holding quotes, backslashes and braces do not confuse the scanner.
        const std::string tricky =
            R"({"metadata_json":{"note":"a \\\" } { \\","secret":"x\\\"y","z":"\\\\"}})";
        QCOMPARE(
            redact(tricky).second,
            std::string(R"({"metadata_json":{"note":"a \\\" } { \\","secret":"[redacted]","z":"\\\\"}})"));
        agreesWithTreeRedaction(tricky);
    }

    void everyOneOfTheSeventeenKeys() {
        const char* keys[] = {"password",      "passwd",     "secret",        "token",       "access_token",
                              "refresh_token", "id_token",   "api_key",       "apikey",      "authorization",
                              "cookie",        "set_cookie", "client_secret", "private_key", "session",
                              "session_id",    "assertion"};
        for (const char* key : keys) {
            const std::string line = std::string(R"({"metadata_json":{")") + key + R"(":"v"}})";
            QCOMPARE(redact(line).second,
                     std::string(R"({"metadata_json":{")") + key + R"(":"[redacted]"}})");
        }
    }

    void malformedInputNeverCrashes() {
        for (const char* bad :
             {"", "{", "[1,2]", R"({"metadata_json":{"token":"x)", R"({"metadata_json":{"token")",
              R"({"metadata_json":{"token":})", R"({"a":1}trailing)", R"({"a" 1})", "\"",
              R"({"metadata_json":[{"secret":[}]})", R"({"metadata_json":{"x":"\)"}) {
            std::string out = "kept";
            QCOMPARE(redactEventText(bad, out), RawRedaction::Malformed);
            QCOMPARE(out, std::string("kept"));
        }
        // Nesting past the engine's limit is refused, not followed down the stack.
        std::string deep = R"({"metadata_json":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
        std::string out;
        QCOMPARE(redactEventText(deep, out), RawRedaction::Malformed);
        // Random cuts and byte flips of a real event: any answer, never a crash or a read past the end.
        const std::string base =
            R"({"id":"e","metadata_json":{"token":"t","n":[1,{"secret":"s"}],"q":"\"x"}})";
        std::mt19937 rng(7);
        for (int i = 0; i < 20000; ++i) {
            std::string s = base.substr(0, rng() % (base.size() + 1));
            if (!s.empty() && rng() % 2) s[rng() % s.size()] = char(rng() % 256);
            std::string o;
            const RawRedaction r = redactEventText(s, o);
            QCOMPARE(o.empty(), r == RawRedaction::Malformed);
        }
    }

    void generatedEventsAgreeWithTheTreeRedaction() {
        // The generator writes session_id (the authority record) into metadata: every such event changes.
        size_t redacted = 0;
        for (const auto& event : generatedEvents(11, 400)) {
            const std::string line = event.dump();
            agreesWithTreeRedaction(line);
            std::string out;
            if (redactEventText(line, out) == RawRedaction::Redacted) ++redacted;
        }
        QVERIFY(redacted > 0);
    }

    void caracalsOwnProbeAgrees() {
        // Secrets planted in every column of a probe event: only metadata's are Caracal's to redact.
        std::ifstream in(dataPath("redaction/probe-raw.jsonl"));
        int lines = 0;
        for (std::string line; std::getline(in, line); ++lines) {
            agreesWithTreeRedaction(line);
            std::string out;
            redactEventText(line, out);
            QVERIFY(out.find("in-diagnostics") == std::string::npos ||
                    line.find("in-diagnostics") != std::string::npos);
        }
        QVERIFY(lines > 0);
    }

    void exportWritesTheViewRows() {
        const std::string a =
            R"({"id":"a","zone_id":"z","event_type":"token_exchange","request_id":"r1","decision":"allow",)"
            R"("evaluation_status":"complete","determining_policies_json":null,"diagnostics_json":null,)"
            R"("metadata_json":{"session_id":"ar-1","application_id":"=cmd"},"occurred_at":"2026-11-14T10:00:00Z"})";
        const std::string b = eventLine("b", "z", "2026-11-14T10:01:00Z");
        const std::string path = writeFile(tmp, "view.jsonl", a + "\n" + b + "\n");
        auto store = load({path});
        const std::vector<RowId> rows = {1, 0}; // a sorted view: the order given is the order written
        auto collect = [&](const ExportOptions& o, size_t* redacted = nullptr) {
            std::string out;
            const ExportOutcome outcome = exportRows(*store, rows, o, [&](std::string_view c) {
                out.append(c);
                return true;
            });
            if (redacted) *redacted = outcome.redactedRows;
            return out;
        };
        QCOMPARE(collect({}), b + "\n" + a + "\n");
        size_t redacted = 0;
        ExportOptions r;
        r.redact = true;
        std::string expected = a;
        expected.replace(expected.find("\"ar-1\""), 6, "\"[redacted]\"");
        QCOMPARE(collect(r, &redacted), b + "\n" + expected + "\n");
        QCOMPARE(redacted, size_t(1));
        ExportOptions c;
        c.format = ExportFormat::Csv;
        const std::string csv = collect(c);
        QVERIFY(csv.rfind("id,occurred_at,event_type", 0) == 0);
        QVERIFY(csv.find(",'=cmd,") != std::string::npos); // the formula guard
        // A cancelled export stops; a refusing sink is an error, not a silent short file.
        std::atomic<bool> cancel{true};
        QVERIFY(exportRows(
                    *store, rows, {}, [](std::string_view) { return true; }, &cancel)
                    .cancelled);
        QVERIFY(exportRows(*store, rows, {}, [](std::string_view) { return false; }).error.has_value());
    }
};
#endif

class RawRedactionTest : public QObject {
    Q_OBJECT
#ifndef Q_MOC_RUN
    RawRedactionChecks m_checks;
#endif

  private slots:
    void nothingToRedactIsCopiedByteForByte();
    void onlyTheValueSpansAreReplaced();
    void nestedObjectsArraysAndWholeValues();
    void escapedDuplicateAndCaseInsensitiveKeys();
    void everyOneOfTheSeventeenKeys();
    void malformedInputNeverCrashes();
    void generatedEventsAgreeWithTheTreeRedaction();
    void caracalsOwnProbeAgrees();
    void exportWritesTheViewRows();
};

#ifndef Q_MOC_RUN
void RawRedactionTest::nothingToRedactIsCopiedByteForByte() {
    m_checks.nothingToRedactIsCopiedByteForByte();
}
void RawRedactionTest::onlyTheValueSpansAreReplaced() {
    m_checks.onlyTheValueSpansAreReplaced();
}
void RawRedactionTest::nestedObjectsArraysAndWholeValues() {
    m_checks.nestedObjectsArraysAndWholeValues();
}
void RawRedactionTest::escapedDuplicateAndCaseInsensitiveKeys() {
    m_checks.escapedDuplicateAndCaseInsensitiveKeys();
}
void RawRedactionTest::everyOneOfTheSeventeenKeys() {
    m_checks.everyOneOfTheSeventeenKeys();
}
void RawRedactionTest::malformedInputNeverCrashes() {
    m_checks.malformedInputNeverCrashes();
}
void RawRedactionTest::generatedEventsAgreeWithTheTreeRedaction() {
    m_checks.generatedEventsAgreeWithTheTreeRedaction();
}
void RawRedactionTest::caracalsOwnProbeAgrees() {
    m_checks.caracalsOwnProbeAgrees();
}
void RawRedactionTest::exportWritesTheViewRows() {
    m_checks.exportWritesTheViewRows();
}
#endif

QTEST_GUILESS_MAIN(RawRedactionTest)
#include "tst_rawredaction.moc"
