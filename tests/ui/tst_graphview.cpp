#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "common/Theme.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "filter/FilterEdit.h"
#include "graph/DelegationGraphView.h"
#include "graph/DelegationGraphWindow.h"
#include "graph/GraphExport.h"
#include "graph/GraphInspector.h"
#include "graph/VerifierPanel.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace caracal;
using namespace caracal::ui;

// The delegation graph window, driven offscreen through the main window. Waits are on signals, never on time.
class GraphViewTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 60000;
    std::unique_ptr<MainWindow> main;

    static QString data(const char* name) { return QString(CARACAL_TEST_DATA) + "/delegation/" + name; }
    void selectRequest(const QString& request) {
        QSignalSpy spy(main.get(), &MainWindow::viewApplied);
        main->requestBox()->setText(request);
        main->applyView();
        if (spy.isEmpty()) QVERIFY(spy.wait(kWait));
        main->table()->setCurrentIndex(main->model()->index(0, 0));
    }
    DelegationGraphWindow* open(MainWindow::GraphOf what) {
        DelegationGraphWindow* w = main->openDelegationGraph(what);
        if (!w) return nullptr;
        QSignalSpy ready(w, &DelegationGraphWindow::ready);
        if (!w->isReady() && !ready.wait(kWait)) return nullptr;
        return w;
    }
    static QPoint onScreen(DelegationGraphView* view, const QPointF& scenePoint) {
        return view->mapFromScene(scenePoint);
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "graph-test");
        main = std::make_unique<MainWindow>();
        main->resize(1400, 850);
        main->show();
        QSignalSpy spy(main.get(), &MainWindow::loadFinished);
        main->openFiles({data("chains.jsonl")});
        QVERIFY(spy.wait(kWait));
    }

    void requestGraphShowsItsPath() {
        selectRequest("req-4");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Request);
        QVERIFY(w);
        QCOMPARE(w->graph()->nodes().size(), size_t(5));
        QCOMPARE(w->graph()->edges().size(), size_t(4));
        const auto& state = w->view()->paintState();
        QCOMPARE(std::count(state.highlightedEdges.begin(), state.highlightedEdges.end(), true), 4);
        QVERIFY(w->inspector()->toPlainText().contains("5 Sessions, 4 delegation edges"));
        // The verifier checks the request's chain at once: 4 hops pass the default maximum.
        QVERIFY(w->verifier()->outcome() && w->verifier()->outcome()->code.empty());
        QVERIFY(w->verifier()->resultLabel()->text().contains("Accepted"));
        w->close();
    }

    void clickKeysAndInspect() {
        selectRequest("req-4");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Request);
        QVERIFY(w);
        w->resize(1300, 800);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        DelegationGraphView* view = w->view();
        view->resetZoom();
        // A real click on the second Session's box.
        view->centerOn(view->graphScene().nodeRects[1].center());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          onScreen(view, view->graphScene().nodeRects[1].center()));
        QCOMPARE(view->selectedNode(), std::optional<size_t>(1));
        QVERIFY(w->inspector()->toPlainText().contains("bravo"));
        QVERIFY(w->inspector()->toPlainText().contains("It delegated"));
        // Along the flow: the edge out of it, then its target; back against the flow.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Right);
        QCOMPARE(view->selectedEdge(), std::optional<size_t>(1));
        QVERIFY(w->inspector()->toPlainText().contains("Delegation edge E2"));
        QVERIFY(w->inspector()->toPlainText().contains("status, scopes and constraints are unknown"));
        QVERIFY(w->inspector()->toPlainText().contains("Revocation impact (3)"));
        QTest::keyClick(view, Qt::Key_Right);
        QCOMPARE(view->selectedNode(), std::optional<size_t>(2));
        QTest::keyClick(view, Qt::Key_Left);
        QCOMPARE(view->selectedEdge(), std::optional<size_t>(1));
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(!view->selectedEdge() && !view->selectedNode());
        // A click on an edge's midpoint selects the edge.
        const QPointF mid = view->graphScene().edgePaths[2].pointAtPercent(0.5);
        view->centerOn(mid);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, onScreen(view, mid));
        QCOMPARE(view->selectedEdge(), std::optional<size_t>(2));
        // Hovering names what is under the pointer.
        QSignalSpy hovered(view, &DelegationGraphView::hoverChanged);
        // (QTest::mouseMove on a widget only moves the cursor; through the window it is a real move event.)
        auto moveTo = [&](const QPointF& scenePoint) {
            QTest::mouseMove(w->windowHandle(), view->viewport()->mapTo(w, onScreen(view, scenePoint)));
        };
        moveTo(view->graphScene().nodeRects[3].center());
        QCOMPARE(view->paintState().hoverNode, std::optional<size_t>(3));
        moveTo(mid);
        QCOMPARE(view->paintState().hoverEdge, std::optional<size_t>(2));
        QVERIFY(!hovered.isEmpty() && hovered.last().first().toString().contains("Delegation edge E3"));
        // Zoom and fit.
        const qreal before = view->zoom();
        QTest::keyClick(view, Qt::Key_Plus);
        QVERIFY(view->zoom() > before);
        QTest::keyClick(view, Qt::Key_F);
        QVERIFY(view->zoom() <= 1.0);
        // Find by application name.
        QVERIFY(w->find("delta"));
        QCOMPARE(view->selectedNode(), std::optional<size_t>(3));
        QVERIFY(!w->find("no-such-thing"));
        caracal::test::screenshot(w, "graph-request");
        w->close();
    }

    void coordinatorDataAndImpact() {
        selectRequest("req-4");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Zone);
        QVERIFY(w);
        QCOMPARE(w->graph()->edges().size(), size_t(5));
        QString error;
        QVERIFY(!w->loadCoordinatorFile(data("chains.jsonl"), &error));
        QVERIFY2(error.contains("not JSON"), qPrintable(error));
        QVERIFY(!w->loadCoordinatorFile(tmp.path() + "/missing.json", &error));
        QVERIFY(error.contains("cannot read"));
        QVERIFY(w->loadCoordinatorFile(data("coordinator-active.json"), &error));
        QVERIFY(w->loadCoordinatorFile(data("coordinator-outbound.json"), &error));
        QCOMPARE(w->graph()->edges().size(), size_t(6));
        const size_t e1 = *w->graph()->findEdge("E1");
        w->view()->selectEdge(e1);
        const QString text = w->inspector()->toPlainText();
        QVERIFY(text.contains("Authority constraints"));
        QVERIFY(text.contains("Max TTL"));
        QVERIFY(text.contains("chat:read, chat:post"));
        // Revoking E1 cuts off E2 and E5 and what hangs below, but not the revoked E3.
        QVERIFY2(text.contains("cascades to 3 edges downstream"), qPrintable(text));
        emit w->inspector()->linkActivated(QString("impact:%1").arg(e1));
        const auto& state = w->view()->paintState();
        QCOMPARE(std::count(state.highlightedEdges.begin(), state.highlightedEdges.end(), true), 4);
        // In a zone graph, the edge's latest event is the chain the verifier checks.
        QVERIFY(w->verifier()->outcome());
        w->verifier()->requiredAppsEdit()->setText("alpha, zulu");
        QCOMPARE(w->verifier()->outcome()->code, std::string("chain_mismatch"));
        QCOMPARE(w->verifier()->outcome()->missingApplicationId, std::string("zulu"));
        QVERIFY(w->verifier()->resultLabel()->text().contains("Delegation chain missing application: zulu"));
        w->verifier()->requiredAppsEdit()->clear();
        w->verifier()->maxHopsBox()->setValue(0);
        QVERIFY(w->verifier()->outcome()->code.empty());
        // The code links to its troubleshooting row in the main window.
        emit w->verifier()->resultLabel()->linkActivated("code:chain_mismatch");
        auto* browser = main->findChild<TroubleshootingBrowser*>();
        QVERIFY(browser && browser->isVisible());
        browser->close();
        caracal::test::screenshot(w, "graph-zone");
        w->close();
    }

    // An edge used after it was revoked: the inspector counts the uses and the allowed ones, each a click
    // from the table; the verifier check does not accept the chain; another zone's Coordinator row stays out.
    void useAfterRevocationAndOtherZones() {
        MainWindow other;
        other.show();
        QSignalSpy loaded(&other, &MainWindow::loadFinished);
        other.openFiles({data("late-use.jsonl")});
        QVERIFY(loaded.wait(kWait));
        other.table()->setCurrentIndex(other.model()->index(0, 0));
        DelegationGraphWindow* w = other.openDelegationGraph(MainWindow::GraphOf::Zone);
        QVERIFY(w);
        QSignalSpy ready(w, &DelegationGraphWindow::ready);
        if (!w->isReady()) QVERIFY(ready.wait(kWait));
        QString error;
        QVERIFY(w->loadCoordinatorFile(data("coordinator-late-and-other-zone.json"), &error));
        QVERIFY(!w->graph()->findEdge("E-other"));
        QVERIFY(w->statusBar()->currentMessage().contains("left out 1 edge of another zone"));
        w->view()->selectEdge(*w->graph()->findEdge("E-L"));
        const QString text = w->inspector()->toPlainText();
        QVERIFY2(text.contains("3 events used it afterwards") && text.contains("2 of them allowed"),
                 qPrintable(text));
        QVERIFY(!w->verifier()->resultLabel()->text().contains("Accepted"));
        QCOMPARE(w->verifier()->outcome()->code, std::string("session_revoked"));
        QSignalSpy applied(&other, &MainWindow::viewApplied);
        emit w->inspector()->linkActivated(QString("lateallowed:%1").arg(*w->graph()->findEdge("E-L")));
        if (applied.isEmpty()) QVERIFY(applied.wait(kWait));
        QCOMPARE(other.model()->rowCount(), 2);
        applied.clear();
        emit w->inspector()->linkActivated(QString("late:%1").arg(*w->graph()->findEdge("E-L")));
        if (applied.isEmpty()) QVERIFY(applied.wait(kWait));
        QCOMPARE(other.model()->rowCount(), 3);
        w->close();
    }

    void selectedRequestFollowsInZoneGraph() {
        selectRequest("");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Zone);
        QVERIFY(w);
        selectRequest("req-3");
        const auto& state = w->view()->paintState();
        QCOMPARE(std::count(state.highlightedEdges.begin(), state.highlightedEdges.end(), true), 3);
        QVERIFY(state.highlightedEdges[*w->graph()->findEdge("E3")]);
        w->close();
    }

    void showEventsUsingAnEdge() {
        selectRequest("req-2");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Request);
        QVERIFY(w);
        QSignalSpy applied(main.get(), &MainWindow::viewApplied);
        emit w->inspector()->linkActivated(QString("events:%1").arg(*w->graph()->findEdge("E2")));
        if (applied.isEmpty()) QVERIFY(applied.wait(kWait));
        QCOMPARE(main->filterEdit()->text(), QString("\"E2\""));
        QCOMPARE(main->requestBox()->text(), QString());
        QCOMPARE(main->model()->rowCount(), 5); // req-2 twice, req-3, req-4, and req-7 naming E2
        w->close();
        main->filterEdit()->clear();
    }

    void exportsShareOnePainting() {
        selectRequest("req-3");
        DelegationGraphWindow* w = open(MainWindow::GraphOf::Event);
        QVERIFY(w);
        QCOMPARE(w->graph()->edges().size(), size_t(3));
        QString error;
        const QString svg = tmp.path() + "/g.svg", png = tmp.path() + "/g.png", dot = tmp.path() + "/g.dot";
        QVERIFY2(w->exportTo(svg, "svg", &error), qPrintable(error));
        QVERIFY(w->exportTo(png, "png", &error));
        QVERIFY(w->exportTo(dot, "dot", &error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.startsWith("<?xml") && svgText.contains("charlie"));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), (w->view()->graphScene().bounds.size() * 2).toSize());
        QFile dotFile(dot);
        QVERIFY(dotFile.open(QIODevice::ReadOnly));
        QCOMPARE(dotFile.readAll().toStdString(),
                 graphToDot(*w->graph(), w->view()->paintState().nowMicros, {0, 1, 2}));
        QVERIFY(!w->exportTo(tmp.path() + "/no/such/dir/g.svg", "svg", &error));
        QVERIFY(error.contains("cannot write"));
        w->close();
    }

    void nothingToDraw() {
        // An event or request without a chain opens nothing and says why.
        selectRequest("req-9");
        QVERIFY(!main->openDelegationGraph(MainWindow::GraphOf::Event));
        QVERIFY(main->statusBar()->currentMessage().contains("carries no delegation chain"));
        QVERIFY(!main->openDelegationGraph(MainWindow::GraphOf::Request));
        // A zone without chains opens with an explanation, and Coordinator data alone can still draw edges.
        DelegationGraphWindow* w = new DelegationGraphWindow(
            std::shared_ptr<const EventStore>(main->store(), [](const EventStore*) {}),
            GraphScope{GraphScope::Kind::Zone, "zone-none", "", 0});
        QSignalSpy ready(w, &DelegationGraphWindow::ready);
        QVERIFY(ready.wait(kWait));
        QVERIFY(w->graph()->empty());
        QString error;
        QVERIFY(!w->exportTo(tmp.path() + "/empty.svg", "svg", &error));
        QVERIFY(error.contains("no graph"));
        QVERIFY(w->loadCoordinatorFile(data("coordinator-traverse.json"), &error));
        QCOMPARE(w->graph()->edges().size(), size_t(2));
        QVERIFY(w->exportTo(tmp.path() + "/coordinator.svg", "svg", &error));
        w->close();
    }

    void cleanupTestCase() { main.reset(); }
};

QTEST_MAIN(GraphViewTest)
#include "tst_graphview.moc"
