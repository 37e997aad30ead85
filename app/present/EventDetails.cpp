#include "present/EventDetails.h"

#include "catalog/DenyReasonCatalog.h"
#include "util/JsonField.h"
#include "util/Timestamp.h"

namespace caracal {

using Json = nlohmann::ordered_json;

namespace {

std::string valueText(const Json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

class GroupBuilder {
  public:
    GroupBuilder(std::string title, const Json& source) : m_source(source) {
        m_group.title = std::move(title);
    }
    GroupBuilder& text(const char* label, const char* key, DetailRow::Kind kind = DetailRow::Kind::Text) {
        return value(label, find(key), kind);
    }
    GroupBuilder& mono(const char* label, const char* key) { return text(label, key, DetailRow::Kind::Mono); }
    GroupBuilder& value(const char* label, std::string v, DetailRow::Kind kind = DetailRow::Kind::Text) {
        if (!v.empty()) m_group.rows.push_back({label, {std::move(v)}, kind});
        return *this;
    }
    GroupBuilder& chips(const char* label, const char* key) {
        auto it = m_source.find(key);
        if (it == m_source.end() || !it->is_array() || it->empty()) return *this;
        DetailRow row{label, {}, DetailRow::Kind::Chips};
        for (const auto& item : *it)
            row.values.push_back(valueText(item));
        m_group.rows.push_back(std::move(row));
        return *this;
    }
    std::string find(const char* key) const {
        auto it = m_source.find(key);
        return it == m_source.end() ? std::string() : valueText(*it);
    }
    DetailGroup take() { return std::move(m_group); }

  private:
    const Json& m_source;
    DetailGroup m_group;
};

void add(std::vector<DetailGroup>& groups, GroupBuilder&& builder) {
    DetailGroup g = builder.take();
    if (!g.rows.empty()) groups.push_back(std::move(g));
}

std::string occurredText(const std::string& raw) {
    const auto t = parseRfc3339Micros(raw);
    return t ? formatUtcMicros(*t) : raw;
}

DetailGroup diagnosticsGroup(const Json& ev) {
    DetailGroup g{"Diagnostics", {}};
    auto it = ev.find("diagnostics_json");
    if (it == ev.end() || !it->is_array()) return g;
    for (const auto& d : *it) {
        if (!d.is_object()) {
            g.rows.push_back({"Other", {d.dump()}, DetailRow::Kind::Mono});
            continue;
        }
        if (auto r = d.find("reason"); r != d.end() && r->is_string())
            g.rows.push_back({"Deny reason",
                              {DenyReasonCatalog::instance().label(r->get<std::string>()) + " (" +
                               r->get<std::string>() + ")"}});
        else if (auto e = d.find("error"); e != d.end())
            g.rows.push_back({"Policy engine error", {valueText(*e)}, DetailRow::Kind::Mono});
        else if (auto s = d.find("step_up_required"); s != d.end() && s->is_object()) {
            std::vector<std::string> tiers;
            if (auto t = s->find("tiers"); t != s->end() && t->is_array())
                for (const auto& tier : *t) {
                    std::string text = jsonfield::text(tier, "tier", "?") + " tier, approver " +
                                       jsonfield::text(tier, "approver", "operator") + ", " +
                                       jsonfield::text(tier, "privacy", "identified");
                    if (tier.contains("ttl_seconds"))
                        text += ", TTL " + valueText(tier["ttl_seconds"]) + " s";
                    tiers.push_back(text);
                }
            g.rows.push_back({"Step-up required (" + jsonfield::text(*s, "type", "approval") + ")", tiers,
                              DetailRow::Kind::Chips});
        } else if (auto rk = d.find("risk"); rk != d.end() && rk->is_array()) {
            std::vector<std::string> risks;
            for (const auto& risk : *rk)
                risks.push_back(jsonfield::text(risk, "scope", "?") + ": " +
                                jsonfield::text(risk, "tier", "?"));
            g.rows.push_back({"Risk", risks, DetailRow::Kind::Chips});
        } else {
            g.rows.push_back({"Other", {d.dump()}, DetailRow::Kind::Mono});
        }
    }
    return g;
}

} // namespace

EventDetails describeEvent(const Json& ev, const std::string& sourceName, uint32_t line,
                           const std::string& knownActor, SourceOrigin origin, bool redactedHere) {
    const bool fromApi = origin == SourceOrigin::CaracalApi;
    static const Json emptyObject = Json::object();
    EventDetails d;
    const std::string type = jsonfield::text(ev, "event_type");
    d.decision = jsonfield::text(ev, "decision");
    d.label = eventLabel(type, d.decision);
    d.summary = eventSummary(ev, knownActor);
    d.tone = decisionTone(d.decision);
    if (auto code = denyReasonCode(ev)) {
        const DenyReason* r = DenyReasonCatalog::instance().find(*code);
        d.deny = DenyBox{*code, r ? r->label : humanizeCode(*code), r ? r->hint : std::string()};
    }
    auto metaIt = ev.find("metadata_json");
    const Json& m = metaIt != ev.end() && metaIt->is_object() ? *metaIt : emptyObject;

    GroupBuilder what("What happened", ev);
    what.value("Event", d.label + " (" + type + ")")
        .text("Decision", "decision")
        .value("Evaluation", humanizeCode(what.find("evaluation_status")))
        .value("Occurred (UTC)",
               fromApi ? what.find("occurred_at") + "  (to the millisecond: the API cuts times)"
                       : occurredText(what.find("occurred_at")),
               DetailRow::Kind::Mono)
        .mono("Request ID", "request_id")
        .value("Trace ID", GroupBuilder("", m).find("trace_id"), DetailRow::Kind::Mono)
        .text("Zone", "zone_id")
        .mono("Event ID", "id")
        .mono("Policy set", "policy_set_id")
        .mono("Policy set version", "policy_set_version_id")
        .mono("Manifest SHA", "manifest_sha");
    if (auto dp = ev.find("determining_policies_json"); dp != ev.end() && dp->is_array() && !dp->empty()) {
        DetailRow row{"Determining policies", {}, DetailRow::Kind::Chips};
        for (const auto& p : *dp)
            row.values.push_back(p.is_object() && p.contains("policy") ? valueText(p["policy"]) : p.dump());
        DetailGroup g = what.take();
        g.rows.push_back(std::move(row));
        d.groups.push_back(std::move(g));
    } else {
        add(d.groups, std::move(what));
    }

    GroupBuilder involved("Involved", m);
    std::string app = involved.find("application_name");
    const std::string appId = involved.find("application_id");
    if (app.empty() && !appId.empty() && !knownActor.empty() && knownActor != appId)
        app = knownActor + " (named by other events)";
    if (!app.empty() && !appId.empty()) app += "  " + appId;
    involved.value("Application", app.empty() ? appId : app)
        .mono("Client", "client_id")
        .mono("Application (app_id)", "app_id")
        .mono("Resource", "resource")
        .mono("Provider", "provider_id")
        .mono("Connection", "connection_id")
        .mono("Session", "agent_session_id")
        .mono("Authority record", "session_id")
        .mono("Delegation", "delegation_edge_id")
        .mono("Approval hold", "challenge_id")
        .mono("Workload", "workload_id")
        .text("Workload name", "workload_name")
        .text("Credential", "credential");
    add(d.groups, std::move(involved));

    GroupBuilder attribution("Attribution", m);
    attribution.text("Subject kind", "subject_kind")
        .mono("Subject", "subject")
        .text("Authorized by", "authorized_by")
        .mono("Approver", "approver_subject_id")
        .mono("Approver Session", "approver_session_id")
        .text("Approver plane", "approver_plane")
        .mono("Subject fingerprint", "subject_fingerprint")
        .mono("Subject fingerprint", "subject_fp")
        .mono("Subject anchor", "subject_anchor")
        .text("Federated issuer", "federated_user_issuer");
    add(d.groups, std::move(attribution));

    GroupBuilder hold("Approval hold", m);
    hold.text("Tier", "tier")
        .text("Approver class", "approver_class")
        .text("Privacy mode", "privacy_mode")
        .mono("Expires at", "expires_at")
        .mono("Binding", "binding");
    add(d.groups, std::move(hold));

    GroupBuilder request("Request", m);
    request.chips("Scopes", "requested_scopes")
        .text("Method", "method")
        .mono("Path", "path")
        .text("Latency (ms)", "latency_ms")
        .text("Upstream status", "upstream_status")
        .text("Gateway status", "gateway_status")
        .text("Result", "result_class")
        .text("Error", "error_kind")
        .text("Auth mode", "auth_mode")
        .mono("Upstream host", "upstream_host")
        .text("Response bytes", "response_bytes")
        .text("Command", "command")
        .text("Subcommand", "subcommand")
        .text("Reason given", "reason")
        .text("Session lifecycle", "agent_lifecycle")
        .chips("Labels", "agent_labels")
        .chips("Requested resources", "requested");
    add(d.groups, std::move(request));

    if (auto chain = m.find("delegation_chain"); chain != m.end() && chain->is_array() && !chain->empty()) {
        DetailGroup g{"Delegation chain", {}};
        size_t i = 0;
        for (const auto& hop : *chain) {
            ++i;
            std::vector<std::string> v{jsonfield::text(hop, "application_id"),
                                       "Session " + jsonfield::text(hop, "agent_session_id")};
            const std::string edge = jsonfield::text(hop, "delegation_edge_id");
            v.push_back(edge.empty() ? (i == chain->size() ? "receiver" : "no edge") : "edge " + edge);
            g.rows.push_back({std::to_string(i) + (i == 1               ? ". root issuer"
                                                   : i == chain->size() ? ". receiver"
                                                                        : "."),
                              v, DetailRow::Kind::Chips});
        }
        GroupBuilder extra("", m);
        if (auto n = extra.find("delegation_hop_count"); !n.empty()) g.rows.push_back({"Hop count", {n}});
        if (auto e = extra.find("delegation_graph_epoch"); !e.empty()) g.rows.push_back({"Graph epoch", {e}});
        d.groups.push_back(std::move(g));
    }

    if (DetailGroup g = diagnosticsGroup(ev); !g.rows.empty()) d.groups.push_back(std::move(g));

    GroupBuilder chainFields("Audit chain", ev);
    chainFields.text("Chain sequence", "ChainSeq")
        .mono("Content SHA-256", "ContentSHA256")
        .mono("Previous content SHA-256", "PrevContentSHA256")
        .mono("Chain HMAC", "ChainHMAC")
        .mono("Ingested at", "IngestedAt")
        .mono("Ingested at", "ingested_at");
    add(d.groups, std::move(chainFields));

    // A redacted value is not data: say who withheld it and where the value can be read.
    for (DetailGroup& g : d.groups)
        for (DetailRow& row : g.rows)
            for (std::string& v : row.values)
                if (v == "[redacted]") {
                    v = redactedHere
                            ? "hidden, as Caracal's API hides this key (tick Show secret values to see it)"
                        : row.label == "Authority record"
                            ? "withheld by the Caracal API (\"[redacted]\"); the "
                              "audit service or a file export has it"
                            : kRedactedText;
                    row.kind = DetailRow::Kind::Text;
                }
    if (!sourceName.empty()) {
        DetailGroup g{"Source",
                      {{fromApi                                ? "Page"
                        : origin == SourceOrigin::AuditService ? "Search page"
                                                               : "File",
                        {sourceName + (line ? ":" + std::to_string(line) : "")},
                        DetailRow::Kind::Mono}}};
        if (fromApi)
            g.rows.push_back({"From the Caracal API",
                              {"times to the millisecond, sensitive metadata withheld; merge a file export "
                               "(File > Merge) for the full copy"}});
        d.groups.push_back(std::move(g));
    }
    return d;
}

} // namespace caracal
