#pragma once
// One finding of the first-run checks, shared by the setup wizard and `caracal-trace setup-check`: what was
// checked, the verdict, what it means, the exact fix, and the troubleshooting rows ("table/row") that apply.
// Messages never carry a secret's value.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

enum class CheckStatus { Pass, Fail, Warn, Skip }; // Skip: the data cannot tell; a question for the user

std::string_view checkStatusName(CheckStatus status); // pass, fail, warn, skip

struct SetupCheck {
    std::string id; // stable: readiness.sts, profile.secret_file.mode, sts-403.scopes, ...
    CheckStatus status = CheckStatus::Skip;
    std::string message, fix;
    std::vector<std::string> rows;
    // A fix the wizard may apply after confirmation: "chmod600:<path>" or "open-folder:<path>".
    std::string action;
};

nlohmann::ordered_json checkToJson(const SetupCheck& check);
bool anyFailed(const std::vector<SetupCheck>& checks);

} // namespace caracal
