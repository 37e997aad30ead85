#include "ledger/LedgerSearch.h"

#include "load/EventLoader.h"
#include "query/FilterQuery.h"
#include "util/SourceBuffer.h"

namespace caracal {

LedgerSearchResult
searchLedgerEvents(LedgerConnection& connection, const FilterNode* root, int64_t nowMicros,
                   LedgerReadOptions options, size_t maxRows,
                   const std::function<void(const EventStore&, const std::vector<RowId>&)>& rows) {
    LedgerSearchResult result;
    auto compiled = compileLedgerFilter(root, nowMicros);
    if (auto* e = std::get_if<FilterError>(&compiled)) {
        result.filterError = *e;
        return result;
    }
    const LedgerFilter& filter = std::get<LedgerFilter>(compiled);
    result.localTerms = filter.local;
    if (filter.exact) options.rowCap = std::min(options.rowCap, maxRows); // else the local filter decides
    size_t page = 0;
    result.read = readLedgerEvents(connection, filter, options, [&](std::string&& lines, size_t) {
        EventStore store;
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&& b) { store.append(std::move(b)); };
        loadBuffer(SourceBuffer::fromBytes("ledger page " + std::to_string(++page), std::move(lines)), {},
                   cb);
        store.finishLoading();
        auto q = FilterQuery::compile(root, store, nowMicros);
        if (auto* e = std::get_if<FilterError>(&q)) {
            result.filterError = *e;
            return false;
        }
        std::vector<RowId> matching = std::get<FilterQuery>(q).run(options.cancel);
        if (matching.size() > maxRows - result.matched) matching.resize(maxRows - result.matched);
        result.matched += matching.size();
        rows(store, matching);
        return result.matched < maxRows && !(options.cancel && options.cancel->load());
    });
    // Stopping at maxRows is not a cancel.
    if (result.read.cancelled && result.matched >= maxRows && !(options.cancel && options.cancel->load())) {
        result.read.cancelled = false;
        result.read.capped = true;
    }
    return result;
}

} // namespace caracal
