#include "catalog/DenyReasonCatalog.h"

#include "util/ResourceText.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace caracal {

std::string humanizeCode(std::string_view code) {
    std::string out(code);
    for (char& c : out)
        if (c == '_') c = ' '; // only underscores: dots belong to URLs, issuers and dotted types
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

DenyReasonCatalog DenyReasonCatalog::fromJson(std::string_view text, std::string& error) {
    DenyReasonCatalog catalog;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("reasons") || !j["reasons"].is_array()) {
        error = "deny-reason catalog: not a JSON object with a \"reasons\" array";
        return catalog;
    }
    std::set<std::string> seen;
    for (const auto& r : j["reasons"]) {
        if (!r.is_object() || !r.contains("code") || !r["code"].is_string() || !r.contains("label") ||
            !r["label"].is_string() || !r.contains("hint") || !r["hint"].is_string()) {
            error = "deny-reason catalog: an entry lacks code, label or hint";
            return {};
        }
        const std::string code = r["code"];
        if (!seen.insert(code).second) {
            error = "deny-reason catalog: duplicate code " + code;
            return {};
        }
        catalog.m_reasons.push_back({code, r["label"], r["hint"], r.value("web_console", false)});
    }
    return catalog;
}

const DenyReasonCatalog& DenyReasonCatalog::instance() {
    static const DenyReasonCatalog catalog = [] {
        std::string error;
        DenyReasonCatalog c = fromJson(readResourceText(":/catalog/deny-reasons.json"), error);
        if (!error.empty())
            throw std::runtime_error(error); // the shipped data is tested; this is a build defect
        return c;
    }();
    return catalog;
}

const DenyReason* DenyReasonCatalog::find(std::string_view code) const {
    for (const auto& r : m_reasons)
        if (r.code == code) return &r;
    return nullptr;
}

std::string DenyReasonCatalog::label(std::string_view code) const {
    const DenyReason* r = find(code);
    return r ? r->label : humanizeCode(code);
}

} // namespace caracal
