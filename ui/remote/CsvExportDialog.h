#pragma once
// Download a CSV export from the deployment: the API's format=csv with the chosen fields (all 46, Caracal's
// core eight, or any choice), a row limit (CSV has no cursor: at most 1000), and the filter bar's server
// part. The file is saved exactly as the server sent it; the token is read for the download only.
#include "remote/AuditListing.h"

#include <QDialog>
#include <QFutureWatcher>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace caracal::ui {

class CsvExportDialog : public QDialog {
    Q_OBJECT
  public:
    CsvExportDialog(const RemoteConnection& connection, const ServerFilter& filter,
                    QWidget* parent = nullptr);
    ~CsvExportDialog() override;

    void chooseFields(const QStringList& fields); // checks exactly these
    QStringList chosenFields() const;
    void download(); // to the path in the path box, overwriting
    QString result() const;

    QComboBox* zoneBox() const { return m_zone; }
    QSpinBox* limitBox() const { return m_limit; }
    QLineEdit* pathEdit() const { return m_path; }
    QPushButton* downloadButton() const { return m_download; }
    QPushButton* coreButton() const { return m_core; }

  signals:
    void downloaded(bool ok);

  private:
    void finish();

    RemoteConnection m_connection;
    ServerFilter m_filter;
    QComboBox* m_zone;
    QListWidget* m_fields;
    QSpinBox* m_limit;
    QLineEdit* m_path;
    QPushButton *m_download, *m_core;
    QLabel* m_result;
    bool m_pathEdited = false;
    QFutureWatcher<CsvDownload> m_watcher;
    QString m_target;
};

} // namespace caracal::ui
