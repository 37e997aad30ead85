#include "store/StoreStats.h"

#include "util/Timestamp.h"

#include <unordered_map>

namespace caracal {

StoreStats computeStats(const EventStore& store) {
    StoreStats s;
    s.events = store.eventCount();
    s.badLines = store.badLines().size();
    std::unordered_map<uint64_t, size_t> pairs; // zone id << 32 | decision id
    std::unordered_map<uint32_t, size_t> types;
    for (RowId r : store.timeOrder()) {
        const EventRecord& rec = store.record(r);
        ++pairs[(static_cast<uint64_t>(rec.field(Field::Zone)) << 32) | rec.field(Field::Decision)];
        ++types[rec.field(Field::EventType)];
    }
    for (const auto& [key, n] : pairs) {
        const std::string zone(store.str(static_cast<uint32_t>(key >> 32)));
        const std::string decision(store.str(static_cast<uint32_t>(key)));
        s.zones[zone] += n;
        s.decisions[decision] += n;
        s.zoneDecisions[zone][decision] += n;
    }
    for (const auto& [id, n] : types)
        s.eventTypes[std::string(store.str(id))] += n;
    if (!store.timeOrder().empty()) {
        s.firstOccurred = store.record(store.timeOrder().front()).occurredAt;
        s.lastOccurred = store.record(store.timeOrder().back()).occurredAt;
    }
    return s;
}

nlohmann::ordered_json statsToJson(const StoreStats& s) {
    nlohmann::ordered_json j;
    j["events"] = s.events;
    j["bad_lines"] = s.badLines;
    j["zones"] = s.zones;
    j["decisions"] = s.decisions;
    j["zone_decisions"] = s.zoneDecisions;
    j["event_types"] = s.eventTypes;
    return j;
}

namespace {
std::string grouped(size_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}
std::string padRight(std::string s, size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}
std::string padLeft(const std::string& s, size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}
std::string label(const std::string& value) {
    return value.empty() ? "(none)" : value;
}

void section(std::string& out, const char* title, const std::map<std::string, size_t>& counts) {
    out += title;
    out += '\n';
    size_t width = 0;
    for (const auto& [k, n] : counts)
        width = std::max(width, label(k).size());
    for (const auto& [k, n] : counts)
        out += "  " + padRight(label(k), width) + "  " + padLeft(grouped(n), 12) + '\n';
}
} // namespace

std::string statsToText(const StoreStats& s, size_t fileCount) {
    std::string out;
    out += "Events      " + grouped(s.events) + " in " + grouped(s.zones.size()) +
           (s.zones.size() == 1 ? " zone" : " zones") + " from " + grouped(fileCount) +
           (fileCount == 1 ? " file\n" : " files\n");
    out += "Bad lines   " + grouped(s.badLines) + '\n';
    if (s.events)
        out += "Time span   " + formatUtcMicros(s.firstOccurred) + " .. " + formatUtcMicros(s.lastOccurred) +
               '\n';
    out += '\n';
    out += "Zones\n";
    size_t width = 0;
    for (const auto& [z, n] : s.zones)
        width = std::max(width, label(z).size());
    for (const auto& [z, n] : s.zones) {
        out += "  " + padRight(label(z), width) + "  " + padLeft(grouped(n), 12) + "  ";
        bool first = true;
        for (const auto& [d, c] : s.zoneDecisions.at(z)) {
            out += (first ? "" : ", ") + label(d) + " " + grouped(c);
            first = false;
        }
        out += '\n';
    }
    out += '\n';
    section(out, "Decisions", s.decisions);
    out += '\n';
    section(out, "Event types", s.eventTypes);
    return out;
}

} // namespace caracal
