#pragma once
// From an event to the troubleshooting rows that apply. "Start from the surface, not the code": the surface
// that produced the event (from its type) picks the troubleshooting table, and each code found in the event
// adds its Error Codes row, so the same code from two surfaces links to different rows.
#include "catalog/TroubleshootingCatalog.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

enum class Surface { Sts, Gateway, Api, Approvals, Unknown };
std::string_view surfaceName(Surface surface);
Surface surfaceOf(std::string_view eventType);

struct EventCode {
    std::string code;
    std::string
        from; // evaluation_status, metadata_json.reason, diagnostics.reason, error_kind, upstream_status, ...
};

struct LinkedRow {
    RowRef row;
    std::string why;
};

struct EventLinks {
    Surface surface = Surface::Unknown;
    std::vector<EventCode> codes;
    std::vector<LinkedRow> rows; // surface rows first, then each code's related rows; no repeats
};

EventLinks linkEvent(const nlohmann::ordered_json& event,
                     const TroubleshootingCatalog& catalog = TroubleshootingCatalog::instance());

} // namespace caracal
