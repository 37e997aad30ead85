#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "TestSupport.h"
#include "query/FilterQuery.h"
#include "timeline/TimelineFormat.h"
#endif

#include <QDateTime>
#include <QProcess>
#include <QTimeZone>
#include <map>
#include <random>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

// The timeline engine and `caracal-trace timeline`, against counts computed here from the generated events'
// own JSON (times read with QDateTime, not the engine's parser).
class TimelineTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string generatedPath;
    std::vector<nlohmann::ordered_json> events;

    struct Run {
        int exit;
        QByteArray out, err;
    };
    Run run(const QStringList& args) {
        QProcess p;
        p.start(CARACAL_TRACE_BIN, args);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000)) return {-1, {}, "timeout"};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }

    static int64_t secondsOf(const nlohmann::ordered_json& e) {
        // The generator writes UTC ("...Z"); the whole seconds are the first 19 characters.
        const std::string text = e["occurred_at"].get<std::string>();
        QDateTime t =
            QDateTime::fromString(QString::fromStdString(text.substr(0, 19)), "yyyy-MM-ddTHH:mm:ss");
        t.setTimeZone(QTimeZone::utc());
        return t.toSecsSinceEpoch();
    }
    // bucket start -> decision -> count, as the contract defines buckets.
    using Expected = std::map<int64_t, std::map<std::string, int>>;
    Expected expectedCounts(int64_t size, const std::string& zone = {}, const std::string& decision = {},
                            const std::string& otherZone = {}) const {
        Expected out;
        for (const auto& e : events) {
            if (!zone.empty() && e["zone_id"] != zone && e["zone_id"] != otherZone) continue;
            if (!decision.empty() && e["decision"] != decision) continue;
            const int64_t s = secondsOf(e);
            out[s - s % size][e["decision"].get<std::string>()]++;
        }
        return out;
    }
    static QString iso(int64_t seconds) {
        return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString("yyyy-MM-ddTHH:mm:ssZ");
    }
    // The CLI's JSON against the expectation, empty buckets included.
    static void compareJson(const nlohmann::json& j, int64_t size, const Expected& expected) {
        QCOMPARE(j["bucket_seconds"].get<int64_t>(), size);
        const int64_t first = expected.begin()->first, last = expected.rbegin()->first;
        QCOMPARE(qsizetype(j["buckets"].size()), qsizetype((last - first) / size + 1));
        for (size_t i = 0; i < j["buckets"].size(); ++i) {
            const auto& b = j["buckets"][i];
            const int64_t start = first + int64_t(i) * size;
            QCOMPARE(QString::fromStdString(b["start"]), iso(start));
            const auto it = expected.find(start);
            int total = 0;
            if (it != expected.end()) {
                QCOMPARE(b["decisions"].size(), it->second.size());
                for (const auto& [d, n] : it->second) {
                    QCOMPARE(b["decisions"][d].get<int>(), n);
                    total += n;
                }
            } else {
                QVERIFY(b["decisions"].empty());
            }
            QCOMPARE(b["events"].get<int>(), total);
        }
    }

  private slots:
    void initTestCase() {
        gen::GeneratorOptions o;
        o.seed = 18;
        o.events = 3000;
        o.zones = 3;
        o.maxGapMicros = 9'000'000; // about three and a half hours in all
        std::ostringstream out;
        gen::generate(o, out);
        generatedPath = writeFile(tmp, "gen.jsonl", out.str());
        std::istringstream in(out.str());
        for (std::string line; std::getline(in, line);)
            events.push_back(nlohmann::ordered_json::parse(line));
    }

    void ladderAndSizes() {
        QCOMPARE(parseBucketSize("1s").value_or(0), 1);
        QCOMPARE(parseBucketSize("5m").value_or(0), 300);
        QCOMPARE(parseBucketSize("3h").value_or(0), 10800);
        QCOMPARE(parseBucketSize("1d").value_or(0), 86400);
        QVERIFY(!parseBucketSize("0s"));
        QVERIFY(!parseBucketSize("m"));
        QVERIFY(!parseBucketSize("5x"));
        QVERIFY(!parseBucketSize("-5m"));
        QVERIFY(!parseBucketSize("99999999999999999d"));
        QCOMPARE(bucketSizeName(300), std::string("5m"));
        QCOMPARE(bucketSizeName(10800), std::string("3h"));
        QCOMPARE(bucketSizeName(7 * 86400), std::string("1w"));
        // Aligned to the epoch, also before 1970.
        QCOMPARE(bucketStartSeconds(-1, 60), -60);
        QCOMPARE(bucketStartSeconds(59'999'999, 60), 0);
        // Automatic: the smallest ladder size giving at most the asked number of buckets.
        const int64_t hour = int64_t(3600) * 1'000'000;
        QCOMPARE(automaticBucketSeconds(0, hour - 1, 60), 60); // 60 minutes
        QCOMPARE(automaticBucketSeconds(0, hour, 60), 300);    // 61 minutes' buckets: too many
        QCOMPARE(automaticBucketSeconds(0, 10 * 1'000'000, 100), 1);
        QCOMPARE(automaticBucketSeconds(0, 24 * hour, 100), 1800); // 49 half hours
        QCOMPARE(decisionClassOf("consumed"), DecisionClass::Consumed);
        QCOMPARE(decisionClassOf("partial"), DecisionClass::Other);
        QCOMPARE(decisionClassOf(""), DecisionClass::Other);
    }

    void engineCountsMatchIndependentCounts() {
        auto store = load({generatedPath});
        for (bool perZone : {false, true}) {
            TimelineOptions o;
            o.bucketSeconds = 300;
            o.perZone = perZone;
            auto computed = computeTimeline(*store, store->timeOrder(), o);
            QVERIFY(computed && std::holds_alternative<Timeline>(*computed));
            const Timeline& t = std::get<Timeline>(*computed);
            const Expected expected = expectedCounts(300);
            QCOMPARE(t.firstStart, expected.begin()->first);
            QCOMPARE(t.firstStart % 300, 0);
            QCOMPARE(int64_t(t.bucketCount), (expected.rbegin()->first - expected.begin()->first) / 300 + 1);
            QCOMPARE(t.events, events.size());
            for (size_t b = 0; b < t.bucketCount; ++b) {
                std::map<std::string, int> want;
                if (auto it = expected.find(t.bucketStart(b)); it != expected.end()) want = it->second;
                std::map<DecisionClass, int> wantClass;
                for (const auto& [d, n] : want)
                    wantClass[decisionClassOf(d)] += n;
                for (int c = 0; c < kDecisionClassCount; ++c) {
                    uint32_t sum = 0;
                    for (size_t lane = 0; lane < t.laneZones.size(); ++lane)
                        sum += t.classCount(lane, b, DecisionClass(c));
                    QCOMPARE(int(sum), wantClass[DecisionClass(c)]);
                }
                const auto got = t.decisionsOf(b);
                QCOMPARE(got.size(), want.size());
                for (const auto& [d, n] : got)
                    QCOMPARE(int(n), want[d]);
            }
            if (perZone) {
                QCOMPARE(t.laneZones.size(), size_t(store->valueCounts(Field::Zone).size()));
                // Each lane holds exactly its zone's events.
                for (size_t lane = 0; lane < t.laneZones.size(); ++lane) {
                    const Expected z = expectedCounts(300, t.laneZones[lane]);
                    for (const auto& [start, byDecision] : z) {
                        int n = 0;
                        for (const auto& [d, c] : byDecision)
                            n += c;
                        QCOMPARE(int(t.bucketTotal(lane, *t.bucketOf(start * 1'000'000))), n);
                    }
                }
            } else {
                QCOMPARE(t.laneZones.size(), size_t(1));
            }
        }
    }

    void emptyBucketsAndSparseCounting() {
        // Two events a week apart with 1 s buckets: 604,801 buckets, counted sparsely, empties included.
        const std::string text = eventLine("a", "z", "2026-11-14T10:00:00.5Z") + "\n" +
                                 eventLine("b", "z", "2026-11-21T10:00:00Z") + "\n" +
                                 eventLine("c", "z", "2026-11-14T10:00:00.9Z") + "\n";
        auto store = load({writeFile(tmp, "week.jsonl", text)});
        TimelineOptions o;
        o.bucketSeconds = 1;
        auto computed = computeTimeline(*store, store->timeOrder(), o);
        QVERIFY(computed && std::holds_alternative<Timeline>(*computed));
        const Timeline& t = std::get<Timeline>(*computed);
        QCOMPARE(t.bucketCount, size_t(7 * 86400 + 1));
        QCOMPARE(t.bucketTotal(0, 0), 2u);
        QCOMPARE(t.bucketTotal(0, 1), 0u);
        QCOMPARE(t.bucketTotal(0, t.bucketCount - 1), 1u);
        QCOMPARE(t.cells.size(), size_t(2));
        // Rows in any order give the same result.
        std::vector<RowId> reversed(store->timeOrder().rbegin(), store->timeOrder().rend());
        auto again = computeTimeline(*store, reversed, o);
        QCOMPARE(std::get<Timeline>(*again).classCounts, t.classCounts);
    }

    void largeViewInAnyOrder() {
        // Past 65,536 rows in an order of their own (a sorted column), rows are walked through a bitmap: the
        // counts must be the same as in time order.
        gen::GeneratorOptions o;
        o.seed = 5;
        o.events = 70000;
        std::ostringstream out;
        gen::generate(o, out);
        auto store = load({writeFile(tmp, "large.jsonl", out.str())});
        std::vector<RowId> shuffled = store->timeOrder();
        std::mt19937 random(18);
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        std::vector<RowId> half(shuffled.begin(), shuffled.begin() + 40000);
        std::vector<RowId> halfSorted = half;
        std::sort(halfSorted.begin(), halfSorted.end());
        for (bool perZone : {false, true}) {
            TimelineOptions opt;
            opt.perZone = perZone;
            const Timeline inOrder = std::get<Timeline>(*computeTimeline(*store, store->timeOrder(), opt));
            const Timeline anyOrder = std::get<Timeline>(*computeTimeline(*store, shuffled, opt));
            QCOMPARE(anyOrder.classCounts, inOrder.classCounts);
            QCOMPARE(anyOrder.laneZones, inOrder.laneZones);
            QCOMPARE(anyOrder.events, size_t(70000));
            const Timeline part = std::get<Timeline>(*computeTimeline(*store, half, opt));
            const Timeline partSorted = std::get<Timeline>(*computeTimeline(*store, halfSorted, opt));
            QCOMPARE(part.classCounts, partSorted.classCounts);
            QCOMPARE(part.events, size_t(40000));
        }
    }

    void cancelledAndTooManyBuckets() {
        auto store = load({generatedPath});
        std::atomic<bool> cancel{true};
        QVERIFY(!computeTimeline(*store, store->timeOrder(), {}, &cancel));
        const std::string text = eventLine("a", "z", "2000-01-01T00:00:00Z") + "\n" +
                                 eventLine("b", "z", "2026-01-01T00:00:00Z") + "\n";
        auto wide = load({writeFile(tmp, "wide.jsonl", text)});
        TimelineOptions o;
        o.bucketSeconds = 1;
        auto computed = computeTimeline(*wide, wide->timeOrder(), o);
        QVERIFY(computed && std::holds_alternative<TimelineError>(*computed));
        QVERIFY(std::get<TimelineError>(*computed).message.find("larger bucket") != std::string::npos);
        // Automatic sizes never hit the limit.
        auto automatic = computeTimeline(*wide, wide->timeOrder(), {});
        QVERIFY(automatic && std::holds_alternative<Timeline>(*automatic));
        QVERIFY(std::get<Timeline>(*automatic).bucketCount <= 100);
    }

    void cliJsonMatchesIndependentCounts() {
        const QString file = QString::fromStdString(generatedPath);
        for (const auto& [bucket, size] :
             std::vector<std::pair<QString, int64_t>>{{"1m", 60}, {"5m", 300}, {"1h", 3600}}) {
            auto r = run({"timeline", "--bucket", bucket, "--format", "json", file});
            QCOMPARE(r.exit, 0);
            compareJson(nlohmann::json::parse(r.out.toStdString()), size, expectedCounts(size));
        }
        // --zone and --filter narrow the events counted.
        const std::string zone = events.front()["zone_id"];
        auto z = run({"timeline", "--bucket", "5m", "--zone", QString::fromStdString(zone), "--filter",
                      "decision:deny", "--format", "json", file});
        QCOMPARE(z.exit, 0);
        compareJson(nlohmann::json::parse(z.out.toStdString()), 300, expectedCounts(300, zone, "deny"));
        // Several --zone values are alternatives.
        std::string second;
        for (const auto& e : events)
            if (e["zone_id"] != zone) second = e["zone_id"];
        auto two = run({"timeline", "--bucket", "1h", "--zone", QString::fromStdString(zone), "--zone",
                        QString::fromStdString(second), "--format", "json", file});
        QCOMPARE(two.exit, 0);
        compareJson(nlohmann::json::parse(two.out.toStdString()), 3600,
                    expectedCounts(3600, zone, {}, second));
        QVERIFY(expectedCounts(3600, zone, {}, second) != expectedCounts(3600));
        // auto: at most 100 buckets, aligned, the smallest such size of the ladder.
        auto a = run({"timeline", "--format", "json", file});
        QCOMPARE(a.exit, 0);
        const auto j = nlohmann::json::parse(a.out.toStdString());
        const int64_t size = j["bucket_seconds"];
        QVERIFY(j["buckets"].size() <= 100);
        compareJson(j, size, expectedCounts(size));
        const auto& ladder = timelineBucketLadder();
        const auto at = std::find(ladder.begin(), ladder.end(), size);
        QVERIFY(at != ladder.end());
        if (at != ladder.begin()) {
            const Expected finer = expectedCounts(*(at - 1));
            QVERIFY((finer.rbegin()->first - finer.begin()->first) / *(at - 1) + 1 > 100);
        }
        // Text: a header and one line per bucket.
        auto t = run({"timeline", "--bucket", "1h", file});
        QCOMPARE(t.exit, 0);
        QVERIFY(t.out.startsWith("bucket 1h (3600 s), "));
        QVERIFY(t.out.contains("START (UTC)"));
        QVERIFY(t.out.contains("allow"));
        QCOMPARE(qsizetype(t.out.count('\n')), qsizetype(2 + expectedCounts(3600).size()));
    }

    void cliExitCodesAndBadArguments() {
        const QString file = QString::fromStdString(generatedPath);
        auto none = run({"timeline", "--filter", "zone:no-such-zone", "--format", "json", file});
        QCOMPARE(none.exit, 1);
        QCOMPARE(nlohmann::json::parse(none.out.toStdString())["buckets"].size(), size_t(0));
        for (const QStringList& bad : QList<QStringList>{{"--bucket", "7m", file},
                                                         {"--bucket", "auto5", file},
                                                         {"--bucket", "", file},
                                                         {"--format", "xml", file},
                                                         {"--filter", "zone:", file},
                                                         {"--filter", "since:yesterday", file},
                                                         {"--zone", "", file},
                                                         {"--frobnicate", file},
                                                         {"/no/such/file.jsonl"}}) {
            auto r = run(QStringList{"timeline"} + bad);
            QVERIFY2(r.exit == 2, qPrintable(bad.join(' ') + " exited " + QString::number(r.exit)));
            QVERIFY2(!r.err.isEmpty(), qPrintable(bad.join(' ')));
        }
        QVERIFY(run({"timeline", "--bucket", "7m", file}).err.contains("1s, 1m, 5m, 1h, 1d or auto"));
        const std::string text = eventLine("a", "z", "2000-01-01T00:00:00Z") + "\n" +
                                 eventLine("b", "z", "2026-01-01T00:00:00Z") + "\n";
        auto wide =
            run({"timeline", "--bucket", "1s", QString::fromStdString(writeFile(tmp, "wide2.jsonl", text))});
        QCOMPARE(wide.exit, 2);
        QVERIFY(wide.err.contains("larger bucket"));
        auto help = run({"timeline", "--help"});
        QCOMPARE(help.exit, 0);
        QVERIFY(help.out.contains("--bucket"));
    }
};

QTEST_GUILESS_MAIN(TimelineTest)
#include "tst_timeline.moc"
