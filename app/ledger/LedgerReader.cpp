#include "ledger/LedgerReader.h"

#include "util/Timestamp.h"

#include <charconv>
#include <libpq-fe.h>

namespace caracal {

namespace {

constexpr const char* kColumns =
    "id, zone_id, event_type, request_id, decision, policy_set_id, policy_set_version_id, manifest_sha, "
    "evaluation_status, determining_policies_json::text, diagnostics_json::text, metadata_json::text, "
    "(extract(epoch from occurred_at) * 1000000)::bigint, content_sha256, prev_content_sha256, chain_hmac, "
    "chain_seq";
constexpr const char* kNames[] = {"id",
                                  "zone_id",
                                  "event_type",
                                  "request_id",
                                  "decision",
                                  "policy_set_id",
                                  "policy_set_version_id",
                                  "manifest_sha",
                                  "evaluation_status",
                                  "determining_policies_json",
                                  "diagnostics_json",
                                  "metadata_json",
                                  "occurred_at",
                                  "content_sha256",
                                  "prev_content_sha256",
                                  "chain_hmac",
                                  "chain_seq"};
constexpr int kOccurred = 12, kFirstJson = 9, kLastJson = 11, kSeq = 16;

void appendRow(std::string& out, PGresult* r, int row) {
    out += '{';
    for (int c = 0; c < 17; ++c) {
        const bool null = PQgetisnull(r, row, c);
        if (null && c > kOccurred) continue; // chain fields only when present
        if (c) out += ',';
        out += '"';
        out += kNames[c];
        out += "\":";
        const std::string_view v = ledgerValue(r, row, c);
        if (null)
            out += "null";
        else if ((c >= kFirstJson && c <= kLastJson) || c == kSeq)
            out += v; // PostgreSQL's jsonb text (or a number): already JSON
        else if (c == kOccurred) {
            int64_t micros = 0;
            std::from_chars(v.data(), v.data() + v.size(), micros);
            out += '"';
            out += formatUtcMicros(micros);
            out += '"';
        } else
            appendJsonString(out, v);
    }
    out += "}\n";
}

} // namespace

void appendJsonString(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else
                out += ch;
        }
    }
    out += '"';
}

LedgerReadResult readLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                  const LedgerReadOptions& options,
                                  const std::function<bool(std::string&& jsonLines, size_t rows)>& page) {
    LedgerReadResult result;
    const size_t pageRows = std::max<size_t>(1, options.pageRows);
    // Two statements: the first page, then "after (t, id)". The id order is bytewise (COLLATE "C"), as the
    // file engine orders ids, whatever the database's collation.
    const std::string base =
        std::string("SELECT ") + kColumns + " FROM audit_events WHERE (" + filter.where + ")";
    const std::string order = " ORDER BY occurred_at, id COLLATE \"C\" LIMIT ";
    const size_t n = filter.params.size();
    const std::string after = " AND (occurred_at, id COLLATE \"C\") > ('epoch'::timestamptz + $" +
                              std::to_string(n + 1) + "::bigint * interval '1 microsecond', $" +
                              std::to_string(n + 2) + "::text)";
    std::string lastMicros, lastId;
    bool first = true;
    for (;;) {
        if (options.cancel && options.cancel->load()) {
            result.cancelled = true;
            return result;
        }
        const size_t want = std::min(pageRows, options.rowCap - result.rows);
        if (want == 0) {
            // At the cap: is there anything after it?
            std::vector<std::string> params = filter.params;
            params.push_back(lastMicros);
            params.push_back(lastId);
            LedgerResult probe = connection.query("SELECT 1 FROM audit_events WHERE (" + filter.where + ")" +
                                                      after + " LIMIT 1",
                                                  params, result.error);
            if (!probe) return result;
            result.capped = ledgerRows(probe.get()) > 0;
            result.complete = !result.capped;
            return result;
        }
        std::vector<std::string> params = filter.params;
        std::string sql = base;
        if (!first) {
            sql += after;
            params.push_back(lastMicros);
            params.push_back(lastId);
        }
        sql += order + std::to_string(want);
        LedgerResult r = connection.query(sql, params, result.error);
        if (!r) return result;
        const int rows = ledgerRows(r.get());
        if (rows == 0) {
            result.complete = true;
            return result;
        }
        std::string lines;
        lines.reserve(static_cast<size_t>(rows) * 700);
        for (int i = 0; i < rows; ++i)
            appendRow(lines, r.get(), i);
        lastMicros = std::string(ledgerValue(r.get(), rows - 1, kOccurred));
        lastId = std::string(ledgerValue(r.get(), rows - 1, 0));
        first = false;
        result.rows += static_cast<size_t>(rows);
        ++result.pages;
        if (!page(std::move(lines), static_cast<size_t>(rows))) {
            result.cancelled = true;
            return result;
        }
        if (options.progress) options.progress(result.rows);
        if (static_cast<size_t>(rows) < want) {
            result.complete = true;
            return result;
        }
    }
}

std::optional<uint64_t> countLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                          std::string& error) {
    LedgerResult r = connection.query("SELECT count(*) FROM audit_events WHERE (" + filter.where + ")",
                                      filter.params, error);
    if (!r) return std::nullopt;
    return std::stoull(std::string(ledgerValue(r.get(), 0, 0)));
}

} // namespace caracal
