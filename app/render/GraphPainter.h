#pragma once
// One painting routine for a delegation graph, used for the screen, SVG and PNG alike: boxes measured with
// the font in use, laid out by a GraphLayout, edges coloured by status (revoked and expired dashed), the
// selected request's path drawn bold. Qt Gui only (no widgets), so the CLI can draw SVG without a display.
#include "graph/DelegationGraph.h"
#include "graph/GraphLayout.h"

#include <QColor>
#include <QFont>
#include <QImage>
#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <optional>
#include <vector>

class QPainter;

namespace caracal {

struct GraphPalette {
    QColor background, nodeFill, rootFill, nodeBorder, text, mutedText, selection, highlight;
    QColor active, expiring, revoked, expired, unknown;
    static GraphPalette light();
    static GraphPalette dark();
    QColor forStatus(EdgeStatus status) const;
};

struct GraphScene {
    std::vector<QRectF> nodeRects;
    std::vector<QPainterPath> edgePaths;
    std::vector<QPolygonF> arrowHeads;
    std::vector<QPointF> edgeLabelAt;
    QRectF bounds; // everything, with a margin
    LayoutResult layout;
};

// How much to draw. Far zoomed out, labels are unreadable smudges and thousands of them cost the GUI thread
// dearly: Outline draws boxes and edges only.
enum class GraphDetail { Full, Outline };

struct GraphPaintState {
    std::vector<bool> highlightedEdges, highlightedNodes; // the selected request's path
    std::optional<size_t> selectedNode, selectedEdge, hoverNode, hoverEdge;
    int64_t nowMicros = 0;
};

class GraphPainter {
  public:
    GraphPainter(const DelegationGraph& graph, GraphPalette palette, QFont font);
    // Measures every node, runs the layout and builds the edge shapes. Safe off the GUI thread; a cancelled
    // `work` returns a scene whose layout is marked cancelled.
    GraphScene layout(const GraphLayout& layout, LayoutInput::Direction direction,
                      const GraphWork& work = {}) const;
    // Paints what intersects `exposed` (everything when it is null).
    void paint(QPainter& painter, const GraphScene& scene, const GraphPaintState& state,
               const QRectF& exposed = QRectF(), GraphDetail detail = GraphDetail::Full) const;
    QByteArray toSvg(const GraphScene& scene, const GraphPaintState& state, const QString& title) const;
    QImage toImage(const GraphScene& scene, const GraphPaintState& state, qreal scale = 2.0) const;

  private:
    QString nodeTitle(size_t node) const;
    QString nodeSubtitle(size_t node) const;
    const DelegationGraph& m_graph;
    GraphPalette m_palette;
    QFont m_font, m_bold, m_small;
};

// An edge's shape along a layout route (flowing curves between its points), stopping at the base of its
// arrow head, which goes to `head`. Shared by every drawing of routes.
QPainterPath routePath(const std::vector<LayoutPoint>& route, LayoutInput::Direction direction,
                       QPolygonF* head, qreal arrow = 8);

// Hit tests in scene coordinates.
std::optional<size_t> nodeAt(const GraphScene& scene, const QPointF& point);
std::optional<size_t> edgeAt(const GraphScene& scene, const QPointF& point, qreal tolerance = 5);

} // namespace caracal
