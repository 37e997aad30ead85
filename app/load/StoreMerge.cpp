#include "load/StoreMerge.h"

#include <string>
#include <unordered_map>

namespace caracal {

int eventRichness(const EventStore& store, RowId row) {
    const EventRecord& rec = store.record(row);
    int score = 0;
    if (rec.flags & SearchRow) score += 4; // ContentSHA256, ChainSeq, ...: only the audit service has them
    if (store.rowText(row).find("\"[redacted]\"") == std::string_view::npos) score += 2;
    if (rec.occurredAt % 1000 != 0) score += 1; // the API cuts times to the millisecond
    return score;
}

MergeCounts supersedeDuplicates(EventStore& store, RowId firstNew) {
    MergeCounts counts;
    if (firstNew >= store.size()) return counts;
    auto keyOf = [&](RowId r) {
        std::string key(store.field(r, Field::Zone));
        key += '\x1f';
        key += store.eventId(r);
        return key;
    };
    std::unordered_map<std::string, RowId> visible; // zone + id -> the copy shown
    visible.reserve(store.size());
    for (RowId r = 0; r < firstNew; ++r)
        if (!store.isSuperseded(r)) visible.emplace(keyOf(r), r);
    for (RowId r = firstNew; r < store.size(); ++r) {
        const std::string key = keyOf(r);
        auto [it, inserted] = visible.emplace(key, r);
        if (inserted) {
            ++counts.added;
            continue;
        }
        const bool loadedBefore = it->second < firstNew;
        if (eventRichness(store, r) > eventRichness(store, it->second)) {
            store.supersede(it->second);
            it->second = r;
            if (loadedBefore) ++counts.replaced;
        } else {
            store.supersede(r);
            if (loadedBefore) ++counts.kept;
        }
    }
    return counts;
}

StoreExtension extendStore(const EventStore& base, const std::function<bool(const LoadCallbacks&)>& load,
                           const std::atomic<bool>* cancel) {
    StoreExtension out;
    std::shared_ptr<EventStore> copy = base.clone();
    const RowId firstNew = RowId(copy->size());
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& batch) { copy->append(std::move(batch)); };
    cb.fileError = [&](const std::string& message) { copy->addLoadError(message); };
    cb.notice = [&](const std::string& message) { copy->addNotice(message); };
    cb.cancel = cancel;
    if (!load(cb) || (cancel && cancel->load())) return out;
    out.counts = supersedeDuplicates(*copy, firstNew);
    copy->finishLoading();
    out.store = std::move(copy);
    return out;
}

} // namespace caracal
