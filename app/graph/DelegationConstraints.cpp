#include "graph/DelegationConstraints.h"

#include "util/JsonField.h"

namespace caracal {

using Json = nlohmann::ordered_json;

bool DelegationConstraints::empty() const {
    return !maxHops && !maxDepth && !budget && !ttlSeconds && !policyApproved && expiresAt.empty() &&
           broadReason.empty() && resources.empty() && other.empty();
}

DelegationConstraints DelegationConstraints::decode(const Json& value) {
    DelegationConstraints c;
    Json object = value;
    if (value.is_string()) {
        std::string error;
        object = jsonfield::parse<Json>(value.get<std::string>(), error);
        if (object.is_discarded()) {
            c.problems.push_back("constraints_json is a string that is not JSON (" + error + ")");
            return c;
        }
    }
    if (object.is_null()) return c;
    if (!object.is_object()) {
        c.problems.push_back("constraints_json is not an object");
        return c;
    }
    auto integer = [&](const std::string& key, const Json& v, std::optional<int>& out) {
        if (const auto n = jsonfield::intValue(v))
            out = *n;
        else
            c.problems.push_back(key +
                                 (v.is_number_integer() || v.is_number_unsigned()
                                      ? " is beyond the range of an int (2147483647): "
                                      : " is not an integer: ") +
                                 v.dump());
    };
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string& key = it.key();
        const Json& v = it.value();
        if (key == "max_hops")
            integer(key, v, c.maxHops);
        else if (key == "max_depth")
            integer(key, v, c.maxDepth);
        else if (key == "budget")
            integer(key, v, c.budget);
        else if (key == "ttl_seconds")
            integer(key, v, c.ttlSeconds);
        else if (key == "policy_approved" && v.is_boolean())
            c.policyApproved = v.get<bool>();
        else if (key == "expires_at" && v.is_string())
            c.expiresAt = v.get<std::string>();
        else if (key == "broad_reason" && v.is_string())
            c.broadReason = v.get<std::string>();
        else if (key == "resources" && v.is_array()) {
            for (const Json& r : v)
                if (r.is_string())
                    c.resources.push_back(r.get<std::string>());
                else
                    c.problems.push_back("resources holds a value that is not a string: " + r.dump());
        } else if (key == "policy_approved" || key == "expires_at" || key == "broad_reason" ||
                   key == "resources")
            c.problems.push_back(key + " has the wrong type: " + v.dump());
        else
            c.other.emplace_back(key, v.dump());
    }
    return c;
}

std::vector<std::pair<std::string, std::string>> DelegationConstraints::describe() const {
    std::vector<std::pair<std::string, std::string>> rows;
    if (maxHops) rows.emplace_back("Max hops", std::to_string(*maxHops));
    if (maxDepth) rows.emplace_back("Max depth", std::to_string(*maxDepth));
    if (ttlSeconds) rows.emplace_back("Max TTL", std::to_string(*ttlSeconds) + " s");
    if (!expiresAt.empty()) rows.emplace_back("Hard expiry", expiresAt);
    if (!resources.empty()) {
        std::string list;
        for (const auto& r : resources)
            list += (list.empty() ? "" : ", ") + r;
        rows.emplace_back("Resource set", list);
    }
    if (budget) rows.emplace_back("Budget", std::to_string(*budget) + " (a narrowing bound, not a counter)");
    if (policyApproved) rows.emplace_back("Policy approval metadata", *policyApproved ? "yes" : "no");
    if (!broadReason.empty()) rows.emplace_back("Broad-delegation note", broadReason);
    for (const auto& [key, json] : other)
        rows.emplace_back(key, json);
    return rows;
}

} // namespace caracal
