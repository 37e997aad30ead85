#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "chain/ChainHash.h"
#include "chain/ChainVerifier.h"
#include "chain/Digest.h"
#include "chain/JsonbCanonical.h"
#include "chain/VerifyFiles.h"
#include "chain/VerifyReportFormat.h"
#include "util/Timestamp.h"
#endif

#include <QFile>
#include <QProcess>
#include <QTest>
#include <optional>
#include <random>
#include <regex>
#include <sstream>

using namespace caracal;
using Json = nlohmann::ordered_json;

namespace {

const char* kKeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::vector<std::string> searchRows(uint64_t events, const std::string& key, uint64_t seed = 7) {
    gen::GeneratorOptions o;
    o.seed = seed;
    o.events = events;
    o.zones = 2;
    o.searchRows = true;
    o.hmacKey = key;
    std::ostringstream out;
    gen::generate(o, out);
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Ordered mode (what the ledger uses): the same rows in (zone, chain_seq) order, in small batches, linked as
// they arrive. Empty when a line is not a single search row (pages, damaged rows): those are not compared.
std::optional<VerifyReport> verifyInChainOrder(const std::vector<std::string>& lines, const std::string& key,
                                               std::string& mismatch) {
    // The zone and chain_seq of each row, read with the engine's depth-limited cursor (a DOM parser would
    // recurse through the deeply nested rows some tests build).
    std::vector<std::pair<std::string, int64_t>> keys;
    for (const std::string& line : lines) {
        JsonCursor c(line);
        std::string_view name;
        std::string zone;
        int64_t seq = 0;
        bool hasZone = false, hasSeq = false;
        if (!c.beginObject()) return std::nullopt;
        while (c.nextMember(name)) {
            if (name == "Event" && c.peek() == '{') {
                c.beginObject();
                std::string_view inner;
                while (c.nextMember(inner)) {
                    if (inner == "zone_id" && c.peek() == '"')
                        hasZone = c.readString(zone);
                    else
                        c.skipValue();
                }
            } else if (name == "ChainSeq") {
                hasSeq = c.readInt64(seq);
            } else {
                c.skipValue();
            }
        }
        if (c.failed() || !c.atEnd() || !hasZone || !hasSeq) return std::nullopt;
        keys.emplace_back(zone, seq);
    }
    std::vector<size_t> order(lines.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    ChainVerifier verifier(!key.empty());
    verifier.setOrdered(true);
    ChainRowReader reader(key);
    ChainBatch batch;
    for (size_t n = 0; n < order.size(); ++n) {
        reader.readJson(lines[order[n]], {0, static_cast<uint32_t>(order[n])}, batch);
        if (n % 7 == 6) {
            verifier.add(std::move(batch));
            batch = ChainBatch();
            if (verifier.heldLinks() != 0) mismatch = "ordered mode kept links";
        }
    }
    verifier.add(std::move(batch));
    return verifier.finish();
}

// Set when ordered mode disagrees with the sorting verifier; checked after every test function.
std::string g_orderedMismatch;

void compareWithOrderedMode(const VerifyReport& sorted, const std::vector<std::string>& lines,
                            const std::string& key) {
    const auto ordered = verifyInChainOrder(lines, key, g_orderedMismatch);
    if (!ordered) return;
    auto differ = [&](const std::string& what) {
        if (g_orderedMismatch.empty()) g_orderedMismatch = "ordered mode differs: " + what;
    };
    if (ordered->zones.size() != sorted.zones.size()) return differ("zone count");
    for (size_t i = 0; i < sorted.zones.size(); ++i) {
        const ZoneVerdict &a = sorted.zones[i], &b = ordered->zones[i];
        if (a.zoneId != b.zoneId || a.rows != b.rows || a.firstSeq != b.firstSeq || a.lastSeq != b.lastSeq ||
            a.counts != b.counts || a.notes != b.notes || a.problems.size() != b.problems.size())
            return differ("zone " + a.zoneId);
        for (size_t p = 0; p < a.problems.size(); ++p) {
            const ChainProblem &x = a.problems[p], &y = b.problems[p];
            if (x.kind != y.kind || x.chainSeq != y.chainSeq || x.eventId != y.eventId ||
                x.expected != y.expected || x.found != y.found || x.message != y.message ||
                !(x.row == y.row) || x.before.has_value() != y.before.has_value() ||
                (x.before && !(*x.before == *y.before)))
                return differ("problem " + std::to_string(p) + " of zone " + a.zoneId);
        }
    }
}

// Every verification in these tests also runs in ordered mode, which must report exactly the same.
VerifyReport verifyLines(const std::vector<std::string>& lines, const std::string& key = {}) {
    VerifyRowsOptions o;
    o.key = key;
    VerifyReport report = verifyRows(
        lines.size(), [&](size_t i) { return std::string_view(lines[i]); }, o);
    compareWithOrderedMode(report, lines, key);
    return report;
}

std::string zoneOf(const std::string& line) {
    return Json::parse(line)["Event"]["zone_id"];
}
int64_t seqOf(const std::string& line) {
    return Json::parse(line)["ChainSeq"];
}
std::string str(const std::string& line, const char* field) {
    return Json::parse(line)[field];
}

// Replaces a top-level chain field of a search row, leaving every other byte as it was.
std::string withField(const std::string& line, const std::string& field, const std::string& rawValue) {
    const std::regex re("\"" + field + "\":(\"[^\"]*\"|-?[0-9]+)");
    return std::regex_replace(line, re, "\"" + field + "\":" + rawValue,
                              std::regex_constants::format_first_only);
}

// Index of the n-th row (0-based) of the zone of row 0, and that zone.
size_t nthOfZone(const std::vector<std::string>& lines, const std::string& zone, int n) {
    for (size_t i = 0; i < lines.size(); ++i)
        if (zoneOf(lines[i]) == zone && n-- == 0) return i;
    return lines.size();
}

size_t count(const ZoneVerdict& z, ProblemKind k) {
    return z.counts[static_cast<int>(k)];
}

const ZoneVerdict& zoneVerdict(const VerifyReport& r, const std::string& zone) {
    const ZoneVerdict* z = r.zone(zone);
    if (!z) qFatal("zone %s missing from the report", zone.c_str());
    return *z;
}

} // namespace

class VerifyTest : public QObject {
    Q_OBJECT
    const std::string key = hexDecode(kKeyHex);

  private slots:
    void cleanup() {
        const std::string mismatch = std::exchange(g_orderedMismatch, std::string());
        QVERIFY2(mismatch.empty(), mismatch.c_str());
    }

    // ---- the jsonb text rules (PostgreSQL's own output is checked in tst_pgjsonb) ----
    void jsonbText_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("keys by length then bytes") << "{\"bb\":1,\"a\":2,\"ab\":3,\"B\":0}"
                                                   << "{\"B\": 0, \"a\": 2, \"ab\": 3, \"bb\": 1}";
        QTest::newRow("duplicates, last wins") << "{\"a\":1,\"b\":2,\"a\":3}"
                                               << "{\"a\": 3, \"b\": 2}";
        QTest::newRow("nested, arrays keep order")
            << "{\"x\":[3,1,{\"zz\":true,\"y\":null}],\"e\":{}}"
            << "{\"e\": {}, \"x\": [3, 1, {\"y\": null, \"zz\": true}]}";
        QTest::newRow("whitespace") << " { \"a\" :\t[ 1 , 2 ]\n} "
                                    << "{\"a\": [1, 2]}";
        QTest::newRow("empty containers") << "[{},[]]"
                                          << "[{}, []]";
        QTest::newRow("escapes kept") << "[\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\"]"
                                      << "[\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\f\"]";
        QTest::newRow("Go's \\u escapes decoded")
            << "[\"\\u003cb\\u003e \\u0026 \\u2028 \\u0008 \\u000c \\u001f \\u00e9\"]"
            << QString::fromUtf8("[\"<b> & \xE2\x80\xA8 \\b \\f \\u001f \xC3\xA9\"]");
        QTest::newRow("non-ASCII raw")
            << QString::fromUtf8("{\"k\xC3\xA9y\":\"\xE6\x97\xA5\xF0\x9F\x90\x86\"}")
            << QString::fromUtf8("{\"k\xC3\xA9y\": \"\xE6\x97\xA5\xF0\x9F\x90\x86\"}");
        QTest::newRow("surrogate pair")
            << "[\"\\ud83d\\udc06\"]" << QString::fromUtf8("[\"\xF0\x9F\x90\x86\"]");
        QTest::newRow("scale kept") << "[1.50, 0.0, 100, 0.001]"
                                    << "[1.50, 0.0, 100, 0.001]";
        QTest::newRow("exponents expanded") << "[1e2, 1E+3, 1.5e1, 1.50e1, 2e-3, 1.0E-5, 12e0]"
                                            << "[100, 1000, 15, 15.0, 0.002, 0.000010, 12]";
        QTest::newRow("negative zero") << "[-0, -0.0, -0e5, -1.5]"
                                       << "[0, 0.0, 0, -1.5]";
        QTest::newRow("20-digit integers exact") << "[12345678901234567890, -98765432109876543210]"
                                                 << "[12345678901234567890, -98765432109876543210]";
        QTest::newRow("literals") << "[true,false,null]"
                                  << "[true, false, null]";
        QTest::newRow("scalar") << "\"just a string\""
                                << "\"just a string\"";
    }
    void jsonbText() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        JsonTextError e;
        const std::string out = canonicalJsonb(input.toStdString(), e);
        QVERIFY2(e.message.empty(), e.message.c_str());
        QCOMPARE(QString::fromStdString(out), expected);
        // Canonical text is a fixed point.
        QCOMPARE(QString::fromStdString(canonicalJsonb(out, e)), expected);
    }

    void jsonbErrorsAreLocated_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("says");
        QTest::newRow("trailing comma") << "{\"a\":1,}" << 7 << "key";
        QTest::newRow("unterminated string") << "[\"abc" << 1 << "never ends";
        QTest::newRow("NUL escape") << "[\"a\\u0000\"]" << 3 << "\\u0000";
        QTest::newRow("lone surrogate") << "[\"\\udc00\"]" << 2 << "surrogate";
        QTest::newRow("beyond numeric's digits") << "[1e131072]" << 1 << "range";
        QTest::newRow("beyond numeric's scale") << "[1.5e-16383]" << 1 << "range";
        QTest::newRow("leading zero") << "[01]" << 1 << "not a JSON number";
        QTest::newRow("raw control") << "[\"a\tb\"]" << 3 << "control";
        QTest::newRow("after the value") << "{} x" << 3 << "more text";
        QTest::newRow("bad literal") << "[nul]" << 1 << "unexpected";
        QTest::newRow("too deep") << QString(600, '[') + QString(600, ']') << kMaxJsonbDepth << "nesting";
    }
    void jsonbErrorsAreLocated() {
        QFETCH(QString, input);
        QFETCH(int, offset);
        QFETCH(QString, says);
        JsonTextError e;
        QVERIFY(canonicalJsonb(input.toStdString(), e).empty());
        QVERIFY2(QString::fromStdString(e.message).contains(says), e.message.c_str());
        QCOMPARE(int(e.offset), offset);
    }

    void numericRangeIsPostgres() {
        std::string out;
        QVERIFY(appendNumericText("1e131071", out));
        QCOMPARE(out.size(), size_t(131072));
        out.clear();
        QVERIFY(appendNumericText("1e-16383", out));
        QCOMPARE(out.size(), size_t(16385));
        QVERIFY(!appendNumericText("1e131072", out));
        QVERIFY(!appendNumericText("1e99999999999999999999", out));
        out.clear();
        QVERIFY(appendNumericText("0e200000", out));
        QCOMPARE(out, std::string("0"));
    }

    // ---- section 8.2 vectors through the row reader ----
    void sectionVectorsVerify() {
        const std::string a =
            "{\"Event\":{\"id\":\"ev-1\",\"zone_id\":\"zone1\",\"event_type\":\"token_exchange\",\"request_"
            "id\":\"req1\",\"decision\":\"allow\",\"policy_set_id\":\"ps-1\",\"policy_set_version_id\":\"psv-"
            "1\",\"manifest_sha\":\"abc123\",\"evaluation_status\":\"complete\",\"determining_policies_"
            "json\":null,\"diagnostics_json\":null,\"occurred_at\":\"2023-11-14T22:13:20Z\"},\"IngestedAt\":"
            "\"2023-11-14T22:13:20.1Z\",\"ContentSHA256\":"
            "\"d391d64daa8f05b312a097820baae8dd9a2486156d8af5a3491b2464232ba84c\",\"PrevContentSHA256\":\"\","
            "\"ChainHMAC\":\"e5569c0dddf90524510e618b648a9bd124619bcd7b99647f09f4d0fe7c1b4e0b\",\"ChainSeq\":"
            "1}";
        // Go's output: compacted, keys in jsonb order already, `&` would be \u0026.
        const std::string b =
            "{\"Event\":{\"id\":\"ev-2\",\"zone_id\":\"zone1\",\"event_type\":\"token_exchange\",\"request_"
            "id\":\"req2\",\"decision\":\"allow\",\"policy_set_version_id\":\"psv-1\",\"manifest_sha\":"
            "\"abc123\",\"evaluation_status\":\"complete\",\"determining_policies_json\":[{\"policy\":"
            "\"caracal-payments-mint\"}],\"diagnostics_json\":[],\"metadata_json\":{\"resource\":\"resource:/"
            "/pipernet\",\"application_id\":\"app-1\"},\"occurred_at\":\"2023-11-14T22:13:20.123456Z\"},"
            "\"IngestedAt\":\"2023-11-14T22:13:20.2Z\",\"ContentSHA256\":"
            "\"c30bfd570f16c3420bd39b125d2c2c22aac1f61e8fe2ae89590672b0ea090a1d\",\"PrevContentSHA256\":"
            "\"d391d64daa8f05b312a097820baae8dd9a2486156d8af5a3491b2464232ba84c\",\"ChainHMAC\":"
            "\"e30dcc55853a5a79ea5763f2b92ecf385a159b417ae51367e72dbea3dc1fc85c\",\"ChainSeq\":2}";
        const VerifyReport r = verifyLines({b, a}, key); // files need not be in chain order
        QCOMPARE(r.verdict(), Verdict::Intact);
        QVERIFY(r.hmacChecked);
        const ZoneVerdict& z = zoneVerdict(r, "zone1");
        QCOMPARE(z.rows, size_t(2));
        QCOMPARE(z.firstSeq, int64_t(1));
        QCOMPARE(z.lastSeq, int64_t(2));
        QVERIFY(z.problems.empty());
    }

    // ---- intact chains ----
    void intactWithAndWithoutKey() {
        const auto lines = searchRows(3000, key);
        const VerifyReport withKey = verifyLines(lines, key);
        QCOMPARE(withKey.verdict(), Verdict::Intact);
        QVERIFY(withKey.hmacChecked);
        size_t rows = 0;
        for (const ZoneVerdict& z : withKey.zones) {
            QVERIFY2(z.problems.empty(), z.problems.empty() ? "" : z.problems[0].message.c_str());
            rows += z.rows;
        }
        QCOMPARE(rows, lines.size());
        const VerifyReport without = verifyLines(lines);
        QCOMPARE(without.verdict(), Verdict::Intact);
        QVERIFY(!without.hmacChecked);
        bool saysNoKey = false;
        for (const std::string& l : without.limits)
            saysNoKey = saysNoKey || l.find("No key") != std::string::npos;
        QVERIFY(saysNoKey);
    }

    void wrongKeyIsNamed() {
        const auto lines = searchRows(300, key);
        const VerifyReport r = verifyLines(lines, std::string(32, 'x'));
        QCOMPARE(r.verdict(), Verdict::Tampered);
        const ZoneVerdict& z = zoneVerdict(r, zoneOf(lines[0]));
        QCOMPARE(count(z, ProblemKind::HmacMismatch), z.rows);
        QVERIFY(!z.notes.empty() && z.notes[0].find("key is most likely not") != std::string::npos);
    }

    // ---- every problem kind from a real manipulation of an intact chain ----
    void editedFieldIsContentMismatch() {
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t i = nthOfZone(lines, zone, 10);
        const std::string before = lines[i];
        lines[i] = std::regex_replace(lines[i], std::regex("\"decision\":\"[a-z]+\""),
                                      "\"decision\":\"allow\"", std::regex_constants::format_first_only);
        if (lines[i] == before) // it was an allow: edit the request id instead
            lines[i] = std::regex_replace(lines[i], std::regex("\"request_id\":\""), "\"request_id\":\"x",
                                          std::regex_constants::format_first_only);
        const VerifyReport r = verifyLines(lines, key);
        QCOMPARE(r.verdict(), Verdict::Tampered);
        const ZoneVerdict& z = zoneVerdict(r, zone);
        QCOMPARE(z.problems.size(), size_t(1));
        const ChainProblem& p = z.problems[0];
        QCOMPARE(p.kind, ProblemKind::ContentMismatch);
        QCOMPARE(p.chainSeq, seqOf(before));
        QCOMPARE(p.eventId, Json::parse(before)["Event"]["id"].get<std::string>());
        QCOMPARE(p.found, str(before, "ContentSHA256"));
        QCOMPARE(p.expected.size(), size_t(64));
        QVERIFY(p.expected != p.found);
        QCOMPARE(p.row.index, uint32_t(i));
    }

    void deletedRowIsSeqGap() {
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t i = nthOfZone(lines, zone, 20);
        const int64_t seq = seqOf(lines[i]);
        lines.erase(lines.begin() + static_cast<long>(i));
        const VerifyReport r = verifyLines(lines, key);
        const ZoneVerdict& z = zoneVerdict(r, zone);
        QCOMPARE(z.problems.size(), size_t(1));
        QCOMPARE(z.problems[0].kind, ProblemKind::SeqGap);
        QCOMPARE(z.problems[0].chainSeq, seq + 1);
        QCOMPARE(z.problems[0].expected, std::to_string(seq));
        QVERIFY(z.problems[0].before.has_value());
        QVERIFY(z.problems[0].message.find("chain_seq " + std::to_string(seq) + " is missing") !=
                std::string::npos);
    }

    void insertedRowIsChainBreak() {
        // A fabricated row after row k with a correct content hash and link, later rows renumbered.
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t k = nthOfZone(lines, zone, 15);
        const int64_t seqK = seqOf(lines[k]);
        std::string fake = lines[k];
        fake = std::regex_replace(fake, std::regex("\"id\":\"[^\"]+\""), "\"id\":\"fabricated-event\"",
                                  std::regex_constants::format_first_only);
        // Its true content hash: ask the verifier, which reports it as the expected value.
        const VerifyReport probe = verifyLines({fake});
        const std::string fakeContent = probe.zones.front().problems.front().expected;
        fake = withField(fake, "ContentSHA256", "\"" + fakeContent + "\"");
        fake = withField(fake, "PrevContentSHA256", "\"" + str(lines[k], "ContentSHA256") + "\"");
        fake = withField(fake, "ChainSeq", std::to_string(seqK + 1));
        for (auto& l : lines)
            if (zoneOf(l) == zone && seqOf(l) > seqK)
                l = withField(l, "ChainSeq", std::to_string(seqOf(l) + 1));
        lines.insert(lines.begin() + static_cast<long>(k) + 1, fake);
        const VerifyReport without = verifyLines(lines);
        const ZoneVerdict& z = zoneVerdict(without, zone);
        QCOMPARE(z.problems.size(), size_t(1));
        QCOMPARE(z.problems[0].kind, ProblemKind::ChainBreak);
        QCOMPARE(z.problems[0].chainSeq, seqK + 2);
        QCOMPARE(z.problems[0].expected, fakeContent);
        QCOMPARE(z.problems[0].found, str(lines[k], "ContentSHA256"));
        // With the key the fabricated row's HMAC fails too.
        const VerifyReport keyed = verifyLines(lines, key);
        QCOMPARE(count(zoneVerdict(keyed, zone), ProblemKind::HmacMismatch), size_t(1));
    }

    void swappedSequenceNumbersAreChainBreaks() {
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t a = nthOfZone(lines, zone, 30), b = nthOfZone(lines, zone, 31);
        const int64_t sa = seqOf(lines[a]), sb = seqOf(lines[b]);
        lines[a] = withField(lines[a], "ChainSeq", std::to_string(sb));
        lines[b] = withField(lines[b], "ChainSeq", std::to_string(sa));
        const VerifyReport r = verifyLines(lines, key);
        const ZoneVerdict& z = zoneVerdict(r, zone);
        QCOMPARE(count(z, ProblemKind::ChainBreak), size_t(3)); // into the pair, inside it, out of it
        QCOMPARE(count(z, ProblemKind::ContentMismatch), size_t(0));
        QCOMPARE(count(z, ProblemKind::HmacMismatch), size_t(0)); // the rows themselves are Caracal's
        QCOMPARE(z.problems[0].chainSeq, sa);
    }

    void forgeryWithoutKeyIsHmacMismatch() {
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t i = nthOfZone(lines, zone, 40), next = nthOfZone(lines, zone, 41);
        lines[i] = std::regex_replace(lines[i], std::regex("\"request_id\":\""), "\"request_id\":\"forged-",
                                      std::regex_constants::format_first_only);
        const std::string content = verifyLines({lines[i]}).zones.front().problems.front().expected;
        lines[i] = withField(lines[i], "ContentSHA256", "\"" + content + "\"");
        lines[next] = withField(lines[next], "PrevContentSHA256", "\"" + content + "\"");
        // Consistent without the key: the limit the report states.
        QCOMPARE(verifyLines(lines).verdict(), Verdict::Intact);
        const VerifyReport r = verifyLines(lines, key);
        const ZoneVerdict& z = zoneVerdict(r, zone);
        QCOMPARE(count(z, ProblemKind::HmacMismatch), size_t(2)); // the forged row and the one linking to it
        QCOMPARE(count(z, ProblemKind::ContentMismatch), size_t(0));
        QCOMPARE(count(z, ProblemKind::ChainBreak), size_t(0));
        QCOMPARE(z.problems[0].chainSeq, seqOf(lines[i]));
        QCOMPARE(z.problems[0].found, str(lines[i], "ChainHMAC"));
    }

    void duplicatedSequenceNumber() {
        auto lines = searchRows(400, key);
        const std::string zone = zoneOf(lines[0]);
        const size_t i = nthOfZone(lines, zone, 50), j = nthOfZone(lines, zone, 51);
        lines[j] = withField(lines[j], "ChainSeq", std::to_string(seqOf(lines[i])));
        const VerifyReport r = verifyLines(lines, key);
        const ZoneVerdict& z = zoneVerdict(r, zone);
        QCOMPARE(count(z, ProblemKind::SeqDuplicate), size_t(1));
        const ChainProblem& d =
            *std::find_if(z.problems.begin(), z.problems.end(),
                          [](const ChainProblem& p) { return p.kind == ProblemKind::SeqDuplicate; });
        QCOMPARE(d.chainSeq, seqOf(lines[i]));
        QCOMPARE(d.expected, str(lines[i], "ContentSHA256"));
        QCOMPARE(d.found, str(lines[j], "ContentSHA256"));
        // The same row twice (overlapping exports) is not a problem.
        auto twice = searchRows(100, key);
        twice.push_back(twice[5]);
        QCOMPARE(verifyLines(twice, key).verdict(), Verdict::Intact);
    }

    void firstRowNamingAPredecessor() {
        auto lines = searchRows(50, key);
        const std::string zone = zoneOf(lines[0]);
        lines[0] = withField(lines[0], "PrevContentSHA256", "\"" + std::string(64, 'a') + "\"");
        const VerifyReport report = verifyLines(lines); // kept: the verdict refers into it
        const ZoneVerdict& z = zoneVerdict(report, zone);
        QCOMPARE(count(z, ProblemKind::ChainBreak), size_t(1));
    }

    void retentionStartIsALimitNotAProblem() {
        auto lines = searchRows(200, key);
        const std::string zone = zoneOf(lines[0]);
        std::vector<std::string> later;
        for (const auto& l : lines)
            if (zoneOf(l) != zone || seqOf(l) > 10) later.push_back(l);
        const VerifyReport r = verifyLines(later, key);
        QCOMPARE(r.verdict(), Verdict::Intact);
        QCOMPARE(zoneVerdict(r, zone).firstSeq, int64_t(11));
        bool stated = false;
        for (const std::string& l : r.limits)
            stated = stated || l.find(zone + " at chain_seq 11") != std::string::npos;
        QVERIFY(stated);
    }

    void plainEventsAreUnverifiable() {
        const auto events = test::generatedEvents(3, 50);
        std::vector<std::string> lines;
        for (const auto& e : events)
            lines.push_back(e.dump());
        const VerifyReport r = verifyLines(lines, key);
        QCOMPARE(r.verdict(), Verdict::Unverifiable);
        QVERIFY(!r.hmacChecked);
        for (const ZoneVerdict& z : r.zones) {
            QCOMPARE(z.rows, size_t(0));
            QCOMPARE(z.problems.size(), size_t(1));
            QCOMPARE(z.problems[0].kind, ProblemKind::MissingChainFields);
            QVERIFY(z.problems[0].message.find("cannot be verified") != std::string::npos);
        }
    }

    void apiPageIsUnverifiable() {
        const std::string page =
            "{\"items\":[{\"id\":\"e1\",\"zone_id\":\"z\",\"event_type\":\"token_exchange\",\"occurred_at\":"
            "\"2026-01-01T00:00:00.000Z\"}],\"nextCursor\":null}";
        const VerifyReport r = verifyLines({page});
        QCOMPARE(r.verdict(), Verdict::Unverifiable);
        QCOMPARE(zoneVerdict(r, "z").counts[static_cast<int>(ProblemKind::MissingChainFields)], size_t(1));
    }

    void auditServicePageIsRead() {
        const auto lines = searchRows(30, key);
        std::string page = "{\"events\":[";
        for (size_t i = 0; i < lines.size(); ++i)
            page += (i ? "," : "") + lines[i];
        page += "],\"next_cursor\":\"30\"}";
        const VerifyReport r = verifyLines({page, "{\"events\":null,\"next_cursor\":\"\"}"}, key);
        QCOMPARE(r.verdict(), Verdict::Intact);
        size_t rows = 0;
        for (const auto& z : r.zones)
            rows += z.rows;
        QCOMPARE(rows, size_t(30));
    }

    // ---- the admin audit chain (section 8.4) ----
    void adminChain() {
        // Rows as insertAdminAuditRecord writes them; payload_json as a dump shows it (jsonb order).
        struct Admin {
            std::string id, zone;
            bool global;
            std::string payloadJs, payloadDump, occurredDb, occurredJs;
        };
        const std::vector<Admin> admins = {
            {"a1", "zone-a", false,
             "{\"rls_mode\":\"zone_scoped\",\"rls_zone_guc\":\"zone-a\",\"operator\":\"acct-1\",\"change_"
             "kind\":\"update\",\"changed_fields\":[\"name\",\"scopes\"]}",
             "{\"operator\": \"acct-1\", \"rls_mode\": \"zone_scoped\", \"change_kind\": \"update\", "
             "\"rls_zone_guc\": \"zone-a\", \"changed_fields\": [\"name\", \"scopes\"]}",
             "2026-07-14 10:00:00.12+00", "2026-07-14T10:00:00.120Z"},
            {"a2", "zone-a", false, "", "", "2026-07-14 10:00:01+00", "2026-07-14T10:00:01.000Z"},
            {"g1", "", true, "{\"rls_mode\":\"control_plane_wildcard\",\"rls_zone_guc\":\"*\"}",
             "{\"rls_mode\": \"control_plane_wildcard\", \"rls_zone_guc\": \"*\"}",
             "2026-07-14 10:00:02.5+00", "2026-07-14T10:00:02.500Z"},
        };
        std::map<std::string, std::pair<std::string, int64_t>> heads; // chain -> (content, seq)
        std::vector<std::string> lines;
        for (const Admin& a : admins) {
            std::string m;
            for (const std::string& f :
                 {a.id, std::string("req-1"), std::string("actor"), std::string(""), std::string("admin"),
                  std::string("PATCH /v1/zones/x"), std::string("PATCH"), std::string("/v1/zones/x"), a.zone,
                  std::string("zones"), std::string("x"), std::string("200"), a.payloadJs, a.occurredJs})
                m += f + '\x1f';
            const std::string content = toHex(sha256(m));
            auto& head = heads[a.global ? "" : a.zone];
            const std::string hmac = chainHmac(key, content, head.first);
            Json row;
            row["id"] = a.id;
            row["request_id"] = "req-1";
            row["actor_id"] = "actor";
            row["actor_name"] = nullptr;
            row["actor_scope"] = "admin";
            row["action"] = "PATCH /v1/zones/x";
            row["method"] = "PATCH";
            row["path"] = "/v1/zones/x";
            row["zone_id"] = a.global ? Json() : Json(a.zone);
            row["entity_type"] = "zones";
            row["entity_id"] = "x";
            row["status_code"] = 200;
            row["payload_json"] = a.payloadDump.empty() ? Json() : Json::parse(a.payloadDump);
            row["occurred_at"] = a.occurredDb;
            row["content_sha256"] = content;
            row["prev_content_sha256"] = head.first.empty() ? Json() : Json(head.first);
            row["chain_hmac"] = hmac;
            row["chain_seq"] = ++head.second;
            head.first = content;
            lines.push_back(row.dump());
        }
        const VerifyReport r = verifyLines(lines, key);
        QCOMPARE(r.verdict(), Verdict::Intact);
        QCOMPARE(r.zones.size(), size_t(2));
        QVERIFY(r.zone("zone-a", ChainTable::AdminAudit));
        QCOMPARE(r.zone("zone-a", ChainTable::AdminAudit)->rows, size_t(2));
        QVERIFY(r.zones.back().globalChain);
        QCOMPARE(r.zones.back().rows, size_t(1));
        // A changed field list is a content mismatch.
        lines[0] = std::regex_replace(lines[0], std::regex("\"scopes\""), "\"secret\"");
        const VerifyReport edited = verifyLines(lines, key);
        QCOMPARE(edited.verdict(), Verdict::Tampered);
        QCOMPARE(edited.zone("zone-a", ChainTable::AdminAudit)->problems[0].kind,
                 ProblemKind::ContentMismatch);
        // JSON output: the global chain has a null zone.
        const Json j = reportToJson(r);
        QVERIFY(j["zones"][1]["zone_id"].is_null());
        QCOMPARE(j["zones"][1]["chain"].get<std::string>(), std::string("admin_audit_events"));
    }

    // ---- robustness: damaged rows are located, never a crash ----
    void damagedRowsAreLocatedNotFatal() {
        auto lines = searchRows(200, key);
        std::mt19937 rng(12345);
        std::vector<std::string> damaged = lines;
        for (int round = 0; round < 2000; ++round) {
            std::string& l = damaged[rng() % damaged.size()];
            if (l.empty()) continue;
            const size_t at = rng() % l.size();
            switch (rng() % 3) {
            case 0:
                l[at] = static_cast<char>(rng() % 256);
                break;
            case 1:
                l.erase(at, 1 + rng() % 8);
                break;
            default:
                l.insert(at, std::string(1 + rng() % 3, "{[\"\\,:}]"[rng() % 8]));
            }
        }
        const VerifyReport r = verifyLines(damaged, key);
        QCOMPARE(r.verdict(), Verdict::Tampered);
        for (const UnreadableRow& u : r.unreadable)
            QVERIFY2(u.message.find("column ") == 0, u.message.c_str());
        // Deep nesting inside a field stays an error on that row.
        std::string deep = lines[0];
        const std::string nest = std::string(5000, '[') + std::string(5000, ']');
        deep = std::regex_replace(deep, std::regex("\"determining_policies_json\":\\[[^\\]]*\\]"),
                                  "\"determining_policies_json\":" + nest,
                                  std::regex_constants::format_first_only);
        const VerifyReport d = verifyLines({deep});
        QCOMPARE(d.unreadableCount, size_t(1));
        QVERIFY(d.unreadable[0].message.find("nesting deeper") != std::string::npos);
    }

    void farFutureTimesWrapAsGoDoes() {
        // Go's UnixNano leaves int64 after the year 2262 and wraps; the hashed text does the same (found by
        // fuzz_verify as an undefined overflow).
        std::string inRange;
        appendUnixNanos(inRange, 1763078400123456);
        QCOMPARE(inRange, std::string("1763078400123456000"));
        const int64_t micros = *parseRfc3339Micros("4046-11-14T00:00:00.5Z");
        std::string wrapped;
        appendUnixNanos(wrapped, micros);
        const auto expected = static_cast<int64_t>(static_cast<unsigned __int128>(micros) * 1000u);
        QCOMPARE(wrapped, std::to_string(expected));
        QVERIFY(expected < 0); // it did wrap
        // A row from then is read and hashed, not refused.
        auto row = searchRows(1, key).front();
        row = std::regex_replace(row, std::regex("\"occurred_at\":\"[^\"]+\""),
                                 "\"occurred_at\":\"4046-11-14T00:00:00.5Z\"");
        const VerifyReport r = verifyLines({row}, key);
        QCOMPARE(r.unreadableCount, size_t(0));
        QCOMPARE(r.zones.front().problems.front().kind, ProblemKind::ContentMismatch);
        QCOMPARE(r.zones.front().problems.front().expected.size(), size_t(64));
    }

    void outOfOrderAfterEagerLinking() {
        // Rows are linked as batches arrive while each chain is in order; a row below its predecessor in a
        // later batch must fall back to sorting the whole chain, with the same report as ordered input.
        QTemporaryDir dir;
        const auto lines = searchRows(500, key);
        auto write = [&](const char* name, const std::vector<std::string>& rows) {
            std::string s;
            for (const auto& l : rows)
                s += l + "\n";
            return test::writeFile(dir, name, s);
        };
        std::vector<std::string> late = lines; // in order, then the first 40 rows again at the end
        late.erase(late.begin(), late.begin() + 40);
        late.insert(late.end(), lines.begin(), lines.begin() + 40);
        std::vector<std::string> twice = lines; // a row read twice, across a block boundary
        twice.push_back(lines[3]);
        std::vector<std::string> reversed(lines.rbegin(), lines.rend());
        VerifyFilesOptions o;
        o.key = key;
        o.blockBytes = 4096;
        o.threads = 2;
        std::vector<std::string> errors;
        const VerifyReport base = verifyFiles({write("ordered.jsonl", lines)}, o, errors);
        QCOMPARE(base.verdict(), Verdict::Intact);
        for (const auto& [name, rows] :
             {std::pair{"late.jsonl", late}, std::pair{"reversed.jsonl", reversed}}) {
            const VerifyReport r = verifyFiles({write(name, rows)}, o, errors);
            QVERIFY2(r.verdict() == Verdict::Intact, name);
            QCOMPARE(r.zones.size(), base.zones.size());
            for (size_t z = 0; z < r.zones.size(); ++z) {
                QCOMPARE(r.zones[z].rows, base.zones[z].rows);
                QCOMPARE(r.zones[z].firstSeq, base.zones[z].firstSeq);
                QCOMPARE(r.zones[z].lastSeq, base.zones[z].lastSeq);
            }
        }
        const VerifyReport t = verifyFiles({write("twice.jsonl", twice)}, o, errors);
        QCOMPARE(t.verdict(), Verdict::Intact);
        QCOMPARE(zoneVerdict(t, zoneOf(lines[3])).rows, zoneVerdict(base, zoneOf(lines[3])).rows);
        QVERIFY(!zoneVerdict(t, zoneOf(lines[3])).notes.empty()); // "read twice ... counted once"
        // A broken link in the late part is found after the fallback too.
        late.back() = withField(late.back(), "PrevContentSHA256", "\"" + std::string(64, 'b') + "\"");
        const VerifyReport e = verifyFiles({write("late-edited.jsonl", late)}, o, errors);
        QCOMPARE(e.verdict(), Verdict::Tampered);
        QVERIFY(errors.empty());
    }

    void fileShapes() {
        QTemporaryDir dir;
        const auto lines = searchRows(500, key);
        std::string jsonl, array = "[\n";
        for (size_t i = 0; i < lines.size(); ++i) {
            jsonl += lines[i] + "\n";
            array += (i ? ",\n  " : "  ") + lines[i];
        }
        array += "\n]\n";
        const std::string a = test::writeFile(dir, "rows.jsonl", jsonl);
        const std::string b = test::writeFile(dir, "rows.json", array);
        std::vector<std::string> errors;
        VerifyFilesOptions o;
        o.key = key;
        o.blockBytes = 4096; // many blocks: lines are renumbered across them
        auto damaged = lines;
        damaged[321] = "{not json";
        const std::string c = test::writeFile(dir, "damaged.jsonl", [&] {
            std::string s;
            for (const auto& l : damaged)
                s += l + "\n";
            return s;
        }());
        VerifyReport r = verifyFiles({a}, o, errors);
        QVERIFY(errors.empty());
        QCOMPARE(r.verdict(), Verdict::Intact);
        r = verifyFiles({b}, o, errors);
        QCOMPARE(r.verdict(), Verdict::Intact);
        r = verifyFiles({c}, o, errors);
        QCOMPARE(r.unreadableCount, size_t(1));
        QCOMPARE(r.unreadable[0].where, c + ":322");
        QCOMPARE(r.verdict(), Verdict::Tampered); // its chain_seq is now missing
        r = verifyFiles({dir.path().toStdString() + "/missing.jsonl"}, o, errors);
        QCOMPARE(errors.size(), size_t(1));
    }

    // ---- the CLI contract, as a process ----
    void cliContract() {
        QTemporaryDir dir;
        auto lines = searchRows(300, key);
        std::string intact;
        for (const auto& l : lines)
            intact += l + "\n";
        const std::string good = test::writeFile(dir, "good.jsonl", intact);
        lines[7] = std::regex_replace(lines[7], std::regex("\"request_id\":\""), "\"request_id\":\"edited-",
                                      std::regex_constants::format_first_only);
        std::string tampered;
        for (const auto& l : lines)
            tampered += l + "\n";
        const std::string bad = test::writeFile(dir, "bad.jsonl", tampered);
        const std::string plain =
            test::writeFile(dir, "plain.jsonl", test::generatedEvents(1, 5)[0].dump() + "\n");
        const std::string keyFile = test::writeFile(dir, "key.hex", std::string(kKeyHex) + "\n");
        QFile::setPermissions(QString::fromStdString(keyFile), QFile::ReadOwner | QFile::WriteOwner);

        bool keyLeaked = false;
        auto run = [&](const QStringList& args, QByteArray& out, QByteArray& err,
                       const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(CARACAL_TRACE_BIN, QStringList{"verify"} + args);
            p.waitForFinished(-1);
            out = p.readAllStandardOutput();
            err = p.readAllStandardError();
            if (out.contains(kKeyHex) || err.contains(kKeyHex)) keyLeaked = true;
            return p.exitCode();
        };
        QByteArray out, err;
        QCOMPARE(run({"--hmac-key-file", QString::fromStdString(keyFile), "--format", "json",
                      QString::fromStdString(good)},
                     out, err),
                 0);
        Json j = Json::parse(out.toStdString());
        QCOMPARE(j["verdict"].get<std::string>(), std::string("intact"));
        QVERIFY(j["hmac_checked"].get<bool>());
        for (const char* k : {"zone_id", "source", "rows", "first_seq", "last_seq", "problems"})
            QVERIFY2(j["zones"][0].contains(k), k);
        QVERIFY(err.isEmpty());

        QCOMPARE(run({"--hmac-key-file", QString::fromStdString(keyFile), "--format", "json",
                      QString::fromStdString(bad)},
                     out, err),
                 3);
        j = Json::parse(out.toStdString());
        QCOMPARE(j["verdict"].get<std::string>(), std::string("tampered"));
        bool found = false;
        for (const auto& z : j["zones"])
            for (const auto& p : z["problems"]) {
                for (const char* k : {"kind", "chain_seq", "event_id", "expected", "found", "message"})
                    QVERIFY2(p.contains(k), k);
                found = found || p["kind"] == "content_mismatch";
            }
        QVERIFY(found);

        // Text: one line per zone and per problem.
        QCOMPARE(run({QString::fromStdString(bad)}, out, err), 3);
        QVERIFY(out.contains("TAMPERED"));
        QVERIFY(out.contains("content_mismatch at chain_seq"));
        QVERIFY(out.contains("verdict: tampered (no key"));

        // The key from the environment; hmac_checked only when one was used.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("AUDIT_HMAC_KEY", kKeyHex);
        QCOMPARE(run({"--format", "json", QString::fromStdString(good)}, out, err, env), 0);
        QVERIFY(Json::parse(out.toStdString())["hmac_checked"].get<bool>());
        env.insert("AUDIT_HMAC_KEY", "not hex");
        QCOMPARE(run({QString::fromStdString(good)}, out, err, env), 2);
        QVERIFY(err.contains("AUDIT_HMAC_KEY"));

        QCOMPARE(run({"--format", "json", QString::fromStdString(plain)}, out, err), 1);
        QCOMPARE(Json::parse(out.toStdString())["verdict"].get<std::string>(), std::string("unverifiable"));

        // Usage errors and unreadable input.
        QCOMPARE(run({}, out, err), 2);
        QCOMPARE(run({"--hmac-key", kKeyHex, QString::fromStdString(good)}, out, err), 2); // no such option
        QCOMPARE(run({QString::fromStdString(dir.path().toStdString() + "/nope.jsonl")}, out, err), 2);
        QCOMPARE(run({"--format", "xml", QString::fromStdString(good)}, out, err), 2);

        // A key file others can read: verified, with a warning.
        QFile::setPermissions(QString::fromStdString(keyFile),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        QCOMPARE(
            run({"--hmac-key-file", QString::fromStdString(keyFile), QString::fromStdString(good)}, out, err),
            0);
        QVERIFY(err.contains("warning") && err.contains("chmod 600"));

        // --zone narrows the report.
        QCOMPARE(run({"--format", "json", "--zone", QString::fromStdString(zoneOf(lines[0])),
                      QString::fromStdString(good)},
                     out, err),
                 0);
        QCOMPARE(Json::parse(out.toStdString())["zones"].size(), size_t(1));
        QVERIFY2(!keyLeaked, "the key reached the output");
    }
};

QTEST_GUILESS_MAIN(VerifyTest)
#include "tst_verify.moc"
