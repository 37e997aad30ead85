#pragma once
// How one request flowed and why it ended as it did: its events in time order on the surface that produced
// each, Caracal's final-decision rule, every denied decision with the policy input Caracal's explain route
// reconstructs (schema 2026-05-20), step-up flows joined across the challenge id, what is missing, the policy
// versions behind the decisions, and every code with its troubleshooting rows.
#include "catalog/TroubleshootingLinker.h"
#include "store/EventStore.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct TraceStep {
    RowId row = 0;
    Surface surface = Surface::Unknown;
    int64_t sincePreviousMicros = 0; // 0 for the first step
    bool joined = false;             // not under this request id: a step_up_decided found by its challenge id
};

struct StepUpFlow {
    std::string challengeId, tier, approver, state; // state: pending, approved, rejected, consumed
    std::optional<RowId> issued, decided, consumed;
    int64_t timeToDecideMicros = -1;
};

struct TraceFinding { // something missing or inconsistent, said plainly
    std::string kind, message;
    std::optional<RowId> row;
};

struct RequestTrace {
    std::string zone, requestId;
    std::vector<RowId> events;    // the request's own events, time order (what Caracal's by-request returns)
    std::vector<TraceStep> steps; // events plus joined approval decisions, time order
    std::string finalDecision;    // deny if any event denies, else the last event's decision, else unknown
    std::vector<RowId> denied;
    std::vector<StepUpFlow> stepUps;
    std::vector<TraceFinding> missing;
    std::vector<std::pair<std::string, std::string>>
        policyVersions; // (version id, manifest sha), first seen order
};

// The zones that hold events of a request id.
std::vector<std::string> zonesOfRequest(const EventStore& store, std::string_view requestId);
// Builds the trace of (zone, request id); nullopt when the store holds no such event.
std::optional<RequestTrace> buildRequestTrace(const EventStore& store, std::string_view zone,
                                              std::string_view requestId);

// Caracal's explain reconstruction of the policy input for an event (built from its metadata as loaded).
nlohmann::ordered_json reconstructPolicyInput(const nlohmann::ordered_json& event);

// Caracal's DecisionTrace JSON (request_id, zone_id, final_decision, denied, events) plus our additions under
// their own keys: surfaces, missing, step_up, codes, policy_versions.
nlohmann::ordered_json traceToJson(const RequestTrace& trace, const EventStore& store);
std::string traceToText(const RequestTrace& trace, const EventStore& store);

} // namespace caracal
