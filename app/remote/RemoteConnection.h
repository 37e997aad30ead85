#pragma once
// A connection to a Caracal deployment: where its API (and optionally its audit service) is, which zones to
// browse, and where the admin token comes from (a file or an environment variable). The token itself is read
// only when a request needs it and kept in memory; this struct never holds it, so saving a connection never
// saves a token.
#include <QByteArray>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct RemoteConnection {
    std::string name;
    std::string apiBase;  // https://caracal.example.com (no /v1)
    std::string auditUrl; // https://audit.example.com:9090, optional: the only source of chain fields
    std::vector<std::string> zones;
    std::string tokenFile, tokenEnv; // one of them
    std::string caFile;              // extra CA certificates (PEM) to trust
    bool allowInsecureHttp = false;  // plain http to a host other than this machine, for this connection only
    int connectTimeoutMs = 10000, transferTimeoutMs = 30000;
    int pageLimit = 1000;           // 1..1000
    int pageCap = 100;              // pages per load before stopping to ask
    int maxAttempts = 4;            // per request, retries included
    int followIntervalSeconds = 10; // follow mode's poll interval while the server answers
};

// Why a URL cannot be used (not http(s), no host, plain http to another machine without the opt-in), or
// nullopt.
std::optional<std::string> checkRemoteUrl(const std::string& url, bool allowInsecureHttp);
bool isLoopbackHost(const std::string& host);

struct TokenLoad {
    QByteArray token; // empty when error is set
    std::string error;
    std::string source; // "file PATH" or "variable NAME", for messages
};
// Reads the admin token from the connection's file or variable (trailing whitespace trimmed).
TokenLoad loadAdminToken(const RemoteConnection& connection);

} // namespace caracal
