#include "trace/RequestTrace.h"

#include "present/EventPresentation.h"
#include "util/CountText.h"
#include "util/JsonField.h"
#include "util/MetadataRedaction.h"
#include "util/RawJson.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <set>

namespace caracal {

using Json = nlohmann::ordered_json;

namespace {
const Json& metadataOf(const Json& ev) {
    static const Json empty = Json::object();
    auto it = ev.find("metadata_json");
    return it != ev.end() && it->is_object() ? *it : empty;
}
std::string str(const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}
Json arrayOr(const Json& ev, const char* key) {
    auto it = ev.find(key);
    return it != ev.end() && it->is_array() ? *it : Json::array();
}
std::string durationText(int64_t micros) {
    char buf[48];
    if (micros < 1000)
        std::snprintf(buf, sizeof buf, "%lld \u00b5s", static_cast<long long>(micros));
    else if (micros < 1000000)
        std::snprintf(buf, sizeof buf, "%.1f ms", micros / 1000.0);
    else if (micros < 600000000)
        std::snprintf(buf, sizeof buf, "%.1f s", micros / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%.1f min", micros / 6e7);
    return buf;
}
} // namespace

std::vector<std::string> zonesOfRequest(const EventStore& store, std::string_view requestId) {
    std::set<std::string> zones;
    for (RowId r : store.rowsWith(Field::RequestId, requestId))
        zones.insert(std::string(store.field(r, Field::Zone)));
    return {zones.begin(), zones.end()};
}

Json reconstructPolicyInput(const Json& ev) {
    const Json& m = metadataOf(ev);
    Json principal = {
        {"type", "Application"}, {"id", str(m, "application_id")}, {"zone_id", str(ev, "zone_id")}};
    if (m.contains("application_registration_method"))
        principal["registration_method"] = m["application_registration_method"];
    if (m.contains("agent_session_id")) principal["agent_session_id"] = m["agent_session_id"];
    if (m.contains("agent_lifecycle")) principal["lifecycle"] = m["agent_lifecycle"];
    if (m.contains("agent_labels")) principal["labels"] = m["agent_labels"];
    const Json scopes = m.contains("requested_scopes") && m["requested_scopes"].is_array()
                            ? m["requested_scopes"]
                            : Json::array();
    Json context = {
        {"actor_claims", Json::object()}, {"requested_scopes", scopes}, {"challenge_resolved", false}};
    if (m.contains("session_id")) context["session_id"] = m["session_id"];
    if (m.contains("agent_session_id")) context["agent_session_id"] = m["agent_session_id"];
    if (m.contains("delegation_edge_id")) context["delegation_edge_id"] = m["delegation_edge_id"];
    Json input = {
        {"schema_version", "2026-05-20"},
        {"principal", principal},
        {"resource", {{"type", "Resource"}, {"identifier", str(m, "resource")}, {"scopes", scopes}}},
        {"action", {{"id", "TokenExchange"}}},
        {"context", context}};
    if (m.contains("session_id")) input["session"] = {{"id", m["session_id"]}};
    if (m.contains("delegation_edge_id")) input["delegation_edge"] = {{"id", m["delegation_edge_id"]}};
    return input;
}

std::optional<RequestTrace> buildRequestTrace(const EventStore& store, std::string_view zone,
                                              std::string_view requestId) {
    RequestTrace t;
    t.zone = zone;
    t.requestId = requestId;
    for (RowId r : store.rowsWith(Field::RequestId, requestId)) // exactly this zone, "" included
        if (store.field(r, Field::Zone) == zone) t.events.push_back(r);
    if (t.events.empty()) return std::nullopt;

    bool anyDeny = false;
    for (RowId r : t.events) {
        const std::string_view decision = store.field(r, Field::Decision);
        if (decision == "deny") {
            anyDeny = true;
            t.denied.push_back(r);
        }
    }
    t.finalDecision = anyDeny ? "deny" : std::string(store.field(t.events.back(), Field::Decision));
    if (t.finalDecision.empty()) t.finalDecision = "unknown";

    // Step-up flows: the decision is stored under the challenge id, so it is found through it.
    std::vector<RowId> joined;
    for (RowId r : t.events) {
        const std::string_view type = store.field(r, Field::EventType);
        if (type != "step_up_issued" && type != "step_up_consumed") continue;
        const Json ev = store.event(r);
        const std::string challenge = str(metadataOf(ev), "challenge_id");
        auto flow = std::find_if(t.stepUps.begin(), t.stepUps.end(),
                                 [&](const StepUpFlow& f) { return f.challengeId == challenge; });
        if (flow == t.stepUps.end()) {
            t.stepUps.push_back({challenge, str(metadataOf(ev), "tier"), {}, "pending", {}, {}, {}, -1});
            flow = t.stepUps.end() - 1;
            for (RowId d : store.rowsWith(Field::RequestId, challenge))
                if (store.field(d, Field::EventType) == "step_up_decided" &&
                    store.field(d, Field::Zone) == zone) {
                    flow->decided = d;
                    joined.push_back(d);
                    const Json decided = store.event(d);
                    const Json& dm = metadataOf(decided);
                    flow->approver = str(dm, "approver_subject_id");
                    if (flow->approver.empty() && !str(dm, "approver_session_id").empty())
                        flow->approver = "Session " + str(dm, "approver_session_id");
                    flow->state = std::string(store.field(d, Field::Decision));
                }
        }
        if (type == "step_up_issued")
            flow->issued = r;
        else {
            flow->consumed = r;
            flow->state = "consumed";
        }
    }
    for (StepUpFlow& f : t.stepUps)
        if (f.issued && f.decided)
            f.timeToDecideMicros = store.record(*f.decided).occurredAt - store.record(*f.issued).occurredAt;

    std::vector<std::pair<RowId, bool>> all;
    for (RowId r : t.events)
        all.emplace_back(r, false);
    for (RowId r : joined)
        if (std::find(t.events.begin(), t.events.end(), r) == t.events.end()) all.emplace_back(r, true);
    std::sort(all.begin(), all.end(),
              [&](const auto& a, const auto& b) { return store.lessInTime(a.first, b.first); });
    for (size_t i = 0; i < all.size(); ++i)
        t.steps.push_back(
            {all[i].first, surfaceOf(store.field(all[i].first, Field::EventType)),
             i ? store.record(all[i].first).occurredAt - store.record(all[i - 1].first).occurredAt : 0,
             all[i].second});

    // What is missing, said plainly.
    auto countType = [&](std::string_view type) {
        return std::count_if(t.events.begin(), t.events.end(),
                             [&](RowId r) { return store.field(r, Field::EventType) == type; });
    };
    const auto gatewayEvents = countType("gateway_resource_request");
    const auto exchanges = countType("token_exchange");
    for (RowId r : t.events) {
        if (store.field(r, Field::EventType) == "token_exchange" &&
            store.field(r, Field::Decision) == "allow" && gatewayEvents == 0 && t.stepUps.empty()) {
            t.missing.push_back(
                {"no_gateway_event",
                 "The exchange was allowed but no Gateway event is loaded for this request: a direct SDK "
                 "mint, or the call never reached the Gateway.",
                 r});
            break;
        }
    }
    if (gatewayEvents > 0 && exchanges == 0)
        t.missing.push_back(
            {"no_exchange_event",
             "A Gateway call is loaded but the token exchange that issued its mandate is not (another "
             "file, zone or time window).",
             t.events.front()});
    for (const StepUpFlow& f : t.stepUps)
        if (!f.decided && !f.consumed)
            t.missing.push_back({"approval_never_decided",
                                 "Approval " + f.challengeId +
                                     " was requested and no decision is loaded: still pending, "
                                     "expired, or decided outside the loaded data.",
                                 f.issued});
    for (RowId r : t.events) {
        const std::string_view version = store.field(r, Field::PolicySetVersion);
        const std::string_view manifest = store.field(r, Field::ManifestSha);
        if (manifest == "no_active_policy_set" && !version.empty())
            t.missing.push_back({"version_without_active_set",
                                 "The event names policy set version " + std::string(version) +
                                     " but says no policy set was active (manifest no_active_policy_set).",
                                 r});
        if (!version.empty() || !manifest.empty()) {
            const std::pair<std::string, std::string> pv{std::string(version), std::string(manifest)};
            if (std::find(t.policyVersions.begin(), t.policyVersions.end(), pv) == t.policyVersions.end())
                t.policyVersions.push_back(pv);
        }
    }
    std::set<std::string> manifests;
    for (const auto& [version, manifest] : t.policyVersions)
        if (!manifest.empty()) manifests.insert(manifest);
    if (manifests.size() > 1)
        t.missing.push_back({"manifest_changed",
                             "Events of this request were decided under " + std::to_string(manifests.size()) +
                                 " different policy manifests: the policy changed during the request.",
                             std::nullopt});
    return t;
}

std::optional<SavedExplain> parseSavedExplain(std::string_view text) {
    const std::string_view doc = rawjson::trim(text);
    if (doc.empty() || doc.front() != '{' || !rawjson::member(doc, "final_decision") ||
        !rawjson::member(doc, "denied"))
        return std::nullopt;
    const Json j = Json::parse(doc, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j["denied"].is_array()) return std::nullopt;
    return SavedExplain{str(j, "request_id"), str(j, "zone_id"), str(j, "final_decision"), j["denied"]};
}

std::optional<Json> savedExplainDenied(const EventStore& store, std::string_view zone,
                                       std::string_view requestId) {
    for (size_t i = 0; i < store.sourceCount(); ++i) {
        const std::string_view bytes = store.source(uint16_t(i)).bytes();
        if (bytes.size() > (16u << 20) || bytes.find("\"final_decision\"") == std::string_view::npos)
            continue;
        const auto saved = parseSavedExplain(bytes);
        if (saved && saved->requestId == requestId && (saved->zone.empty() || saved->zone == zone))
            return saved->denied;
    }
    return std::nullopt;
}

Json traceToJson(const RequestTrace& t, const EventStore& store, const TraceOutputOptions& options) {
    Json j;
    j["request_id"] = t.requestId;
    j["zone_id"] = t.zone;
    j["final_decision"] = t.finalDecision;
    Json denied = Json::array();
    for (RowId r : t.denied) {
        const Json ev = store.event(r);
        Json metadata = metadataOf(ev);
        if (options.redact) redactMetadata(metadata);
        denied.push_back({{"event_id", jsonfield::text(ev, "id")},
                          {"event_type", jsonfield::text(ev, "event_type")},
                          {"evaluation_status", jsonfield::text(ev, "evaluation_status")},
                          {"determining_policies", arrayOr(ev, "determining_policies_json")},
                          {"diagnostics", arrayOr(ev, "diagnostics_json")},
                          {"metadata", metadata},
                          {"policy_input", reconstructPolicyInput(ev)}});
    }
    // A saved explain already is Caracal's answer: its events are redacted, so rebuilding would lose what its
    // policy_input says.
    j["denied"] = options.savedDenied ? *options.savedDenied : denied;
    Json events = Json::array();
    for (RowId r : t.events)
        events.push_back(options.redact ? redactedEvent(store.event(r)) : store.event(r));
    j["events"] = events;

    Json surfaces = Json::array();
    for (const TraceStep& s : t.steps)
        surfaces.push_back({{"event_id", store.eventId(s.row)},
                            {"event_type", store.field(s.row, Field::EventType)},
                            {"surface", surfaceName(s.surface)},
                            {"since_previous_ms", s.sincePreviousMicros / 1000.0},
                            {"joined_by_challenge_id", s.joined}});
    j["surfaces"] = surfaces;
    Json missing = Json::array();
    for (const TraceFinding& f : t.missing) {
        Json m = {{"kind", f.kind}, {"message", f.message}};
        if (f.row) m["event_id"] = store.eventId(*f.row);
        missing.push_back(m);
    }
    j["missing"] = missing;
    Json stepUps = Json::array();
    for (const StepUpFlow& f : t.stepUps) {
        Json s = {{"challenge_id", f.challengeId}, {"tier", f.tier}, {"state", f.state}};
        if (f.issued) s["issued_event_id"] = store.eventId(*f.issued);
        if (f.decided) s["decided_event_id"] = store.eventId(*f.decided);
        if (f.consumed) s["consumed_event_id"] = store.eventId(*f.consumed);
        if (!f.approver.empty()) s["approver"] = f.approver;
        if (f.timeToDecideMicros >= 0) s["time_to_decide_s"] = f.timeToDecideMicros / 1e6;
        stepUps.push_back(s);
    }
    j["step_up"] = stepUps;
    Json codes = Json::array();
    for (RowId r : t.events) {
        const EventLinks links = linkEvent(store.event(r));
        for (const EventCode& c : links.codes) {
            Json rows = Json::array();
            for (const LinkedRow& lr : links.rows)
                rows.push_back(lr.row.address());
            codes.push_back({{"code", c.code},
                             {"from", c.from},
                             {"event_id", store.eventId(r)},
                             {"surface", surfaceName(links.surface)},
                             {"rows", rows}});
        }
    }
    j["codes"] = codes;
    Json versions = Json::array();
    for (const auto& [version, manifest] : t.policyVersions)
        versions.push_back({{"policy_set_version_id", version}, {"manifest_sha", manifest}});
    j["policy_versions"] = versions;
    if (options.savedDenied)
        j["denied_note"] = "denied[] is the saved Caracal explain response's own, kept as saved.";
    if (!options.redact)
        j["redaction_note"] = "Metadata shown raw (--no-redact); Caracal's explain redacts it.";
    if (!t.denied.empty() && !options.savedDenied)
        j["policy_input_note"] =
            "Reconstructed from audit metadata as Caracal's explain route does. The 2026-05-20 "
            "schema also requires resource.id, which audit events do not carry; add it before "
            "simulating.";
    return j;
}

std::string traceToText(const RequestTrace& t, const EventStore& store, const TraceOutputOptions& options) {
    std::string out = "Request " + t.requestId + " in zone " + t.zone + "\n";
    out += "Final decision: " + t.finalDecision + "  (" + countText(t.events.size(), "event", "events") +
           ", " + groupedNumber(t.denied.size()) + " denied)\n\n";
    for (const TraceStep& s : t.steps) {
        const Json ev = options.redact ? redactedEvent(store.event(s.row)) : store.event(s.row);
        out += "  " + formatUtcMicros(store.record(s.row).occurredAt) + "  " +
               (s.sincePreviousMicros ? "+" + durationText(s.sincePreviousMicros) : std::string("start")) +
               "\n";
        out += "    [" + std::string(surfaceName(s.surface)) + "] " +
               eventLabel(jsonfield::text(ev, "event_type"), jsonfield::text(ev, "decision")) + " (" +
               jsonfield::text(ev, "decision") + ")" + (s.joined ? "  - joined by challenge id" : "") + "\n";
        out += "    " + eventSummary(ev, std::string(store.actorOf(s.row))) + "\n";
    }
    if (options.savedDenied) {
        for (const Json& d : *options.savedDenied)
            out += "\nDenied (as saved by Caracal's explain): " + str(d, "event_id") + " (" +
                   str(d, "evaluation_status") + ")\n  Policy input: " +
                   (d.contains("policy_input") ? d["policy_input"].dump() : std::string("(none)")) + "\n";
    }
    for (RowId r : options.savedDenied ? std::vector<RowId>{} : t.denied) {
        const Json ev = store.event(r);
        out += "\nDenied: " + store.eventId(r) + " (" + jsonfield::text(ev, "evaluation_status") + ")\n";
        if (auto code = denyReasonCode(ev)) out += "  Reason: " + *code + "\n";
        const EventLinks links = linkEvent(ev);
        for (const LinkedRow& lr : links.rows)
            out += "  See " + lr.row.address() + ": " + lr.row.checkText() + "\n";
        out += "  Policy input (as Caracal's explain rebuilds it; add resource.id before simulating): " +
               reconstructPolicyInput(ev).dump() + "\n";
    }
    for (const StepUpFlow& f : t.stepUps)
        out +=
            "\nApproval " + f.challengeId + ": " + f.state + (f.approver.empty() ? "" : " by " + f.approver) +
            (f.timeToDecideMicros >= 0 ? ", decided after " + durationText(f.timeToDecideMicros) : "") + "\n";
    if (!t.missing.empty()) out += "\nMissing or inconsistent:\n";
    for (const TraceFinding& f : t.missing)
        out += "  - " + f.message + "\n";
    for (const auto& [version, manifest] : t.policyVersions)
        out += "\nPolicy set version " + (version.empty() ? std::string("(none)") : version) + ", manifest " +
               manifest;
    if (!t.policyVersions.empty()) out += "\n";
    return out;
}

} // namespace caracal
