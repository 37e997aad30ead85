#pragma once
// Caracal's ledger in a test PostgreSQL (PgTestServer): the audit tables with Caracal's roles, grants,
// row-level security and a monthly partition, and events inserted the way Caracal's ingest stores them (jsonb
// text from PostgreSQL itself, content hash over it, per-zone chain_seq, prev link and HMAC).
#include "PgTestServer.h"
#include "chain/ChainHash.h"

#include <QFile>
#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

namespace caracal::test {

// What the baseline migration adds around the tables (roles, grants, RLS), as upstream writes it.
inline const char* kLedgerSecurity = R"SQL(
DO $$BEGIN CREATE ROLE caracalapi NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
DO $$BEGIN CREATE ROLE caracalaudit NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
DO $$BEGIN CREATE ROLE reader LOGIN IN ROLE caracalapi; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
DO $$BEGIN CREATE ROLE ingest LOGIN IN ROLE caracalaudit; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
DO $$BEGIN CREATE ROLE nobody LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
ALTER TABLE public.admin_audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY zone_isolation ON public.admin_audit_events USING (((current_setting('caracal.zone_id'::text, true) = '*'::text) OR (zone_id = current_setting('caracal.zone_id'::text, true)))) WITH CHECK (((current_setting('caracal.zone_id'::text, true) = '*'::text) OR (zone_id = current_setting('caracal.zone_id'::text, true))));
CREATE POLICY zone_isolation ON public.audit_events USING (((current_setting('caracal.zone_id'::text, true) = '*'::text) OR (zone_id = current_setting('caracal.zone_id'::text, true)))) WITH CHECK (((current_setting('caracal.zone_id'::text, true) = '*'::text) OR (zone_id = current_setting('caracal.zone_id'::text, true))));
GRANT SELECT,INSERT ON TABLE public.audit_events TO caracalaudit;
GRANT SELECT ON TABLE public.audit_events TO caracalapi;
GRANT SELECT,INSERT ON TABLE public.admin_audit_events TO caracalapi;
CREATE TABLE public.audit_events_y2026m11 PARTITION OF public.audit_events
  FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');
)SQL";

inline bool createLedger(const PgTestServer& pg, QString& error) {
    QFile ddl(QString(CARACAL_TEST_DATA) + "/postgres/audit-tables.sql");
    if (!ddl.open(QIODevice::ReadOnly)) {
        error = "no audit-tables.sql";
        return false;
    }
    QFile indexes(QString(CARACAL_TEST_DATA) + "/postgres/audit-indexes.sql");
    if (!indexes.open(QIODevice::ReadOnly)) {
        error = "no audit-indexes.sql";
        return false;
    }
    QByteArray out;
    if (!pg.runScript(ddl.readAll() + "\n" + kLedgerSecurity + "\n" + indexes.readAll(), out)) {
        error = QString::fromUtf8(out);
        return false;
    }
    return true;
}

inline std::string ledgerCsvField(const std::string& s) {
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Inserts `events` (plain Caracal events) into audit_events as the ingest would, in (occurred_at, id) order
// per zone, continuing any chain already there. `key` is the raw HMAC key. `jsonTexts`, when given, holds
// each event's determining_policies_json, diagnostics_json and metadata_json as literal text ("" for NULL),
// so number literals reach PostgreSQL exactly as written.
inline bool insertLedgerEvents(const PgTestServer& pg, const std::vector<nlohmann::ordered_json>& events,
                               const std::string& key, QString& error,
                               const std::vector<std::array<std::string, 3>>& jsonTexts = {}) {
    std::string csv;
    for (size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        auto s = [&](const char* f) { return ledgerCsvField(e.value(f, std::string())); };
        csv += std::to_string(i) + "," + s("id") + "," + s("zone_id") + "," + s("event_type") + "," +
               s("request_id") + "," + s("decision") + "," + s("policy_set_id") + "," +
               s("policy_set_version_id") + "," + s("manifest_sha") + "," + s("evaluation_status") + ",";
        int k = 0;
        for (const char* f : {"determining_policies_json", "diagnostics_json", "metadata_json"}) {
            const std::string text = !jsonTexts.empty()                 ? jsonTexts[i][k]
                                     : e.contains(f) && !e[f].is_null() ? e[f].dump()
                                                                        : std::string();
            csv += (text.empty() ? std::string() : ledgerCsvField(text)) + ",";
            ++k;
        }
        csv += ledgerCsvField(e["occurred_at"].get<std::string>()) + "\n";
    }
    QByteArray out;
    if (!pg.runScript(
            QByteArray::fromStdString(
                "DROP TABLE IF EXISTS ledger_src; CREATE TABLE ledger_src (ord int, id text, zone_id "
                "text, event_type text, request_id text, decision text, policy_set_id text, "
                "policy_set_version_id text, manifest_sha text, evaluation_status text, dp text, dg "
                "text, md text, occurred_at timestamptz);\nCOPY ledger_src FROM STDIN WITH CSV;\n" +
                csv + "\\.\n"),
            out)) {
        error = "staging: " + QString::fromUtf8(out);
        return false;
    }
    QByteArray texts;
    if (!pg.runBytes("SELECT ord, COALESCE(dp::jsonb::text, 'null'), COALESCE(dg::jsonb::text, 'null'), "
                     "COALESCE(md::jsonb::text, 'null'), (extract(epoch from occurred_at) * 1000000)::bigint "
                     "FROM ledger_src ORDER BY occurred_at, id COLLATE \"C\"",
                     texts, {"-z"})) {
        error = "jsonb: " + QString::fromUtf8(texts);
        return false;
    }
    QByteArray headsOut;
    pg.runBytes("SELECT zone_id, content_sha256, chain_seq FROM audit_events a WHERE chain_seq = (SELECT "
                "max(chain_seq) FROM audit_events b WHERE b.zone_id = a.zone_id)",
                headsOut, {"-z"});
    std::map<std::string, std::pair<std::string, int64_t>> heads;
    for (const QByteArray& line : headsOut.split('\n'))
        if (const auto f = line.split('\0'); f.size() == 3)
            heads[f[0].toStdString()] = {f[1].toStdString(), f[2].toLongLong()};
    std::string chainCsv;
    for (const QByteArray& line : texts.split('\n')) {
        if (line.isEmpty()) continue;
        const QList<QByteArray> f = line.split('\0');
        if (f.size() != 5) {
            error = "unexpected psql output";
            return false;
        }
        const size_t ord = f[0].toULong();
        const auto& e = events[ord];
        ChainInput in;
        in.id = e["id"];
        in.zoneId = e["zone_id"];
        in.eventType = e.value("event_type", "");
        in.requestId = e.value("request_id", "");
        in.decision = e.value("decision", "");
        in.policySetId = e.value("policy_set_id", "");
        in.policySetVersionId = e.value("policy_set_version_id", "");
        in.manifestSha = e.value("manifest_sha", "");
        in.evaluationStatus = e.value("evaluation_status", "");
        in.determiningPoliciesJsonb = f[1].toStdString();
        in.diagnosticsJsonb = f[2].toStdString();
        in.metadataJsonb = f[3].toStdString();
        in.occurredAtMicros = f[4].toLongLong();
        auto& head = heads[in.zoneId];
        const std::string content = contentSha256(in);
        chainCsv += std::to_string(ord) + "," + content + "," + head.first + "," +
                    chainHmac(key, content, head.first) + "," + std::to_string(++head.second) + "\n";
        head.first = content;
    }
    if (!pg.runScript(
            QByteArray::fromStdString(
                "DROP TABLE IF EXISTS ledger_chain; CREATE TABLE ledger_chain (ord int, content text, "
                "prev text, hmac text, seq bigint);\nCOPY ledger_chain FROM STDIN WITH CSV;\n" +
                chainCsv +
                "\\.\n"
                "INSERT INTO audit_events (id, zone_id, event_type, request_id, decision, "
                "policy_set_id, policy_set_version_id, manifest_sha, evaluation_status, "
                "determining_policies_json, diagnostics_json, metadata_json, occurred_at, "
                "content_sha256, prev_content_sha256, chain_hmac, chain_seq) SELECT s.id, s.zone_id, "
                "s.event_type, s.request_id, s.decision, s.policy_set_id, s.policy_set_version_id, "
                "s.manifest_sha, s.evaluation_status, s.dp::jsonb, s.dg::jsonb, s.md::jsonb, "
                "s.occurred_at, c.content, NULLIF(c.prev, ''), c.hmac, c.seq FROM ledger_src s JOIN "
                "ledger_chain c USING (ord);\nDROP TABLE ledger_src; DROP TABLE ledger_chain;\n"),
            out)) {
        error = "insert: " + QString::fromUtf8(out);
        return false;
    }
    return true;
}

} // namespace caracal::test
