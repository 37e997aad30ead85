#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "load/CsvExport.h"
#endif

#include <fstream>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

static std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class CsvTest : public QObject {
    Q_OBJECT
  private slots:
    void fieldList() {
        QCOMPARE(csv::exportFields().size(), size_t(46));
        QCOMPARE(csv::exportFields().front(), std::string_view("id"));
        QCOMPARE(csv::exportFields().back(), std::string_view("federated_user_issuer"));
        QVERIFY(csv::isRowField("determining_policies"));
        QVERIFY(!csv::isRowField("application_id"));
        QVERIFY(!csv::isExportField("zone_id"));
    }

    void readerFollowsRfc4180() {
        const auto recs =
            csv::parse("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\r\nlast,row,end");
        QCOMPARE(recs.size(), size_t(4));
        QCOMPARE(recs[1].cells, std::vector<std::string>({"x,1", "say \"hi\"", "two\nlines"}));
        QCOMPARE(recs[1].line, 2u);
        QCOMPARE(recs[2].cells, std::vector<std::string>({"", "", ""}));
        QCOMPARE(recs[2].line, 4u);
        QCOMPARE(recs[3].cells, std::vector<std::string>({"last", "row", "end"}));
    }

    void cellEscaping_data() {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "abc"
                               << "abc";
        QTest::newRow("formula =") << "=1+2"
                                   << "'=1+2";
        QTest::newRow("formula +") << "+GET"
                                   << "'+GET";
        QTest::newRow("formula -") << "-1"
                                   << "'-1";
        QTest::newRow("formula @") << "@x"
                                   << "'@x";
        QTest::newRow("tab") << "\tx"
                             << "'\tx";
        QTest::newRow("comma") << "a,b"
                               << "\"a,b\"";
        QTest::newRow("quote") << "say \"hi\""
                               << "\"say \"\"hi\"\"\"";
        QTest::newRow("newline") << "a\nb"
                                 << "\"a\nb\"";
        QTest::newRow("guard and quote") << "=HYPERLINK(\"x\",\"y\")"
                                         << "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"";
        QTest::newRow("CR leads") << "\rx"
                                  << "\"'\rx\"";
    }
    void cellEscaping() {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(csv::escapeCell(in.toStdString())), out);
    }

    void probeExportReadsBack() {
        const auto converted = csv::toJsonLines(readAll(dataPath("api/probe-csv-fields.csv")), "zone-probe");
        QVERIFY(converted.badRows.empty());
        std::istringstream lines(converted.jsonLines);
        std::string first;
        std::getline(lines, first);
        const auto ev = nlohmann::json::parse(first);
        QCOMPARE(ev["zone_id"].get<std::string>(), std::string("zone-probe"));
        QCOMPARE(ev["metadata_json"]["reason"].get<std::string>(),
                 std::string("=HYPERLINK(\"http://example.invalid\",\"x\")"));
        QCOMPARE(ev["metadata_json"]["application_name"].get<std::string>(),
                 std::string("probe, \"quoted\" app"));
        QCOMPARE(ev["metadata_json"]["latency_ms"].get<double>(), 12.5);
        QCOMPARE(ev["metadata_json"]["response_bytes"].get<int64_t>(), int64_t(9007199254740992));
        QCOMPARE(ev["metadata_json"]["requested_scopes"].size(), size_t(2));
        QCOMPARE(ev["determining_policies_json"][0]["policy"].get<std::string>(), std::string("probe-deny"));
        std::string second;
        std::getline(lines, second);
        const auto ev2 = nlohmann::json::parse(second);
        QCOMPARE(ev2["metadata_json"]["reason"].get<std::string>(), std::string("-1+2"));
        QCOMPARE(ev2["metadata_json"]["method"].get<std::string>(), std::string("+GET"));
    }

    // The oracle: the API's JSON page and its CSV export of the same 50 events. Our writer must produce the
    // API's bytes from the JSON items.
    void writerMatchesTheApiExport() {
        auto store = load({dataPath("api/list-nofilter-page1.json")});
        std::string ours = csv::headerRow();
        for (RowId r = 0; r < store->size(); ++r)
            ours += csv::row(store->event(r));
        const std::string theirs = readAll(dataPath("api/list-format-csv.csv"));
        QCOMPARE(ours.size(), theirs.size());
        QVERIFY(ours == theirs);
    }

    void zoneFromDownloadName() {
        QCOMPARE(csv::zoneFromFileName("/x/audit-zone-demo-a.csv"), std::string("zone-demo-a"));
        QCOMPARE(csv::zoneFromFileName("audit-zone-b (1).csv"), std::string("zone-b"));
        QCOMPARE(csv::zoneFromFileName("export.csv"), std::string());
    }
};

QTEST_GUILESS_MAIN(CsvTest)
#include "tst_csv.moc"
