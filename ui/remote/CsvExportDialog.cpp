#include "remote/CsvExportDialog.h"

#include "common/Theme.h"
#include "load/CsvExport.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {
// The columns Caracal's own console calls "Core".
const QStringList kCoreFields = {"occurred_at",    "event_type",       "decision", "request_id",
                                 "application_id", "application_name", "resource", "reason"};
} // namespace

CsvExportDialog::CsvExportDialog(const RemoteConnection& connection, const ServerFilter& filter,
                                 QWidget* parent)
    : QDialog(parent), m_connection(connection), m_filter(filter) {
    setWindowTitle("Download a CSV export");
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_zone = new QComboBox(this);
    for (const auto& z : connection.zones)
        m_zone->addItem(QString::fromStdString(z));
    form->addRow("Zone", m_zone);
    m_limit = new QSpinBox(this);
    m_limit->setRange(1, 1000);
    m_limit->setValue(500);
    m_limit->setSuffix(" rows at most");
    m_limit->setToolTip("CSV exports have no cursor: one download holds at most 1000 rows, newest first. "
                        "Narrow the time with since:/until: in the filter bar for older events.");
    form->addRow("Rows", m_limit);
    QStringList sent, kept;
    for (const auto& [k, v] : filter.params)
        sent << QString::fromStdString(k + "=" + v);
    for (const auto& l : filter.local)
        kept << QString::fromStdString(l);
    auto* filterLabel = new QLabel(this);
    filterLabel->setWordWrap(true);
    filterLabel->setText((sent.isEmpty() ? QString("No server filter: the newest events of the zone.")
                                         : "Sent to the server: " + sent.join(", ").toHtmlEscaped() + ".") +
                         (kept.isEmpty() ? QString()
                                         : "<br><span style='color:" + mutedTextColor(palette()) +
                                               "'>Not applied to the export (the server cannot): " +
                                               kept.join("; ").toHtmlEscaped() + "</span>"));
    form->addRow("Filter", filterLabel);
    layout->addLayout(form);

    auto* fieldBar = new QHBoxLayout;
    fieldBar->addWidget(new QLabel("<b>Columns</b>", this), 1);
    auto* all = new QPushButton("All 46", this);
    m_core = new QPushButton("Core", this);
    m_core->setToolTip(kCoreFields.join(", "));
    auto* none = new QPushButton("None", this);
    for (QPushButton* b : {all, m_core, none}) {
        b->setAutoDefault(false);
        fieldBar->addWidget(b);
    }
    layout->addLayout(fieldBar);
    m_fields = new QListWidget(this);
    m_fields->setFlow(QListView::TopToBottom);
    m_fields->setWrapping(true);
    m_fields->setResizeMode(QListView::Adjust);
    m_fields->setMinimumHeight(230);
    for (std::string_view f : csv::exportFields()) {
        auto* item = new QListWidgetItem(QString::fromLatin1(f.data(), int(f.size())), m_fields);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    layout->addWidget(m_fields, 1);
    connect(all, &QPushButton::clicked, this, [this] {
        QStringList every;
        for (std::string_view f : csv::exportFields())
            every << QString::fromLatin1(f.data(), int(f.size()));
        chooseFields(every);
    });
    connect(m_core, &QPushButton::clicked, this, [this] { chooseFields(kCoreFields); });
    connect(none, &QPushButton::clicked, this, [this] { chooseFields({}); });

    auto* pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    auto* browse = new QPushButton("Browse...", this);
    browse->setAutoDefault(false);
    pathRow->addWidget(new QLabel("Save as", this));
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    layout->addLayout(pathRow);
    auto defaultPath = [this] {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
        // The API's own file name, which the console reads the zone back from when the file is opened.
        return QDir(dir.isEmpty() ? QDir::homePath() : dir)
            .filePath("audit-" + m_zone->currentText() + ".csv");
    };
    m_path->setText(defaultPath());
    connect(m_path, &QLineEdit::textEdited, this, [this] { m_pathEdited = true; });
    connect(m_zone, &QComboBox::currentTextChanged, this, [this, defaultPath] {
        if (!m_pathEdited) m_path->setText(defaultPath());
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen =
            QFileDialog::getSaveFileName(this, "Save the CSV export", m_path->text(), "CSV files (*.csv)");
        if (!chosen.isEmpty()) {
            m_path->setText(chosen);
            m_pathEdited = true;
        }
    });

    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_download = buttons->addButton("Download", QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_download, &QPushButton::clicked, this, [this] {
        if (QFileInfo::exists(m_path->text()) &&
            QMessageBox::question(this, "Replace the file?",
                                  m_path->text() + " exists. Replace it with the new export?") !=
                QMessageBox::Yes)
            return;
        download();
    });
    layout->addWidget(buttons);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &CsvExportDialog::finish);
    resize(720, 560);
}

CsvExportDialog::~CsvExportDialog() {
    m_watcher.waitForFinished();
}

void CsvExportDialog::chooseFields(const QStringList& fields) {
    for (int i = 0; i < m_fields->count(); ++i)
        m_fields->item(i)->setCheckState(fields.contains(m_fields->item(i)->text()) ? Qt::Checked
                                                                                    : Qt::Unchecked);
}

QStringList CsvExportDialog::chosenFields() const {
    QStringList out;
    for (int i = 0; i < m_fields->count(); ++i)
        if (m_fields->item(i)->checkState() == Qt::Checked) out << m_fields->item(i)->text();
    return out;
}

QString CsvExportDialog::result() const {
    return m_result->text();
}

void CsvExportDialog::download() {
    if (m_watcher.isRunning()) return;
    const QStringList chosen = chosenFields();
    if (chosen.isEmpty()) {
        m_result->setText("Choose at least one column.");
        emit downloaded(false);
        return;
    }
    const TokenLoad token = loadAdminToken(m_connection);
    if (!token.error.empty()) {
        m_result->setText(QString::fromStdString("No admin token: " + token.error));
        emit downloaded(false);
        return;
    }
    std::vector<std::string> fields;
    if (chosen.size() < int(csv::exportFields().size())) // all 46 is the server's default: not sent
        for (const QString& f : chosen)
            fields.push_back(f.toStdString());
    m_target = m_path->text();
    m_download->setEnabled(false);
    m_result->setText("Downloading...");
    m_watcher.setFuture(QtConcurrent::run([connection = m_connection, token = token.token,
                                           zone = m_zone->currentText().toStdString(), filter = m_filter,
                                           fields, limit = m_limit->value()] {
        RemoteFetcher fetcher(connection, token);
        return downloadCsv(fetcher, zone, filter, fields, limit);
    }));
}

void CsvExportDialog::finish() {
    m_download->setEnabled(true);
    const CsvDownload d = m_watcher.result();
    if (d.error) {
        m_result->setText("<b>Not downloaded.</b> " +
                          QString::fromStdString(d.error->text()).toHtmlEscaped());
        emit downloaded(false);
        return;
    }
    QSaveFile file(m_target);
    if (!file.open(QIODevice::WriteOnly) || file.write(d.body) != d.body.size() || !file.commit()) {
        m_result->setText("<b>Not saved.</b> " + m_target.toHtmlEscaped() + ": " +
                          file.errorString().toHtmlEscaped());
        emit downloaded(false);
        return;
    }
    m_result->setText(QString("Saved %1 rows (%2 bytes) to %3. The server named it %4.")
                          .arg(d.rows)
                          .arg(d.body.size())
                          .arg(m_target.toHtmlEscaped(), QString::fromStdString(d.fileName).toHtmlEscaped()));
    emit downloaded(true);
}

} // namespace caracal::ui
