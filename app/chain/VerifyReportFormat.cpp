#include "chain/VerifyReportFormat.h"

#include "util/CountText.h"

namespace caracal {

std::string chainName(const ZoneVerdict& z) {
    if (z.globalChain) return "global admin chain";
    return (z.table == ChainTable::AdminAudit ? "admin chain of zone " : "zone ") + z.zoneId;
}

namespace {

std::string zoneVerdictWord(const ZoneVerdict& z) {
    if (z.tampered()) return "TAMPERED";
    return z.verified() ? "intact" : "unverifiable";
}

} // namespace

nlohmann::ordered_json reportToJson(const VerifyReport& report, size_t maxProblems) {
    using Json = nlohmann::ordered_json;
    Json out;
    out["verdict"] = verdictName(report.verdict());
    out["hmac_checked"] = report.hmacChecked;
    Json zones = Json::array();
    for (const ZoneVerdict& z : report.zones) {
        Json zj;
        zj["zone_id"] = z.globalChain ? Json() : Json(z.zoneId);
        zj["chain"] = z.table == ChainTable::AdminAudit ? "admin_audit_events" : "audit_events";
        zj["source"] = z.source;
        zj["rows"] = z.rows;
        zj["first_seq"] = z.verified() ? Json(z.firstSeq) : Json();
        zj["last_seq"] = z.verified() ? Json(z.lastSeq) : Json();
        if (z.rowsWithoutChain) zj["rows_without_chain_fields"] = z.rowsWithoutChain;
        Json counts = Json::object();
        for (int k = 0; k < kProblemKinds; ++k)
            if (z.counts[k]) counts[problemKindName(static_cast<ProblemKind>(k))] = z.counts[k];
        zj["problem_counts"] = counts;
        Json problems = Json::array();
        size_t shown = 0;
        for (const ChainProblem& p : z.problems) {
            if (maxProblems && shown >= maxProblems) break;
            ++shown;
            Json pj;
            pj["kind"] = problemKindName(p.kind);
            pj["chain_seq"] = p.kind == ProblemKind::MissingChainFields ? Json() : Json(p.chainSeq);
            pj["event_id"] = p.eventId;
            pj["expected"] = p.expected;
            pj["found"] = p.found;
            pj["message"] = p.message;
            problems.push_back(std::move(pj));
        }
        zj["problems"] = std::move(problems);
        if (shown < z.problems.size()) zj["problems_omitted"] = z.problems.size() - shown;
        if (!z.notes.empty()) zj["notes"] = z.notes;
        zones.push_back(std::move(zj));
    }
    out["zones"] = std::move(zones);
    if (report.unreadableCount) {
        out["unreadable_rows"] = report.unreadableCount;
        Json list = Json::array();
        for (const UnreadableRow& u : report.unreadable)
            list.push_back({{"where", u.where}, {"message", u.message}});
        out["unreadable"] = std::move(list);
    }
    out["limits"] = report.limits;
    return out;
}

std::string reportToText(const VerifyReport& report, size_t maxProblems) {
    std::string out;
    for (const ZoneVerdict& z : report.zones) {
        out += chainName(z) + ": " + zoneVerdictWord(z);
        if (z.verified())
            out += ", " + std::to_string(z.rows) + " rows, chain_seq " + std::to_string(z.firstSeq) + ".." +
                   std::to_string(z.lastSeq);
        std::string counts;
        for (int k = 0; k < kProblemKinds; ++k)
            if (z.counts[k])
                counts += (counts.empty() ? "" : ", ") + std::to_string(z.counts[k]) + " " +
                          problemKindName(static_cast<ProblemKind>(k));
        if (!counts.empty()) out += "; " + counts;
        out += "  [" + z.source + "]\n";
        size_t shown = 0;
        for (const ChainProblem& p : z.problems) {
            if (maxProblems && shown >= maxProblems) {
                out += "  ... " + std::to_string(z.problems.size() - shown) +
                       " more problems (--max-problems 0 lists all)\n";
                break;
            }
            ++shown;
            out += "  ";
            out += problemKindName(p.kind);
            if (p.kind != ProblemKind::MissingChainFields)
                out += " at chain_seq " + std::to_string(p.chainSeq);
            if (!p.eventId.empty()) out += ", event " + p.eventId;
            out += ": " + p.message + "\n";
            if (!p.expected.empty() || !p.found.empty())
                out += "    expected " + p.expected + "\n    found    " + p.found + "\n";
        }
        for (const std::string& n : z.notes)
            out += "  note: " + n + "\n";
    }
    if (report.unreadableCount) {
        out += countText(report.unreadableCount, "row", "rows") + " could not be read:\n";
        for (const UnreadableRow& u : report.unreadable)
            out += "  " + u.where + ": " + u.message + "\n";
    }
    const Verdict v = report.verdict();
    out += std::string("verdict: ") + verdictName(v);
    if (v != Verdict::Unverifiable)
        out +=
            report.hmacChecked ? " (chain_hmac checked with the key)" : " (no key: chain_hmac not checked)";
    out += "\n";
    for (const std::string& l : report.limits)
        out += "limit: " + l + "\n";
    return out;
}

} // namespace caracal
