#pragma once
// Counts over a loaded store: what `caracal-trace stats` prints and the console's status bar summarises.
#include "store/EventStore.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace caracal {

struct StoreStats {
    size_t events = 0;
    size_t badLines = 0;
    std::map<std::string, size_t> zones, decisions, eventTypes;
    std::map<std::string, std::map<std::string, size_t>> zoneDecisions;
    int64_t firstOccurred = 0, lastOccurred = 0; // valid when events > 0
};

StoreStats computeStats(const EventStore& store);
// {"events", "bad_lines", "zones", "decisions", "zone_decisions", "event_types"}, keys sorted.
nlohmann::ordered_json statsToJson(const StoreStats& stats);
std::string statsToText(const StoreStats& stats, size_t fileCount);

} // namespace caracal
