#pragma once
// Two events, or two requests event by event, side by side with the fields that differ highlighted: the
// quickest way to see why one call was allowed and its twin denied.
#include "store/EventStore.h"

#include <QDialog>

class QCheckBox;
class QLabel;
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
    // The fields that most likely explain the outcome (decision, status, reason, ...), in full.
    QLabel* keyDifferenceLabel() const { return m_keyDifference; }

  private:
    QTableWidget* m_table;
    QCheckBox* m_onlyDifferences;
    QLabel* m_keyDifference;
    int m_differences = 0;
};

} // namespace caracal::ui
