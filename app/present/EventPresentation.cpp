#include "present/EventPresentation.h"

#include "catalog/DenyReasonCatalog.h"
#include "util/JsonField.h"

namespace caracal {

using Json = nlohmann::ordered_json;

namespace {
std::string text(const Json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}
const Json& metadata(const Json& ev) {
    static const Json empty = Json::object();
    auto it = ev.find("metadata_json");
    return it != ev.end() && it->is_object() ? *it : empty;
}
std::string orSomething(std::string s, const char* fallback) {
    return s.empty() ? fallback : s;
}

std::string gatewayErrorPhrase(const std::string& kind) {
    if (kind == "transport_error") return "the upstream could not be reached";
    if (kind == "upstream_not_addressable") return "the upstream address is not allowed";
    if (kind == "provider_host_not_allowed") return "the provider host is not on the allow list";
    if (kind == "request_build_failed") return "the upstream request could not be built";
    if (kind == "response_copy_failed") return "the response was cut off while it was relayed";
    return humanizeCode(kind);
}
} // namespace

Tone decisionTone(std::string_view d) {
    if (d == "allow" || d == "approved" || d == "consumed") return Tone::Success;
    if (d == "deny" || d == "rejected") return Tone::Danger;
    if (d == "pending" || d == "partial") return Tone::Warning;
    return Tone::Muted;
}

std::string eventLabel(std::string_view type, std::string_view decision) {
    const bool deny = decision == "deny";
    if (type == "token_exchange") return deny ? "Token denied" : "Token issued";
    if (type == "gateway_resource_request") return "Resource call";
    if (type == "replay_detected") return "Replay blocked";
    if (type == "jti_collision") return "Token ID collision";
    if (type == "step_up_issued") return "Approval requested";
    if (type == "step_up_decided")
        return decision == "approved"   ? "Approval granted"
               : decision == "rejected" ? "Approval rejected"
                                        : "Approval decided";
    if (type == "step_up_consumed") return "Approval consumed";
    if (type == "run_launch") return deny ? "Workload launch denied" : "Workload launch";
    if (type == "control.invoke") return "Control command";
    if (type == "credential_revealed") return "Credential revealed";
    // Caracal emits no other type (token.exchange is not token_exchange): say so rather than pass it off.
    return type.empty() ? std::string("Event") : humanizeCode(type) + " (unknown event type)";
}

std::string actorName(const Json& ev) {
    const Json& m = metadata(ev);
    for (const char* key :
         {"application_name", "application_id", "client_id", "app_id", "workload_name", "subject"})
        if (std::string s = text(m, key); !s.empty()) return s;
    return {};
}

std::string eventSummary(const Json& ev, const std::string& knownActor) {
    const Json& m = metadata(ev);
    const std::string type = text(ev, "event_type"), decision = text(ev, "decision");
    const std::string actor =
        orSomething(text(m, "application_name").empty() && !knownActor.empty() ? knownActor : actorName(ev),
                    "An unknown caller");
    const std::string resource = orSomething(text(m, "resource"), "a resource");
    if (type == "token_exchange") {
        if (decision == "deny") {
            const auto code = denyReasonCode(ev);
            return actor + " was denied a credential for " + resource +
                   (code ? " - " + DenyReasonCatalog::instance().label(*code) : std::string());
        }
        if (std::string issuer = text(m, "federated_user_issuer"); !issuer.empty())
            return actor + " federated a user identity from " + issuer;
        std::string s = actor + " was issued a credential for " + resource;
        if (std::string hops = text(m, "delegation_hop_count"); !hops.empty())
            s += " via delegation (" + hops + (hops == "1" ? " hop)" : " hops)");
        return s;
    }
    if (type == "gateway_resource_request") {
        std::string s = actor + " called " + resource;
        if (std::string method = text(m, "method"); !method.empty()) s += " (" + method + ")";
        if (std::string kind = text(m, "error_kind"); !kind.empty())
            return s + " - " + gatewayErrorPhrase(kind);
        if (std::string up = text(m, "upstream_status"); !up.empty())
            return s + " - upstream responded " + up;
        return s;
    }
    if (type == "replay_detected")
        return "A previously used token was replayed against " + resource + " and blocked";
    if (type == "jti_collision")
        return "A token ID was minted twice for " + actor + "; the second mint was refused";
    if (type == "step_up_issued") {
        const std::string cls = text(m, "approver_class");
        const std::string from = cls == "any"       ? "any approver"
                                 : cls == "subject" ? "the subject"
                                                    : "an operator";
        return actor + " needs " + orSomething(text(m, "tier"), "an") + " approval from " + from +
               " before the credential is issued";
    }
    if (type == "step_up_decided") {
        std::string by = text(m, "approver_subject_id");
        if (by.empty() && !text(m, "approver_session_id").empty())
            by = "Session " + text(m, "approver_session_id");
        const std::string verb = decision == "approved"   ? "granted"
                                 : decision == "rejected" ? "rejected"
                                                          : "decided";
        const std::string reason = text(m, "reason"); // the approver's own words
        return orSomething(text(m, "tier"), "The") + " approval " + verb + (by.empty() ? "" : " by " + by) +
               (reason.empty() ? "" : ": \"" + reason + "\"");
    }
    if (type == "step_up_consumed")
        return actor + " used its " + orSomething(text(m, "tier"), "") + " approval";
    if (type == "run_launch") {
        const std::string name = orSomething(text(m, "workload_name"), "a workload");
        return decision == "deny" ? "Workload " + name + " was refused at launch"
                                  : "Workload " + name + " launched" +
                                        (text(m, "binding_count").empty()
                                             ? ""
                                             : " with " + text(m, "binding_count") + " bindings");
    }
    if (type == "control.invoke") {
        std::string cmd = text(m, "command");
        if (std::string sub = text(m, "subcommand"); !sub.empty()) cmd += " " + sub;
        const std::string reason = text(m, "reason"); // the operator's own words
        return "Control command " + orSomething(cmd, "(unnamed)") +
               (decision == "deny" ? " was refused" : " ran") +
               (reason.empty() ? "" : ": \"" + reason + "\"");
    }
    if (type == "credential_revealed") {
        const std::string what =
            text(m, "credential") == "workload_secret" ? "workload secret" : "application client secret";
        const std::string owner = orSomething(text(m, "application_id"), text(m, "workload_id").c_str());
        return "The " + what + (owner.empty() ? "" : " of " + owner) + " was revealed";
    }
    return eventLabel(type, decision) + (actor.empty() ? "" : " by " + actor);
}

std::optional<std::string> denyReasonCode(const Json& ev) {
    // Only string values count: a number or object under one of these keys is not a code.
    if (jsonfield::text(ev, "decision") != "deny") return std::nullopt;
    if (std::string r = jsonfield::text(metadata(ev), "reason"); !r.empty()) return r;
    if (std::string status = jsonfield::text(ev, "evaluation_status");
        !status.empty() && status != "complete")
        return status;
    if (auto d = ev.find("diagnostics_json"); d != ev.end() && d->is_array() && !d->empty())
        if (std::string r = jsonfield::text(d->front(), "reason"); !r.empty()) return r;
    return std::string("policy_denied");
}

} // namespace caracal
