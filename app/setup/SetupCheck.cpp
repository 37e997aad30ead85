#include "setup/SetupCheck.h"

#include <algorithm>

namespace caracal {

std::string_view checkStatusName(CheckStatus status) {
    switch (status) {
    case CheckStatus::Pass:
        return "pass";
    case CheckStatus::Fail:
        return "fail";
    case CheckStatus::Warn:
        return "warn";
    case CheckStatus::Skip:
        break;
    }
    return "skip";
}

nlohmann::ordered_json checkToJson(const SetupCheck& c) {
    return {{"id", c.id},
            {"status", std::string(checkStatusName(c.status))},
            {"message", c.message},
            {"fix", c.fix},
            {"rows", c.rows}};
}

bool anyFailed(const std::vector<SetupCheck>& checks) {
    return std::any_of(checks.begin(), checks.end(),
                       [](const SetupCheck& c) { return c.status == CheckStatus::Fail; });
}

} // namespace caracal
