#pragma once
// `--api URL` / `--audit-url URL` for search and explain: the same client the console uses, the token from
// --token-file or CARACAL_ADMIN_TOKEN (never from an argument), pages loaded into the store the files use.
#include "remote/AuditListing.h"
#include "store/EventStore.h"

#include <QCommandLineParser>

namespace caracal::cli {

struct RemoteOptions {
    QCommandLineOption api{"api", "Read from a Caracal API (base URL) instead of files.", "URL"};
    QCommandLineOption auditUrl{
        "audit-url", "Read from the audit service (base URL) instead: chain fields included.", "URL"};
    QCommandLineOption tokenFile{"token-file",
                                 "The admin token's file (default: the CARACAL_ADMIN_TOKEN variable).", "F"};
    QCommandLineOption pageCap{"page-cap", "Stop after N pages (default 100).", "N", "100"};
    QCommandLineOption allowHttp{"allow-insecure-http",
                                 "Allow plain http to a host other than this machine."};
    void addTo(QCommandLineParser& parser) {
        parser.addOptions({api, auditUrl, tokenFile, pageCap, allowHttp});
    }
    bool used(const QCommandLineParser& parser) const { return parser.isSet(api) || parser.isSet(auditUrl); }
};

// Builds the connection from the options; prints the problem and returns false on a usage error.
bool remoteConnection(const QCommandLineParser& parser, const RemoteOptions& options,
                      const QStringList& zones, RemoteConnection& connection);
// Lists each zone into the store (the filter narrows what the server sends); notes and errors on stderr.
// Returns false when a server could not be read.
bool loadRemote(EventStore& store, const QCommandLineParser& parser, const RemoteOptions& options,
                const RemoteConnection& connection, const FilterNode* filter);
std::optional<RemoteFetcher> makeFetcher(const RemoteConnection& connection);
void reportError(const RemoteError& error);
// Loads one request's events (by-request) of one zone into the store.
bool loadRemoteRequest(EventStore& store, const RemoteConnection& connection, const std::string& zone,
                       const std::string& requestId, bool& notFound);

} // namespace caracal::cli
