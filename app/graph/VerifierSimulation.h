#pragma once
// What Caracal's in-process verifier would answer for a delegation chain, checked in the order its verify()
// checks after the JWT itself: session, delegation, hop count, required applications in the chain.
#include "store/EventStore.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

struct VerifierSettings {
    bool requireSession = false;
    bool requireDelegation = false;
    int maxHopCount = 0;                           // 0 or less: Caracal's default of 10
    std::vector<std::string> requireChainContains; // application ids
    int effectiveMaxHopCount() const { return maxHopCount > 0 ? maxHopCount : 10; }
};

// The mandate claims a verifier looks at, as audit metadata mirrors them.
struct ChainClaims {
    std::string agentSessionId, delegationEdgeId;
    int hopCount = 0; // delegation_hop_count (the path length), else the chain's length less one
    std::vector<std::string> chainApplications; // delegation_chain[].application_id, root first
    std::vector<std::string> chainEdges;        // delegation_chain[].delegation_edge_id that are set
    int64_t occurredMicros = 0;                 // when the call happened
    // Edges of the chain that had ended before the call (from the Coordinator's revoked_at / expires_at).
    struct EndedEdge {
        std::string edgeId, cause, endedAt; // cause: revoked or expired
        size_t laterUses = 0, laterAllowed = 0;
    };
    std::vector<EndedEdge> endedEdges;
    bool endKnown = false; // some edge of the chain has Coordinator data, so ends could be checked
};
ChainClaims claimsFromEvent(const nlohmann::ordered_json& event);
class DelegationGraph;
// Adds to `claims` the edges of its chain that `graph` knows ended before the call, with how many events used
// each afterwards and how many of those were allowed.
void addEdgeEnds(ChainClaims& claims, const DelegationGraph& graph, const EventStore& store);

struct VerifierCheck {
    enum class Result { Passed, Failed, NotChecked, Off };
    std::string name; // what the check asks
    std::string code; // the code it returns when it fails
    Result result = Result::Off;
    std::string detail; // the values compared
};

struct VerifierOutcome {
    std::string code;                  // empty: the verifier accepts the chain
    std::string message;               // the verifier's message for the code
    int httpStatus = 200;              // the verify engine answers 403 for every one of these codes
    std::string missingApplicationId;  // chain_mismatch's details.missingApplicationId
    std::vector<VerifierCheck> checks; // all four, in order
    std::vector<std::string> rows;     // troubleshooting row addresses for the code
    // What the checks above cannot say: an edge that had expired before the call. The verifier's own checks
    // may pass, yet the chain is not one to accept.
    std::vector<std::string> findings;
    bool accepted() const { return code.empty() && findings.empty(); }
};

VerifierOutcome simulateVerifier(const ChainClaims& claims, const VerifierSettings& settings);
std::string_view verifierResultName(VerifierCheck::Result result); // passed, failed, not checked, off
nlohmann::ordered_json verifierOutcomeToJson(const VerifierOutcome& outcome);

} // namespace caracal
