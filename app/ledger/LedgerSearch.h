#pragma once
// A filter run against the ledger: the pushed-down part selects pages on the server, each page is loaded
// into a small store of its own and the whole filter runs there too, so the answer is the file engine's over
// the same events, in the same order (occurred_at, then id), in bounded memory.
#include "ledger/LedgerReader.h"
#include "store/EventStore.h"

namespace caracal {

struct LedgerSearchResult {
    LedgerReadResult read;
    size_t matched = 0;
    std::optional<FilterError> filterError;
    std::vector<std::string> localTerms; // terms SQL could not decide (applied here)
};

// rows(pageStore, matchingRows) per page, at most maxRows rows in all.
LedgerSearchResult
searchLedgerEvents(LedgerConnection& connection, const FilterNode* root, int64_t nowMicros,
                   LedgerReadOptions options, size_t maxRows,
                   const std::function<void(const EventStore&, const std::vector<RowId>&)>& rows);

} // namespace caracal
