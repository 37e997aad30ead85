#pragma once
// One event can reach the console more than once: a follow-mode poll overlaps what is loaded, or a file
// export is merged with the same events read from the API. Copies are matched by zone and event id and only
// the richest stays visible: chain fields from the audit service, then an authority record that is not
// "[redacted]", then a time with microseconds; between equals the copy loaded first stays.
#include "load/EventLoader.h"
#include "store/EventStore.h"

#include <functional>
#include <memory>

namespace caracal {

// Higher is richer.
int eventRichness(const EventStore& store, RowId row);

struct MergeCounts {
    size_t added = 0;    // new events (ids not loaded before)
    size_t replaced = 0; // loaded events whose new copy is richer: the old copy is hidden
    size_t kept = 0;     // new copies no richer than the loaded one: the new copy is hidden
};
// Compares rows from `firstNew` on with the rows before and with each other, superseding the poorer copies.
MergeCounts supersedeDuplicates(EventStore& store, RowId firstNew);

struct StoreExtension {
    std::shared_ptr<EventStore> store; // null when cancelled
    MergeCounts counts;
};
// A copy of `base` with whatever `load` delivers appended, duplicates resolved and indexes built. Runs on any
// thread: `base` is only read.
StoreExtension extendStore(const EventStore& base, const std::function<bool(const LoadCallbacks&)>& load,
                           const std::atomic<bool>* cancel = nullptr);

} // namespace caracal
