#include "graph/DelegationGraphWindow.h"

#include "graph/DelegationGraphView.h"
#include "graph/GraphExport.h"
#include "graph/GraphInspector.h"
#include "graph/VerifierPanel.h"
#include "util/Timestamp.h"

#include <QAction>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QtConcurrent>

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

DelegationGraphWindow::DelegationGraphWindow(std::shared_ptr<const EventStore> store, GraphScope scope,
                                             QWidget* parent)
    : QMainWindow(parent), m_store(std::move(store)), m_scope(std::move(scope)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_scope.title() + QString::fromUtf8(" \u2014 Caracal Trace Console"));
    resize(1280, 800);

    m_view = new DelegationGraphView;
    m_placeholder = new QLabel("Building the graph\u2026");
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_view);
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
    bar->addAction("Fit", QKeySequence("F"), m_view, &DelegationGraphView::fitGraph)
        ->setToolTip("Fit the graph (F)");
    bar->addAction("Zoom in", QKeySequence::ZoomIn, m_view, [this] { m_view->zoomBy(1.25); });
    bar->addAction("Zoom out", QKeySequence::ZoomOut, m_view, [this] { m_view->zoomBy(0.8); });
    bar->addAction("Actual size", QKeySequence("Ctrl+0"), m_view, &DelegationGraphView::resetZoom);
    QAction* vertical = bar->addAction("Top to bottom");
    vertical->setCheckable(true);
    vertical->setToolTip("Lay the hops out downwards instead of to the right");
    connect(vertical, &QAction::toggled, this, [this](bool on) {
        m_view->setDirection(on ? LayoutInput::Direction::TopToBottom : LayoutInput::Direction::LeftToRight);
    });
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

    auto* legend = new QLabel(
        "<span style='color:#2e7d32'>&#9632;</span> active &nbsp; <span style='color:#b26a00'>&#9632;</span> "
        "expiring &nbsp; <span style='color:#c62828'>&#9632;</span> revoked (dashed) &nbsp; "
        "<span style='color:#757575'>&#9632;</span> expired (dashed) &nbsp; <span "
        "style='color:#546e7a'>&#9632;</span> "
        "unknown (audit only) &nbsp; <span style='color:#f9a825'>&#9644;</span> the request's path");
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
    connect(m_inspector, &GraphInspector::linkActivated, this, &DelegationGraphWindow::onLink);
    connect(m_verifier, &VerifierPanel::troubleshootingRequested, this,
            &DelegationGraphWindow::troubleshootingRequested);

    // Reading every chain of a big zone parses many events: off the GUI thread.
    connect(&m_watcher, &QFutureWatcher<GraphBuild>::finished, this, [this] {
        GraphBuild built = m_watcher.result();
        m_rows = std::move(built.rows);
        showGraph(std::move(built.graph));
        emit ready();
    });
    m_watcher.setFuture(QtConcurrent::run([store = m_store, scope = m_scope] {
        GraphBuild b;
        if (scope.kind == GraphScope::Kind::Event)
            b.rows = {scope.row};
        else if (scope.kind == GraphScope::Kind::Request)
            b.rows = graphRowsForRequest(*store, scope.requestId, scope.zone);
        else
            b.rows = graphRowsForZone(*store, scope.zone);
        b.graph = std::make_shared<DelegationGraph>(DelegationGraph::fromEvents(*store, b.rows));
        if (b.graph->zone().empty() && !scope.zone.empty()) b.graph->setZone(scope.zone);
        return b;
    }));
}

DelegationGraphWindow::~DelegationGraphWindow() {
    m_watcher.waitForFinished();
}

int64_t DelegationGraphWindow::now() const {
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

void DelegationGraphWindow::showGraph(std::shared_ptr<DelegationGraph> graph) {
    m_graph = std::move(graph);
    if (m_graph->empty()) {
        m_placeholder->setText(
            "No delegation chain in this scope: none of its events carries "
            "metadata_json.delegation_chain.\nLoad Coordinator data to draw its edges instead.");
        m_stack->setCurrentWidget(m_placeholder);
    } else {
        m_view->setGraph(m_graph, now());
        m_stack->setCurrentWidget(m_view);
        m_view->fitGraph();
    }
    m_path = m_scope.kind == GraphScope::Kind::Zone ? std::vector<size_t>{} : m_graph->edgesUsedBy(m_rows);
    m_view->setHighlightedEdges(m_path);
    m_inspector->showOverview(*m_graph, m_scope.title());
    const size_t sessions = m_graph->nodes().size(), edges = m_graph->edges().size();
    m_counts->setText(QString("%1 Session%2 \u00b7 %3 edge%4 \u00b7 layout %5 ms")
                          .arg(sessions)
                          .arg(sessions == 1 ? "" : "s")
                          .arg(edges)
                          .arg(edges == 1 ? "" : "s")
                          .arg(m_view->lastLayoutMs(), 0, 'f', 1));
    m_counts->setMinimumWidth(m_counts->sizeHint().width()); // a status message must not squeeze it
    // The chain in focus for the verifier: the scope's latest event that carries one.
    std::optional<RowId> latest;
    for (size_t e : m_path)
        for (RowId r : m_graph->edges()[e].events)
            if (!latest || m_store->record(r).occurredAt >= m_store->record(*latest).occurredAt) latest = r;
    updateVerifierChain(latest);
}

void DelegationGraphWindow::updateVerifierChain(std::optional<RowId> row) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const GraphNode& n : m_graph->nodes())
        names.emplace_back(n.label, n.applicationId);
    if (!row) {
        m_verifier->setChain(std::nullopt, "No chain in focus.", std::move(names));
        return;
    }
    ChainClaims claims = claimsFromEvent(m_store->event(*row));
    addEdgeEnds(claims, *m_graph, *m_store); // used after it was revoked or expired: a finding
    m_verifier->setChain(claims,
                         QString("Chain of event %1 (request %2): %3 hop(s).")
                             .arg(qs(m_store->eventId(*row)), qs(m_store->field(*row, Field::RequestId)))
                             .arg(claims.hopCount),
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
    if (!m_graph) return;
    m_path = m_graph->edgesUsedBy(rows);
    m_view->setHighlightedEdges(m_path);
}

bool DelegationGraphWindow::find(const QString& text) {
    if (!m_graph || text.trimmed().isEmpty()) return false;
    const QString needle = text.trimmed();
    auto has = [&](const std::string& s) { return qs(s).contains(needle, Qt::CaseInsensitive); };
    for (size_t i = 0; i < m_graph->nodes().size(); ++i) {
        const GraphNode& n = m_graph->nodes()[i];
        if (has(n.sessionId) || has(n.applicationId) || has(n.label)) {
            m_view->selectNode(i);
            return true;
        }
    }
    for (size_t i = 0; i < m_graph->edges().size(); ++i)
        if (has(m_graph->edges()[i].id)) {
            m_view->selectEdge(i);
            return true;
        }
    return false;
}

bool DelegationGraphWindow::loadCoordinatorFile(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + ": cannot read (" + file.errorString() + ")";
        return false;
    }
    const QByteArray bytes = file.readAll();
    auto merged = std::make_shared<DelegationGraph>(m_graph ? *m_graph : DelegationGraph());
    const MergeResult r =
        merged->mergeCoordinator({bytes.constData(), size_t(bytes.size())}, path.toStdString());
    if (r.error) {
        *error = QString::fromStdString(*r.error);
        return false;
    }
    merged->nameApplications(*m_store);
    showGraph(std::move(merged));
    statusBar()->showMessage(
        QString("Merged %1 edge(s) from %2 (%3)%4")
            .arg(r.edges)
            .arg(path, qs(r.shape),
                 r.otherZone ? QString("; left out %1 edge(s) of another zone (see Notes)").arg(r.otherZone)
                             : QString()),
        8000);
    return true;
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
    if (!m_graph || m_graph->empty()) {
        *error = "There is no graph to export.";
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
