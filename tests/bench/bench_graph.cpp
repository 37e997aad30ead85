// Delegation graph timings: a zone's graph built from a loaded file (optional), a synthetic graph of 500
// Sessions laid out and painted for the first time in a real view (offscreen), against the 100 ms target, and
// a synthetic zone of 211,052 Sessions: its overview by application, and its busiest application drawn in
// full (the work the window's background jobs do, timed here on one thread).
//   caracal-graph-bench [FILE ZONE]
#include "common/Theme.h"
#include "graph/DelegationGraphView.h"
#include "graph/GraphAggregation.h"
#include "graph/GraphOverviewView.h"
#include "graph/LayeredLayout.h"
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
// Trees of ten Sessions (chains up to four hops) spread over twelve applications, as a busy zone's union.
DelegationGraph bigZone(size_t sessions) {
    DelegationGraph g;
    uint32_t seed = 7;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    for (size_t tree = 0; tree * 10 < sessions; ++tree) {
        std::vector<std::vector<std::string>> paths;
        for (size_t i = 0; i < 10 && tree * 10 + i < sessions; ++i) {
            std::vector<std::string> path;
            if (i > 0) {
                path = paths[next() % paths.size()];
                if (path.size() >= 5) path.resize(1 + next() % 4);
            }
            path.push_back("s-" + std::to_string(tree) + "-" + std::to_string(i));
            nlohmann::ordered_json chain = nlohmann::ordered_json::array();
            for (size_t h = 0; h < path.size(); ++h)
                chain.push_back({{"application_id", "app-" + std::to_string(next() % 12)},
                                 {"agent_session_id", path[h]},
                                 {"delegation_edge_id", h + 1 < path.size() ? "e-" + path[h + 1] : ""}});
            g.addChain(chain, 1, int64_t(tree) * 1000000, std::nullopt, "synthetic");
            paths.push_back(std::move(path));
        }
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
    {
        const auto big = std::make_shared<const DelegationGraph>(bigZone(211052));
        QElapsedTimer t;
        t.start();
        auto overview = std::make_shared<const GraphOverview>(aggregateByApplication(*big, 0));
        ui::GraphOverviewView view;
        view.resize(800, 700);
        view.show();
        view.setOverview(overview);
        view.fit();
        if (view.viewport()->grab().isNull()) return 1;
        std::printf("big_graph_sessions %zu\nbig_graph_edges %zu\nbig_graph_overview_ms %.1f\n",
                    big->nodes().size(), big->edges().size(), t.nsecsElapsed() / 1e6);
        t.restart();
        GraphSubset busiest;
        busiest.applicationId = overview->applications.front().applicationId;
        const SubsetSelection chosen = selectSubset(*big, busiest, 0);
        auto part = std::make_shared<const DelegationGraph>(big->subgraph(chosen.nodes, chosen.edges));
        ui::DelegationGraphView drawing;
        drawing.resize(800, 700);
        drawing.show();
        GraphScene scene = GraphPainter(*part, GraphPalette::light(), drawing.font())
                               .layout(LayeredLayout(), LayoutInput::Direction::LeftToRight);
        const double layoutMs = t.nsecsElapsed() / 1e6;
        drawing.setLaidOutGraph(part, std::move(scene), LayoutInput::Direction::LeftToRight, 0, layoutMs);
        drawing.fitGraph();
        if (drawing.viewport()->grab().isNull()) return 1;
        std::printf("big_graph_part_sessions %zu\nbig_graph_part_layout_ms %.1f\nbig_graph_part_ms %.1f\n",
                    part->nodes().size(), layoutMs, t.nsecsElapsed() / 1e6);
        drawing.zoomBy(0.1 / drawing.zoom()); // far out: outlines only, every box in view
        t.restart();
        if (drawing.viewport()->grab().isNull()) return 1;
        std::printf("big_graph_part_outline_paint_ms %.1f\n", t.nsecsElapsed() / 1e6);
    }
    std::sort(totals.begin(), totals.end());
    std::sort(layouts.begin(), layouts.end());
    std::printf("graph_nodes %zu\ngraph_edges %zu\ngraph_layout_ms %.1f\ngraph_layout_and_paint_ms %.1f\n"
                "graph_layout_and_paint_worst_ms %.1f\n",
                graph->nodes().size(), graph->edges().size(), layouts[layouts.size() / 2],
                totals[totals.size() / 2], totals.back());
    return 0;
}
