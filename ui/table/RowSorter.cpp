#include "table/RowSorter.h"

#include "present/EventPresentation.h"
#include "query/FieldCatalog.h"
#include "util/ParallelSlices.h"
#include "util/RawJson.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

namespace caracal::ui {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
char lower(char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Whether `a` goes before `b` in `sort`'s order, ties in time order (reversed when descending).
bool before(const EventStore& store, const std::string& ka, RowId a, const std::string& kb, RowId b,
            const SortSpec& sort) {
    const bool asc = sort.order == Qt::AscendingOrder;
    if (sort.isTimeOrder()) return asc ? store.lessInTime(a, b) : store.lessInTime(b, a);
    if (naturalLess(ka, kb)) return asc;
    if (naturalLess(kb, ka)) return !asc;
    return asc ? store.lessInTime(a, b) : store.lessInTime(b, a);
}

} // namespace

bool naturalLess(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            size_t si = i, sj = j;
            while (si < a.size() && a[si] == '0')
                ++si;
            while (sj < b.size() && b[sj] == '0')
                ++sj;
            size_t ei = si, ej = sj;
            while (ei < a.size() && isDigit(a[ei]))
                ++ei;
            while (ej < b.size() && isDigit(b[ej]))
                ++ej;
            if (ei - si != ej - sj) return ei - si < ej - sj;
            if (int c = a.substr(si, ei - si).compare(b.substr(sj, ej - sj)); c != 0) return c < 0;
            i = ei;
            j = ej;
            continue;
        }
        const char x = lower(a[i]), y = lower(b[j]);
        if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;
}

std::string columnSortKey(const EventStore& store, RowId row, const QString& column) {
    if (column == QLatin1String("@event"))
        return eventLabel(store.field(row, Field::EventType), store.field(row, Field::Decision));
    const QByteArray key = column.toUtf8();
    const std::string_view k(key.constData(), size_t(key.size()));
    if (auto f = storeFieldOfColumn(k)) return std::string(store.field(row, *f));
    if (column == QLatin1String("@actor")) {
        if (auto actor = store.actorOf(row); !actor.empty()) return std::string(actor);
        return actorName(store.event(row));
    }
    std::string_view text = store.rowText(row);
    if (store.record(row).flags & SearchRow)
        text = rawjson::member(text, "Event").value_or(std::string_view{});
    std::optional<std::string_view> value = rawjson::member(text, k);
    if (!value)
        if (auto meta = rawjson::member(text, "metadata_json")) value = rawjson::member(*meta, k);
    if (!value || *value == "null") return {};
    std::string_view v = *value;
    if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
}

bool sortRows(const EventStore& store, std::vector<RowId>& rows, const SortSpec& sort,
              const std::atomic<bool>* cancel) {
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    if (sort.isTimeOrder()) {
        if (sort.order == Qt::DescendingOrder) std::reverse(rows.begin(), rows.end());
        return true;
    }
    // Keys on every core, then each distinct key ranked once: the row sort compares integers.
    std::vector<std::string> keys(rows.size());
    std::atomic<bool> stopped{false};
    forEachSlice(rows.size(), sliceCount(rows.size()), [&](size_t, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            if ((i & 4095) == 0 && cancelled()) {
                stopped = true;
                return;
            }
            keys[i] = columnSortKey(store, rows[i], sort.column);
        }
    });
    if (stopped) return false;

    std::unordered_map<std::string_view, uint32_t> distinct;
    for (const std::string& k : keys)
        distinct.emplace(k, 0);
    std::vector<std::string_view> order;
    order.reserve(distinct.size());
    for (const auto& [k, rank] : distinct)
        order.push_back(k);
    std::sort(order.begin(), order.end(), naturalLess);
    for (uint32_t r = 0; r < order.size(); ++r)
        distinct[order[r]] = r;
    if (cancelled()) return false;
    std::vector<std::pair<uint32_t, RowId>> ranked(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        ranked[i] = {distinct[keys[i]], rows[i]};
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (cancelled()) return false;
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i] = ranked[i].second;
    if (sort.order == Qt::DescendingOrder) std::reverse(rows.begin(), rows.end());
    return true;
}

void insertSorted(const EventStore& store, std::vector<RowId>& rows, std::vector<RowId> added,
                  const SortSpec& sort) {
    if (added.empty()) return;
    // Each new row finds its place by binary search: log n keys read, not n.
    std::vector<std::pair<size_t, RowId>> places;
    places.reserve(added.size());
    for (RowId r : added) {
        const std::string key = sort.isTimeOrder() ? std::string() : columnSortKey(store, r, sort.column);
        auto it = std::upper_bound(rows.begin(), rows.end(), r, [&](RowId x, RowId y) {
            const std::string ky = sort.isTimeOrder() ? std::string() : columnSortKey(store, y, sort.column);
            return before(store, key, x, ky, y, sort);
        });
        places.emplace_back(size_t(it - rows.begin()), r);
    }
    // Stable by place, then in the order the new rows themselves sort.
    std::stable_sort(places.begin(), places.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        const std::string ka =
            sort.isTimeOrder() ? std::string() : columnSortKey(store, a.second, sort.column);
        const std::string kb =
            sort.isTimeOrder() ? std::string() : columnSortKey(store, b.second, sort.column);
        return before(store, ka, a.second, kb, b.second, sort);
    });
    std::vector<RowId> out;
    out.reserve(rows.size() + places.size());
    size_t next = 0;
    for (const auto& [place, r] : places) {
        out.insert(out.end(), rows.begin() + long(next), rows.begin() + long(place));
        out.push_back(r);
        next = place;
    }
    out.insert(out.end(), rows.begin() + long(next), rows.end());
    rows = std::move(out);
}

} // namespace caracal::ui
