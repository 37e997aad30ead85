#pragma once
// File > Admin events: a file of Caracal's admin-audit rows (a list page, its CSV, or an export of the
// admin_audit_events table) in a sortable, searchable table, with the selected row's payload. The file is
// read off the GUI thread.
#include "load/AdminAudit.h"

#include <QDialog>
#include <QFutureWatcher>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace caracal::ui {

class AdminEventsModel;

class AdminEventsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit AdminEventsDialog(QWidget* parent = nullptr);
    void openFile(const QString& path);

    AdminEventsModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    QLineEdit* searchBox() const { return m_search; }
    QPlainTextEdit* payloadView() const { return m_payload; }
    QString summaryText() const;

  signals:
    void fileRead(); // the table shows the file (or says why it cannot)

  private:
    void showPayload();

    AdminEventsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLineEdit* m_search;
    QLabel* m_summary;
    QPlainTextEdit* m_payload;
    QFutureWatcher<std::shared_ptr<const AdminAuditRead>>* m_watcher;
    QString m_file;
};

} // namespace caracal::ui
