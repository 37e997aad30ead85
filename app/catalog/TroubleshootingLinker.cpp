#include "catalog/TroubleshootingLinker.h"

#include <algorithm>
#include <cstdlib>

namespace caracal {

using Json = nlohmann::ordered_json;

std::string_view surfaceName(Surface s) {
    switch (s) {
    case Surface::Sts:
        return "STS";
    case Surface::Gateway:
        return "Gateway";
    case Surface::Api:
        return "API";
    case Surface::Approvals:
        return "Approvals";
    case Surface::Unknown:
        break;
    }
    return "unknown";
}

Surface surfaceOf(std::string_view type) {
    if (type == "token_exchange" || type == "run_launch" || type == "jti_collision") return Surface::Sts;
    if (type == "gateway_resource_request" || type == "replay_detected") return Surface::Gateway;
    if (type == "step_up_issued" || type == "step_up_decided" || type == "step_up_consumed")
        return Surface::Approvals;
    if (type == "control.invoke" || type == "credential_revealed") return Surface::Api;
    return Surface::Unknown;
}

namespace {
std::string str(const Json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}
bool isCodeLike(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}
} // namespace

EventLinks linkEvent(const Json& ev, const TroubleshootingCatalog& catalog) {
    EventLinks out;
    const std::string type = str(ev, "event_type"), decision = str(ev, "decision");
    out.surface = surfaceOf(type);
    auto metaIt = ev.find("metadata_json");
    const Json meta = metaIt != ev.end() && metaIt->is_object() ? *metaIt : Json::object();

    auto addCode = [&](const std::string& code, const char* from) {
        if (code.empty()) return;
        for (const auto& c : out.codes)
            if (c.code == code) return;
        out.codes.push_back({code, from});
    };
    if (const std::string status = str(ev, "evaluation_status");
        !status.empty() && status != "complete" && status != "executed" && status != "anomaly")
        addCode(status, "evaluation_status");
    // On control commands and operator approvals the reason is the operator's own words.
    if (const std::string reason = str(meta, "reason");
        isCodeLike(reason) && type != "control.invoke" && type != "step_up_decided")
        addCode(reason, "metadata_json.reason");
    if (auto d = ev.find("diagnostics_json"); d != ev.end() && d->is_array())
        for (const auto& item : *d) {
            addCode(str(item, "reason"), "diagnostics.reason");
            if (item.is_object() && item.contains("error"))
                addCode("policy_eval_failed", "diagnostics.error");
            if (item.is_object() && item.contains("step_up_required"))
                addCode("interaction_required", "diagnostics.step_up_required");
        }
    addCode(str(meta, "error_kind"), "error_kind");
    if (type == "replay_detected")
        addCode("invalid_token", "event_type"); // the Gateway answers a replay with 401
    if (type == "step_up_issued") addCode("interaction_required", "event_type");
    const std::string upstream = str(meta, "upstream_status"), gateway = str(meta, "gateway_status");
    if (const int status = std::atoi(upstream.c_str()); status >= 400) addCode(upstream, "upstream_status");

    auto addRows = [&](const std::vector<RowRef>& rows, const std::string& why) {
        for (const RowRef& r : rows)
            if (std::none_of(out.rows.begin(), out.rows.end(),
                             [&](const LinkedRow& l) { return l.row.row == r.row; }))
                out.rows.push_back({r, why});
    };
    auto has = [&](std::string_view code) {
        return std::any_of(out.codes.begin(), out.codes.end(),
                           [&](const EventCode& c) { return c.code == code; });
    };

    // The surface first.
    if (has("no_active_policy_set"))
        addRows(catalog.rows("sts-403/active-policy-set"), "no policy set is active in the zone");
    if (out.surface == Surface::Sts && decision == "deny")
        addRows(catalog.rows("sts-403"), "the STS denied the exchange");
    if (out.surface == Surface::Gateway) {
        const bool refused = type == "replay_detected" || upstream == "401" || upstream == "403" ||
                             gateway == "401" || gateway == "403";
        if (refused)
            addRows(catalog.rows("gateway-403"), "the Gateway or its upstream refused the call (401/403)");
        if (str(ev, "evaluation_status") == "upstream_error" || has("transport_error"))
            addRows(catalog.rows("upstream-unreachable"), "the Gateway could not use the upstream");
    }
    // Then each code's own rows.
    for (const EventCode& c : out.codes) {
        const CodeResolution r = catalog.resolve(c.code);
        if (r.entry)
            for (const std::string& ref : r.entry->related)
                addRows(catalog.rows(ref), "related to " + r.entry->code);
    }
    return out;
}

} // namespace caracal
