#include "ledger/LedgerReader.h"

#include "chain/JsonbText.h"
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
            appendJsonbString(out, v);
    }
    out += "}\n";
}

} // namespace

LedgerReadResult readLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                  const LedgerReadOptions& options,
                                  const std::function<bool(std::string&& jsonLines, size_t rows)>& page) {
    LedgerReadResult result;
    const size_t pageRows = std::max<size_t>(1, options.pageRows);
    // One ordered statement, streamed row by row and cut into pages here: a page boundary is only where this
    // side stops filling a buffer, so no row can fall between pages whatever their times, and the server
    // sorts once (keyset pages would sort the rest again for every page). A resumed read starts strictly
    // after (occurred_at, id) at microsecond precision. The id order is bytewise (COLLATE "C"), as the file
    // engine orders ids, whatever the database's collation.
    std::vector<std::string> params = filter.params;
    std::string sql = std::string("SELECT ") + kColumns + " FROM audit_events WHERE (" + filter.where + ")";
    if (options.after) {
        const size_t n = params.size();
        sql += " AND occurred_at >= ('epoch'::timestamptz + $" + std::to_string(n + 1) +
               "::bigint * interval '1 microsecond') AND (occurred_at, id COLLATE \"C\") > "
               "('epoch'::timestamptz + $" +
               std::to_string(n + 1) + "::bigint * interval '1 microsecond', $" + std::to_string(n + 2) +
               "::text)";
        params.push_back(std::to_string(options.after->first));
        params.push_back(options.after->second);
    }
    sql += " ORDER BY occurred_at, id COLLATE \"C\"";
    // One row past the cap says whether more remain.
    if (options.rowCap != SIZE_MAX) sql += " LIMIT " + std::to_string(options.rowCap + 1);
    std::string lines;
    size_t inPage = 0;
    bool stopped = false;
    auto flush = [&] {
        if (inPage == 0) return true;
        result.rows += inPage;
        ++result.pages;
        const size_t n = inPage;
        inPage = 0;
        if (!page(std::move(lines), n)) return false;
        lines.clear();
        if (options.progress) options.progress(result.rows);
        return true;
    };
    const bool ok = connection.stream(
        sql, params,
        [&](pg_result* r) {
            if (options.cancel && options.cancel->load()) {
                stopped = result.cancelled = true;
                return false;
            }
            if (result.rows + inPage == options.rowCap) { // the row past the cap
                stopped = result.capped = true;
                return false;
            }
            appendRow(lines, r, 0);
            result.lastMicros = std::stoll(std::string(ledgerValue(r, 0, kOccurred)));
            result.lastId.assign(ledgerValue(r, 0, 0));
            if (++inPage == pageRows && !flush()) {
                stopped = result.cancelled = true;
                return false;
            }
            return true;
        },
        result.error);
    if (!ok) return result; // rows so far were handed out; the read is incomplete
    if (!result.cancelled && !flush()) result.cancelled = true;
    if (result.cancelled) return result;
    result.complete = !stopped;
    return result;
}

std::optional<uint64_t> countLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                          std::string& error) {
    LedgerResult r = connection.query("SELECT count(*) FROM audit_events WHERE (" + filter.where + ")",
                                      filter.params, error);
    if (!r) return std::nullopt;
    return std::stoull(std::string(ledgerValue(r.get(), 0, 0)));
}

} // namespace caracal
