#pragma once
// `--pg CONNINFO` for search, stats, explain and verify: Caracal's PostgreSQL ledger read directly,
// read-only, through the engine's ledger folder. The connection string never carries a password.
#include "chain/ChainReport.h"
#include "query/FilterParser.h"
#include "store/EventStore.h"

#include <QCommandLineParser>
#include <functional>

namespace caracal::cli {

struct LedgerCliOptions {
    QCommandLineOption pg{"pg",
                          "Read Caracal's PostgreSQL ledger instead of files: a libpq connection string "
                          "(host=... dbname=... user=..., service=NAME) or URI, without a password "
                          "(libpq reads ~/.pgpass or PGPASSFILE).",
                          "CONNINFO"};
    QCommandLineOption statementTimeout{
        "statement-timeout", "With --pg: the longest one statement may run, in seconds (default 300).", "S",
        "300"};
    void addTo(QCommandLineParser& parser) const { parser.addOptions({pg, statementTimeout}); }
    bool used(const QCommandLineParser& parser) const { return parser.isSet(pg); }
};

// Prints the matching rows page by page: print(store, rows, firstPage) with the local filter applied.
using PrintRows = std::function<void(const EventStore&, const std::vector<RowId>&, bool first)>;
int searchLedger(const QCommandLineParser& parser, const LedgerCliOptions& options, const QStringList& zones,
                 const FilterNode* root, size_t maxRows, const PrintRows& print);
int statsLedger(const QCommandLineParser& parser, const LedgerCliOptions& options, const QStringList& zones,
                bool json);
// Loads one request's events (and its approval challenges') into `store`; `zone` becomes the request's
// zone. Returns Success or the exit status, having said why.
int loadLedgerRequest(const QCommandLineParser& parser, const LedgerCliOptions& options,
                      const std::string& requestId, EventStore& store, std::string& zone);
// False (having said why) when the ledger could not be read to the end.
bool verifyFromLedger(const QCommandLineParser& parser, const LedgerCliOptions& options,
                      const QStringList& zones, const std::string& key, VerifyReport& report);

} // namespace caracal::cli
