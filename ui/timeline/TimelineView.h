#pragma once
// Stacked bars of a computed Timeline, one row per lane (all zones, or one per zone). It only draws and
// reports gestures; the panel decides what to compute. Left drag selects a range, a click selects a bar's
// bucket, the wheel zooms around the cursor, Shift+drag or the middle button pans.
#include "timeline/TimelineBuckets.h"

#include <QColor>
#include <QPalette>
#include <QWidget>
#include <memory>
#include <optional>

namespace caracal::ui {

class TimelineView : public QWidget {
    Q_OBJECT
  public:
    explicit TimelineView(QWidget* parent = nullptr);

    void setTimeline(std::shared_ptr<const Timeline> timeline);
    const Timeline* timeline() const { return m_timeline.get(); }
    // Shown in place of bars (nothing loaded, a computation error).
    void setMessage(const QString& message);

    // The bucket under an x position, if any; the text a hover shows there.
    std::optional<size_t> bucketAt(int x) const;
    QString toolTipAt(const QPoint& pos) const;
    // Where bucket b's bar is drawn (its horizontal span), for tests and hit checks.
    QRect barRect(size_t bucket) const;

    // Taller with one row per zone: about 40 pixels a lane for the first six lanes.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The fill of a decision class on this palette (the status tones), for the bars and the panel's legend.
    static QColor classColor(DecisionClass c, const QPalette& palette);

  signals:
    // [startSeconds, endSeconds) since the epoch, aligned to buckets: a dragged range or a clicked bar.
    void rangeSelected(qint64 startSeconds, qint64 endSeconds);
    // Zoom by `factor` (< 1 narrows) keeping the instant `anchorSeconds` in place.
    void zoomRequested(double factor, qint64 anchorSeconds);
    // Moves the visible window by this many seconds (positive: later).
    void panRequested(qint64 seconds);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool event(QEvent* event) override;

  private:
    QRect plotRect() const;
    double secondsPerPixel() const;

    std::shared_ptr<const Timeline> m_timeline;
    QString m_message = "No events";
    enum class Drag { None, Brush, Pan } m_drag = Drag::None;
    QPoint m_pressPos;
    int m_brushTo = 0;
    int m_panFrom = 0;
    bool m_moved = false;
};

} // namespace caracal::ui
