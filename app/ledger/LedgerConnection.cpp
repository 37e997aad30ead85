#include "ledger/LedgerConnection.h"

#include <chrono>
#include <libpq-fe.h>
#include <mutex>
#include <poll.h>

namespace caracal {

namespace {

constexpr const char* kUsePassFile =
    "put the password in ~/.pgpass (or the file the PGPASSFILE variable names), where libpq finds it";

// libpq's primary message, first line only: the "LINE n:" context would quote the statement.
std::string primaryMessage(const char* text) {
    std::string s = text ? text : "";
    if (const size_t nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.pop_back();
    return s;
}

} // namespace

std::optional<std::string> refuseConnectionString(const std::string& conninfo) {
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
    if (!options) {
        std::string message = "the ledger connection string is not valid";
        if (err) {
            message += ": " + primaryMessage(err);
            PQfreemem(err);
        }
        return message + " (use host=... port=... dbname=... user=..., service=NAME or a postgresql:// URI)";
    }
    bool password = false;
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (std::string_view(o->keyword) == "password" && o->val && *o->val) password = true;
    PQconninfoFree(options);
    if (password)
        return std::string("the ledger connection string carries a password; it is refused so that it never "
                           "reaches a shell history, a log or saved settings: remove it and ") +
               kUsePassFile;
    return std::nullopt;
}

void LedgerResultDeleter::operator()(pg_result* r) const {
    PQclear(r);
}

struct LedgerConnection::Canceller {
    std::mutex mutex;
    PGcancel* cancel = nullptr;
};

LedgerConnection::LedgerConnection() : m_cancel(std::make_unique<Canceller>()) {}

LedgerConnection::~LedgerConnection() {
    {
        std::lock_guard lock(m_cancel->mutex);
        if (m_cancel->cancel) PQfreeCancel(m_cancel->cancel);
        m_cancel->cancel = nullptr;
    }
    if (m_conn) PQfinish(m_conn);
}

bool LedgerConnection::open(const LedgerOptions& options, std::string& error) {
    if (auto refused = refuseConnectionString(options.conninfo)) {
        error = *refused;
        return false;
    }
    const char* keys[] = {"fallback_application_name", "dbname", nullptr};
    const char* values[] = {"caracal-trace", options.conninfo.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (!c) {
        error = "could not allocate a PostgreSQL connection";
        return false;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        const std::string why = primaryMessage(PQerrorMessage(c));
        if (PQconnectionNeedsPassword(c))
            error = "the ledger asks for a password and none was found: " + std::string(kUsePassFile);
        else if (PQconnectionUsedPassword(c))
            error = "the ledger refused the login (" + why +
                    "): check the user and the password in ~/.pgpass or PGPASSFILE";
        else
            error = "cannot connect to the ledger: " + why;
        PQfinish(c);
        return false;
    }
    m_conn = c;
    // Server notices (e.g. the shutdown warning) are not for the user's terminal; failures are reported.
    PQsetNoticeProcessor(
        m_conn, [](void*, const char*) {}, nullptr);
    m_zone = options.zone.empty() ? "*" : options.zone;
    // Read-only before anything else, then the timeout and the zone, all as parameters of one statement.
    std::string e;
    LedgerResult r = query("SELECT set_config('default_transaction_read_only', 'on', false), "
                           "set_config('statement_timeout', $1, false), "
                           "set_config('caracal.zone_id', $2, false), current_user",
                           {std::to_string(std::max(0, options.statementTimeoutMs)), m_zone}, e);
    if (!r) {
        error = "the ledger session could not be prepared: " + e;
        PQfinish(m_conn);
        m_conn = nullptr;
        return false;
    }
    m_user = std::string(ledgerValue(r.get(), 0, 3));
    // The next statement's transaction is the first one the setting governs.
    LedgerResult check = query("SELECT current_setting('transaction_read_only')", {}, e);
    if (!check || ledgerValue(check.get(), 0, 0) != "on") {
        error = "the ledger session could not be made read-only";
        PQfinish(m_conn);
        m_conn = nullptr;
        return false;
    }
    m_tls = PQsslInUse(m_conn) == 1;
    std::lock_guard lock(m_cancel->mutex);
    m_cancel->cancel = PQgetCancel(m_conn);
    return true;
}

bool LedgerConnection::lost() const {
    return !m_conn || PQstatus(m_conn) != CONNECTION_OK || m_lost;
}

std::string LedgerConnection::failure(pg_result* r, const char* what) {
    const char* code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    // No SQLSTATE (libpq's own error), connection exceptions (08) and server shutdown (57P): the session is
    // gone.
    const std::string_view sqlstate = code ? code : "";
    if (lost() || sqlstate.empty() || sqlstate.substr(0, 2) == "08" || sqlstate.substr(0, 3) == "57P") {
        m_lost = true;
        return std::string("the connection to the ledger was lost during ") + what +
               " (the server stopped or the network failed): the results are incomplete";
    }
    std::string message;
    const char* state = code;
    if (r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY))
        message = primaryMessage(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
    else
        message = primaryMessage(PQerrorMessage(m_conn));
    if (state && std::string_view(state) == "57014")
        return message + " (the statement timeout or a cancel stopped " + what + ")";
    if (state && std::string_view(state) == "42501")
        return message + " (the role " + m_user +
               " lacks the privilege; Caracal grants SELECT on the audit "
               "tables to caracalapi and caracalaudit)";
    if (state && std::string_view(state) == "25006") return message + " (the ledger is read only here)";
    return message;
}

namespace {
std::vector<const char*> paramPointers(const std::vector<std::string>& params) {
    std::vector<const char*> p;
    p.reserve(params.size());
    for (const std::string& s : params)
        p.push_back(s.c_str());
    return p;
}
} // namespace

bool LedgerConnection::awaitResult() {
    // PQgetResult would block until the server answers; waiting here instead lets a Cancel reach the server
    // while a statement runs or waits for a lock. PQisBusy reads only what arrived (no system call per row).
    // The poll is bounded: with TLS a record may sit in OpenSSL's buffer while the socket shows nothing.
    std::chrono::steady_clock::time_point cancelledAt;
    while (PQisBusy(m_conn)) {
        if (m_watch && m_watch->load() && !m_cancelSent) {
            cancelRunning();
            m_cancelSent = true;
        }
        if (m_cancelSent) {
            const auto now = std::chrono::steady_clock::now();
            if (cancelledAt == std::chrono::steady_clock::time_point()) cancelledAt = now;
            // A server that does not answer its cancel: the session is given up, not waited for forever.
            if (now - cancelledAt > std::chrono::seconds(10)) {
                m_lost = true;
                return false;
            }
        }
        pollfd p{PQsocket(m_conn), POLLIN, 0};
        if (p.fd < 0) return true;
        ::poll(&p, 1, 100);
        if (!PQconsumeInput(m_conn)) return true; // the connection failed: PQgetResult says how
    }
    return true;
}

LedgerResult LedgerConnection::query(const std::string& sql, const std::vector<std::string>& params,
                                     std::string& error) {
    if (!m_conn) {
        error = "not connected to the ledger";
        return {};
    }
    const auto p = paramPointers(params);
    if (!PQsendQueryParams(m_conn, sql.c_str(), static_cast<int>(p.size()), nullptr, p.data(), nullptr,
                           nullptr, 0)) {
        error = failure(nullptr, "a query");
        return {};
    }
    m_cancelSent = false;
    LedgerResult result, failed;
    for (;;) {
        if (!awaitResult()) {
            error = failure(nullptr, "a query");
            return {};
        }
        PGresult* raw = PQgetResult(m_conn);
        if (!raw) break;
        const ExecStatusType status = PQresultStatus(raw);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            if (!failed)
                failed.reset(raw);
            else
                PQclear(raw);
        } else {
            result.reset(raw);
        }
    }
    if (failed || !result) {
        error = failure(failed.get(), "a query");
        return {};
    }
    return result;
}

bool LedgerConnection::stream(const std::string& sql, const std::vector<std::string>& params,
                              const std::function<bool(pg_result*)>& fn, std::string& error) {
    if (!m_conn) {
        error = "not connected to the ledger";
        return false;
    }
    const auto p = paramPointers(params);
    if (!PQsendQueryParams(m_conn, sql.c_str(), static_cast<int>(p.size()), nullptr, p.data(), nullptr,
                           nullptr, 0)) {
        error = failure(nullptr, "a query");
        return false;
    }
    PQsetSingleRowMode(m_conn);
    m_cancelSent = false;
    bool ok = true, stopped = false;
    for (;;) {
        if (!awaitResult()) {
            if (!stopped) error = failure(nullptr, "reading rows");
            return stopped;
        }
        PGresult* raw = PQgetResult(m_conn);
        if (!raw) break;
        LedgerResult r(raw);
        const ExecStatusType status = PQresultStatus(raw);
        if (status == PGRES_SINGLE_TUPLE) {
            if (!stopped && !fn(raw)) {
                stopped = true;
                cancelRunning(); // the rest is drained below; the server stops sending
                m_cancelSent = true;
            }
        } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            if (!stopped && ok) {
                error = failure(raw, "reading rows");
                ok = false;
            }
        }
    }
    if (ok && lost()) {
        error = failure(nullptr, "reading rows");
        ok = false;
    }
    return ok;
}

void LedgerConnection::cancelRunning() {
    std::lock_guard lock(m_cancel->mutex);
    if (!m_cancel->cancel) return;
    char buffer[256];
    PQcancel(m_cancel->cancel, buffer, sizeof buffer);
}

std::string LedgerConnection::whyNothingVisible() {
    std::string e;
    LedgerResult r = query("SELECT to_regclass('public.audit_events') IS NOT NULL, "
                           "current_setting('caracal.zone_id', true), "
                           "(SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)",
                           {}, e);
    if (!r) return e;
    if (ledgerValue(r.get(), 0, 0) != "t")
        return "this database has no audit_events table: is the connection string pointing at Caracal's "
               "database?";
    LedgerResult p =
        query("SELECT has_table_privilege('public.audit_events', 'SELECT'), "
              "(SELECT relrowsecurity FROM pg_class WHERE oid = 'public.audit_events'::regclass)",
              {}, e);
    if (!p) return e;
    if (ledgerValue(p.get(), 0, 0) != "t")
        return "the role " + m_user +
               " has no SELECT on audit_events: Caracal grants it to caracalapi and caracalaudit";
    const std::string_view guc = ledgerValue(r.get(), 0, 1);
    const bool bypass = ledgerValue(r.get(), 0, 2) == "t";
    if (!bypass && ledgerValue(p.get(), 0, 1) == "t") {
        if (guc.empty())
            return "row-level security hides every row: caracal.zone_id is not set for this session";
        if (guc != "*")
            return "row-level security shows the role " + m_user + " only zone " + std::string(guc) +
                   " (caracal.zone_id), and that zone has no rows here: check the zone id";
    }
    return "the ledger holds no rows that the role " + m_user + " can see" +
           (guc == "*" ? std::string(" in any zone") : " in zone " + std::string(guc));
}

std::string_view ledgerValue(pg_result* r, int row, int column) {
    return {PQgetvalue(r, row, column), static_cast<size_t>(PQgetlength(r, row, column))};
}
bool ledgerIsNull(pg_result* r, int row, int column) {
    return PQgetisnull(r, row, column) != 0;
}
int ledgerRows(pg_result* r) {
    return PQntuples(r);
}

} // namespace caracal
