// PostgreSQL 15 as the oracle: its own `$1::jsonb::text` against our canonicaliser, and rows inserted into
// Caracal's real audit tables (hashed as Caracal's insert does, over PostgreSQL's jsonb text), dumped and
// exported in the Go search shape, then verified; then altered in the database and verified again.
#ifndef Q_MOC_RUN
#include "LedgerFixture.h"
#include "TestSupport.h"
#include "chain/ChainHash.h"
#include "chain/Digest.h"
#include "chain/JsonbCanonical.h"
#include "chain/VerifyFiles.h"
#include "util/Timestamp.h"
#endif

#include <QFile>
#include <QTest>

using namespace caracal;
using Json = nlohmann::ordered_json;

namespace {

const char* kKeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// JSON texts whose jsonb text PostgreSQL decides.
const char* kJsonCases[] = {
    "{\"bb\":1,\"a\":2,\"ab\":3,\"B\":0,\"\xC3\xA9\":1,\"z\":2}",
    "{\"a\":1,\"b\":2,\"a\":3}",
    "{\"a\":{\"y\":1,\"x\":{\"d\":1,\"c\":2,\"d\":3}},\"list\":[3,1,2]}",
    "[\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\\u007f\"]",
    "[\"\\u003cscript\\u003e \\u0026 \\u2028\\u2029 \\u00e9 \\ud83d\\udc06\"]",
    "[\"\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x90\x86 caf\xC3\xA9\"]",
    "[1.50, 0.0, 100, 0.001, 1e2, 1E+3, 1.5e1, 1.50e1, 2e-3, 1.0E-5, 12e0, 1e20, 1.23e-7]",
    "[-0, -0.0, -0e5, -1.5, -0.000, 0e-3]",
    "[1e1001, 1e-1001, 0e200000, 1e-16383, 9.9e131071]",
    "[12345678901234567890, -98765432109876543210, 123456789012345678901234567890.123456789]",
    "[true, false, null, {}, [], [[]], {\"\":{}}]",
    "  {\"spaced\" :\t[ 1 , 2 ]\n}  ",
    "\"a bare string\"",
    "42",
    "{\"long key that is longer\":1,\"short\":2,\"mid key\":3}",
    "{\"resource\":\"resource://pipernet\",\"application_id\":\"app-1\",\"requested_scopes\":[\"a:b\",\"c\"],"
    "\"risk\":[{\"tier\":\"high\",\"scope\":\"payments:write\"}]}",
};

// Go's json.Compact plus HTML escaping of jsonb text: what /api/audit/search prints for a RawMessage.
std::string goCompact(const std::string& jsonb) {
    std::string out;
    bool inString = false;
    for (size_t i = 0; i < jsonb.size(); ++i) {
        const char c = jsonb[i];
        if (inString) {
            if (c == '\\') {
                out += c;
                out += jsonb[++i];
                continue;
            }
            if (c == '"') inString = false;
            if (c == '<')
                out += "\\u003c";
            else if (c == '>')
                out += "\\u003e";
            else if (c == '&')
                out += "\\u0026";
            else if (jsonb.compare(i, 3, "\xE2\x80\xA8") == 0) {
                out += "\\u2028";
                i += 2;
            } else
                out += c;
            continue;
        }
        if (c == '"') inString = true;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
        out += c;
    }
    return out;
}

} // namespace

class PgJsonbTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::PgTestServer> pg;
    const std::string key = hexDecode(kKeyHex);
    QTemporaryDir dir;

    QString sql(const QString& statement, const QStringList& extra = {}) {
        QString out;
        if (!pg->run(statement, out, extra)) qWarning("psql: %s", qPrintable(out));
        return out;
    }
    std::string dump(const QString& statement, const std::string& name) {
        QByteArray out;
        if (!pg->runBytes(statement, out)) qWarning("psql: %s", out.constData());
        return test::writeFile(dir, name, out.toStdString());
    }
    VerifyReport verifyFile(const std::string& path, bool withKey = true) {
        VerifyFilesOptions o;
        if (withKey) o.key = key;
        std::vector<std::string> errors;
        VerifyReport r = verifyFiles({path}, o, errors);
        for (const auto& e : errors)
            qWarning("%s", e.c_str());
        return r;
    }

  private slots:
    void initTestCase() {
        pg = std::make_unique<test::PgTestServer>();
        QVERIFY2(pg->ok(), qPrintable(pg->error()));
        QFile ddl(QString(CARACAL_TEST_DATA) + "/postgres/audit-tables.sql");
        QVERIFY(ddl.open(QIODevice::ReadOnly));
        QByteArray out;
        QVERIFY2(pg->runScript(ddl.readAll(), out), out.constData());
    }

    void jsonbTextMatchesPostgres_data() {
        QTest::addColumn<QString>("json");
        for (const char* c : kJsonCases)
            QTest::newRow(c) << QString::fromUtf8(c);
    }
    void jsonbTextMatchesPostgres() {
        QFETCH(QString, json);
        QString theirs;
        QVERIFY2(pg->run("SELECT :'v'::jsonb::text", theirs, {"-v", "v=" + json}), qPrintable(theirs));
        theirs.chop(1); // psql's newline
        JsonTextError e;
        const std::string ours = canonicalJsonb(json.toStdString(), e);
        QVERIFY2(e.message.empty(), e.message.c_str());
        QCOMPARE(QString::fromStdString(ours), theirs);
        // And Go's compacted, HTML-escaped form of PostgreSQL's text comes back to the same bytes.
        QCOMPARE(QString::fromStdString(canonicalJsonb(goCompact(theirs.toStdString()), e)), theirs);
    }

    void postgresRefusesWhatWeRefuse_data() {
        QTest::addColumn<QString>("json");
        QTest::newRow("NUL") << "[\"a\\u0000b\"]";
        QTest::newRow("digits") << "[1e131072]";
        QTest::newRow("scale") << "[1.5e-16383]";
        QTest::newRow("lone surrogate") << "[\"\\udc00\"]";
    }
    void postgresRefusesWhatWeRefuse() {
        QFETCH(QString, json);
        QString theirs;
        QVERIFY(!pg->run("SELECT :'v'::jsonb::text", theirs, {"-v", "v=" + json}));
        JsonTextError e;
        QVERIFY(canonicalJsonb(json.toStdString(), e).empty());
        QVERIFY(!e.message.empty());
    }

    void auditEventsDumpAndSearchExportVerify() {
        // Events: generated ones plus the awkward cases, in two zones.
        std::vector<Json> events;
        for (auto& e : test::generatedEvents(11, 120))
            events.push_back(e);
        // JSON fields kept as text so their literals reach PostgreSQL untouched.
        std::vector<std::array<std::string, 3>> jsonText;
        for (const Json& e : events) {
            std::array<std::string, 3> t;
            int k = 0;
            for (const char* f : {"determining_policies_json", "diagnostics_json", "metadata_json"}) {
                t[k++] = e.contains(f) && !e[f].is_null() ? e[f].dump() : std::string();
            }
            jsonText.push_back(t);
        }
        for (size_t i = 0; i < std::size(kJsonCases); ++i) {
            Json e = events[i];
            e["id"] = "tricky-" + std::to_string(i);
            e["zone_id"] = "zone-tricky";
            events.push_back(e);
            jsonText.push_back({"[{\"policy\":\"p<&>\"}]", "[]", kJsonCases[i]});
        }
        // Stored as Caracal's insert does: PostgreSQL produces the jsonb text, the chain is hashed over it.
        QString error;
        QVERIFY2(test::insertLedgerEvents(*pg, events, key, error, jsonText), qPrintable(error));
        QCOMPARE(sql("SELECT count(*) FROM audit_events").trimmed(), QString::number(events.size()));

        // The database dump as JSON lines (row_to_json keeps the jsonb text's literals; psql -At, not COPY's
        // text format, which would double every backslash).
        const std::string jsonDump =
            dump("SELECT row_to_json(a) FROM audit_events a ORDER BY occurred_at, id", "dump.jsonl");
        VerifyReport r = verifyFile(jsonDump);
        for (const auto& z : r.zones)
            for (const auto& p : z.problems)
                qWarning("%s %s %s: %s", z.zoneId.c_str(), problemKindName(p.kind), p.eventId.c_str(),
                         p.message.c_str());
        for (const auto& u : r.unreadable)
            qWarning("%s: %s", u.where.c_str(), u.message.c_str());
        QCOMPARE(r.verdict(), Verdict::Intact);
        QVERIFY(r.hmacChecked);
        QCOMPARE(r.zone("zone-tricky")->rows, std::size(kJsonCases));
        size_t rows = 0;
        for (const auto& z : r.zones)
            rows += z.rows;
        QCOMPARE(rows, events.size());

        // COPY ... CSV HEADER of the table itself.
        const std::string csvDump =
            dump("COPY (SELECT * FROM audit_events ORDER BY zone_id, chain_seq) TO STDOUT "
                 "WITH CSV HEADER",
                 "dump.csv");
        r = verifyFile(csvDump);
        QCOMPARE(r.verdict(), Verdict::Intact);
        QCOMPARE(r.zone("zone-tricky")->rows, std::size(kJsonCases));

        // Rows shaped as Go's /api/audit/search prints them: compacted, HTML-escaped, omitempty.
        QByteArray rowsOut;
        QVERIFY(pg->runBytes("SELECT id, zone_id, event_type, request_id, decision, policy_set_id, "
                             "policy_set_version_id, manifest_sha, evaluation_status, "
                             "COALESCE(determining_policies_json::text, 'null'), "
                             "COALESCE(diagnostics_json::text, 'null'), COALESCE(metadata_json::text, ''), "
                             "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                             "content_sha256, COALESCE(prev_content_sha256, ''), chain_hmac, chain_seq "
                             "FROM audit_events ORDER BY occurred_at, id",
                             rowsOut, {"-z"}));
        std::string search;
        for (const QByteArray& line : rowsOut.split('\n')) {
            if (line.isEmpty()) continue;
            const QList<QByteArray> f = line.split('\0');
            QCOMPARE(f.size(), 17);
            auto s = [&](int i) { return f[i].toStdString(); };
            auto q = [&](int i) { return Json(s(i)).dump(); };
            std::string ev = "{\"id\":" + q(0) + ",\"zone_id\":" + q(1) + ",\"event_type\":" + q(2) +
                             ",\"request_id\":" + q(3) + ",\"decision\":" + q(4);
            if (!f[5].isEmpty()) ev += ",\"policy_set_id\":" + q(5);
            if (!f[6].isEmpty()) ev += ",\"policy_set_version_id\":" + q(6);
            if (!f[7].isEmpty()) ev += ",\"manifest_sha\":" + q(7);
            ev += ",\"evaluation_status\":" + q(8) + ",\"determining_policies_json\":" + goCompact(s(9)) +
                  ",\"diagnostics_json\":" + goCompact(s(10));
            if (!f[11].isEmpty()) ev += ",\"metadata_json\":" + goCompact(s(11));
            ev += ",\"occurred_at\":" + q(12) + "}";
            search += "{\"Event\":" + ev + ",\"IngestedAt\":" + q(12) + ",\"ContentSHA256\":" + q(13) +
                      ",\"PrevContentSHA256\":" + q(14) + ",\"ChainHMAC\":" + q(15) +
                      ",\"ChainSeq\":" + s(16) + "}\n";
        }
        QVERIFY(search.find("\\u003c") != std::string::npos); // the escaping really happened
        const std::string searchFile = test::writeFile(dir, "search.jsonl", search);
        r = verifyFile(searchFile);
        QCOMPARE(r.verdict(), Verdict::Intact);
        QCOMPARE(r.zone("zone-tricky")->rows, std::size(kJsonCases));

        // Altered in the database: an edited field, a deleted row.
        sql("UPDATE audit_events SET metadata_json = jsonb_set(metadata_json, '{z}', '3') "
            "WHERE zone_id = 'zone-tricky' AND chain_seq = 1");
        sql("DELETE FROM audit_events WHERE zone_id = 'zone-tricky' AND chain_seq = 4");
        r = verifyFile(dump("SELECT row_to_json(a) FROM audit_events a", "altered.jsonl"));
        QCOMPARE(r.verdict(), Verdict::Tampered);
        const ZoneVerdict* z = r.zone("zone-tricky");
        QCOMPARE(z->problems.size(), size_t(2));
        QCOMPARE(z->problems[0].kind, ProblemKind::ContentMismatch);
        QCOMPARE(z->problems[0].chainSeq, int64_t(1));
        QCOMPARE(z->problems[0].eventId, std::string("tricky-0"));
        QCOMPARE(z->problems[1].kind, ProblemKind::SeqGap);
        QCOMPARE(z->problems[1].chainSeq, int64_t(5));
    }

    void adminAuditDumpVerifies() {
        // As insertAdminAuditRecord: payload in the writer's key order, JSON.stringify'd; jsonb reorders it.
        struct Row {
            std::string id, zone, payload, occurred;
        };
        const std::vector<Row> rows = {
            {"adm-1", "zone-a",
             "{\"rls_mode\":\"zone_scoped\",\"rls_zone_guc\":\"zone-a\",\"operator\":\"acct-7\",\"change_"
             "kind\":"
             "\"update\",\"changed_fields\":[\"display_name\",\"scopes\"]}",
             "2026-07-14T10:00:00.120Z"},
            {"adm-2", "zone-a",
             "{\"rls_mode\":\"zone_scoped\",\"rls_zone_guc\":\"zone-a\",\"change_kind\":\"secret_rotation\","
             "\"secret_rotated\":true}",
             "2026-07-14T10:00:01.000Z"},
            {"adm-3", "", "", "2026-07-14T10:00:02.005Z"},
            {"adm-4", "", "{\"rls_mode\":\"control_plane_wildcard\",\"rls_zone_guc\":\"*\"}",
             "2026-07-14T10:00:03.999Z"},
        };
        std::map<std::string, std::pair<std::string, int64_t>> heads;
        std::string script =
            "COPY admin_audit_events (id, request_id, actor_id, actor_name, actor_scope, action, "
            "method, path, zone_id, entity_type, entity_id, status_code, payload_json, occurred_at, "
            "content_sha256, prev_content_sha256, chain_hmac, chain_seq) FROM STDIN WITH CSV;\n";
        for (const Row& r : rows) {
            std::string m;
            for (const std::string& f :
                 {r.id, std::string("req-9"), std::string("acct-7"), std::string("Ops Admin"),
                  std::string("admin:write"), std::string("PUT /v1/audit-retention"), std::string("PUT"),
                  std::string("/v1/audit-retention"), r.zone, std::string(""), std::string(""),
                  std::string("200"), r.payload, r.occurred})
                m += f + '\x1f';
            const std::string content = toHex(sha256(m));
            auto& head = heads[r.zone];
            const std::string hmac = chainHmac(key, content, head.first);
            script += test::ledgerCsvField(r.id) +
                      ",req-9,acct-7,Ops Admin,admin:write,PUT /v1/audit-retention,PUT," +
                      "/v1/audit-retention," + (r.zone.empty() ? "" : test::ledgerCsvField(r.zone)) +
                      ",,,200," + (r.payload.empty() ? "" : test::ledgerCsvField(r.payload)) + "," +
                      r.occurred + "," + content + "," + head.first + "," + hmac + "," +
                      std::to_string(++head.second) + "\n";
            head.first = content;
        }
        script += "\\.\n";
        QByteArray out;
        QVERIFY2(pg->runScript(QByteArray::fromStdString(script), out), out.constData());
        VerifyReport r = verifyFile(dump("SELECT row_to_json(a) FROM admin_audit_events a", "admin.jsonl"));
        QCOMPARE(r.verdict(), Verdict::Intact);
        QVERIFY(r.zone("zone-a", ChainTable::AdminAudit));
        QCOMPARE(r.zone("zone-a", ChainTable::AdminAudit)->rows, size_t(2));
        QVERIFY(r.zones.back().globalChain);
        QCOMPARE(r.zones.back().rows, size_t(2));
        r = verifyFile(dump("COPY admin_audit_events TO STDOUT WITH CSV HEADER", "admin.csv"));
        QCOMPARE(r.verdict(), Verdict::Intact);
        // An edited status code.
        sql("UPDATE admin_audit_events SET status_code = 403 WHERE id = 'adm-4'");
        r = verifyFile(dump("SELECT row_to_json(a) FROM admin_audit_events a", "admin2.jsonl"));
        QCOMPARE(r.verdict(), Verdict::Tampered);
        QCOMPARE(r.zones.back().problems[0].kind, ProblemKind::ContentMismatch);
        QCOMPARE(r.zones.back().problems[0].eventId, std::string("adm-4"));
    }

    void cleanupTestCase() { pg.reset(); }
};

QTEST_GUILESS_MAIN(PgJsonbTest)
#include "tst_pgjsonb.moc"
