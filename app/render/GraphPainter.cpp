#include "render/GraphPainter.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QSvgGenerator>
#include <cmath>

namespace caracal {

namespace {
constexpr qreal kPadX = 12, kPadY = 7, kMargin = 24, kArrow = 8, kRadius = 6;

bool flag(const std::vector<bool>& v, size_t i) {
    return i < v.size() && v[i];
}
} // namespace

GraphPalette GraphPalette::light() {
    return {QColor("#ffffff"), QColor("#f5f7fa"), QColor("#e8f0fe"), QColor("#9aa5b1"), QColor("#1f2933"),
            QColor("#5f6b7a"), QColor("#1a73e8"), QColor("#f9a825"), QColor("#2e7d32"), QColor("#b26a00"),
            QColor("#c62828"), QColor("#757575"), QColor("#546e7a")};
}

GraphPalette GraphPalette::dark() {
    return {QColor("#1e2227"), QColor("#2a2f36"), QColor("#263445"), QColor("#5c6773"), QColor("#e6e9ed"),
            QColor("#a0a9b4"), QColor("#64a8ff"), QColor("#ffca28"), QColor("#66bb6a"), QColor("#ffa726"),
            QColor("#ef5350"), QColor("#9e9e9e"), QColor("#90a4ae")};
}

QColor GraphPalette::forStatus(EdgeStatus status) const {
    switch (status) {
    case EdgeStatus::Active:
        return active;
    case EdgeStatus::Expiring:
        return expiring;
    case EdgeStatus::Revoked:
        return revoked;
    case EdgeStatus::Expired:
        return expired;
    case EdgeStatus::Unknown:
        break;
    }
    return unknown;
}

GraphPainter::GraphPainter(const DelegationGraph& graph, GraphPalette palette, QFont font)
    : m_graph(graph), m_palette(std::move(palette)), m_font(std::move(font)), m_bold(m_font),
      m_small(m_font) {
    m_bold.setBold(true);
    m_small.setPointSizeF(m_font.pointSizeF() > 0 ? m_font.pointSizeF() * 0.85 : 8);
}

QString GraphPainter::nodeTitle(size_t node) const {
    return QString::fromStdString(m_graph.nodes()[node].label);
}

QString GraphPainter::nodeSubtitle(size_t node) const {
    return QStringLiteral("Session ") + QString::fromStdString(shortId(m_graph.nodes()[node].sessionId));
}

QPainterPath routePath(const std::vector<LayoutPoint>& route, LayoutInput::Direction direction,
                       QPolygonF* head, qreal arrow) {
    const bool lr = direction == LayoutInput::Direction::LeftToRight;
    QPainterPath path;
    if (route.size() < 2) return path;
    path.moveTo(route[0].x, route[0].y);
    for (size_t i = 1; i < route.size(); ++i) {
        const QPointF a(route[i - 1].x, route[i - 1].y), b(route[i].x, route[i].y);
        const QPointF half = lr ? QPointF((b.x() - a.x()) / 2, 0) : QPointF(0, (b.y() - a.y()) / 2);
        QPointF end = b;
        if (i + 1 == route.size()) { // stop at the arrow's base
            const qreal sign = lr ? (b.x() >= a.x() ? 1 : -1) : (b.y() >= a.y() ? 1 : -1);
            end = lr ? QPointF(b.x() - sign * arrow, b.y()) : QPointF(b.x(), b.y() - sign * arrow);
            const QPointF side = lr ? QPointF(0, arrow / 2) : QPointF(arrow / 2, 0);
            if (head) *head << b << end + side << end - side;
        }
        path.cubicTo(a + half, end - half, end);
    }
    return path;
}

GraphScene GraphPainter::layout(const GraphLayout& layout, LayoutInput::Direction direction,
                                const GraphWork& work) const {
    const QFontMetricsF bold(m_bold), small(m_small);
    LayoutInput input;
    input.direction = direction;
    input.work = work.part(0.1, 0.9);
    GraphScene scene;
    for (size_t i = 0; i < m_graph.nodes().size(); ++i) {
        if (i % 2048 == 0 && work.cancelled()) {
            scene.layout.cancelled = true;
            return scene;
        }
        const qreal w =
            std::max(bold.horizontalAdvance(nodeTitle(i)), small.horizontalAdvance(nodeSubtitle(i)));
        input.nodes.push_back(
            {std::ceil(w + 2 * kPadX), std::ceil(bold.height() + small.height() + 2 * kPadY)});
    }
    work.report(0.1);
    for (const GraphEdge& e : m_graph.edges())
        input.edges.push_back({e.source, e.target});
    scene.layout = layout.layout(input);
    if (scene.layout.cancelled) return scene;
    for (size_t i = 0; i < input.nodes.size(); ++i)
        scene.nodeRects.emplace_back(scene.layout.topLeft[i].x, scene.layout.topLeft[i].y,
                                     input.nodes[i].width, input.nodes[i].height);
    for (size_t i = 0; i < scene.layout.routes.size(); ++i) {
        if (i % 2048 == 0 && work.cancelled()) {
            scene.layout.cancelled = true;
            return scene;
        }
        QPolygonF head;
        QPainterPath path = routePath(scene.layout.routes[i], direction, &head, kArrow);
        scene.edgeLabelAt.push_back(path.isEmpty() ? QPointF() : path.pointAtPercent(0.5));
        scene.edgePaths.push_back(std::move(path));
        scene.arrowHeads.push_back(std::move(head));
    }
    scene.bounds =
        QRectF(0, 0, scene.layout.width, scene.layout.height).adjusted(-kMargin, -kMargin, kMargin, kMargin);
    work.report(1);
    return scene;
}

void GraphPainter::paint(QPainter& p, const GraphScene& scene, const GraphPaintState& state,
                         const QRectF& exposed, GraphDetail detail) const {
    p.save();
    const bool full = detail == GraphDetail::Full;
    p.setRenderHint(QPainter::Antialiasing, full);
    const QFontMetricsF small(m_small);
    // Edges under nodes: a halo for the highlighted path and the selection, then the edge itself.
    for (size_t i = 0; i < scene.edgePaths.size(); ++i) {
        const QPainterPath& path = scene.edgePaths[i];
        if (path.isEmpty() ||
            (!exposed.isNull() && !path.controlPointRect().adjusted(-20, -20, 20, 20).intersects(exposed)))
            continue;
        const EdgeStatus status = m_graph.status(i, state.nowMicros);
        const bool onPath = flag(state.highlightedEdges, i);
        const bool selected = state.selectedEdge == i, hover = state.hoverEdge == i;
        if (!full) { // one cheap stroke: colour and dash still tell the status apart
            QPen pen(m_palette.forStatus(status), onPath || selected ? 3 : 0);
            if (status == EdgeStatus::Revoked || status == EdgeStatus::Expired) pen.setStyle(Qt::DashLine);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            continue;
        }
        if (onPath || selected || hover) {
            QColor halo = selected ? m_palette.selection : onPath ? m_palette.highlight : m_palette.mutedText;
            halo.setAlpha(selected ? 110 : 90);
            p.setPen(QPen(halo, onPath || selected ? 9 : 6, Qt::SolidLine, Qt::RoundCap));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
        const QColor colour = m_palette.forStatus(status);
        QPen pen(colour, onPath ? 2.6 : 1.6);
        if (status == EdgeStatus::Revoked || status == EdgeStatus::Expired) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawPolygon(scene.arrowHeads[i]);
        // The hop number in a small pill half way.
        const QString hop = QString::number(m_graph.edges()[i].hop);
        const QSizeF size(std::max<qreal>(small.horizontalAdvance(hop) + 8, small.height() + 2),
                          small.height() + 2);
        const QRectF pill(scene.edgeLabelAt[i] - QPointF(size.width() / 2, size.height() / 2), size);
        p.setBrush(m_palette.background);
        p.setPen(QPen(colour, 1));
        p.drawRoundedRect(pill, size.height() / 2, size.height() / 2);
        p.setFont(m_small);
        p.setPen(m_palette.text);
        p.drawText(pill, Qt::AlignCenter, hop);
    }
    const QFontMetricsF bold(m_bold);
    for (size_t i = 0; i < scene.nodeRects.size(); ++i) {
        const QRectF& r = scene.nodeRects[i];
        if (!exposed.isNull() && !r.adjusted(-6, -6, 6, 6).intersects(exposed)) continue;
        const bool root = m_graph.kind(i) == "root";
        const bool selected = state.selectedNode == i, onPath = flag(state.highlightedNodes, i);
        if (selected || onPath) {
            QColor halo = selected ? m_palette.selection : m_palette.highlight;
            halo.setAlpha(selected ? 120 : 100);
            p.setPen(Qt::NoPen);
            p.setBrush(halo);
            p.drawRoundedRect(r.adjusted(-4, -4, 4, 4), kRadius + 3, kRadius + 3);
        }
        p.setBrush(root ? m_palette.rootFill : m_palette.nodeFill);
        p.setPen(QPen(state.hoverNode == i ? m_palette.selection : m_palette.nodeBorder,
                      state.hoverNode == i ? 2 : 1));
        if (!full) {
            p.drawRect(r);
            continue;
        }
        p.drawRoundedRect(r, kRadius, kRadius);
        if (root) { // a bar on the flow's entry side marks where authority starts
            p.setPen(Qt::NoPen);
            p.setBrush(m_palette.selection);
            p.drawRoundedRect(QRectF(r.left(), r.top() + 4, 3, r.height() - 8), 1.5, 1.5);
        }
        p.setPen(m_palette.text);
        p.setFont(m_bold);
        p.drawText(QRectF(r.left() + kPadX, r.top() + kPadY, r.width() - 2 * kPadX, bold.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, nodeTitle(i));
        p.setPen(m_palette.mutedText);
        p.setFont(m_small);
        p.drawText(
            QRectF(r.left() + kPadX, r.top() + kPadY + bold.height(), r.width() - 2 * kPadX, small.height()),
            Qt::AlignLeft | Qt::AlignVCenter, nodeSubtitle(i));
    }
    p.restore();
}

QByteArray GraphPainter::toSvg(const GraphScene& scene, const GraphPaintState& state,
                               const QString& title) const {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setTitle(title);
    svg.setDescription(QStringLiteral("Delegation graph drawn by Caracal Trace Console"));
    svg.setSize(scene.bounds.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), scene.bounds.size()));
    QPainter p(&svg);
    p.fillRect(QRectF(QPointF(0, 0), scene.bounds.size()), m_palette.background);
    p.translate(-scene.bounds.topLeft());
    paint(p, scene, state);
    p.end();
    return buffer.data();
}

QImage GraphPainter::toImage(const GraphScene& scene, const GraphPaintState& state, qreal scale) const {
    QImage image((scene.bounds.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(m_palette.background);
    QPainter p(&image);
    p.scale(scale, scale);
    p.translate(-scene.bounds.topLeft());
    paint(p, scene, state);
    return image;
}

std::optional<size_t> nodeAt(const GraphScene& scene, const QPointF& point) {
    for (size_t i = scene.nodeRects.size(); i-- > 0;)
        if (scene.nodeRects[i].contains(point)) return i;
    return std::nullopt;
}

std::optional<size_t> edgeAt(const GraphScene& scene, const QPointF& point, qreal tolerance) {
    QPainterPathStroker stroker;
    stroker.setWidth(2 * tolerance);
    const QRectF probe(point - QPointF(tolerance, tolerance), QSizeF(2 * tolerance, 2 * tolerance));
    for (size_t i = 0; i < scene.edgePaths.size(); ++i) {
        const QPainterPath& path = scene.edgePaths[i];
        if (path.isEmpty() ||
            !path.controlPointRect().adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(point))
            continue;
        if (stroker.createStroke(path).intersects(probe) ||
            scene.arrowHeads[i].containsPoint(point, Qt::OddEvenFill))
            return i;
    }
    return std::nullopt;
}

} // namespace caracal
