// Coordinator JSON a user opens next to the events (edge lists, a created edge, traversals, revocation
// impact) merged into a delegation graph, its exports, and the constraints decoder on the same bytes.
#include "FuzzInput.h"
#include "graph/DelegationConstraints.h"
#include "graph/DelegationGraph.h"
#include "graph/GraphExport.h"
#include "util/JsonField.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 20)) return 0;
    const std::string_view in = fuzz::text(data, size);
    DelegationGraph graph;
    (void)graph.mergeCoordinator(in, "coordinator.json");
    (void)graphToJson(graph, 1794650000000000).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    (void)graphToDot(graph, 1794650000000000);
    for (size_t e = 0; e < graph.edges().size() && e < 16; ++e)
        (void)graph.revocationImpact(e, 1794650000000000);
    // constraints_json arrives both as an object and as a string holding JSON.
    (void)DelegationConstraints::decode(nlohmann::ordered_json(std::string(in))).describe();
    std::string error;
    const auto parsed = jsonfield::parse<nlohmann::ordered_json>(in, error);
    if (!parsed.is_discarded()) (void)DelegationConstraints::decode(parsed).describe();
    return 0;
}
