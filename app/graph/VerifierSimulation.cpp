#include "graph/VerifierSimulation.h"

#include "catalog/TroubleshootingCatalog.h"
#include "graph/DelegationGraph.h"
#include "util/CountText.h"
#include "util/JsonField.h"
#include "util/Timestamp.h"

#include <algorithm>

namespace caracal {

using Json = nlohmann::ordered_json;

ChainClaims claimsFromEvent(const Json& event) {
    ChainClaims c;
    auto meta = event.find("metadata_json");
    if (meta == event.end() || !meta->is_object()) return c;
    auto text = [&](const char* key) {
        auto it = meta->find(key);
        return it != meta->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    c.agentSessionId = text("agent_session_id");
    c.delegationEdgeId = text("delegation_edge_id");
    if (auto chain = meta->find("delegation_chain"); chain != meta->end() && chain->is_array()) {
        for (const Json& hop : *chain) {
            if (hop.is_object() && hop.contains("application_id") && hop["application_id"].is_string())
                c.chainApplications.push_back(hop["application_id"].get<std::string>());
            if (hop.is_object() && hop.contains("delegation_edge_id") &&
                hop["delegation_edge_id"].is_string() &&
                !hop["delegation_edge_id"].get<std::string>().empty())
                c.chainEdges.push_back(hop["delegation_edge_id"].get<std::string>());
        }
        c.hopCount = std::max(0, static_cast<int>(chain->size()) - 1);
    }
    if (auto n = meta->find("delegation_hop_count"); n != meta->end())
        if (const auto hops = jsonfield::intValue(*n)) c.hopCount = *hops;
    if (!c.delegationEdgeId.empty() &&
        std::find(c.chainEdges.begin(), c.chainEdges.end(), c.delegationEdgeId) == c.chainEdges.end())
        c.chainEdges.push_back(c.delegationEdgeId);
    if (auto t = event.find("occurred_at"); t != event.end() && t->is_string())
        c.occurredMicros = parseRfc3339Micros(t->get<std::string>()).value_or(0);
    return c;
}

void addEdgeEnds(ChainClaims& claims, const DelegationGraph& graph, const EventStore& store) {
    for (const std::string& id : claims.chainEdges) {
        const auto e = graph.findEdge(id);
        if (!e || !graph.edges()[*e].fromCoordinator) continue;
        claims.endKnown = true;
        const auto late = graph.lateUse(*e, store);
        if (!late || claims.occurredMicros <= late->endedMicros) continue;
        claims.endedEdges.push_back(
            {id, late->cause, late->endedAt, late->events.size(), late->allowed.size()});
    }
}

std::string_view verifierResultName(VerifierCheck::Result result) {
    switch (result) {
    case VerifierCheck::Result::Passed:
        return "passed";
    case VerifierCheck::Result::Failed:
        return "failed";
    case VerifierCheck::Result::NotChecked:
        return "not checked";
    case VerifierCheck::Result::Off:
        break;
    }
    return "off";
}

VerifierOutcome simulateVerifier(const ChainClaims& claims, const VerifierSettings& settings) {
    using R = VerifierCheck::Result;
    VerifierOutcome out;
    auto check = [&](std::string name, std::string code, bool enabled, bool passes, std::string detail,
                     std::string message) {
        VerifierCheck c{std::move(name), code, R::Off, std::move(detail)};
        if (!out.code.empty())
            c.result = enabled ? R::NotChecked : R::Off; // the verifier stops at the first failure
        else if (enabled) {
            c.result = passes ? R::Passed : R::Failed;
            if (!passes) {
                out.code = code;
                out.message = std::move(message);
                out.httpStatus = 403;
            }
        }
        out.checks.push_back(std::move(c));
    };
    check("A Session is behind the call", "session_required", settings.requireSession,
          !claims.agentSessionId.empty(),
          claims.agentSessionId.empty() ? "agent_session_id is empty"
                                        : "agent_session_id " + claims.agentSessionId,
          "The verifier requires a Session (agent_session_id) and the mandate has none.");
    check("The call carries a delegation", "delegation_required", settings.requireDelegation,
          !claims.delegationEdgeId.empty(),
          claims.delegationEdgeId.empty() ? "delegation_edge_id is empty"
                                          : "delegation_edge_id " + claims.delegationEdgeId,
          "The verifier requires delegated authority (delegation_edge_id) and the mandate has none.");
    const int max = settings.effectiveMaxHopCount();
    check("Hop count within the maximum", "hop_count_exceeded", true, claims.hopCount <= max,
          "hop_count " + std::to_string(claims.hopCount) + ", maximum " + std::to_string(max) +
              (settings.maxHopCount > 0 ? "" : " (the default)"),
          "The chain has " + std::to_string(claims.hopCount) + " hops; the verifier allows " +
              std::to_string(max) + ".");
    std::string missing;
    for (const auto& app : settings.requireChainContains)
        if (std::find(claims.chainApplications.begin(), claims.chainApplications.end(), app) ==
            claims.chainApplications.end()) {
            missing = app;
            break;
        }
    std::string required;
    for (const auto& app : settings.requireChainContains)
        required += (required.empty() ? "" : ", ") + app;
    check("The chain contains the required applications", "chain_mismatch",
          !settings.requireChainContains.empty(), missing.empty(),
          settings.requireChainContains.empty() ? "no application required"
          : missing.empty()                     ? "found " + required
                                                : "missing " + missing,
          "Delegation chain missing application: " + missing);
    // Revocation anchors: a verifier with revocation data refuses a mandate whose delegation was revoked.
    std::string revoked, revokedAt;
    for (const auto& ended : claims.endedEdges)
        if (ended.cause == "revoked" && revoked.empty()) {
            revoked = ended.edgeId;
            revokedAt = ended.endedAt;
        }
    check("No delegation edge of the chain was revoked before the call", "session_revoked", claims.endKnown,
          revoked.empty(),
          !claims.endKnown  ? "no Coordinator data for the chain's edges"
          : revoked.empty() ? "none revoked before the call"
                            : "edge " + revoked + " revoked at " + revokedAt,
          "Delegation edge " + revoked + " was revoked at " + revokedAt +
              ", before this call; a verifier that follows revocations answers session_revoked.");
    if (out.code == "session_revoked")
        out.httpStatus = 401; // revocation anchors are a 401 in the verify engine
    for (const auto& ended : claims.endedEdges)
        out.findings.push_back(
            "Edge " + ended.edgeId + " " + ended.cause + " at " + ended.endedAt + ", before this call; " +
            countText(ended.laterUses, "event", "events") + " used it afterwards, " +
            groupedNumber(ended.laterAllowed) +
            " of them allowed. The STS refuses a mint through an ended edge (\"delegation edge "
            "inactive or expired\").");
    if (out.code == "chain_mismatch") out.missingApplicationId = missing;
    if (!out.code.empty())
        if (const auto* entry = TroubleshootingCatalog::instance().findCode(out.code))
            out.rows = entry->related;
    return out;
}

Json verifierOutcomeToJson(const VerifierOutcome& outcome) {
    Json checks = Json::array();
    for (const auto& c : outcome.checks)
        checks.push_back({{"check", c.name},
                          {"code", c.code},
                          {"result", std::string(verifierResultName(c.result))},
                          {"detail", c.detail}});
    Json j = {{"valid", outcome.accepted()}, {"code", outcome.code.empty() ? Json() : Json(outcome.code)}};
    if (!outcome.findings.empty()) j["findings"] = outcome.findings;
    if (!outcome.code.empty()) {
        j["http_status"] = outcome.httpStatus;
        j["message"] = outcome.message;
        if (!outcome.missingApplicationId.empty())
            j["details"] = {{"missingApplicationId", outcome.missingApplicationId}};
        j["rows"] = outcome.rows;
    }
    j["checks"] = std::move(checks);
    return j;
}

} // namespace caracal
