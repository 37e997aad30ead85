#include "detail/TraceWaterfallView.h"

#include "common/Theme.h"
#include "present/EventPresentation.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <climits>
#include <cmath>

namespace caracal::ui {

namespace {
constexpr int kLaneHeight = 28;
constexpr int kAxisHeight = 20;
constexpr int kGapRowHeight = 20;
constexpr int kLabelWidth = 82;
constexpr int kFinalWidth = 92; // room after the axis for the final decision
constexpr int kMarkRadius = 6;
constexpr int kMargin = 6;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

TraceWaterfallView::TraceWaterfallView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setObjectName("traceWaterfall");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void TraceWaterfallView::setWaterfall(TraceWaterfall waterfall) {
    m_waterfall = std::move(waterfall);
    m_selected = m_hovered = -1;
    m_positionsWidth = -1;
    updateGeometry();
    update();
}

void TraceWaterfallView::clear() {
    setWaterfall({});
}

void TraceWaterfallView::setSelectedMark(int mark) {
    m_selected = mark >= 0 && size_t(mark) < m_waterfall.marks.size() ? mark : -1;
    update();
}

QString TraceWaterfallView::hoverText() const {
    return m_hovered >= 0 ? qs(m_waterfall.marks[size_t(m_hovered)].hoverText) : QString();
}

QSize TraceWaterfallView::sizeHint() const {
    const int lanes = std::max<int>(1, int(m_waterfall.lanes.size()));
    return {480, 2 * kMargin + kAxisHeight + lanes * kLaneHeight + kGapRowHeight};
}

QSize TraceWaterfallView::minimumSizeHint() const {
    return {260, sizeHint().height()};
}

QRect TraceWaterfallView::plotRect() const {
    const int left = kMargin + kLabelWidth + kMarkRadius;
    const int right = width() - kMargin - kFinalWidth - kMarkRadius;
    const int top = kMargin + kAxisHeight;
    return QRect(QPoint(left, top),
                 QPoint(std::max(left + 1, right), top + int(m_waterfall.lanes.size()) * kLaneHeight));
}

int TraceWaterfallView::laneTop(size_t lane) const {
    return plotRect().top() + int(lane) * kLaneHeight;
}

double TraceWaterfallView::xOf(int64_t micros) const {
    const QRect plot = plotRect();
    if (m_waterfall.durationMicros <= 0) return plot.left();
    return plot.left() + double(micros) / double(m_waterfall.durationMicros) * plot.width();
}

QPoint TraceWaterfallView::markPosition(int mark) const {
    if (mark < 0 || size_t(mark) >= m_waterfall.marks.size()) return {};
    if (m_positionsWidth != width()) layoutMarks();
    return m_positions[size_t(mark)];
}

void TraceWaterfallView::layoutMarks() const {
    // Events of one lane drawn at (nearly) the same place are staggered so each can be pointed at. Marks come
    // in time order, so a lane's crowd is the run of its marks since the first one near this place.
    static constexpr int kStagger[] = {0, -7, 7};
    std::vector<std::pair<int, int>> crowd(m_waterfall.lanes.size(), {INT_MIN / 2, 0}); // (first x, count)
    m_positions.clear();
    m_positions.reserve(m_waterfall.marks.size());
    for (const WaterfallMark& m : m_waterfall.marks) {
        const int x = int(std::lround(xOf(m.atMicros)));
        auto& [firstX, count] = crowd[m.lane];
        if (x - firstX < kMarkRadius)
            ++count;
        else {
            firstX = x;
            count = 0;
        }
        m_positions.emplace_back(x, laneTop(m.lane) + kLaneHeight / 2 + kStagger[count % 3]);
    }
    m_positionsWidth = width();
}

int TraceWaterfallView::markAt(const QPoint& pos) const {
    int best = -1;
    int bestDistance = (kMarkRadius + 3) * (kMarkRadius + 3);
    for (size_t i = 0; i < m_waterfall.marks.size(); ++i) {
        const QPoint d = markPosition(int(i)) - pos;
        const int distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) { // a later mark at the same place wins: it is drawn on top
            best = int(i);
            bestDistance = distance;
        }
    }
    return best;
}

void TraceWaterfallView::setHovered(int mark, const QPoint& globalPos) {
    if (mark == m_hovered) return;
    m_hovered = mark;
    if (mark >= 0)
        QToolTip::showText(globalPos, hoverText(), this);
    else
        QToolTip::hideText();
    update();
    emit markHovered(mark);
}

void TraceWaterfallView::mouseMoveEvent(QMouseEvent* event) {
    setHovered(markAt(event->position().toPoint()), event->globalPosition().toPoint());
}

void TraceWaterfallView::leaveEvent(QEvent*) {
    setHovered(-1, {});
}

void TraceWaterfallView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const int mark = markAt(event->position().toPoint());
    if (mark < 0) return;
    setSelectedMark(mark);
    emit eventClicked(m_waterfall.marks[size_t(mark)].row);
}

void TraceWaterfallView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const TraceWaterfall& w = m_waterfall;
    if (w.marks.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, "Select an event to see its request over time.");
        return;
    }
    const QRect plot = plotRect();
    const QColor muted = pal.color(QPalette::PlaceholderText);
    const QFontMetrics fm(font());

    // Lanes: alternating bands with the surface's name on the left.
    for (size_t lane = 0; lane < w.lanes.size(); ++lane) {
        const QRect band(kMargin, laneTop(lane), width() - 2 * kMargin, kLaneHeight);
        if (lane % 2) p.fillRect(band, pal.color(QPalette::AlternateBase));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(kMargin + 4, band.top(), kLabelWidth - 8, kLaneHeight),
                   Qt::AlignVCenter | Qt::AlignLeft, qs(w.laneName(lane)));
    }

    // The axis: start, end and a tick between, as offsets from the first event.
    p.setPen(muted);
    p.drawLine(plot.left(), plot.top() - 2, plot.right(), plot.top() - 2);
    const int ticks = w.durationMicros > 0 ? 4 : 0;
    for (int i = 0; i <= ticks; ++i) {
        const int64_t at = ticks ? w.durationMicros * i / ticks : 0;
        const int x = int(xOf(at));
        p.drawLine(x, plot.top() - 5, x, plot.top() - 2);
        const QString text = i == 0 ? QString("0") : "+" + qs(waterfallDuration(at));
        const int tw = fm.horizontalAdvance(text);
        const int tx = std::clamp(x - tw / 2, kMargin, width() - kMargin - tw);
        p.drawText(QPoint(tx, plot.top() - 7), text);
        p.setPen(QPen(muted, 1, Qt::DotLine));
        p.drawLine(x, plot.top(), x, plot.bottom());
        p.setPen(muted);
    }

    // Approval holds: a bar from issued to consumed (or to the end while undecided), a tick at the decision.
    for (const WaterfallSpan& s : w.spans) {
        const BadgeColors c = badgeColors(decisionTone(s.state), pal);
        const int top = laneTop(s.lane) + kLaneHeight / 2 - 5;
        const QRectF bar(QPointF(xOf(s.startMicros), top),
                         QPointF(std::max(xOf(s.endMicros), xOf(s.startMicros) + 2), top + 10));
        QColor fill = c.background;
        fill.setAlpha(s.open ? 90 : 150);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRoundedRect(bar, 3, 3);
        if (s.decidedMicros >= 0) {
            p.setPen(QPen(c.text, 2));
            const double x = xOf(s.decidedMicros);
            p.drawLine(QPointF(x, top - 3), QPointF(x, top + 13));
        }
    }

    // The flow from one event to the next, then the gaps between them labelled below the lanes.
    p.setPen(QPen(muted, 1));
    p.setBrush(Qt::NoBrush);
    for (size_t i = 0; i + 1 < w.marks.size(); ++i)
        p.drawLine(markPosition(int(i)), markPosition(int(i + 1)));
    const int gapY = plot.bottom() + 4;
    int lastLabelEnd = -1;
    for (const WaterfallGap& g : w.gaps) {
        const int x0 = int(xOf(g.fromMicros)), x1 = int(xOf(g.toMicros));
        p.setPen(muted);
        p.drawLine(x0, gapY, x1, gapY);
        p.drawLine(x0, gapY - 3, x0, gapY + 3);
        p.drawLine(x1, gapY - 3, x1, gapY + 3);
        const QString text = qs(g.label);
        const int tw = fm.horizontalAdvance(text);
        const int tx = (x0 + x1 - tw) / 2;
        if (tx > lastLabelEnd + 4) { // labels that would overlap are left to the marks' hover text
            p.drawText(QPoint(tx, gapY + fm.ascent() + 2), text);
            lastLabelEnd = tx + tw;
        }
    }

    // The events.
    for (size_t i = 0; i < w.marks.size(); ++i) {
        const WaterfallMark& m = w.marks[i];
        const BadgeColors c = badgeColors(decisionTone(m.decision), pal);
        const QPointF at = markPosition(int(i));
        p.setBrush(c.background);
        p.setPen(QPen(int(i) == m_hovered ? pal.color(QPalette::Highlight) : c.text, m.joined ? 1.0 : 1.5,
                      m.joined ? Qt::DashLine : Qt::SolidLine));
        p.drawEllipse(at, kMarkRadius, kMarkRadius);
        if (int(i) == m_selected) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(pal.color(QPalette::Highlight), 2));
            p.drawEllipse(at, kMarkRadius + 3, kMarkRadius + 3);
        }
    }

    // The final decision, after the end of the axis.
    const BadgeColors fc = badgeColors(decisionTone(w.finalDecision), pal);
    const QString finalText = qs(w.finalDecision);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetrics bfm(bold);
    const QRect badge(plot.right() + kMarkRadius + 10, plot.top() + (plot.height() - 20) / 2,
                      std::min(kFinalWidth - 14, bfm.horizontalAdvance(finalText) + 14), 20);
    p.setPen(Qt::NoPen);
    p.setBrush(fc.background);
    p.drawRoundedRect(badge, 4, 4);
    p.setPen(fc.text);
    p.drawText(badge, Qt::AlignCenter, bfm.elidedText(finalText, Qt::ElideRight, badge.width() - 6));
    p.setFont(font());
    p.setPen(muted);
    p.drawText(QPoint(badge.left(), badge.top() - 4), "final");
}

} // namespace caracal::ui
