#pragma once
// Paints a request's TraceWaterfall (computed by the engine): lanes per surface on a shared time axis, a mark
// per event, the approval holds as spans, the gaps between events labelled, the final decision at the end.
// Hovering a mark tells its event; clicking one selects it (the trace view and the table follow).
#include "trace/TraceWaterfall.h"

#include <QPoint>
#include <QWidget>
#include <vector>

namespace caracal::ui {

class TraceWaterfallView : public QWidget {
    Q_OBJECT
  public:
    explicit TraceWaterfallView(QWidget* parent = nullptr);
    void setWaterfall(TraceWaterfall waterfall);
    void clear();
    const TraceWaterfall& waterfall() const { return m_waterfall; }
    // Selects a mark without telling anyone (the selection came from elsewhere); -1 selects none.
    void setSelectedMark(int mark);
    int selectedMark() const { return m_selected; }
    int hoveredMark() const { return m_hovered; }
    // What the pointer is told about the hovered mark ("" over nothing).
    QString hoverText() const;
    // Where a mark is drawn, in widget coordinates (tests click there).
    QPoint markPosition(int mark) const;
    int markAt(const QPoint& pos) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  signals:
    void markHovered(int mark); // -1 when the pointer leaves every mark
    void eventClicked(caracal::RowId row);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    int laneTop(size_t lane) const;
    double xOf(int64_t micros) const;
    QRect plotRect() const;
    void setHovered(int mark, const QPoint& globalPos);
    void layoutMarks() const;

    TraceWaterfall m_waterfall;
    int m_selected = -1;
    int m_hovered = -1;
    // Where each mark is drawn, for the width they were placed at (painting and hit tests read it).
    mutable std::vector<QPoint> m_positions;
    mutable int m_positionsWidth = -1;
};

} // namespace caracal::ui
