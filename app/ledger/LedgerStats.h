#pragma once
// Counts by zone, decision and event type computed by the ledger itself (one GROUP BY): no row is loaded.
#include "ledger/LedgerConnection.h"
#include "ledger/LedgerQuery.h"
#include "store/StoreStats.h"

#include <map>

namespace caracal {

// nullopt with `error` set when the query failed.
std::optional<StoreStats> ledgerStats(LedgerConnection& connection, const LedgerFilter& filter,
                                      std::string& error);

// Deny events per deny reason (ledgerDenyReasonSql) among the rows `filter` selects: the Diagnostics
// overview's deny reasons counted by the server.
std::optional<std::map<std::string, uint64_t>>
ledgerDenyReasonCounts(LedgerConnection& connection, const LedgerFilter& filter, std::string& error);

// Rows per zone visible to this session (the zone selector's counts, Test connection).
std::optional<std::map<std::string, uint64_t>> ledgerZoneCounts(LedgerConnection& connection,
                                                                std::string& error);

} // namespace caracal
