#pragma once
// Our DecisionTrace beside Caracal's own explain answer: every place where they differ, as a JSON pointer
// with both values and, where the cause is known, why (the API shows redacted metadata that Caracal's explain
// reads raw; an event is only on one side; times cut to the millisecond).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

struct ExplainDifference {
    std::string path; // JSON pointer into the DecisionTrace, events named by id: /events/<id>/decision
    std::string ours, caracals; // compact JSON; "(absent)" when one side lacks the value
    std::string why;            // a known cause, or empty
};

// Compares Caracal's keys (final_decision, denied, events); our extra keys are not Caracal's and are ignored.
// Entries of denied and events are matched by event id, not by position.
std::vector<ExplainDifference> compareExplain(const nlohmann::ordered_json& ours,
                                              const nlohmann::ordered_json& caracals);

// The trace with only Caracal's keys, in Caracal's order (what compareExplain compares).
nlohmann::ordered_json caracalPart(const nlohmann::ordered_json& trace);

nlohmann::ordered_json differencesToJson(const std::vector<ExplainDifference>& differences);

} // namespace caracal
