#pragma once
// An event's fields grouped for reading, as Caracal's web console groups them (what happened, involved,
// attribution, approval hold, request, delegation chain) plus diagnostics, chain coordinates and the source.
// Computed here so the console only renders it and tests can check it without a display.
#include "present/EventPresentation.h"
#include "util/SourceBuffer.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct DetailRow {
    enum class Kind { Text, Mono, Chips };
    std::string label;
    std::vector<std::string> values; // one value, or several chips
    Kind kind = Kind::Text;
};

struct DetailGroup {
    std::string title;
    std::vector<DetailRow> rows;
};

struct DenyBox {
    std::string code, label, hint;
};

struct EventDetails {
    std::string label, summary, decision;
    Tone tone = Tone::Muted;
    std::optional<DenyBox> deny;
    std::vector<DetailGroup> groups; // empty groups are left out
};

// `knownActor`: the application's name when the event carries only its id (from other loaded events).
// `origin`: events from the Caracal API have millisecond times and "[redacted]" values, which are said as
// such instead of being shown as data. `redactedHere`: the console itself replaced secret values (its "Show
// secret values" is off), so a "[redacted]" value says where to see it rather than who withheld it.
EventDetails describeEvent(const nlohmann::ordered_json& event, const std::string& sourceName = {},
                           uint32_t line = 0, const std::string& knownActor = {},
                           SourceOrigin origin = SourceOrigin::File, bool redactedHere = false);

// What a "[redacted]" value means, for a detail row or a table cell's tooltip.
inline constexpr const char* kRedactedText = "withheld by the server (\"[redacted]\")";

} // namespace caracal
