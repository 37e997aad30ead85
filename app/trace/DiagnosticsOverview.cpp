#include "trace/DiagnosticsOverview.h"

#include "catalog/DenyReasonCatalog.h"
#include "util/JsonField.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace caracal {

using Json = nlohmann::ordered_json;

void OverviewItem::add(const EventStore& store, RowId row) {
    const int64_t t = store.record(row).occurredAt;
    if (rows.empty() || t < first) first = t;
    if (rows.empty() || t > last) last = t;
    rows.push_back(row);
    ++zones[std::string(store.field(row, Field::Zone))];
}

size_t OverviewGroup::total() const {
    size_t n = 0;
    for (const auto& i : items)
        n += i.rows.size();
    return n;
}

std::string OverviewGroup::filter() const {
    std::string out;
    for (const auto& i : items) {
        if (i.filter.empty()) return {};
        out += (out.empty() ? "(" : " OR (") + i.filter + ")";
    }
    return items.size() == 1 ? items.front().filter : out;
}

namespace {

// Codes and types are plain identifiers; anything else is quoted as the filter language wants.
std::string filterValue(const std::string& v) {
    const bool plain = !v.empty() && std::all_of(v.begin(), v.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
    if (plain) return v;
    std::string q = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\"";
}

OverviewItem& itemFor(std::vector<OverviewItem>& items, const std::string& label) {
    for (auto& i : items)
        if (i.label == label) return i;
    items.push_back({label, {}, {}, {}, 0, 0, {}, {}});
    return items.back();
}

void sortItems(std::vector<OverviewItem>& items) {
    std::stable_sort(items.begin(), items.end(), [](const OverviewItem& a, const OverviewItem& b) {
        return a.rows.size() != b.rows.size() ? a.rows.size() > b.rows.size() : a.label < b.label;
    });
    for (auto& i : items)
        sortItems(i.children);
}

bool isGatewayErrorKind(std::string_view code) {
    return code == "transport_error" || code == "upstream_not_addressable" ||
           code == "provider_host_not_allowed" || code == "request_build_failed" ||
           code == "response_copy_failed" || code == "upstream_error" || code == "upstream_rejected" ||
           code == "build_failed";
}

} // namespace

std::vector<OverviewGroup> buildDiagnosticsOverview(const EventStore& store,
                                                    const std::vector<RowId>& selection) {
    std::vector<RowId> all;
    if (selection.empty()) all = store.timeOrder();
    const std::vector<RowId>& rows = selection.empty() ? all : selection;

    OverviewGroup deny{"deny_reasons", "Deny reasons", {}, {}},
        engine{"policy_engine_errors", "Policy engine errors", {}, {}},
        stepUp{"step_up", "Step-up requirements", {}, {}}, risk{"risk", "Risk tiers", {}, {}},
        gateway{"gateway_errors", "Gateway errors", {}, {}}, anomalies{"anomalies", "Anomalies", {}, {}},
        versions{"policy_versions", "Policy set versions", {}, {}};
    const auto& reasons = DenyReasonCatalog::instance();

    for (RowId r : rows) {
        const std::string_view type = store.field(r, Field::EventType);
        const std::string_view decision = store.field(r, Field::Decision);
        const std::string_view status = store.field(r, Field::EvaluationStatus);
        if (type == "replay_detected" || type == "jti_collision") {
            OverviewItem& item = itemFor(anomalies.items, std::string(type));
            item.filter = "type:" + filterValue(item.label);
            item.add(store, r);
        }
        if (decision == "deny") { // one reason per deny, by the deny reason rule: the total is the denies
            const std::string code(store.field(r, Field::DenyReason));
            OverviewItem& item = itemFor(deny.items, code);
            if (item.detail.empty()) item.detail = reasons.label(code);
            item.filter = "deny_reason:" + filterValue(code);
            item.add(store, r);
        }
        for (uint32_t tag : store.tags(r)) {
            if (tagKind(tag) != TagKind::Code) continue;
            const std::string code(store.str(tag & kTagIdMask));
            if (isGatewayErrorKind(code)) {
                OverviewItem& item = itemFor(gateway.items, code);
                item.filter = "reason:" + filterValue(code);
                item.add(store, r);
            }
        }
        if (type == "gateway_resource_request") {
            const std::string_view text = store.rowText(r);
            // upstream status >= 400, read from the row only when it has one
            if (const size_t at = text.find("\"upstream_status\":"); at != std::string_view::npos) {
                const int s = std::atoi(std::string(text.substr(at + 18, 4)).c_str());
                if (s >= 400) itemFor(gateway.items, "upstream " + std::to_string(s)).add(store, r);
            }
        }
        if (status == "policy_eval_failed") {
            OverviewItem& item = itemFor(engine.items, "policy_eval_failed");
            item.detail = "Distinct engine messages below";
            item.filter = "status:policy_eval_failed";
            item.add(store, r);
            const Json ev = store.event(r);
            if (auto d = ev.find("diagnostics_json"); d != ev.end() && d->is_array())
                for (const auto& diag : *d)
                    if (diag.is_object() && diag.contains("error")) {
                        const std::string msg = diag["error"].is_string() ? diag["error"].get<std::string>()
                                                                          : diag["error"].dump();
                        itemFor(item.children, msg).add(store, r);
                    }
        }
        const std::string_view text = store.rowText(r);
        const bool hasStepUp = text.find("step_up_required") != std::string_view::npos;
        const bool hasRisk = text.find("\"risk\"") != std::string_view::npos;
        if (hasStepUp || hasRisk) {
            const Json ev = store.event(r);
            if (auto d = ev.find("diagnostics_json"); d != ev.end() && d->is_array())
                for (const auto& diag : *d) {
                    if (!diag.is_object()) continue;
                    if (auto s = diag.find("step_up_required");
                        s != diag.end() && s->is_object() && s->contains("tiers"))
                        for (const auto& tier : (*s)["tiers"])
                            itemFor(stepUp.items, jsonfield::text(tier, "tier", "?") + " tier, approver " +
                                                      jsonfield::text(tier, "approver", "operator"))
                                .add(store, r);
                    if (auto k = diag.find("risk"); k != diag.end() && k->is_array())
                        for (const auto& item : *k)
                            itemFor(risk.items, jsonfield::text(item, "tier", "?") + ": " +
                                                    jsonfield::text(item, "scope", "?"))
                                .add(store, r);
                }
        }
        const std::string_view version = store.field(r, Field::PolicySetVersion);
        const std::string_view manifest = store.field(r, Field::ManifestSha);
        if (!version.empty() || !manifest.empty()) {
            OverviewItem& item =
                itemFor(versions.items, version.empty() ? std::string("(no version)") : std::string(version));
            if (item.detail.empty())
                item.detail = "manifest " + std::string(manifest);
            else if (item.detail.find(manifest) == std::string::npos)
                item.detail += ", " + std::string(manifest);
            ++item.decisions[std::string(decision)];
            item.add(store, r);
        }
    }
    // Groups whose items can share an event say so, with how many events they cover.
    auto distinctRows = [](const OverviewGroup& g) {
        std::vector<RowId> covered;
        for (const auto& i : g.items)
            covered.insert(covered.end(), i.rows.begin(), i.rows.end());
        std::sort(covered.begin(), covered.end());
        return size_t(std::unique(covered.begin(), covered.end()) - covered.begin());
    };
    auto events = [](size_t n) { return std::to_string(n) + (n == 1 ? " event" : " events"); };
    stepUp.note = "Counts an event under each tier it requires: " + events(distinctRows(stepUp)) + " in all.";
    risk.note = "Counts an event under each risk item it carries: " + events(distinctRows(risk)) + " in all.";
    gateway.note =
        "Counts an event under each error kind and upstream status it has: " + events(distinctRows(gateway)) +
        " in all.";
    versions.note =
        "Only events that name a policy set version or manifest: " + events(distinctRows(versions)) + " of " +
        std::to_string(rows.size()) + ".";
    std::vector<OverviewGroup> out;
    for (OverviewGroup* g : {&deny, &engine, &stepUp, &risk, &gateway, &anomalies, &versions}) {
        sortItems(g->items);
        out.push_back(std::move(*g));
    }
    return out;
}

void addServerDenyReasons(std::vector<OverviewGroup>& groups, const std::map<std::string, uint64_t>& counts) {
    for (OverviewGroup& g : groups) {
        if (g.kind != "deny_reasons") continue;
        uint64_t total = 0;
        for (const auto& [code, n] : counts) {
            total += n;
            OverviewItem& item = itemFor(g.items, code);
            if (item.detail.empty()) item.detail = DenyReasonCatalog::instance().label(code);
            item.filter = "deny_reason:" + filterValue(code);
            item.server = n;
        }
        for (OverviewItem& item : g.items)
            if (!item.server) item.server = 0; // loaded, yet not on the server under this filter any more
        g.serverTotal = total;
        // Loaded ones first as before, then what only the server holds, most frequent first.
        std::stable_sort(g.items.begin(), g.items.end(), [](const OverviewItem& a, const OverviewItem& b) {
            if (a.rows.size() != b.rows.size()) return a.rows.size() > b.rows.size();
            return a.server.value_or(0) > b.server.value_or(0);
        });
    }
}

namespace {
void flatten(const Json& v, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
    if (v.is_object() && !v.empty()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            flatten(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
    } else {
        out.emplace_back(path, v.is_string() ? v.get<std::string>() : v.dump());
    }
}
} // namespace

std::vector<FieldComparison> compareEvents(const Json& left, const Json& right) {
    std::vector<std::pair<std::string, std::string>> a, b;
    flatten(left, "", a);
    flatten(right, "", b);
    std::vector<FieldComparison> out;
    std::set<std::string> seen;
    auto valueIn = [](const std::vector<std::pair<std::string, std::string>>& v, const std::string& path,
                      bool& found) {
        for (const auto& [p, val] : v)
            if (p == path) {
                found = true;
                return val;
            }
        found = false;
        return std::string();
    };
    auto addPath = [&](const std::string& path) {
        if (!seen.insert(path).second) return;
        bool inA = false, inB = false;
        const std::string va = valueIn(a, path, inA), vb = valueIn(b, path, inB);
        out.push_back({path, inA ? va : "(absent)", inB ? vb : "(absent)", inA != inB || va != vb});
    };
    for (const auto& [p, v] : a)
        addPath(p); // left's order first, then what only the right has
    for (const auto& [p, v] : b)
        addPath(p);
    return out;
}

} // namespace caracal
