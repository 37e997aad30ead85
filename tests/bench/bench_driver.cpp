// The two PostgreSQL clients the ledger could be read with, on the same work: stream every row of one zone
// (every column as text, the jsonb as its text) in (occurred_at, id) order, touching each value once.
//   caracal-driver-bench libpq|qpsql CONNINFO ZONE
// prints "rows N bytes B". Run each in its own process (tests/bench/run.sh times them and reads peak RSS):
// libpq through LedgerConnection (single-row mode), Qt's QPSQL driver through a forward-only QSqlQuery.
#include "ledger/LedgerConnection.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cstdio>
#include <libpq-fe.h>
#include <map>
#include <string>

namespace {

const char* kSelect =
    "SELECT id, zone_id, event_type, request_id, decision, policy_set_id, policy_set_version_id, "
    "manifest_sha, evaluation_status, determining_policies_json::text, diagnostics_json::text, "
    "metadata_json::text, occurred_at::text, content_sha256, prev_content_sha256, chain_hmac, "
    "chain_seq::text FROM audit_events WHERE zone_id = $1 ORDER BY occurred_at, id";

int viaLibpq(const std::string& conninfo, const std::string& zone) {
    caracal::LedgerConnection c;
    caracal::LedgerOptions o;
    o.conninfo = conninfo;
    o.statementTimeoutMs = 0;
    std::string error;
    if (!c.open(o, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    size_t rows = 0, bytes = 0;
    const bool ok = c.stream(
        kSelect, {zone},
        [&](pg_result* r) {
            ++rows;
            for (int f = 0; f < PQnfields(r); ++f)
                bytes += caracal::ledgerValue(r, 0, f).size();
            return true;
        },
        error);
    if (!ok) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    std::printf("rows %zu bytes %zu\n", rows, bytes);
    return 0;
}

int viaQpsql(const std::string& conninfo, const std::string& zone) {
    std::map<std::string, std::string> parts;
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
    if (!options) {
        std::fprintf(stderr, "bad connection string\n");
        return 2;
    }
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val) parts[o->keyword] = o->val;
    PQconninfoFree(options);
    QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL");
    db.setHostName(QString::fromStdString(parts["host"]));
    db.setPort(parts.count("port") ? std::stoi(parts["port"]) : 5432);
    db.setUserName(QString::fromStdString(parts["user"]));
    db.setDatabaseName(QString::fromStdString(parts["dbname"]));
    if (!db.open()) {
        std::fprintf(stderr, "%s\n", qPrintable(db.lastError().text()));
        return 2;
    }
    QSqlQuery session(db);
    session.exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    session.exec("SELECT set_config('caracal.zone_id', '*', false)");
    QSqlQuery q(db);
    q.setForwardOnly(true); // otherwise the driver holds the whole result
    q.prepare(QString(kSelect).replace("$1", "?"));
    q.addBindValue(QString::fromStdString(zone));
    if (!q.exec()) {
        std::fprintf(stderr, "%s\n", qPrintable(q.lastError().text()));
        return 2;
    }
    size_t rows = 0, bytes = 0;
    while (q.next()) {
        ++rows;
        for (int f = 0; f < 17; ++f)
            bytes += static_cast<size_t>(q.value(f).toByteArray().size());
    }
    std::printf("rows %zu bytes %zu\n", rows, bytes);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: caracal-driver-bench libpq|qpsql CONNINFO ZONE\n");
        return 2;
    }
    const std::string which = argv[1];
    return which == "qpsql" ? viaQpsql(argv[2], argv[3]) : viaLibpq(argv[2], argv[3]);
}
