#include "graph/DelegationGraphView.h"

#include "common/TextFormat.h"
#include "common/Theme.h"
#include "graph/GraphAggregation.h"
#include "graph/LayeredLayout.h"

#include <QElapsedTimer>
#include <QGraphicsItem>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>
#include <cmath>

namespace caracal::ui {

namespace {
// Below this zoom a 9-point label is no longer legible: Fit stops here and shows the part in focus.
constexpr qreal kReadableZoom = 0.5;
// Below this labels are smudges: boxes and edges only.
constexpr qreal kOutlineZoom = 0.3;
} // namespace

class GraphItem : public QGraphicsItem {
  public:
    explicit GraphItem(DelegationGraphView* view) : m_view(view) {
        setAcceptHoverEvents(true);
        setFlag(ItemUsesExtendedStyleOption);
    }
    QRectF boundingRect() const override { return m_view->m_scene.bounds; }
    void geometryWillChange() { prepareGeometryChange(); }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) override {
        if (!m_view->m_graph) return;
        const qreal lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform());
        m_view->painter().paint(*p, m_view->m_scene, m_view->m_state, option->exposedRect,
                                lod < kOutlineZoom ? GraphDetail::Outline : GraphDetail::Full);
    }

  protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* e) override { m_view->hoverAt(e->pos()); }
    void hoverMoveEvent(QGraphicsSceneHoverEvent* e) override { m_view->hoverAt(e->pos()); }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override { m_view->hoverAt(QPointF(-1e9, -1e9)); }
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override {
        if (e->button() != Qt::LeftButton ||
            (!nodeAt(m_view->m_scene, e->pos()) && !edgeAt(m_view->m_scene, e->pos()))) {
            e->ignore(); // empty space: let the view pan
            return;
        }
        m_view->clickAt(e->pos());
    }

  private:
    DelegationGraphView* m_view;
};

DelegationGraphView::DelegationGraphView(QWidget* parent) : QGraphicsView(parent) {
    setScene(new QGraphicsScene(this));
    scene()->setItemIndexMethod(QGraphicsScene::NoIndex); // one item
    m_item = new GraphItem(this);
    scene()->addItem(m_item);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName("Delegation graph");
}

DelegationGraphView::~DelegationGraphView() = default;

GraphPainter DelegationGraphView::painter() const {
    return GraphPainter(*m_graph, isDark(palette()) ? GraphPalette::dark() : GraphPalette::light(), font());
}

void DelegationGraphView::setGraph(std::shared_ptr<const DelegationGraph> graph, int64_t nowMicros) {
    m_graph = std::move(graph);
    m_state = GraphPaintState{};
    m_state.nowMicros = nowMicros;
    relayout();
}

void DelegationGraphView::setLaidOutGraph(std::shared_ptr<const DelegationGraph> graph, GraphScene scene,
                                          LayoutInput::Direction direction, int64_t nowMicros,
                                          double layoutMs) {
    m_graph = std::move(graph);
    m_state = GraphPaintState{};
    m_state.nowMicros = nowMicros;
    m_direction = direction;
    m_item->geometryWillChange();
    m_scene = std::move(scene);
    m_layoutMs = layoutMs;
    setTransform(QTransform());
    this->scene()->setSceneRect(m_scene.bounds);
    m_item->update();
}

void DelegationGraphView::setDirection(LayoutInput::Direction direction) {
    if (direction == m_direction) return;
    m_direction = direction;
    relayout();
    fitGraph();
}

void DelegationGraphView::relayout() {
    QElapsedTimer timer;
    timer.start();
    m_item->geometryWillChange();
    m_scene = m_graph ? painter().layout(LayeredLayout(), m_direction) : GraphScene{};
    m_layoutMs = timer.nsecsElapsed() / 1e6;
    scene()->setSceneRect(m_scene.bounds);
    m_item->update();
}

void DelegationGraphView::setHighlightedEdges(const std::vector<size_t>& edges) {
    if (!m_graph) return;
    m_state.highlightedEdges.assign(m_graph->edges().size(), false);
    m_state.highlightedNodes.assign(m_graph->nodes().size(), false);
    for (size_t e : edges) {
        if (e >= m_graph->edges().size()) continue;
        m_state.highlightedEdges[e] = true;
        m_state.highlightedNodes[m_graph->edges()[e].source] = true;
        m_state.highlightedNodes[m_graph->edges()[e].target] = true;
    }
    m_item->update();
}

void DelegationGraphView::selectNode(size_t node) {
    if (!m_graph || node >= m_graph->nodes().size()) return;
    m_state.selectedNode = node;
    m_state.selectedEdge.reset();
    m_item->update();
    ensureShown(m_scene.nodeRects[node]);
    emit nodeSelected(node);
}

void DelegationGraphView::selectEdge(size_t edge) {
    if (!m_graph || edge >= m_graph->edges().size()) return;
    m_state.selectedEdge = edge;
    m_state.selectedNode.reset();
    m_item->update();
    ensureShown(m_scene.edgePaths[edge].boundingRect());
    emit edgeSelected(edge);
}

void DelegationGraphView::centreOnNode(size_t node) {
    if (!m_graph || node >= m_graph->nodes().size()) return;
    if (zoom() < kReadableZoom) {
        setTransform(QTransform::fromScale(kReadableZoom, kReadableZoom));
        m_fitWhole = false;
    }
    selectNode(node);
    centreOnScenePoint(m_scene.nodeRects[node].center());
}

// QGraphicsView cannot scroll past its scene rect, so a box near the drawing's edge would stop short of the
// middle: the rect grows to leave half a view of room around the point.
void DelegationGraphView::centreOnScenePoint(const QPointF& point) {
    const QSizeF visible = mapToScene(viewport()->rect()).boundingRect().size();
    const QRectF room(point - QPointF(visible.width() / 2 + 2, visible.height() / 2 + 2),
                      visible + QSizeF(4, 4));
    if (!sceneRect().contains(room)) scene()->setSceneRect(sceneRect().united(room));
    centerOn(point);
}

void DelegationGraphView::clearGraphSelection() {
    m_state.selectedEdge.reset();
    m_state.selectedNode.reset();
    m_item->update();
    emit selectionCleared();
}

void DelegationGraphView::ensureShown(const QRectF& rect) {
    if (!mapToScene(viewport()->rect()).boundingRect().contains(rect)) ensureVisible(rect, 40, 40);
}

void DelegationGraphView::zoomBy(qreal factor) {
    const qreal next = zoom() * factor;
    if (next < 0.05 || next > 8) return; // beyond these nothing is readable or everything is one box
    scale(factor, factor);
}

// What to show when the whole does not fit readably: the selection, else the request's path, else the start
// of the drawing (where the first tree's root is).
QRectF DelegationGraphView::focusRect() const {
    if (m_state.selectedNode && *m_state.selectedNode < m_scene.nodeRects.size())
        return m_scene.nodeRects[*m_state.selectedNode];
    if (m_state.selectedEdge && *m_state.selectedEdge < m_scene.edgePaths.size())
        return m_scene.edgePaths[*m_state.selectedEdge].boundingRect();
    QRectF path;
    for (size_t n = 0; n < m_state.highlightedNodes.size() && n < m_scene.nodeRects.size(); ++n)
        if (m_state.highlightedNodes[n]) path = path.united(m_scene.nodeRects[n]);
    if (!path.isNull()) return path;
    const QSizeF visible = QSizeF(viewport()->size()) / kReadableZoom;
    return QRectF(m_scene.bounds.topLeft(), visible).intersected(m_scene.bounds);
}

void DelegationGraphView::fitGraph() {
    if (m_scene.bounds.isEmpty()) return;
    scene()->setSceneRect(m_scene.bounds);
    fitInView(m_scene.bounds, Qt::KeepAspectRatio);
    if (zoom() > 1.0) resetZoom(); // small graphs at their natural size, not blown up
    if (zoom() >= kReadableZoom) {
        m_fitWhole = true;
        emit fitted(true, {});
        return;
    }
    // Fitted whole it would be a smear: the smallest readable scale, on the part in focus.
    const int whole = std::max(1, int(std::floor(zoom() * 100)));
    setTransform(QTransform::fromScale(kReadableZoom, kReadableZoom));
    const QRectF focus = focusRect();
    centreOnScenePoint(focus.center());
    m_fitWhole = false;
    const QString what = m_state.selectedNode || m_state.selectedEdge ? "the selection"
                         : std::any_of(m_state.highlightedNodes.begin(), m_state.highlightedNodes.end(),
                                       [](bool b) { return b; })
                             ? "the request's path"
                             : "the first tree";
    emit fitted(false,
                QString("The whole drawing would fit only at %1%, too small to read: showing %2 at %3%. "
                        "Zoom out (-) to see more.")
                    .arg(whole)
                    .arg(what)
                    .arg(int(kReadableZoom * 100)));
}

void DelegationGraphView::resetZoom() {
    setTransform(QTransform());
    centerOn(m_scene.bounds.center());
}

void DelegationGraphView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ShiftModifier) return QGraphicsView::wheelEvent(event); // scroll
    const int delta = event->angleDelta().y();
    if (delta == 0) return;
    zoomBy(std::pow(1.0015, delta));
    event->accept();
}

void DelegationGraphView::keyPressEvent(QKeyEvent* event) {
    const bool lr = m_direction == LayoutInput::Direction::LeftToRight;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8);
        return;
    case Qt::Key_F:
        fitGraph();
        return;
    case Qt::Key_0:
        resetZoom();
        return;
    case Qt::Key_Escape:
        clearGraphSelection();
        return;
    case Qt::Key_Right:
        step(lr, true);
        return;
    case Qt::Key_Left:
        step(lr, false);
        return;
    case Qt::Key_Down:
        step(!lr, true);
        return;
    case Qt::Key_Up:
        step(!lr, false);
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void DelegationGraphView::changeEvent(QEvent* event) {
    QGraphicsView::changeEvent(event);
    // Colours do not move boxes; a new font does (small graphs only: a big one is laid out off the GUI
    // thread).
    if (event->type() == QEvent::PaletteChange) m_item->update();
    if (event->type() == QEvent::FontChange && m_graph && m_graph->nodes().size() <= kReadableSessions)
        relayout();
}

// Along the flow: from a Session to its first delegate (or an edge to its target), and back to the issuer.
// Across it: the neighbour in the same layer, or the next edge leaving the same Session.
void DelegationGraphView::step(bool alongFlow, bool forward) {
    if (!m_graph || m_graph->nodes().empty()) return;
    if (!m_state.selectedNode && !m_state.selectedEdge) return selectNode(0);
    if (m_state.selectedEdge) {
        const GraphEdge& e = m_graph->edges()[*m_state.selectedEdge];
        if (alongFlow) return selectNode(forward ? e.target : e.source);
        const auto siblings = m_graph->outgoing(e.source);
        auto it = std::find(siblings.begin(), siblings.end(), *m_state.selectedEdge);
        const ptrdiff_t i = (it - siblings.begin()) + (forward ? 1 : -1);
        if (i >= 0 && i < static_cast<ptrdiff_t>(siblings.size())) selectEdge(siblings[i]);
        return;
    }
    const size_t node = *m_state.selectedNode;
    if (alongFlow) {
        const auto edges = forward ? m_graph->outgoing(node) : m_graph->incoming(node);
        if (!edges.empty()) selectEdge(edges.front());
        return;
    }
    // The nearest node in the same layer on the chosen side.
    const bool lr = m_direction == LayoutInput::Direction::LeftToRight;
    const int layer = m_scene.layout.layer[node];
    auto across = [&](size_t n) {
        return lr ? m_scene.nodeRects[n].center().y() : m_scene.nodeRects[n].center().x();
    };
    std::optional<size_t> best;
    for (size_t n = 0; n < m_scene.nodeRects.size(); ++n) {
        if (n == node || m_scene.layout.layer[n] != layer) continue;
        const qreal d = across(n) - across(node);
        if ((forward ? d <= 0 : d >= 0)) continue;
        if (!best || std::abs(d) < std::abs(across(*best) - across(node))) best = n;
    }
    if (best) selectNode(*best);
}

void DelegationGraphView::hoverAt(const QPointF& pos) {
    if (!m_graph) return;
    const auto node = nodeAt(m_scene, pos);
    const auto edge = node ? std::nullopt : edgeAt(m_scene, pos);
    if (node == m_state.hoverNode && edge == m_state.hoverEdge) return;
    m_state.hoverNode = node;
    m_state.hoverEdge = edge;
    const QString text = node ? describeNode(*node) : edge ? describeEdge(*edge) : QString();
    m_item->setToolTip(text);
    viewport()->setCursor(node || edge ? Qt::PointingHandCursor : Qt::OpenHandCursor);
    m_item->update();
    emit hoverChanged(text);
}

void DelegationGraphView::clickAt(const QPointF& pos) {
    if (auto node = nodeAt(m_scene, pos))
        selectNode(*node);
    else if (auto edge = edgeAt(m_scene, pos))
        selectEdge(*edge);
}

QString DelegationGraphView::describeNode(size_t node) const {
    const GraphNode& n = m_graph->nodes()[node];
    return QString("%1 (%2)\nSession %3\nApplication %4")
        .arg(QString::fromStdString(n.label),
             QString::fromUtf8(m_graph->kind(node).data(), m_graph->kind(node).size()),
             QString::fromStdString(n.sessionId), QString::fromStdString(n.applicationId));
}

QString DelegationGraphView::describeEdge(size_t edge) const {
    const GraphEdge& e = m_graph->edges()[edge];
    const auto status = edgeStatusName(m_graph->status(edge, m_state.nowMicros));
    return QString("Delegation edge %1\nhop %2, %3\n%4 -> %5\nused by %6")
        .arg(QString::fromStdString(e.id))
        .arg(e.hop)
        .arg(QString::fromUtf8(status.data(), status.size()),
             QString::fromStdString(m_graph->nodes()[e.source].label),
             QString::fromStdString(m_graph->nodes()[e.target].label))
        .arg(eventCountText(qlonglong(e.events.size())));
}

} // namespace caracal::ui
