#include "remote/RemoteError.h"

#include "catalog/TroubleshootingCatalog.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <nlohmann/json.hpp>

namespace caracal {

namespace {
std::string shortened(std::string_view s) {
    std::string out(s.substr(0, 200));
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
        out.pop_back();
    if (s.size() > 200) out += "...";
    return out;
}

std::string apiMessage(const std::string& code, int status) {
    if (code == "invalid_admin_token")
        return "The API refused the admin token (401 invalid_admin_token). Check that the token file or "
               "variable "
               "holds this deployment's admin token: a missing, wrong or non-Bearer token all get this "
               "answer.";
    if (code == "admin_token_zone_mismatch")
        return "This admin token belongs to another zone (admin_token_zone_mismatch). Use a token for this "
               "zone, or "
               "browse the token's own zone.";
    if (code == "invalid_params")
        return "The API refused an id in the path (invalid_params): zone and request ids may hold letters, "
               "digits "
               "and _ . - : only, up to 128 characters.";
    if (code == "invalid_query")
        return "The API refused a query parameter (invalid_query): decision must be allow, deny or partial; "
               "limit "
               "1 to 1000; since and until ISO 8601 ending in Z; at most 16 event types.";
    if (code == "invalid_cursor")
        return "The API refused the paging cursor (invalid_cursor). Load again from the first page.";
    if (code == "invalid_fields")
        return "The API refused the field list (invalid_fields): only the 46 export fields can be asked for.";
    if (code == "request_not_found")
        return "No event of this request id in this zone (request_not_found). The id may belong to another "
               "zone.";
    if (code == "rate_limited")
        return "The API is rate limiting this client (600 requests a minute per address and token).";
    if (code == "internal_error")
        return "The API failed while answering (" + std::to_string(status) + " internal_error).";
    return {};
}
} // namespace

std::string RemoteError::text() const {
    std::string t = message;
    if (!serverText.empty() && message.find(serverText) == std::string::npos)
        t += " The server said: " + serverText;
    if (!requestId.empty()) t += " (server request id " + requestId + ")";
    return t;
}

bool isRetryableStatus(int status) {
    return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

std::optional<int> parseRetryAfter(std::string_view header, int64_t nowSecs) {
    const QString h = QString::fromUtf8(header.data(), qsizetype(header.size())).trimmed();
    if (h.isEmpty()) return std::nullopt;
    // Delta seconds: any run of digits, however long, is clamped rather than parsed into an int.
    const bool negative = h.startsWith('-');
    const QStringView digits = QStringView(h).mid(negative ? 1 : 0);
    if (!digits.isEmpty() && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c.isDigit(); })) {
        if (negative) return 0;
        bool ok = false;
        const qulonglong secs = digits.toULongLong(&ok);
        return ok && secs < qulonglong(kMaxRetryAfterSeconds) ? int(secs) : kMaxRetryAfterSeconds;
    }
    const QDateTime when = QLocale::c().toDateTime(h, "ddd, dd MMM yyyy HH:mm:ss 'GMT'");
    if (!when.isValid()) return std::nullopt;
    QDateTime utc = when;
    utc.setTimeSpec(Qt::UTC);
    const int64_t delta = utc.toSecsSinceEpoch() - nowSecs;
    return static_cast<int>(std::clamp<int64_t>(delta, 0, kMaxRetryAfterSeconds));
}

RemoteError remoteErrorFromHttp(RemoteService service, int status, std::string_view body,
                                std::string_view retryAfter, int64_t nowSecs) {
    RemoteError e;
    e.kind = "http";
    e.httpStatus = status;
    e.retryable = isRetryableStatus(status);
    if (status == 429 || status == 503) e.retryAfterSeconds = parseRetryAfter(retryAfter, nowSecs);
    const auto j = nlohmann::json::parse(body, nullptr, false);
    auto str = [&](const char* key) {
        return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                      : std::string();
    };
    if (j.is_object() && j.contains("statusCode")) { // Fastify's router answered, not a route
        e.serverText = str("message");
        if (str("code") == "FST_ERR_MAX_PARAM_LENGTH") {
            e.code = "FST_ERR_MAX_PARAM_LENGTH";
            e.message = "An id in the path is longer than the API accepts (414: at most 100 characters).";
        } else if (status == 404) {
            e.code = "route_not_found";
            e.message = "The API has no such route (404). Check the API base URL: the server's root, such as "
                        "https://caracal.example.com, without /v1.";
        } else {
            e.message = "The API's router refused the request (" + std::to_string(status) + ").";
        }
    } else if (j.is_object() && !str("error").empty()) { // Caracal's JSON shapes
        e.code = str("error");
        e.serverText = str("error_description");
        e.requestId = str("requestId");
        e.message = apiMessage(e.code, status);
        if (e.message.empty())
            e.message = "The server answered " + std::to_string(status) + " " + e.code +
                        (e.serverText.empty() ? "." : ": " + e.serverText);
    } else { // plain text: the audit service, proxies, Go's default 404
        e.serverText = shortened(body);
        const std::string t = e.serverText;
        if (service == RemoteService::Audit && t.find("zone_id is required") != std::string::npos) {
            e.code = "zone_id_required";
            e.message =
                "The audit service needs a zone (zone_id is required): choose a zone for the connection.";
        } else if (service == RemoteService::Audit && (status == 401 || t == "unauthorized")) {
            e.code = "unauthorized";
            e.message =
                "The audit service refused the token (401 unauthorized). Check the token it expects is the "
                "one in the token file or variable.";
        } else if (service == RemoteService::Audit && status == 404) {
            e.code = "search_disabled";
            e.message = "The audit service answers 404 for search: its search endpoint is turned off on this "
                        "deployment, or the URL is not the audit service's. Use the Caracal API instead.";
        } else if (service == RemoteService::Audit && t.find("search failed") != std::string::npos) {
            e.code = "search_failed";
            e.message = "The audit service's search failed on its side (" + std::to_string(status) + ").";
        } else {
            e.message =
                "The server answered " + std::to_string(status) + (t.empty() ? " with no body." : ": " + t);
        }
    }
    if (e.retryable) e.message += " A retry may help; it is retried with a growing pause.";
    const auto& catalog = TroubleshootingCatalog::instance();
    if (!e.code.empty())
        if (const ErrorCodeEntry* entry = catalog.findCode(e.code)) e.rows = entry->related;
    if (e.rows.empty() && status == 401) e.rows = {"symptom/api-401"};
    return e;
}

RemoteError remoteNetworkError(std::string kind, const std::string& detail, const std::string& url) {
    RemoteError e;
    e.kind = std::move(kind);
    e.serverText = detail;
    e.retryable = e.kind == "network" || e.kind == "timeout";
    if (e.kind == "timeout")
        e.message =
            url + " did not answer in time. A retry may help; the timeouts are in the connection settings.";
    else if (e.kind == "tls")
        e.message = "The TLS certificate of " + url + " could not be verified: " + detail +
                    ". Give the deployment's CA file in the connection if it uses a private CA.";
    else if (e.kind == "cancelled")
        e.message = "Cancelled.";
    else if (e.kind == "protocol")
        e.message = url + " answered something that is not what Caracal sends: " + detail;
    else
        e.message = "Could not reach " + url + ": " + detail + ". Check the URL and that the server runs.";
    return e;
}

} // namespace caracal
