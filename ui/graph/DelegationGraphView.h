#pragma once
// The delegation graph on screen: a QGraphicsView holding one item that paints with GraphPainter (the same
// routine the SVG and PNG exports use). Wheel or +/- zoom around the cursor, drag pans, F fits; arrow keys
// walk the graph (along the flow to a delegate or back to the issuer, across it to a neighbour); clicking
// selects a Session or an edge; hovering names it. Fit never goes below a readable scale: when the whole does
// not fit readably, it shows the part around the selection (or the request's path, or the first root) and
// says so. Zoomed far out, boxes and edges are drawn without labels so thousands stay cheap to paint.
#include "graph/DelegationGraph.h"
#include "render/GraphPainter.h"

#include <QGraphicsView>
#include <memory>
#include <optional>

namespace caracal::ui {

class GraphItem;

class DelegationGraphView : public QGraphicsView {
    Q_OBJECT
  public:
    explicit DelegationGraphView(QWidget* parent = nullptr);
    ~DelegationGraphView() override;

    // Lays the graph out here, on the calling thread (small graphs, the benchmark).
    void setGraph(std::shared_ptr<const DelegationGraph> graph, int64_t nowMicros);
    // Shows a graph already laid out (off the GUI thread) with `scene`, drawn in `direction`.
    void setLaidOutGraph(std::shared_ptr<const DelegationGraph> graph, GraphScene scene,
                         LayoutInput::Direction direction, int64_t nowMicros, double layoutMs);
    void setDirection(LayoutInput::Direction direction);
    LayoutInput::Direction direction() const { return m_direction; }
    void setHighlightedEdges(const std::vector<size_t>& edges); // the selected request's path
    const DelegationGraph* graph() const { return m_graph.get(); }
    const GraphScene& graphScene() const { return m_scene; }
    const GraphPaintState& paintState() const { return m_state; }
    GraphPainter painter() const;

    void selectNode(size_t node);
    // Selects the Session and scrolls so that its box sits at the middle of the view.
    void centreOnNode(size_t node);
    void selectEdge(size_t edge);
    void clearGraphSelection();
    std::optional<size_t> selectedNode() const { return m_state.selectedNode; }
    std::optional<size_t> selectedEdge() const { return m_state.selectedEdge; }

    void zoomBy(qreal factor);
    // Fits the whole drawing, or at the smallest readable scale the part in focus (see fitted()).
    void fitGraph();
    bool fitShowsWhole() const { return m_fitWhole; }
    void resetZoom();
    qreal zoom() const { return transform().m11(); }
    double lastLayoutMs() const { return m_layoutMs; }

  signals:
    void nodeSelected(size_t node);
    void edgeSelected(size_t edge);
    void selectionCleared();
    void hoverChanged(const QString& text);
    // After every fit: whether the whole drawing is in view, and if not, what is shown instead.
    void fitted(bool whole, const QString& message);

  protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    friend class GraphItem;
    void relayout();
    void hoverAt(const QPointF& scenePos);
    void clickAt(const QPointF& scenePos);
    void step(bool alongFlow, bool forward);
    void ensureShown(const QRectF& rect);
    void centreOnScenePoint(const QPointF& point);
    QRectF focusRect() const;
    QString describeNode(size_t node) const;
    QString describeEdge(size_t edge) const;

    std::shared_ptr<const DelegationGraph> m_graph;
    GraphScene m_scene;
    GraphPaintState m_state;
    LayoutInput::Direction m_direction = LayoutInput::Direction::LeftToRight;
    GraphItem* m_item = nullptr;
    double m_layoutMs = 0;
    bool m_fitWhole = true;
};

} // namespace caracal::ui
