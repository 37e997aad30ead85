#pragma once
// The Diagnostics overview in a dock: every loaded (or shown) event grouped by kind and code with counts,
// zones and time range. Selecting a group shows its events in the table: through the filter bar when the
// filter language can say which events they are, else as the group's rows with a note in the filter bar.
#include "trace/DiagnosticsOverview.h"

#include <QDockWidget>
#include <vector>

class QCheckBox;
class QTreeWidget;

namespace caracal::ui {

class DiagnosticsDock : public QDockWidget {
    Q_OBJECT
  public:
    explicit DiagnosticsDock(QWidget* parent = nullptr);
    void setOverview(std::vector<OverviewGroup> groups);
    QTreeWidget* tree() const { return m_tree; }
    QCheckBox* onlyShownBox() const { return m_onlyShown; }
    const std::vector<OverviewGroup>& groups() const { return m_groups; }

  signals:
    void rowsSelected(const std::vector<caracal::RowId>& rows, const QString& description);
    // The group has an exact filter (OverviewItem::filter): the window puts it in the filter bar.
    void filterSelected(const QString& expression, const QString& description);
    void scopeChanged(bool onlyShown);
    void overviewReady();

  private:
    QTreeWidget* m_tree;
    QCheckBox* m_onlyShown;
    std::vector<OverviewGroup> m_groups;
};

} // namespace caracal::ui
