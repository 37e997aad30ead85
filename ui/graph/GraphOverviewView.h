#pragma once
// The overview of a delegation graph too big to draw whole: its applications as boxes (Sessions, roots,
// edges within), one arrow per issuing -> receiving pair coloured by its most frequent status and labelled
// with its edge count and what is revoked or expired, the request in focus highlighted. Clicking an
// application asks to draw it in full; hovering names what is under the pointer; F fits, +/- zoom.
#include "graph/GraphAggregation.h"
#include "graph/GraphLayout.h"

#include <QGraphicsView>
#include <memory>

namespace caracal::ui {

class GraphOverviewView : public QGraphicsView {
    Q_OBJECT
  public:
    explicit GraphOverviewView(QWidget* parent = nullptr);

    void setOverview(std::shared_ptr<const GraphOverview> overview);
    const GraphOverview* overview() const { return m_overview.get(); }
    // Where an application's box is, in scene coordinates (empty when there is none).
    QRectF applicationRect(size_t application) const;
    void fit();

  signals:
    void applicationActivated(size_t application);
    void hoverChanged(const QString& text);

  protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void rebuild();
    std::optional<size_t> applicationAt(const QPointF& scenePoint) const;
    std::optional<size_t> pairAt(const QPointF& scenePoint) const;
    QString describeApplication(size_t application) const;
    QString describePair(size_t pair) const;

    std::shared_ptr<const GraphOverview> m_overview;
    std::vector<QRectF> m_boxes;           // per application
    std::vector<QPainterPath> m_pairPaths; // per application edge
    QString m_hover;
};

} // namespace caracal::ui
