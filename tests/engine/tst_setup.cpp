#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "catalog/TroubleshootingCatalog.h"
#include "setup/FirstCallCheck.h"
#include "setup/ProfileCheck.h"
#include "setup/ReadinessCheck.h"
#endif

#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <sys/stat.h>

using namespace caracal;
using namespace caracal::test;
using Json = nlohmann::ordered_json;

class SetupTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const std::string secret = "cs_live_DO-NOT-LEAK-4f9a";
    int caseNumber = 0;

    // A fresh directory per case holding a profile, its secret file and a config dir.
    struct Case {
        std::string dir, profile, secretFile;
        SetupEnvironment env;
    };
    Case makeCase(const std::string& toml, unsigned profileMode = 0600, unsigned secretMode = 0600,
                  const std::string& secretContent = "") {
        Case c;
        c.dir = tmp.path().toStdString() + "/case" + std::to_string(++caseNumber);
        QDir().mkpath(QString::fromStdString(c.dir + "/home"));
        c.secretFile = c.dir + "/client-secret";
        writeAt(c.secretFile, secretContent.empty() ? secret + "\n" : secretContent, secretMode);
        std::string text = toml;
        for (size_t at; (at = text.find("@SECRET_FILE@")) != std::string::npos;)
            text.replace(at, 13, c.secretFile);
        for (size_t at; (at = text.find("@SECRET@")) != std::string::npos;)
            text.replace(at, 8, secret);
        c.profile = c.dir + "/caracal.toml";
        writeAt(c.profile, text, profileMode);
        c.env.home = c.dir + "/home";
        c.env.workingDirectory = c.dir;
        c.env.vars["CARACAL_CONFIG"] = c.profile;
        return c;
    }
    static void writeAt(const std::string& path, const std::string& text, unsigned mode) {
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text.data(), qint64(text.size()));
        f.close();
        ::chmod(path.c_str(), mode);
    }
    static const SetupCheck* find(const std::vector<SetupCheck>& checks, const std::string& id) {
        for (const auto& c : checks)
            if (c.id == id) return &c;
        return nullptr;
    }
    static std::string everything(const std::vector<SetupCheck>& checks) {
        std::string all;
        for (const auto& c : checks)
            all += c.id + c.message + c.fix + c.action;
        return all;
    }
    static const char* goodProfile() {
        return "zone_id = \"zone-dev\"\napplication_id = \"app-123\"\napp_client_secret_file = "
               "\"@SECRET_FILE@\"\n"
               "gateway_url = \"http://localhost:8081\"\nsts_url = \"https://sts.example.com\"\n"
               "[[credentials]]\nenv = \"CARACAL_PIPERNET_TOKEN\"\nresource = \"resource://pipernet\"\n";
    }

  private slots:
    void findsTheProfileAsCaracalDoes() {
        Case c = makeCase(goodProfile());
        QCOMPARE(locateProfile(c.env).foundBy, std::string("CARACAL_CONFIG"));
        QCOMPARE(locateProfile(c.env, "/elsewhere.toml").foundBy, std::string("--profile"));
        // Without CARACAL_CONFIG: <config dir>/caracal.toml, the dir from CARACAL_CONFIG_HOME, XDG or home.
        SetupEnvironment env = c.env;
        env.vars.erase("CARACAL_CONFIG");
        QVERIFY(locateProfile(env).foundBy.empty());
        env.vars["CARACAL_CONFIG_HOME"] = c.dir;
        QCOMPARE(locateProfile(env).foundBy, std::string("config directory"));
        QCOMPARE(locateProfile(env).path, c.profile);
        env.vars.erase("CARACAL_CONFIG_HOME");
        QCOMPARE(caracalConfigDir(env), c.env.home + "/.config/caracal");
        env.vars["XDG_CONFIG_HOME"] = "/x";
        QCOMPARE(caracalConfigDir(env), std::string("/x/caracal"));
        env.vars["CARACAL_ZONE_ID"] = "zone-dev";
        QCOMPARE(locateProfile(env).foundBy, std::string("environment"));
        // CARACAL_CONFIG naming a missing file is an error, not a fall-through.
        env.vars["CARACAL_CONFIG"] = c.dir + "/missing.toml";
        const ProfileReport r = checkProfile(env);
        QCOMPARE(r.location.foundBy, std::string("CARACAL_CONFIG"));
        QCOMPARE(find(r.checks, "profile.location")->status, CheckStatus::Fail);
        QVERIFY(find(r.checks, "profile.location")->message.find("does not exist") != std::string::npos);
        QCOMPARE(find(r.checks, "profile.location")->rows.front(),
                 std::string("profile-issues/profile-path-wrong"));
    }

    void noProfileAtAll() {
        SetupEnvironment env;
        env.home = tmp.path().toStdString() + "/nohome";
        const ProfileReport r = checkProfile(env);
        QCOMPARE(r.checks.size(), size_t(1));
        QCOMPARE(r.checks[0].status, CheckStatus::Fail);
        QCOMPARE(r.checks[0].rows,
                 (std::vector<std::string>{"profile-issues/config-missing", "symptom/config-missing"}));
        QVERIFY(r.checks[0].fix.find("export CARACAL_CONFIG=") != std::string::npos);
    }

    void defaultSecretPathIsSanitised() {
        SetupEnvironment env;
        env.home = "/home/u";
        QCOMPARE(defaultClientSecretPath(env, "zone dev/1", "app:42"),
                 std::string("/home/u/.config/caracal/runtime/zone_dev_1/app_42/client-secret"));
    }

    // Each rule: a profile, modes and environment -> the check it trips, its status and a piece of its fix.
    void profileRules_data() {
        QTest::addColumn<QString>("toml");
        QTest::addColumn<int>("profileMode");
        QTest::addColumn<int>("secretMode");
        QTest::addColumn<QString>("secretContent");
        QTest::addColumn<QString>("extraEnv");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("fixHas");
        const QString good = goodProfile();
        // Top-level keys must come before the first [[credentials]] block.
        auto withTop = [&](const QString& extra) {
            return QString(good).replace("[[credentials]]", extra + "[[credentials]]");
        };
        auto row = [&](const char* name, QString toml, int pm, int sm, QString content, QString env,
                       QString check, QString status, QString fix) {
            QTest::newRow(name) << toml << pm << sm << content << env << check << status << fix;
        };
        row("all good", good, 0600, 0600, "", "", "profile.required", "pass", "");
        row("missing zone_id", QString(good).replace("zone_id = \"zone-dev\"\n", ""), 0600, 0600, "", "",
            "profile.required", "fail", "zone_id");
        row("empty application_id", QString(good).replace("\"app-123\"", "\"\""), 0600, 0600, "", "",
            "profile.required", "fail", "application_id");
        row("both secrets", withTop("app_client_secret = \"@SECRET@\"\n"), 0600, 0600, "", "",
            "profile.secret_source", "fail", "remove app_client_secret");
        row("inline secret, profile readable by others",
            QString(good).replace("app_client_secret_file = \"@SECRET_FILE@\"",
                                  "app_client_secret = \"@SECRET@\""),
            0644, 0600, "", "", "profile.inline_secret_mode", "fail", "chmod 600");
        row("inline secret, owner-only",
            QString(good).replace("app_client_secret_file = \"@SECRET_FILE@\"",
                                  "app_client_secret = \"@SECRET@\""),
            0600, 0600, "", "", "profile.secret_source", "pass", "");
        row("profile writable by group", good, 0664, 0600, "", "", "profile.mode", "fail", "chmod go-w");
        row("secret file readable by others", good, 0600, 0644, "", "", "secret_file.mode", "fail",
            "chmod 600");
        row("secret file empty", good, 0600, 0600, "  \n", "", "secret_file.content", "fail", "Paste");
        row("secret file missing", QString(good).replace("@SECRET_FILE@", "/nonexistent/client-secret"), 0600,
            0600, "", "", "secret_file.exists", "fail", "chmod 600 /nonexistent/client-secret");
        row("workload secret path", QString(good).replace("@SECRET_FILE@", "ws_abc"), 0600, 0600, "", "",
            "secret_file.kind", "fail", "workload");
        row("no resource", QString(good).replace("resource = \"resource://pipernet\"", ""), 0600, 0600, "",
            "", "profile.resources", "fail", "resource = ");
        row("resource from the environment", good.left(good.indexOf("[[credentials]]")), 0600, 0600, "",
            "CARACAL_RESOURCES=resource://pipernet", "profile.resources", "", "");
        row("plain http to another host", withTop("coordinator_url = \"http://coord.example.com:4000\"\n"),
            0600, 0600, "", "", "profile.coordinator_url", "fail", "https://coord.example.com");
        row("plain http allowed by opt-in", withTop("coordinator_url = \"http://coord.example.com:4000\"\n"),
            0600, 0600, "", "CARACAL_ALLOW_INSECURE_CONFIG_URLS=true", "profile.coordinator_url", "warn",
            "https");
        row("plain http to this machine", good, 0600, 0600, "", "", "profile.gateway_url", "pass", "");
        row("not a URL", withTop("coordinator_url = \"ftp//nowhere\"\n"), 0600, 0600, "", "",
            "profile.coordinator_url", "fail", "https://host:port");
        row("a top-level key after [[credentials]]", good + "coordinator_url = \"https://c.example.com\"\n",
            0600, 0600, "", "", "profile.credentials_keys", "warn", "before the first [[credentials]]");
        row("broken TOML", good + "zone_id = [\n", 0600, 0600, "", "", "profile.parse", "fail",
            "line and column");
        row("a typo in a key", withTop("gateway_ur = \"http://localhost:8081\"\n"), 0600, 0600, "", "",
            "profile.keys", "warn", "gateway_url");
        row("negative ttl", withTop("default_ttl_seconds = -5\n"), 0600, 0600, "", "", "profile.ttl", "fail",
            "900");
    }
    void profileRules() {
        QFETCH(QString, toml);
        QFETCH(int, profileMode);
        QFETCH(int, secretMode);
        QFETCH(QString, secretContent);
        QFETCH(QString, extraEnv);
        QFETCH(QString, check);
        QFETCH(QString, status);
        QFETCH(QString, fixHas);
        Case c = makeCase(toml.toStdString(), unsigned(profileMode), unsigned(secretMode),
                          secretContent.toStdString());
        if (!extraEnv.isEmpty())
            c.env.vars[extraEnv.section('=', 0, 0).toStdString()] = extraEnv.section('=', 1).toStdString();
        const ProfileReport r = checkProfile(c.env);
        const SetupCheck* found = find(r.checks, check.toStdString());
        if (status.isEmpty()) { // the check must not fail (it may be absent)
            QVERIFY(!found || found->status != CheckStatus::Fail);
        } else {
            QVERIFY2(found, qPrintable("no check " + check +
                                       " in: " + QString::fromStdString(everything(r.checks))));
            QCOMPARE(QString::fromStdString(std::string(checkStatusName(found->status))), status);
            QVERIFY2(found->fix.find(fixHas.toStdString()) != std::string::npos, found->fix.c_str());
            if (found->status == CheckStatus::Fail) QVERIFY(!found->rows.empty());
        }
        if (QString(QTest::currentDataTag()) == "all good") QVERIFY(!anyFailed(r.checks));
        // Whatever the case, the secret's value appears nowhere.
        QVERIFY(everything(r.checks).find(secret) == std::string::npos);
        // Every row a check names exists in the catalog.
        for (const auto& ch : r.checks)
            for (const auto& row : ch.rows)
                QVERIFY2(!TroubleshootingCatalog::instance().rows(row).empty(), row.c_str());
    }

    void secretFileFixesCanBeApplied() {
        Case c = makeCase(goodProfile(), 0600, 0644);
        const ProfileReport r = checkProfile(c.env);
        const SetupCheck* mode = find(r.checks, "secret_file.mode");
        QVERIFY2(mode, everything(r.checks).c_str());
        QCOMPARE(mode->action, "chmod600:" + c.secretFile);
        QVERIFY(find(checkProfile(c.env).checks, "profile.location")->action.rfind("open-folder:", 0) == 0);
    }

    void defaultSecretPath() {
        Case c = makeCase(
            "zone_id = \"zone-dev\"\napplication_id = \"app-123\"\n[[credentials]]\nresource = \"r\"\n");
        ProfileReport r = checkProfile(c.env);
        QCOMPARE(find(r.checks, "profile.secret_source")->status, CheckStatus::Fail);
        QVERIFY(find(r.checks, "profile.secret_source")
                    ->message.find("/runtime/zone-dev/app-123/client-secret") != std::string::npos);
        const std::string def = defaultClientSecretPath(c.env, "zone-dev", "app-123");
        QDir().mkpath(QFileInfo(QString::fromStdString(def)).absolutePath());
        writeAt(def, secret, 0600);
        r = checkProfile(c.env);
        QVERIFY(!anyFailed(r.checks));
        QVERIFY(find(r.checks, "secret_file.exists")->message.find("the default path") != std::string::npos);
        c.env.vars["CARACAL_ENV"] = "production"; // production never guesses
        QCOMPARE(find(checkProfile(c.env).checks, "profile.secret_source")->status, CheckStatus::Fail);
    }

    void environmentOnly() {
        SetupEnvironment env;
        env.home = tmp.path().toStdString();
        env.vars = {{"CARACAL_ZONE_ID", "z"}, {"CARACAL_APPLICATION_ID", "a"}};
        ProfileReport r = checkProfile(env);
        QCOMPARE(r.location.foundBy, std::string("environment"));
        QCOMPARE(find(r.checks, "profile.secret_source")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "profile.resources")->status, CheckStatus::Fail);
        env.vars["CARACAL_APP_CLIENT_SECRET"] = secret;
        env.vars["CARACAL_RESOURCES"] = "resource://x";
        r = checkProfile(env);
        QVERIFY(!anyFailed(r.checks));
        QVERIFY(everything(r.checks).find(secret) == std::string::npos);
    }

    void readinessDetailRule_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("detail");
        QTest::newRow("ok") << 200 << "{\"ok\":true}"
                            << "200";
        QTest::newRow("reason") << 503 << "{\"ok\":false,\"ready\":false,\"reason\":\"sts_unreachable\"}"
                                << "503 sts_unreachable";
        QTest::newRow("error") << 503
                               << "{\"ok\":false,\"error\":\"postgres_unreachable\",\"dependency\":\"pg\"}"
                               << "503 postgres_unreachable";
        QTest::newRow("empty reason, then error")
            << 503 << "{\"reason\":\"\",\"error\":\"redis_unreachable\"}"
            << "503 redis_unreachable";
        QTest::newRow("draining: the body's first line") << 503 << "{\"ok\":false,\"draining\":true}"
                                                         << "503 {\"ok\":false,\"draining\":true}";
        QTest::newRow("plain text") << 500 << "\n  oops\nmore"
                                    << "500 oops";
        QTest::newRow("no body") << 502 << ""
                                 << "502";
        QTest::newRow("long line") << 500 << QString(200, 'x') << "500 " + QString(120, 'x');
    }
    void readinessDetailRule() {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(QString, detail);
        QCOMPARE(QString::fromStdString(readinessDetail(status, body.toStdString())), detail);
    }

    // Every readiness reason Caracal prints maps to its rows and a fix.
    void statusJsonOfEveryReason_data() {
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("row");
        QTest::newRow("unreachable") << "unreachable"
                                     << "readiness-failures/docker-fails";
        QTest::newRow("timeout") << "timeout"
                                 << "readiness-failures/stale-state";
        for (const char* reason :
             {"sts_unreachable", "audit_evidence_lost", "audit_replay_unavailable", "redis_unavailable",
              "revocation_reload_failed", "revocation_snapshot_stale", "stream_consumers_not_ready",
              "sts_unavailable", "postgres_unreachable", "redis_unreachable", "outbox_unreachable",
              "outbox_dead_messages", "outbox_dead"})
            QTest::newRow(reason) << QString("503 ") + reason << "readiness-failures/service-not-ready";
        QTest::newRow("no reason") << "503"
                                   << "readiness-failures/service-not-ready";
    }
    void statusJsonOfEveryReason() {
        QFETCH(QString, detail);
        QFETCH(QString, row);
        Json doc = {{"mode", "ready"}, {"services", Json::array()}};
        for (const auto& [name, port] : caracalServices())
            doc["services"].push_back({{"name", name},
                                       {"port", port},
                                       {"url", "http://localhost:" + std::to_string(port) + "/ready"},
                                       {"ok", name != "gateway"},
                                       {"detail", name != "gateway" ? "200" : detail.toStdString()}});
        const auto checks = readinessChecks(parseStatusJson(doc.dump(2), "status.json"));
        QCOMPARE(checks.size(), size_t(5));
        QCOMPARE(checks[0].status, CheckStatus::Pass);
        const SetupCheck* gw = find(checks, "readiness.gateway");
        QCOMPARE(gw->status, CheckStatus::Fail);
        QVERIFY(std::find(gw->rows.begin(), gw->rows.end(), row.toStdString()) != gw->rows.end());
        QVERIFY(!gw->fix.empty());
        QVERIFY(gw->message.find(detail.section(' ', 1).toStdString()) != std::string::npos);
        for (const auto& r : gw->rows)
            QVERIFY2(!TroubleshootingCatalog::instance().rows(r).empty(), r.c_str());
    }

    void statusJsonProblems() {
        ReadinessReport r = parseStatusJson("{\"services\": [", "cut.json");
        QVERIFY(r.error && r.error->rfind("cut.json: not JSON", 0) == 0);
        QCOMPARE(readinessChecks(r).front().status, CheckStatus::Fail);
        r = parseStatusJson("{\"services\": [{\"name\": 3}]}", "odd.json");
        QVERIFY(r.error && r.error->find("services[0]") != std::string::npos);
        r = parseStatusJson("{\"mode\": \"health\", \"services\": [{\"name\": \"api\", \"ok\": true}]}",
                            "h.json");
        const auto checks = readinessChecks(r);
        QCOMPARE(find(checks, "readiness.source")->status, CheckStatus::Warn); // /health is not readiness
        QCOMPARE(find(checks, "readiness.api")->status, CheckStatus::Pass);
        QCOMPARE(find(checks, "readiness.sts")->status, CheckStatus::Warn); // not reported
    }

    // Probing a real server on 127.0.0.1: ready, not ready with a reason, silent, and absent.
    void probesLocalServers() {
        QHttpServer server;
        server.route("/api/ready", [] { return QHttpServerResponse("application/json", "{\"ok\":true}"); });
        server.route("/sts/ready", [] {
            return QHttpServerResponse("application/json",
                                       "{\"ok\":false,\"ready\":false,\"reason\":\"redis_unavailable\"}",
                                       QHttpServerResponse::StatusCode::ServiceUnavailable);
        });
        const quint16 port = server.listen(QHostAddress::LocalHost);
        QVERIFY(port != 0);
        QTcpServer silent; // accepts and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 closedPort = closed.serverPort();
        closed.close(); // nothing listens there now
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        auto targets =
            readinessTargets({{"api", base + "/api/"},
                              {"sts", base + "/sts"},
                              {"gateway", "http://127.0.0.1:" + std::to_string(silent.serverPort())},
                              {"audit", "http://127.0.0.1:" + std::to_string(closedPort)},
                              {"coordinator", base + "/nothing"}});
        QCOMPARE(targets[0].url, base + "/api/ready"); // the trailing slash does not double
        const ReadinessReport r = probeReadiness(targets, 400);
        QCOMPARE(r.services.size(), size_t(5));
        QCOMPARE(r.services[0].detail, std::string("200"));
        QVERIFY(r.services[0].ok);
        QCOMPARE(r.services[1].detail, std::string("503 redis_unavailable"));
        QCOMPARE(r.services[2].detail, std::string("timeout"));
        QCOMPARE(r.services[3].detail, std::string("unreachable"));
        QVERIFY(r.services[4].detail.rfind("404", 0) == 0); // an unknown path answers 404
        const auto checks = readinessChecks(r);
        QCOMPARE(find(checks, "readiness.api")->status, CheckStatus::Pass);
        QCOMPARE(find(checks, "readiness.sts")->status, CheckStatus::Fail);
    }

    void runsCaracalStatusFromPath() {
        const QString bin = tmp.path() + "/bin";
        QDir().mkpath(bin);
        writeAt((bin + "/caracal").toStdString(),
                "#!/bin/sh\necho '{\"mode\":\"ready\",\"services\":[{\"name\":\"api\",\"port\":3000,\"url\":"
                "\"http://localhost:3000/ready\",\"ok\":false,\"detail\":\"503 "
                "outbox_dead_messages\"}]}'\nexit 1\n",
                0755);
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", bin.toUtf8() + ":" + path);
        const ReadinessReport r = runCaracalStatus();
        qputenv("PATH", path);
        QVERIFY(!r.error);
        QCOMPARE(r.services.size(), size_t(1));
        QCOMPARE(r.services[0].detail, std::string("503 outbox_dead_messages"));
    }

    // The first-call checklists, on events shaped as Caracal writes them.
    void firstCallChecklists() {
        auto ev = [](const std::string& id, const std::string& type, const std::string& req,
                     const std::string& decision, const std::string& status, Json meta,
                     Json extra = Json::object()) {
            Json e = {{"id", id},          {"zone_id", "zone-dev"}, {"event_type", type},
                      {"request_id", req}, {"decision", decision},  {"evaluation_status", status}};
            for (auto it = extra.begin(); it != extra.end(); ++it)
                e[it.key()] = it.value();
            e["metadata_json"] = meta;
            e["occurred_at"] = "2026-11-14T10:00:0" + id.substr(1) + "Z";
            return e.dump() + "\n";
        };
        const std::string text =
            ev("e1", "token_exchange", "req-nopolicy", "deny", "complete",
               {{"application_id", "app-1"},
                {"resource", "resource://pipernet"},
                {"requested_scopes", {"read"}}},
               {{"manifest_sha", "no_active_policy_set"},
                {"diagnostics_json", {{{"reason", "no_active_policy_set"}}}}}) +
            ev("e2", "token_exchange", "req-scope", "deny", "scope_mismatch",
               {{"application_id", "app-1"},
                {"resource", "resource://pipernet"},
                {"requested_scopes", {"admin"}}},
               {{"policy_set_version_id", "psv-1"}}) +
            ev("e3", "token_exchange", "req-upstream", "allow", "complete", {{"application_id", "app-1"}}) +
            ev("e4", "gateway_resource_request", "req-upstream", "allow", "upstream_error",
               {{"application_id", "app-1"},
                {"resource", "resource://pipernet"},
                {"upstream_host", "pipernet:9000"},
                {"error_kind", "transport_error"},
                {"gateway_status", 502},
                {"method", "GET"}}) +
            ev("e5", "replay_detected", "req-replay", "deny", "anomaly", {{"application_id", "app-1"}}) +
            ev("e6", "token_exchange", "req-ok-1234567", "allow", "complete", {{"application_id", "app-1"}}) +
            ev("e7", "gateway_resource_request", "req-ok-1234567", "allow", "executed",
               {{"application_id", "app-1"},
                {"upstream_host", "pipernet:9000"},
                {"upstream_status", 200},
                {"subject_fingerprint", "0123456789abcdef"},
                {"resource", "resource://pipernet"}});
        const auto store = load({writeFile(tmp, "firstcall.jsonl", text)});

        FirstCallReport r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-nopolicy", "", ""});
        QCOMPARE(r.scenario, std::string("sts-403"));
        QCOMPARE(find(r.checks, "sts-403.active-policy-set")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "sts-403.app-secret")->status, CheckStatus::Pass);

        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-scope", "", ""});
        QCOMPARE(find(r.checks, "sts-403.active-policy-set")->status, CheckStatus::Pass);
        QCOMPARE(find(r.checks, "sts-403.scopes")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "sts-403.resource-id")->status, CheckStatus::Pass);
        QCOMPARE(find(r.checks, "sts-403.scopes")->rows, std::vector<std::string>{"sts-403/scopes"});

        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-upstream", "", ""});
        QCOMPARE(r.scenario, std::string("upstream-unreachable"));
        QCOMPARE(find(r.checks, "upstream-unreachable.connection-refused")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "upstream-unreachable.demo-upstream-missing")->status, CheckStatus::Skip);

        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-replay", "", ""});
        QCOMPARE(r.scenario, std::string("gateway-403"));
        QCOMPARE(find(r.checks, "gateway-403.mandate-freshness")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "gateway-403.authorization-header")->status, CheckStatus::Skip);

        // Told it was a Gateway 403, a request whose call went through ticks off what the events show.
        r = checkFirstCall(*store, {FirstCallInput::Kind::Gateway403, "req-ok-1234567", "", ""});
        QCOMPARE(find(r.checks, "gateway-403.authorization-header")->status, CheckStatus::Pass);
        QCOMPARE(find(r.checks, "gateway-403.route-binding")->status, CheckStatus::Pass);

        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-ok-1234567", "", ""});
        QCOMPARE(r.scenario, std::string("succeeded"));

        // Not in the data: the Missing Audit Events checklist, noticing an id cut short and a wrong zone.
        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "req-ok-12", "", "zone-other"});
        QCOMPARE(r.scenario, std::string("missing-audit-events"));
        QCOMPARE(find(r.checks, "missing-audit-events.wrong-request-id")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "missing-audit-events.wrong-zone")->status, CheckStatus::Fail);
        QCOMPARE(find(r.checks, "missing-audit-events.never-reached")->status, CheckStatus::Skip);

        // A pasted STS error body carries its request id and its surface.
        r = checkFirstCall(*store, {FirstCallInput::Kind::Auto, "",
                                    "{\"error\":\"access_denied\",\"error_description\":\"policy denied\","
                                    "\"requestId\":\"req-scope\"}",
                                    ""});
        QCOMPARE(r.requestId, std::string("req-scope"));
        QCOMPARE(r.scenario, std::string("sts-403"));
        QCOMPARE(checkFirstCall(*store, {}).scenario, std::string("unknown"));
        for (const auto& c : r.checks)
            for (const auto& row : c.rows)
                QVERIFY2(!TroubleshootingCatalog::instance().rows(row).empty(), row.c_str());
    }

    void cliSetupCheck() {
        Case c = makeCase(goodProfile(), 0600, 0644);
        const QString status = tmp.path() + "/status.json";
        writeAt(status.toStdString(),
                "{\"mode\":\"ready\",\"services\":[{\"name\":\"api\",\"port\":3000,\"url\":\"u\",\"ok\":true,"
                "\"detail\":"
                "\"200\"}]}",
                0644);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("CARACAL_CONFIG");
        env.insert("HOME", QString::fromStdString(c.env.home));
        p.setProcessEnvironment(env);
        p.start(CARACAL_TRACE_BIN, {"setup-check", "--profile", QString::fromStdString(c.profile),
                                    "--status-json", status, "--format", "json"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1); // the secret file is readable by others
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY(!out.contains(secret.c_str()));
        const Json j = Json::parse(out.toStdString());
        QCOMPARE(j["ok"].get<bool>(), false);
        QCOMPARE(j["profile"]["path"].get<std::string>(), c.profile);
        QCOMPARE(j["profile"]["found_by"].get<std::string>(), std::string("--profile"));
        bool sawMode = false;
        for (const Json& check : j["checks"]) {
            QCOMPARE(check.size(), size_t(5)); // id, status, message, fix, rows
            if (check["id"] == "secret_file.mode") {
                sawMode = true;
                QCOMPARE(check["status"].get<std::string>(), std::string("fail"));
                QCOMPARE(check["fix"].get<std::string>(), "chmod 600 " + c.secretFile);
                QCOMPARE(check["rows"][0].get<std::string>(),
                         std::string("profile-issues/secret-file-rejected"));
            }
        }
        QVERIFY(sawMode);
        ::chmod(c.secretFile.c_str(), 0600);
        p.start(CARACAL_TRACE_BIN,
                {"setup-check", "--profile", QString::fromStdString(c.profile), "--status-json", status});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray text = p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 0); // sts and others missing from the status file only warn
        QVERIFY(text.contains("PASS  secret_file.mode"));
        QVERIFY(!text.contains(secret.c_str()));
        p.start(CARACAL_TRACE_BIN, {"setup-check", "--probe", "--status-json", status});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        p.start(CARACAL_TRACE_BIN, {"setup-check", "--format", "yaml"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(SetupTest)
#include "tst_setup.moc"
