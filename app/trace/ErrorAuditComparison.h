#pragma once
// A pasted error body held against what the audit recorded for its request: does the audit agree that the
// request was refused, and for which reason? A 403 `access_denied` says little; the deny event behind it
// names the real reason (`no_rule_matched`, `rate_limited`, ...). Some refusals are never audited (STS
// delegation checks, Gateway pre-forward rejections), which is why an allow in the audit is worth saying.
#include "catalog/ErrorBodyExplainer.h"
#include "trace/RequestTrace.h"

#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct ErrorAuditComparison {
    enum class Verdict {
        NoRequestId,    // the body names no request
        NotLoaded,      // its request is not in the loaded data
        Agrees,         // the audit records the same refusal, with the same code
        AgreesDecision, // the audit records the refusal; its events name a more precise reason
        Disagrees,      // the audit records something else (an allow, another reason)
    };
    Verdict verdict = Verdict::NoRequestId;
    std::string requestId, zone;
    std::vector<std::string> zones; // every zone holding the request (the first is compared)
    std::string pastedCode;
    std::string auditDecision;             // the trace's final decision
    std::optional<std::string> realReason; // the first deny's reason, by the deny reason box's rule
    std::vector<std::string> auditCodes;   // every reason and code the request's events carry
    std::optional<RowId> decidingRow;      // the first denied event (else the last event)
    std::string message;                   // one or two sentences a person can act on
};

const char* verdictName(ErrorAuditComparison::Verdict verdict);

ErrorAuditComparison compareErrorWithAudit(const ExplainedError& error, const EventStore& store);

} // namespace caracal
