#pragma once
// Two events, or two requests event by event, side by side with the fields that differ highlighted: the
// quickest way to see why one call was allowed and its twin denied.
#include "store/EventStore.h"

#include <QDialog>

class QCheckBox;
class QTableWidget;

namespace caracal::ui {

class CompareDialog : public QDialog {
    Q_OBJECT
  public:
    // Pairs of rows to compare (left, right); a request comparison pairs their events in time order.
    CompareDialog(const EventStore& store, const std::vector<std::pair<RowId, RowId>>& pairs,
                  QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }
    QCheckBox* onlyDifferencesBox() const { return m_onlyDifferences; }
    int differenceCount() const { return m_differences; }

  private:
    QTableWidget* m_table;
    QCheckBox* m_onlyDifferences;
    int m_differences = 0;
};

} // namespace caracal::ui
