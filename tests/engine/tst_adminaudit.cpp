// Admin-audit rows in each shape Caracal produces them: read completely, located problems, bounded depth,
// and the loader naming them instead of reporting bad lines.
#include "TestSupport.h"
#include "load/AdminAudit.h"
#include "load/EventLoader.h"
#include "store/EventStore.h"

#include <QFile>
#include <QtTest>

using namespace caracal;

namespace {
std::string readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll().toStdString();
}
} // namespace

class AdminAuditTest : public QObject {
    Q_OBJECT
  private slots:
    void listPageAndItsCsvAgree() {
        const AdminAuditRead page =
            readAdminAudit(readAll(CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list.json"));
        const AdminAuditRead csv =
            readAdminAudit(readAll(CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list-csv.csv"));
        QVERIFY(page.problems.empty());
        QVERIFY(csv.problems.empty());
        QCOMPARE(page.events.size(), size_t(24));
        QCOMPARE(csv.events.size(), page.events.size());
        QVERIFY(page.nextCursor.empty()); // "next_cursor": null, the last page
        QVERIFY(readAdminAudit(R"({"items":[],"next_cursor":"c2"})").nextCursor == "c2");
        for (size_t i = 0; i < page.events.size(); ++i) {
            const AdminEvent &a = page.events[i], &b = csv.events[i];
            QCOMPARE(a.id, b.id);
            QCOMPARE(a.actorName, b.actorName);
            QCOMPARE(a.action, b.action);
            QCOMPARE(a.statusCode, b.statusCode); // a number in JSON, text in CSV: the same digits
            QCOMPARE(a.chainSeq, b.chainSeq);
            QCOMPARE(a.signature, b.signature);
            QCOMPARE(a.signature, std::string("unsigned"));
        }
        QCOMPARE(page.events[0].id, std::string("01a20031-5687-7229-9956-c13514b7efab"));
        QCOMPARE(page.events[0].statusCode, std::string("400"));
        QCOMPARE(page.events[0].chainSeq, std::string("24"));
        QVERIFY(page.events[0].payloadJson.find("control_plane_wildcard") != std::string::npos);
    }

    void tableRowsAndProblems() {
        const std::string text =
            R"({"id":"a1","actor_id":"u","action":"x","method":"POST","chain_hmac":"ab","payload_json":{"k":1}})"
            "\n\n"
            "not json\n"
            "[1]\n"
            R"({"id":"a2","actor_id":"u","action":"y","method":"PUT","chain_hmac":null})"
            "\n";
        const AdminAuditRead r = readAdminAudit(text);
        QCOMPARE(r.events.size(), size_t(2));
        QCOMPARE(r.events[0].signature, std::string("signed"));
        QCOMPARE(r.events[1].signature, std::string("unsigned"));
        QCOMPARE(r.events[1].line, uint32_t(5));
        QCOMPARE(r.problems.size(), size_t(2));
        QVERIFY(r.problems[0].rfind("line 3:", 0) == 0);
        QVERIFY(r.problems[1].rfind("line 4:", 0) == 0);
        QCOMPARE(r.events[0].payloadJson, std::string(R"({"k":1})"));
    }

    void deepNestingIsRefusedNotRecursed() {
        const std::string bomb = "{\"items\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
        const AdminAuditRead r = readAdminAudit(bomb);
        QVERIFY(r.events.empty());
        QCOMPARE(r.problems.size(), size_t(1));
        QVERIFY(r.problems[0].find("nested deeper than") != std::string::npos);
    }

    void csvWithAShortRow() {
        const AdminAuditRead r = readAdminAudit("id,actor_id,action,method\r\na,u,x,POST\r\nb,u\r\n");
        QCOMPARE(r.events.size(), size_t(1));
        QCOMPARE(r.problems.size(), size_t(1));
        QVERIFY(r.problems[0].rfind("line 3:", 0) == 0);
        QVERIFY(looksLikeAdminAuditCsv("id,actor_id,action,method"));
        QVERIFY(!looksLikeAdminAuditCsv("id,event_type,actor_id,action"));
        QVERIFY(!looksLikeAdminAuditCsv("{\"actor_id\":1,\"action\":2}"));
    }

    // The loader recognises all three shapes and loads nothing from them, with a notice, not bad lines.
    void loaderNamesAdminFiles() {
        QTemporaryDir dir;
        const std::string table = test::writeFile(dir, "admin.jsonl",
                                                  R"({"id":"a1","actor_id":"u","action":"x","method":"POST"})"
                                                  "\n");
        for (const std::string& path :
             {std::string(CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list.json"),
              std::string(CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list-csv.csv"), table}) {
            EventStore store;
            QVERIFY(loadIntoStore(store, {path}));
            QCOMPARE(store.eventCount(), size_t(0));
            QVERIFY2(store.badLines().empty(), path.c_str());
            QVERIFY(!store.notices().empty());
            QVERIFY2(store.notices().front().find("Caracal's admin-audit") != std::string::npos,
                     store.notices().front().c_str());
            QVERIFY(store.notices().front().find("File > Admin events") != std::string::npos);
        }
    }
};

QTEST_MAIN(AdminAuditTest)
#include "tst_adminaudit.moc"
