#include "catalog/ErrorBodyExplainer.h"

#include "util/RawJson.h"

#include <nlohmann/json.hpp>

namespace caracal {

ExplainedError explainErrorBody(std::string_view body, const TroubleshootingCatalog& catalog) {
    ExplainedError out;
    const std::string_view text = rawjson::trim(body);
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        auto str = [&](const char* key) {
            return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
        };
        out.code = str("error");
        if (out.code.empty()) out.code = str("code"); // Fastify's router errors and some SDK shapes
        out.description = str("error_description");
        if (out.description.empty()) out.description = str("message");
        out.requestId = str("requestId");
        if (out.requestId.empty()) out.requestId = str("request_id");
        // Some bodies carry it only in their structured context.
        if (auto d = j.find("details"); out.requestId.empty() && d != j.end() && d->is_object())
            for (const char* key : {"requestId", "request_id"})
                if (auto it = d->find(key); out.requestId.empty() && it != d->end() && it->is_string())
                    out.requestId = it->get<std::string>();
    } else if (text == "unauthorized") {
        // The Go audit service answers a wrong admin token with text/plain "unauthorized".
        // The Go audit service (and the STS and Gateway metrics routes) answer a wrong bearer with text/plain
        // "unauthorized"; search and DLQ routes belong to the audit service.
        out.code = "unauthorized";
        out.description = "unauthorized (text/plain)";
        out.surface = "Audit service (/api/audit/*): AUDIT_ADMIN_TOKEN was not accepted";
    } else if (text == "404 page not found") {
        out.description = std::string(text);
        out.surface =
            "Audit service: search is disabled while AUDIT_ADMIN_TOKEN is empty, or the path is wrong";
        out.problem = "no error code in the body";
        return out;
    } else {
        // Plain text: the first word that is a known code.
        std::string word;
        for (size_t i = 0; i <= text.size(); ++i) {
            const char c = i < text.size() ? text[i] : ' ';
            if ((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9')) {
                word += c;
                continue;
            }
            if (word.find('_') != std::string::npos && catalog.resolve(word)) {
                out.code = word;
                break;
            }
            word.clear();
        }
        out.description = std::string(text.substr(0, 300));
    }
    if (out.code.empty()) {
        out.problem = "no error code found in what was pasted";
        return out;
    }
    out.resolution = catalog.resolve(out.code);
    if (!out.resolution)
        out.problem = "\"" + out.code + "\" is not a code the catalog knows";
    else if (out.surface.empty())
        out.surface = out.resolution.entry ? out.resolution.entry->likelySource : "STS policy decision";
    return out;
}

} // namespace caracal
