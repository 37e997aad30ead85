#include "ledger/LedgerLoad.h"

#include "load/EventLoader.h"
#include "util/SourceBuffer.h"

namespace caracal {

LedgerReadResult loadLedgerEvents(EventStore& store, LedgerConnection& connection, const LedgerFilter& filter,
                                  const LedgerReadOptions& options) {
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& b) { store.append(std::move(b)); };
    cb.cancel = options.cancel;
    size_t page = 0;
    return readLedgerEvents(connection, filter, options, [&](std::string&& lines, size_t) {
        auto source = SourceBuffer::fromBytes("ledger page " + std::to_string(++page), std::move(lines));
        loadBuffer(source, {}, cb);
        return !(options.cancel && options.cancel->load());
    });
}

} // namespace caracal
