#include "trace/ExplainComparison.h"

#include <algorithm>
#include <map>

namespace caracal {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kAbsent = "(absent)";
constexpr const char* kCaracalKeys[] = {"request_id", "zone_id", "final_decision", "denied", "events"};

std::string escapePointer(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// The id an entry of events (id) or denied (event_id) is matched by.
std::string entryId(const Json& entry) {
    for (const char* key : {"id", "event_id"})
        if (auto it = entry.find(key); it != entry.end() && it->is_string()) return it->get<std::string>();
    return {};
}

std::string why(const std::string& path, const Json* ours, const Json* caracals) {
    if (ours && ours->is_string() && *ours == "[redacted]")
        return "the API withholds this value; Caracal's explain reads it from the stored event";
    if (!ours && path.rfind("/events/", 0) == 0 && std::count(path.begin(), path.end(), '/') == 2)
        return "Caracal has this event and the loaded data does not: load the request again";
    if (!caracals && path.rfind("/events/", 0) == 0 && std::count(path.begin(), path.end(), '/') == 2)
        return "loaded from another source (a file or a later poll) but not in Caracal's answer";
    if (path.find("occurred_at") != std::string::npos || path.find("ingested_at") != std::string::npos)
        return "the API gives times to the millisecond; a file export keeps microseconds";
    return {};
}

void diff(const std::string& path, const Json* ours, const Json* caracals,
          std::vector<ExplainDifference>& out) {
    if (ours && caracals && *ours == *caracals) return;
    if (ours && caracals && ours->is_object() && caracals->is_object()) {
        for (auto it = caracals->begin(); it != caracals->end(); ++it) {
            auto o = ours->find(it.key());
            diff(path + "/" + escapePointer(it.key()), o == ours->end() ? nullptr : &*o, &it.value(), out);
        }
        for (auto it = ours->begin(); it != ours->end(); ++it)
            if (!caracals->contains(it.key()))
                diff(path + "/" + escapePointer(it.key()), &it.value(), nullptr, out);
        return;
    }
    if (ours && caracals && ours->is_array() && caracals->is_array()) {
        bool byId = !caracals->empty() || !ours->empty();
        for (const Json* side : {ours, caracals})
            for (const auto& e : *side)
                byId = byId && e.is_object() && !entryId(e).empty();
        if (byId) {
            std::map<std::string, const Json*> mine;
            for (const auto& e : *ours)
                mine.emplace(entryId(e), &e);
            for (const auto& e : *caracals) {
                auto m = mine.find(entryId(e));
                diff(path + "/" + escapePointer(entryId(e)), m == mine.end() ? nullptr : m->second, &e, out);
                if (m != mine.end()) mine.erase(m);
            }
            for (const auto& e : *ours)
                if (mine.count(entryId(e))) diff(path + "/" + escapePointer(entryId(e)), &e, nullptr, out);
            return;
        }
        const size_t n = std::max(ours->size(), caracals->size());
        for (size_t i = 0; i < n; ++i)
            diff(path + "/" + std::to_string(i), i < ours->size() ? &(*ours)[i] : nullptr,
                 i < caracals->size() ? &(*caracals)[i] : nullptr, out);
        return;
    }
    out.push_back({path, ours ? ours->dump() : kAbsent, caracals ? caracals->dump() : kAbsent,
                   why(path, ours, caracals)});
}

} // namespace

std::vector<ExplainDifference> compareExplain(const Json& ours, const Json& caracals) {
    std::vector<ExplainDifference> out;
    for (const char* key : kCaracalKeys) {
        auto o = ours.find(key);
        auto c = caracals.find(key);
        diff(std::string("/") + key, o == ours.end() ? nullptr : &*o, c == caracals.end() ? nullptr : &*c,
             out);
    }
    return out;
}

Json caracalPart(const Json& trace) {
    Json out = Json::object();
    for (const char* key : kCaracalKeys)
        if (trace.contains(key)) out[key] = trace[key];
    return out;
}

Json differencesToJson(const std::vector<ExplainDifference>& differences) {
    Json out = Json::array();
    for (const auto& d : differences) {
        Json j{{"path", d.path}}; // a side without the value has no key
        if (d.ours != kAbsent) j["ours"] = Json::parse(d.ours);
        if (d.caracals != kAbsent) j["caracal"] = Json::parse(d.caracals);
        if (!d.why.empty()) j["why"] = d.why;
        out.push_back(std::move(j));
    }
    return out;
}

} // namespace caracal
