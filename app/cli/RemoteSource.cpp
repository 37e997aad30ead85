#include "cli/RemoteSource.h"

#include "cli/CliCommon.h"
#include "load/EventLoader.h"
#include "util/SourceBuffer.h"

#include <QDateTime>

namespace caracal::cli {

namespace {
void appendPage(EventStore& store, const QByteArray& bytes, const std::string& name, SourceOrigin origin) {
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& batch) { store.append(std::move(batch)); };
    cb.fileError = [&](const std::string& message) { store.addLoadError(message); };
    cb.notice = [&](const std::string& message) { store.addNotice(message); };
    loadPage(bytes, name, origin, cb);
}
} // namespace

std::optional<RemoteFetcher> makeFetcher(const RemoteConnection& c) {
    const TokenLoad token = loadAdminToken(c);
    if (!token.error.empty()) {
        printError("no admin token: " + token.error);
        return std::nullopt;
    }
    return std::optional<RemoteFetcher>(std::in_place, c, token.token);
}

void reportError(const RemoteError& e) {
    std::string rows;
    for (const auto& r : e.rows)
        rows += (rows.empty() ? "" : ", ") + r;
    printError(e.text() + (rows.empty() ? "" : " [troubleshooting: " + rows + "]"));
}

bool remoteConnection(const QCommandLineParser& parser, const RemoteOptions& o, const QStringList& zones,
                      RemoteConnection& c) {
    if (parser.isSet(o.api) && parser.isSet(o.auditUrl)) {
        printError("choose one of --api and --audit-url");
        return false;
    }
    if (zones.isEmpty()) {
        printError("reading from a deployment needs --zone");
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError("give either FILEs or --api/--audit-url, not both");
        return false;
    }
    c.apiBase = parser.value(o.api).toStdString();
    c.auditUrl = parser.value(o.auditUrl).toStdString();
    c.allowInsecureHttp = parser.isSet(o.allowHttp);
    for (const QString& z : zones)
        c.zones.push_back(z.toStdString());
    if (parser.isSet(o.tokenFile))
        c.tokenFile = parser.value(o.tokenFile).toStdString();
    else
        c.tokenEnv = "CARACAL_ADMIN_TOKEN";
    bool ok = false;
    c.pageCap = parser.value(o.pageCap).toInt(&ok);
    if (!ok || c.pageCap < 1) {
        printError("--page-cap must be a positive whole number");
        return false;
    }
    if (auto problem = checkRemoteUrl(c.apiBase.empty() ? c.auditUrl : c.apiBase, c.allowInsecureHttp)) {
        printError(*problem);
        return false;
    }
    return true;
}

bool loadRemote(EventStore& store, const QCommandLineParser& parser, const RemoteOptions& o,
                const RemoteConnection& c, const FilterNode* filter) {
    auto fetcher = makeFetcher(c);
    if (!fetcher) return false;
    const ServerFilter server = apiFilterFor(filter, QDateTime::currentMSecsSinceEpoch() * 1000);
    bool ok = true;
    for (const std::string& zone : c.zones) {
        const bool auditService = !parser.isSet(o.api);
        const auto sink = [&](const QByteArray& bytes, int page) {
            appendPage(store, bytes, zone + " page " + std::to_string(page),
                       auditService ? SourceOrigin::AuditService : SourceOrigin::CaracalApi);
        };
        const ListResult r = listZone(*fetcher, zone, server, auditService, sink);
        for (const auto& note : r.notes)
            std::fprintf(stderr, "caracal-trace: note: %s\n", note.c_str());
        if (r.error) {
            reportError(*r.error);
            ok = false;
        }
    }
    store.finishLoading();
    return ok;
}

bool loadRemoteRequest(EventStore& store, const RemoteConnection& c, const std::string& zone,
                       const std::string& requestId, bool& notFound) {
    notFound = false;
    auto fetcher = makeFetcher(c);
    if (!fetcher) return false;
    const RemoteResponse r = fetchByRequest(*fetcher, zone, requestId);
    if (r.error) {
        if (r.error->code == "request_not_found") {
            notFound = true;
            return true;
        }
        reportError(*r.error);
        return false;
    }
    appendPage(store, r.body, zone + " by-request " + requestId, SourceOrigin::CaracalApi);
    store.finishLoading();
    std::fprintf(stderr, "caracal-trace: note: Times from the Caracal API are to the millisecond.\n");
    return true;
}

} // namespace caracal::cli
