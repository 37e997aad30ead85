#pragma once
// Statistics by field, as Wireshark's Statistics menu has them: pick a grouping (zone, event type, decision,
// application, resource, deny reason, policy, Session, label) and see each value's events, share, decisions
// and shape over time, for everything loaded or only the current view. A row (double-click or Enter) filters
// the main view; the table exports to CSV and copies as text. Counting runs on the session's job tracker.
#include "statistics/FieldStatistics.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QRadioButton;
class QTableView;

namespace caracal::ui {

class ConsoleSession;
class StatisticsModel;

class StatisticsWindow : public QWidget {
    Q_OBJECT
  public:
    explicit StatisticsWindow(ConsoleSession* session, QWidget* parent = nullptr);

    void setField(StatisticsField field);
    StatisticsField field() const;
    // Counts again (off the GUI thread) over what the scope names.
    void refresh();
    // The main view changed: counted again when the scope is the current view.
    void viewChanged();
    bool isComputing() const { return m_computing; }

    // The filter expression of a shown row (e.g. `resource:"resource://ledger"`).
    QString filterOfRow(int row) const;
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    void copyAsText() const;

    QComboBox* fieldBox() const { return m_field; }
    QRadioButton* allButton() const { return m_all; }
    QRadioButton* viewButton() const { return m_view; }
    QTableView* table() const { return m_table; }
    StatisticsModel* model() const { return m_model; }
    QLabel* summaryLabel() const { return m_summary; }

  signals:
    // Show these events in the main view. `narrow`: add the term to the current filter (the scope is the
    // current view) instead of replacing it.
    void filterRequested(const QString& filter, bool narrow);
    void computed();

  private:
    void activateRow(int row);
    void chooseExportFile();
    void showSummary();

    ConsoleSession* m_session;
    QComboBox* m_field;
    QRadioButton* m_all;
    QRadioButton* m_view;
    QTableView* m_table;
    StatisticsModel* m_model;
    QLabel* m_summary;
    QPushButton* m_export;
    QPushButton* m_copy;
    bool m_computing = false;
};

} // namespace caracal::ui
