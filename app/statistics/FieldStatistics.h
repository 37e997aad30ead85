#pragma once
// Counts of events by one field (Wireshark's Statistics tables): per value the events, their decisions and a
// sparkline over the time range, plus how many events lack the field. Computed from the thin records alone
// (interned ids, arrays indexed by id), sliced across cores, so a table over a million rows never parses
// JSON.
#include "store/EventStore.h"

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// The groupings of `caracal-trace stats --by` and the console's Statistics window.
enum class StatisticsField {
    Zone,
    EventType,
    Decision,
    Application,
    Resource,
    Reason,
    Policy,
    Session,
    Label
};

// "zone", "event_type", ... as the CLI spells them.
std::string_view statisticsFieldName(StatisticsField field);
std::optional<StatisticsField> statisticsFieldFromName(std::string_view name);
const std::vector<StatisticsField>& allStatisticsFields();
// Says what a grouping counts, e.g. that reasons count deny events and labels may count an event twice.
std::string_view statisticsFieldNote(StatisticsField field);

struct StatisticsRow {
    std::string value;
    std::string name; // application grouping: the name loaded events give the id, if any
    uint64_t events = 0;
    std::vector<uint64_t> decisions; // by StatisticsTable::decisions
    std::vector<uint32_t> sparkline; // events per time slice of [first, last]
};

struct StatisticsTable {
    StatisticsField by = StatisticsField::Zone;
    std::vector<std::string> decisions; // the decisions that occur among the counted events, by name
    std::vector<StatisticsRow> rows;    // events descending, then value ascending
    uint64_t events = 0;                // events looked at
    uint64_t without = 0;               // of those, events that lack the field (for reason: not denies)
    int64_t first = 0, last = 0;        // occurred_at range of the events looked at (the sparkline's axis)
    bool cancelled = false;
};

struct StatisticsOptions {
    StatisticsField by = StatisticsField::Zone;
    int sparklineSlices = 24;
};

// Over `rows` (the current view), or the whole store (superseded copies left out) when `rows` is null.
// Returns a table with cancelled set, and no rows, when `cancel` turns true.
StatisticsTable computeFieldStatistics(const EventStore& store, const StatisticsOptions& options,
                                       const std::vector<RowId>* rows = nullptr,
                                       const std::atomic<bool>* cancel = nullptr);

// The filter-bar expression that selects the events of one row (`type:token_exchange`,
// `resource:"resource://a b"`).
std::string statisticsRowFilter(StatisticsField field, std::string_view value);

// {"by", "rows": [{"value", "events", "decisions": {decision: n}, "name"?}], "without"}; top 0 = all rows.
nlohmann::ordered_json statisticsToJson(const StatisticsTable& table, size_t top = 0);
// An aligned table with a header line, for people.
std::string statisticsToText(const StatisticsTable& table, size_t top = 0);

} // namespace caracal
