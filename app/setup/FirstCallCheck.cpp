#include "setup/FirstCallCheck.h"

#include "catalog/DenyReasonCatalog.h"
#include "catalog/ErrorBodyExplainer.h"
#include "present/EventPresentation.h"
#include "util/CountText.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <set>

namespace caracal {

using Json = nlohmann::ordered_json;

namespace {

struct Ev {
    RowId row;
    Json json;
    const Json& meta() const {
        static const Json empty = Json::object();
        auto it = json.find("metadata_json");
        return it != json.end() && it->is_object() ? *it : empty;
    }
    std::string str(const char* key) const {
        auto it = json.find(key);
        return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
    }
    std::string m(const char* key) const {
        auto it = meta().find(key);
        if (it == meta().end()) return {};
        if (it->is_string()) return it->get<std::string>();
        if (it->is_number() || it->is_boolean()) return it->dump();
        if (it->is_array()) {
            std::string out;
            for (const Json& v : *it)
                out += (out.empty() ? "" : " ") + (v.is_string() ? v.get<std::string>() : v.dump());
            return out;
        }
        return {};
    }
    int status(const char* key) const { return std::atoi(m(key).c_str()); }
};

struct Checklist {
    std::string table;
    std::vector<SetupCheck>& out;
    void add(const std::string& row, CheckStatus status, std::string message, std::string fix) {
        out.push_back(
            {table + "." + row, status, std::move(message), std::move(fix), {table + "/" + row}, {}});
    }
};

std::string reasonText(const std::string& code) {
    if (const DenyReason* r = DenyReasonCatalog::instance().find(code))
        return code + " (" + r->label + (r->hint.empty() ? "" : ": " + r->hint) + ")";
    return code;
}

void missingAuditEvents(const EventStore& store, const FirstCallInput& in, FirstCallReport& report) {
    report.scenario = "missing-audit-events";
    report.summary = "Request " + report.requestId + " is not in the loaded data.";
    Checklist c{"missing-audit-events", report.checks};
    // The id may be there under another field, or cut short when copied.
    std::set<std::string> prefixed;
    std::optional<RowId> elsewhere;
    for (RowId r = 0; r < store.size() && prefixed.size() < 5; ++r) {
        if (store.isSuperseded(r)) continue;
        const std::string_view rid = store.field(r, Field::RequestId);
        if (report.requestId.size() >= 6 && rid.size() > report.requestId.size() &&
            rid.rfind(report.requestId, 0) == 0)
            prefixed.insert(std::string(rid));
        else if (!elsewhere && store.rowText(r).find(report.requestId) != std::string_view::npos)
            elsewhere = r;
    }
    if (!prefixed.empty())
        c.add("wrong-request-id", CheckStatus::Fail,
              "No request has exactly this id, but " + std::to_string(prefixed.size()) + " start with it (" +
                  *prefixed.begin() + ", ...): the id was probably cut short when copied.",
              "Copy the whole request id from the STS, Gateway, SDK or Console output.");
    else if (elsewhere)
        c.add("wrong-request-id", CheckStatus::Fail,
              "The id appears in event " + store.eventId(*elsewhere) + " (request " +
                  std::string(store.field(*elsewhere, Field::RequestId)) + "), but not as its request_id.",
              "Use the request_id of the call (the X-Request-Id or requestId the STS or Gateway returned).");
    else
        c.add("wrong-request-id", CheckStatus::Skip,
              "Nothing in the loaded data mentions this id. Was it copied from the failing call's output?",
              "Copy the request id from the STS, Gateway, SDK or Console output.");
    const auto zones = store.valueCounts(Field::Zone);
    std::string list;
    for (const auto& [z, n] : zones)
        list += (list.empty() ? "" : ", ") + std::string(z);
    if (!in.zone.empty() &&
        std::none_of(zones.begin(), zones.end(), [&](const auto& z) { return z.first == in.zone; }))
        c.add("wrong-zone", CheckStatus::Fail,
              "The loaded data has no event of zone " + in.zone + " (it has: " + list + ").",
              "Load or select the audit of the zone guided setup used.");
    else
        c.add("wrong-zone", CheckStatus::Skip,
              "Is this the zone guided setup used? Loaded zones: " +
                  (list.empty() ? std::string("none") : list) + ".",
              "Select the zone used by guided setup.");
    c.add("never-reached", CheckStatus::Skip,
          "Did the workload start with the generated profile, and call the Gateway URL from it?",
          "Run it with CARACAL_CONFIG set to the profile, and send the call to the profile's gateway_url.");
    std::string newest = "no events";
    if (store.size() > 0) newest = formatUtcMicros(store.record(store.timeOrder().back()).occurredAt);
    c.add("ingestion-lag", CheckStatus::Skip,
          "The newest loaded event is from " + newest + ". A call made just now may not be ingested yet.",
          "Wait briefly, then reload (F5) or fetch the audit again.");
}

void sts403(const std::vector<Ev>& evs, FirstCallReport& report) {
    report.scenario = "sts-403";
    Checklist c{"sts-403", report.checks};
    const Ev* deny = nullptr;
    for (const Ev& e : evs)
        if (e.str("event_type") == "token_exchange" && e.str("decision") == "deny") deny = deny ? deny : &e;
    const std::string reason = deny ? denyReasonCode(deny->json).value_or("") : "";
    report.summary = deny ? "The STS denied the exchange: " + reasonText(reason) + "."
                          : "No denied token exchange is in the loaded data for this request.";
    const std::string zone = deny ? deny->str("zone_id") : std::string();
    if (!deny)
        c.add("active-policy-set", CheckStatus::Skip, "Is the starter policy set active in the zone?",
              "Activate the policy set guided setup created.");
    else if (reason == "no_active_policy_set" || deny->str("manifest_sha") == "no_active_policy_set" ||
             deny->str("evaluation_status") == "no_active_policy_set")
        c.add("active-policy-set", CheckStatus::Fail,
              "No policy set was active in zone " + zone + " when the STS decided.",
              "Activate the starter policy set guided setup created (Console > Policies), then retry.");
    else if (!deny->str("policy_set_version_id").empty())
        c.add("active-policy-set", CheckStatus::Pass,
              "Policy set version " + deny->str("policy_set_version_id") + " was active.", "");
    else
        c.add("active-policy-set", CheckStatus::Skip, "The event does not name the policy set version.",
              "Check Console > Policies shows an active version.");
    static const std::set<std::string> resourceCodes = {"resource_not_found", "resource_not_granted",
                                                        "resource_outside_delegation"};
    static const std::set<std::string> scopeCodes = {"scope_mismatch", "delegation_scope_exceeded",
                                                     "role_scope_mismatch"};
    if (!deny)
        c.add("resource-id", CheckStatus::Skip, "Did the call ask for the resource id guided setup showed?",
              "Use the resource id from the guided setup result.");
    else if (resourceCodes.count(reason))
        c.add("resource-id", CheckStatus::Fail,
              "Resource " + deny->m("resource") + ": " + reasonText(reason) + ".",
              "Use the resource id from the guided setup result, and check the policy grants it.");
    else
        c.add("resource-id", CheckStatus::Pass, "The STS knew resource " + deny->m("resource") + ".", "");
    if (!deny)
        c.add("scopes", CheckStatus::Skip, "Were only the starter policy's scopes requested?",
              "Request only scopes the starter policy covers.");
    else if (scopeCodes.count(reason))
        c.add("scopes", CheckStatus::Fail,
              "Requested scopes " + deny->m("requested_scopes") + ": " + reasonText(reason) + ".",
              "Request only scopes the policy (and any delegation) covers.");
    else
        c.add("scopes", CheckStatus::Pass, "Requested scopes: " + deny->m("requested_scopes") + ".", "");
    if (deny)
        c.add("app-secret", CheckStatus::Pass,
              "The STS authenticated application " + deny->m("application_id") +
                  " (a wrong secret fails before any audit event is written).",
              "");
    else
        c.add("app-secret", CheckStatus::Skip,
              "A refused client secret is not audited. Did the STS answer 401 invalid_client?",
              "Regenerate the app secret in the Console and update the secret file.");
    if (deny && !reason.empty() && !resourceCodes.count(reason) && !scopeCodes.count(reason) &&
        reason != "no_active_policy_set")
        report.checks.push_back({"sts-403.policy",
                                 CheckStatus::Fail,
                                 "The policy denied: " + reasonText(reason) + ".",
                                 "Open the request trace to see the diagnostics and the policy input.",
                                 {"sts-403/audit-request-id"},
                                 {}});
    c.add("audit-request-id", deny ? CheckStatus::Pass : CheckStatus::Skip,
          deny ? "Request " + report.requestId +
                     " is in the audit: " + countText(evs.size(), "event", "events") + "."
               : "Which request id did the failing call return?",
          deny ? "Open its request trace for the diagnostics." : "Paste it to look it up.");
}

void gateway403(const std::vector<Ev>& evs, const EventStore& store, FirstCallReport& report) {
    report.scenario = "gateway-403";
    Checklist c{"gateway-403", report.checks};
    const Ev* call = nullptr;
    const Ev* replay = nullptr;
    for (const Ev& e : evs) {
        if (e.str("event_type") == "gateway_resource_request" && !call) call = &e;
        if (e.str("event_type") == "replay_detected" && !replay) replay = &e;
    }
    report.summary =
        call ? "The Gateway recorded the call (status " + call->m("gateway_status") + ")."
             : "The Gateway recorded no call for this request: it does not audit requests it rejects "
               "before forwarding (401, 400, 503), except replays.";
    if (call && !call->m("subject_fingerprint").empty())
        c.add("authorization-header", CheckStatus::Pass,
              "The Gateway saw a bearer token (fingerprint " + call->m("subject_fingerprint") + ").", "");
    else
        c.add("authorization-header", CheckStatus::Skip,
              "Does the call send Authorization: Bearer <Caracal access token>?",
              "Send the mandate the STS issued as a Bearer token.");
    if (call && !call->m("resource").empty())
        c.add("resource-header", CheckStatus::Pass,
              "The Gateway matched resource " + call->m("resource") + ".", "");
    else
        c.add("resource-header", CheckStatus::Skip,
              "Does the call send X-Caracal-Resource with the resource id?",
              "Send X-Caracal-Resource: <resource id from guided setup>.");
    if (replay)
        c.add("mandate-freshness", CheckStatus::Fail,
              "The Gateway saw this token before and blocked it as a replay.",
              "Obtain a fresh mandate for each run; do not reuse one.");
    else
        c.add("mandate-freshness", CheckStatus::Skip,
              "Was the mandate fresh (minted for this run, not expired)?",
              "Rerun the workload to get a fresh short-lived mandate.");
    bool revoked = call && call->m("revocation_interrupted") == "true";
    std::string revokedWhy = revoked ? "The call was cut off by a revocation." : std::string();
    if (!revoked && call) // a revocation seen for the same application elsewhere in the data
        for (RowId r : store.rowsWith(Field::Application, call->m("application_id")))
            if (auto code = denyReasonCode(store.event(r)); code && *code == "session_revoked") {
                revoked = true;
                revokedWhy = "Event " + store.eventId(r) + " shows a revoked Session for this application.";
                break;
            }
    if (revoked)
        c.add("revocation", CheckStatus::Fail, revokedWhy,
              "Start a new Session (and delegation, if used) and retry.");
    else
        c.add("revocation", CheckStatus::Skip, "Was the Session, application or delegation edge revoked?",
              "Check the Sessions page; revocation cannot be undone.");
    const std::string kind = call ? call->m("error_kind") : std::string();
    if (kind == "upstream_not_addressable" || kind == "provider_host_not_allowed")
        c.add("route-binding", CheckStatus::Fail, "The Gateway refused to forward: " + kind + ".",
              "Check the resource's Gateway route and upstream URL.");
    else if (call && !call->m("upstream_host").empty())
        c.add("route-binding", CheckStatus::Pass, "The route forwarded to " + call->m("upstream_host") + ".",
              "");
    else
        c.add("route-binding", CheckStatus::Skip,
              "Does the resource have the Gateway route and upstream URL you meant?",
              "Check the resource's route in the Console.");
}

void upstream(const std::vector<Ev>& evs, FirstCallReport& report) {
    report.scenario = "upstream-unreachable";
    Checklist c{"upstream-unreachable", report.checks};
    const Ev* call = nullptr;
    for (const Ev& e : evs)
        if (e.str("event_type") == "gateway_resource_request") call = &e;
    const std::string kind = call ? call->m("error_kind") : std::string();
    const int status = call ? call->status("upstream_status") : 0;
    const std::string host = call ? call->m("upstream_host") : std::string();
    report.summary = !call ? "No Gateway call of this request is in the loaded data."
                     : kind.empty()
                         ? "The Gateway forwarded the call; the upstream answered " +
                               (status ? std::to_string(status) : std::string("nothing recorded")) + "."
                         : "The Gateway could not complete the call: " + kind + ".";
    if (kind == "transport_error" || status == 502 || status == 503 || status == 504)
        c.add("connection-refused", CheckStatus::Fail,
              "The Gateway could not get an answer from " +
                  (host.empty() ? std::string("the upstream") : host) +
                  (kind.empty() ? " (upstream status " + std::to_string(status) + ")." : " (" + kind + ")."),
              "Make sure the upstream listens on that host and port, reachable from the Gateway container.");
    else if (call && status > 0)
        c.add("connection-refused", CheckStatus::Pass,
              "The upstream answered (" + std::to_string(status) + ").", "");
    else
        c.add("connection-refused", CheckStatus::Skip, "Is the upstream service listening?",
              "Start it, then retry.");
    c.add("dns-failure", kind == "upstream_not_addressable" ? CheckStatus::Fail : CheckStatus::Skip,
          kind == "upstream_not_addressable"
              ? "The Gateway could not address the upstream host " + host + "."
              : "Is the upstream hostname visible from inside the Gateway container?",
          "Use a hostname the Gateway container resolves, not only the host shell.");
    c.add("demo-upstream-missing", CheckStatus::Skip,
          "Using the demo? Is caracalDemoUpstream running on the caracalData network?",
          "Start the demo upstream on that Docker network, or point the route at your own service.");
    if (status == 404 || kind == "request_build_failed")
        c.add("wrong-path", CheckStatus::Fail,
              status == 404 ? "The upstream answered 404 for " + call->m("method") + ": the path is wrong."
                            : "The Gateway could not build the upstream request (request_build_failed).",
              "Use the first request path from the Console result view before trying your own.");
    else if (call && status > 0 && status < 400)
        c.add("wrong-path", CheckStatus::Pass, "The upstream accepted the path.", "");
    else
        c.add("wrong-path", CheckStatus::Skip, "Is the path the one guided setup showed?",
              "Use the first request path from the Console result view.");
}

} // namespace

FirstCallReport checkFirstCall(const EventStore& store, const FirstCallInput& input) {
    FirstCallReport report;
    report.requestId = input.requestId;
    FirstCallInput::Kind kind = input.kind;
    if (!input.errorBody.empty()) {
        const ExplainedError e = explainErrorBody(input.errorBody);
        if (report.requestId.empty()) report.requestId = e.requestId;
        if (kind == FirstCallInput::Kind::Auto) {
            if (e.surface.find("STS") != std::string::npos)
                kind = FirstCallInput::Kind::Sts403;
            else if (e.surface.find("Gateway") != std::string::npos)
                kind = FirstCallInput::Kind::Gateway403;
        }
    }
    if (report.requestId.empty() && kind == FirstCallInput::Kind::Auto) {
        report.scenario = "unknown";
        report.summary = "Give the request id of the failing call, paste its error body, or say what failed.";
        return report;
    }
    std::vector<Ev> evs;
    if (!report.requestId.empty()) {
        report.events = store.rowsOfRequest(input.zone, report.requestId);
        std::sort(report.events.begin(), report.events.end(),
                  [&](RowId a, RowId b) { return store.record(a).occurredAt < store.record(b).occurredAt; });
        for (RowId r : report.events)
            evs.push_back({r, store.event(r)});
        if (evs.empty()) {
            missingAuditEvents(store, input, report);
            return report;
        }
    }
    if (kind == FirstCallInput::Kind::Auto) {
        auto has = [&](auto pred) { return std::any_of(evs.begin(), evs.end(), pred); };
        if (has([](const Ev& e) {
                return e.str("event_type") == "token_exchange" && e.str("decision") == "deny";
            }))
            kind = FirstCallInput::Kind::Sts403;
        else if (has([](const Ev& e) {
                     return e.str("event_type") == "gateway_resource_request" &&
                            (!e.m("error_kind").empty() || e.status("upstream_status") >= 500);
                 }))
            kind = FirstCallInput::Kind::Upstream;
        else if (has([](const Ev& e) {
                     return e.str("event_type") == "replay_detected" ||
                            (e.str("event_type") == "gateway_resource_request" &&
                             (e.status("gateway_status") == 401 || e.status("gateway_status") == 403));
                 }))
            kind = FirstCallInput::Kind::Gateway403;
    }
    switch (kind) {
    case FirstCallInput::Kind::Sts403:
        sts403(evs, report);
        break;
    case FirstCallInput::Kind::Gateway403:
        gateway403(evs, store, report);
        break;
    case FirstCallInput::Kind::Upstream:
        upstream(evs, report);
        break;
    case FirstCallInput::Kind::Auto: {
        const bool exchanged = std::any_of(evs.begin(), evs.end(), [](const Ev& e) {
            return e.str("event_type") == "token_exchange" && e.str("decision") == "allow";
        });
        const bool called = std::any_of(evs.begin(), evs.end(), [](const Ev& e) {
            return e.str("event_type") == "gateway_resource_request";
        });
        report.scenario = "succeeded";
        report.summary = "Nothing in the audit of request " + report.requestId + " failed.";
        report.checks.push_back(
            {"first-call.exchange",
             exchanged ? CheckStatus::Pass : CheckStatus::Skip,
             exchanged ? "The STS issued a mandate." : "No token exchange is recorded for this request.",
             "",
             {"sts-403"},
             {}});
        report.checks.push_back(
            {"first-call.gateway",
             called ? CheckStatus::Pass : CheckStatus::Warn,
             called ? "The Gateway forwarded the call."
                    : "No Gateway call is recorded: the workload may not have called the Gateway.",
             called ? "" : "Send the call to the profile's gateway_url with the mandate.",
             {"missing-audit-events/never-reached"},
             {}});
        break;
    }
    }
    return report;
}

} // namespace caracal
