#include "setup/ReadinessCheck.h"

#include "catalog/TroubleshootingCatalog.h"
#include "util/JsonField.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>

namespace caracal {

using Json = nlohmann::ordered_json;

const std::vector<std::pair<std::string, int>>& caracalServices() {
    static const std::vector<std::pair<std::string, int>> services = {
        {"api", 3000}, {"sts", 8080}, {"gateway", 8081}, {"audit", 9090}, {"coordinator", 4000}};
    return services;
}

ReadinessReport parseStatusJson(std::string_view text, const std::string& sourceName) {
    ReadinessReport report;
    report.source = sourceName;
    std::string error;
    const Json doc = jsonfield::parse<Json>(text, error);
    if (doc.is_discarded()) {
        report.error = sourceName + ": not JSON (" + error + ")";
        return report;
    }
    if (!doc.is_object() || !doc.contains("services") || !doc["services"].is_array()) {
        report.error = sourceName +
                       ": expected the output of `caracal status --ready --json` (an object with "
                       "\"services\")";
        return report;
    }
    if (doc.contains("mode") && !doc["mode"].is_string()) {
        report.error =
            sourceName + ": \"mode\" is not a string; expected the output of `caracal status --ready --json`";
        return report;
    }
    if (jsonfield::text(doc, "mode", "ready") != "ready")
        report.error = sourceName + ": this is `caracal status` without --ready (mode \"" +
                       jsonfield::text(doc, "mode") + "\"); it probes /health, not readiness";
    for (size_t i = 0; i < doc["services"].size(); ++i) {
        const Json& s = doc["services"][i];
        if (!s.is_object() || !s.contains("name") || !s["name"].is_string() || !s.contains("ok") ||
            !s["ok"].is_boolean()) {
            report.error =
                sourceName + ": services[" + std::to_string(i) + "] needs a string name and a boolean ok";
            return report;
        }
        ServiceReadiness r;
        r.name = s["name"].get<std::string>();
        r.ok = s["ok"].get<bool>();
        if (const auto port = jsonfield::integer(s, "port", 0, 65535)) r.port = int(*port);
        if (s.contains("url") && s["url"].is_string()) r.url = s["url"].get<std::string>();
        if (s.contains("detail") && s["detail"].is_string()) r.detail = s["detail"].get<std::string>();
        report.services.push_back(std::move(r));
    }
    return report;
}

ReadinessReport runCaracalStatus(int timeoutMs) {
    ReadinessReport report;
    report.source = "caracal status --ready --json";
    const QString program = QStandardPaths::findExecutable("caracal");
    if (program.isEmpty()) {
        report.error =
            "no `caracal` program on PATH; probe the services directly or read a saved status file";
        return report;
    }
    QProcess p;
    p.start(program, {"status", "--ready", "--json"});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        report.error = program.toStdString() + " status --ready --json did not finish within " +
                       std::to_string(timeoutMs / 1000) + " s";
        return report;
    }
    const QByteArray out = p.readAllStandardOutput();
    report = parseStatusJson({out.constData(), size_t(out.size())}, "caracal status --ready --json");
    return report;
}

std::vector<ServiceReadiness> readinessTargets(const std::map<std::string, std::string>& baseUrls) {
    std::vector<ServiceReadiness> targets;
    for (const auto& [name, port] : caracalServices()) {
        ServiceReadiness t;
        t.name = name;
        t.port = port;
        std::string base = "http://localhost:" + std::to_string(port);
        if (auto it = baseUrls.find(name); it != baseUrls.end() && !it->second.empty()) {
            base = it->second;
            const QUrl url(QString::fromStdString(base));
            t.port = url.port(url.scheme() == "https" ? 443 : 80);
        }
        while (!base.empty() && base.back() == '/')
            base.pop_back();
        t.url = base + "/ready";
        targets.push_back(std::move(t));
    }
    return targets;
}

std::string readinessDetail(int httpStatus, std::string_view body) {
    std::string detail = std::to_string(httpStatus);
    if (httpStatus >= 200 && httpStatus < 300) return detail;
    std::string reason;
    const Json j = Json::parse(body, nullptr, false);
    if (j.is_object())
        for (const char* key : {"reason", "error", "detail"})
            if (auto it = j.find(key); it != j.end() && it->is_string() && !it->get<std::string>().empty()) {
                reason = it->get<std::string>();
                break;
            }
    if (reason.empty()) {
        const size_t start = body.find_first_not_of(" \t\r\n");
        if (start != std::string_view::npos) {
            std::string_view line = body.substr(start);
            line = line.substr(0, line.find_first_of("\r\n"));
            reason = std::string(line.substr(0, 120));
        }
    }
    return reason.empty() ? detail : detail + " " + reason;
}

ReadinessReport probeReadiness(std::vector<ServiceReadiness> targets, int timeoutMs) {
    ReadinessReport report;
    report.source = "probing each service's /ready URL";
    QNetworkAccessManager nam;
    QEventLoop loop;
    size_t pending = targets.size();
    std::vector<QNetworkReply*> replies;
    std::vector<bool> timedOut(targets.size(), false);
    for (size_t i = 0; i < targets.size(); ++i) {
        QNetworkRequest request(QUrl(QString::fromStdString(targets[i].url)));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply* reply = nam.get(request);
        replies.push_back(reply);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, i, reply] {
            const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            if (status.isValid()) {
                const QByteArray body = reply->readAll();
                targets[i].detail = readinessDetail(status.toInt(), {body.constData(), size_t(body.size())});
                targets[i].ok = status.toInt() >= 200 && status.toInt() < 300;
            } else {
                targets[i].detail =
                    timedOut[i] || reply->error() == QNetworkReply::TimeoutError ? "timeout" : "unreachable";
                targets[i].ok = false;
            }
            if (--pending == 0) loop.quit();
        });
    }
    // One deadline for all, as Caracal's probe aborts each request after its timeout.
    QTimer::singleShot(timeoutMs, &loop, [&] {
        for (size_t i = 0; i < replies.size(); ++i)
            if (!replies[i]->isFinished()) {
                timedOut[i] = true;
                replies[i]->abort();
            }
    });
    if (pending > 0) loop.exec();
    for (QNetworkReply* r : replies)
        r->deleteLater();
    report.services = std::move(targets);
    return report;
}

namespace {
const char* kNotReady = "readiness-failures/service-not-ready";

SetupCheck serviceCheck(const ServiceReadiness& s) {
    SetupCheck c;
    c.id = "readiness." + s.name;
    const std::string where = s.url.empty() ? s.name : s.url;
    if (s.ok) {
        c.status = CheckStatus::Pass;
        c.message = s.name + " is ready (" + (s.detail.empty() ? "ok" : s.detail) + " from " + where + ").";
        return c;
    }
    c.status = CheckStatus::Fail;
    const std::string port = s.port ? std::to_string(s.port) : std::string("its port");
    if (s.detail == "unreachable") {
        c.message = "Nothing answers at " + where + ": " + s.name + " is not running or not reachable.";
        c.fix = "Start the stack with `caracal up` (Docker must be running: `docker compose version` should "
                "work). If "
                "another program holds port " +
                port + ", stop it or change Caracal's port.";
        c.rows = {"readiness-failures/docker-fails", "readiness-failures/ports-in-use", kNotReady};
        return c;
    }
    if (s.detail == "timeout") {
        c.message = where + " did not answer within 1.5 s.";
        c.fix =
            "The service may still be starting: wait and re-run. If it stays silent, run `caracal down` then "
            "`caracal up`; check nothing else holds port " +
            port + ".";
        c.rows = {kNotReady, "readiness-failures/ports-in-use", "readiness-failures/stale-state"};
        return c;
    }
    const size_t space = s.detail.find(' ');
    const std::string reason = space == std::string::npos ? std::string() : s.detail.substr(space + 1);
    c.message = s.name + " is not ready (" + (s.detail.empty() ? "no detail" : s.detail) + ")";
    c.fix = "Wait for the dependency it names, then re-run the check.";
    c.rows = {kNotReady};
    if (!reason.empty())
        if (const ErrorCodeEntry* e = TroubleshootingCatalog::instance().findCode(reason)) {
            c.message += ": " + e->meaning;
            c.fix = e->firstCheck;
            for (const auto& r : e->related)
                if (std::find(c.rows.begin(), c.rows.end(), r) == c.rows.end()) c.rows.push_back(r);
        }
    if (c.message.back() != '.') c.message += ".";
    return c;
}
} // namespace

std::vector<SetupCheck> readinessChecks(const ReadinessReport& report) {
    std::vector<SetupCheck> checks;
    if (report.error && report.services.empty()) {
        checks.push_back({"readiness.source",
                          CheckStatus::Fail,
                          *report.error,
                          "Run `caracal status --ready --json` and save its output, or probe the services.",
                          {kNotReady},
                          {}});
        return checks;
    }
    if (report.error)
        checks.push_back({"readiness.source",
                          CheckStatus::Warn,
                          *report.error,
                          "Use `caracal status --ready --json`.",
                          {},
                          {}});
    for (const auto& service : caracalServices()) {
        const std::string& name = service.first; // not a structured binding: clang 14 cannot capture one
        const int port = service.second;
        auto it = std::find_if(report.services.begin(), report.services.end(),
                               [&](const ServiceReadiness& s) { return s.name == name; });
        if (it == report.services.end())
            checks.push_back({"readiness." + name,
                              CheckStatus::Warn,
                              name + " is not in the answer from " + report.source + ".",
                              "Re-run `caracal status --ready --json` with the whole stack.",
                              {kNotReady},
                              {}});
        else
            checks.push_back(serviceCheck(*it));
    }
    for (const ServiceReadiness& s : report.services)
        if (std::none_of(caracalServices().begin(), caracalServices().end(),
                         [&](const auto& known) { return known.first == s.name; }))
            checks.push_back(serviceCheck(s));
    return checks;
}

} // namespace caracal
