#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "ConnectionDialog.h"
#include "ContractServer.h"
#include "EventTableModel.h"
#include "GuiTestSupport.h"
#include "MainWindow.h"
#endif

#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace caracal;
using namespace caracal::ui;

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
        QVERIFY(w.openRemote(connection("zone-demo-a"), false));
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), true);
        QCOMPARE(w.model()->rowCount(), 143);
        QCOMPARE(w.store()->notices().size(), size_t(1)); // millisecond times
        QVERIFY(QString::fromStdString(w.store()->notices().front()).contains("millisecond"));
        QVERIFY(w.windowTitle().startsWith("contract (zone-demo-a)"));
        // The filter bar's server-side part narrows what is fetched: decision:deny goes to the server.
        QSignalSpy again(&w, &MainWindow::loadFinished);
        w.setViewOptions("decision:deny", "", "");
        QVERIFY(w.openRemote(connection("zone-demo-a"), false));
        QVERIFY(again.wait(60000));
        QCOMPARE(int(w.store()->size()), 34);
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
    }
};

QTEST_MAIN(RemoteConsoleTest)
#include "tst_remoteconsole.moc"
