#include "statistics/FieldStatistics.h"

#include "util/ParallelSlices.h"

#include <algorithm>
#include <array>
#include <limits>

namespace caracal {

namespace {

struct FieldName {
    StatisticsField field;
    std::string_view name;
    std::string_view filterKey;
    std::string_view note;
};
constexpr std::array<FieldName, 9> kFields = {{
    {StatisticsField::Zone, "zone", "zone", ""},
    {StatisticsField::EventType, "event_type", "type", ""},
    {StatisticsField::Decision, "decision", "decision", ""},
    {StatisticsField::Application, "application", "app",
     "metadata_json.application_id; anomaly events naming only a client_id count as without"},
    {StatisticsField::Resource, "resource", "resource", ""},
    {StatisticsField::Reason, "reason", "deny_reason",
     "deny events by their deny reason; every other event counts as without"},
    {StatisticsField::Policy, "policy", "policy",
     "determining policies: an event that names several counts once under each"},
    {StatisticsField::Session, "session", "session", "metadata_json.agent_session_id"},
    {StatisticsField::Label, "label", "label", "agent labels: an event with several counts once under each"},
}};

const FieldName& entry(StatisticsField f) {
    for (const FieldName& e : kFields)
        if (e.field == f) return e;
    return kFields.front();
}

std::optional<Field> recordField(StatisticsField f) {
    switch (f) {
    case StatisticsField::Zone:
        return Field::Zone;
    case StatisticsField::EventType:
        return Field::EventType;
    case StatisticsField::Decision:
        return Field::Decision;
    case StatisticsField::Application:
        return Field::Application;
    case StatisticsField::Resource:
        return Field::Resource;
    case StatisticsField::Reason:
        return Field::DenyReason;
    case StatisticsField::Session:
        return Field::Session;
    case StatisticsField::Policy:
    case StatisticsField::Label:
        return std::nullopt;
    }
    return std::nullopt;
}

__extension__ typedef unsigned __int128 Wide; // GCC and Clang; __extension__ keeps -Wpedantic quiet

constexpr uint32_t kNoSlot = std::numeric_limits<uint32_t>::max();

// One slice's counts. Values get dense slots in the order the slice meets them; `slotOf` maps an interned
// id to its slot, so counting is an array lookup and two increments.
struct Accumulator {
    std::vector<uint32_t> slotOf; // by interned id
    std::vector<uint32_t> values; // by slot: interned id
    std::vector<uint64_t> counts; // by slot * stride: events, then one per decision, then the sparkline
    uint64_t without = 0;
    size_t stride = 0;

    uint64_t* row(uint32_t valueId) {
        uint32_t& slot = slotOf[valueId];
        if (slot == kNoSlot) {
            slot = static_cast<uint32_t>(values.size());
            values.push_back(valueId);
            counts.resize(counts.size() + stride, 0);
        }
        return counts.data() + size_t(slot) * stride;
    }
};

} // namespace

std::string_view statisticsFieldName(StatisticsField field) {
    return entry(field).name;
}

std::optional<StatisticsField> statisticsFieldFromName(std::string_view name) {
    for (const FieldName& e : kFields)
        if (e.name == name) return e.field;
    return std::nullopt;
}

const std::vector<StatisticsField>& allStatisticsFields() {
    static const std::vector<StatisticsField> all = [] {
        std::vector<StatisticsField> v;
        for (const FieldName& e : kFields)
            v.push_back(e.field);
        return v;
    }();
    return all;
}

std::string_view statisticsFieldNote(StatisticsField field) {
    return entry(field).note;
}

std::string statisticsRowFilter(StatisticsField field, std::string_view value) {
    std::string out(entry(field).filterKey);
    out += ':';
    // Quoted only when the bare word would read otherwise: a space, a quote or parenthesis, a trailing *
    // (a prefix match), or nothing at all.
    const bool bare =
        !value.empty() && value.back() != '*' && value.find_first_of(" \t\r\n\"()") == std::string_view::npos;
    if (bare) return out.append(value);
    out += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

StatisticsTable computeFieldStatistics(const EventStore& store, const StatisticsOptions& options,
                                       const std::vector<RowId>* selection, const std::atomic<bool>* cancel) {
    StatisticsTable table;
    table.by = options.by;
    const std::vector<RowId>& rows = selection ? *selection : store.timeOrder();
    table.events = rows.size();
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    // Decisions get small dense indexes; Caracal has a handful, so a linear search is cheapest.
    std::vector<uint32_t> decisionIds;
    for (const auto& [value, count] : store.valueCounts(Field::Decision))
        decisionIds.push_back(store.strings().find(value));
    std::sort(decisionIds.begin(), decisionIds.end(),
              [&](uint32_t a, uint32_t b) { return store.str(a) < store.str(b); });
    const size_t decisionCount = decisionIds.size();
    auto decisionIndex = [&](uint32_t id) {
        for (size_t i = 0; i < decisionCount; ++i)
            if (decisionIds[i] == id) return i;
        return decisionCount; // not indexed (cannot happen for a finished store): dropped from decisions
    };

    // The sparkline's axis: the time range of the rows looked at. The store's time order gives it at once; a
    // view is in its own sort order, so its range takes a pass.
    const size_t slices = sliceCount(rows.size());
    if (!rows.empty() && !selection) {
        table.first = store.record(rows.front()).occurredAt;
        table.last = store.record(rows.back()).occurredAt;
    } else if (!rows.empty()) {
        std::vector<std::pair<int64_t, int64_t>> ranges(
            slices, {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
        forEachSlice(rows.size(), slices, [&](size_t s, size_t begin, size_t end) {
            auto& [lo, hi] = ranges[s];
            for (size_t i = begin; i < end; ++i) {
                const int64_t t = store.record(rows[i]).occurredAt;
                lo = std::min(lo, t);
                hi = std::max(hi, t);
            }
        });
        table.first = std::min_element(ranges.begin(), ranges.end())->first;
        table.last = std::max_element(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) {
                         return a.second < b.second;
                     })->second;
    }
    const size_t spark = static_cast<size_t>(std::max(options.sparklineSlices, 1));
    const uint64_t span = static_cast<uint64_t>(table.last - table.first) + 1;
    const size_t stride = 1 + decisionCount + spark;

    const std::optional<Field> field = recordField(options.by);
    const TagKind tag = options.by == StatisticsField::Label ? TagKind::Label : TagKind::Policy;
    const bool applicationOnly = options.by == StatisticsField::Application;
    const uint32_t internerSize = store.strings().size();

    std::vector<Accumulator> parts(slices);
    forEachSlice(rows.size(), slices, [&](size_t s, size_t begin, size_t end) {
        Accumulator& acc = parts[s];
        acc.stride = stride;
        acc.slotOf.assign(internerSize, kNoSlot);
        for (size_t i = begin; i < end; ++i) {
            if ((i & 0x3fff) == 0 && cancelled()) return;
            const EventRecord& rec = store.record(rows[i]);
            const size_t d = decisionIndex(rec.field(Field::Decision));
            // 128 bits: a range of millennia in microseconds times the slices would overflow 64.
            const size_t bucket =
                static_cast<size_t>(Wide(static_cast<uint64_t>(rec.occurredAt - table.first)) * spark / span);
            auto count = [&](uint32_t valueId) {
                uint64_t* c = acc.row(valueId);
                ++c[0];
                if (d < decisionCount) ++c[1 + d];
                ++c[1 + decisionCount + bucket];
            };
            if (field) {
                const uint32_t v = rec.field(*field);
                if (v == 0 || (applicationOnly && (rec.flags & ApplicationFromClientId)))
                    ++acc.without;
                else
                    count(v);
                continue;
            }
            // Tags: each distinct value once per event (an event has a handful of tags).
            const auto tags = store.tags(rows[i]);
            bool any = false;
            for (size_t j = 0; j < tags.size(); ++j) {
                if (tagKind(tags[j]) != tag) continue;
                if (std::find(tags.begin(), tags.begin() + j, tags[j]) != tags.begin() + j) continue;
                count(tags[j] & kTagIdMask);
                any = true;
            }
            if (!any) ++acc.without;
        }
    });
    if (cancelled()) {
        table.cancelled = true;
        return table;
    }

    // Join the slices into the first one.
    Accumulator& total = parts.front();
    if (total.stride == 0) total.stride = stride, total.slotOf.assign(internerSize, kNoSlot);
    for (size_t s = 1; s < parts.size(); ++s) {
        total.without += parts[s].without;
        for (size_t slot = 0; slot < parts[s].values.size(); ++slot) {
            uint64_t* into = total.row(parts[s].values[slot]);
            const uint64_t* from = parts[s].counts.data() + slot * stride;
            for (size_t k = 0; k < stride; ++k)
                into[k] += from[k];
        }
    }
    table.without = total.without;
    for (uint32_t id : decisionIds)
        table.decisions.emplace_back(store.str(id));
    table.rows.reserve(total.values.size());
    for (size_t slot = 0; slot < total.values.size(); ++slot) {
        const uint64_t* c = total.counts.data() + slot * stride;
        StatisticsRow row;
        row.value = std::string(store.str(total.values[slot]));
        if (applicationOnly) row.name = std::string(store.applicationName(row.value));
        row.events = c[0];
        row.decisions.assign(c + 1, c + 1 + decisionCount);
        row.sparkline.reserve(spark);
        for (size_t k = 0; k < spark; ++k)
            row.sparkline.push_back(static_cast<uint32_t>(c[1 + decisionCount + k]));
        table.rows.push_back(std::move(row));
    }
    std::sort(table.rows.begin(), table.rows.end(), [](const StatisticsRow& a, const StatisticsRow& b) {
        return a.events != b.events ? a.events > b.events : a.value < b.value;
    });
    return table;
}

nlohmann::ordered_json statisticsToJson(const StatisticsTable& table, size_t top) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    const size_t n = top ? std::min(top, table.rows.size()) : table.rows.size();
    for (size_t i = 0; i < n; ++i) {
        const StatisticsRow& r = table.rows[i];
        nlohmann::ordered_json row;
        row["value"] = r.value;
        if (!r.name.empty()) row["name"] = r.name;
        row["events"] = r.events;
        nlohmann::ordered_json decisions = nlohmann::ordered_json::object();
        for (size_t d = 0; d < table.decisions.size(); ++d)
            if (r.decisions[d]) decisions[table.decisions[d]] = r.decisions[d];
        row["decisions"] = std::move(decisions);
        rows.push_back(std::move(row));
    }
    nlohmann::ordered_json out;
    out["by"] = std::string(statisticsFieldName(table.by));
    out["rows"] = std::move(rows);
    out["without"] = table.without;
    return out;
}

std::string statisticsToText(const StatisticsTable& table, size_t top) {
    const size_t n = top ? std::min(top, table.rows.size()) : table.rows.size();
    // Only the decisions that occur in the printed rows get a column.
    std::vector<size_t> shown;
    for (size_t d = 0; d < table.decisions.size(); ++d)
        for (size_t i = 0; i < n; ++i)
            if (table.rows[i].decisions[d]) {
                shown.push_back(d);
                break;
            }
    auto label = [&](const StatisticsRow& r) {
        return r.name.empty() ? r.value : r.value + " (" + r.name + ")";
    };
    size_t valueWidth = std::string_view(statisticsFieldName(table.by)).size();
    for (size_t i = 0; i < n; ++i)
        valueWidth = std::max(valueWidth, label(table.rows[i]).size());
    std::vector<std::string> header = {"EVENTS"};
    for (size_t d : shown)
        header.push_back(table.decisions[d].empty() ? "(none)" : table.decisions[d]);
    std::vector<size_t> widths;
    for (const std::string& h : header)
        widths.push_back(std::max<size_t>(h.size(), 8));
    auto pad = [](std::string s, size_t w, bool right) {
        if (s.size() >= w) return s;
        return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
    };
    std::string by(statisticsFieldName(table.by));
    std::transform(by.begin(), by.end(), by.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    std::string out = pad(by, valueWidth, false);
    for (size_t k = 0; k < header.size(); ++k) {
        std::string h = header[k];
        std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return char(std::toupper(c)); });
        out += "  " + pad(h, widths[k], true);
    }
    out += "\n";
    for (size_t i = 0; i < n; ++i) {
        const StatisticsRow& r = table.rows[i];
        out += pad(label(r), valueWidth, false) + "  " + pad(std::to_string(r.events), widths[0], true);
        for (size_t k = 0; k < shown.size(); ++k)
            out += "  " + pad(std::to_string(r.decisions[shown[k]]), widths[k + 1], true);
        out += "\n";
    }
    out += std::to_string(table.rows.size()) + " value" + (table.rows.size() == 1 ? "" : "s") + " over " +
           std::to_string(table.events) + " event" + (table.events == 1 ? "" : "s");
    if (n < table.rows.size()) out += " (top " + std::to_string(n) + " shown)";
    out += "; without " + std::string(statisticsFieldName(table.by)) + ": " + std::to_string(table.without);
    if (const std::string_view note = statisticsFieldNote(table.by); !note.empty())
        out += " (" + std::string(note) + ")";
    return out + "\n";
}

} // namespace caracal
