#include "graph/DelegationGraph.h"

#include "util/CountText.h"
#include "util/JsonField.h"
#include "util/RawJson.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <set>
#include <unordered_set>

namespace caracal {

using Json = nlohmann::ordered_json;

namespace {
constexpr size_t kNone = static_cast<size_t>(-1);
constexpr int kCascadeDepth = 10; // the Coordinator walks downstream edges while depth < 10

std::string str(const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}
bool isInactive(EdgeStatus s) {
    return s == EdgeStatus::Revoked || s == EdgeStatus::Expired;
}
std::vector<RowId> inTimeOrder(const EventStore& store, std::vector<RowId> rows) {
    std::stable_sort(rows.begin(), rows.end(), [&](RowId a, RowId b) {
        return store.record(a).occurredAt < store.record(b).occurredAt;
    });
    return rows;
}
} // namespace

std::string_view edgeStatusName(EdgeStatus status) {
    switch (status) {
    case EdgeStatus::Active:
        return "active";
    case EdgeStatus::Expiring:
        return "expiring";
    case EdgeStatus::Revoked:
        return "revoked";
    case EdgeStatus::Expired:
        return "expired";
    case EdgeStatus::Unknown:
        break;
    }
    return "unknown";
}

std::string shortId(std::string_view id) {
    if (id.size() <= 12) return std::string(id);
    return std::string(id.substr(0, 8)) + "\u2026" + std::string(id.substr(id.size() - 4));
}

DelegationGraph DelegationGraph::fromEvents(const EventStore& store, std::span<const RowId> rows,
                                            const GraphWork& work) {
    DelegationGraph g;
    size_t withoutChain = 0;
    // A zone repeats a few chains many times: each distinct chain text is parsed once.
    std::unordered_map<std::string_view, Json> parsed;
    for (size_t i = 0; i < rows.size(); ++i) {
        const RowId row = rows[i];
        if (i % 4096 == 0) {
            if (work.cancelled()) return g;
            work.report(double(i) / double(rows.size()));
        }
        std::string_view text = store.rowText(row);
        if (text.find("delegation_") == std::string_view::npos) continue;
        if (store.record(row).flags & SearchRow)
            text = rawjson::member(text, "Event").value_or(std::string_view{});
        const auto meta = rawjson::member(text, "metadata_json");
        std::optional<std::string_view> chainText, epochText, edgeText;
        if (meta && !meta->empty() && meta->front() == '{') {
            chainText = rawjson::member(*meta, "delegation_chain");
            epochText = rawjson::member(*meta, "delegation_graph_epoch");
            edgeText = rawjson::member(*meta, "delegation_edge_id");
        } else if (meta && !meta->empty() && meta->front() == '"') { // jsonb text: read it the slow way
            const Json ev = store.event(row);
            const auto mIt = ev.find("metadata_json");
            if (mIt == ev.end() || !mIt->is_object()) continue;
            const Json& m = *mIt;
            if (!m.contains("delegation_chain")) {
                if (!str(m, "delegation_edge_id").empty()) ++withoutChain;
                continue;
            }
            const std::optional<int64_t> epoch = jsonfield::integer(m, "delegation_graph_epoch");
            g.addChain(m["delegation_chain"], epoch, store.record(row).occurredAt, row,
                       "event " + store.eventId(row));
            continue;
        }
        if (!chainText) {
            if (edgeText && edgeText->size() > 2) ++withoutChain; // a non-empty delegation_edge_id string
            continue;
        }
        auto it = parsed.find(*chainText);
        if (it == parsed.end())
            it = parsed.emplace(*chainText, Json::parse(*chainText, nullptr, false))
                     .first; // depth: simdjson's
        std::optional<int64_t> epoch;
        if (epochText) {
            int64_t v = 0;
            if (std::from_chars(epochText->data(), epochText->data() + epochText->size(), v).ec ==
                std::errc())
                epoch = v;
        }
        g.addChain(it->second, epoch, store.record(row).occurredAt, row, "event " + store.eventId(row));
    }
    // The zone the graph shows, so Coordinator data of another zone can be kept out of it.
    std::string zone;
    bool oneZone = true;
    for (RowId row : rows) {
        const std::string_view z = store.field(row, Field::Zone);
        if (zone.empty())
            zone = std::string(z);
        else if (z != zone)
            oneZone = false;
    }
    if (oneZone) g.m_zone = zone;
    if (withoutChain)
        g.addNote(countText(withoutChain, "event", "events") + (withoutChain == 1 ? " names" : " name") +
                  " a delegation edge but carry no delegation_chain (CSV exports and step-up "
                  "events do not), so they add nothing to the graph.");
    g.nameApplications(store);
    return g;
}

void DelegationGraph::addChain(const Json& chain, std::optional<int64_t> epoch, int64_t occurredMicros,
                               std::optional<RowId> row, const std::string& where) {
    if (!chain.is_array()) {
        addNote(where + ": delegation_chain is not an array; it was skipped.");
        return;
    }
    struct Hop {
        std::string app, session, edge;
        bool valid = false;
    };
    std::vector<Hop> hops;
    for (size_t i = 0; i < chain.size(); ++i) {
        const Json& h = chain[i];
        Hop hop;
        if (h.is_object()) {
            hop.app = str(h, "application_id");
            hop.session = str(h, "agent_session_id");
            hop.edge = str(h, "delegation_edge_id");
            hop.valid = !hop.session.empty();
        }
        if (!hop.valid)
            addNote(where + ": delegation_chain[" + std::to_string(i) +
                    "] has no agent_session_id; the edges touching it were skipped.");
        hops.push_back(std::move(hop));
    }
    if (!hops.empty() && !hops.back().edge.empty())
        addNote(where + ": the last hop of delegation_chain names edge " + hops.back().edge +
                " but leads nowhere; Caracal leaves it empty.");
    for (size_t i = 0; i < hops.size(); ++i)
        if (hops[i].valid) node(hops[i].session, hops[i].app);
    for (size_t i = 0; i + 1 < hops.size(); ++i) {
        if (!hops[i].valid || !hops[i + 1].valid) continue;
        if (hops[i].edge.empty()) {
            addNote(where + ": delegation_chain[" + std::to_string(i) +
                    "] has no delegation_edge_id although another hop follows; that step was skipped.");
            continue;
        }
        const size_t e =
            edge(hops[i].edge, *findNode(hops[i].session), *findNode(hops[i + 1].session), where);
        GraphEdge& ed = m_edges[e];
        if (ed.issuerApplicationId.empty()) ed.issuerApplicationId = hops[i].app;
        if (ed.receiverApplicationId.empty()) ed.receiverApplicationId = hops[i + 1].app;
        if (ed.hop == 0 || !ed.seenInAudit()) ed.hop = static_cast<int>(i) + 1;
        if (epoch) {
            auto at = std::lower_bound(ed.epochs.begin(), ed.epochs.end(), *epoch);
            if (at == ed.epochs.end() || *at != *epoch) ed.epochs.insert(at, *epoch);
        }
        if (!ed.seenInAudit() || occurredMicros < ed.firstSeenMicros) ed.firstSeenMicros = occurredMicros;
        if (!ed.seenInAudit() || occurredMicros > ed.lastSeenMicros) ed.lastSeenMicros = occurredMicros;
        if (row && (ed.events.empty() || ed.events.back() != *row)) ed.events.push_back(*row);
    }
}

size_t DelegationGraph::node(const std::string& sessionId, const std::string& applicationId) {
    if (auto it = m_nodeIndex.find(sessionId); it != m_nodeIndex.end()) {
        GraphNode& n = m_nodes[it->second];
        if (n.applicationId.empty())
            n.applicationId = applicationId;
        else if (!applicationId.empty() && applicationId != n.applicationId &&
                 std::find(n.otherApplicationIds.begin(), n.otherApplicationIds.end(), applicationId) ==
                     n.otherApplicationIds.end()) {
            n.otherApplicationIds.push_back(applicationId);
            addNote("Session " + sessionId + " appears with application " + n.applicationId + " and with " +
                    applicationId +
                    "; a Session belongs to one application, so one of the sources is wrong.");
        }
        return it->second;
    }
    m_nodes.push_back({sessionId, applicationId, applicationId.empty() ? "?" : shortId(applicationId), {}});
    m_nodeIndex.emplace(sessionId, m_nodes.size() - 1);
    m_inDegree.push_back(0);
    m_outDegree.push_back(0);
    return m_nodes.size() - 1;
}

size_t DelegationGraph::edge(const std::string& id, size_t source, size_t target, const std::string& where) {
    if (auto it = m_edgeIndex.find(id); it != m_edgeIndex.end()) {
        const GraphEdge& e = m_edges[it->second];
        if (e.source != source || e.target != target)
            addNote(where + ": edge " + id + " runs " + m_nodes[source].sessionId + " -> " +
                    m_nodes[target].sessionId + ", but earlier data had " + m_nodes[e.source].sessionId +
                    " -> " + m_nodes[e.target].sessionId + "; the earlier endpoints were kept.");
        return it->second;
    }
    GraphEdge e;
    e.id = id;
    e.source = source;
    e.target = target;
    m_edges.push_back(std::move(e));
    m_edgeIndex.emplace(id, m_edges.size() - 1);
    ++m_outDegree[source];
    ++m_inDegree[target];
    return m_edges.size() - 1;
}

DelegationGraph DelegationGraph::subgraph(std::span<const size_t> nodes,
                                          std::span<const size_t> edges) const {
    DelegationGraph g;
    std::vector<size_t> local(m_nodes.size(), kNone);
    for (size_t n : nodes) {
        if (n >= m_nodes.size() || local[n] != kNone) continue;
        local[n] = g.m_nodes.size();
        g.m_nodes.push_back(m_nodes[n]);
        g.m_nodeIndex.emplace(m_nodes[n].sessionId, local[n]);
    }
    g.m_inDegree.assign(g.m_nodes.size(), 0);
    g.m_outDegree.assign(g.m_nodes.size(), 0);
    for (size_t e : edges) {
        if (e >= m_edges.size()) continue;
        const GraphEdge& from = m_edges[e];
        if (local[from.source] == kNone || local[from.target] == kNone || g.m_edgeIndex.count(from.id))
            continue;
        GraphEdge copy = from;
        copy.source = local[from.source];
        copy.target = local[from.target];
        ++g.m_outDegree[copy.source];
        ++g.m_inDegree[copy.target];
        g.m_edgeIndex.emplace(copy.id, g.m_edges.size());
        if (auto it = m_impactRecords.find(copy.id); it != m_impactRecords.end())
            g.m_impactRecords.emplace(it->first, it->second);
        g.m_edges.push_back(std::move(copy));
    }
    g.m_notes = m_notes;
    return g;
}

void DelegationGraph::nameApplications(const EventStore& store) {
    for (GraphNode& n : m_nodes)
        if (!n.applicationId.empty())
            if (std::string_view name = store.applicationName(n.applicationId); !name.empty())
                n.label = std::string(name);
}

size_t DelegationGraph::mergeEdgeRow(const Json& row, const std::string& idKey, const std::string& where) {
    const std::string id = str(row, idKey.c_str());
    const std::string source = str(row, "source_session_id"), target = str(row, "target_session_id");
    if (id.empty() || source.empty() || target.empty()) {
        addNote(where + ": needs " + idKey +
                ", source_session_id and target_session_id as strings; skipped.");
        return kNone;
    }
    if (source == target) {
        addNote(where + ": edge " + id + " delegates a Session to itself, which Caracal forbids; skipped.");
        return kNone;
    }
    // Delegation never crosses zones: another zone's edge in this graph would be a different edge.
    if (const std::string zone = str(row, "zone_id"); !zone.empty() && !m_zone.empty() && zone != m_zone) {
        ++m_otherZoneSkipped[zone];
        return kNone;
    }
    const size_t e = edge(id, node(source, str(row, "issuer_application_id")),
                          node(target, str(row, "receiver_application_id")), where);
    GraphEdge& ed = m_edges[e];
    ed.fromCoordinator = true;
    auto text = [&](const char* key, std::string& out) {
        if (auto it = row.find(key); it != row.end() && it->is_string()) out = it->get<std::string>();
    };
    text("issuer_application_id", ed.issuerApplicationId);
    text("receiver_application_id", ed.receiverApplicationId);
    text("status", ed.status);
    text("resource_id", ed.resourceId);
    text("parent_edge_id", ed.parentEdgeId);
    text("created_at", ed.createdAt);
    text("updated_at", ed.updatedAt);
    text("expires_at", ed.expiresAt);
    text("revoked_at", ed.revokedAt);
    text("broad_reason", ed.broadReason);
    if (auto it = row.find("edge_version"); it != row.end())
        if (const auto v = jsonfield::intValue(*it)) ed.version = *v;
    if (auto it = row.find("scopes"); it != row.end() && it->is_array()) {
        ed.scopes.clear();
        for (const Json& s : *it)
            if (s.is_string()) ed.scopes.push_back(s.get<std::string>());
    }
    for (const char* key : {"constraints_json", "constraints"})
        if (auto it = row.find(key); it != row.end()) {
            ed.constraints = DelegationConstraints::decode(*it);
            for (const auto& p : ed.constraints.problems)
                addNote(where + ": edge " + id + ": " + p);
            break;
        }
    if (ed.coordinatorJson.is_null() || row.size() >= ed.coordinatorJson.size()) ed.coordinatorJson = row;
    return e;
}

MergeResult DelegationGraph::mergeCoordinator(std::string_view text, const std::string& sourceName) {
    MergeResult result;
    m_otherZoneSkipped.clear();
    std::string error;
    const Json doc = jsonfield::parse<Json>(text, error);
    if (doc.is_discarded()) {
        result.error = sourceName + ": not JSON (" + error + ")";
        return result;
    }
    auto mergeList = [&](const Json& items, const char* what) {
        for (size_t i = 0; i < items.size(); ++i) {
            const std::string where = sourceName + " item " + std::to_string(i + 1);
            if (!items[i].is_object()) {
                addNote(where + ": not an object; skipped.");
                continue;
            }
            const size_t e = mergeEdgeRow(items[i], "id", where);
            if (e == kNone) continue;
            // Traverse and impact list only active edges.
            if (m_edges[e].status.empty() && !items[i].contains("status")) m_edges[e].status = "active";
            ++result.edges;
        }
        result.shape = what;
    };
    if (doc.is_object() && doc.contains("items") && doc["items"].is_array()) {
        mergeList(doc["items"], "edge list");
    } else if (doc.is_object() && doc.contains("affected_edges") && doc["affected_edges"].is_array()) {
        mergeList(doc["affected_edges"], "revocation impact");
        std::vector<std::string> records;
        if (auto r = doc.find("affected_authority_records"); r != doc.end() && r->is_array())
            for (const Json& v : *r)
                if (v.is_string()) records.push_back(v.get<std::string>());
        m_impactRecords[str(doc, "edge_id")] = std::move(records);
    } else if (doc.is_object() && doc.contains("delegation_edge_id") && doc.contains("source_session_id")) {
        result.shape = "created edge";
        if (mergeEdgeRow(doc, "delegation_edge_id", sourceName) != kNone) result.edges = 1;
    } else if (doc.is_object() && doc.contains("id") && doc.contains("source_session_id")) {
        result.shape = "edge";
        if (mergeEdgeRow(doc, "id", sourceName) != kNone) result.edges = 1;
    } else if (doc.is_array()) {
        const bool traverse = !doc.empty() && doc[0].is_object() && doc[0].contains("depth");
        mergeList(doc, traverse ? "traverse" : "edge list");
    } else {
        result.error =
            sourceName +
            ": not Coordinator delegation data (expected an edge list with items, a traverse array, an "
            "impact answer with affected_edges, or an edge)";
        return result;
    }
    for (const auto& [zone, count] : m_otherZoneSkipped) {
        result.otherZone += count;
        addNote(sourceName + ": left out " + countText(count, "edge", "edges") + " of zone " + zone +
                ": this graph shows zone " + m_zone +
                ", and a delegation edge belongs to one zone only, so they cannot be part of it.");
    }
    deriveHops();
    return result;
}

std::optional<LateUse> DelegationGraph::lateUse(size_t edge, const EventStore& store) const {
    const GraphEdge& e = m_edges[edge];
    LateUse late;
    const auto revoked = parseRfc3339Micros(e.revokedAt);
    const auto expires = parseRfc3339Micros(e.expiresAt);
    if (revoked && (!expires || *revoked <= *expires)) {
        late.cause = "revoked";
        late.endedAt = e.revokedAt;
        late.endedMicros = *revoked;
    } else if (expires) {
        late.cause = "expired";
        late.endedAt = e.expiresAt;
        late.endedMicros = *expires;
    } else {
        return std::nullopt;
    }
    for (RowId r : e.events) // in time order
        if (store.record(r).occurredAt > late.endedMicros) {
            late.events.push_back(r);
            if (store.field(r, Field::Decision) == "allow") late.allowed.push_back(r);
        }
    if (late.events.empty()) return std::nullopt;
    return late;
}

void DelegationGraph::deriveHops() {
    // Edges only the Coordinator names: one past their parent edge, else past the edges into their source.
    for (int pass = 0; pass < kCascadeDepth; ++pass) {
        bool changed = false;
        for (GraphEdge& e : m_edges) {
            if (e.seenInAudit()) continue;
            int hop = 1;
            if (auto p = findEdge(e.parentEdgeId); p && m_edges[*p].hop > 0)
                hop = m_edges[*p].hop + 1;
            else
                for (size_t in : incoming(e.source))
                    hop = std::max(hop, m_edges[in].hop + 1);
            hop = std::min(hop, kCascadeDepth + 1);
            if (hop != e.hop) {
                e.hop = hop;
                changed = true;
            }
        }
        if (!changed) break;
    }
}

std::optional<size_t> DelegationGraph::findNode(std::string_view sessionId) const {
    auto it = m_nodeIndex.find(std::string(sessionId));
    return it == m_nodeIndex.end() ? std::nullopt : std::optional<size_t>(it->second);
}

std::optional<size_t> DelegationGraph::findEdge(std::string_view edgeId) const {
    if (edgeId.empty()) return std::nullopt;
    auto it = m_edgeIndex.find(std::string(edgeId));
    return it == m_edgeIndex.end() ? std::nullopt : std::optional<size_t>(it->second);
}

std::vector<size_t> DelegationGraph::outgoing(size_t node) const {
    std::vector<size_t> out;
    for (size_t e = 0; e < m_edges.size(); ++e)
        if (m_edges[e].source == node) out.push_back(e);
    return out;
}

std::vector<size_t> DelegationGraph::incoming(size_t node) const {
    std::vector<size_t> in;
    for (size_t e = 0; e < m_edges.size(); ++e)
        if (m_edges[e].target == node) in.push_back(e);
    return in;
}

std::string_view DelegationGraph::kind(size_t node) const {
    const bool in = m_inDegree[node] > 0, out = m_outDegree[node] > 0;
    return in && out ? "intermediate" : out ? "root" : in ? "leaf" : "session";
}

EdgeStatus DelegationGraph::status(size_t edge, int64_t nowMicros) const {
    const GraphEdge& e = m_edges[edge];
    if (e.status == "revoked") return EdgeStatus::Revoked;
    if (e.status == "expired") return EdgeStatus::Expired;
    if (e.status != "active") return EdgeStatus::Unknown;
    if (auto expiry = parseRfc3339Micros(e.expiresAt); expiry && *expiry <= nowMicros)
        return EdgeStatus::Expiring;
    return EdgeStatus::Active;
}

RevocationImpact DelegationGraph::revocationImpact(size_t edge, int64_t nowMicros) const {
    RevocationImpact impact;
    impact.edge = edge;
    std::unordered_set<size_t> seenEdges{edge}, seenSessions;
    std::deque<ImpactHop> queue{{edge, 1}};
    while (!queue.empty()) {
        const ImpactHop hop = queue.front();
        queue.pop_front();
        impact.edges.push_back(hop);
        const size_t target = m_edges[hop.edge].target;
        if (seenSessions.insert(target).second) impact.sessions.push_back(target);
        for (size_t next : outgoing(target)) {
            if (seenEdges.count(next) || isInactive(status(next, nowMicros))) continue;
            if (hop.depth >= kCascadeDepth) {
                impact.depthLimitReached = true;
                continue;
            }
            seenEdges.insert(next);
            queue.push_back({next, hop.depth + 1});
        }
    }
    std::set<RowId> rows;
    for (const ImpactHop& h : impact.edges)
        rows.insert(m_edges[h.edge].events.begin(), m_edges[h.edge].events.end());
    impact.events.assign(rows.begin(), rows.end());
    if (auto it = m_impactRecords.find(m_edges[edge].id); it != m_impactRecords.end())
        impact.authorityRecords = it->second;
    return impact;
}

std::vector<size_t> DelegationGraph::edgesUsedBy(std::span<const RowId> rows) const {
    const std::unordered_set<RowId> wanted(rows.begin(), rows.end());
    std::vector<size_t> used;
    for (size_t e = 0; e < m_edges.size(); ++e)
        if (std::any_of(m_edges[e].events.begin(), m_edges[e].events.end(),
                        [&](RowId r) { return wanted.count(r) > 0; }))
            used.push_back(e);
    return used;
}

std::vector<RowId> graphRowsForRequest(const EventStore& store, std::string_view requestId,
                                       std::string_view zone) {
    return inTimeOrder(store, store.rowsOfRequest(zone, requestId));
}

std::vector<RowId> graphRowsForZone(const EventStore& store, std::string_view zone) {
    const auto rows = store.rowsWith(Field::Zone, zone);
    return inTimeOrder(store, {rows.begin(), rows.end()});
}

} // namespace caracal
