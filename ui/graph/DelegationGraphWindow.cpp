#include "graph/DelegationGraphWindow.h"

#include "common/ScreenFit.h"
#include "common/StatusPalette.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "graph/DelegationGraphView.h"
#include "graph/GraphExport.h"
#include "graph/GraphInspector.h"
#include "graph/GraphOverviewPanel.h"
#include "graph/GraphOverviewView.h"
#include "graph/LayeredLayout.h"
#include "graph/VerifierPanel.h"
#include "util/Timestamp.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <unordered_set>

namespace caracal::ui {

namespace {
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
} // namespace

QString GraphScope::title() const {
    switch (kind) {
    case Kind::Event:
        return "Delegation chain of one event";
    case Kind::Request:
        return "Delegation graph of request " + qs(requestId);
    case Kind::Zone:
        break;
    }
    return "Delegation graph of zone " + qs(zone);
}

// What a job hands the GUI thread: the graph and, ready to show, its overview or its laid-out drawing.
struct GraphPresentation {
    std::shared_ptr<const DelegationGraph> whole;  // set by the build
    std::vector<RowId> rows;                       // the build's scope rows
    std::shared_ptr<const DelegationGraph> graph;  // the graph drawn (the whole or a part)
    std::shared_ptr<const GraphOverview> overview; // instead of a drawing, for a graph too big to read
    GraphScene scene;
    double layoutMs = 0;
    std::string partName; // "" when the whole graph is drawn
    std::string refusal;  // why nothing new is shown (the part is empty or too big)
};

namespace {
using Direction = LayoutInput::Direction;
// Graphs this small are laid out on the spot after a Coordinator merge, so the caller sees the result at
// once.
constexpr size_t kImmediateSessions = 300;

GraphWork workOf(JobControl& control) {
    return GraphWork{control.cancelFlag(), [&control](double f) { control.setProgress(f); }};
}

GraphScene layOut(const DelegationGraph& graph, const QFont& font, Direction direction, const GraphWork& work,
                  double* ms) {
    QElapsedTimer timer;
    timer.start();
    GraphScene scene =
        GraphPainter(graph, GraphPalette::light(), font).layout(LayeredLayout(), direction, work);
    *ms = timer.nsecsElapsed() / 1e6;
    return scene;
}

// The whole graph as its first view: the overview when it is too big to read, else the drawing.
void presentWhole(GraphPresentation& p, const std::vector<RowId>& focusRows, const QFont& font,
                  Direction direction, int64_t now, const GraphWork& work) {
    if (p.whole->nodes().size() > kReadableSessions) {
        const auto path = p.whole->edgesUsedBy(focusRows);
        p.overview = std::make_shared<GraphOverview>(aggregateByApplication(*p.whole, now, path, work));
    } else {
        p.graph = p.whole;
        p.scene = layOut(*p.whole, font, direction, work, &p.layoutMs);
    }
}

std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}
// ASCII case-insensitive containment, without a QString per candidate: Find scans a whole zone's Sessions.
bool containsFolded(std::string_view haystack, const std::string& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           }) != haystack.end();
}
QString number(size_t n) {
    return QLocale().toString(qulonglong(n));
}
} // namespace

DelegationGraphWindow::DelegationGraphWindow(std::shared_ptr<const EventStore> store, GraphScope scope,
                                             QWidget* parent)
    : QMainWindow(parent), m_store(std::move(store)), m_scope(std::move(scope)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_scope.title() + QString::fromUtf8(" \u2014 Caracal Trace Console"));
    fitToScreen(this, {1280, 800});

    m_view = new DelegationGraphView;
    m_placeholder = new QLabel;
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    // Progress with Cancel while a build or a layout runs.
    m_progressPage = new QWidget;
    m_progressLabel = new QLabel;
    m_progressLabel->setAlignment(Qt::AlignCenter);
    m_progressLabel->setWordWrap(true);
    m_progressBar = new QProgressBar;
    m_progressBar->setRange(0, 1000);
    m_progressBar->setTextVisible(false);
    m_progressBar->setMaximumWidth(420);
    m_cancel = new QPushButton("Cancel");
    m_rebuild = new QPushButton("Build again");
    m_rebuild->hide();
    {
        auto* box = new QVBoxLayout(m_progressPage);
        box->addStretch(1);
        box->addWidget(m_progressLabel);
        box->addWidget(m_progressBar, 0, Qt::AlignHCenter);
        auto* buttons = new QHBoxLayout;
        buttons->addStretch(1);
        buttons->addWidget(m_cancel);
        buttons->addWidget(m_rebuild);
        buttons->addStretch(1);
        box->addLayout(buttons);
        box->addStretch(2);
    }
    m_overviewPanel = new GraphOverviewPanel;
    m_drawingPage = new QWidget;
    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->hide();
    {
        auto* box = new QVBoxLayout(m_drawingPage);
        box->setContentsMargins(0, 0, 0, 0);
        box->setSpacing(2);
        box->addWidget(m_banner);
        box->addWidget(m_view, 1);
    }
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_progressPage);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_overviewPanel);
    m_stack->addWidget(m_drawingPage);
    m_inspector = new GraphInspector;
    m_verifier = new VerifierPanel;
    auto* side = new QSplitter(Qt::Vertical);
    side->addWidget(m_inspector);
    side->addWidget(m_verifier);
    side->setStretchFactor(0, 1);
    side->setStretchFactor(1, 0);
    side->setSizes({460, 320});
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_stack);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({800, 480});
    setCentralWidget(split);

    QToolBar* bar = addToolBar("Graph");
    bar->setObjectName("graphToolbar");
    bar->setMovable(false);
    bar->addAction("Fit", QKeySequence("F"), this,
                   [this] {
                       if (showsOverview())
                           m_overviewPanel->view()->fit();
                       else
                           m_view->fitGraph();
                   })
        ->setToolTip("Fit the graph (F); a graph too big to read fits its part in focus");
    bar->addAction("Zoom in", QKeySequence::ZoomIn, m_view, [this] { m_view->zoomBy(1.25); });
    bar->addAction("Zoom out", QKeySequence::ZoomOut, m_view, [this] { m_view->zoomBy(0.8); });
    bar->addAction("Actual size", QKeySequence("Ctrl+0"), m_view, &DelegationGraphView::resetZoom);
    m_vertical = bar->addAction("Top to bottom");
    m_vertical->setCheckable(true);
    m_vertical->setToolTip("Lay the hops out downwards instead of to the right");
    connect(m_vertical, &QAction::toggled, this,
            [this](bool on) { relayoutDrawing(on ? Direction::TopToBottom : Direction::LeftToRight); });
    m_backToOverview = bar->addAction("Overview", this, &DelegationGraphWindow::showOverview);
    m_backToOverview->setToolTip("Back to the graph by application, to draw another part");
    m_backToOverview->setEnabled(false);
    bar->addSeparator();
    bar->addAction("Load Coordinator data\u2026", this, &DelegationGraphWindow::loadCoordinatorDialog)
        ->setToolTip(
            "Merge the Coordinator's delegation JSON (active or inbound/outbound list, traverse, impact, "
            "created edge) for status, scopes and constraints");
    bar->addSeparator();
    bar->addAction("Export SVG\u2026", this, [this] { exportDialog("svg"); });
    bar->addAction("Export PNG\u2026", this, [this] { exportDialog("png"); });
    bar->addAction("Export DOT\u2026", this, [this] { exportDialog("dot"); });
    bar->addSeparator();
    m_find = new QLineEdit;
    m_find->setPlaceholderText("Find a Session, application or edge id");
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(300);
    bar->addWidget(m_find);
    connect(m_find, &QLineEdit::returnPressed, this, [this] {
        if (!find(m_find->text()))
            statusBar()->showMessage("Nothing in the graph matches \"" + m_find->text() + "\"", 5000);
    });

    // The legend's colours are the drawing's, on the light and on the dark palette alike.
    auto* legend = new QLabel(statusSpan(StatusTone::Good, "&#9632;") + " active &nbsp; " +
                              statusSpan(StatusTone::Warning, "&#9632;") + " expiring &nbsp; " +
                              statusSpan(StatusTone::Bad, "&#9632;") + " revoked (dashed) &nbsp; " +
                              statusSpan(StatusTone::Muted, "&#9632;") + " expired (dashed) &nbsp; " +
                              statusSpan(StatusTone::Neutral, "&#9632;") + " unknown (audit only) &nbsp; " +
                              QString("<span style='color:%1'>&#9644;</span> the request's path")
                                  .arg(isDark(QApplication::palette()) ? "#ffca28" : "#f9a825"));
    m_counts = new QLabel;
    statusBar()->addWidget(legend);
    statusBar()->addPermanentWidget(m_counts);

    connect(m_view, &DelegationGraphView::nodeSelected, this, &DelegationGraphWindow::onNodeSelected);
    connect(m_view, &DelegationGraphView::edgeSelected, this, &DelegationGraphWindow::onEdgeSelected);
    connect(m_view, &DelegationGraphView::selectionCleared, this, [this] {
        if (m_graph) m_inspector->showOverview(*m_graph, m_scope.title());
        m_view->setHighlightedEdges(m_path);
    });
    connect(m_view, &DelegationGraphView::hoverChanged, this, [this](const QString& text) {
        statusBar()->showMessage(QString(text).replace('\n', "  \u00b7  "));
    });
    connect(m_view, &DelegationGraphView::fitted, this, [this](bool whole, const QString& message) {
        if (!whole)
            statusBar()->showMessage(message, 15000);
        else if (statusBar()->currentMessage().contains("too small to read"))
            statusBar()->clearMessage(); // an earlier fit's explanation no longer holds
    });
    connect(m_overviewPanel->view(), &GraphOverviewView::hoverChanged, this, [this](const QString& text) {
        statusBar()->showMessage(QString(text).replace('\n', "  \u00b7  "));
    });
    connect(m_overviewPanel, &GraphOverviewPanel::drillRequested, this, &DelegationGraphWindow::drawPart);
    connect(m_inspector, &GraphInspector::linkActivated, this, &DelegationGraphWindow::onLink);
    connect(m_verifier, &VerifierPanel::troubleshootingRequested, this,
            &DelegationGraphWindow::troubleshootingRequested);
    connect(m_cancel, &QPushButton::clicked, this, &DelegationGraphWindow::cancelJob);
    connect(m_rebuild, &QPushButton::clicked, this, &DelegationGraphWindow::startBuild);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_running) m_progressBar->setValue(int(m_running->progress() * 1000));
    });
    startBuild();
}

DelegationGraphWindow::~DelegationGraphWindow() {
    // Jobs hold the store and the graph they read, never this window; waiting here keeps none running past
    // it.
    m_jobs.shutdown();
}

int64_t DelegationGraphWindow::now() const {
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

bool DelegationGraphWindow::showsOverview() const {
    return m_stack->currentWidget() == m_overviewPanel;
}

bool DelegationGraphWindow::showsDrawing() const {
    return m_stack->currentWidget() == m_drawingPage;
}

bool DelegationGraphWindow::isBusy() const {
    return m_jobs.runningCount() > 0 && m_stack->currentWidget() == m_progressPage;
}

void DelegationGraphWindow::startProgress(const QString& what, std::shared_ptr<JobControl> control) {
    if (m_stack->currentWidget() != m_progressPage) m_pageBeforeJob = m_stack->currentWidget();
    m_running = std::move(control);
    m_progressLabel->setText(what);
    m_progressBar->setValue(0);
    m_cancel->show();
    m_rebuild->hide();
    m_stack->setCurrentWidget(m_progressPage);
    m_progressTimer.start();
}

void DelegationGraphWindow::endProgress() {
    m_progressTimer.stop();
    m_running.reset();
}

// Reading every chain of a big zone parses many events, and laying out thousands of boxes takes a while:
// both run off the GUI thread, in one job.
void DelegationGraphWindow::startBuild() {
    const GraphScope scope = m_scope;
    const std::vector<RowId> focus = m_focusRows;
    const QFont font = m_view->font();
    const Direction direction = m_vertical->isChecked() ? Direction::TopToBottom : Direction::LeftToRight;
    const int64_t now = this->now();
    auto job = m_jobs.run<GraphPresentation>(
        "graph", m_store,
        [scope, focus, font, direction, now](const EventStore* store, JobControl& control) {
            const GraphWork work = workOf(control);
            GraphPresentation p;
            if (scope.kind == GraphScope::Kind::Event)
                p.rows = {scope.row};
            else if (scope.kind == GraphScope::Kind::Request)
                p.rows = graphRowsForRequest(*store, scope.requestId, scope.zone);
            else
                p.rows = graphRowsForZone(*store, scope.zone);
            auto graph = std::make_shared<DelegationGraph>(
                DelegationGraph::fromEvents(*store, p.rows, work.part(0, 0.6)));
            if (graph->zone().empty() && !scope.zone.empty()) graph->setZone(scope.zone);
            if (control.cancelled()) return p;
            p.whole = graph;
            presentWhole(p, scope.kind == GraphScope::Kind::Zone ? focus : p.rows, font, direction, now,
                         work.part(0.6, 1));
            return p;
        },
        [this](GraphPresentation p) { adopt(std::move(p)); });
    startProgress(m_scope.kind == GraphScope::Kind::Zone
                      ? QString("Reading the delegation chains of zone %1 and laying them out\u2026")
                            .arg(qs(m_scope.zone))
                      : QString("Building the graph\u2026"),
                  std::move(job));
}

void DelegationGraphWindow::cancelJob() {
    m_jobs.cancel("graph");
    m_jobs.cancel("layout");
    endProgress();
    if (!m_whole) {
        m_progressLabel->setText("Cancelled: the graph was not built.");
        m_cancel->hide();
        m_rebuild->show();
        return;
    }
    m_centreOn.reset();
    m_stack->setCurrentWidget(m_pageBeforeJob && m_pageBeforeJob != m_progressPage ? m_pageBeforeJob
                              : m_overview ? static_cast<QWidget*>(m_overviewPanel)
                                           : m_drawingPage);
    statusBar()->showMessage("Drawing cancelled.", 8000);
}

void DelegationGraphWindow::adopt(GraphPresentation p) {
    endProgress();
    const bool built = p.whole != nullptr;
    if (built) {
        m_whole = p.whole;
        m_rows = std::move(p.rows);
        if (m_scope.kind != GraphScope::Kind::Zone) m_focusRows = m_rows;
        m_inspector->showOverview(*m_whole, m_scope.title());
        m_overview.reset();
        m_graph.reset();
        m_backToOverview->setEnabled(false);
    }
    if (!p.refusal.empty()) {
        m_centreOn.reset();
        m_stack->setCurrentWidget(m_pageBeforeJob ? m_pageBeforeJob : m_overviewPanel);
        statusBar()->showMessage(QString::fromStdString(p.refusal), 15000);
        return;
    }
    if (p.overview) {
        m_overview = p.overview;
        m_graph.reset();
        m_overviewPanel->setOverview(m_overview);
        m_stack->setCurrentWidget(m_overviewPanel);
        m_overviewPanel->view()->fit();
        m_backToOverview->setEnabled(true);
        updateVerifierChain(std::nullopt);
    } else if (p.graph && p.graph->empty()) {
        m_graph = p.graph;
        m_path.clear();
        m_placeholder->setText(
            "No delegation chain in this scope: none of its events carries "
            "metadata_json.delegation_chain.\nLoad Coordinator data to draw its edges instead.");
        m_stack->setCurrentWidget(m_placeholder);
    } else if (p.graph) {
        m_partName = p.partName;
        showDrawing(p.graph, std::move(p.scene), p.layoutMs);
    }
    updateCounts();
    if (built) emit ready();
    emit drawn();
}

void DelegationGraphWindow::showDrawing(std::shared_ptr<const DelegationGraph> graph, GraphScene scene,
                                        double layoutMs) {
    m_graph = std::move(graph);
    const Direction direction = m_vertical->isChecked() ? Direction::TopToBottom : Direction::LeftToRight;
    m_view->setLaidOutGraph(m_graph, std::move(scene), direction, now(), layoutMs);
    m_path = m_graph->edgesUsedBy(m_focusRows);
    m_view->setHighlightedEdges(m_path);
    m_banner->setVisible(!m_partName.empty());
    m_banner->setText(
        QString("Drawn in full: %1. The overview (toolbar) shows the whole graph by application.")
            .arg(QString::fromStdString(m_partName)));
    m_stack->setCurrentWidget(m_drawingPage);
    m_view->fitGraph();
    if (m_centreOn) {
        if (auto node = m_graph->findNode(*m_centreOn)) m_view->centreOnNode(*node);
        m_centreOn.reset();
    }
    m_inspector->showOverview(*m_graph, m_partName.empty()
                                            ? m_scope.title()
                                            : m_scope.title() + ": " + QString::fromStdString(m_partName));
    // The chain in focus for the verifier: the scope's latest event that carries one.
    std::optional<RowId> latest;
    for (size_t e : m_path)
        for (RowId r : m_graph->edges()[e].events)
            if (!latest || m_store->record(r).occurredAt >= m_store->record(*latest).occurredAt) latest = r;
    updateVerifierChain(latest);
}

void DelegationGraphWindow::updateCounts() {
    if (!m_whole) return;
    const size_t sessions = m_whole->nodes().size(), edges = m_whole->edges().size();
    QString text = QString("%1 Session%2 \u00b7 %3 edge%4")
                       .arg(number(sessions))
                       .arg(sessions == 1 ? "" : "s")
                       .arg(number(edges))
                       .arg(edges == 1 ? "" : "s");
    if (showsOverview())
        text += " \u00b7 shown by application";
    else if (m_graph && m_graph != m_whole)
        text += QString(" \u00b7 drawn: %1 Sessions, layout %2 ms")
                    .arg(number(m_graph->nodes().size()))
                    .arg(m_view->lastLayoutMs(), 0, 'f', 1);
    else if (m_graph)
        text += QString(" \u00b7 layout %1 ms").arg(m_view->lastLayoutMs(), 0, 'f', 1);
    m_counts->setText(text);
    m_counts->setMinimumWidth(m_counts->sizeHint().width()); // a status message must not squeeze it
}

void DelegationGraphWindow::drawPart(const GraphSubset& subset) {
    if (!m_whole) return;
    const std::shared_ptr<const DelegationGraph> whole = m_whole;
    const std::vector<RowId> focus = m_focusRows;
    const QFont font = m_view->font();
    const Direction direction = m_vertical->isChecked() ? Direction::TopToBottom : Direction::LeftToRight;
    const int64_t now = this->now();
    auto job = m_jobs.run<GraphPresentation>(
        "layout", m_store,
        [whole, subset, focus, font, direction, now](const EventStore*, JobControl& control) {
            const GraphWork work = workOf(control);
            GraphPresentation p;
            const auto path = whole->edgesUsedBy(focus);
            const SubsetSelection chosen =
                selectSubset(*whole, subset, now, path, kReadableSessions, work.part(0, 0.1));
            const std::string name = subset.describe(*whole);
            if (chosen.nodes.empty() || chosen.nodes.size() > kDrawableSessions) {
                p.refusal = chosen.nodes.empty()
                                ? "Nothing in the graph matches " + name + "."
                                : "The part " + name + " has " + std::to_string(chosen.nodes.size()) +
                                      " Sessions; at most " + std::to_string(kDrawableSessions) +
                                      " are drawn. Narrow it by status or time range.";
                return p;
            }
            auto part = std::make_shared<DelegationGraph>(whole->subgraph(chosen.nodes, chosen.edges));
            p.partName = name + " (" + std::to_string(part->nodes().size()) + " of " +
                         std::to_string(whole->nodes().size()) + " Sessions" +
                         (chosen.truncated ? ", the nearest" : "") + ")";
            p.scene = layOut(*part, font, direction, work.part(0.1, 1), &p.layoutMs);
            p.graph = std::move(part);
            return p;
        },
        [this](GraphPresentation p) { adopt(std::move(p)); });
    startProgress("Drawing " + QString::fromStdString(subset.describe(*m_whole)) + "\u2026", std::move(job));
}

void DelegationGraphWindow::showOverview() {
    if (!m_overview) return;
    m_jobs.cancel("layout");
    endProgress();
    m_stack->setCurrentWidget(m_overviewPanel);
    m_inspector->showOverview(*m_whole, m_scope.title());
    updateCounts();
}

void DelegationGraphWindow::relayoutDrawing(Direction direction) {
    if (!m_graph || m_graph->empty()) return;
    const std::shared_ptr<const DelegationGraph> graph = m_graph;
    const QFont font = m_view->font();
    const std::string partName = m_partName;
    auto job = m_jobs.run<GraphPresentation>(
        "layout", m_store,
        [graph, font, direction, partName](const EventStore*, JobControl& control) {
            GraphPresentation p;
            p.partName = partName;
            p.scene = layOut(*graph, font, direction, workOf(control), &p.layoutMs);
            p.graph = graph;
            return p;
        },
        [this](GraphPresentation p) { adopt(std::move(p)); });
    startProgress("Laying the graph out again\u2026", std::move(job));
}

void DelegationGraphWindow::updateVerifierChain(std::optional<RowId> row) {
    // Application names once each (a zone has a few applications and may have 100,000s of Sessions).
    std::vector<std::pair<std::string, std::string>> names;
    std::unordered_set<std::string_view> seen;
    const DelegationGraph& graph = m_graph ? *m_graph : *m_whole;
    for (const GraphNode& n : graph.nodes())
        if (seen.insert(n.applicationId).second) names.emplace_back(n.label, n.applicationId);
    if (!row) {
        m_verifier->setChain(std::nullopt, "No chain in focus.", std::move(names));
        return;
    }
    ChainClaims claims = claimsFromEvent(m_store->event(*row));
    addEdgeEnds(claims, *m_graph, *m_store); // used after it was revoked or expired: a finding
    m_verifier->setChain(claims,
                         QString("Chain of event %1 (request %2): %3.")
                             .arg(qs(m_store->eventId(*row)), qs(m_store->field(*row, Field::RequestId)),
                                  countText(claims.hopCount, "hop", "hops")),
                         std::move(names));
}

void DelegationGraphWindow::onNodeSelected(size_t node) {
    m_view->setHighlightedEdges(m_path);
    m_inspector->showNode(*m_graph, node);
}

void DelegationGraphWindow::onEdgeSelected(size_t edge) {
    m_view->setHighlightedEdges(m_path);
    m_inspector->showEdge(*m_graph, edge, now(), m_store.get());
    if (m_scope.kind == GraphScope::Kind::Zone && !m_graph->edges()[edge].events.empty())
        updateVerifierChain(m_graph->edges()[edge].events.back());
}

void DelegationGraphWindow::onLink(const QString& link) {
    const QString kind = link.section(':', 0, 0), value = link.section(':', 1);
    const size_t index = value.toULongLong();
    if (kind == "node") {
        m_view->selectNode(index);
    } else if (kind == "edge") {
        m_view->selectEdge(index);
    } else if (kind == "events" && index < m_graph->edges().size()) {
        emit filterRequested("\"" + qs(m_graph->edges()[index].id) + "\"");
    } else if ((kind == "late" || kind == "lateallowed") && index < m_graph->edges().size()) {
        // The events that used the edge after it ended (and, one click further, the allowed ones).
        if (auto late = m_graph->lateUse(index, *m_store))
            emit filterRequested("\"" + qs(m_graph->edges()[index].id) +
                                 "\" since:" + qs(formatUtcMicros(late->endedMicros + 1)) +
                                 (kind == "lateallowed" ? " decision:allow" : ""));
    } else if (kind == "impact" && index < m_graph->edges().size()) {
        std::vector<size_t> edges;
        for (const ImpactHop& h : m_graph->revocationImpact(index, now()).edges)
            edges.push_back(h.edge);
        m_view->setHighlightedEdges(edges);
        statusBar()->showMessage("Highlighted: what revoking " + qs(shortId(m_graph->edges()[index].id)) +
                                 " would cut off. Select anything else to return.");
    } else if (kind == "row" || kind == "code") {
        emit troubleshootingRequested(link);
    }
}

void DelegationGraphWindow::setFocusRows(const std::vector<RowId>& rows) {
    m_focusRows = rows;
    if (m_graph) {
        m_path = m_graph->edgesUsedBy(rows);
        m_view->setHighlightedEdges(m_path);
    }
    if (m_overview && m_whole) {
        auto marked = std::make_shared<GraphOverview>(*m_overview);
        markPath(*marked, *m_whole, m_whole->edgesUsedBy(rows));
        m_overview = marked;
        m_overviewPanel->view()->setOverview(m_overview);
    }
}

bool DelegationGraphWindow::find(const QString& text) {
    if (!m_whole || text.trimmed().isEmpty()) return false;
    const std::string needle = lowered(text.trimmed().toStdString());
    auto nodeMatches = [&](const GraphNode& n) {
        return containsFolded(n.sessionId, needle) || containsFolded(n.applicationId, needle) ||
               containsFolded(n.label, needle);
    };
    if (m_graph && showsDrawing()) {
        for (size_t i = 0; i < m_graph->nodes().size(); ++i)
            if (nodeMatches(m_graph->nodes()[i])) {
                m_view->centreOnNode(i);
                return true;
            }
        for (size_t i = 0; i < m_graph->edges().size(); ++i)
            if (containsFolded(m_graph->edges()[i].id, needle)) {
                m_view->selectEdge(i);
                return true;
            }
        if (m_graph == m_whole) return false;
    }
    // Not in the drawing: draw the Sessions around the first match in the whole graph, then centre it.
    std::optional<size_t> found;
    for (size_t i = 0; i < m_whole->nodes().size() && !found; ++i)
        if (nodeMatches(m_whole->nodes()[i])) found = i;
    for (size_t i = 0; i < m_whole->edges().size() && !found; ++i)
        if (containsFolded(m_whole->edges()[i].id, needle)) found = m_whole->edges()[i].source;
    if (!found) return false;
    m_centreOn = m_whole->nodes()[*found].sessionId;
    GraphSubset around;
    around.around = *found;
    drawPart(around);
    return true;
}

bool DelegationGraphWindow::loadCoordinatorFile(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + ": cannot read (" + file.errorString() + ")";
        return false;
    }
    const QByteArray bytes = file.readAll();
    auto merged = std::make_shared<DelegationGraph>(m_whole ? *m_whole : DelegationGraph());
    const MergeResult r =
        merged->mergeCoordinator({bytes.constData(), size_t(bytes.size())}, path.toStdString());
    if (r.error) {
        *error = QString::fromStdString(*r.error);
        return false;
    }
    merged->nameApplications(*m_store);
    m_partName.clear();
    present(std::move(merged));
    statusBar()->showMessage(QString("Merged %1 from %2 (%3)%4")
                                 .arg(countText(qlonglong(r.edges), "edge", "edges"), path, qs(r.shape),
                                      r.otherZone
                                          ? QString("; left out %1 of another zone (see Notes)")
                                                .arg(countText(qlonglong(r.otherZone), "edge", "edges"))
                                          : QString()),
                             8000);
    return true;
}

// A changed whole graph: shown at once when small, else overview or drawing from a job.
void DelegationGraphWindow::present(std::shared_ptr<const DelegationGraph> whole) {
    const Direction direction = m_vertical->isChecked() ? Direction::TopToBottom : Direction::LeftToRight;
    if (whole->nodes().size() <= kImmediateSessions) {
        GraphPresentation p;
        p.whole = std::move(whole);
        p.rows = m_rows;
        presentWhole(p, m_focusRows, m_view->font(), direction, now(), {});
        adopt(std::move(p));
        return;
    }
    const std::vector<RowId> focus = m_focusRows, rows = m_rows;
    const QFont font = m_view->font();
    const int64_t now = this->now();
    auto job = m_jobs.run<GraphPresentation>(
        "graph", m_store,
        [whole, rows, focus, font, direction, now](const EventStore*, JobControl& control) {
            GraphPresentation p;
            p.whole = whole;
            p.rows = rows;
            presentWhole(p, focus, font, direction, now, workOf(control));
            return p;
        },
        [this](GraphPresentation p) { adopt(std::move(p)); });
    startProgress("Laying the merged graph out…", std::move(job));
}

void DelegationGraphWindow::loadCoordinatorDialog() {
    const QStringList paths = QFileDialog::getOpenFileNames(this, "Load Coordinator delegation data", {},
                                                            "JSON (*.json);;All files (*)");
    for (const QString& path : paths) {
        QString error;
        if (!loadCoordinatorFile(path, &error))
            QMessageBox::warning(this, "Coordinator data not loaded", error);
    }
}

bool DelegationGraphWindow::exportTo(const QString& path, const QString& format, QString* error) const {
    if (!m_whole || m_whole->empty()) {
        *error = "There is no graph to export.";
        return false;
    }
    if (!m_graph || !showsDrawing()) {
        *error =
            "The overview is not exported: draw the graph or a part of it first (DOT exports what is drawn).";
        return false;
    }
    QByteArray bytes;
    // Exports are documents: the light palette, the request's path, no hover.
    GraphPaintState state = m_view->paintState();
    state.hoverEdge.reset();
    state.hoverNode.reset();
    const GraphPainter painter(*m_graph, GraphPalette::light(), m_view->font());
    if (format == "dot") {
        bytes = QByteArray::fromStdString(graphToDot(*m_graph, state.nowMicros, m_path));
    } else if (format == "svg") {
        bytes = painter.toSvg(m_view->graphScene(), state, m_scope.title());
    } else if (format == "png") {
        const QImage image = painter.toImage(m_view->graphScene(), state);
        if (!image.save(path, "PNG")) {
            *error = path + ": could not write the PNG (check the folder exists and is writable)";
            return false;
        }
        return true;
    } else {
        *error = "Unknown export format " + format;
        return false;
    }
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(bytes) != bytes.size()) {
        *error = path + ": cannot write (" + out.errorString() + ")";
        return false;
    }
    return true;
}

void DelegationGraphWindow::exportDialog(const QString& format) {
    const QString filter = format == "svg"   ? "SVG image (*.svg)"
                           : format == "png" ? "PNG image (*.png)"
                                             : "Graphviz DOT (*.dot *.gv)";
    QString path = QFileDialog::getSaveFileName(this, "Export the graph as " + format.toUpper(),
                                                "delegation-graph." + format, filter);
    if (path.isEmpty()) return;
    QString error;
    if (!exportTo(path, format, &error))
        QMessageBox::warning(this, "Export failed", error);
    else
        statusBar()->showMessage("Saved " + path, 5000);
}

} // namespace caracal::ui
