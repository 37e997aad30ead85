#include "timeline/TimelineView.h"

#include "common/StatusPalette.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>

namespace caracal::ui {

namespace {

constexpr int kAxisHeight = 16, kLaneLabelWidth = 0, kMargin = 4;

QString number(qlonglong n) {
    return QLocale().toString(n);
}

QString utc(qint64 seconds) {
    return QString::fromStdString(formatUtcSeconds(seconds));
}

} // namespace

// Each decision class's fill: the status tones, with the step-up states as lighter shades of the outcome
// they lead to (or the neutral tone once consumed), so allow-like, deny-like and waiting read at a glance on
// either palette.
QColor TimelineView::classColor(DecisionClass c, const QPalette& palette) {
    const auto tone = [&](StatusTone t) { return QColor(statusColor(t, palette)); };
    switch (c) {
    case DecisionClass::Allow:
        return tone(StatusTone::Good);
    case DecisionClass::Deny:
        return tone(StatusTone::Bad);
    case DecisionClass::Pending:
        return tone(StatusTone::Warning);
    case DecisionClass::Approved:
        return tone(StatusTone::Good).lighter(135);
    case DecisionClass::Rejected:
        return tone(StatusTone::Bad).lighter(135);
    case DecisionClass::Consumed:
        return tone(StatusTone::Neutral);
    default:
        return tone(StatusTone::Muted);
    }
}

QSize TimelineView::sizeHint() const {
    const int lanes =
        m_timeline ? int(std::min<size_t>(6, std::max<size_t>(1, m_timeline->laneZones.size()))) : 1;
    return {600, lanes > 1 ? kAxisHeight + kMargin + 40 * lanes : 120};
}

QSize TimelineView::minimumSizeHint() const {
    const int lanes =
        m_timeline ? int(std::min<size_t>(4, std::max<size_t>(1, m_timeline->laneZones.size()))) : 1;
    return {200, lanes > 1 ? kAxisHeight + kMargin + 30 * lanes : 70};
}

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setToolTip({}); // tooltips come from event(), per bucket
}

void TimelineView::setTimeline(std::shared_ptr<const Timeline> timeline) {
    m_timeline = std::move(timeline);
    m_message.clear();
    updateGeometry(); // lanes may have come or gone
    update();
}

void TimelineView::setMessage(const QString& message) {
    m_timeline.reset();
    m_message = message;
    update();
}

QRect TimelineView::plotRect() const {
    return rect().adjusted(kMargin + kLaneLabelWidth, kMargin, -kMargin, -kAxisHeight);
}

std::optional<size_t> TimelineView::bucketAt(int x) const {
    if (!m_timeline || m_timeline->bucketCount == 0) return std::nullopt;
    const QRect plot = plotRect();
    if (x < plot.left() || x > plot.right()) return std::nullopt;
    const size_t b = size_t(double(x - plot.left()) * double(m_timeline->bucketCount) / double(plot.width()));
    return std::min(b, m_timeline->bucketCount - 1);
}

QRect TimelineView::barRect(size_t bucket) const {
    const QRect plot = plotRect();
    if (!m_timeline || m_timeline->bucketCount == 0) return {};
    const double w = double(plot.width()) / double(m_timeline->bucketCount);
    const int x0 = plot.left() + int(bucket * w), x1 = plot.left() + int((bucket + 1) * w);
    return QRect(x0, plot.top(), std::max(1, x1 - x0), plot.height());
}

double TimelineView::secondsPerPixel() const {
    if (!m_timeline || m_timeline->bucketCount == 0) return 0;
    return double(m_timeline->bucketCount * m_timeline->bucketSeconds) /
           double(std::max(1, plotRect().width()));
}

QString TimelineView::toolTipAt(const QPoint& pos) const {
    const auto b = bucketAt(pos.x());
    if (!b) return {};
    const Timeline& t = *m_timeline;
    const qint64 start = t.bucketStart(*b);
    QString text = QString("<b>%1</b> (UTC), %2 bucket<br>%3 local")
                       .arg(utc(start), QString::fromStdString(bucketSizeName(t.bucketSeconds)),
                            QLocale().toString(QDateTime::fromSecsSinceEpoch(start), QLocale::ShortFormat));
    uint32_t total = 0;
    for (size_t lane = 0; lane < t.laneZones.size(); ++lane)
        total += t.bucketTotal(lane, *b);
    text += QString("<br><b>%1 %2</b>").arg(number(total), total == 1 ? "event" : "events");
    for (int c = 0; c < kDecisionClassCount; ++c) {
        uint32_t n = 0;
        for (size_t lane = 0; lane < t.laneZones.size(); ++lane)
            n += t.classCount(lane, *b, DecisionClass(c));
        if (n)
            text += QString("<br><span style='color:%1'>&#9632;</span> %2: %3")
                        .arg(classColor(DecisionClass(c), palette()).name(),
                             QString::fromUtf8(decisionClassName(DecisionClass(c)).data()), number(n));
    }
    if (t.laneZones.size() > 1) {
        const QRect plot = plotRect();
        const int laneHeight = std::max(1, plot.height() / int(t.laneZones.size()));
        const size_t lane =
            size_t(std::clamp((pos.y() - plot.top()) / laneHeight, 0, int(t.laneZones.size()) - 1));
        text += QString("<br>zone %1: %2")
                    .arg(QString::fromStdString(t.laneZones[lane]).toHtmlEscaped(),
                         number(t.bucketTotal(lane, *b)));
    }
    if (total) text += "<br><i>Click to show these rows; drag to choose a range</i>";
    return text;
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect plot = plotRect();
    if (!m_timeline || m_timeline->bucketCount == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter,
                   m_message.isEmpty() ? QString("No events in this view") : m_message);
        return;
    }
    const Timeline& t = *m_timeline;
    const size_t lanes = std::max<size_t>(1, t.laneZones.size());
    const int laneHeight = plot.height() / int(lanes);
    // One scale for every lane, so lanes compare.
    uint32_t most = 1;
    for (size_t lane = 0; lane < t.laneZones.size(); ++lane)
        for (size_t b = 0; b < t.bucketCount; ++b)
            most = std::max(most, t.bucketTotal(lane, b));
    const double w = double(plot.width()) / double(t.bucketCount);
    QColor colors[kDecisionClassCount];
    for (int c = 0; c < kDecisionClassCount; ++c)
        colors[c] = classColor(DecisionClass(c), palette());
    for (size_t lane = 0; lane < t.laneZones.size(); ++lane) {
        const int bottom = plot.top() + int(lane + 1) * laneHeight - 1;
        const int usable = laneHeight - (lanes > 1 ? 12 : 2);
        for (size_t b = 0; b < t.bucketCount; ++b) {
            const int x0 = plot.left() + int(b * w);
            const int x1 = plot.left() + int((b + 1) * w);
            const int bw = std::max(1, x1 - x0 - (w >= 4 ? 1 : 0));
            int y = bottom;
            for (int c = 0; c < kDecisionClassCount; ++c) {
                const uint32_t n = t.classCount(lane, b, DecisionClass(c));
                if (!n) continue;
                const int h = std::max(1, int(double(n) * usable / most));
                p.fillRect(x0, y - h + 1, bw, h, colors[c]);
                y -= h;
            }
        }
        if (lanes > 1) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(plot.left() + 2, plot.top() + int(lane) * laneHeight, plot.width(), 12),
                       Qt::AlignLeft | Qt::AlignTop,
                       t.laneZones[lane].empty() ? QString("(no zone)")
                                                 : QString::fromStdString(t.laneZones[lane]));
            p.setPen(palette().color(QPalette::Mid));
            p.drawLine(plot.left(), bottom, plot.right(), bottom);
        }
    }
    // The axis: the first and last bucket's starts, and the bucket size.
    p.setPen(palette().color(QPalette::Text));
    const QRect axis(plot.left(), plot.bottom() + 1, plot.width(), kAxisHeight);
    p.drawText(axis, Qt::AlignLeft | Qt::AlignVCenter, utc(t.bucketStart(0)));
    p.drawText(axis, Qt::AlignRight | Qt::AlignVCenter,
               utc(t.bucketStart(t.bucketCount - 1) + t.bucketSeconds));
    p.drawText(axis, Qt::AlignHCenter | Qt::AlignVCenter,
               QString("%1 per bar, UTC").arg(QString::fromStdString(bucketSizeName(t.bucketSeconds))));
    if (m_drag == Drag::Brush && m_moved) {
        QColor brush = palette().color(QPalette::Highlight);
        brush.setAlpha(70);
        const int a = std::min(m_pressPos.x(), m_brushTo), z = std::max(m_pressPos.x(), m_brushTo);
        p.fillRect(QRect(QPoint(a, plot.top()), QPoint(z, plot.bottom())), brush);
    }
}

void TimelineView::mousePressEvent(QMouseEvent* e) {
    m_pressPos = e->position().toPoint();
    m_moved = false;
    if (e->button() == Qt::MiddleButton ||
        (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier))) {
        m_drag = Drag::Pan;
        m_panFrom = m_pressPos.x();
    } else if (e->button() == Qt::LeftButton) {
        m_drag = Drag::Brush;
        m_brushTo = m_pressPos.x();
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* e) {
    const QPoint pos = e->position().toPoint();
    if (m_drag == Drag::None) return;
    if ((pos - m_pressPos).manhattanLength() > 3) m_moved = true;
    if (m_drag == Drag::Brush) {
        m_brushTo = pos.x();
        update();
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* e) {
    const Drag drag = m_drag;
    m_drag = Drag::None;
    const QPoint pos = e->position().toPoint();
    if ((pos - m_pressPos).manhattanLength() > 3) m_moved = true;
    if (!m_timeline || m_timeline->bucketCount == 0) return;
    const Timeline& t = *m_timeline;
    if (drag == Drag::Pan) {
        // Dragging right shows earlier times, as a map moves under the hand.
        const qint64 seconds = qint64(double(m_panFrom - pos.x()) * secondsPerPixel());
        if (m_moved && seconds != 0) emit panRequested(seconds);
        return;
    }
    if (drag != Drag::Brush) return;
    update();
    if (!m_moved) { // a click: that bar's bucket, when it holds events
        const auto b = bucketAt(pos.x());
        if (!b) return;
        uint32_t total = 0;
        for (size_t lane = 0; lane < t.laneZones.size(); ++lane)
            total += t.bucketTotal(lane, *b);
        if (total) emit rangeSelected(t.bucketStart(*b), t.bucketStart(*b) + t.bucketSeconds);
        return;
    }
    const QRect plot = plotRect();
    const int a = std::clamp(std::min(m_pressPos.x(), pos.x()), plot.left(), plot.right());
    const int z = std::clamp(std::max(m_pressPos.x(), pos.x()), plot.left(), plot.right());
    const auto first = bucketAt(a), last = bucketAt(z);
    if (first && last) emit rangeSelected(t.bucketStart(*first), t.bucketStart(*last) + t.bucketSeconds);
}

void TimelineView::wheelEvent(QWheelEvent* e) {
    if (!m_timeline || m_timeline->bucketCount == 0 || e->angleDelta().y() == 0) return;
    const QRect plot = plotRect();
    const double x = std::clamp(e->position().x() - plot.left(), 0.0, double(plot.width()));
    const qint64 anchor = m_timeline->bucketStart(0) + qint64(x * secondsPerPixel());
    emit zoomRequested(e->angleDelta().y() > 0 ? 0.5 : 2.0, anchor);
    e->accept();
}

bool TimelineView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

} // namespace caracal::ui
