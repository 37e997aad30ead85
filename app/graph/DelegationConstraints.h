#pragma once
// The typed constraints of a delegation edge (the Coordinator's constraints_json), decoded so a person can
// read them. Unknown keys are kept and shown as they are: a newer Coordinator may add some.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct DelegationConstraints {
    std::optional<int> maxHops, maxDepth, budget, ttlSeconds;
    std::optional<bool> policyApproved;
    std::string expiresAt, broadReason;
    std::vector<std::string> resources;
    std::vector<std::pair<std::string, std::string>> other; // key, compact JSON
    std::vector<std::string> problems;                      // values of the wrong type, said plainly

    bool empty() const;
    // Accepts an object or a JSON string holding one (jsonb text); anything else is a problem.
    static DelegationConstraints decode(const nlohmann::ordered_json& value);
    // (label, value) rows in the order the web console shows them: Max hops, Max depth, Max TTL, Hard expiry,
    // Resource set, Budget, Policy approval metadata, Broad-delegation note, then unknown keys.
    std::vector<std::pair<std::string, std::string>> describe() const;
    // Effective max hops: max_hops, else max_depth (the Coordinator copies it), else Caracal's default of 1.
    int effectiveMaxHops() const { return maxHops ? *maxHops : maxDepth ? *maxDepth : 1; }
};

} // namespace caracal
