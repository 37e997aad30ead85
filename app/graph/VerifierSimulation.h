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
};
ChainClaims claimsFromEvent(const nlohmann::ordered_json& event);

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
};

VerifierOutcome simulateVerifier(const ChainClaims& claims, const VerifierSettings& settings);
std::string_view verifierResultName(VerifierCheck::Result result); // passed, failed, not checked, off
nlohmann::ordered_json verifierOutcomeToJson(const VerifierOutcome& outcome);

} // namespace caracal
