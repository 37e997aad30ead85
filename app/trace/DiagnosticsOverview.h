#pragma once
// Everything loaded (or a selection of rows), grouped the way Wireshark's Expert Information groups problems:
// by kind (deny reasons, policy engine errors, step-up requirements, risk tiers, Gateway errors, anomalies),
// then by code, with counts, zones and time range; plus which policy version produced which decisions.
#include "store/EventStore.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct OverviewItem {
    std::string label;  // the code, message, tier or version
    std::string detail; // a readable line (a deny reason's label, a manifest)
    std::vector<RowId> rows;
    std::map<std::string, size_t> zones;
    int64_t first = 0, last = 0;
    std::map<std::string, size_t> decisions; // for the policy-version breakdown
    std::vector<OverviewItem> children;      // e.g. the distinct messages of policy engine errors
    // A filter expression that selects exactly these rows (of those grouped), or "" when the filter
    // language cannot say it (step-up tiers, risk, upstream statuses, engine messages).
    std::string filter;
    std::optional<uint64_t> server; // the events the server holds for this item (a ledger source), if counted
    void add(const EventStore& store, RowId row);
};

struct OverviewGroup {
    std::string
        kind; // deny_reasons, policy_engine_errors, step_up, risk, gateway_errors, anomalies, policy_versions
    std::string title;
    std::vector<OverviewItem> items; // most frequent first
    // Why the items' counts do not add up to the events of the group, when they do not (an event counted
    // under several items, or only some events counted); empty when they do.
    std::string note;
    std::optional<uint64_t> serverTotal; // the server's count for the whole group, if counted
    size_t total() const;
    // Every item's filter joined by OR; "" when any item has none.
    std::string filter() const;
};

// Groups `rows` (all of the store's rows when empty). Deny reasons are one per deny event, by the rule of
// denyReasonCode (the record's Field::DenyReason), so their total is the number of denies. Events are parsed
// only where their bytes mention a diagnostic that the thin records do not hold (engine errors, step-up,
// risk).
std::vector<OverviewGroup> buildDiagnosticsOverview(const EventStore& store,
                                                    const std::vector<RowId>& rows = {});

// The server's deny reason counts (ledgerDenyReasonCounts) beside the loaded ones: each deny reason item gets
// its server count, and reasons that no loaded event has are added without rows (their filter reads them).
void addServerDenyReasons(std::vector<OverviewGroup>& groups, const std::map<std::string, uint64_t>& counts);

// Two events side by side: every field path (metadata flattened) with both values and whether they differ.
struct FieldComparison {
    std::string path, left, right;
    bool differs = false;
};
std::vector<FieldComparison> compareEvents(const nlohmann::ordered_json& left,
                                           const nlohmann::ordered_json& right);

} // namespace caracal
