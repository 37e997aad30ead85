#pragma once
// Text forms of a delegation graph: the `caracal-trace graph --format json` contract and Graphviz DOT.
#include "graph/DelegationGraph.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caracal {

// {"nodes": [{"id", "application_id", "label", "kind"}], "edges": [{"source", "target", "delegation_edge_id",
// "hop", "status"}]}, nodes and edges in the order first seen.
nlohmann::ordered_json graphToJson(const DelegationGraph& graph, int64_t nowMicros);

// DOT with rankdir=LR; revoked edges dashed, edges of `highlighted` drawn bold.
std::string graphToDot(const DelegationGraph& graph, int64_t nowMicros,
                       const std::vector<size_t>& highlighted = {});

} // namespace caracal
