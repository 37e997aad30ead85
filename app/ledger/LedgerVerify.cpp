#include "ledger/LedgerVerify.h"

#include "chain/ChainRowReader.h"
#include "chain/ChainVerifier.h"

#include <libpq-fe.h>

namespace caracal {

namespace {

constexpr const char* kIso = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

struct TableScan {
    const char* name;
    std::vector<std::string> header;
    std::string select; // every column as text, JSON as its exact jsonb text
    std::string order;
};

TableScan auditScan() {
    return {"audit_events",
            {"id", "zone_id", "event_type", "request_id", "decision", "policy_set_id",
             "policy_set_version_id", "manifest_sha", "evaluation_status", "determining_policies_json",
             "diagnostics_json", "metadata_json", "occurred_at", "content_sha256", "prev_content_sha256",
             "chain_hmac", "chain_seq"},
            std::string("SELECT id, zone_id, event_type, request_id, decision, policy_set_id, "
                        "policy_set_version_id, manifest_sha, evaluation_status, "
                        "COALESCE(determining_policies_json::text, 'null'), "
                        "COALESCE(diagnostics_json::text, 'null'), COALESCE(metadata_json::text, 'null'), ") +
                kIso + ", content_sha256, prev_content_sha256, chain_hmac, chain_seq FROM audit_events",
            " ORDER BY zone_id COLLATE \"C\", chain_seq"};
}

TableScan adminScan() {
    return {"admin_audit_events",
            {"id", "request_id", "actor_id", "actor_name", "actor_scope", "action", "method", "path",
             "zone_id", "entity_type", "entity_id", "status_code", "payload_json", "occurred_at",
             "content_sha256", "prev_content_sha256", "chain_hmac", "chain_seq"},
            std::string("SELECT id, request_id, actor_id, actor_name, actor_scope, action, method, path, "
                        "zone_id, entity_type, entity_id, status_code::text, payload_json::text, ") +
                kIso + ", content_sha256, prev_content_sha256, chain_hmac, chain_seq FROM admin_audit_events",
            " ORDER BY zone_id COLLATE \"C\" NULLS FIRST, chain_seq"};
}

} // namespace

bool verifyLedger(LedgerConnection& connection, const LedgerVerifyOptions& options, VerifyReport& report,
                  std::string& error) {
    ChainVerifier verifier(!options.key.empty());
    verifier.setOrdered(true); // every scan is ORDER BY zone, chain_seq: linked as rows arrive
    ChainRowReader reader(options.key);
    connection.watchCancel(options.cancel);
    struct Unwatch { // the flag may not outlive this call; the connection may
        LedgerConnection& c;
        ~Unwatch() { c.watchCancel(nullptr); }
    } unwatch{connection};
    verifier.setSourceName(0, "ledger audit_events row");
    verifier.setSourceName(1, "ledger admin_audit_events row");
    if (!options.zones.empty()) verifier.setZoneFilter(options.zones);
    size_t rows = 0;
    bool ok = true;
    std::vector<TableScan> scans = {auditScan()};
    if (options.adminAudit) {
        std::string e;
        LedgerResult has = connection.query("SELECT to_regclass('public.admin_audit_events') IS NOT NULL, "
                                            "has_table_privilege('public.admin_audit_events', 'SELECT')",
                                            {}, e);
        // A role without admin audit (caracalaudit) still verifies audit_events.
        if (has && ledgerValue(has.get(), 0, 0) == "t" && ledgerValue(has.get(), 0, 1) == "t")
            scans.push_back(adminScan());
    }
    std::vector<std::string> fields;
    std::vector<bool> quoted;
    for (uint32_t source = 0; source < scans.size() && ok; ++source) {
        const TableScan& scan = scans[source];
        uint32_t index = 0;
        std::vector<std::vector<std::string>> zoneParams;
        if (options.zones.empty())
            zoneParams.push_back({});
        else
            for (const std::string& z : options.zones)
                zoneParams.push_back({z});
        for (const auto& params : zoneParams) {
            ChainBatch batch;
            const std::string sql = scan.select + (params.empty() ? "" : " WHERE zone_id = $1") + scan.order;
            const bool read = connection.stream(
                sql, params,
                [&](pg_result* r) {
                    if (options.cancel && options.cancel->load()) return false;
                    const int columns = PQnfields(r);
                    fields.resize(static_cast<size_t>(columns));
                    quoted.resize(static_cast<size_t>(columns));
                    for (int c = 0; c < columns; ++c) {
                        fields[c].assign(ledgerValue(r, 0, c));
                        quoted[c] = !ledgerIsNull(r, 0, c); // NULL: what COPY's CSV writes unquoted
                    }
                    reader.readCsv(scan.header, fields, quoted, {source, ++index}, batch);
                    if (++rows % 4096 == 0) {
                        verifier.add(std::move(batch));
                        batch = ChainBatch();
                    }
                    if (rows % 256 == 0 && options.progress) options.progress(rows);
                    return true;
                },
                error);
            verifier.add(std::move(batch));
            if (!read) {
                ok = false;
                break;
            }
            if (options.cancel && options.cancel->load()) {
                ok = false;
                error = "cancelled: the verification is incomplete";
                break;
            }
        }
    }
    if (options.progress) options.progress(rows);
    report = verifier.finish(options.cancel);
    for (ZoneVerdict& z : report.zones)
        z.source = "ledger " +
                   std::string(z.table == ChainTable::AdminAudit ? "admin_audit_events" : "audit_events") +
                   " (" + connection.user() + (connection.usesTls() ? ", TLS)" : ")");
    return ok;
}

} // namespace caracal
