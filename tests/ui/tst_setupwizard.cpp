#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "common/Theme.h"
#include "load/EventLoader.h"
#include "setup/CheckListView.h"
#include "setup/SetupWizard.h"
#endif

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace caracal;
using namespace caracal::ui;

// The setup wizard driven offscreen: real buttons, a real HTTP server on 127.0.0.1, real files and modes.
class SetupWizardTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const QString secret = "cs_live_NEVER-SHOWN-77";
    QString profile, secretFile;
    std::shared_ptr<EventStore> store;
    SetupEnvironment env;

    void write(const QString& path, const QByteArray& bytes, unsigned mode) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        ::chmod(path.toLocal8Bit().constData(), mode);
    }
    static unsigned modeOf(const QString& path) {
        struct stat st {};
        ::stat(path.toLocal8Bit().constData(), &st);
        return st.st_mode & 0777;
    }
    // True when the list shows a check with this status whose message contains `text`.
    static bool shows(const CheckListView* list, CheckStatus status, const QString& text) {
        for (const auto& c : list->checks())
            if (c.status == status && QString::fromStdString(c.message).contains(text))
                return list->toPlainText().contains(QString::fromStdString(c.message));
        return false;
    }
    std::unique_ptr<SetupWizard> makeWizard() {
        auto w = std::make_unique<SetupWizard>(store);
        w->setEnvironment(env);
        w->show();
        return w;
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "wizard-test");
        QSettings().clear();
        applyPalette(PaletteMode::Light);
        secretFile = tmp.path() + "/client-secret";
        write(secretFile, secret.toUtf8() + "\n", 0644); // too open: the wizard should say so and fix it
        profile = tmp.path() + "/caracal.toml";
        env.home = tmp.path().toStdString();
        env.workingDirectory = tmp.path().toStdString();
        env.vars["CARACAL_CONFIG"] = profile.toStdString();
        const QString events =
            "{\"id\":\"e1\",\"zone_id\":\"zone-dev\",\"event_type\":\"token_exchange\",\"request_id\":\"req-"
            "scope\","
            "\"decision\":\"deny\",\"evaluation_status\":\"scope_mismatch\",\"policy_set_version_id\":\"psv-"
            "1\","
            "\"metadata_json\":{\"application_id\":\"app-1\",\"resource\":\"resource://pipernet\","
            "\"requested_scopes\":[\"admin\"]},\"occurred_at\":\"2026-11-14T10:00:01Z\"}\n";
        write(tmp.path() + "/events.jsonl", events.toUtf8(), 0644);
        store = std::make_shared<EventStore>();
        loadIntoStore(*store, {(tmp.path() + "/events.jsonl").toStdString()});
    }

    void readinessFromASavedFile() {
        const QString status = tmp.path() + "/status.json";
        write(status,
              "{\"mode\":\"ready\",\"services\":[{\"name\":\"api\",\"port\":3000,\"url\":\"http://"
              "localhost:3000/ready\","
              "\"ok\":true,\"detail\":\"200\"},{\"name\":\"gateway\",\"port\":8081,\"url\":"
              "\"http://localhost:8081/ready\",\"ok\":false,\"detail\":\"503 sts_unreachable\"}]}",
              0644);
        write(profile, "zone_id = \"zone-dev\"\n", 0600);
        auto w = makeWizard();
        w->fileChoice()->setChecked(true);
        w->statusFileEdit()->setText(status);
        QTest::mouseClick(w->readinessButton(), Qt::LeftButton);
        const QString text = w->readinessList()->toPlainText();
        QVERIFY2(shows(w->readinessList(), CheckStatus::Fail, "gateway is not ready (503 sts_unreachable)"),
                 qPrintable(text));
        // The row is linked by its address and shown by its title, never as the raw key.
        QVERIFY(w->readinessList()->toHtml().contains("row:readiness-failures/service-not-ready"));
        QVERIFY(!text.contains("readiness-failures/service-not-ready"));
        QVERIFY(text.contains("Readiness Failures"));
        QVERIFY(shows(w->readinessList(), CheckStatus::Pass, "api is ready"));
        // A row link goes to the troubleshooting browser.
        QSignalSpy rows(w.get(), &SetupWizard::troubleshootingRequested);
        emit w->readinessList()->anchorClicked(QUrl("row:readiness-failures/service-not-ready"));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().first().toString(), QString("row:readiness-failures/service-not-ready"));
    }

    void readinessByProbing() {
        QHttpServer server;
        server.route("/sts/ready", [] { return QHttpServerResponse("application/json", "{\"ok\":true}"); });
        server.route("/gw/ready", [] {
            return QHttpServerResponse("application/json",
                                       "{\"ok\":false,\"reason\":\"stream_consumers_not_ready\"}",
                                       QHttpServerResponse::StatusCode::ServiceUnavailable);
        });
        const quint16 port = server.listen(QHostAddress::LocalHost);
        QVERIFY(port);
        const QString base = QString("http://127.0.0.1:%1").arg(port);
        write(profile,
              ("zone_id = \"zone-dev\"\nsts_url = \"" + base + "/sts\"\ngateway_url = \"" + base + "/gw\"\n")
                  .toUtf8(),
              0600);
        auto w = makeWizard();
        w->probeChoice()->setChecked(true);
        QSignalSpy done(w.get(), &SetupWizard::readinessDone);
        QTest::mouseClick(w->readinessButton(), Qt::LeftButton);
        QVERIFY(done.wait(20000));
        const QString text = w->readinessList()->toPlainText();
        QVERIFY2(
            shows(w->readinessList(), CheckStatus::Pass, "sts is ready (200 from " + base + "/sts/ready)"),
            qPrintable(text));
        QVERIFY(shows(w->readinessList(), CheckStatus::Fail,
                      "gateway is not ready (503 stream_consumers_not_ready"));
    }

    void profileFixIsAppliedAfterConfirmation() {
        write(profile,
              ("zone_id = \"zone-dev\"\napplication_id = \"app-1\"\napp_client_secret_file = \"" +
               secretFile + "\"\n[[credentials]]\nresource = \"resource://pipernet\"\n")
                  .toUtf8(),
              0600);
        ::chmod(secretFile.toLocal8Bit().constData(), 0644);
        auto w = makeWizard();
        w->next(); // to the profile page, which checks at once
        QCOMPARE(w->currentId(), int(SetupWizard::ProfilePage));
        QVERIFY(w->profileFoundBy()->text().contains("found through CARACAL_CONFIG"));
        QString text = w->profileList()->toPlainText();
        QVERIFY2(
            shows(w->profileList(), CheckStatus::Fail, "The secret file " + secretFile + " has mode 0644"),
            qPrintable(text));
        QVERIFY(text.contains("Apply: make it owner-only (chmod 600)"));
        // Declined: nothing changes. Confirmed: the file is 0600 and the page re-checks.
        QStringList asked;
        w->setConfirm([&](const QString& q) {
            asked << q;
            return asked.size() > 1;
        });
        emit w->profileList()->anchorClicked(QUrl("action:chmod600:" + secretFile));
        QCOMPARE(modeOf(secretFile), 0644u);
        emit w->profileList()->anchorClicked(QUrl("action:chmod600:" + secretFile));
        QCOMPARE(modeOf(secretFile), 0600u);
        QVERIFY(asked.first().contains(secretFile));
        text = w->profileList()->toPlainText();
        QVERIFY(text.contains("0 failed"));
        QVERIFY(shows(w->profileList(), CheckStatus::Pass, "The secret file is readable by its owner only"));
        // A typed path wins over CARACAL_CONFIG.
        w->profileEdit()->setText(tmp.path() + "/other.toml");
        QTest::mouseClick(w->profileButton(), Qt::LeftButton);
        QVERIFY(w->profileFoundBy()->text().contains("found through the path given above"));
        QVERIFY(w->profileList()->toPlainText().contains("does not exist"));
        w->profileEdit()->clear();
        caracal::test::screenshot(w.get(), "wizard-profile");
    }

    void firstCallChecklist() {
        auto w = makeWizard();
        QCOMPARE(w->currentId(), int(SetupWizard::ProfilePage)); // it starts where the last run stopped
        w->next();
        QCOMPARE(w->currentId(), int(SetupWizard::FirstCallPage));
        w->requestEdit()->setText("req-scope");
        QTest::mouseClick(w->firstCallButton(), Qt::LeftButton);
        QCOMPARE(w->firstCallReport().scenario, std::string("sts-403"));
        const QString text = w->firstCallList()->toPlainText();
        QVERIFY2(shows(w->firstCallList(), CheckStatus::Fail, "Requested scopes admin"), qPrintable(text));
        QVERIFY(w->firstCallList()->toHtml().contains("row:sts-403/scopes"));
        QVERIFY(text.contains("STS 403"));
        QSignalSpy show(w.get(), &SetupWizard::showRequestRequested);
        auto* showButton = w->findChild<QPushButton*>(QString(), Qt::FindChildrenRecursively);
        for (QPushButton* b : w->findChildren<QPushButton*>())
            if (b->text() == "Show its events in the table") showButton = b;
        QVERIFY(showButton->isEnabled());
        QTest::mouseClick(showButton, Qt::LeftButton);
        QCOMPARE(show.size(), 1);
        QCOMPARE(show.first().first().toString(), QString("req-scope"));
        // Not in the data: the Missing Audit Events checklist.
        w->requestEdit()->setText("req-elsewhere");
        w->errorBodyEdit()->setPlainText("{\"error\":\"access_denied\",\"error_description\":\"" + secret +
                                         "\"}");
        QTest::mouseClick(w->firstCallButton(), Qt::LeftButton);
        QCOMPARE(w->firstCallReport().scenario, std::string("missing-audit-events"));
        QVERIFY(w->firstCallList()->toHtml().contains("row:missing-audit-events/never-reached"));
        QVERIFY(w->firstCallList()->toPlainText().contains("Missing Audit Events"));
        caracal::test::screenshot(w.get(), "wizard-first-call");
        w->next();
        QCOMPARE(w->currentId(), int(SetupWizard::DonePage));
        QVERIFY(w->summaryLabel()->text().contains("First protected call"));
        w->close();
    }

    // Paths and choices come back; secrets and pasted error bodies never reach the settings or the screen.
    void stateIsRememberedWithoutSecrets() {
        auto w = makeWizard();
        QCOMPARE(w->requestEdit()->text(), QString("req-elsewhere"));
        QVERIFY(w->errorBodyEdit()->toPlainText().isEmpty());
        QCOMPARE(w->startId(), int(SetupWizard::ReadinessPage)); // the last run went all the way
        w->next();
        w->next();
        w->close(); // closed on the first-call page: the next run starts there
        QCOMPARE(makeWizard()->startId(), int(SetupWizard::FirstCallPage));
        QSettings().sync();
        QFile settings(QSettings().fileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray all = settings.readAll();
        QVERIFY(all.contains("req-elsewhere"));
        QVERIFY(!all.contains(secret.toUtf8()));
        QVERIFY(!all.contains("access_denied"));
        auto again = makeWizard();
        again->next();
        QVERIFY(!again->profileList()->toPlainText().contains(secret));
        QVERIFY(!again->readinessList()->toPlainText().contains(secret));
    }
};

QTEST_MAIN(SetupWizardTest)
#include "tst_setupwizard.moc"
