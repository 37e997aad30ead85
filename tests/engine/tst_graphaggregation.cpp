#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "graph/DelegationGraph.h"
#include "graph/GraphAggregation.h"
#include "graph/LayeredLayout.h"
#include "util/Timestamp.h"
#endif

#include <QTest>

using namespace caracal;
using namespace caracal::test;
using Json = nlohmann::ordered_json;

// Big graphs: the overview by application, the parts drawn from it, and layouts and builds that stop when
// asked to.
class GraphAggregationTest : public QObject {
    Q_OBJECT
    const int64_t now = *parseRfc3339Micros("2026-11-20T00:00:00Z");
    const int64_t t0 = *parseRfc3339Micros("2026-11-14T10:00:00Z");
    const int64_t hour = 3600ll * 1000000;

    static Json hop(const std::string& app, const std::string& session, const std::string& edge) {
        return {{"application_id", app}, {"agent_session_id", session}, {"delegation_edge_id", edge}};
    }
    // A: a1 a2 a3 (a3 delegates nothing and receives nothing), B: b1 b2, C: c1.
    //   E1 a1->b1 (hour 0), E2 a1->b2 (hour 1), E3 b1->c1 (hour 2), E4 a1->a2 (hour 3), E5 b2->c1 (hour 4)
    // Coordinator: E2 revoked, E3 expired, E1 E4 E5 active.
    DelegationGraph sample() const {
        DelegationGraph g;
        g.addChain(Json::array({hop("A", "a1", "E1"), hop("B", "b1", "")}), 1, t0, RowId(1), "t");
        g.addChain(Json::array({hop("A", "a1", "E2"), hop("B", "b2", "")}), 1, t0 + hour, RowId(2), "t");
        g.addChain(Json::array({hop("A", "a1", "E1"), hop("B", "b1", "E3"), hop("C", "c1", "")}), 1,
                   t0 + 2 * hour, RowId(3), "t");
        g.addChain(Json::array({hop("A", "a1", "E4"), hop("A", "a2", "")}), 1, t0 + 3 * hour, RowId(4), "t");
        g.addChain(Json::array({hop("A", "a1", "E2"), hop("B", "b2", "E5"), hop("C", "c1", "")}), 1,
                   t0 + 4 * hour, RowId(5), "t");
        g.addChain(Json::array({hop("A", "a3", "")}), 1, t0, RowId(6), "t");
        Json items = Json::array();
        auto row = [&](const char* id, const char* s, const char* t, const char* status) {
            items.push_back(
                {{"id", id}, {"source_session_id", s}, {"target_session_id", t}, {"status", status}});
        };
        row("E1", "a1", "b1", "active");
        row("E2", "a1", "b2", "revoked");
        row("E3", "b1", "c1", "expired");
        row("E4", "a1", "a2", "active");
        row("E5", "b2", "c1", "active");
        const MergeResult r = g.mergeCoordinator(Json{{"items", items}}.dump(), "statuses");
        if (r.error) qFatal("%s", r.error->c_str());
        return g;
    }
    static std::vector<std::string> sessions(const DelegationGraph& g, const std::vector<size_t>& nodes) {
        std::vector<std::string> out;
        for (size_t n : nodes)
            out.push_back(g.nodes()[n].sessionId);
        std::sort(out.begin(), out.end());
        return out;
    }
    static std::vector<std::string> edgeIds(const DelegationGraph& g, const std::vector<size_t>& edges) {
        std::vector<std::string> out;
        for (size_t e : edges)
            out.push_back(g.edges()[e].id);
        std::sort(out.begin(), out.end());
        return out;
    }
    // `trees` trees of `perTree` Sessions each (chains up to 4 hops), Sessions spread over `apps`
    // applications.
    static DelegationGraph forest(size_t trees, size_t perTree, size_t apps) {
        DelegationGraph g;
        uint32_t seed = 99;
        auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
        for (size_t t = 0; t < trees; ++t) {
            std::vector<std::vector<std::string>> paths;
            for (size_t i = 0; i < perTree; ++i) {
                std::vector<std::string> path;
                if (i > 0) {
                    path = paths[next() % paths.size()];
                    if (path.size() >= 5) path.resize(1 + next() % 4);
                }
                path.push_back("s" + std::to_string(t) + "-" + std::to_string(i));
                Json chain = Json::array();
                for (size_t h = 0; h < path.size(); ++h)
                    chain.push_back(hop("app-" + std::to_string(std::hash<std::string>{}(path[h]) % apps),
                                        path[h], h + 1 < path.size() ? "e-" + path[h + 1] : ""));
                g.addChain(chain, 1, 0, std::nullopt, "forest");
                paths.push_back(std::move(path));
            }
        }
        return g;
    }

  private slots:
    void statusCounts() {
        StatusCounts s;
        QCOMPARE(s.describe(), std::string("no edges"));
        QCOMPARE(s.dominant(), EdgeStatus::Unknown);
        for (int i = 0; i < 3; ++i)
            s.add(EdgeStatus::Active);
        s.add(EdgeStatus::Revoked);
        s.add(EdgeStatus::Revoked);
        s.add(EdgeStatus::Revoked);
        QCOMPARE(s.total(), size_t(6));
        QCOMPARE(s.dominant(), EdgeStatus::Revoked); // a tie goes to the status a reader must notice
        s.add(EdgeStatus::Active);
        QCOMPARE(s.dominant(), EdgeStatus::Active);
        QCOMPARE(s.describe(), std::string("4 active, 3 revoked"));
    }

    void overviewByApplication() {
        const DelegationGraph g = sample();
        const std::vector<size_t> path = {*g.findEdge("E1"), *g.findEdge("E3")}; // a1 -> b1 -> c1
        const GraphOverview o = aggregateByApplication(g, now, path);
        QCOMPARE(o.sessions, size_t(6));
        QCOMPARE(o.delegationEdges, size_t(5));
        QCOMPARE(o.applications.size(), size_t(3));
        // Most Sessions first: A (3), B (2), C (1).
        QCOMPARE(o.applications[0].applicationId, std::string("A"));
        QCOMPARE(o.applications[0].sessions, size_t(3));
        QCOMPARE(o.applications[0].roots, size_t(1)); // a1 (a3 has no edges, a2 receives)
        QCOMPARE(o.applications[0].internal.of(EdgeStatus::Active), size_t(1)); // E4 stays inside A
        QCOMPARE(o.applications[1].applicationId, std::string("B"));
        QCOMPARE(o.applications[2].applicationId, std::string("C"));
        QCOMPARE(o.applicationOf[*g.findNode("b2")], size_t(1));
        // A -> B stands for E1 (active) and E2 (revoked); B -> C for E3 (expired) and E5 (active).
        QCOMPARE(o.edges.size(), size_t(2));
        auto pair = [&](size_t s, size_t t) -> const ApplicationEdge& {
            for (const ApplicationEdge& e : o.edges)
                if (e.source == s && e.target == t) return e;
            qFatal("no pair");
        };
        const ApplicationEdge& ab = pair(0, 1);
        QCOMPARE(ab.statuses.of(EdgeStatus::Active), size_t(1));
        QCOMPARE(ab.statuses.of(EdgeStatus::Revoked), size_t(1));
        QCOMPARE(ab.events, size_t(4)); // E1 by rows 1 and 3, E2 by rows 2 and 5
        QCOMPARE(ab.firstSeenMicros, t0);
        QCOMPARE(ab.lastSeenMicros, t0 + 4 * hour);
        const ApplicationEdge& bc = pair(1, 2);
        QCOMPARE(bc.statuses.of(EdgeStatus::Expired), size_t(1));
        QCOMPARE(o.statuses.of(EdgeStatus::Active), size_t(3));
        QCOMPARE(o.statuses.of(EdgeStatus::Revoked), size_t(1));
        QCOMPARE(o.statuses.of(EdgeStatus::Expired), size_t(1));
        // The request's path: every application it touches and both pairs it runs along.
        QVERIFY(o.applications[0].onPath && o.applications[1].onPath && o.applications[2].onPath);
        QVERIFY(ab.onPath && bc.onPath);
        // The timeline covers the audit's span: every edge falls in at least one slice.
        QCOMPARE(o.timeline.size(), size_t(8));
        QCOMPARE(o.timeline.front().fromMicros, t0);
        QVERIFY(o.timeline.back().toMicros >= t0 + 4 * hour);
        size_t inSlices = 0;
        for (const TimeSlice& s : o.timeline)
            inSlices += s.edges;
        QVERIFY(inSlices >= 5);
        QCOMPARE(o.applicationIndex("C"), std::optional<size_t>(2));
        QVERIFY(!o.applicationIndex("Z"));
    }

    void pathMarksMove() {
        const DelegationGraph g = sample();
        GraphOverview o = aggregateByApplication(g, now);
        QVERIFY(std::none_of(o.applications.begin(), o.applications.end(), [](auto& a) { return a.onPath; }));
        markPath(o, g, std::vector<size_t>{*g.findEdge("E4")}); // inside A only
        QVERIFY(o.applications[0].onPath && !o.applications[1].onPath);
        QVERIFY(std::none_of(o.edges.begin(), o.edges.end(), [](auto& e) { return e.onPath; }));
    }

    void partsToDraw() {
        const DelegationGraph g = sample();
        // An application: its Sessions (a3 too) and every edge from or to them, with their other ends.
        GraphSubset app;
        app.applicationId = "B";
        SubsetSelection s = selectSubset(g, app, now);
        QCOMPARE(sessions(g, s.nodes), (std::vector<std::string>{"a1", "b1", "b2", "c1"}));
        QCOMPARE(edgeIds(g, s.edges), (std::vector<std::string>{"E1", "E2", "E3", "E5"}));
        app.applicationId = "A";
        s = selectSubset(g, app, now);
        QCOMPARE(sessions(g, s.nodes), (std::vector<std::string>{"a1", "a2", "a3", "b1", "b2"}));
        // A status, and a status within an application.
        GraphSubset revoked;
        revoked.status = EdgeStatus::Revoked;
        s = selectSubset(g, revoked, now);
        QCOMPARE(edgeIds(g, s.edges), (std::vector<std::string>{"E2"}));
        QCOMPARE(sessions(g, s.nodes), (std::vector<std::string>{"a1", "b2"}));
        revoked.applicationId = "C";
        QVERIFY(selectSubset(g, revoked, now).nodes.empty());
        // A time range: edges the audit saw within it.
        GraphSubset late;
        late.seen = {t0 + 3 * hour, t0 + 5 * hour};
        s = selectSubset(g, late, now);
        QCOMPARE(edgeIds(g, s.edges), (std::vector<std::string>{"E2", "E4", "E5"})); // E2 seen again at 4 h
        // The request in focus is always drawn with the part.
        const std::vector<size_t> path = {*g.findEdge("E1"), *g.findEdge("E3")};
        s = selectSubset(g, late, now, path);
        QCOMPARE(edgeIds(g, s.edges), (std::vector<std::string>{"E1", "E2", "E3", "E4", "E5"}));
        // Around a Session: nearest first, up to the limit.
        GraphSubset around;
        around.around = *g.findNode("c1");
        s = selectSubset(g, around, now, {}, 3);
        QCOMPARE(s.nodes.size(), size_t(3));
        QVERIFY(s.truncated);
        QCOMPARE(sessions(g, s.nodes), (std::vector<std::string>{"b1", "b2", "c1"}));
        QCOMPARE(edgeIds(g, s.edges), (std::vector<std::string>{"E3", "E5"}));
        s = selectSubset(g, around, now, {}, 100);
        QVERIFY(!s.truncated);
        QCOMPARE(s.nodes.size(), size_t(5)); // everything connected to c1; not the lone a3
        QCOMPARE(around.describe(g), std::string("around Session c1"));
        revoked.applicationId = "B";
        QCOMPARE(revoked.describe(g), std::string("application B, status revoked"));
    }

    void subgraphKeepsWhatItKnows() {
        const DelegationGraph g = sample();
        GraphSubset app;
        app.applicationId = "C";
        const SubsetSelection s = selectSubset(g, app, now);
        const DelegationGraph part = g.subgraph(s.nodes, s.edges);
        QCOMPARE(part.nodes().size(), size_t(3)); // b1, b2, c1
        QCOMPARE(part.edges().size(), size_t(2));
        const size_t e3 = *part.findEdge("E3");
        QCOMPARE(part.status(e3, now), EdgeStatus::Expired);
        QCOMPARE(part.nodes()[part.edges()[e3].source].sessionId, std::string("b1"));
        QCOMPARE(part.edges()[e3].events, (std::vector<RowId>{3}));
        QCOMPARE(part.kind(*part.findNode("b1")), std::string_view("root")); // within the part
        QCOMPARE(part.kind(*part.findNode("c1")), std::string_view("leaf"));
        QCOMPARE(part.edgesUsedBy(std::vector<RowId>{5}), (std::vector<size_t>{*part.findEdge("E5")}));
        // Edges whose ends are not both in the part are left out.
        const DelegationGraph cut = g.subgraph(std::vector<size_t>{*g.findNode("a1")}, s.edges);
        QCOMPARE(cut.edges().size(), size_t(0));
    }

    void bigForestOverviewAndPart() {
        const DelegationGraph g = forest(400, 60, 12); // 24,000 Sessions
        QCOMPARE(g.nodes().size(), size_t(24000));
        QVERIFY(g.nodes().size() > kReadableSessions);
        const GraphOverview o = aggregateByApplication(g, now);
        QCOMPARE(o.applications.size(), size_t(12));
        size_t total = 0;
        for (const ApplicationNode& a : o.applications)
            total += a.sessions;
        QCOMPARE(total, g.nodes().size());
        size_t edges = 0;
        for (const ApplicationEdge& e : o.edges)
            edges += e.statuses.total();
        for (const ApplicationNode& a : o.applications)
            edges += a.internal.total();
        QCOMPARE(edges, g.edges().size());
        GraphSubset around;
        around.around = 12345;
        const SubsetSelection s = selectSubset(g, around, now);
        QVERIFY(s.nodes.size() <= kReadableSessions);
        QVERIFY(std::find(s.nodes.begin(), s.nodes.end(), size_t(12345)) != s.nodes.end());
    }

    void bigLayoutCompletesInOrder() {
        const DelegationGraph g = forest(300, 60, 12); // 18,000 Sessions in 300 trees
        LayoutInput in;
        for (size_t i = 0; i < g.nodes().size(); ++i)
            in.nodes.push_back({120, 40});
        for (const GraphEdge& e : g.edges())
            in.edges.push_back({e.source, e.target});
        double last = -1;
        bool monotone = true;
        in.work.progress = [&](double f) {
            monotone = monotone && f >= last - 1e-9 && f <= 1 + 1e-9;
            last = f;
        };
        const LayoutResult r = LayeredLayout().layout(in);
        QVERIFY(!r.cancelled);
        QVERIFY(monotone);
        QCOMPARE(last, 1.0);
        QCOMPARE(r.topLeft.size(), g.nodes().size());
        // Trees are stacked: no two boxes of the same layer overlap.
        std::vector<std::vector<size_t>> byLayer;
        for (size_t v = 0; v < r.layer.size(); ++v) {
            if (size_t(r.layer[v]) >= byLayer.size()) byLayer.resize(r.layer[v] + 1);
            byLayer[r.layer[v]].push_back(v);
        }
        for (auto& layer : byLayer) {
            std::sort(layer.begin(), layer.end(),
                      [&](size_t a, size_t b) { return r.topLeft[a].y < r.topLeft[b].y; });
            for (size_t i = 1; i < layer.size(); ++i)
                QVERIFY(r.topLeft[layer[i]].y >= r.topLeft[layer[i - 1]].y + 40 - 1e-6);
        }
        for (size_t e = 0; e < in.edges.size(); ++e)
            QVERIFY(r.routes[e].size() >= 2);
    }

    void layoutStopsWhenCancelled() {
        const DelegationGraph g = forest(50, 200, 6);
        LayoutInput in;
        for (size_t i = 0; i < g.nodes().size(); ++i)
            in.nodes.push_back({120, 40});
        for (const GraphEdge& e : g.edges())
            in.edges.push_back({e.source, e.target});
        // Cancelled before it starts: nothing is laid out.
        std::atomic<bool> cancel{true};
        in.work.cancel = &cancel;
        QVERIFY(LayeredLayout().layout(in).cancelled);
        // Cancelled while it runs (at its first progress report): it stops there and says so.
        cancel = false;
        double reported = 0;
        int reportsAfterCancel = 0;
        in.work.progress = [&](double f) {
            if (cancel) ++reportsAfterCancel;
            reported = std::max(reported, f);
            cancel = true;
        };
        const LayoutResult r = LayeredLayout().layout(in);
        QVERIFY(r.cancelled);
        QVERIFY(reported < 0.5);
        QVERIFY(reportsAfterCancel <= 1); // at most the step under way finishes its report
        // One connected component stops inside its sweeps too.
        LayoutInput one;
        for (int i = 0; i < 3000; ++i) {
            one.nodes.push_back({100, 40});
            if (i > 0) one.edges.push_back({size_t(i / 7), size_t(i)});
        }
        cancel = false;
        int reports = 0;
        one.work.cancel = &cancel;
        one.work.progress = [&](double f) {
            ++reports;
            if (f > 0.2) cancel = true;
        };
        const LayoutResult stopped = LayeredLayout().layout(one);
        QVERIFY(stopped.cancelled);
        QVERIFY(reports < 10);
    }

    void workShares() {
        double got = -1;
        GraphWork w;
        w.progress = [&](double f) { got = f; };
        w.part(0.5, 1).part(0.5, 1).report(0.5);
        QCOMPARE(got, 0.875);
        QVERIFY(!w.cancelled());
    }

    void buildStopsWhenCancelled() {
        auto store = load({dataPath("delegation/chains.jsonl")});
        const auto rows = graphRowsForZone(*store, "zone-d");
        QVERIFY(!DelegationGraph::fromEvents(*store, rows).empty());
        std::atomic<bool> cancel{true};
        GraphWork work;
        work.cancel = &cancel;
        QVERIFY(DelegationGraph::fromEvents(*store, rows, work).empty());
    }
};

QTEST_GUILESS_MAIN(GraphAggregationTest)
#include "tst_graphaggregation.moc"
