#pragma once
// Caracal's own DecisionTrace beside ours for one request: a verdict line, every difference (path, both
// values, the known cause) flagged in a table, and both documents side by side; choosing a difference shows
// it in both.
#include "trace/ExplainComparison.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace caracal::ui {

class ExplainCompareDialog : public QDialog {
    Q_OBJECT
  public:
    ExplainCompareDialog(const QString& requestId, const nlohmann::ordered_json& ours,
                         const nlohmann::ordered_json& caracals, QWidget* parent = nullptr);
    const std::vector<ExplainDifference>& differences() const { return m_differences; }
    QLabel* verdict() const { return m_verdict; }
    QTableWidget* table() const { return m_table; }
    QPlainTextEdit* oursText() const { return m_ours; }
    QPlainTextEdit* caracalsText() const { return m_caracals; }

  private:
    void showDifference(int row);

    std::vector<ExplainDifference> m_differences;
    QLabel* m_verdict;
    QTableWidget* m_table;
    QPlainTextEdit *m_ours, *m_caracals;
};

} // namespace caracal::ui
