#include "EventGenerator.h"

#include "chain/ChainHash.h"
#include "chain/JsonbText.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <queue>
#include <vector>

namespace caracal::gen {

namespace {

using Json = nlohmann::ordered_json;

// xoshiro256**: small, fast and the same on every platform, so a seed always gives the same bytes.
class Rng {
  public:
    explicit Rng(uint64_t seed) {
        for (auto& s : m_s) {
            seed += 0x9e3779b97f4a7c15ull;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            s = z ^ (z >> 31);
        }
    }
    uint64_t next() {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    int64_t between(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
    }
    bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
    template <class T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
    template <class T, size_t N> const T& pick(const std::array<T, N>& v) { return v[below(N)]; }

  private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

std::string hex(Rng& rng, int chars) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < chars; ++i)
        s += digits[rng.below(16)];
    return s;
}

std::string uuid4(Rng& rng) {
    std::string h = hex(rng, 32);
    h[12] = '4';
    h[16] = "89ab"[rng.below(4)];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20);
}

std::string uuid7(Rng& rng, int64_t micros) {
    char ts[13];
    std::snprintf(ts, sizeof ts, "%012llx", static_cast<unsigned long long>(micros / 1000));
    std::string h = std::string(ts) + hex(rng, 20);
    h[12] = '7';
    h[16] = "89ab"[rng.below(4)];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20);
}

// Go's RFC3339Nano: trailing zeros of the fraction are dropped, and the fraction when it is zero.
std::string goTime(int64_t micros) {
    std::string s = formatUtcMicros(micros);
    s.pop_back(); // Z
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + "Z";
}

// JavaScript's toISOString: always milliseconds.
std::string jsTime(int64_t micros) {
    std::string s = formatUtcMicros(micros);
    return s.substr(0, 23) + "Z";
}

struct App {
    std::string id, name, key, lifecycle, registration;
    std::vector<std::string> labels, sessions, authorityRecords;
};

struct Resource {
    std::string id, host, authMode;
    std::vector<std::string> scopes;
};

struct SessionNode { // a Session in a zone's delegation tree
    size_t app;
    std::string session;
    int parent = -1; // index in the tree
    std::string edgeIntoThis;
    int depth = 0;
};

struct Zone {
    std::string id, policySet;
    std::vector<std::pair<std::string, std::string>> versions; // id, manifest sha
    size_t activeVersion = 0;
    std::vector<size_t> apps;
    std::vector<SessionNode> tree;
    int64_t graphEpoch = 1;
    // chain state, per zone
    std::string prevContent;
    int64_t chainSeq = 0;
};

const std::array<const char*, 9> kContractReasons = {
    "no_rule_matched",         "restriction_active",   "malformed_risk_data",
    "malformed_approval_data", "resource_not_granted", "delegation_scope_exceeded",
    "confinement_violation",   "role_scope_mismatch",  "mandate_target_mismatch"};

const std::array<const char*, 20> kStatusDenies = {"approval_invalid",
                                                   "approval_already_consumed",
                                                   "approval_rejected",
                                                   "approval_expired",
                                                   "approval_policy_changed",
                                                   "approval_class_conflict",
                                                   "resource_not_found",
                                                   "scope_mismatch",
                                                   "resource_outside_delegation",
                                                   "operation_not_permitted",
                                                   "rate_limited",
                                                   "control_resource_requires_control_key",
                                                   "provider_unavailable",
                                                   "credential_not_provisioned",
                                                   "credential_refresh_failed",
                                                   "credential_injection_denied",
                                                   "provider_credential_unavailable",
                                                   "exchange_denied",
                                                   "subject_federation_invalid",
                                                   "subject_federation_rejected"};

const std::array<const char*, 5> kEngineErrors = {
    "opa eval: data.caracal.authz.grants: undefined ref",
    "opa eval: 1 error occurred: policy.rego:42: eval_conflict_error: complete rules must not produce "
    "multiple outputs",
    "opa eval: context deadline exceeded", "opa eval: data.caracal.authz.risk: object insert conflict",
    "opa eval: rego_type_error: undefined function data.caracal.authz.tier"};

struct Pending {
    int64_t time;
    uint64_t order;
    Json event;
    bool operator>(const Pending& o) const { return time != o.time ? time > o.time : order > o.order; }
};

class Generator {
  public:
    Generator(const GeneratorOptions& o, std::ostream& out) : m_opt(o), m_out(out), m_rng(o.seed) {
        m_now = o.startMicros ? o.startMicros : daysFromCivil(2026, 11, 14) * 86400 * 1000000;
        build();
    }

    uint64_t run() {
        size_t coverage = 0;
        // A day-shaped run takes a coverage step every `stride` requests, so they end about two thirds in.
        const uint64_t expectedRequests = std::max<uint64_t>(1, m_opt.events / 3);  // a low estimate
        const uint64_t dayRequests = std::max<uint64_t>(1, m_opt.events * 10 / 19); // about 1.9 events each
        const uint64_t stride = m_opt.dayShape ? std::max<uint64_t>(1, expectedRequests / kCoverageSteps) : 1;
        const int64_t dayStart = m_now;
        for (uint64_t request = 0; m_written < m_opt.events; ++request) {
            m_now += m_opt.dayShape ? dayGap(m_now - dayStart, dayRequests)
                                    : m_rng.between(2000, std::max<int64_t>(2000, m_opt.maxGapMicros));
            flushUntil(m_now);
            // Events are queued by time and written once the clock passes them, so the file is in time order.
            Zone& zone = m_zones[m_rng.chance(0.4) ? 0 : m_rng.below(m_zones.size())];
            if (coverage < kCoverageSteps && request % stride == stride / 2)
                scenarioForCoverage(coverage++, zone);
            else
                randomScenario(zone);
        }
        flushUntil(INT64_MAX);
        return m_written;
    }

  private:
    static constexpr size_t kCoverageSteps = 9 + 1 + 20 + 14;

    // The wait before the next request at `sinceStart` into the day: traffic peaks in the early afternoon
    // (UTC) at about six times the rate of the small hours, and `requests` of them fill roughly 24 hours.
    int64_t dayGap(int64_t sinceStart, uint64_t requests) {
        const double hour = std::fmod(double(sinceStart) / 3.6e9, 24.0);
        const double rate = 0.25 + 1.25 * std::exp(-std::pow((hour - 13.5) / 4.5, 2.0));
        const double meanGap =
            86400e6 / double(requests) * 0.6; // 0.6: measured, so 4,000 events fill about 24 hours
        const double jitter = 0.1 + 1.8 * (double(m_rng.next() >> 11) * 0x1.0p-53); // 0.1 .. 1.9
        return std::max<int64_t>(2000, int64_t(meanGap * jitter / rate));
    }

    void build() {
        const std::vector<std::array<const char*, 3>> appSpecs = {
            {"payments-agent", "payments", "finance"},    {"research-bot", "research", "research"},
            {"triage-assistant", "triage", "support"},    {"deploy-runner", "deploy", "ops"},
            {"billing-sync", "billing", "finance"},       {"support-copilot", "support", "support"},
            {"data-pipeline", "pipeline", "batch"},       {"ops-orchestrator", "ops", "ops"},
            {"finance-reporter", "reporting", "finance"}, {"crm-enricher", "crm", "sales"},
            {"sec-scanner", "security", "security"},      {"docs-writer", "docs", "research"}};
        for (const auto& spec : appSpecs) {
            App a;
            a.id = uuid4(m_rng);
            a.name = spec[0];
            a.key = spec[1];
            a.lifecycle = m_rng.chance(0.7) ? "task" : "service";
            a.registration = m_rng.chance(0.6) ? "managed" : "dcr";
            a.labels = {spec[2]};
            if (m_rng.chance(0.5)) a.labels.push_back(m_rng.chance(0.5) ? "eu" : "us");
            if (m_rng.chance(0.2)) a.labels.push_back("prod-critical");
            for (int i = 0; i < 6; ++i)
                a.sessions.push_back(uuid4(m_rng));
            for (int i = 0; i < 3; ++i)
                a.authorityRecords.push_back(uuid4(m_rng));
            m_apps.push_back(std::move(a));
        }
        const std::vector<std::pair<const char*, std::vector<std::string>>> resourceSpecs = {
            {"pipernet", {"pipernet:read", "pipernet:write"}},
            {"piperchat", {"chat:read", "chat:post"}},
            {"ledger", {"ledger:read", "payments:write"}},
            {"crm", {"crm:read", "crm:write"}},
            {"github", {"repo:read", "repo:write", "issues:write"}},
            {"warehouse", {"warehouse:query"}},
            {"mailer", {"mail:send"}}};
        const std::array<const char*, 4> authModes = {"caracal_jwt", "provider_oauth", "provider_apikey",
                                                      "none"};
        for (const auto& [name, scopes] : resourceSpecs)
            m_resources.push_back({std::string("resource://") + name, std::string(name) + ".internal",
                                   authModes[m_resources.size() % 4], scopes});

        const std::array<const char*, 6> zoneNames = {"zone-prod-eu",  "zone-prod-us", "zone-staging",
                                                      "zone-research", "zone-sandbox", "zone-partners"};
        const int zoneCount = std::max(1, std::min<int>(m_opt.zones, 6));
        for (int z = 0; z < zoneCount; ++z) {
            Zone zone;
            zone.id = zoneNames[z];
            zone.policySet = uuid4(m_rng);
            for (int v = 0; v < 3; ++v)
                zone.versions.emplace_back(uuid4(m_rng), hex(m_rng, 64));
            for (size_t a = 0; a < m_apps.size(); ++a)
                if (m_rng.chance(0.7) || zone.apps.size() < 4) zone.apps.push_back(a);
            // Delegation tree: a few roots, children up to depth 4, each child owned by another app.
            for (int r = 0; r < 4; ++r)
                zone.tree.push_back({zone.apps[m_rng.below(zone.apps.size())], uuid4(m_rng)});
            for (int i = 0; i < 26; ++i) {
                const int parent = static_cast<int>(m_rng.below(zone.tree.size()));
                if (zone.tree[parent].depth >= 4) continue;
                SessionNode n{zone.apps[m_rng.below(zone.apps.size())], uuid4(m_rng), parent,
                              uuid7(m_rng, m_now - m_rng.between(1, 72) * 3600ll * 1000000),
                              zone.tree[parent].depth + 1};
                zone.tree.push_back(n);
            }
            m_zones.push_back(std::move(zone));
        }
    }

    // ---- event assembly ----
    struct Ev {
        Zone* zone;
        std::string type, request, decision, status;
        bool policyFields = true;
        Json determining = nullptr, diagnostics = nullptr, metadata = Json::object();
        int64_t time = 0;
        std::string id; // defaults to a UUIDv7 of the time
        std::string manifestOverride;
        bool withVersion = true;
    };

    void emit(Ev e) {
        Json j;
        j["id"] = e.id.empty() ? uuid7(m_rng, e.time) : e.id;
        j["zone_id"] = e.zone->id;
        j["event_type"] = e.type;
        j["request_id"] = e.request;
        j["decision"] = e.decision;
        if (e.policyFields) {
            const auto& version = e.zone->versions[e.zone->activeVersion];
            j["policy_set_id"] = e.zone->policySet;
            if (e.withVersion) j["policy_set_version_id"] = version.first;
            j["manifest_sha"] = e.manifestOverride.empty() ? version.second : e.manifestOverride;
        }
        j["evaluation_status"] = e.status;
        j["determining_policies_json"] = e.determining;
        j["diagnostics_json"] = e.diagnostics;
        if (!e.metadata.is_null()) j["metadata_json"] = e.metadata;
        const bool typescriptProducer =
            e.type == "control.invoke" || e.type == "credential_revealed" ||
            (e.type == "step_up_decided" && e.metadata.value("approver_plane", "") == "operator");
        if (typescriptProducer) e.time -= e.time % 1000; // JavaScript clocks tick in milliseconds
        j["occurred_at"] = typescriptProducer ? jsTime(e.time) : goTime(e.time);
        m_pending.push({e.time, m_order++, std::move(j)});
    }

    void flushUntil(int64_t t) {
        while (!m_pending.empty() && m_pending.top().time <= t && m_written < m_opt.events) {
            Pending p = m_pending.top();
            m_pending.pop();
            write(p.event, p.time);
        }
        if (m_written >= m_opt.events)
            while (!m_pending.empty())
                m_pending.pop();
    }

    Zone& zoneOf(const Json& event) {
        for (Zone& z : m_zones)
            if (z.id == event["zone_id"].get_ref<const std::string&>()) return z;
        // control.invoke without a zone chains under "unknown"
        m_unknownZone.id = "unknown";
        return m_unknownZone;
    }

    void write(const Json& event, int64_t micros) {
        ++m_written;
        if (!m_opt.searchRows) {
            m_line = event.dump();
            m_line += '\n';
            m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
            return;
        }
        Zone& zone = zoneOf(event);
        ChainInput in;
        in.id = event["id"];
        in.zoneId = event["zone_id"];
        in.eventType = event["event_type"];
        in.requestId = event["request_id"];
        in.decision = event["decision"];
        in.policySetId = event.value("policy_set_id", "");
        in.policySetVersionId = event.value("policy_set_version_id", "");
        in.manifestSha = event.value("manifest_sha", "");
        in.evaluationStatus = event["evaluation_status"];
        auto jsonField = [&](const char* key) -> const Json* {
            auto it = event.find(key);
            return it == event.end() ? nullptr : &*it;
        };
        in.determiningPoliciesJsonb = jsonbTextOrNull(jsonField("determining_policies_json"));
        in.diagnosticsJsonb = jsonbTextOrNull(jsonField("diagnostics_json"));
        in.metadataJsonb = jsonbTextOrNull(jsonField("metadata_json"));
        in.occurredAtMicros = micros;
        const std::string content = contentSha256(in);
        const std::string prev = zone.prevContent;
        const std::string hmac = chainHmac(m_opt.hmacKey, content, prev);
        zone.prevContent = content;
        ++zone.chainSeq;

        // The Go search row: struct field order, omitempty strings, JSON fields as compacted jsonb text.
        m_line = "{\"Event\":{";
        auto str = [&](const char* key, const std::string& v, bool omitEmpty) {
            if (omitEmpty && v.empty()) return;
            if (m_line.back() != '{') m_line += ',';
            m_line += '"';
            m_line += key;
            m_line += "\":";
            appendJsonbString(m_line, v);
        };
        auto raw = [&](const char* key, const Json* v, bool omitNull) {
            if (omitNull && (!v || v->is_null())) return;
            m_line += ",\"";
            m_line += key;
            m_line += "\":";
            if (!v || v->is_null())
                m_line += "null";
            else
                appendJsonb(m_line, *v, ",", ":");
        };
        str("id", in.id, false);
        str("zone_id", in.zoneId, false);
        str("event_type", in.eventType, false);
        str("request_id", in.requestId, false);
        str("decision", in.decision, false);
        str("policy_set_id", in.policySetId, true);
        str("policy_set_version_id", in.policySetVersionId, true);
        str("manifest_sha", in.manifestSha, true);
        str("evaluation_status", in.evaluationStatus, false);
        raw("determining_policies_json", jsonField("determining_policies_json"), false);
        raw("diagnostics_json", jsonField("diagnostics_json"), false);
        raw("metadata_json", jsonField("metadata_json"), true);
        m_line += ",\"occurred_at\":\"" + goTime(micros) + "\"}";
        m_line +=
            ",\"IngestedAt\":\"" + goTime(micros + 40000 + static_cast<int64_t>(m_rng.below(90000))) + "\"";
        m_line += ",\"ContentSHA256\":\"" + content + "\"";
        m_line += ",\"PrevContentSHA256\":\"" + prev + "\"";
        m_line += ",\"ChainHMAC\":\"" + hmac + "\"";
        m_line += ",\"ChainSeq\":" + std::to_string(zone.chainSeq) + "}\n";
        m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
    }

    // ---- building blocks ----
    const App& appIn(Zone& z) { return m_apps[z.apps[m_rng.below(z.apps.size())]]; }

    Json exchangeMetadata(Zone& z, const App& app, const Resource& res, int delegationHops) {
        Json m;
        m["application_id"] = app.id;
        m["application_name"] = app.name;
        m["application_registration_method"] = app.registration;
        m["resource"] = res.id;
        std::vector<std::string> scopes = {res.scopes[m_rng.below(res.scopes.size())]};
        if (res.scopes.size() > 1 && m_rng.chance(0.4)) scopes = res.scopes;
        m["requested_scopes"] = scopes;
        m["subject_kind"] = m_rng.chance(0.7) ? "application" : "user";
        m["agent_lifecycle"] = app.lifecycle;
        m["agent_labels"] = app.labels;
        if (m_rng.chance(0.5))
            m["session_id"] = app.authorityRecords[m_rng.below(app.authorityRecords.size())];
        if (delegationHops > 0) {
            // A Session at the wanted depth; its path to the root is the chain, root issuer first.
            std::vector<int> candidates;
            for (size_t i = 0; i < z.tree.size(); ++i)
                if (z.tree[i].depth == delegationHops) candidates.push_back(static_cast<int>(i));
            if (candidates.empty())
                for (size_t i = 0; i < z.tree.size(); ++i)
                    if (z.tree[i].depth > 0) candidates.push_back(static_cast<int>(i));
            if (!candidates.empty()) {
                std::vector<int> path;
                for (int n = candidates[m_rng.below(candidates.size())]; n >= 0; n = z.tree[n].parent)
                    path.push_back(n);
                std::reverse(path.begin(), path.end());
                Json chain = Json::array();
                for (size_t i = 0; i < path.size(); ++i) {
                    const SessionNode& node = z.tree[path[i]];
                    chain.push_back({{"application_id", m_apps[node.app].id},
                                     {"agent_session_id", node.session},
                                     {"delegation_edge_id",
                                      i + 1 < path.size() ? z.tree[path[i + 1]].edgeIntoThis : ""}});
                }
                const SessionNode& receiver = z.tree[path.back()];
                m["application_id"] = m_apps[receiver.app].id;
                m["application_name"] = m_apps[receiver.app].name;
                m["agent_session_id"] = receiver.session;
                m["agent_depth"] = receiver.depth;
                m["agent_parent_id"] = z.tree[receiver.parent].session;
                m["delegation_edge_id"] = receiver.edgeIntoThis;
                m["delegation_chain"] = chain;
                m["delegation_hop_count"] = static_cast<int>(path.size()) - 1;
                if (m_rng.chance(0.02)) ++z.graphEpoch;
                m["delegation_graph_epoch"] = z.graphEpoch;
                return m;
            }
        }
        m["agent_session_id"] = app.sessions[m_rng.below(app.sessions.size())];
        return m;
    }

    Json mintPolicy(const std::string& appName) {
        for (const App& a : m_apps)
            if (a.name == appName) return Json::array({{{"policy", "caracal-" + a.key + "-mint"}}});
        return Json::array({{{"policy", "caracal-workload-mint"}}});
    }

    std::string gatewayRequestId(const App& app) {
        if (m_rng.chance(0.2)) return "req-" + app.key + "-" + hex(m_rng, 4);
        return uuid4(m_rng);
    }

    int hops() { return m_rng.chance(0.35) ? static_cast<int>(m_rng.between(1, 4)) : 0; }

    void gatewayEvent(Zone& z, const std::string& request, const Json& exchangeMeta, const Resource& res,
                      int64_t t, const std::string& forcedStatus = {}) {
        Ev e{&z, "gateway_resource_request", request, "allow", "executed"};
        e.policyFields = false;
        e.time = t;
        Json m;
        const std::array<const char*, 5> methods = {"GET", "GET", "POST", "PUT", "DELETE"};
        m["application_id"] = exchangeMeta["application_id"];
        m["resource"] = res.id;
        m["subject_fingerprint"] = hex(m_rng, 16);
        m["method"] = methods[m_rng.below(methods.size())];
        m["trace_id"] = hex(m_rng, 32);
        m["subject_kind"] = exchangeMeta.value("subject_kind", "application");
        m["upstream_host"] = res.host;
        m["auth_mode"] = res.authMode;
        if (res.authMode.rfind("provider_", 0) == 0) {
            m["provider_id"] = "prov-" + res.host.substr(0, res.host.find('.'));
            m["connection_id"] = uuid4(m_rng);
        }
        const double roll = m_rng.next() % 1000 / 1000.0;
        std::string status = forcedStatus;
        if (status.empty())
            status = roll < 0.86   ? "executed"
                     : roll < 0.93 ? "upstream_rejected"
                     : roll < 0.97 ? "upstream_error"
                     : roll < 0.99 ? "build_failed"
                                   : "executed";
        e.status = status;
        int gatewayStatus = 200;
        if (status == "executed") {
            const int up = m_rng.chance(0.9) ? 200 : m_rng.chance(0.5) ? 201 : 304;
            m["upstream_status"] = up;
            m["result_class"] = up == 304 ? "redirect" : "success";
            m["response_bytes"] = m_rng.between(120, 90000);
            gatewayStatus = up;
            if (m_rng.chance(0.01)) m["revocation_interrupted"] = true;
        } else if (status == "upstream_rejected") {
            const std::array<int, 7> codes = {400, 403, 404, 409, 429, 500, 503};
            const int up = codes[m_rng.below(codes.size())];
            m["upstream_status"] = up;
            m["result_class"] = up >= 500 ? "server_error" : "client_error";
            m["response_bytes"] = m_rng.between(40, 900);
            gatewayStatus = up;
        } else if (status == "upstream_error") {
            const std::array<const char*, 4> kinds = {"transport_error", "upstream_not_addressable",
                                                      "provider_host_not_allowed", "response_copy_failed"};
            m["error_kind"] = kinds[m_rng.below(kinds.size())];
            m["result_class"] = "unknown";
            gatewayStatus = 502;
        } else {
            m["error_kind"] = "request_build_failed";
            gatewayStatus = 500;
        }
        m["gateway_status"] = gatewayStatus;
        m["latency_ms"] = m_rng.between(3, 1800);
        e.metadata = m;
        emit(std::move(e));
    }

    // ---- scenarios ----
    // An exchange through the Gateway: one token_exchange per resource, then the call, all under one request
    // id.
    void gatewayCall(Zone& z) {
        const App& app = appIn(z);
        const std::string request = gatewayRequestId(app);
        const int nres = m_rng.chance(0.8) ? 1 : 2;
        const int h = hops();
        int64_t t = m_now;
        Json lastMeta;
        const Resource* lastRes = nullptr;
        for (int i = 0; i < nres; ++i) {
            const Resource& res = m_resources[m_rng.below(m_resources.size())];
            Ev e{&z, "token_exchange", request, "allow", "complete"};
            e.metadata = exchangeMetadata(z, app, res, h);
            e.determining = mintPolicy(e.metadata["application_name"]);
            e.diagnostics = Json::array();
            if (m_rng.chance(0.15))
                e.diagnostics.push_back(
                    {{"risk", Json::array({{{"scope", e.metadata["requested_scopes"][0]},
                                            {"tier", m_rng.chance(0.5) ? "high" : "medium"}}})}});
            e.time = t;
            lastMeta = e.metadata;
            lastRes = &res;
            emit(std::move(e));
            t += m_rng.between(300, 4000);
        }
        gatewayEvent(z, request, lastMeta, *lastRes, t + m_rng.between(2000, 40000));
    }

    // An SDK mint straight at the STS: its own UUIDv7 request id and no Gateway event.
    void directMint(Zone& z) {
        const App& app = appIn(z);
        const Resource& res = m_resources[m_rng.below(m_resources.size())];
        Ev e{&z, "token_exchange", uuid7(m_rng, m_now), "allow", "complete"};
        e.metadata = exchangeMetadata(z, app, res, hops());
        e.determining = mintPolicy(e.metadata["application_name"]);
        e.diagnostics = Json::array();
        e.time = m_now;
        emit(std::move(e));
    }

    void policyDeny(Zone& z, const std::string& reason) {
        const App& app = appIn(z);
        const Resource& res = m_resources[m_rng.below(m_resources.size())];
        Ev e{&z, "token_exchange", gatewayRequestId(app), "deny", "complete"};
        e.metadata = exchangeMetadata(z, app, res, reason == "delegation_scope_exceeded" ? 2 : hops());
        e.determining = Json::array();
        e.diagnostics = Json::array({{{"reason", reason}}});
        if (reason == "no_active_policy_set") {
            e.manifestOverride = "no_active_policy_set";
            e.withVersion = false;
        }
        e.time = m_now;
        emit(std::move(e));
    }

    Json stepUpMeta(const App& app, const std::string& challenge, int64_t expires,
                    const std::string& approverClass) {
        Json m;
        m["challenge_id"] = challenge;
        m["tier"] = m_rng.chance(0.6) ? "high" : "medium";
        m["approver_class"] = approverClass;
        m["privacy_mode"] = m_rng.chance(0.85) ? "identified" : "pseudonymous";
        m["binding"] = hex(m_rng, 64);
        m["expires_at"] = goTime(expires);
        m["application_id"] = app.id;
        m["agent_session_id"] = app.sessions[m_rng.below(app.sessions.size())];
        m["agent_labels"] = app.labels;
        return m;
    }

    void statusDeny(Zone& z, const std::string& status) {
        const App& app = appIn(z);
        const std::string request = gatewayRequestId(app);
        if (status == "exchange_denied") {
            // Every resource refused: one deny per resource, then the exchange as a whole.
            Json requested = Json::array();
            for (int i = 0; i < 2; ++i) {
                const Resource& res = m_resources[m_rng.below(m_resources.size())];
                Ev e{&z, "token_exchange", request, "deny", "resource_not_found"};
                e.metadata = exchangeMetadata(z, app, res, 0);
                e.time = m_now + i * 400;
                requested.push_back(res.id);
                emit(std::move(e));
            }
            Ev e{&z, "token_exchange", request, "deny", "exchange_denied"};
            e.metadata = {
                {"application_id", app.id}, {"application_name", app.name}, {"requested", requested}};
            e.time = m_now + 900;
            emit(std::move(e));
            return;
        }
        const Resource& res = m_resources[m_rng.below(m_resources.size())];
        Ev e{&z, "token_exchange", request, "deny", status};
        e.metadata = exchangeMetadata(z, app, res, status == "resource_outside_delegation" ? 1 : 0);
        if (status.rfind("approval_", 0) == 0) {
            const Json su =
                stepUpMeta(app, uuid7(m_rng, m_now - 60000000), m_now + 1800ll * 1000000, "operator");
            for (auto it = su.begin(); it != su.end(); ++it)
                e.metadata[it.key()] = it.value();
        } else if (status == "provider_unavailable") {
            const std::array<const char*, 4> sub = {"provider_not_found", "no_user_principal",
                                                    "no_provider_connection", "no_provider"};
            e.metadata["reason"] = sub[m_rng.below(sub.size())];
        } else if (status == "credential_refresh_failed") {
            e.metadata["reason"] = "invalid_grant";
        } else if (status == "operation_not_permitted") {
            e.metadata["method"] = "DELETE";
            e.metadata["path"] = "/v1/records/" + hex(m_rng, 8);
        } else if (status == "subject_federation_invalid" || status == "subject_federation_rejected") {
            e.metadata["reason"] = status == "subject_federation_invalid"
                                       ? "token audience does not match the zone"
                                       : "issuer is not trusted for this zone";
        }
        e.time = m_now;
        emit(std::move(e));
    }

    void policyEvalFailed(Zone& z) {
        const App& app = appIn(z);
        Ev e{&z, "token_exchange", gatewayRequestId(app), "deny", "policy_eval_failed"};
        e.metadata = exchangeMetadata(z, app, m_resources[m_rng.below(m_resources.size())], 0);
        e.diagnostics = Json::array({{{"error", kEngineErrors[m_rng.below(kEngineErrors.size())]}}});
        e.time = m_now;
        emit(std::move(e));
    }

    // outcome: 0 approved and consumed, 1 rejected, 2 never decided
    void stepUp(Zone& z, int outcome) {
        const App& app = appIn(z);
        const Resource& res = m_resources[m_rng.below(m_resources.size())];
        const std::string request = gatewayRequestId(app);
        const std::string challenge = uuid7(m_rng, m_now);
        const bool subjectPlane = m_rng.chance(0.4);
        const std::string approverClass = subjectPlane ? "subject" : m_rng.chance(0.5) ? "operator" : "any";
        const Json su = stepUpMeta(app, challenge, m_now + 1800ll * 1000000, approverClass);

        Ev gate{&z, "token_exchange", request, "allow", "complete"};
        gate.metadata = exchangeMetadata(z, app, res, 0);
        gate.determining = mintPolicy(app.name);
        gate.diagnostics = Json::array({{{"step_up_required",
                                          {{"type", "human_approval"},
                                           {"tiers", Json::array({{{"tier", su["tier"]},
                                                                   {"approver", approverClass},
                                                                   {"privacy", su["privacy_mode"]},
                                                                   {"ttl_seconds", 1800}}})}}}}});
        gate.time = m_now;
        emit(std::move(gate));

        Ev issued{&z, "step_up_issued", request, "pending", "complete"};
        issued.metadata = su;
        issued.time = m_now + 800;
        emit(std::move(issued));
        if (outcome == 2) return;

        const int64_t decidedAt = m_now + m_rng.between(20, 900) * 1000000;
        Ev decided{&z, "step_up_decided", challenge, outcome == 0 ? "approved" : "rejected", "complete"};
        decided.policyFields = false;
        decided.metadata = su;
        if (subjectPlane) {
            decided.metadata["approver_plane"] = "subject";
            decided.metadata["approver_session_id"] = m_apps[z.apps[0]].sessions[0];
        } else {
            decided.metadata["approver_plane"] = "operator";
            decided.metadata["approver_subject_id"] =
                m_rng.chance(0.8) ? "console:acct-" + hex(m_rng, 4) : "admin:" + uuid4(m_rng);
            if (outcome == 1) decided.metadata["reason"] = "scope broader than the task needs";
        }
        decided.time = decidedAt;
        emit(std::move(decided));

        if (outcome == 0) {
            const int64_t consumedAt = decidedAt + m_rng.between(1, 60) * 1000000;
            Ev consumed{&z, "step_up_consumed", request, "consumed", "complete"};
            consumed.metadata = su;
            consumed.time = consumedAt;
            emit(std::move(consumed));
            Ev mint{&z, "token_exchange", request, "allow", "complete"};
            mint.metadata = exchangeMetadata(z, app, res, 0);
            mint.determining = mintPolicy(app.name);
            mint.diagnostics = Json::array();
            mint.time = consumedAt + 1500;
            emit(std::move(mint));
        } else if (m_rng.chance(0.5)) {
            Ev retry{&z, "token_exchange", request, "deny", "approval_rejected"};
            retry.metadata = exchangeMetadata(z, app, res, 0);
            for (auto it = su.begin(); it != su.end(); ++it)
                retry.metadata[it.key()] = it.value();
            retry.time = decidedAt + m_rng.between(1, 30) * 1000000;
            emit(std::move(retry));
        }
    }

    void runLaunch(Zone& z) {
        const bool ok = m_rng.chance(0.85);
        Ev e{&z, "run_launch", uuid7(m_rng, m_now), ok ? "allow" : "deny",
             ok ? "complete" : "workload_auth_failed"};
        const std::array<const char*, 4> names = {"nightly-etl", "invoice-batch", "index-rebuild",
                                                  "report-export"};
        e.metadata = {{"workload_id", uuid4(m_rng)},
                      {"workload_name", names[m_rng.below(names.size())]},
                      {"binding_count", m_rng.between(1, 5)}};
        if (m_rng.chance(0.7)) e.metadata["launch_id"] = uuid4(m_rng);
        if (ok) e.determining = Json::array({{{"policy", "caracal-workload-mint"}}});
        e.time = m_now;
        emit(std::move(e));
    }

    void jtiCollision(Zone& z) {
        const App& app = appIn(z);
        const std::string request = uuid7(m_rng, m_now);
        Ev e{&z, "jti_collision", request, "deny", "anomaly"};
        e.metadata = {{"jti", uuid4(m_rng)}, {"app_id", app.id}, {"request_id", request}};
        e.time = m_now;
        emit(std::move(e));
    }

    void replayDetected(Zone& z) {
        const App& app = appIn(z);
        const std::string request = uuid4(m_rng);
        Ev e{&z, "replay_detected", request, "deny", "anomaly"};
        e.policyFields = false;
        e.metadata = {{"jti", uuid4(m_rng)},
                      {"resource", m_resources[m_rng.below(m_resources.size())].id},
                      {"client_id", app.id},
                      {"subject_fp", hex(m_rng, 16)},
                      {"request_id", request}};
        e.time = m_now;
        emit(std::move(e));
    }

    void controlInvoke(Zone& z) {
        const std::string id = hex(m_rng, 32);
        const bool allowed = m_rng.chance(0.85);
        Zone* zone = &z;
        if (m_rng.chance(0.1)) {
            m_unknownZone.id = "unknown";
            zone = &m_unknownZone;
        }
        Ev e{zone, "control.invoke", id, allowed ? "allow" : "deny", "complete"};
        e.id = id;
        e.policyFields = false;
        const std::array<std::pair<const char*, const char*>, 5> commands = {{{"audit", "tail"},
                                                                              {"explain", ""},
                                                                              {"policy", "simulate"},
                                                                              {"sessions", "list"},
                                                                              {"delegation", "revoke"}}};
        const auto& cmd = commands[m_rng.below(commands.size())];
        e.metadata = {{"subject", "operator:" + hex(m_rng, 6)},
                      {"jti", allowed ? uuid4(m_rng) : ""},
                      {"client_id", m_rng.chance(0.5) ? m_apps[0].id : ""},
                      {"command", cmd.first},
                      {"subcommand", cmd.second},
                      {"reason", allowed ? "" : "missing control scope"},
                      {"idempotency_key", m_rng.chance(0.3) ? uuid4(m_rng) : ""},
                      {"authorized_by", allowed ? "control-key" : ""}};
        e.time = m_now;
        emit(std::move(e));
    }

    void credentialRevealed(Zone& z) {
        Ev e{&z, "credential_revealed", uuid4(m_rng), "allow", "complete"};
        e.policyFields = false;
        if (m_rng.chance(0.7))
            e.metadata = {{"credential", "application_client_secret"}, {"application_id", appIn(z).id}};
        else
            e.metadata = {{"credential", "workload_secret"}, {"workload_id", uuid4(m_rng)}};
        e.time = m_now;
        emit(std::move(e));
    }

    // The first requests walk every reason, status and type once, so even a small sample covers them all.
    void scenarioForCoverage(size_t step, Zone& z) {
        if (step < 9) return policyDeny(z, kContractReasons[step]);
        if (step == 9) return policyDeny(z, "no_active_policy_set");
        if (step < 30) return statusDeny(z, kStatusDenies[step - 10]);
        switch (step - 30) {
        case 0:
            return policyEvalFailed(z);
        case 1:
            return stepUp(z, 0);
        case 2:
            return stepUp(z, 1);
        case 3:
            return stepUp(z, 2);
        case 4:
            return runLaunch(z);
        case 5:
            return jtiCollision(z);
        case 6:
            return replayDetected(z);
        case 7:
            return controlInvoke(z);
        case 8:
            return credentialRevealed(z);
        case 9:
            return directMint(z);
        case 10:
            return gatewayEvent(z, gatewayRequestId(appIn(z)),
                                exchangeMetadata(z, appIn(z), m_resources[0], 0), m_resources[0], m_now,
                                "upstream_error");
        case 11:
            return gatewayEvent(z, gatewayRequestId(appIn(z)),
                                exchangeMetadata(z, appIn(z), m_resources[1], 0), m_resources[1], m_now,
                                "build_failed");
        case 12:
            return gatewayEvent(z, gatewayRequestId(appIn(z)),
                                exchangeMetadata(z, appIn(z), m_resources[2], 0), m_resources[2], m_now,
                                "upstream_rejected");
        default:
            return gatewayCall(z);
        }
    }

    void randomScenario(Zone& z) {
        if (m_rng.chance(0.0005))
            z.activeVersion = (z.activeVersion + 1) % z.versions.size(); // a policy rollout
        const uint64_t roll = m_rng.below(1000);
        if (roll < 440) return gatewayCall(z);
        if (roll < 540) return directMint(z);
        if (roll < 640)
            return policyDeny(z, m_rng.chance(0.03) ? "no_active_policy_set"
                                                    : kContractReasons[m_rng.below(kContractReasons.size())]);
        if (roll < 730) return statusDeny(z, kStatusDenies[m_rng.below(kStatusDenies.size())]);
        if (roll < 745) return policyEvalFailed(z);
        if (roll < 805) return stepUp(z, m_rng.chance(0.75) ? 0 : m_rng.chance(0.6) ? 1 : 2);
        if (roll < 840) return runLaunch(z);
        if (roll < 845) return jtiCollision(z);
        if (roll < 860) return replayDetected(z);
        if (roll < 960) return controlInvoke(z);
        return credentialRevealed(z);
    }

    GeneratorOptions m_opt;
    std::ostream& m_out;
    Rng m_rng;
    int64_t m_now = 0;
    uint64_t m_written = 0, m_order = 0;
    std::vector<App> m_apps;
    std::vector<Resource> m_resources;
    std::vector<Zone> m_zones;
    Zone m_unknownZone;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_pending;
    std::string m_line;
};

} // namespace

uint64_t generate(const GeneratorOptions& options, std::ostream& out) {
    return Generator(options, out).run();
}

} // namespace caracal::gen
