#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "ContractServer.h"
#include "GuiTestSupport.h"
#include "detail/EventDetailView.h"
#include "detail/RequestTraceView.h"
#include "remote/ConnectionDialog.h"
#include "remote/CsvExportDialog.h"
#include "remote/ExplainCompareDialog.h"
#include "remote/FollowController.h"
#include "session/LoadController.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace caracal;
using namespace caracal::ui;

namespace {
// Everything Qt logs while the suite runs, checked for the token at the end.
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;
void recordMessage(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    g_log << message;
    if (g_previousHandler) g_previousHandler(type, context, message);
}
} // namespace

// The console reading a deployment: a contract server on 127.0.0.1, the real window offscreen.
class RemoteConsoleTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const QByteArray token = "console-secret-token-5150";
    std::unique_ptr<test::ContractServer> server;
    QString tokenFile;

    RemoteConnection connection(const std::string& zone) const {
        RemoteConnection c;
        c.name = "contract";
        c.apiBase = server->baseUrl().toStdString();
        c.zones = {zone};
        c.tokenFile = tokenFile.toStdString();
        c.pageLimit = 50;
        return c;
    }

  private slots:
    void initTestCase() {
        g_previousHandler = qInstallMessageHandler(recordMessage);
        QLoggingCategory::setFilterRules(
            "qt.network.*=true"); // network debug output too: no token there either
        test::isolateSettings(tmp, "remote-console-test");
        server = std::make_unique<test::ContractServer>(QString(CARACAL_TEST_DATA) + "/caracal-api", token);
        tokenFile = tmp.path() + "/token";
        QFile f(tokenFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(token + "\n");
    }

    void loadsPagesIntoTheWindow() {
        MainWindow w;
        w.show();
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QSignalSpy progress(w.findChild<LoadController*>(), &LoadController::progress);
        QVERIFY(w.openRemote(connection("zone-demo-a"), false));
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), true);
        QCOMPARE(w.model()->rowCount(), 143);
        // Progress counted pages and events as they arrived: 50 a page, then the last 43 and the empty end.
        QStringList steps;
        for (const auto& p : progress)
            steps << QString("%1:%2").arg(p[0].toLongLong()).arg(p[2].toLongLong());
        QCOMPARE(steps.join(" "), QString("1:50 2:100 3:143"));
        QCOMPARE(w.store()->notices().size(), size_t(1)); // millisecond times
        QVERIFY(QString::fromStdString(w.store()->notices().front()).contains("millisecond"));
        QVERIFY(w.noticeLabel()->isVisible()); // said above the table, not only kept
        QVERIFY(w.noticeLabel()->text().contains("millisecond"));
        QVERIFY(w.windowTitle().startsWith("contract (zone-demo-a)"));
        // F5 reads the same deployment again (the reload passes the session's own connection).
        QSignalSpy reloaded(&w, &MainWindow::loadFinished);
        QTest::keyClick(w.table(), Qt::Key_F5);
        QVERIFY(reloaded.wait(60000));
        QCOMPARE(w.model()->rowCount(), 143);
        QVERIFY(w.windowTitle().startsWith("contract (zone-demo-a)"));
        // The filter bar's server-side part narrows what is fetched: decision:deny goes to the server.
        QSignalSpy again(&w, &MainWindow::loadFinished);
        w.setViewOptions("decision:deny", "", "");
        QVERIFY(w.openRemote(connection("zone-demo-a"), false));
        QVERIFY(again.wait(60000));
        QCOMPARE(int(w.store()->size()), 34);
        // From the audit service: chain fields, and the note about its 24-hour default window.
        RemoteConnection both = connection("zone-demo-b");
        both.auditUrl = both.apiBase;
        w.setViewOptions("", "", "");
        QSignalSpy audit(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(both, true));
        QVERIFY(audit.wait(60000));
        QCOMPARE(w.model()->rowCount(), 57);
        QVERIFY(w.store()->record(w.model()->rowId(0)).flags & SearchRow);
        bool windowNoted = false;
        for (const auto& n : w.store()->notices())
            windowNoted = windowNoted || n.find("24 hours") != std::string::npos;
        QVERIFY(windowNoted);
        QVERIFY(w.noticeLabel()->isVisible());
        QVERIFY(w.noticeLabel()->text().contains("24 hours"));
        test::screenshot(&w, "remote-audit-service");
    }

    void cancelStopsAPendingRequest() {
        MainWindow w;
        w.show();
        RemoteConnection silent = connection("zone-demo-a");
        silent.apiBase = server->silentUrl().toStdString();
        silent.connectTimeoutMs = 600000; // only Cancel can end it
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(silent, false));
        QVERIFY(w.cancelButton()->isVisible());
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), false);
    }

    void serverErrorsAreShown() {
        MainWindow w;
        RemoteConnection c = connection("zone-demo-a");
        const QString wrong = tmp.path() + "/wrong";
        QFile f(wrong);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("nope");
        f.close();
        c.tokenFile = wrong.toStdString();
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(c, false));
        QVERIFY(done.wait(60000));
        QVERIFY(!w.store()->loadErrors().empty());
        QVERIFY(QString::fromStdString(w.store()->loadErrors().front()).contains("invalid_admin_token"));
        auto* box = w.findChild<QMessageBox*>();
        QVERIFY(box && box->isVisible());
        QVERIFY(box->text().contains("admin token"));
        QVERIFY(!box->text().contains("nope"));
    }

    // Follow mode: new events on the server appear in the open view, the selection stays, a paused view
    // fetches nothing, and a failing server is shown and backed off from.
    void followModeAddsNewEvents() {
        test::ContractServer live(QString(CARACAL_TEST_DATA) + "/caracal-api", token);
        RemoteConnection c = connection("zone-demo-a");
        c.apiBase = live.baseUrl().toStdString();
        c.followIntervalSeconds = 60; // the test polls by hand: nothing waits for the timer
        MainWindow w;
        w.show();
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(c, false));
        QVERIFY(done.wait(60000));
        QCOMPARE(w.model()->rowCount(), 143);
        QVERIFY(!w.liveLabel()->isVisible());
        w.table()->setCurrentIndex(w.model()->index(10, 0));
        const RowId selected = w.model()->rowId(10);

        QAction* followAction = nullptr;
        for (QAction* menu : w.menuBar()->actions()) // the View menu's entry, as a user finds it
            for (QAction* a : menu->menu()->actions())
                if (a->text() == "&Follow new events") followAction = a;
        QVERIFY(followAction && followAction->isEnabled());
        followAction->trigger();
        QVERIFY(w.follow()->isActive());
        QVERIFY(w.follow()->isTimerActive());
        QVERIFY(w.liveLabel()->isVisible());
        QVERIFY(w.liveLabel()->text().contains("Live"));
        QVERIFY(w.liveLabel()->toolTip().contains("every 60 s"));

        live.addEvent(
            test::ContractServer::apiEvent("live-1", "zone-demo-a", "req-live", "2026-11-14T00:10:47.001Z"));
        live.addEvent(
            test::ContractServer::apiEvent("live-2", "zone-demo-a", "req-live", "2026-11-14T00:10:48.002Z"));
        QSignalSpy extended(&w, &MainWindow::storeExtended);
        QSignalSpy applied(&w, &MainWindow::viewApplied);
        w.follow()->pollNow();
        QVERIFY(extended.wait(60000));
        if (applied.isEmpty()) QVERIFY(applied.wait(60000));
        QCOMPARE(w.model()->rowCount(), 145);
        QCOMPARE(w.store()->eventId(w.model()->rowId(144)), std::string("live-2"));
        QCOMPARE(w.model()->rowId(w.table()->currentIndex().row()), selected); // the selection stays
        QVERIFY(w.statusText().contains("145 events"));
        QVERIFY(w.liveLabel()->toolTip().contains("2 new"));

        // A second poll finds nothing new (the overlap re-reads the newest events) and changes nothing.
        QSignalSpy polled(w.follow(), &FollowController::polled);
        w.follow()->pollNow();
        QVERIFY(polled.wait(60000));
        QCOMPARE(w.model()->rowCount(), 145);
        QCOMPARE(extended.size(), 1);

        // Paused: no timer, no poll; resuming fetches what arrived meanwhile.
        QTest::mouseClick(w.pauseButton(), Qt::LeftButton);
        QVERIFY(w.follow()->isPaused());
        QVERIFY(!w.follow()->isTimerActive());
        QCOMPARE(w.pauseButton()->text(), QString("Resume"));
        QVERIFY(w.liveLabel()->text().contains("Paused"));
        live.addEvent(
            test::ContractServer::apiEvent("live-3", "zone-demo-a", "req-live", "2026-11-14T00:10:49.003Z"));
        const int requests = live.requests();
        w.follow()->pollNow();
        QCOMPARE(live.requests(), requests);
        QTest::mouseClick(w.pauseButton(), Qt::LeftButton);
        QVERIFY(extended.wait(60000));
        if (w.model()->rowCount() != 146) QVERIFY(applied.wait(60000));
        QCOMPARE(w.model()->rowCount(), 146);

        // A failing server: shown, and the next poll waits longer than the interval.
        live.setFault(test::ContractServer::Fault::Unauthorized);
        w.follow()->pollNow();
        QVERIFY(polled.wait(60000));
        QCOMPARE(w.follow()->schedule().failures(), 1);
        QVERIFY(w.follow()->nextDelayMs() > 60 * 1000); // backing off
        QVERIFY(w.liveLabel()->text().contains("server failing"));
        QVERIFY2(w.liveLabel()->toolTip().contains("admin token"), qPrintable(w.liveLabel()->toolTip()));
        QVERIFY(!w.liveLabel()->toolTip().contains(token));
        live.setFault(test::ContractServer::Fault::None);
        w.follow()->pollNow();
        QVERIFY(polled.wait(60000));
        QCOMPARE(w.follow()->schedule().failures(), 0);
        test::screenshot(&w, "remote-follow");

        // Turning follow mode off stops it; a new load keeps it off.
        followAction->trigger();
        QVERIFY(!w.follow()->isActive());
        QVERIFY(!w.liveLabel()->isVisible());
    }

    // More new events than the page cap lets one poll read: the gap is said, not hidden.
    void followModeSaysWhatThePageCapSkipped() {
        test::ContractServer live(QString(CARACAL_TEST_DATA) + "/caracal-api", token);
        RemoteConnection c = connection("zone-probe");
        c.apiBase = live.baseUrl().toStdString();
        c.pageLimit = 1;
        c.pageCap = 6;
        c.followIntervalSeconds = 60;
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(c, false));
        QVERIFY(done.wait(60000));
        w.setFollowing(true);
        for (int i = 0; i < 8; ++i)
            live.addEvent(
                test::ContractServer::apiEvent("burst-" + std::to_string(i), "zone-probe", "req-burst",
                                               "2026-11-14T01:00:0" + std::to_string(i + 1) + ".000Z"));
        QSignalSpy polled(w.follow(), &FollowController::polled);
        QSignalSpy extended(&w, &MainWindow::storeExtended);
        w.follow()->pollNow();
        QVERIFY(polled.wait(60000));
        if (extended.isEmpty()) QVERIFY(extended.wait(60000));
        QVERIFY2(w.liveLabel()->toolTip().contains("skipped by the page cap"),
                 qPrintable(w.liveLabel()->toolTip()));
        bool noted = false;
        for (const auto& n : w.store()->notices())
            noted = noted || n.find("Reload (F5)") != std::string::npos;
        QVERIFY(noted);
    }

    // A file export of the same events merged into the API's view: each event once, the richer copy shown.
    void mergingAFileExportKeepsTheRicherCopy() {
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(connection("zone-probe"), false));
        QVERIFY(done.wait(60000));
        QCOMPARE(w.model()->rowCount(), 4);
        // The API's copy: the redacted authority record and the millisecond time are said, not shown as data.
        auto select = [&](const std::string& id) {
            for (int i = 0; i < w.model()->rowCount(); ++i)
                if (w.store()->eventId(w.model()->rowId(i)) == id)
                    w.table()->setCurrentIndex(w.model()->index(i, 0));
            return w.detail()->renderedText();
        };
        QString text = select("probe-0001");
        QVERIFY2(text.contains("Authority record\nwithheld by the Caracal API"), qPrintable(text));
        QVERIFY(text.contains("to the millisecond"));
        QVERIFY(text.contains("From the Caracal API"));
        // The export holds probe-0001 with its stored microseconds and raw authority record, and one more
        // event.
        const auto page = nlohmann::json::parse(server->read("probe/probe-list-all.json").toStdString());
        nlohmann::json first;
        for (const auto& item : page["items"])
            if (item["id"] == "probe-0001") first = item;
        QVERIFY(!first.is_null());
        first["occurred_at"] = "2026-11-14T01:00:00.500900Z";
        first["metadata_json"]["session_id"] = "ar-authority-0001";
        nlohmann::json extra = first;
        extra["id"] = "probe-0099";
        const QString path = tmp.path() + "/probe-export.jsonl";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(first.dump() + "\n" + extra.dump() + "\n"));
        f.close();
        QSignalSpy extended(&w, &MainWindow::storeExtended);
        QVERIFY(w.mergeFiles({path}));
        QVERIFY(extended.wait(60000));
        QCOMPARE(w.model()->rowCount(), 5);
        QCOMPARE(int(w.store()->supersededCount()), 1);
        // The selected API copy was replaced: its richer copy is selected now.
        QCOMPARE(w.store()->eventId(w.model()->rowId(w.table()->currentIndex().row())),
                 std::string("probe-0001"));
        // Shown as Caracal's API would show it until the user asks for secret values, and then the raw one.
        QVERIFY(!w.detail()->renderedText().contains("ar-authority-0001"));
        QVERIFY(w.detail()->renderedText().contains("tick Show secret values to see it"));
        w.traceView()->rawValuesToggle()->setChecked(true);
        QVERIFY(w.detail()->renderedText().contains("ar-authority-0001"));
        w.traceView()->rawValuesToggle()->setChecked(false);
        QStringList authority;
        for (RowId r : w.model()->rows())
            if (w.store()->eventId(r) == "probe-0001")
                authority << QString::fromStdString(std::string(w.store()->field(r, Field::AuthorityRecord)));
        QCOMPARE(authority, QStringList({"ar-authority-0001"}));
        text = select("probe-0001");
        QVERIFY(!text.contains("withheld by the Caracal API")); // hidden by the console, not by a server
        w.traceView()->rawValuesToggle()->setChecked(true);
        text = select("probe-0001");
        QVERIFY(text.contains("ar-authority-0001"));
        w.traceView()->rawValuesToggle()->setChecked(false);
        QVERIFY(text.contains("01:00:00.500900Z"));
        QVERIFY(w.statusText().contains("1 poorer copies"));
    }

    // The request trace offers Caracal's own explain beside ours: agreeing for whole data, and flagging what
    // the API withheld for the redaction probe.
    void caracalExplainBesideOurs() {
        MainWindow w;
        w.show();
        for (const auto& [zone, request, agree] : {std::tuple{"zone-demo-a", "req-triage-ddfe", true},
                                                   std::tuple{"zone-probe", "probe-redaction", false}}) {
            QSignalSpy done(&w, &MainWindow::loadFinished);
            QVERIFY(w.openRemote(connection(zone), false));
            QVERIFY(done.wait(60000));
            w.setViewOptions("", request, "");
            QSignalSpy applied(&w, &MainWindow::viewApplied);
            QVERIFY(w.applyView());
            QVERIFY(applied.wait(60000));
            QVERIFY(w.model()->rowCount() > 0);
            w.table()->setCurrentIndex(w.model()->index(0, 0));
            QPushButton* compare = w.traceView()->compareButton();
            QVERIFY(!compare->isHidden());
            QSignalSpy shown(&w, &MainWindow::caracalExplainShown);
            QTest::mouseClick(compare, Qt::LeftButton);
            QVERIFY(shown.wait(60000));
            auto* dialog = qobject_cast<ExplainCompareDialog*>(shown.first().first().value<QDialog*>());
            QVERIFY(dialog && dialog->isVisible());
            QCOMPARE(dialog->differences().empty(), agree);
            QVERIFY(dialog->oursText()->toPlainText().contains(request));
            QVERIFY(dialog->caracalsText()->toPlainText().contains(request));
            if (agree) {
                QVERIFY(dialog->verdict()->text().contains("agree"));
            } else {
                QVERIFY(dialog->verdict()->text().contains("differences"));
                QVERIFY(dialog->table()->rowCount() > 0);
                QVERIFY(dialog->table()->item(0, 3)->text().contains("withholds"));
                dialog->table()->setCurrentCell(0, 0);
                QVERIFY(dialog->caracalsText()->textCursor().hasSelection());
                // The path is walked: the cursor is on the policy input's session_id, after "context".
                const QString text = dialog->caracalsText()->toPlainText();
                const int at = dialog->caracalsText()->textCursor().selectionStart();
                QCOMPARE(dialog->caracalsText()->textCursor().selectedText(), QString("\"session_id\""));
                QVERIFY(at > text.indexOf("\"policy_input\"") &&
                        at > text.indexOf("\"context\"", text.indexOf("\"policy_input\"")));
                test::screenshot(dialog, "explain-compare");
            }
            dialog->close();
        }
        // A file view has no deployment to ask.
        w.openFiles({MainWindow::samplePath()});
        QVERIFY(w.traceView()->compareButton()->isHidden());
    }

    // The deployment's CSV export, saved byte for byte with the columns chosen.
    void csvExportDownloads() {
        MainWindow w;
        QVERIFY(!w.openCsvExport()); // nothing from a deployment loaded yet
        QSignalSpy done(&w, &MainWindow::loadFinished);
        QVERIFY(w.openRemote(connection("zone-demo-a"), false));
        QVERIFY(done.wait(60000));
        CsvExportDialog* d = w.openCsvExport();
        QVERIFY(d);
        QVERIFY(d->pathEdit()->text().endsWith("/audit-zone-demo-a.csv"));
        QTest::mouseClick(d->coreButton(), Qt::LeftButton);
        QStringList core = d->chosenFields();
        core.sort();
        QCOMPARE(core, QStringList({"application_id", "application_name", "decision", "event_type",
                                    "occurred_at", "reason", "request_id", "resource"}));
        d->chooseFields({"id", "occurred_at", "event_type", "decision", "request_id", "application_id",
                         "resource", "reason"});
        d->limitBox()->setValue(50);
        const QString path = tmp.path() + "/export.csv";
        d->pathEdit()->setText(path);
        QSignalSpy downloaded(d, &CsvExportDialog::downloaded);
        QTest::mouseClick(d->downloadButton(), Qt::LeftButton);
        QVERIFY(downloaded.wait(60000));
        QVERIFY2(downloaded.first().first().toBool(), qPrintable(d->result()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), server->read("demo/list-format-csv-fields.csv"));
        QVERIFY(d->result().contains("Saved 50 rows"));
        test::screenshot(d, "csv-export");
        d->chooseFields({});
        d->download();
        QVERIFY(d->result().contains("at least one column"));
    }

    void testConnectionSaysWhatWorks() {
        ConnectionDialog d;
        d.urlEdit()->setText(server->baseUrl());
        d.zonesEdit()->setText("zone-demo-b");
        d.tokenFileEdit()->setText(tokenFile);
        emit d.tokenFileEdit()->textEdited(tokenFile);
        QSignalSpy tested(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(tested.wait(60000));
        QVERIFY2(d.testResult().contains("Zone zone-demo-b readable"), qPrintable(d.testResult()));
        QVERIFY(!d.testResult().contains("&#10007;"));
        QVERIFY(!d.testResult().contains("Audit service"));
        // Both services given: each is tested; loading from the audit service keeps the API for explain and
        // CSV.
        d.auditUrlEdit()->setText(server->baseUrl());
        QSignalSpy both(&d, &ConnectionDialog::tested);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        QVERIFY(both.wait(60000));
        QVERIFY2(d.testResult().contains("Caracal API") && d.testResult().contains("Audit service"),
                 qPrintable(d.testResult()));
        QVERIFY(!d.testResult().contains("&#10007;"));
        d.setConnection(d.connection(), true);
        QVERIFY(d.auditService());
        QCOMPARE(QString::fromStdString(d.connection().apiBase), server->baseUrl());
        QCOMPARE(QString::fromStdString(d.connection().auditUrl), server->baseUrl());
        d.resize(640, d.sizeHint().height());
        test::screenshot(&d, "connection-dialog");
        d.urlEdit()->setText("http://caracal.example.com");
        d.testConnection();
        QVERIFY(d.testResult().contains("plain http"));
    }

    // The token is read when needed and never written to the settings.
    void tokenNeverReachesSettings() {
        ConnectionDialog d;
        d.setConnection(connection("zone-demo-b"));
        d.saveConnection();
        QSettings().sync();
        QFile settings(QSettings().fileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray all = settings.readAll();
        QVERIFY(all.contains("zone-demo-b"));
        QVERIFY(all.contains(tokenFile.toUtf8()));
        QVERIFY(!all.contains(token));
        for (const QByteArray& auth : server->authorizations())
            QVERIFY(auth == "Bearer " + token || auth == "Bearer nope");
        // Nor any log line of the whole suite.
        QVERIFY(!g_log.isEmpty());
        for (const QString& line : g_log)
            QVERIFY2(!line.contains(QString::fromLatin1(token)), qPrintable(line));
    }
};

QTEST_MAIN(RemoteConsoleTest)
#include "tst_remoteconsole.moc"
