#pragma once
// Delegation as a graph: nodes are Sessions (labelled with their application), edges are delegation edges.
// Built from the `metadata_json.delegation_chain` of audit events (root issuer first; the last hop has an
// empty edge id) and enriched with what the Coordinator says about an edge (scopes, constraints, status,
// parent, version). Each edge remembers its hop position, the graph epochs and times it was seen and the
// events that used it.
#include "graph/DelegationConstraints.h"
#include "graph/GraphWork.h"
#include "store/EventStore.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace caracal {

enum class EdgeStatus { Unknown, Active, Expiring, Revoked, Expired };
std::string_view edgeStatusName(EdgeStatus status); // unknown, active, expiring, revoked, expired

// first8…last4 for ids longer than 12 characters, as Caracal's console shortens them.
std::string shortId(std::string_view id);

struct GraphNode {
    std::string sessionId, applicationId, label;  // label: the application's name, or its short id
    std::vector<std::string> otherApplicationIds; // seen for the same Session elsewhere (a conflict)
};

struct GraphEdge {
    std::string id; // delegation_edge_id
    size_t source = 0, target = 0;
    std::string issuerApplicationId, receiverApplicationId;
    int hop = 0;                 // 1-based position in the chain it was first seen in
    std::vector<int64_t> epochs; // delegation_graph_epoch values seen, ascending
    int64_t firstSeenMicros = 0, lastSeenMicros = 0;
    std::vector<RowId> events; // events whose chain holds this edge
    // From the Coordinator; empty when only audit events name the edge.
    bool fromCoordinator = false;
    std::string status, resourceId, parentEdgeId, createdAt, updatedAt, expiresAt, revokedAt, broadReason;
    std::vector<std::string> scopes;
    std::optional<int> version;
    DelegationConstraints constraints;
    nlohmann::ordered_json coordinatorJson; // the richest row received, as received

    bool seenInAudit() const { return !events.empty(); }
};

struct ImpactHop {
    size_t edge = 0;
    int depth = 1; // the revoked edge itself is depth 1, as the Coordinator's traverse counts
};

struct RevocationImpact {
    size_t edge = 0;
    std::vector<ImpactHop> edges; // the edge and every edge downstream that is not already revoked or expired
    std::vector<size_t> sessions; // Sessions cut off: the targets of those edges
    std::vector<std::string> authorityRecords; // from a Coordinator impact answer, when one was loaded
    std::vector<RowId> events;                 // events that used any of those edges
    bool depthLimitReached = false;            // Caracal's cascade stops at 10 hops
};

struct MergeResult {
    std::string shape; // what the document was: active list, inbound/outbound list, traverse, impact, create
    size_t edges = 0;  // edges it described
    size_t otherZone = 0; // edges of another zone, left out (a zone's graph never holds them)
    std::optional<std::string> error;
};

// An edge used after it ended: events whose time is past its revoked_at, or its expiry when it was not
// revoked first. Caracal should have refused every one of them (STS: "delegation edge inactive or expired";
// a verifier with revocation data: session_revoked); allowed ones are the finding that matters.
struct LateUse {
    std::string cause;   // "revoked" or "expired"
    std::string endedAt; // revoked_at or expires_at as the Coordinator wrote it
    int64_t endedMicros = 0;
    std::vector<RowId> events;  // time order
    std::vector<RowId> allowed; // those with decision allow
};

class DelegationGraph {
  public:
    // The chains of `rows` (usually in time order). Events without a chain add nothing. A cancelled build
    // returns what it read so far (the caller drops it).
    static DelegationGraph fromEvents(const EventStore& store, std::span<const RowId> rows,
                                      const GraphWork& work = {});
    // Adds one chain. `where` names the event in messages.
    void addChain(const nlohmann::ordered_json& chain, std::optional<int64_t> epoch, int64_t occurredMicros,
                  std::optional<RowId> row, const std::string& where);
    // Coordinator JSON: the active list, inbound/outbound lists, a single edge row, the create response,
    // traverse or impact. Errors name the source and what was expected.
    MergeResult mergeCoordinator(std::string_view text, const std::string& sourceName);
    // The zone the graph shows ("" when its events span several). Coordinator rows of another zone are left
    // out of it with a note.
    const std::string& zone() const { return m_zone; }
    void setZone(std::string zone) { m_zone = std::move(zone); }
    // Whether (and how often) an edge was used after it was revoked or expired; nullopt when it was not, or
    // when no Coordinator data says when it ended.
    std::optional<LateUse> lateUse(size_t edge, const EventStore& store) const;
    // Labels nodes with application names the store knows.
    void nameApplications(const EventStore& store);
    // The given Sessions (in that order) and those of the given edges that join two of them, each with all
    // it knows: part of a graph too big to draw whole. Notes are kept.
    DelegationGraph subgraph(std::span<const size_t> nodes, std::span<const size_t> edges) const;

    const std::vector<GraphNode>& nodes() const { return m_nodes; }
    const std::vector<GraphEdge>& edges() const { return m_edges; }
    bool empty() const { return m_nodes.empty(); }
    std::optional<size_t> findNode(std::string_view sessionId) const;
    std::optional<size_t> findEdge(std::string_view edgeId) const;
    std::vector<size_t> outgoing(size_t node) const;
    std::vector<size_t> incoming(size_t node) const;
    // root (nothing delegates to it), leaf (it delegates to no one), intermediate, or session (no edges).
    std::string_view kind(size_t node) const;
    // The Coordinator's status, with "expiring" for an active edge past its expiry at `nowMicros`, as
    // Caracal's console labels it; Unknown when only audit events name the edge.
    EdgeStatus status(size_t edge, int64_t nowMicros) const;
    // The edges and Sessions a revocation of `edge` would cut off, walking downstream like the Coordinator.
    RevocationImpact revocationImpact(size_t edge, int64_t nowMicros) const;
    // Edges used by any of `rows` (a request's path).
    std::vector<size_t> edgesUsedBy(std::span<const RowId> rows) const;
    // Things a reader should know: conflicting data, chains that could not be read, events without chains.
    const std::vector<std::string>& notes() const { return m_notes; }
    void addNote(std::string note) { m_notes.push_back(std::move(note)); }

  private:
    size_t node(const std::string& sessionId, const std::string& applicationId);
    size_t edge(const std::string& id, size_t source, size_t target, const std::string& where);
    size_t mergeEdgeRow(const nlohmann::ordered_json& row, const std::string& idKey,
                        const std::string& where);
    void deriveHops();

    std::vector<GraphNode> m_nodes;
    std::vector<GraphEdge> m_edges;
    std::unordered_map<std::string, size_t> m_nodeIndex, m_edgeIndex;
    std::unordered_map<std::string, std::vector<std::string>> m_impactRecords; // edge id -> authority records
    std::vector<uint32_t> m_inDegree, m_outDegree; // per node, so kind() is cheap enough for every paint
    std::vector<std::string> m_notes;
    std::string m_zone;
    std::unordered_map<std::string, size_t> m_otherZoneSkipped; // zone -> edges left out by the last merge
};

// Rows whose chains make the graph of a scope, in time order.
std::vector<RowId> graphRowsForRequest(const EventStore& store, std::string_view requestId,
                                       std::string_view zone = {});
std::vector<RowId> graphRowsForZone(const EventStore& store, std::string_view zone);

} // namespace caracal
