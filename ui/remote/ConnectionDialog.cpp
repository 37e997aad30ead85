#include "remote/ConnectionDialog.h"

#include "common/StatusPalette.h"
#include "ledger/LedgerProbe.h"
#include "remote/AuditListing.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString mark(bool ok) {
    return ok ? statusSpan(StatusTone::Good, "&#10003;", true)
              : statusSpan(StatusTone::Bad, "&#10007;", true);
}
} // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle("Connect to a Caracal deployment");
    m_saved = new QComboBox;
    m_saved->addItem("(new connection)");
    QSettings s;
    s.beginGroup("connections");
    m_saved->addItems(s.childGroups());
    s.endGroup();
    m_name = new QLineEdit;
    m_name->setPlaceholderText("e.g. production");
    m_url = new QLineEdit;
    m_url->setPlaceholderText("https://caracal.example.com (the API's root, without /v1)");
    m_auditUrl = new QLineEdit;
    m_auditUrl->setPlaceholderText(
        "optional: https://audit.example.com:9090 (the only source of chain fields)");
    m_api = new QRadioButton("the Caracal API (/v1/zones/:zone/audit)");
    m_audit = new QRadioButton("the audit service (/api/audit/search, with chain fields)");
    connect(m_auditUrl, &QLineEdit::textEdited, this, [this](const QString& t) {
        if (t.trimmed().isEmpty()) m_api->setChecked(true);
    });
    m_ledger = new QRadioButton("the Caracal ledger (PostgreSQL), read-only");
    m_conninfo = new QLineEdit;
    m_conninfo->setPlaceholderText("host=db.example.com dbname=caracal user=caracal_reader (no password: "
                                   "~/.pgpass or PGPASSFILE)");
    connect(m_conninfo, &QLineEdit::textEdited, this, [this] { m_ledger->setChecked(true); });
    m_rowCap = new QSpinBox;
    m_rowCap->setRange(1000, 50000000);
    m_rowCap->setSingleStep(100000);
    m_rowCap->setValue(1000000);
    m_rowCap->setSuffix(" rows");
    m_api->setChecked(true);
    auto* kind = new QButtonGroup(this);
    kind->addButton(m_api);
    kind->addButton(m_audit);
    kind->addButton(m_ledger);
    m_zones = new QLineEdit;
    m_zones->setPlaceholderText("zone ids, comma-separated");
    m_fromFile = new QRadioButton("File:");
    m_fromEnv = new QRadioButton("Variable:");
    m_fromEnv->setChecked(true);
    auto* tokenKind = new QButtonGroup(this);
    tokenKind->addButton(m_fromFile);
    tokenKind->addButton(m_fromEnv);
    m_tokenFile = new QLineEdit;
    m_tokenFile->setPlaceholderText("a file holding the admin token");
    connect(m_tokenFile, &QLineEdit::textEdited, this, [this] { m_fromFile->setChecked(true); });
    m_tokenEnv = new QLineEdit("CARACAL_ADMIN_TOKEN");
    auto* browseToken = new QPushButton("Browse...");
    connect(browseToken, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, "Admin token file");
        if (!f.isEmpty()) {
            m_tokenFile->setText(f);
            m_fromFile->setChecked(true);
        }
    });
    m_caFile = new QLineEdit;
    m_caFile->setPlaceholderText("optional: PEM file of a private CA to trust");
    m_allowHttp = new QCheckBox("Allow plain http to this host (the token crosses the network unencrypted)");
    m_pageCap = new QSpinBox;
    m_pageCap->setRange(1, 100000);
    m_pageCap->setValue(100);
    m_pageCap->setSuffix(" pages of 1000");
    m_connectTimeout = new QSpinBox;
    m_connectTimeout->setRange(1, 600);
    m_connectTimeout->setValue(10);
    m_connectTimeout->setSuffix(" s");
    m_transferTimeout = new QSpinBox;
    m_transferTimeout->setRange(1, 3600);
    m_transferTimeout->setValue(30);
    m_transferTimeout->setSuffix(" s");
    m_followInterval = new QSpinBox;
    m_followInterval->setRange(1, 3600);
    m_followInterval->setValue(10);
    m_followInterval->setSuffix(" s");
    m_followInterval->setToolTip("View > Follow new events polls this often while the server answers, and "
                                 "backs off while it fails");
    m_test = new QPushButton("Test connection");
    m_result = new QLabel;
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);

    auto* tokenFileRow = new QHBoxLayout;
    tokenFileRow->addWidget(m_fromFile);
    tokenFileRow->addWidget(m_tokenFile, 1);
    tokenFileRow->addWidget(browseToken);
    auto* tokenEnvRow = new QHBoxLayout;
    tokenEnvRow->addWidget(m_fromEnv);
    tokenEnvRow->addWidget(m_tokenEnv, 1);
    auto* form = new QFormLayout;
    form->addRow("Saved", m_saved);
    form->addRow("Name", m_name);
    form->addRow("API URL", m_url);
    form->addRow("Audit service URL", m_auditUrl);
    form->addRow("Load events from", m_api);
    form->addRow("", m_audit);
    form->addRow("", m_ledger);
    form->addRow("Ledger connection", m_conninfo);
    form->addRow("Ledger: load at most", m_rowCap);
    form->addRow("Zones", m_zones);
    form->addRow("Admin token", tokenFileRow);
    form->addRow("", tokenEnvRow);
    form->addRow("CA file", m_caFile);
    form->addRow("", m_allowHttp);
    form->addRow("Stop after", m_pageCap);
    form->addRow("Connect timeout", m_connectTimeout);
    form->addRow("Transfer timeout", m_transferTimeout);
    form->addRow("Follow: poll every", m_followInterval);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText("Connect and load");
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_test, 0, Qt::AlignLeft);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (const QString p = problem(); !p.isEmpty()) {
            m_result->setText(statusSpan(StatusTone::Bad, p.toHtmlEscaped()));
            return;
        }
        saveConnection();
        accept();
    });
    connect(m_saved, &QComboBox::currentTextChanged, this, &ConnectionDialog::loadSaved);
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, [this] {
        m_result->setText(m_watcher.result());
        m_test->setEnabled(true);
        emit tested();
    });
}

ConnectionDialog::~ConnectionDialog() {
    m_watcher.waitForFinished();
}

bool ConnectionDialog::auditService() const {
    return m_audit->isChecked();
}

bool ConnectionDialog::ledger() const {
    return m_ledger->isChecked();
}

LedgerOptions ConnectionDialog::ledgerOptions() const {
    LedgerOptions o;
    o.conninfo = m_conninfo->text().trimmed().toStdString();
    const RemoteConnection c = connection();
    if (c.zones.size() == 1) o.zone = c.zones.front(); // one zone: row-level security narrows the session
    return o;
}

size_t ConnectionDialog::ledgerRowCap() const {
    return size_t(m_rowCap->value());
}

RemoteConnection ConnectionDialog::connection() const {
    RemoteConnection c;
    c.name = m_name->text().trimmed().toStdString();
    c.apiBase = m_url->text().trimmed().toStdString();
    c.auditUrl = m_auditUrl->text().trimmed().toStdString();
    for (const QString& z : m_zones->text().split(',', Qt::SkipEmptyParts))
        if (!z.trimmed().isEmpty()) c.zones.push_back(z.trimmed().toStdString());
    (m_fromFile->isChecked() ? c.tokenFile : c.tokenEnv) =
        (m_fromFile->isChecked() ? m_tokenFile : m_tokenEnv)->text().trimmed().toStdString();
    c.caFile = m_caFile->text().trimmed().toStdString();
    c.allowInsecureHttp = m_allowHttp->isChecked();
    c.pageCap = m_pageCap->value();
    c.connectTimeoutMs = m_connectTimeout->value() * 1000;
    c.transferTimeoutMs = m_transferTimeout->value() * 1000;
    c.followIntervalSeconds = m_followInterval->value();
    return c;
}

void ConnectionDialog::setConnection(const RemoteConnection& c, bool auditService) {
    m_name->setText(qs(c.name));
    (auditService || c.apiBase.empty() ? m_audit : m_api)->setChecked(true);
    m_url->setText(qs(c.apiBase));
    m_auditUrl->setText(qs(c.auditUrl));
    QStringList zones;
    for (const auto& z : c.zones)
        zones << qs(z);
    m_zones->setText(zones.join(", "));
    (c.tokenFile.empty() ? m_fromEnv : m_fromFile)->setChecked(true);
    m_tokenFile->setText(qs(c.tokenFile));
    if (!c.tokenEnv.empty()) m_tokenEnv->setText(qs(c.tokenEnv));
    m_caFile->setText(qs(c.caFile));
    m_allowHttp->setChecked(c.allowInsecureHttp);
    m_pageCap->setValue(c.pageCap);
    m_connectTimeout->setValue(c.connectTimeoutMs / 1000);
    m_transferTimeout->setValue(c.transferTimeoutMs / 1000);
    m_followInterval->setValue(c.followIntervalSeconds);
}

QString ConnectionDialog::problem() const {
    const RemoteConnection c = connection();
    if (ledger()) {
        const std::string conninfo = m_conninfo->text().trimmed().toStdString();
        if (conninfo.empty()) return "Give the ledger's connection string (host=... dbname=... user=...).";
        if (auto refused = refuseConnectionString(conninfo)) return qs(*refused);
        return {};
    }
    if (c.apiBase.empty() && c.auditUrl.empty()) return "Give the API's URL (or the audit service's).";
    if (auditService() && c.auditUrl.empty()) return "Give the audit service's URL to load events from it.";
    if (!auditService() && c.apiBase.empty()) return "Give the API's URL to load events from it.";
    for (const std::string& url : {c.apiBase, c.auditUrl})
        if (auto p = url.empty() ? std::nullopt : checkRemoteUrl(url, c.allowInsecureHttp)) return qs(*p);
    if (c.zones.empty()) return "Give at least one zone.";
    if (c.tokenFile.empty() && c.tokenEnv.empty()) return "Say where the admin token comes from.";
    return {};
}

QString ConnectionDialog::testResult() const {
    return m_result->text();
}

void ConnectionDialog::testConnection() {
    if (const QString p = problem(); !p.isEmpty()) {
        m_result->setText(statusSpan(StatusTone::Bad, p.toHtmlEscaped()));
        emit tested();
        return;
    }
    m_test->setEnabled(false);
    m_result->setText("Testing...");
    if (ledger()) {
        const LedgerOptions o = ledgerOptions();
        m_watcher.setFuture(QtConcurrent::run([o] {
            const LedgerProbe p = probeLedger(o);
            QString html = "<b>Caracal ledger</b>: " + mark(p.reachable) + " Reachable " +
                           mark(p.authenticated) + " Authenticated" +
                           (p.authenticated ? " (as " + qs(p.user).toHtmlEscaped() + (p.tls ? ", TLS)" : ")")
                                            : QString()) +
                           " " + mark(p.readOnly) + " Read-only";
            if (p.authenticated && p.readOnly) {
                html += "<br>Rows visible per zone (caracal.zone_id = " + qs(p.zone).toHtmlEscaped() + "):";
                for (const auto& [zone, n] : p.rowsPerZone)
                    html += "<br>&nbsp;&nbsp;" + qs(zone).toHtmlEscaped() + ": " + QString::number(n);
            }
            if (!p.problem.empty()) html += "<br>" + qs(p.problem).toHtmlEscaped();
            return html;
        }));
        return;
    }
    const RemoteConnection c = connection();
    m_watcher.setFuture(QtConcurrent::run([c] {
        const TokenLoad token = loadAdminToken(c);
        if (!token.error.empty()) return mark(false) + " No admin token: " + qs(token.error).toHtmlEscaped();
        RemoteConnection once = c;
        once.maxAttempts = 1;
        RemoteFetcher fetcher(once, token.token);
        const std::string zone = c.zones.front();
        QStringList parts;
        for (const bool audit : {false, true}) { // each service given: what works
            if ((audit ? c.auditUrl : c.apiBase).empty()) continue;
            const QUrl url = audit ? QUrl(qs(c.auditUrl) + "/api/audit/search?limit=1&zone_id=" +
                                          QString::fromUtf8(QUrl::toPercentEncoding(qs(zone))))
                                   : apiUrl(once, zone, {}, {{"limit", "1"}});
            const RemoteResponse r = fetcher.get(url, audit ? RemoteService::Audit : RemoteService::Api);
            const bool reachable = r.status > 0;
            const bool accepted = reachable && r.status != 401 && r.status != 403;
            const bool readable = r.status >= 200 && r.status < 300;
            QString html = QString("<b>%1</b>: ").arg(audit ? "Audit service" : "Caracal API") +
                           mark(reachable) + " Reachable" +
                           (reachable ? QString(" (HTTP %1)").arg(r.status) : QString()) + " " +
                           mark(accepted) + " Token accepted " + mark(readable) + " Zone " +
                           qs(zone).toHtmlEscaped() + " readable";
            if (r.error) html += "<br>" + qs(r.error->text()).toHtmlEscaped();
            parts << html;
        }
        return parts.join("<br>");
    }));
}

void ConnectionDialog::saveConnection() const {
    const RemoteConnection c = connection();
    if (c.name.empty()) return;
    QSettings s;
    s.beginGroup("connections/" + qs(c.name));
    s.setValue("url", qs(c.apiBase));
    s.setValue("auditUrl", qs(c.auditUrl));
    s.setValue("auditService", auditService());
    s.setValue("zones", m_zones->text());
    s.setValue("tokenFile", qs(c.tokenFile)); // where the token is, never the token
    s.setValue("tokenEnv", qs(c.tokenEnv));
    s.setValue("caFile", qs(c.caFile));
    s.setValue("allowInsecureHttp", c.allowInsecureHttp);
    s.setValue("pageCap", c.pageCap);
    s.setValue("connectTimeout", m_connectTimeout->value());
    s.setValue("transferTimeout", m_transferTimeout->value());
    s.setValue("followInterval", m_followInterval->value());
    s.setValue("ledger", ledger());
    // problem() refused any password before this is reached: the string saved holds none.
    if (!refuseConnectionString(m_conninfo->text().trimmed().toStdString()))
        s.setValue("conninfo", m_conninfo->text().trimmed());
    s.setValue("ledgerRowCap", m_rowCap->value());
}

void ConnectionDialog::loadSaved(const QString& name) {
    QSettings s;
    if (!s.childGroups().contains("connections") || m_saved->currentIndex() == 0) return;
    s.beginGroup("connections/" + name);
    RemoteConnection c;
    c.name = name.toStdString();
    c.apiBase = s.value("url").toString().toStdString();
    c.auditUrl = s.value("auditUrl").toString().toStdString();
    for (const QString& z : s.value("zones").toString().split(',', Qt::SkipEmptyParts))
        c.zones.push_back(z.trimmed().toStdString());
    c.tokenFile = s.value("tokenFile").toString().toStdString();
    c.tokenEnv = s.value("tokenEnv").toString().toStdString();
    c.caFile = s.value("caFile").toString().toStdString();
    c.allowInsecureHttp = s.value("allowInsecureHttp").toBool();
    c.pageCap = s.value("pageCap", 100).toInt();
    c.connectTimeoutMs = s.value("connectTimeout", 10).toInt() * 1000;
    c.transferTimeoutMs = s.value("transferTimeout", 30).toInt() * 1000;
    c.followIntervalSeconds = s.value("followInterval", 10).toInt();
    setConnection(c, s.value("auditService").toBool());
    m_conninfo->setText(s.value("conninfo").toString());
    m_rowCap->setValue(s.value("ledgerRowCap", 1000000).toInt());
    if (s.value("ledger").toBool()) m_ledger->setChecked(true);
}

} // namespace caracal::ui
