#pragma once
// Connect to a Caracal deployment: the API URL (or the audit service's), the zones, where the admin token
// comes from (a file or a variable; the token itself is never shown or saved), an optional CA file, timeouts
// and the page cap. "Test connection" says what works: reachable, token accepted, zone readable. Connections
// are saved by name without any secret.
#include "ledger/LedgerConnection.h"
#include "remote/RemoteConnection.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace caracal::ui {

class ConnectionDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ConnectionDialog(QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    RemoteConnection connection() const;
    void setConnection(const RemoteConnection& c, bool auditService = false);
    bool auditService() const;
    // The third kind: Caracal's PostgreSQL ledger, read directly (a libpq connection string, no password).
    bool ledger() const;
    LedgerOptions ledgerOptions() const;
    size_t ledgerRowCap() const;
    // Problems that stop a connection (bad URL, plain http, no token source, no zone), or empty.
    QString problem() const;
    void testConnection();
    QString testResult() const;
    void saveConnection() const;

    QLineEdit* urlEdit() const { return m_url; }
    QLineEdit* auditUrlEdit() const { return m_auditUrl; }
    QLineEdit* zonesEdit() const { return m_zones; }
    QLineEdit* tokenFileEdit() const { return m_tokenFile; }
    QPushButton* testButton() const { return m_test; }
    QRadioButton* ledgerButton() const { return m_ledger; }
    QLineEdit* conninfoEdit() const { return m_conninfo; }
    QLineEdit* nameEdit() const { return m_name; }

  signals:
    void tested();

  private:
    void loadSaved(const QString& name);

    QComboBox* m_saved;
    QLineEdit *m_name, *m_url, *m_auditUrl, *m_zones, *m_tokenFile, *m_tokenEnv, *m_caFile, *m_conninfo;
    QRadioButton *m_api, *m_audit, *m_ledger, *m_fromFile, *m_fromEnv;
    QSpinBox* m_rowCap;
    QCheckBox* m_allowHttp;
    QSpinBox *m_pageCap, *m_connectTimeout, *m_transferTimeout, *m_followInterval;
    QPushButton* m_test;
    QLabel* m_result;
    QFutureWatcher<QString> m_watcher;
};

} // namespace caracal::ui
