#pragma once
// "My first protected call failed": from a request id, a pasted error body or the kind of failure, find the
// request in the loaded data (its absence is the Missing Audit Events case) and walk the matching first-run
// checklist (STS 403, Gateway 403, Upstream Unreachable, Missing Audit Events). What the events answer is
// ticked off as pass or fail; the rest stays a question for the user (skip).
#include "setup/SetupCheck.h"
#include "store/EventStore.h"

#include <string>
#include <vector>

namespace caracal {

struct FirstCallInput {
    enum class Kind { Auto, Sts403, Gateway403, Upstream };
    Kind kind = Kind::Auto;
    std::string requestId;
    std::string errorBody;
    std::string zone; // the zone guided setup used, when known
};

struct FirstCallReport {
    std::string
        scenario; // sts-403, gateway-403, upstream-unreachable, missing-audit-events, succeeded, unknown
    std::string summary;
    std::string requestId;
    std::vector<RowId> events; // the request's events, time order
    std::vector<SetupCheck> checks;
};

FirstCallReport checkFirstCall(const EventStore& store, const FirstCallInput& input);

} // namespace caracal
