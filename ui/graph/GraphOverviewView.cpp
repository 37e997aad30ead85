#include "graph/GraphOverviewView.h"

#include "common/TextFormat.h"
#include "common/Theme.h"
#include "graph/LayeredLayout.h"
#include "render/GraphPainter.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainterPathStroker>
#include <QWheelEvent>
#include <cmath>

namespace caracal::ui {

namespace {
constexpr qreal kPadX = 14, kPadY = 8, kArrow = 10, kMinZoom = 0.1, kMaxZoom = 4;

QString number(size_t n) {
    return QLocale().toString(qulonglong(n));
}
QString plural(size_t n, const char* one, const char* many) {
    return number(n) + " " + (n == 1 ? one : many);
}
// "1,204 edges" and, when any, "31 revoked, 4 expired": what a reader must not miss on a pair.
QString pairLabel(const StatusCounts& s) {
    QString text = plural(s.total(), "edge", "edges");
    QStringList inactive;
    if (s.of(EdgeStatus::Revoked)) inactive << number(s.of(EdgeStatus::Revoked)) + " revoked";
    if (s.of(EdgeStatus::Expired)) inactive << number(s.of(EdgeStatus::Expired)) + " expired";
    if (s.of(EdgeStatus::Expiring)) inactive << number(s.of(EdgeStatus::Expiring)) + " expiring";
    if (!inactive.isEmpty()) text += " (" + inactive.join(", ") + ")";
    return text;
}
} // namespace

GraphOverviewView::GraphOverviewView(QWidget* parent) : QGraphicsView(parent) {
    setScene(new QGraphicsScene(this));
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName("Delegation graph overview");
}

void GraphOverviewView::setOverview(std::shared_ptr<const GraphOverview> overview) {
    m_overview = std::move(overview);
    rebuild();
}

QRectF GraphOverviewView::applicationRect(size_t application) const {
    return application < m_boxes.size() ? m_boxes[application] : QRectF();
}

void GraphOverviewView::rebuild() {
    scene()->clear();
    m_boxes.clear();
    m_pairPaths.clear();
    if (!m_overview) return;
    const GraphPalette pal = isDark(palette()) ? GraphPalette::dark() : GraphPalette::light();
    QFont bold = font(), small = font();
    bold.setBold(true);
    small.setPointSizeF(font().pointSizeF() > 0 ? font().pointSizeF() * 0.85 : 8);
    const QFontMetricsF boldMetrics(bold), smallMetrics(small);

    // Box texts: the application, its Sessions and roots, and the edges that stay inside it.
    std::vector<QStringList> lines;
    LayoutInput input;
    input.layerGap = 150;
    input.nodeGap = 30;
    for (const ApplicationNode& app : m_overview->applications) {
        QStringList text{QString::fromStdString(app.label), plural(app.sessions, "Session", "Sessions") +
                                                                " \u00b7 " +
                                                                plural(app.roots, "root", "roots")};
        if (app.internal.total()) text << plural(app.internal.total(), "edge", "edges") + " within";
        qreal width = boldMetrics.horizontalAdvance(text[0]);
        for (int i = 1; i < text.size(); ++i)
            width = std::max(width, smallMetrics.horizontalAdvance(text[i]));
        input.nodes.push_back(
            {std::ceil(width + 2 * kPadX),
             std::ceil(boldMetrics.height() + (text.size() - 1) * smallMetrics.height() + 2 * kPadY)});
        lines.push_back(std::move(text));
    }
    for (const ApplicationEdge& e : m_overview->edges)
        input.edges.push_back({e.source, e.target});
    const LayoutResult layout = LayeredLayout().layout(input);

    for (size_t i = 0; i < m_overview->edges.size(); ++i) {
        const ApplicationEdge& e = m_overview->edges[i];
        QPolygonF head;
        const QPainterPath path = routePath(layout.routes[i], input.direction, &head, kArrow);
        m_pairPaths.push_back(path);
        if (path.isEmpty()) continue;
        const EdgeStatus status = e.statuses.dominant();
        const QColor colour = pal.forStatus(status);
        const qreal width = 1.2 + std::min(5.0, 1.5 * std::log10(double(e.statuses.total()) + 1));
        if (e.onPath) {
            QColor halo = pal.highlight;
            halo.setAlpha(110);
            scene()->addPath(path, QPen(halo, width + 8, Qt::SolidLine, Qt::RoundCap));
        }
        QPen pen(colour, width);
        if (status == EdgeStatus::Revoked || status == EdgeStatus::Expired) pen.setStyle(Qt::DashLine);
        scene()->addPath(path, pen);
        scene()->addPolygon(head, Qt::NoPen, colour);
        auto* label = scene()->addSimpleText(pairLabel(e.statuses), small);
        label->setBrush(pal.text);
        const QRectF r = label->boundingRect();
        const QPointF mid = path.pointAtPercent(0.5);
        label->setPos(mid - QPointF(r.width() / 2, r.height() / 2));
        QPainterPath pill;
        pill.addRoundedRect(r.adjusted(-5, -1, 5, 1).translated(label->pos()), r.height() / 2,
                            r.height() / 2);
        auto* pillItem = scene()->addPath(pill, QPen(colour, 1), pal.background);
        pillItem->setZValue(1);
        label->setZValue(2);
    }
    for (size_t i = 0; i < m_overview->applications.size(); ++i) {
        const ApplicationNode& app = m_overview->applications[i];
        const QRectF box(layout.topLeft[i].x, layout.topLeft[i].y, input.nodes[i].width,
                         input.nodes[i].height);
        m_boxes.push_back(box);
        if (app.onPath) {
            QPainterPath halo;
            halo.addRoundedRect(box.adjusted(-5, -5, 5, 5), 10, 10);
            QColor c = pal.highlight;
            c.setAlpha(110);
            scene()->addPath(halo, Qt::NoPen, c)->setZValue(3);
        }
        QPainterPath shape;
        shape.addRoundedRect(box, 7, 7);
        scene()
            ->addPath(shape, QPen(pal.nodeBorder, 1), app.roots ? pal.rootFill : pal.nodeFill)
            ->setZValue(4);
        qreal y = box.top() + kPadY;
        for (int l = 0; l < lines[i].size(); ++l) {
            auto* t = scene()->addSimpleText(lines[i][l], l == 0 ? bold : small);
            t->setBrush(l == 0 ? pal.text : pal.mutedText);
            t->setPos(box.left() + kPadX, y);
            t->setZValue(5);
            y += l == 0 ? boldMetrics.height() : smallMetrics.height();
        }
    }
    setBackgroundBrush(pal.background);
    scene()->setSceneRect(QRectF(0, 0, layout.width, layout.height).adjusted(-40, -40, 40, 40));
}

void GraphOverviewView::fit() {
    if (scene()->sceneRect().isEmpty()) return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    // Applications are few; if they still cannot be read fitted, the smallest readable scale from the
    // largest.
    if (transform().m11() > 1) setTransform(QTransform());
    if (transform().m11() < 0.5) {
        setTransform(QTransform::fromScale(0.5, 0.5));
        if (!m_boxes.empty()) centerOn(m_boxes.front().center());
    }
}

std::optional<size_t> GraphOverviewView::applicationAt(const QPointF& p) const {
    for (size_t i = 0; i < m_boxes.size(); ++i)
        if (m_boxes[i].contains(p)) return i;
    return std::nullopt;
}

std::optional<size_t> GraphOverviewView::pairAt(const QPointF& p) const {
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    for (size_t i = 0; i < m_pairPaths.size(); ++i)
        if (!m_pairPaths[i].isEmpty() && stroker.createStroke(m_pairPaths[i]).contains(p)) return i;
    return std::nullopt;
}

QString GraphOverviewView::describeApplication(size_t i) const {
    const ApplicationNode& app = m_overview->applications[i];
    QString text = QString("%1\nApplication %2\n%3, %4")
                       .arg(QString::fromStdString(app.label),
                            app.applicationId.empty() ? QString("not named by the chains")
                                                      : QString::fromStdString(app.applicationId),
                            plural(app.sessions, "Session", "Sessions"), plural(app.roots, "root", "roots"));
    if (app.internal.total())
        text += "\nWithin it: " + QString::fromStdString(app.internal.describe()) +
                (app.internal.total() == 1 ? " edge" : " edges");
    return text + "\nClick to draw its Sessions and their edges";
}

QString GraphOverviewView::describePair(size_t i) const {
    const ApplicationEdge& e = m_overview->edges[i];
    return QString("%1 -> %2\n%3: %4\nused by %5")
        .arg(QString::fromStdString(m_overview->applications[e.source].label),
             QString::fromStdString(m_overview->applications[e.target].label))
        .arg(countText(qlonglong(e.statuses.total()), "delegation edge", "delegation edges"),
             QString::fromStdString(e.statuses.describe()), eventCountText(qlonglong(e.events)));
}

void GraphOverviewView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_overview)
        if (auto app = applicationAt(mapToScene(event->position().toPoint()))) {
            emit applicationActivated(*app);
            event->accept();
            return;
        }
    QGraphicsView::mousePressEvent(event);
}

void GraphOverviewView::mouseMoveEvent(QMouseEvent* event) {
    QGraphicsView::mouseMoveEvent(event);
    if (!m_overview) return;
    const QPointF p = mapToScene(event->position().toPoint());
    const auto app = applicationAt(p);
    const auto pair = app ? std::nullopt : pairAt(p);
    const QString text = app ? describeApplication(*app) : pair ? describePair(*pair) : QString();
    if (text == m_hover) return;
    m_hover = text;
    setToolTip(text);
    viewport()->setCursor(app ? Qt::PointingHandCursor : Qt::OpenHandCursor);
    emit hoverChanged(text);
}

void GraphOverviewView::keyPressEvent(QKeyEvent* event) {
    const qreal zoom = transform().m11();
    switch (event->key()) {
    case Qt::Key_F:
        fit();
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        if (zoom * 1.25 <= kMaxZoom) scale(1.25, 1.25);
        return;
    case Qt::Key_Minus:
        if (zoom * 0.8 >= kMinZoom) scale(0.8, 0.8);
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void GraphOverviewView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ShiftModifier) return QGraphicsView::wheelEvent(event);
    const qreal factor = std::pow(1.0015, event->angleDelta().y());
    const qreal next = transform().m11() * factor;
    if (next >= kMinZoom && next <= kMaxZoom) scale(factor, factor);
    event->accept();
}

void GraphOverviewView::changeEvent(QEvent* event) {
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) rebuild();
}

} // namespace caracal::ui
