#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "graph/DelegationGraph.h"
#include "graph/GraphExport.h"
#include "graph/LayeredLayout.h"
#include "graph/VerifierSimulation.h"
#include "util/Timestamp.h"
#endif

#include <QFile>
#include <QProcess>
#include <set>

using namespace caracal;
using namespace caracal::test;
using Json = nlohmann::ordered_json;

class GraphTest : public QObject {
    Q_OBJECT
    std::unique_ptr<EventStore> store;
    const int64_t at = *parseRfc3339Micros("2026-11-20T00:00:00Z");

    static std::string chains() { return dataPath("delegation/chains.jsonl"); }
    static std::string readText(const std::string& path) {
        QFile f(QString::fromStdString(path));
        if (!f.open(QIODevice::ReadOnly)) return {};
        return f.readAll().toStdString();
    }
    DelegationGraph zoneGraph() const {
        return DelegationGraph::fromEvents(*store, graphRowsForZone(*store, "zone-d"));
    }
    static void merge(DelegationGraph& g, const char* name) {
        const MergeResult r = g.mergeCoordinator(readText(dataPath(std::string("delegation/") + name)), name);
        QVERIFY2(!r.error, r.error ? r.error->c_str() : "");
    }
    static std::string session(const DelegationGraph& g, size_t node) { return g.nodes()[node].sessionId; }
    static Json hopJson(const std::string& app, const std::string& session, const std::string& edge) {
        return {{"application_id", app}, {"agent_session_id", session}, {"delegation_edge_id", edge}};
    }
    struct Run {
        int exit;
        QByteArray out, err;
    };
    static Run cli(const QStringList& args) {
        QProcess p;
        p.start(CARACAL_TRACE_BIN, args);
        if (!p.waitForFinished(60000)) return {-1, {}, "timeout"};
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

  private slots:
    void initTestCase() { store = load({chains()}); }

    // A request's chain of N hops gives N+1 Sessions in order and N edges at hops 1..N.
    void chainOfHops_data() {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QStringList>("sessions");
        QTest::addColumn<QStringList>("edges");
        QTest::newRow("1 hop") << "req-1" << QStringList{"S-root", "S-b"} << QStringList{"E1"};
        QTest::newRow("2 hops") << "req-2" << QStringList{"S-root", "S-b", "S-c"} << QStringList{"E1", "E2"};
        QTest::newRow("3 hops") << "req-3" << QStringList{"S-root", "S-b", "S-c", "S-d"}
                                << QStringList{"E1", "E2", "E3"};
        QTest::newRow("4 hops") << "req-4" << QStringList{"S-root", "S-b", "S-c", "S-d", "S-e"}
                                << QStringList{"E1", "E2", "E3", "E4"};
    }
    void chainOfHops() {
        QFETCH(QString, request);
        QFETCH(QStringList, sessions);
        QFETCH(QStringList, edges);
        const auto rows = graphRowsForRequest(*store, request.toStdString());
        const DelegationGraph g = DelegationGraph::fromEvents(*store, rows);
        QCOMPARE(g.nodes().size(), size_t(sessions.size()));
        QCOMPARE(g.edges().size(), size_t(edges.size()));
        for (int i = 0; i < sessions.size(); ++i)
            QCOMPARE(QString::fromStdString(session(g, i)), sessions[i]);
        for (int i = 0; i < edges.size(); ++i) {
            const GraphEdge& e = g.edges()[i];
            QCOMPARE(QString::fromStdString(e.id), edges[i]);
            QCOMPARE(e.hop, i + 1);
            QCOMPARE(QString::fromStdString(session(g, e.source)), sessions[i]);
            QCOMPARE(QString::fromStdString(session(g, e.target)), sessions[i + 1]);
            QCOMPARE(e.issuerApplicationId, g.nodes()[e.source].applicationId);
            QCOMPARE(g.status(i, at), EdgeStatus::Unknown); // audit events do not say
        }
        QCOMPARE(g.kind(0), std::string_view("root"));
        QCOMPARE(g.kind(g.nodes().size() - 1), std::string_view("leaf"));
        if (g.nodes().size() > 2) QCOMPARE(g.kind(1), std::string_view("intermediate"));
        QCOMPARE(g.edgesUsedBy(rows).size(), size_t(edges.size())); // the request's path is every edge
        // Labels come from the application names the data gives (the root's from another event).
        QCOMPARE(g.nodes()[0].label, std::string("alpha"));
    }

    // A zone's union: each Session and edge once, with every event, epoch and time it was seen.
    void zoneUnionWithoutDuplicates() {
        const DelegationGraph g = zoneGraph();
        QCOMPARE(g.nodes().size(), size_t(6)); // root, b, c, d, e, f
        QCOMPARE(g.edges().size(), size_t(5)); // E1..E5; zone-x's E9 is not in it
        QVERIFY(!g.findEdge("E9"));
        const GraphEdge& e1 = g.edges()[*g.findEdge("E1")];
        QCOMPARE(e1.events.size(), size_t(6)); // req-1..5 and req-2's second event
        QCOMPARE(e1.epochs, (std::vector<int64_t>{3, 4}));
        QCOMPARE(formatUtcMicros(e1.firstSeenMicros), std::string("2026-11-14T10:00:01.000000Z"));
        QCOMPARE(formatUtcMicros(e1.lastSeenMicros), std::string("2026-11-14T10:00:10.000000Z"));
        QCOMPARE(g.edges()[*g.findEdge("E5")].hop, 2);
        QCOMPARE(g.outgoing(*g.findNode("S-b")).size(), size_t(2));
        // The broken chain and the chainless event are said, not dropped silently.
        QCOMPARE(g.notes().size(), size_t(2));
        QVERIFY(QString::fromStdString(g.notes()[0])
                    .contains("ev-06: delegation_chain[1] has no agent_session_id"));
        QVERIFY(QString::fromStdString(g.notes()[1]).startsWith("1 event names a delegation edge"));
    }

    // Plain events and Go search rows of the same data give the same graph (the fast path reads both).
    void searchRowsGiveTheSameGraph() {
        QTemporaryDir dir;
        std::string files[2];
        for (int i = 0; i < 2; ++i) {
            gen::GeneratorOptions o;
            o.seed = 11;
            o.events = 3000;
            o.searchRows = i == 1;
            std::ostringstream out;
            gen::generate(o, out);
            files[i] = writeFile(dir, i ? "rows.jsonl" : "plain.jsonl", out.str());
        }
        std::string dots[2];
        for (int i = 0; i < 2; ++i) {
            const auto s = load({files[i]});
            const std::string zone(s->valueCounts(Field::Zone).front().first);
            const DelegationGraph g = DelegationGraph::fromEvents(*s, graphRowsForZone(*s, zone));
            QVERIFY(g.edges().size() > 3);
            dots[i] = graphToDot(g, at);
        }
        // The files order rows differently (search rows follow each zone's chain), so compare line sets.
        auto lines = [](const std::string& dot) {
            std::multiset<std::string> out;
            std::istringstream in(dot);
            for (std::string l; std::getline(in, l);)
                out.insert(l);
            return out;
        };
        QVERIFY(lines(dots[1]) == lines(dots[0]));
    }

    void conflictingEndpointsAreReported() {
        DelegationGraph g;
        g.addChain(Json::array({hopJson("A", "s1", "X"), hopJson("B", "s2", "")}), 1, 0, std::nullopt,
                   "first");
        g.addChain(Json::array({hopJson("A", "s1", "X"), hopJson("B", "s3", "")}), 1, 0, std::nullopt,
                   "second");
        QCOMPARE(g.edges().size(), size_t(1));
        QCOMPARE(session(g, g.edges()[0].target), std::string("s2"));
        QVERIFY(QString::fromStdString(g.notes().back()).contains("second: edge X runs s1 -> s3"));
        g.addChain(Json::array({hopJson("C", "s1", "")}), 1, 0, std::nullopt, "third");
        QCOMPARE(g.nodes()[0].otherApplicationIds, std::vector<std::string>{"C"});
        g.addChain(Json("not a chain"), 1, 0, std::nullopt, "fourth");
        QVERIFY(
            QString::fromStdString(g.notes().back()).contains("fourth: delegation_chain is not an array"));
    }

    // Coordinator data adds status, scopes, constraints, parents and edges the audit never showed.
    void mergeWithCoordinator() {
        DelegationGraph g = zoneGraph();
        merge(g, "coordinator-active.json");
        merge(g, "coordinator-outbound.json");
        const GraphEdge& e1 = g.edges()[*g.findEdge("E1")];
        QVERIFY(e1.fromCoordinator && e1.seenInAudit());
        QCOMPARE(e1.scopes, (std::vector<std::string>{"chat:read", "chat:post"}));
        QCOMPARE(e1.constraints.describe(),
                 (std::vector<std::pair<std::string, std::string>>{{"Max hops", "3"},
                                                                   {"Max TTL", "600 s"},
                                                                   {"Resource set", "resource://piperchat"},
                                                                   {"Policy approval metadata", "yes"}}));
        QCOMPARE(g.status(*g.findEdge("E1"), at), EdgeStatus::Active);
        // Active but past its expiry: "expiring", as Caracal's console labels it; before the expiry: active.
        QCOMPARE(g.status(*g.findEdge("E2"), at), EdgeStatus::Expiring);
        QCOMPARE(g.status(*g.findEdge("E2"), *parseRfc3339Micros("2026-11-14T00:00:00Z")),
                 EdgeStatus::Active);
        const GraphEdge& e3 = g.edges()[*g.findEdge("E3")];
        QCOMPARE(g.status(*g.findEdge("E3"), at), EdgeStatus::Revoked);
        QCOMPARE(e3.version, std::optional<int>(1));
        QCOMPARE(e3.revokedAt, std::string("2026-11-14T11:00:00.000Z"));
        QCOMPARE(e3.constraints.maxDepth, std::optional<int>(1)); // constraints given as jsonb text
        QCOMPARE(e3.parentEdgeId, std::string("E2"));
        // E6 only the Coordinator knows: a new node, and its hop follows its parent E2 (hop 2).
        const GraphEdge& e6 = g.edges()[*g.findEdge("E6")];
        QVERIFY(!e6.seenInAudit());
        QCOMPARE(e6.hop, 3);
        QCOMPARE(g.nodes()[e6.target].applicationId, std::string("app-G"));
        QCOMPARE(g.nodes().size(), size_t(7));
        QCOMPARE(g.edges().size(), size_t(6));
    }

    void coordinatorShapes_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("edges");
        QTest::newRow("active list") << "coordinator-active.json"
                                     << "edge list" << 3;
        QTest::newRow("outbound list") << "coordinator-outbound.json"
                                       << "edge list" << 1;
        QTest::newRow("traverse") << "coordinator-traverse.json"
                                  << "traverse" << 2;
        QTest::newRow("impact") << "coordinator-impact.json"
                                << "revocation impact" << 2;
        QTest::newRow("create") << "coordinator-create.json"
                                << "created edge" << 1;
    }
    void coordinatorShapes() {
        QFETCH(QString, file);
        QFETCH(QString, shape);
        QFETCH(int, edges);
        DelegationGraph g;
        const MergeResult r =
            g.mergeCoordinator(readText(dataPath("delegation/" + file.toStdString())), file.toStdString());
        QVERIFY(!r.error);
        QCOMPARE(QString::fromStdString(r.shape), shape);
        QCOMPARE(r.edges, size_t(edges));
        QCOMPARE(g.edges().size(), size_t(edges));
    }

    void coordinatorCreateResponse() {
        DelegationGraph g;
        merge(g, "coordinator-create.json");
        const GraphEdge& e = g.edges()[0];
        QCOMPARE(e.id, std::string("E7"));
        QCOMPARE(e.parentEdgeId, std::string("E4"));
        QCOMPARE(e.constraints.broadReason, std::string("resource_null_delegation"));
        QCOMPARE(e.coordinatorJson["warnings"][0].get<std::string>(),
                 std::string("resource_null_delegation_broadens_resource_matching"));
    }

    void coordinatorErrors() {
        DelegationGraph g;
        MergeResult r = g.mergeCoordinator("{\"items\": [1, 2", "cut.json");
        QVERIFY(r.error);
        QVERIFY2(QString::fromStdString(*r.error).startsWith("cut.json: not JSON"), r.error->c_str());
        r = g.mergeCoordinator("{\"hello\": 1}", "odd.json");
        QVERIFY(r.error && QString::fromStdString(*r.error).contains("not Coordinator delegation data"));
        // A bad item is said and skipped; the good ones still count.
        r = g.mergeCoordinator(
            "{\"items\": [{\"id\": \"E1\"}, {\"id\": \"E2\", \"source_session_id\": \"a\", "
            "\"target_session_id\": \"a\"}, {\"id\": \"E3\", \"source_session_id\": \"a\", "
            "\"target_session_id\": \"b\", \"constraints_json\": {\"max_hops\": \"two\"}}]}",
            "mixed.json");
        QVERIFY(!r.error);
        QCOMPARE(r.edges, size_t(1));
        QCOMPARE(g.notes().size(), size_t(3));
        QVERIFY(QString::fromStdString(g.notes()[0]).startsWith("mixed.json item 1: needs id"));
        QVERIFY(QString::fromStdString(g.notes()[1]).contains("delegates a Session to itself"));
        QVERIFY(QString::fromStdString(g.notes()[2]).contains("max_hops is not an integer: \"two\""));
    }

    void constraintsDecode() {
        const auto c = DelegationConstraints::decode(
            Json::parse("{\"max_depth\": 2, \"expires_at\": \"2026-12-01T00:00:00Z\", \"broad_reason\": "
                        "\"x\", \"future\": [1]}"));
        QCOMPARE(c.effectiveMaxHops(), 2);
        QCOMPARE(DelegationConstraints::decode(Json::object()).effectiveMaxHops(), 1); // Caracal's default
        QCOMPARE(c.describe().back(), (std::pair<std::string, std::string>{"future", "[1]"}));
        QVERIFY(DelegationConstraints::decode(Json::parse("\"{not json\"")).problems.size() == 1);
        QVERIFY(DelegationConstraints::decode(Json()).empty());
    }

    // Caracal's verifier checks in a fixed order and stops at the first failure.
    void verifierRulesInOrder_data() {
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("edge");
        QTest::addColumn<int>("hops");
        QTest::addColumn<QStringList>("chainApps");
        QTest::addColumn<bool>("requireSession");
        QTest::addColumn<bool>("requireDelegation");
        QTest::addColumn<int>("maxHops");
        QTest::addColumn<QStringList>("mustContain");
        QTest::addColumn<QString>("code");
        const QStringList apps{"A", "B", "C"};
        QTest::newRow("all off, short chain")
            << ""
            << "" << 2 << apps << false << false << 0 << QStringList{} << "";
        QTest::newRow("no session") << ""
                                    << "" << 2 << apps << true << true << 1 << QStringList{"Z"}
                                    << "session_required";
        QTest::newRow("no delegation")
            << "s"
            << "" << 20 << apps << true << true << 1 << QStringList{"Z"} << "delegation_required";
        QTest::newRow("default maximum 10")
            << "s"
            << "e" << 11 << apps << true << true << 0 << QStringList{"Z"} << "hop_count_exceeded";
        QTest::newRow("exactly 10") << "s"
                                    << "e" << 10 << apps << true << true << 0 << QStringList{} << "";
        QTest::newRow("custom maximum")
            << "s"
            << "e" << 3 << apps << false << false << 2 << QStringList{"Z"} << "hop_count_exceeded";
        QTest::newRow("missing app") << "s"
                                     << "e" << 2 << apps << true << true << 5 << QStringList{"A", "Z", "Y"}
                                     << "chain_mismatch";
        QTest::newRow("all present") << "s"
                                     << "e" << 2 << apps << true << true << 5 << QStringList{"C", "A"} << "";
    }
    void verifierRulesInOrder() {
        QFETCH(QString, session);
        QFETCH(QString, edge);
        QFETCH(int, hops);
        QFETCH(QStringList, chainApps);
        QFETCH(bool, requireSession);
        QFETCH(bool, requireDelegation);
        QFETCH(int, maxHops);
        QFETCH(QStringList, mustContain);
        QFETCH(QString, code);
        ChainClaims claims{session.toStdString(), edge.toStdString(), hops, {}};
        for (const auto& a : chainApps)
            claims.chainApplications.push_back(a.toStdString());
        VerifierSettings settings{requireSession, requireDelegation, maxHops, {}};
        for (const auto& a : mustContain)
            settings.requireChainContains.push_back(a.toStdString());
        const VerifierOutcome out = simulateVerifier(claims, settings);
        QCOMPARE(QString::fromStdString(out.code), code);
        QCOMPARE(out.checks.size(), size_t(5));
        QCOMPARE(out.checks.back().result,
                 VerifierCheck::Result::Off); // no Coordinator data: no revocation check
        QCOMPARE(out.httpStatus, code.isEmpty() ? 200 : 403);
        bool failedSeen = false;
        for (const auto& c : out.checks) {
            if (failedSeen) QVERIFY(c.result != VerifierCheck::Result::Passed); // nothing after the failure
            if (c.result == VerifierCheck::Result::Failed) {
                QVERIFY(!failedSeen);
                failedSeen = true;
                QCOMPARE(QString::fromStdString(c.code), code);
            }
        }
        QCOMPARE(failedSeen, !code.isEmpty());
        if (!code.isEmpty()) QVERIFY(!out.rows.empty()); // each code links to its troubleshooting rows
        if (code == "chain_mismatch") {
            QCOMPARE(out.missingApplicationId, std::string("Z"));
            QCOMPARE(out.message, std::string("Delegation chain missing application: Z"));
            QCOMPARE(verifierOutcomeToJson(out)["details"]["missingApplicationId"].get<std::string>(),
                     std::string("Z"));
        }
    }

    // Coordinator rows of another zone never join a zone's (or a request's) graph; the note says so.
    void otherZoneCoordinatorDataIsLeftOut() {
        auto late = load({dataPath("delegation/late-use.jsonl")});
        for (const bool byRequest : {false, true}) {
            DelegationGraph g = DelegationGraph::fromEvents(
                *late, byRequest ? graphRowsForRequest(*late, "req-late-2", "zone-1")
                                 : graphRowsForZone(*late, "zone-1"));
            QCOMPARE(g.zone(), std::string("zone-1"));
            const MergeResult r = g.mergeCoordinator(
                readText(dataPath("delegation/coordinator-late-and-other-zone.json")), "coord.json");
            QVERIFY(!r.error);
            QCOMPARE(r.edges, size_t(1));
            QCOMPARE(r.otherZone, size_t(1));
            QVERIFY(!g.findEdge("E-other"));
            QVERIFY(!g.findNode("S-x"));
            QVERIFY(std::any_of(g.notes().begin(), g.notes().end(), [](const std::string& n) {
                return n.find("left out 1 edge of zone z1") != std::string::npos &&
                       n.find("zone zone-1") != std::string::npos;
            }));
        }
    }

    // An edge used after its revoked_at (or its expiry) is a finding: how many events used it afterwards, how
    // many were allowed; the verifier check does not accept such a chain.
    void useAfterRevocationIsAFinding() {
        auto late = load({dataPath("delegation/late-use.jsonl")});
        DelegationGraph g = DelegationGraph::fromEvents(*late, graphRowsForZone(*late, "zone-1"));
        const size_t e = *g.findEdge("E-L");
        QVERIFY(!g.lateUse(e, *late)); // audit alone does not say when it ended
        merge(g, "coordinator-late-and-other-zone.json");
        const auto found = g.lateUse(e, *late);
        QVERIFY(found);
        QCOMPARE(found->cause, std::string("revoked"));
        QCOMPARE(found->events.size(), size_t(3));
        QCOMPARE(found->allowed.size(), size_t(2));
        QCOMPARE(late->eventId(found->allowed.front()), std::string("late-2"));

        const RowId after = late->rowsWith(Field::RequestId, "req-late-4").front();
        ChainClaims claims = claimsFromEvent(late->event(after));
        addEdgeEnds(claims, g, *late);
        QCOMPARE(claims.endedEdges.size(), size_t(1));
        const VerifierOutcome out = simulateVerifier(claims, {});
        QVERIFY(!out.accepted());
        QCOMPARE(out.code, std::string("session_revoked"));
        QCOMPARE(out.httpStatus, 401);
        QVERIFY(out.findings.front().find("3 events used it afterwards, 2 of them allowed") !=
                std::string::npos);
        QCOMPARE(verifierOutcomeToJson(out)["valid"].get<bool>(), false);
        // The call before the revocation is fine.
        ChainClaims before =
            claimsFromEvent(late->event(late->rowsWith(Field::RequestId, "req-late-1").front()));
        addEdgeEnds(before, g, *late);
        QVERIFY(simulateVerifier(before, {}).accepted());

        // Expiry instead of revocation: the verifier's checks pass, the chain is still not accepted.
        DelegationGraph expired = DelegationGraph::fromEvents(*late, graphRowsForZone(*late, "zone-1"));
        merge(expired, "coordinator-late-expired.json");
        const auto lapsed = expired.lateUse(*expired.findEdge("E-L"), *late);
        QVERIFY(lapsed && lapsed->cause == "expired");
        QCOMPARE(lapsed->events.size(), size_t(2)); // 11:05 and 11:10
        ChainClaims after2 = claimsFromEvent(late->event(after));
        addEdgeEnds(after2, expired, *late);
        const VerifierOutcome out2 = simulateVerifier(after2, {});
        QVERIFY(out2.code.empty());
        QVERIFY(!out2.accepted());

        // The CLI reports it too.
        const Run run =
            cli({"graph", "--zone", "zone-1", "--format", "json", "--coordinator",
                 QString::fromStdString(dataPath("delegation/coordinator-late-and-other-zone.json")),
                 QString::fromStdString(dataPath("delegation/late-use.jsonl"))});
        QCOMPARE(run.exit, 0);
        const auto j = Json::parse(run.out.toStdString());
        QCOMPARE(j["findings"].size(), size_t(1));
        QCOMPARE(j["findings"][0]["allowed_after"].get<int>(), 2);
        QVERIFY(run.err.contains("left out 1 edge of zone z1"));
    }

    void verifierClaimsFromEvent() {
        const auto rows = graphRowsForRequest(*store, "req-3");
        const ChainClaims c = claimsFromEvent(store->event(rows[0]));
        QCOMPARE(c.agentSessionId, std::string("S-d"));
        QCOMPARE(c.delegationEdgeId, std::string("E3"));
        QCOMPARE(c.hopCount, 3);
        QCOMPARE(c.chainApplications, (std::vector<std::string>{"app-A", "app-B", "app-C", "app-D"}));
        QCOMPARE(claimsFromEvent(store->event(graphRowsForRequest(*store, "req-9")[0])).hopCount, 0);
    }

    // Revocation cuts off every edge downstream that is still live, and the Sessions they lead to.
    void revocationImpact() {
        DelegationGraph g = zoneGraph();
        RevocationImpact impact = g.revocationImpact(*g.findEdge("E2"), at);
        std::vector<std::pair<std::string, int>> got;
        for (const auto& h : impact.edges)
            got.push_back({g.edges()[h.edge].id, h.depth});
        QCOMPARE(got, (std::vector<std::pair<std::string, int>>{{"E2", 1}, {"E3", 2}, {"E4", 3}}));
        QCOMPARE(impact.sessions.size(), size_t(3)); // S-c, S-d, S-e
        QCOMPARE(session(g, impact.sessions[0]), std::string("S-c"));
        QCOMPARE(impact.events.size(), size_t(4)); // req-2 (two events), req-3, req-4
        // With the Coordinator's view: E3 is already revoked (so E4 is out of reach) and E6 is live.
        merge(g, "coordinator-active.json");
        merge(g, "coordinator-outbound.json");
        merge(g, "coordinator-impact.json");
        impact = g.revocationImpact(*g.findEdge("E2"), at);
        got.clear();
        for (const auto& h : impact.edges)
            got.push_back({g.edges()[h.edge].id, h.depth});
        QCOMPARE(got, (std::vector<std::pair<std::string, int>>{{"E2", 1}, {"E6", 2}}));
        QCOMPARE(impact.authorityRecords, std::vector<std::string>{"ar-1"});
        QVERIFY(!impact.depthLimitReached);
    }

    void revocationStopsAtTenHops() {
        DelegationGraph g;
        Json chain = Json::array();
        for (int i = 0; i < 13; ++i)
            chain.push_back(hopJson("A", "s" + std::to_string(i), i < 12 ? "e" + std::to_string(i) : ""));
        g.addChain(chain, 1, 0, std::nullopt, "long");
        const RevocationImpact impact = g.revocationImpact(*g.findEdge("e0"), at);
        QCOMPARE(impact.edges.size(), size_t(10));
        QCOMPARE(impact.edges.back().depth, 10);
        QVERIFY(impact.depthLimitReached);
    }

    // DOT is stable text: the golden file pins nodes, edges, labels, colours and dashes.
    void dotGolden() {
        DelegationGraph g = zoneGraph();
        merge(g, "coordinator-active.json");
        merge(g, "coordinator-outbound.json");
        QCOMPARE(graphToDot(g, at), readText(dataPath("delegation/zone-d.dot")));
        const std::string highlighted = graphToDot(g, at, {0});
        QVERIFY(highlighted.find("tooltip=\"E1 (active)\", color=\"#2e7d32\", penwidth=3") !=
                std::string::npos);
    }

    void jsonContract() {
        const Json j = graphToJson(zoneGraph(), at);
        QCOMPARE(j["nodes"].size(), size_t(6));
        QCOMPARE(
            j["nodes"][0].dump(),
            std::string(
                "{\"id\":\"S-root\",\"application_id\":\"app-A\",\"label\":\"alpha\",\"kind\":\"root\"}"));
        QCOMPARE(j["edges"][1].dump(),
                 std::string("{\"source\":\"S-b\",\"target\":\"S-c\",\"delegation_edge_id\":"
                             "\"E2\",\"hop\":2,\"status\":\"unknown\"}"));
    }

    void shortIds() {
        QCOMPARE(shortId("0123456789ab"), std::string("0123456789ab"));
        QCOMPARE(shortId("01a1cd0d-dc00-7ff6-8710-3aecc01455d2"), std::string("01a1cd0d\u202655d2"));
    }

    // The layout never overlaps boxes, keeps every hop one layer on, and routes every edge.
    void layoutWithoutOverlap_data() {
        QTest::addColumn<int>("direction");
        QTest::newRow("left to right") << int(LayoutInput::Direction::LeftToRight);
        QTest::newRow("top to bottom") << int(LayoutInput::Direction::TopToBottom);
    }
    void layoutWithoutOverlap() {
        QFETCH(int, direction);
        LayoutInput in;
        in.direction = LayoutInput::Direction(direction);
        uint32_t seed = 7;
        auto next = [&] { return seed = seed * 1103515245u + 12345u; };
        for (size_t i = 0; i < 500; ++i) {
            in.nodes.push_back({80.0 + next() % 90, 30.0 + next() % 12});
            if (i % 40 != 0) in.edges.push_back({(i - 1 - next() % std::min<size_t>(i, 6)), i}); // trees
        }
        for (int k = 0; k < 30; ++k) // cross links, some skipping layers
            in.edges.push_back({next() % 500, next() % 500});
        in.edges.push_back({10, 5}); // closes a cycle through the tree edges
        const LayoutResult r = LayeredLayout().layout(in);
        QCOMPARE(r.topLeft.size(), size_t(500));
        for (size_t a = 0; a < 500; ++a) {
            QVERIFY(r.topLeft[a].x >= 0 && r.topLeft[a].y >= 0);
            QVERIFY(r.topLeft[a].x + in.nodes[a].width <= r.width + 1e-6);
            QVERIFY(r.topLeft[a].y + in.nodes[a].height <= r.height + 1e-6);
            for (size_t b = a + 1; b < 500; ++b) {
                const bool apart = r.topLeft[a].x + in.nodes[a].width <= r.topLeft[b].x + 1e-6 ||
                                   r.topLeft[b].x + in.nodes[b].width <= r.topLeft[a].x + 1e-6 ||
                                   r.topLeft[a].y + in.nodes[a].height <= r.topLeft[b].y + 1e-6 ||
                                   r.topLeft[b].y + in.nodes[b].height <= r.topLeft[a].y + 1e-6;
                if (!apart) QFAIL(qPrintable(QString("nodes %1 and %2 overlap").arg(a).arg(b)));
            }
        }
        for (size_t e = 0; e < in.edges.size(); ++e)
            if (in.edges[e].source != in.edges[e].target) QVERIFY(r.routes[e].size() >= 2);
    }

    void layoutLayersFollowHops() {
        LayoutInput in;
        for (int i = 0; i < 4; ++i)
            in.nodes.push_back({100, 40});
        in.edges = {{0, 1}, {1, 2}, {2, 3}, {0, 3}}; // 0 -> 3 skips two layers
        const LayoutResult r = LayeredLayout().layout(in);
        QCOMPARE(r.layer, (std::vector<int>{0, 1, 2, 3}));
        QVERIFY(r.topLeft[0].x < r.topLeft[1].x && r.topLeft[2].x < r.topLeft[3].x);
        QCOMPARE(r.routes[3].size(), size_t(4));               // source, two virtual points, target
        QCOMPARE(r.routes[0].front().x, r.topLeft[0].x + 100); // leaves from the source's right side
        QCOMPARE(r.routes[0].back().x, r.topLeft[1].x);        // arrives at the target's left side
    }

    void layoutRemovesAvoidableCrossings() {
        LayoutInput in;
        for (int i = 0; i < 6; ++i)
            in.nodes.push_back({100, 40});
        in.edges = {{0, 3}, {0, 5}, {1, 2}, {1, 4}, {0, 4}, {2, 5}};
        QCOMPARE(LayeredLayout().layout(in).crossings, size_t(0));
        in.edges = {
            {0, 2}, {0, 3}, {1, 2}, {1, 3}}; // two roots sharing two children: one crossing is unavoidable
        QCOMPARE(LayeredLayout().layout(in).crossings, size_t(1));
    }

    void cliFormats() {
        const QString file = QString::fromStdString(chains());
        Run r = cli({"graph", "--request-id", "req-4", "--format", "json", file});
        QCOMPARE(r.exit, 0);
        const Json j = Json::parse(r.out.toStdString());
        QCOMPARE(j["edges"].size(), size_t(4));
        QCOMPARE(j["edges"][3]["hop"].get<int>(), 4);
        r = cli({"graph", "--zone", "zone-d", "--coordinator",
                 QString::fromStdString(dataPath("delegation/coordinator-active.json")), "--coordinator",
                 QString::fromStdString(dataPath("delegation/coordinator-outbound.json")), "--at",
                 "2026-11-20T00:00:00Z", file});
        QCOMPARE(r.exit, 0);
        QCOMPARE(r.out.toStdString(), readText(dataPath("delegation/zone-d.dot"))); // dot is the default
        QVERIFY(r.err.contains("note: event ev-06"));
        r = cli({"graph", "--zone", "zone-d", "--format", "svg", file});
        QCOMPARE(r.exit, 0);
        QVERIFY(r.out.startsWith("<?xml"));
        QVERIFY(r.out.contains("<svg") && r.out.contains("charlie") &&
                r.out.contains("Delegation graph of zone zone-d"));
        QVERIFY(!r.err.contains("QStandardPaths"));
        // Nothing to draw: exit 1 with the reason; usage errors: exit 2.
        r = cli({"graph", "--request-id", "req-9", file});
        QCOMPARE(r.exit, 1);
        QVERIFY(r.err.contains("request req-9 used no delegation chain"));
        QCOMPARE(cli({"graph", file}).exit, 2);
        QCOMPARE(cli({"graph", "--zone", "zone-d", "--format", "png", file}).exit, 2);
        QCOMPARE(cli({"graph", "--zone", "zone-d", "--at", "yesterday", file}).exit, 2);
        r = cli({"graph", "--zone", "zone-d", "--coordinator", file, file});
        QCOMPARE(r.exit, 2); // a JSON-lines file is not Coordinator data
        QVERIFY(r.err.contains("not JSON"));
    }
};

QTEST_GUILESS_MAIN(GraphTest)
#include "tst_graph.moc"
