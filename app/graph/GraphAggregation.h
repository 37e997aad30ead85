#pragma once
// A delegation graph too big to read, summarised by application: one node per application (how many of its
// Sessions there are and how many are roots), one edge per issuing -> receiving application pair standing
// for every delegation edge between their Sessions, counted by status, with when the audit saw them. The
// request in focus stays visible: the applications and pairs its edges run through are marked. And the parts
// a reader drills into (an application, a status, a time range, the Sessions around one Session), each small
// enough to draw in full.
#include "graph/DelegationGraph.h"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace caracal {

// Above this many Sessions a full drawing no longer reads (at a scale where labels can be read it fills
// dozens of screens, and fitted it is a grey smear): such a graph opens on its overview.
inline constexpr size_t kReadableSessions = 2000;
// The most Sessions a drilled-in part may have and still be drawn; a bigger part asks to be narrowed.
inline constexpr size_t kDrawableSessions = 100000;

struct StatusCounts {
    std::array<size_t, 5> counts{}; // indexed by EdgeStatus
    void add(EdgeStatus status) { ++counts[size_t(status)]; }
    size_t of(EdgeStatus status) const { return counts[size_t(status)]; }
    size_t total() const;
    // The most frequent status; a tie goes to the one a reader must notice first (revoked, expired,
    // expiring, active, unknown).
    EdgeStatus dominant() const;
    // "12 active, 3 revoked" (most frequent first; zero counts left out).
    std::string describe() const;
};

struct ApplicationNode {
    std::string applicationId, label; // the label its Sessions carry (name, else short id, else "?")
    size_t sessions = 0, roots = 0;
    StatusCounts internal; // edges between two Sessions of this application
    bool onPath = false;
};

struct ApplicationEdge {
    size_t source = 0, target = 0; // ApplicationNode indices; never equal (see ApplicationNode::internal)
    StatusCounts statuses;
    size_t events = 0;                               // audit events that used any of its edges
    int64_t firstSeenMicros = 0, lastSeenMicros = 0; // over its edges the audit saw; 0 when none was
    bool onPath = false;
};

struct TimeSlice {
    int64_t fromMicros = 0, toMicros = 0;
    size_t edges = 0; // delegation edges the audit saw within the slice
};

struct GraphOverview {
    std::vector<ApplicationNode> applications; // most Sessions first
    std::vector<ApplicationEdge> edges;        // most delegation edges first
    std::vector<size_t> applicationOf;         // per Session of the graph: its ApplicationNode
    StatusCounts statuses;                     // every delegation edge
    std::vector<TimeSlice> timeline;           // the audit's span in equal slices (empty when no edge seen)
    size_t sessions = 0, delegationEdges = 0;
    bool cancelled = false;
    std::optional<size_t> applicationIndex(std::string_view applicationId) const;
};

// `path`: edges of the graph that the request in focus used.
GraphOverview aggregateByApplication(const DelegationGraph& graph, int64_t nowMicros,
                                     std::span<const size_t> path = {}, const GraphWork& work = {});

// Marks the applications and pairs `path` (edges of the graph) runs through, clearing earlier marks.
void markPath(GraphOverview& overview, const DelegationGraph& graph, std::span<const size_t> path);

// Which part of a big graph to draw. Criteria combine: an edge is in when it meets all of them.
struct GraphSubset {
    std::optional<std::string> applicationId;        // edges from or to its Sessions (and all its Sessions)
    std::optional<EdgeStatus> status;                // edges in this status at the time of drawing
    std::optional<std::pair<int64_t, int64_t>> seen; // edges the audit saw within [from, to] (micros)
    std::optional<size_t> around;                    // a Session and the Sessions nearest to it
    bool empty() const { return !applicationId && !status && !seen && !around; }
    // For titles and messages: "application research-bot, status revoked".
    std::string describe(const DelegationGraph& graph) const;
};

struct SubsetSelection {
    std::vector<size_t> nodes, edges; // indices in the graph, ascending
    bool truncated = false;           // `around` stopped at the limit
    bool cancelled = false;
};

// The Sessions and edges of `subset`, plus the path's edges and their Sessions so the request in focus stays
// visible. `around` walks outwards breadth-first, along edges in both directions, until `limit` Sessions.
SubsetSelection selectSubset(const DelegationGraph& graph, const GraphSubset& subset, int64_t nowMicros,
                             std::span<const size_t> path = {}, size_t limit = kReadableSessions,
                             const GraphWork& work = {});

} // namespace caracal
