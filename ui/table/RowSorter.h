#pragma once
// Sorting a view by a column, off the GUI thread: the sort key of every row is read from the store alone (no
// model, no cache), so a worker can sort while the window stays responsive. Numbers inside keys compare as
// numbers ("app-9" before "app-10"); equal keys keep time order.
#include "store/EventStore.h"

#include <QString>
#include <atomic>
#include <string>
#include <vector>

namespace caracal::ui {

struct SortSpec {
    QString column; // a column key ("@actor", "resource", ...); empty: time order
    Qt::SortOrder order = Qt::AscendingOrder;
    bool isTimeOrder() const { return column.isEmpty() || column == QLatin1String("@occurred"); }
    bool operator==(const SortSpec&) const = default;
};

// The text a column sorts by for one row.
std::string columnSortKey(const EventStore& store, RowId row, const QString& column);
// Case-insensitive, digit runs compared by value, then bytewise.
bool naturalLess(std::string_view a, std::string_view b);

// Sorts `rows` (given in time order) by `sort`; false (rows unchanged) when cancelled.
bool sortRows(const EventStore& store, std::vector<RowId>& rows, const SortSpec& sort,
              const std::atomic<bool>* cancel = nullptr);
// Places `added` (in time order) into `rows`, which is already sorted by `sort`, without sorting it again.
void insertSorted(const EventStore& store, std::vector<RowId>& rows, std::vector<RowId> added,
                  const SortSpec& sort);

} // namespace caracal::ui
