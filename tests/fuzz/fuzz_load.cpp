// Untrusted bytes as a loaded file: shape detection (JSON lines, one document, CSV export), the simdjson
// scan, then every loaded record through what the console and the CLI show: the byte scanner (ids, event
// JSON), presentation and details, troubleshooting links, the verifier simulation, request traces, the
// diagnostics overview and the delegation graph.
#include "FuzzInput.h"
#include "catalog/TroubleshootingLinker.h"
#include "graph/DelegationGraph.h"
#include "graph/GraphExport.h"
#include "graph/VerifierSimulation.h"
#include "load/EventLoader.h"
#include "present/EventDetails.h"
#include "present/EventPresentation.h"
#include "store/EventStore.h"
#include "trace/DiagnosticsOverview.h"
#include "trace/RequestTrace.h"
#include "util/SourceBuffer.h"

#include <set>

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 20)) return 0;
    const std::string_view in = fuzz::text(data, size);
    // The name decides nothing but a CSV export's zone; the bytes decide the shape.
    auto source = SourceBuffer::fromBytes("audit-fuzz.csv", std::string(in));
    EventStore store;
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& batch) { store.append(std::move(batch)); };
    cb.fileError = [&](const std::string& message) { store.addLoadError(message); };
    cb.notice = [&](const std::string& message) { store.addNotice(message); };
    LoadOptions options;
    options.threads = 1;
    options.blockBytes = 4096; // several blocks even for small inputs
    loadBuffer(source, options, cb);
    store.finishLoading();

    std::set<std::pair<std::string, std::string>> requests;
    std::vector<RowId> rows;
    for (RowId r = 0; r < store.size() && r < 64; ++r) {
        if (store.isSuperseded(r)) continue;
        rows.push_back(r);
        (void)store.eventId(r);
        const auto ev = store.event(r);
        (void)eventSummary(ev, std::string(store.actorOf(r)));
        (void)actorName(ev);
        (void)denyReasonCode(ev);
        (void)describeEvent(ev, "fuzz", store.record(r).line, {}, SourceOrigin::CaracalApi);
        (void)linkEvent(ev);
        (void)reconstructPolicyInput(ev);
        (void)verifierOutcomeToJson(simulateVerifier(claimsFromEvent(ev), VerifierSettings{}));
        const auto request = store.field(r, Field::RequestId);
        if (!request.empty()) requests.emplace(store.field(r, Field::Zone), request);
    }
    for (const auto& [zone, request] : requests) {
        (void)zonesOfRequest(store, request);
        if (auto trace = buildRequestTrace(store, zone, request)) {
            (void)traceToJson(*trace, store).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            (void)traceToText(*trace, store);
        }
    }
    (void)buildDiagnosticsOverview(store);
    if (rows.size() >= 2) (void)compareEvents(store.event(rows[0]), store.event(rows[1]));
    DelegationGraph graph = DelegationGraph::fromEvents(store, rows);
    graph.nameApplications(store);
    (void)graphToJson(graph, 0).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
