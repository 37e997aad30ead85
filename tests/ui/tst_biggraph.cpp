#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "graph/DelegationGraphView.h"
#include "graph/DelegationGraphWindow.h"
#include "graph/GraphOverviewPanel.h"
#include "graph/GraphOverviewView.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <nlohmann/json.hpp>

using namespace caracal;
using namespace caracal::ui;
using Json = nlohmann::ordered_json;

// A zone with 30,000 Sessions in 3,000 delegation trees, driven offscreen with real clicks and keys. Waits
// are on signals and conditions, never on time.
class BigGraphTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000;
    static constexpr int kTrees = 3000, kPerTree = 10, kApps = 12;
    std::unique_ptr<MainWindow> main;

    static std::string session(int tree, int i) {
        return QString("S-%1-%2").arg(tree, 5, 10, QChar('0')).arg(i, 2, 10, QChar('0')).toStdString();
    }
    // Twelve busy applications, and "tiny-auditor" owning the last Session of every 100th tree.
    static std::string appOf(int tree, int i) {
        if (i == kPerTree - 1 && tree % 100 == 0) return "app-tiny";
        return "app-" + std::to_string((tree * 7 + i * 5) % kApps);
    }
    static std::string nameOf(const std::string& app) {
        return app == "app-tiny" ? "tiny-auditor" : "agent-" + app.substr(4);
    }
    // Every event delegates to one new Session: its chain runs from the tree's root (depth at most 4).
    void writeZone(const QString& path) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        int64_t second = 0;
        for (int t = 0; t < kTrees; ++t) {
            std::vector<int> parent(kPerTree, -1), depth(kPerTree, 0);
            for (int i = 1; i < kPerTree; ++i) {
                int p = (i * 37 + t) % i;
                while (depth[p] >= 4)
                    p = parent[p];
                parent[i] = p;
                depth[i] = depth[p] + 1;
                std::vector<int> chainOf{i};
                for (int n = p; n >= 0; n = parent[n])
                    chainOf.insert(chainOf.begin(), n);
                Json chain = Json::array();
                for (size_t h = 0; h < chainOf.size(); ++h)
                    chain.push_back({{"application_id", appOf(t, chainOf[h])},
                                     {"agent_session_id", session(t, chainOf[h])},
                                     {"delegation_edge_id",
                                      h + 1 < chainOf.size() ? "E-" + session(t, chainOf[h + 1]) : ""}});
                const std::string app = appOf(t, i);
                const int64_t at = second++;
                const QString when = QDateTime::fromSecsSinceEpoch(1794614400 + at, Qt::UTC)
                                         .toString("yyyy-MM-ddTHH:mm:ss.000000Z");
                Json ev = {{"id", "ev-" + std::to_string(at)},
                           {"zone_id", "zone-big"},
                           {"event_type", "token_exchange"},
                           {"request_id", "req-" + std::to_string(at)},
                           {"decision", "allow"},
                           {"evaluation_status", "complete"},
                           {"determining_policies_json", Json::array()},
                           {"diagnostics_json", Json::array()},
                           {"metadata_json",
                            {{"application_id", app},
                             {"application_name", nameOf(app)},
                             {"agent_session_id", session(t, i)},
                             {"delegation_edge_id", "E-" + session(t, i)},
                             {"delegation_chain", chain},
                             {"delegation_hop_count", int(chainOf.size()) - 1},
                             {"delegation_graph_epoch", 1}}},
                           {"occurred_at", when.toStdString()}};
                out.write(QByteArray::fromStdString(ev.dump() + "\n"));
            }
        }
    }
    DelegationGraphWindow* openZone() {
        main->setViewOptions("", "", "zone-big");
        QSignalSpy applied(main.get(), &MainWindow::viewApplied);
        main->applyView();
        if (applied.isEmpty() && !applied.wait(kWait)) return nullptr;
        main->table()->setCurrentIndex(main->model()->index(0, 0));
        DelegationGraphWindow* w = main->openDelegationGraph(MainWindow::GraphOf::Zone);
        if (!w) return nullptr;
        w->resize(1300, 800);
        QSignalSpy ready(w, &DelegationGraphWindow::ready);
        if (!w->isReady() && !ready.wait(kWait)) return nullptr;
        return w;
    }
    static bool waitDrawn(QSignalSpy& drawn) { return !drawn.isEmpty() || drawn.wait(120000); }
    static void clickApplication(GraphOverviewView* view, size_t app) {
        const QRectF box = view->applicationRect(app);
        view->centerOn(box.center());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(box.center()));
    }
    static std::optional<size_t> applicationNamed(const GraphOverview& o, const std::string& label) {
        for (size_t i = 0; i < o.applications.size(); ++i)
            if (o.applications[i].label == label) return i;
        return std::nullopt;
    }
    static void clickToolbar(DelegationGraphWindow* w, QAction* action) {
        QToolBar* bar = w->findChild<QToolBar*>("graphToolbar");
        QTest::mouseClick(bar->widgetForAction(action), Qt::LeftButton);
    }
    // Where the view shows a scene point, against the middle of its viewport.
    static QPoint offCentre(DelegationGraphView* view, const QPointF& scenePoint) {
        return view->mapFromScene(scenePoint) - view->viewport()->rect().center();
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "biggraph-test");
        const QString file = tmp.path() + "/zone-big.jsonl";
        writeZone(file);
        main = std::make_unique<MainWindow>();
        main->resize(1400, 850);
        main->show();
        QSignalSpy loaded(main.get(), &MainWindow::loadFinished);
        main->openFiles({file});
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(main->store()->size(), size_t(kTrees * (kPerTree - 1)));
    }

    void opensOnTheOverview() {
        DelegationGraphWindow* w = openZone();
        QVERIFY(w);
        QVERIFY(w->showsOverview());
        QVERIFY(!w->graph()); // nothing drawn Session by Session yet
        QCOMPARE(w->wholeGraph()->nodes().size(), size_t(kTrees * kPerTree));
        const GraphOverview* o = w->overview();
        QVERIFY(o);
        QCOMPARE(o->sessions, size_t(kTrees * kPerTree));
        QCOMPARE(o->applications.size(), size_t(kApps + 1));
        const auto tiny = applicationNamed(*o, "tiny-auditor");
        QVERIFY(tiny);
        QCOMPARE(o->applications[*tiny].sessions, size_t(kTrees / 100));
        QVERIFY(w->overviewPanel()->summaryLabel()->text().contains("too many to draw readably"));
        // The overview fits readably and is painted.
        GraphOverviewView* view = w->overviewPanel()->view();
        QVERIFY(view->transform().m11() >= 0.5);
        QVERIFY(!view->viewport()->grab().isNull());
        caracal::test::screenshot(w, "biggraph-overview");
        w->close();
    }

    void drillIntoOneApplication() {
        DelegationGraphWindow* w = openZone();
        QVERIFY(w);
        const auto tiny = applicationNamed(*w->overview(), "tiny-auditor");
        QVERIFY(tiny);
        QSignalSpy drawn(w, &DelegationGraphWindow::drawn);
        clickApplication(w->overviewPanel()->view(), *tiny);
        QVERIFY(waitDrawn(drawn));
        QVERIFY(w->showsDrawing());
        const DelegationGraph* part = w->graph();
        QVERIFY(part && part != w->wholeGraph());
        // Every Session of the application, with whoever delegated to it: 30 leaves and their 30 issuers.
        size_t ofTiny = 0;
        for (const GraphNode& n : part->nodes())
            ofTiny += n.applicationId == "app-tiny";
        QCOMPARE(ofTiny, size_t(kTrees / 100));
        QCOMPARE(part->edges().size(), size_t(kTrees / 100));
        QCOMPARE(part->nodes().size(), size_t(2 * kTrees / 100));
        QCOMPARE(w->view()->graphScene().nodeRects.size(), part->nodes().size());
        // Fit never leaves a sliver: readable, and it says when the whole is not in view.
        QVERIFY(w->view()->zoom() >= 0.5);
        QVERIFY(!w->view()->viewport()->grab().isNull());
        // Back to the overview from the toolbar, then a time range from the drill bar.
        clickToolbar(w, w->overviewAction());
        QVERIFY(w->showsOverview());
        QComboBox* time = w->overviewPanel()->timeBox();
        time->setFocus();
        QTest::keyClick(time, Qt::Key_Down); // the first slice
        QCOMPARE(time->currentIndex(), 1);
        QComboBox* apps = w->overviewPanel()->applicationBox();
        apps->setCurrentIndex(int(*tiny) + 1);
        drawn.clear();
        QTest::mouseClick(w->overviewPanel()->drawButton(), Qt::LeftButton);
        QVERIFY(waitDrawn(drawn));
        QVERIFY(w->showsDrawing());
        QVERIFY(w->graph()->edges().size() < size_t(kTrees / 100)); // only what the audit saw in that slice
        QVERIFY(w->graph()->edges().size() > 0);
        caracal::test::screenshot(w, "biggraph-part");
        w->close();
    }

    void cancelStopsALayout() {
        DelegationGraphWindow* w = openZone();
        QVERIFY(w);
        QSignalSpy drawn(w, &DelegationGraphWindow::drawn);
        // The busiest application: thousands of Sessions to lay out, then Cancel before anything returns.
        clickApplication(w->overviewPanel()->view(), 0);
        QVERIFY(w->isBusy());
        QVERIFY(w->cancelButton()->isVisible());
        QTest::mouseClick(w->cancelButton(), Qt::LeftButton);
        QVERIFY(!w->isBusy());
        QVERIFY(w->showsOverview());
        QVERIFY(w->statusBar()->currentMessage().contains("cancelled"));
        // The worker returns (it checks the flag) and its drawing never arrives.
        QTRY_VERIFY_WITH_TIMEOUT(!w->hasRunningJobs(), kWait);
        QVERIFY(drawn.isEmpty());
        QVERIFY(!w->graph());
        QVERIFY(w->showsOverview());
        w->close();
    }

    void findCentresASession() {
        DelegationGraphWindow* w = openZone();
        QVERIFY(w);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        // From the overview: the Sessions around the one found are drawn, and it sits in the middle.
        const std::string target = session(1234, 5);
        QSignalSpy drawn(w, &DelegationGraphWindow::drawn);
        w->findEdit()->setFocus();
        QTest::keyClicks(w->findEdit(), QString::fromStdString(target));
        QTest::keyClick(w->findEdit(), Qt::Key_Return);
        QVERIFY(waitDrawn(drawn));
        QVERIFY(w->showsDrawing());
        DelegationGraphView* view = w->view();
        const auto node = w->graph()->findNode(target);
        QVERIFY(node);
        QCOMPARE(view->selectedNode(), node);
        QVERIFY(w->graph()->nodes().size() <= kReadableSessions);
        QPoint off = offCentre(view, view->graphScene().nodeRects[*node].center());
        QVERIFY2(off.manhattanLength() <= 2,
                 qPrintable(QString("off centre by %1,%2").arg(off.x()).arg(off.y())));
        // The busiest application drawn in full does not fit readably: Fit keeps a readable scale and says
        // what it shows instead.
        clickToolbar(w, w->overviewAction());
        drawn.clear();
        clickApplication(w->overviewPanel()->view(), 0);
        QVERIFY(waitDrawn(drawn));
        QVERIFY(w->graph()->nodes().size() > kReadableSessions);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F);
        QVERIFY(view->zoom() >= 0.5);
        QVERIFY(!view->fitShowsWhole());
        QVERIFY(w->statusBar()->currentMessage().contains("too small to read"));
        QVERIFY(!view->viewport()->grab().isNull());
        // Inside the drawing: a Session far from what is in view is scrolled to the middle.
        const std::string other = w->graph()->nodes().back().sessionId;
        w->findEdit()->selectAll();
        QTest::keyClicks(w->findEdit(), QString::fromStdString(other));
        QTest::keyClick(w->findEdit(), Qt::Key_Return);
        const size_t last = *w->graph()->findNode(other);
        QCOMPARE(view->selectedNode(), std::optional<size_t>(last));
        off = offCentre(view, view->graphScene().nodeRects[last].center());
        QVERIFY2(off.manhattanLength() <= 2,
                 qPrintable(QString("off centre by %1,%2").arg(off.x()).arg(off.y())));
        caracal::test::screenshot(w, "biggraph-find");
        w->close();
    }

    // Run under debug-asan: closing while jobs run must neither crash nor touch freed memory.
    void closeDuringJobs() {
        // The graph window while it builds.
        main->setViewOptions("", "", "zone-big");
        QPointer<DelegationGraphWindow> building = main->openDelegationGraph(MainWindow::GraphOf::Zone);
        QVERIFY(building);
        QVERIFY(building->isBusy());
        building->close();
        QTRY_VERIFY_WITH_TIMEOUT(!building, kWait);
        // The graph window while it lays out the busiest application.
        QPointer<DelegationGraphWindow> w = openZone();
        QVERIFY(w);
        clickApplication(w->overviewPanel()->view(), 0);
        QVERIFY(w->isBusy());
        w->close();
        QTRY_VERIFY_WITH_TIMEOUT(!w, kWait);
        // The main window, with a graph window laying out.
        QPointer<DelegationGraphWindow> last = openZone();
        QVERIFY(last);
        clickApplication(last->overviewPanel()->view(), 0);
        QVERIFY(last->isBusy());
        main.reset();
        QVERIFY(!last);
    }

    void cleanupTestCase() { main.reset(); }
};

QTEST_MAIN(BigGraphTest)
#include "tst_biggraph.moc"
