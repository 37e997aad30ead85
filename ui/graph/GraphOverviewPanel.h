#pragma once
// The first view of a graph too big to draw readably: why it is summarised, the overview by application, and
// how to drill in: click an application, or pick an application, a status and a time range and draw that
// part in full (the request in focus is always drawn with it).
#include "graph/GraphAggregation.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;

namespace caracal::ui {

class GraphOverviewView;

class GraphOverviewPanel : public QWidget {
    Q_OBJECT
  public:
    explicit GraphOverviewPanel(QWidget* parent = nullptr);

    void setOverview(std::shared_ptr<const GraphOverview> overview);
    // The part the drill controls describe now.
    GraphSubset chosenSubset() const;

    GraphOverviewView* view() const { return m_view; }
    QComboBox* applicationBox() const { return m_application; }
    QComboBox* statusBox() const { return m_status; }
    QComboBox* timeBox() const { return m_time; }
    QPushButton* drawButton() const { return m_draw; }
    QLabel* summaryLabel() const { return m_summary; }

  signals:
    void drillRequested(const caracal::GraphSubset& subset);

  private:
    std::shared_ptr<const GraphOverview> m_overview;
    QLabel* m_summary;
    QComboBox* m_application;
    QComboBox* m_status;
    QComboBox* m_time;
    QPushButton* m_draw;
    GraphOverviewView* m_view;
};

} // namespace caracal::ui
