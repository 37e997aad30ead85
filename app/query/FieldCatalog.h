#pragma once
// One table for the names a field goes by: the console's column key ("@zone") or export field
// ("application_id"), the filter language's key ("app"), and the record field the store indexes it under,
// which serves sorting and the filter bar's completion. The table, the filter bar and the sorter all read it.
#include "store/EventRecord.h"

#include <optional>
#include <span>
#include <string_view>

namespace caracal {

struct FieldInfo {
    std::string_view column;         // a console column key or one of the 46 export fields
    std::string_view filterKey;      // "" when the filter language has no key for it (free text)
    std::optional<Field> storeField; // the record field holding its value, if the store keeps one
    bool completes = false;          // the filter bar offers the store's values of storeField for filterKey
};

std::span<const FieldInfo> fieldCatalog();
// The filter key for a column ("" = filter by free text).
std::string_view filterKeyOfColumn(std::string_view column);
// The record field a column's value sits in, if any.
std::optional<Field> storeFieldOfColumn(std::string_view column);

} // namespace caracal
