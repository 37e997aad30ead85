// The window's part of the Statistics window: opening it, and a row filtering the main view through the
// filter bar (so the filter is visible, editable and kept in the filter history).
#include "filter/FilterBar.h"
#include "statistics/StatisticsWindow.h"
#include "window/MainWindow.h"

namespace caracal::ui {

StatisticsWindow* MainWindow::openStatistics() {
    if (!m_statistics) {
        m_statistics = new StatisticsWindow(m_session, this);
        connect(this, &MainWindow::viewApplied, m_statistics, &StatisticsWindow::viewChanged);
        connect(m_statistics, &StatisticsWindow::filterRequested, this,
                [this](const QString& filter, bool narrow) {
                    if (narrow)
                        m_filterBar->addTerm(filter); // the current view, narrowed to the row
                    else
                        m_filterBar->setViewOptions(filter, {},
                                                    {}); // counted over everything: so is the view
                    applyView();
                    raise();
                    activateWindow();
                });
        m_statistics->refresh();
    }
    m_statistics->show();
    m_statistics->raise();
    return m_statistics;
}

} // namespace caracal::ui
