#pragma once
// Every way a Caracal server can say no, turned into one value with a message a user can act on: Caracal's
// JSON errors ({"error", "error_description", "requestId"}), the API's {"error": code}, Fastify's own 404 and
// 414 bodies, the audit service's plain text, and failures without an HTTP answer. Whether a retry can help
// is decided here too: 408, 425, 429 (with Retry-After), 5xx and network errors; never other 4xx.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

enum class RemoteService { Api, Audit };

struct RemoteError {
    int httpStatus = 0;            // 0: no HTTP answer
    std::string kind;              // http, network, timeout, tls, cancelled, protocol, config
    std::string code;              // the server's code when it gave one (invalid_admin_token, ...)
    std::string message;           // what happened and what to do
    std::string serverText;        // the server's own words, shortened
    std::string requestId;         // the server's request id, when it gave one
    std::vector<std::string> rows; // troubleshooting rows
    bool retryable = false;
    std::optional<int> retryAfterSeconds;
    std::string text() const; // message plus the server's words, one paragraph
};

bool isRetryableStatus(int status);
// The longest wait a server's Retry-After can ask for; longer requests (Retry-After: 2147483) wait this long.
constexpr int kMaxRetryAfterSeconds = 300;

// Parses Retry-After: delta seconds or an HTTP date (relative to `nowSecs`, seconds since the epoch),
// clamped to [0, kMaxRetryAfterSeconds].
std::optional<int> parseRetryAfter(std::string_view header, int64_t nowSecs);

RemoteError remoteErrorFromHttp(RemoteService service, int status, std::string_view body,
                                std::string_view retryAfter = {}, int64_t nowSecs = 0);
RemoteError remoteNetworkError(std::string kind, const std::string& detail, const std::string& url);

} // namespace caracal
