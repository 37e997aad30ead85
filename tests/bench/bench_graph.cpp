// Delegation graph timings: a zone's graph built from a loaded file (optional), and a synthetic graph of 500
// Sessions laid out and painted for the first time in a real view (offscreen), against the 100 ms target.
//   caracal-graph-bench [FILE ZONE]
#include "common/Theme.h"
#include "graph/DelegationGraphView.h"
#include "load/EventLoader.h"

#include <QApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

using namespace caracal;

namespace {
// 500 Sessions in trees under 20 roots, chains of up to 7 hops: a zone union ten times Caracal's default
// Session limit.
DelegationGraph syntheticGraph(size_t sessions) {
    DelegationGraph g;
    uint32_t seed = 2026;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    std::vector<std::vector<std::string>> paths; // root-first session paths
    for (size_t i = 0; i < sessions; ++i) {
        const std::string s = "session-" + std::to_string(i);
        std::vector<std::string> path;
        if (i >= 20) {
            path = paths[next() % paths.size()];
            if (path.size() >= 7) path.resize(1 + next() % 6);
        }
        path.push_back(s);
        nlohmann::ordered_json chain = nlohmann::ordered_json::array();
        for (size_t h = 0; h < path.size(); ++h)
            chain.push_back(
                {{"application_id", "app-" + std::to_string(std::hash<std::string>{}(path[h]) % 40)},
                 {"agent_session_id", path[h]},
                 {"delegation_edge_id", h + 1 < path.size() ? "edge-" + path[h + 1] : ""}});
        g.addChain(chain, 1, 0, std::nullopt, "synthetic");
        paths.push_back(std::move(path));
    }
    return g;
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    ui::applyPalette(ui::PaletteMode::Light);
    if (argc == 3) {
        EventStore store;
        loadIntoStore(store, {argv[1]});
        QElapsedTimer t;
        t.start();
        const auto rows = graphRowsForZone(store, argv[2]);
        const DelegationGraph zone = DelegationGraph::fromEvents(store, rows);
        std::printf(
            "zone_graph_events %zu\nzone_graph_nodes %zu\nzone_graph_edges %zu\nzone_graph_build_ms %.1f\n",
            rows.size(), zone.nodes().size(), zone.edges().size(), t.nsecsElapsed() / 1e6);
    }
    auto graph = std::make_shared<const DelegationGraph>(syntheticGraph(500));
    std::vector<double> totals, layouts;
    for (int run = 0; run < 7; ++run) {
        ui::DelegationGraphView view;
        view.resize(1280, 800);
        view.show();
        QElapsedTimer t;
        t.start();
        view.setGraph(graph, 0);
        view.fitGraph();
        const QPixmap first = view.viewport()->grab(); // the first paint, every visible box and edge
        totals.push_back(t.nsecsElapsed() / 1e6);
        layouts.push_back(view.lastLayoutMs());
        if (first.isNull()) return 1;
    }
    std::sort(totals.begin(), totals.end());
    std::sort(layouts.begin(), layouts.end());
    std::printf("graph_nodes %zu\ngraph_edges %zu\ngraph_layout_ms %.1f\ngraph_layout_and_paint_ms %.1f\n"
                "graph_layout_and_paint_worst_ms %.1f\n",
                graph->nodes().size(), graph->edges().size(), layouts[layouts.size() / 2],
                totals[totals.size() / 2], totals.back());
    return 0;
}
