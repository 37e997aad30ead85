#include "ledger/LedgerQuery.h"

#include "query/FilterQuery.h"

namespace caracal {

namespace {

struct Sql {
    std::string text; // empty: TRUE (not pushed down)
    bool exact = true;
};

class Compiler {
  public:
    Compiler(LedgerFilter& out, int64_t now) : m_out(out), m_now(now) {}
    std::optional<FilterError> error;

    Sql node(const FilterNode& n, bool negated) {
        switch (n.kind) {
        case FilterNode::Kind::And:
        case FilterNode::Kind::Or: {
            const bool isAnd = n.kind == FilterNode::Kind::And;
            std::vector<std::string> parts;
            const size_t mark = m_out.params.size();
            bool exact = true, anyTrue = false;
            for (const auto& c : n.children) {
                Sql s = node(*c, negated);
                exact = exact && s.exact;
                if (s.text.empty())
                    anyTrue = true;
                else
                    parts.push_back(std::move(s.text));
            }
            // AND keeps what it can (a superset stays a superset); OR with an undecided branch is TRUE.
            if (!isAnd && anyTrue) {
                m_out.params.resize(mark); // the decided branches' parameters go unused
                return {"", false};
            }
            if (parts.empty()) return {"", exact};
            // One part alone needs no parentheses: the same filter gives the same text however it is grouped
            // (the console compares the text to know whether a read must be repeated).
            if (parts.size() == 1) return {std::move(parts.front()), exact};
            std::string joined = "(";
            for (size_t i = 0; i < parts.size(); ++i)
                joined += (i ? (isAnd ? " AND " : " OR ") : "") + parts[i];
            return {joined + ")", exact};
        }
        case FilterNode::Kind::Not: {
            // Only an exactly decided child can be negated in SQL.
            const size_t mark = m_out.params.size();
            const size_t localMark = m_out.local.size();
            Sql s = node(*n.children.front(), !negated);
            if (!s.exact || s.text.empty()) {
                m_out.params.resize(mark); // the child's parameters are not used
                if (m_out.local.size() == localMark) m_out.local.push_back("-(" + describe(n) + ")");
                return {"", false};
            }
            return {"NOT " + s.text, true};
        }
        case FilterNode::Kind::Term:
            break;
        }
        return term(n, negated);
    }

  private:
    std::string param(const std::string& value) {
        m_out.params.push_back(value);
        return "$" + std::to_string(m_out.params.size());
    }
    Sql local(const FilterNode& n) {
        m_out.local.push_back(describe(n));
        return {"", false};
    }
    static std::string describe(const FilterNode& n) {
        if (n.kind != FilterNode::Kind::Term) return "a group";
        std::string s = n.key == FilterKey::Text ? "" : std::string(filterKeyName(n.key)) + ":";
        s += "\"" + n.value + (n.prefix ? "*" : "") + "\"";
        return s;
    }

    // The value expressions a key compares; NULL and '' both mean "absent", as in the store, which also
    // ignores metadata values that are not strings.
    static std::string meta(const char* key) {
        return std::string("(CASE WHEN jsonb_typeof(metadata_json->'") + key +
               "') = 'string' THEN metadata_json->>'" + key + "' END)";
    }
    static std::vector<std::string> columns(FilterKey key) {
        switch (key) {
        case FilterKey::Zone:
            return {"zone_id"};
        case FilterKey::Request:
            return {"request_id"};
        case FilterKey::Type:
            return {"event_type"};
        case FilterKey::Decision:
            return {"decision"};
        case FilterKey::Status:
            return {"evaluation_status"};
        case FilterKey::Session:
            return {"(metadata_json->>'agent_session_id')"};
        case FilterKey::Authority:
            return {"(metadata_json->>'session_id')"};
        case FilterKey::Resource:
            return {"(metadata_json->>'resource')"};
        case FilterKey::DenyReason:
            return {ledgerDenyReasonSql()};
        case FilterKey::App: // anomaly events name the application by client_id or app_id
            return {"(metadata_json->>'application_id')", "(metadata_json->>'application_name')",
                    "(metadata_json->>'client_id')", "(metadata_json->>'app_id')"};
        default:
            return {};
        }
    }
    // The column as the store reads it: a metadata value counts only when it is a JSON string.
    static std::string strict(const std::string& column) {
        if (column.rfind("(metadata_json->>'", 0) != 0) return column;
        const size_t b = column.find('\'') + 1;
        return meta(column.substr(b, column.find('\'', b) - b).c_str());
    }

    Sql term(const FilterNode& n, bool negated) {
        if (n.key == FilterKey::Since || n.key == FilterKey::Until) {
            const auto t = parseFilterTime(n.value, m_now);
            if (!t) {
                if (!error)
                    error = FilterError{n.position, "\"" + std::string(filterKeyName(n.key)) +
                                                        ":\" expects 15m, 2h, 7d, now or an ISO 8601 "
                                                        "time, not \"" +
                                                        n.value + "\""};
                return {"", false};
            }
            // An exact instant in microseconds: the partitions outside it are pruned.
            const std::string at = "('epoch'::timestamptz + " + param(std::to_string(*t)) +
                                   "::bigint * interval '1 microsecond')";
            return {n.key == FilterKey::Since ? "occurred_at >= " + at : "occurred_at < " + at, true};
        }
        if (n.key == FilterKey::Label) {
            // The GIN index answers containment; prefixes, absence and negation are left to the local filter.
            if (n.prefix || n.value.empty() || negated) return local(n);
            return {"(metadata_json->'agent_labels') ? " + param(n.value), false};
        }
        if (n.key == FilterKey::Policy) {
            if (n.prefix || n.value.empty() || negated) return local(n);
            const std::string p = param(n.value);
            // A superset of the store's policy match (which also reads determining policies' other shapes).
            return {"(policy_set_id = " + p + " OR policy_set_version_id = " + p +
                        " OR determining_policies_json @> jsonb_build_array(jsonb_build_object('policy', " +
                        p + "::text)))",
                    false};
        }
        const std::vector<std::string> cols = columns(n.key);
        if (cols.empty()) return local(n); // free text, reason:
        // app: is a superset in SQL (the store takes client_id / app_id only without application_id), so
        // its absence and negation are decided locally.
        const bool superset = n.key == FilterKey::App;
        if (superset && (negated || n.value.empty())) return local(n);
        const std::string p = param(n.value);
        std::string out = cols.size() > 1 ? "(" : "";
        for (size_t i = 0; i < cols.size(); ++i) {
            if (i) out += " OR ";
            if (n.prefix)
                out += "starts_with(COALESCE(" + strict(cols[i]) + ", ''), " + p + ")";
            else if (n.value.empty() || negated)
                out += "COALESCE(" + strict(cols[i]) + ", '') = " + p; // NOT over NULL stays true
            else
                out += cols[i] + " = " + p; // the plain form the indexes serve
        }
        return {out + (cols.size() > 1 ? ")" : ""), !superset};
    }

    LedgerFilter& m_out;
    int64_t m_now;
};

} // namespace

const std::string& ledgerDenyReasonSql() {
    // Only string values count, as in the store; the expression is never NULL, so negations are exact.
    static const std::string sql =
        "(CASE WHEN COALESCE(decision, '') <> 'deny' THEN '' "
        "WHEN jsonb_typeof(metadata_json->'reason') = 'string' AND metadata_json->>'reason' <> '' "
        "THEN metadata_json->>'reason' "
        "WHEN COALESCE(evaluation_status, '') NOT IN ('', 'complete') THEN evaluation_status "
        "WHEN jsonb_typeof(diagnostics_json->0->'reason') = 'string' AND diagnostics_json->0->>'reason' <> "
        "'' "
        "THEN diagnostics_json->0->>'reason' "
        "ELSE 'policy_denied' END)";
    return sql;
}

void LedgerFilter::andParam(const std::string& sql, const std::string& value) {
    params.push_back(value);
    std::string s = sql;
    const std::string n = "$" + std::to_string(params.size());
    for (size_t at; (at = s.find("$?")) != std::string::npos;)
        s.replace(at, 2, n);
    where = where == "TRUE" ? s : "(" + where + ") AND " + s;
}

std::variant<LedgerFilter, FilterError> compileLedgerFilter(const FilterNode* root, int64_t nowMicros) {
    LedgerFilter out;
    if (!root) return out;
    Compiler c(out, nowMicros);
    Sql s = c.node(*root, false);
    if (c.error) return *c.error;
    out.where = s.text.empty() ? "TRUE" : s.text;
    out.exact = s.exact;
    return out;
}

std::string describeLocalPart(const LedgerFilter& filter) {
    if (filter.local.empty()) return {};
    std::string s;
    for (size_t i = 0; i < filter.local.size(); ++i)
        s += (i ? ", " : "") + filter.local[i];
    return s + (filter.local.size() == 1 ? " is" : " are") +
           " applied here to the rows the ledger returns (no SQL form)";
}

} // namespace caracal
