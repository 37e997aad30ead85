#pragma once
// The filter language compiled to a parameterised WHERE clause over audit_events. Every value travels as a
// parameter ($n), never as statement text. What SQL can decide exactly is pushed down; the rest (free text,
// reason:, negated or OR-ed parts that contain such terms, label prefixes) is left to the local FilterQuery,
// which always runs over what the server returns, so the pushed-down clause only has to be a superset.
#include "query/FilterParser.h"

#include <string>
#include <variant>
#include <vector>

namespace caracal {

struct LedgerFilter {
    std::string where = "TRUE";      // SQL boolean over audit_events' columns
    std::vector<std::string> params; // $1.. in order
    bool exact = true;               // the SQL alone decides; otherwise the local filter narrows further
    std::vector<std::string> local;  // the terms applied locally, as written ("reason:x", "\"free text\"")
    // Adds `AND <sql>` with one more parameter; `sql` names it as "$?" (replaced by its number).
    void andParam(const std::string& sql, const std::string& value);
};

// The deny reason of a row by the console's rule (present/denyReasonCode, the store's Field::DenyReason) as a
// SQL expression over audit_events: for deny events the metadata's reason, else a non-complete
// evaluation_status, else the first diagnostic's reason, else policy_denied; '' for every other event.
const std::string& ledgerDenyReasonSql();

// Relative times (since:15m) resolve against nowMicros, as the local filter does.
std::variant<LedgerFilter, FilterError> compileLedgerFilter(const FilterNode* root, int64_t nowMicros);

// "reason:... and free text are applied locally" for messages; empty when everything ran in SQL.
std::string describeLocalPart(const LedgerFilter& filter);

} // namespace caracal
