#pragma once
// File > Export view: the rows the table shows (after filter and sort), or the selected ones, written to a
// file as JSON lines (the events' own bytes), as the API's 46-field CSV, or as CSV of the visible columns.
// Secret metadata values are written as "[redacted]" unless the console shows secret values (the Request
// trace's "Show secret values"); the dialog says which. The writing runs on the session's JobTracker with a
// progress dialog and Cancel; it goes to a temporary file beside the target that is renamed only when
// complete, so a cancelled or failed export leaves no partial file.
#include "session/JobTracker.h"
#include "store/EventStore.h"

#include <QDialog>
#include <QPointer>
#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QProgressDialog;
class QPushButton;
class QRadioButton;

namespace caracal::ui {

class ExportViewDialog : public QDialog {
    Q_OBJECT
  public:
    struct Input {
        std::shared_ptr<const EventStore> store;
        std::vector<RowId> viewRows;     // in the table's order
        std::vector<RowId> selectedRows; // in the table's order
        QStringList columns;             // the table's visible columns
        bool rawValues = false;          // the console shows secret values
    };
    ExportViewDialog(Input input, JobTracker* jobs, QWidget* parent = nullptr);
    ~ExportViewDialog() override; // a running export is cancelled and leaves no file

    QRadioButton* jsonLinesButton() const { return m_jsonLines; }
    QRadioButton* csvFieldsButton() const { return m_csvFields; }
    QRadioButton* csvColumnsButton() const { return m_csvColumns; }
    QRadioButton* selectionButton() const { return m_selection; }
    QLineEdit* pathBox() const { return m_path; }
    QPushButton* exportButton() const { return m_export; }
    QLabel* redactionLabel() const { return m_redaction; }
    QProgressDialog* progressDialog() const { return m_progress; }
    // Starts writing; false (with the reason shown) when there is no path or nothing to write.
    bool startExport();

  signals:
    void exported(const QString& path, qulonglong rows);
    void failed(const QString& message);

  private:
    Input m_input;
    JobTracker* m_jobs;
    QRadioButton *m_jsonLines, *m_csvFields, *m_csvColumns, *m_all, *m_selection;
    QLineEdit* m_path;
    QLabel* m_redaction;
    QLabel* m_message;
    QPushButton* m_export;
    QPointer<QProgressDialog> m_progress;
    std::shared_ptr<JobControl> m_control;
};

} // namespace caracal::ui
