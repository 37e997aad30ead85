#pragma once
// One read-only session on Caracal's PostgreSQL ledger through libpq. The connection string or URI never
// carries a password (libpq finds it in ~/.pgpass or PGPASSFILE); every session is read-only, has a statement
// timeout and sets caracal.zone_id for the ledger's row-level security. Error messages are libpq's primary
// message only: never the statement, never the connection string.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace caracal {

struct LedgerOptions {
    std::string conninfo;            // "host=... dbname=... user=...", "service=NAME" or a postgresql:// URI
    std::string zone;                // caracal.zone_id; empty: "*" (every zone the role may see)
    int statementTimeoutMs = 120000; // per statement; 0: the server's default
};

// Why a connection string is refused before anything is sent (a password in it, or not parseable).
std::optional<std::string> refuseConnectionString(const std::string& conninfo);

struct LedgerResultDeleter {
    void operator()(pg_result* r) const;
};
using LedgerResult = std::unique_ptr<pg_result, LedgerResultDeleter>;

class LedgerConnection {
  public:
    LedgerConnection();
    ~LedgerConnection();
    LedgerConnection(const LedgerConnection&) = delete;
    LedgerConnection& operator=(const LedgerConnection&) = delete;

    // Connects and prepares the session. False with `error` a message a user can act on.
    bool open(const LedgerOptions& options, std::string& error);
    bool isOpen() const { return m_conn != nullptr; }
    const std::string& zone() const { return m_zone; } // the RLS zone in force ("*" for all)
    const std::string& user() const { return m_user; }
    bool usesTls() const { return m_tls; }

    // Runs one parameterised statement (text parameters $1..$n). Null with `error` set on failure.
    LedgerResult query(const std::string& sql, const std::vector<std::string>& params, std::string& error);
    // Single-row streaming: fn(result, row) for each row as it arrives; fn returns false to stop (the query
    // is then cancelled on the server). False with `error` set when the query failed part way.
    bool stream(const std::string& sql, const std::vector<std::string>& params,
                const std::function<bool(pg_result*)>& fn, std::string& error);
    // Asks the server to stop the running statement (thread-safe; for Cancel while a query runs).
    void cancelRunning();
    // While a statement runs, the flag is looked at every 100 ms; once set, the statement is cancelled on
    // the server (a Cancel reaches a statement that waits for a lock or computes before its first row).
    void watchCancel(const std::atomic<bool>* flag) { m_watch = flag; }

    // Why this session sees no rows of audit_events: no table, no SELECT, RLS with no or another zone.
    std::string whyNothingVisible();
    bool lost() const; // the connection is gone (server stopped, network)

    pg_conn* raw() const { return m_conn; }

  private:
    std::string failure(pg_result* r, const char* what);
    bool awaitResult(); // false: the session was given up (a cancel the server never answered)
    const std::atomic<bool>* m_watch = nullptr;
    bool m_cancelSent = false;
    pg_conn* m_conn = nullptr;
    std::string m_zone, m_user;
    bool m_tls = false;
    mutable bool m_lost = false;
    struct Canceller;
    std::unique_ptr<Canceller> m_cancel;
};

// Column text helpers over a libpq result.
std::string_view ledgerValue(pg_result* r, int row, int column);
bool ledgerIsNull(pg_result* r, int row, int column);
int ledgerRows(pg_result* r);

} // namespace caracal
