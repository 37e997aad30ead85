// The console on Caracal's ledger: a real PostgreSQL 15 started here, File > Connect's third kind driven
// through its widgets (Test connection, saving without a password), and a load into the window with a row cap
// whose rest is said, the filter bar's expression running in SQL, F5 reading again.
#ifndef Q_MOC_RUN
#include "GuiTestSupport.h"
#include "LedgerFixture.h"
#include "filter/FilterBar.h"
#include "integrity/IntegrityPanel.h"
#include "remote/ConnectionDialog.h"
#include "session/LoadController.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace caracal;
using namespace caracal::ui;

class LedgerConsoleTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<test::PgTestServer> pg;
    QString conninfo;

  private slots:
    void initTestCase() {
        test::isolateSettings(tmp, "ledger-console-test");
        pg = std::make_unique<test::PgTestServer>();
        QVERIFY2(pg->ok(), qPrintable(pg->error()));
        QString error;
        QVERIFY2(test::createLedger(*pg, error), qPrintable(error));
        std::vector<nlohmann::ordered_json> events;
        QFile f(QString(CARACAL_TEST_DATA) + "/filter-events.jsonl");
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray& line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                events.push_back(nlohmann::ordered_json::parse(line.toStdString()));
        QVERIFY2(test::insertLedgerEvents(*pg, events, std::string(32, 'k'), error), qPrintable(error));
        conninfo =
            QString("host=%1 port=%2 dbname=postgres user=reader").arg(pg->socketDir()).arg(pg->port());
    }

    void testConnectionReportsEachStep() {
        ConnectionDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QTest::mouseClick(d.ledgerButton(), Qt::LeftButton);
        QVERIFY(d.ledgerButton()->isChecked());
        QTest::keyClicks(d.conninfoEdit(), conninfo);
        QSignalSpy tested(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(tested.wait(60000));
        const QString r = d.testResult();
        QVERIFY2(r.contains("Reachable") && r.contains("Authenticated") && r.contains("Read-only"),
                 qPrintable(r));
        QVERIFY2(!r.contains("&#10007;"), qPrintable(r)); // no failed step
        QVERIFY(r.contains("zone-a: 8") && r.contains("zone-b: 5") && r.contains("zone-c: 2"));
        // One zone given: row-level security itself shows only it.
        d.zonesEdit()->setText("zone-c");
        QSignalSpy again(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(again.wait(60000));
        QVERIFY(d.testResult().contains("zone-c: 2") && !d.testResult().contains("zone-a"));
        // A role that may not log in: reachable, not authenticated.
        d.conninfoEdit()->setText(conninfo.replace("user=reader", "user=ghost"));
        conninfo.replace("user=ghost", "user=reader");
        QSignalSpy third(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(third.wait(60000));
        QVERIFY(d.testResult().contains("&#10007;"));
        QVERIFY(d.testResult().contains("ghost"));
    }

    void passwordsAreRefusedAndNeverSaved() {
        ConnectionDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QTest::mouseClick(d.ledgerButton(), Qt::LeftButton);
        d.conninfoEdit()->setText(conninfo + " password=swordfish-77");
        QVERIFY(d.problem().contains("pgpass"));
        QVERIFY(!d.problem().contains("swordfish-77"));
        QSignalSpy tested(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(tested.count() == 1 || tested.wait(10000));
        QVERIFY(!d.testResult().contains("swordfish-77"));
        d.saveConnection(); // without a name nothing is saved; with one, the refused string is not kept
        d.nameEdit()->setText("ledger-prod");
        d.saveConnection();
        d.conninfoEdit()->setText(conninfo);
        QVERIFY(d.problem().isEmpty());
        d.saveConnection();
        QSettings s;
        s.beginGroup("connections/ledger-prod");
        QCOMPARE(s.value("conninfo").toString(), conninfo);
        QVERIFY(s.value("ledger").toBool());
        for (const QString& k : s.allKeys())
            QVERIFY2(!s.value(k).toString().contains("swordfish"), qPrintable(k));
        s.endGroup();
        // Reopened from the saved list: the ledger kind and its connection string come back.
        ConnectionDialog reopened;
        auto* saved = reopened.findChild<QComboBox*>();
        QVERIFY(saved);
        saved->setCurrentText("ledger-prod");
        QVERIFY(reopened.ledger());
        QCOMPARE(reopened.conninfoEdit()->text(), conninfo);
    }

    void loadsIntoTheWindowWithACap() {
        MainWindow w;
        w.show();
        QSignalSpy done(&w, &MainWindow::loadFinished);
        LedgerOptions o;
        o.conninfo = conninfo.toStdString();
        w.openLedger(o, {}, 10);
        QVERIFY(done.wait(60000));
        QCOMPARE(w.model()->rowCount(), 10);
        bool said = false;
        for (const auto& n : w.store()->notices())
            said = said || QString::fromStdString(n).contains("5 more rows on the server");
        QVERIFY(said);
        QVERIFY(w.windowTitle().startsWith("Caracal ledger"));
        // The zone selector says what the server holds beside what was loaded.
        QComboBox* zones = w.filterBar()->zoneBox();
        QStringList texts;
        for (int i = 0; i < zones->count(); ++i)
            texts << zones->itemText(i);
        QVERIFY2(texts.join("|").contains("of 15 on the server"), qPrintable(texts.join("|")));
        QVERIFY2(texts.join("|").contains("of 8 on the server"), qPrintable(texts.join("|")));
        // The filter bar's expression runs in SQL: only those rows are read.
        QSignalSpy again(&w, &MainWindow::loadFinished);
        w.setViewOptions("decision:deny", "", "");
        w.openLedger(o, {"zone-a"}, 1000);
        QVERIFY(again.wait(60000));
        QCOMPARE(int(w.store()->size()), 3);
        QCOMPARE(w.model()->rowCount(), 3);
        QVERIFY(w.session()->source().isLedger());
        // F5 reads the ledger again with the same SQL part and cap.
        QSignalSpy reloaded(&w, &MainWindow::loadFinished);
        QTest::keyClick(w.table(), Qt::Key_F5);
        QVERIFY(reloaded.wait(60000));
        QCOMPARE(int(w.store()->size()), 3);
    }

    void verifyIntegrityReadsTheLedger() {
        // Loaded: only zone-a's deny rows. Verify through the ledger checks every chain in full.
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::loadFinished);
        LedgerOptions o;
        o.conninfo = conninfo.replace("user=reader", "user=postgres").toStdString();
        conninfo.replace("user=postgres", "user=reader");
        w.setViewOptions("decision:deny", "", "");
        w.openLedger(o, {"zone-a"}, 1000);
        QVERIFY(done.wait(60000));
        QCOMPARE(int(w.store()->size()), 3);
        IntegrityPanel panel(&w.session()->jobs());
        panel.setStoreSource([&w] { return w.session()->store(); });
        panel.setLedgerSource([&w] { return w.session()->source().ledger; });
        const QString keyFile = tmp.path() + "/key.hex";
        QFile k(keyFile);
        QVERIFY(k.open(QIODevice::WriteOnly));
        k.write(QByteArray(std::string(32, 'k').data(), 32).toHex() + "\n");
        k.close();
        k.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        QSignalSpy finished(&panel, &IntegrityPanel::finished);
        QVERIFY(panel.run(keyFile));
        QVERIFY(finished.wait(60000));
        QVERIFY(panel.reportFromLedger());
        QCOMPARE(panel.report()->verdict(), Verdict::Intact);
        QVERIFY(panel.report()->hmacChecked);
        QCOMPARE(panel.report()->zone("zone-a")->rows, size_t(8)); // the whole chain, not the 3 loaded
        QCOMPARE(panel.zoneList()->topLevelItemCount(), 3);
    }

    void cleanupTestCase() { pg.reset(); }
};

QTEST_MAIN(LedgerConsoleTest)
#include "tst_ledgerconsole.moc"
