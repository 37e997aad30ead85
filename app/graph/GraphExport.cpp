#include "graph/GraphExport.h"

#include <algorithm>

namespace caracal {

using Json = nlohmann::ordered_json;

Json graphToJson(const DelegationGraph& graph, int64_t nowMicros) {
    Json nodes = Json::array(), edges = Json::array();
    for (size_t i = 0; i < graph.nodes().size(); ++i) {
        const GraphNode& n = graph.nodes()[i];
        nodes.push_back({{"id", n.sessionId},
                         {"application_id", n.applicationId},
                         {"label", n.label},
                         {"kind", std::string(graph.kind(i))}});
    }
    for (size_t i = 0; i < graph.edges().size(); ++i) {
        const GraphEdge& e = graph.edges()[i];
        edges.push_back({{"source", graph.nodes()[e.source].sessionId},
                         {"target", graph.nodes()[e.target].sessionId},
                         {"delegation_edge_id", e.id},
                         {"hop", e.hop},
                         {"status", std::string(edgeStatusName(graph.status(i, nowMicros)))}});
    }
    return {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

namespace {
std::string dotString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        else if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}
std::string_view colourOf(EdgeStatus s) {
    switch (s) {
    case EdgeStatus::Active:
        return "#2e7d32";
    case EdgeStatus::Expiring:
        return "#b26a00";
    case EdgeStatus::Revoked:
        return "#c62828";
    case EdgeStatus::Expired:
        return "#757575";
    case EdgeStatus::Unknown:
        break;
    }
    return "#455a64";
}
} // namespace

std::string graphToDot(const DelegationGraph& graph, int64_t nowMicros,
                       const std::vector<size_t>& highlighted) {
    std::string dot = "digraph delegation {\n"
                      "  rankdir=LR;\n"
                      "  node [shape=box, style=\"rounded\", fontname=\"sans-serif\"];\n"
                      "  edge [fontname=\"sans-serif\", fontsize=10];\n";
    for (size_t i = 0; i < graph.nodes().size(); ++i) {
        const GraphNode& n = graph.nodes()[i];
        dot += "  " + dotString(n.sessionId) +
               " [label=" + dotString(n.label + "\nSession " + shortId(n.sessionId)) +
               ", tooltip=" + dotString("application " + n.applicationId) +
               (graph.kind(i) == "root" ? ", peripheries=2" : "") + "];\n";
    }
    for (size_t i = 0; i < graph.edges().size(); ++i) {
        const GraphEdge& e = graph.edges()[i];
        const EdgeStatus status = graph.status(i, nowMicros);
        std::string attrs =
            "label=" + dotString("hop " + std::to_string(e.hop) + "\n" + shortId(e.id)) +
            ", tooltip=" + dotString(e.id + " (" + std::string(edgeStatusName(status)) + ")") +
            ", color=" + dotString(colourOf(status));
        if (status == EdgeStatus::Revoked || status == EdgeStatus::Expired) attrs += ", style=dashed";
        if (std::find(highlighted.begin(), highlighted.end(), i) != highlighted.end())
            attrs += ", penwidth=3";
        dot += "  " + dotString(graph.nodes()[e.source].sessionId) + " -> " +
               dotString(graph.nodes()[e.target].sessionId) + " [" + attrs + "];\n";
    }
    return dot + "}\n";
}

} // namespace caracal
