#include "ledger/LedgerStats.h"

#include <charconv>

namespace caracal {

namespace {
int64_t number(std::string_view v) {
    int64_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n);
    return n;
}
} // namespace

std::optional<StoreStats> ledgerStats(LedgerConnection& connection, const LedgerFilter& filter,
                                      std::string& error) {
    LedgerResult r = connection.query("SELECT zone_id, COALESCE(decision, ''), event_type, count(*), "
                                      "(extract(epoch from min(occurred_at)) * 1000000)::bigint, "
                                      "(extract(epoch from max(occurred_at)) * 1000000)::bigint "
                                      "FROM audit_events WHERE (" +
                                          filter.where + ") GROUP BY 1, 2, 3",
                                      filter.params, error);
    if (!r) return std::nullopt;
    StoreStats s;
    bool first = true;
    for (int i = 0; i < ledgerRows(r.get()); ++i) {
        const std::string zone(ledgerValue(r.get(), i, 0)), decision(ledgerValue(r.get(), i, 1)),
            type(ledgerValue(r.get(), i, 2));
        const size_t n = static_cast<size_t>(number(ledgerValue(r.get(), i, 3)));
        const int64_t lo = number(ledgerValue(r.get(), i, 4)), hi = number(ledgerValue(r.get(), i, 5));
        s.events += n;
        s.zones[zone] += n;
        s.decisions[decision] += n;
        s.eventTypes[type] += n;
        s.zoneDecisions[zone][decision] += n;
        s.firstOccurred = first ? lo : std::min(s.firstOccurred, lo);
        s.lastOccurred = first ? hi : std::max(s.lastOccurred, hi);
        first = false;
    }
    return s;
}

namespace {
// A two-column (value, count) result as a map.
std::optional<std::map<std::string, uint64_t>> counts(LedgerResult r) {
    if (!r) return std::nullopt;
    std::map<std::string, uint64_t> out;
    for (int i = 0; i < ledgerRows(r.get()); ++i)
        out[std::string(ledgerValue(r.get(), i, 0))] =
            static_cast<uint64_t>(number(ledgerValue(r.get(), i, 1)));
    return out;
}
} // namespace

std::optional<std::map<std::string, uint64_t>>
ledgerDenyReasonCounts(LedgerConnection& connection, const LedgerFilter& filter, std::string& error) {
    return counts(connection.query("SELECT " + ledgerDenyReasonSql() +
                                       ", count(*) FROM audit_events WHERE decision = 'deny' AND (" +
                                       filter.where + ") GROUP BY 1",
                                   filter.params, error));
}

std::optional<std::map<std::string, uint64_t>> ledgerZoneCounts(LedgerConnection& connection,
                                                                std::string& error) {
    return counts(connection.query("SELECT zone_id, count(*) FROM audit_events GROUP BY 1", {}, error));
}

} // namespace caracal
