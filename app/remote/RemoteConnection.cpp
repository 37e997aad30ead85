#include "remote/RemoteConnection.h"

#include <QFile>
#include <QHostAddress>
#include <QUrl>

namespace caracal {

bool isLoopbackHost(const std::string& host) {
    const QString h = QString::fromStdString(host).toLower();
    if (h == "localhost" || h.endsWith(".localhost")) return true;
    const QHostAddress address(h.startsWith('[') ? h.mid(1, h.size() - 2) : h);
    return !address.isNull() && address.isLoopback();
}

std::optional<std::string> checkRemoteUrl(const std::string& url, bool allowInsecureHttp) {
    const QUrl u(QString::fromStdString(url), QUrl::StrictMode);
    if (url.empty()) return "no URL given";
    if (!u.isValid() || u.host().isEmpty()) return url + " is not a valid URL (expected https://host[:port])";
    if (u.scheme() != "https" && u.scheme() != "http") return url + " must start with https:// (or http://)";
    if (!u.userInfo().isEmpty())
        return url + " holds credentials; give the token through a file or variable instead";
    if (u.scheme() == "http" && !isLoopbackHost(u.host().toStdString()) && !allowInsecureHttp)
        return url +
               " uses plain http to another machine: the admin token would cross the network unencrypted. "
               "Use https, or allow plain http for this connection only if the network is trusted.";
    return std::nullopt;
}

TokenLoad loadAdminToken(const RemoteConnection& c) {
    TokenLoad t;
    if (!c.tokenFile.empty()) {
        t.source = "file " + c.tokenFile;
        QFile f(QString::fromStdString(c.tokenFile));
        if (!f.open(QIODevice::ReadOnly)) {
            t.error =
                "cannot read the token file " + c.tokenFile + " (" + f.errorString().toStdString() + ")";
            return t;
        }
        t.token = f.readAll().trimmed();
    } else if (!c.tokenEnv.empty()) {
        t.source = "variable " + c.tokenEnv;
        t.token = qgetenv(c.tokenEnv.c_str()).trimmed();
        if (t.token.isEmpty()) {
            t.error = "the variable " + c.tokenEnv + " is not set or empty";
            return t;
        }
    } else {
        t.error = "no token source: give a token file or an environment variable";
        return t;
    }
    if (t.token.isEmpty()) t.error = "the token " + t.source + " is empty";
    return t;
}

} // namespace caracal
