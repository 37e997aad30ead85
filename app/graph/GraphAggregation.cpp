#include "graph/GraphAggregation.h"

#include "util/Timestamp.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

namespace caracal {

namespace {
constexpr size_t kNone = static_cast<size_t>(-1);
constexpr int kTimeSlices = 8;
// The order a reader must notice statuses in: a tie for the most frequent goes to the earlier one.
constexpr std::array<EdgeStatus, 5> kSeverity = {
    EdgeStatus::Revoked, EdgeStatus::Expired, EdgeStatus::Expiring, EdgeStatus::Active, EdgeStatus::Unknown};

// "2026-11-14 10:00": a time range's ends, to the minute.
std::string minute(int64_t micros) {
    std::string t = formatUtcMicros(micros).substr(0, 16);
    if (t.size() > 10) t[10] = ' ';
    return t;
}

bool seenWithin(const GraphEdge& e, int64_t from, int64_t to) {
    return e.seenInAudit() && e.lastSeenMicros >= from && e.firstSeenMicros <= to;
}
} // namespace

size_t StatusCounts::total() const {
    return std::accumulate(counts.begin(), counts.end(), size_t(0));
}

EdgeStatus StatusCounts::dominant() const {
    EdgeStatus best = EdgeStatus::Unknown;
    size_t bestCount = 0;
    for (EdgeStatus s : kSeverity)
        if (of(s) > bestCount) {
            best = s;
            bestCount = of(s);
        }
    return best;
}

std::string StatusCounts::describe() const {
    std::vector<EdgeStatus> order(kSeverity.begin(), kSeverity.end());
    std::stable_sort(order.begin(), order.end(), [&](EdgeStatus a, EdgeStatus b) { return of(a) > of(b); });
    std::string text;
    for (EdgeStatus s : order)
        if (of(s) > 0)
            text += (text.empty() ? "" : ", ") + std::to_string(of(s)) + " " + std::string(edgeStatusName(s));
    return text.empty() ? "no edges" : text;
}

std::optional<size_t> GraphOverview::applicationIndex(std::string_view applicationId) const {
    for (size_t i = 0; i < applications.size(); ++i)
        if (applications[i].applicationId == applicationId) return i;
    return std::nullopt;
}

GraphOverview aggregateByApplication(const DelegationGraph& graph, int64_t nowMicros,
                                     std::span<const size_t> path, const GraphWork& work) {
    GraphOverview o;
    o.sessions = graph.nodes().size();
    o.delegationEdges = graph.edges().size();
    // Applications in first-seen order, then sorted by size.
    std::unordered_map<std::string_view, size_t> byId;
    std::vector<size_t> appOf(graph.nodes().size());
    for (size_t n = 0; n < graph.nodes().size(); ++n) {
        if (n % 16384 == 0 && work.cancelled()) {
            o.cancelled = true;
            return o;
        }
        const GraphNode& node = graph.nodes()[n];
        auto [it, added] = byId.emplace(node.applicationId, o.applications.size());
        if (added) o.applications.push_back({node.applicationId, node.label, 0, 0, {}, false});
        ApplicationNode& app = o.applications[it->second];
        ++app.sessions;
        if (graph.kind(n) == "root") ++app.roots;
        appOf[n] = it->second;
    }
    work.report(0.3);
    std::map<std::pair<size_t, size_t>, ApplicationEdge> pairs;
    int64_t first = 0, last = 0;
    for (size_t e = 0; e < graph.edges().size(); ++e) {
        if (e % 16384 == 0 && work.cancelled()) {
            o.cancelled = true;
            return o;
        }
        const GraphEdge& edge = graph.edges()[e];
        const EdgeStatus status = graph.status(e, nowMicros);
        o.statuses.add(status);
        const size_t s = appOf[edge.source], t = appOf[edge.target];
        if (edge.seenInAudit()) {
            first = first == 0 ? edge.firstSeenMicros : std::min(first, edge.firstSeenMicros);
            last = std::max(last, edge.lastSeenMicros);
        }
        if (s == t) {
            o.applications[s].internal.add(status);
            continue;
        }
        ApplicationEdge& pair = pairs[{s, t}];
        pair.source = s;
        pair.target = t;
        pair.statuses.add(status);
        pair.events += edge.events.size();
        if (edge.seenInAudit()) {
            pair.firstSeenMicros = pair.firstSeenMicros == 0
                                       ? edge.firstSeenMicros
                                       : std::min(pair.firstSeenMicros, edge.firstSeenMicros);
            pair.lastSeenMicros = std::max(pair.lastSeenMicros, edge.lastSeenMicros);
        }
    }
    work.report(0.7);
    // Largest first, so the drawing and the lists start with what matters most.
    std::vector<size_t> order(o.applications.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return o.applications[a].sessions > o.applications[b].sessions;
    });
    std::vector<size_t> rank(order.size());
    std::vector<ApplicationNode> sorted;
    for (size_t i = 0; i < order.size(); ++i) {
        rank[order[i]] = i;
        sorted.push_back(std::move(o.applications[order[i]]));
    }
    o.applications = std::move(sorted);
    o.applicationOf.resize(appOf.size());
    for (size_t n = 0; n < appOf.size(); ++n)
        o.applicationOf[n] = rank[appOf[n]];
    for (auto& [key, pair] : pairs) {
        pair.source = rank[pair.source];
        pair.target = rank[pair.target];
        o.edges.push_back(pair);
    }
    std::stable_sort(o.edges.begin(), o.edges.end(), [](const ApplicationEdge& a, const ApplicationEdge& b) {
        return a.statuses.total() > b.statuses.total();
    });
    markPath(o, graph, path);
    if (last > 0) {
        const int64_t span = std::max<int64_t>(last - first + 1, kTimeSlices);
        for (int i = 0; i < kTimeSlices; ++i)
            o.timeline.push_back(
                {first + span * i / kTimeSlices, first + span * (i + 1) / kTimeSlices - 1, 0});
        for (const GraphEdge& edge : graph.edges())
            if (edge.seenInAudit())
                for (TimeSlice& slice : o.timeline)
                    slice.edges += seenWithin(edge, slice.fromMicros, slice.toMicros);
    }
    work.report(1);
    return o;
}

void markPath(GraphOverview& o, const DelegationGraph& graph, std::span<const size_t> path) {
    for (ApplicationNode& app : o.applications)
        app.onPath = false;
    for (ApplicationEdge& pair : o.edges)
        pair.onPath = false;
    for (size_t e : path) {
        if (e >= graph.edges().size() || graph.edges()[e].source >= o.applicationOf.size()) continue;
        const size_t s = o.applicationOf[graph.edges()[e].source],
                     t = o.applicationOf[graph.edges()[e].target];
        o.applications[s].onPath = o.applications[t].onPath = true;
        for (ApplicationEdge& pair : o.edges)
            if (pair.source == s && pair.target == t) pair.onPath = true;
    }
}

std::string GraphSubset::describe(const DelegationGraph& graph) const {
    std::vector<std::string> parts;
    if (applicationId) {
        std::string label = applicationId->empty() ? "without an id" : shortId(*applicationId);
        for (const GraphNode& n : graph.nodes())
            if (n.applicationId == *applicationId) {
                label = n.label;
                break;
            }
        parts.push_back("application " + label);
    }
    if (status) parts.push_back("status " + std::string(edgeStatusName(*status)));
    if (seen) parts.push_back("seen " + minute(seen->first) + " to " + minute(seen->second));
    if (around && *around < graph.nodes().size())
        parts.push_back("around Session " + shortId(graph.nodes()[*around].sessionId));
    std::string text;
    for (const auto& p : parts)
        text += (text.empty() ? "" : ", ") + p;
    return text.empty() ? "everything" : text;
}

SubsetSelection selectSubset(const DelegationGraph& graph, const GraphSubset& subset, int64_t nowMicros,
                             std::span<const size_t> path, size_t limit, const GraphWork& work) {
    SubsetSelection out;
    const auto& nodes = graph.nodes();
    const auto& edges = graph.edges();
    auto edgeMatches = [&](size_t e) {
        const GraphEdge& edge = edges[e];
        if (subset.applicationId && nodes[edge.source].applicationId != *subset.applicationId &&
            nodes[edge.target].applicationId != *subset.applicationId)
            return false;
        if (subset.status && graph.status(e, nowMicros) != *subset.status) return false;
        if (subset.seen && !seenWithin(edge, subset.seen->first, subset.seen->second)) return false;
        return true;
    };
    std::vector<char> nodeIn(nodes.size(), 0), edgeIn(edges.size(), 0);
    if (subset.around && *subset.around < nodes.size()) {
        // Breadth-first from the Session over matching edges, both directions, until the limit.
        std::vector<std::vector<size_t>> incident(nodes.size());
        for (size_t e = 0; e < edges.size(); ++e) {
            if (e % 16384 == 0 && work.cancelled()) {
                out.cancelled = true;
                return out;
            }
            if (!edgeMatches(e)) continue;
            incident[edges[e].source].push_back(e);
            incident[edges[e].target].push_back(e);
        }
        std::vector<size_t> queue{*subset.around};
        nodeIn[*subset.around] = 1;
        size_t taken = 1;
        for (size_t qi = 0; qi < queue.size(); ++qi)
            for (size_t e : incident[queue[qi]]) {
                const size_t other = edges[e].source == queue[qi] ? edges[e].target : edges[e].source;
                if (!nodeIn[other]) {
                    if (taken >= limit) {
                        out.truncated = true;
                        continue;
                    }
                    nodeIn[other] = 1;
                    ++taken;
                    queue.push_back(other);
                }
            }
        for (size_t e = 0; e < edges.size(); ++e)
            edgeIn[e] = nodeIn[edges[e].source] && nodeIn[edges[e].target] && edgeMatches(e);
    } else {
        for (size_t e = 0; e < edges.size(); ++e) {
            if (e % 16384 == 0 && work.cancelled()) {
                out.cancelled = true;
                return out;
            }
            if (edgeMatches(e)) {
                edgeIn[e] = 1;
                nodeIn[edges[e].source] = nodeIn[edges[e].target] = 1;
            }
        }
        // An application on its own also shows its Sessions that delegated nothing and received nothing.
        if (subset.applicationId && !subset.status && !subset.seen)
            for (size_t n = 0; n < nodes.size(); ++n)
                if (nodes[n].applicationId == *subset.applicationId) nodeIn[n] = 1;
    }
    for (size_t e : path)
        if (e < edges.size()) {
            edgeIn[e] = 1;
            nodeIn[edges[e].source] = nodeIn[edges[e].target] = 1;
        }
    for (size_t n = 0; n < nodes.size(); ++n)
        if (nodeIn[n]) out.nodes.push_back(n);
    for (size_t e = 0; e < edges.size(); ++e)
        if (edgeIn[e]) out.edges.push_back(e);
    work.report(1);
    return out;
}

} // namespace caracal
