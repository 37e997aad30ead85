#include "trace/ErrorAuditComparison.h"

#include "catalog/DenyReasonCatalog.h"
#include "catalog/TroubleshootingLinker.h"
#include "present/EventPresentation.h"

#include <algorithm>

namespace caracal {

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}
void addOnce(std::vector<std::string>& v, const std::string& s) {
    if (!s.empty() && !contains(v, s)) v.push_back(s);
}
} // namespace

const char* verdictName(ErrorAuditComparison::Verdict v) {
    switch (v) {
    case ErrorAuditComparison::Verdict::NoRequestId:
        return "no_request_id";
    case ErrorAuditComparison::Verdict::NotLoaded:
        return "not_loaded";
    case ErrorAuditComparison::Verdict::Agrees:
        return "agrees";
    case ErrorAuditComparison::Verdict::AgreesDecision:
        return "agrees_on_decision";
    case ErrorAuditComparison::Verdict::Disagrees:
        break;
    }
    return "disagrees";
}

ErrorAuditComparison compareErrorWithAudit(const ExplainedError& error, const EventStore& store) {
    using Verdict = ErrorAuditComparison::Verdict;
    ErrorAuditComparison c;
    c.requestId = error.requestId;
    c.pastedCode = error.code;
    if (c.requestId.empty()) {
        c.message = "The body names no request id, so it cannot be compared with the audit.";
        return c;
    }
    c.zones = zonesOfRequest(store, c.requestId);
    std::optional<RequestTrace> trace;
    if (!c.zones.empty()) {
        c.zone = c.zones.front();
        trace = buildRequestTrace(store, c.zone, c.requestId);
    }
    if (!trace) {
        c.verdict = Verdict::NotLoaded;
        c.message = "Request " + c.requestId + " is not in the loaded data: open the zone's audit export.";
        return c;
    }
    c.auditDecision = trace->finalDecision;
    for (RowId r : trace->events) {
        const auto ev = store.event(r);
        if (auto reason = denyReasonCode(ev)) {
            addOnce(c.auditCodes, *reason);
            if (!c.realReason) {
                c.realReason = reason;
                c.decidingRow = r;
            }
        }
        for (const EventCode& code : linkEvent(ev).codes)
            addOnce(c.auditCodes, code.code);
    }
    if (!c.decidingRow) c.decidingRow = trace->events.back();
    const bool denied = trace->finalDecision == "deny";
    const bool heldForApproval = !trace->stepUps.empty();
    const std::string& code = c.pastedCode;
    const std::string reasonText =
        c.realReason ? *c.realReason + " (" + DenyReasonCatalog::instance().label(*c.realReason) + ")"
                     : std::string();

    if (code.empty()) {
        c.verdict = denied ? Verdict::AgreesDecision : Verdict::Disagrees;
        c.message = denied ? "No code was pasted; the audit records a deny" +
                                 (reasonText.empty() ? std::string(".") : " for " + reasonText + ".")
                           : "No code was pasted; the audit records " + trace->finalDecision + ".";
    } else if (code == "interaction_required") {
        c.verdict = heldForApproval && !denied ? Verdict::Agrees : Verdict::Disagrees;
        c.message = c.verdict == Verdict::Agrees
                        ? "The audit agrees: the mint was held for approval " +
                              trace->stepUps.front().challengeId + " (" + trace->stepUps.front().state + ")."
                        : "The audit records no approval hold for this request (final decision " +
                              trace->finalDecision + ").";
    } else if (denied && contains(c.auditCodes, code)) {
        c.verdict = Verdict::Agrees;
        c.message = "The audit agrees: the request was denied with " + code + ".";
        if (c.realReason && *c.realReason != code)
            c.message += " The deny reason box reads " + reasonText + ".";
    } else if (denied && code == "access_denied") {
        c.verdict = Verdict::AgreesDecision;
        c.message = "The audit agrees the request was denied. The real reason is " +
                    (reasonText.empty() ? std::string("not recorded") : reasonText) + ".";
    } else if (denied) {
        c.verdict = Verdict::Disagrees;
        c.message = "The audit records a deny, but for " +
                    (reasonText.empty() ? std::string("no recorded reason") : reasonText) + ", not " + code +
                    ".";
    } else {
        c.verdict = Verdict::Disagrees;
        c.message = "The audit records this request as " + trace->finalDecision + ", not refused.";
        if (code == "access_denied")
            c.message += " STS delegation checks and Gateway pre-forward rejections answer without an audit "
                         "event: the refusal most likely came from one of them.";
    }
    if (c.zones.size() > 1)
        c.message += " (The request id is in " + std::to_string(c.zones.size()) + " zones; compared in " +
                     c.zone + ".)";
    return c;
}

} // namespace caracal
