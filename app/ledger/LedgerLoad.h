#pragma once
// Ledger pages loaded into an EventStore (the console, explain): each page goes through the same loader as a
// file, so the store cannot tell the rows from a database dump's.
#include "ledger/LedgerReader.h"
#include "store/EventStore.h"

namespace caracal {

// Appends the matching rows (pages of options.pageRows, up to options.rowCap) to `store`; does not call
// finishLoading, so a caller can append more before indexing.
LedgerReadResult loadLedgerEvents(EventStore& store, LedgerConnection& connection, const LedgerFilter& filter,
                                  const LedgerReadOptions& options);

} // namespace caracal
