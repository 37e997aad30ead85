#include "dialogs/ExportViewDialog.h"

#include "load/CsvExport.h"
#include "load/ViewExport.h"
#include "table/EventColumns.h"
#include "table/EventTableModel.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QVBoxLayout>
#include <cstdio>
#include <unistd.h>

namespace caracal::ui {

namespace {

enum class Kind { JsonLines, CsvFields, CsvColumns };

// The temporary file an export writes: removed unless committed, whoever drops it last (the job that was
// cancelled, or a result that arrived after Cancel and was never delivered).
class PendingFile {
  public:
    // mkstemp makes the file private to the user (0600), which suits a file of audit data; the rename keeps
    // that mode.
    explicit PendingFile(const QString& target) : m_target(target) {
        QByteArray pattern = QFile::encodeName(target + ".partial-XXXXXX");
        const int fd = mkstemp(pattern.data());
        if (fd < 0) return;
        m_temp = QFile::decodeName(pattern);
        m_file = fdopen(fd, "wb");
        if (!m_file) ::close(fd);
    }
    ~PendingFile() {
        if (m_file) std::fclose(m_file);
        if (!m_temp.isEmpty() && !m_committed) QFile::remove(m_temp);
    }
    bool isOpen() const { return m_file != nullptr; }
    bool write(std::string_view chunk) {
        return std::fwrite(chunk.data(), 1, chunk.size(), m_file) == chunk.size();
    }
    bool close() {
        const bool ok = std::fflush(m_file) == 0 && fsync(fileno(m_file)) == 0;
        std::fclose(m_file);
        m_file = nullptr;
        return ok;
    }
    // Renames the complete file onto the target (replacing it at once, as rename(2) does).
    bool commit() {
        if (m_temp.isEmpty() || m_file) return false;
        m_committed =
            std::rename(QFile::encodeName(m_temp).constData(), QFile::encodeName(m_target).constData()) == 0;
        return m_committed;
    }

  private:
    QString m_target, m_temp;
    std::FILE* m_file = nullptr;
    bool m_committed = false;
};

struct Written {
    std::shared_ptr<PendingFile> file;
    size_t rows = 0;
    QString error;
};

std::string csvLine(const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        line += csv::escapeCell(cells[i]);
    }
    return line + "\r\n";
}

// CSV of the columns as the table shows them. A table model of its own on this worker thread computes the
// text, so cells read exactly as on screen. No column is a secret key (they are the console's own and the
// API's 46 export fields), so nothing here needs redacting.
ExportOutcome writeColumns(const std::shared_ptr<const EventStore>& shared, const std::vector<RowId>& rows,
                           const QStringList& columns, const std::function<bool(std::string_view)>& write,
                           JobControl& control) {
    ExportOutcome outcome;
    EventTableModel model;
    model.setStore(shared);
    std::vector<std::string> cells;
    for (const QString& c : columns)
        cells.push_back(columnTitle(c).toStdString());
    std::string buffer = csvLine(cells);
    for (size_t i = 0; i < rows.size(); ++i) {
        if (i % 2048 == 0) {
            if (control.cancelled()) {
                outcome.cancelled = true;
                return outcome;
            }
            control.setProgress(double(i) / double(rows.size()));
        }
        cells.clear();
        for (const QString& c : columns)
            cells.push_back(model.cellText(rows[i], c).toStdString());
        buffer += csvLine(cells);
        ++outcome.rows;
        if (buffer.size() > (1u << 20)) {
            if (!write(buffer)) {
                outcome.error = "the output could not be written (disk full?)";
                return outcome;
            }
            buffer.clear();
        }
    }
    if (!write(buffer)) outcome.error = "the output could not be written (disk full?)";
    return outcome;
}

} // namespace

ExportViewDialog::ExportViewDialog(Input input, JobTracker* jobs, QWidget* parent)
    : QDialog(parent), m_input(std::move(input)), m_jobs(jobs) {
    setWindowTitle("Export view");
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    auto* formats = new QWidget(this);
    auto* formatLayout = new QVBoxLayout(formats);
    formatLayout->setContentsMargins(0, 0, 0, 0);
    m_jsonLines = new QRadioButton("JSON lines: each event's own bytes, one per line", formats);
    m_csvFields = new QRadioButton("CSV: the 46 fields of Caracal's CSV export", formats);
    m_csvColumns = new QRadioButton("CSV: the table's visible columns, as shown", formats);
    m_jsonLines->setChecked(true);
    for (auto* b : {m_jsonLines, m_csvFields, m_csvColumns})
        formatLayout->addWidget(b);
    form->addRow("Format:", formats);

    const QLocale locale;
    auto* scope = new QWidget(this);
    auto* scopeLayout = new QVBoxLayout(scope);
    scopeLayout->setContentsMargins(0, 0, 0, 0);
    m_all = new QRadioButton(QString("Every row of the view (%1, in the table's order)")
                                 .arg(locale.toString(qulonglong(m_input.viewRows.size()))),
                             scope);
    m_selection = new QRadioButton(
        QString("The selected rows only (%1)").arg(locale.toString(qulonglong(m_input.selectedRows.size()))),
        scope);
    auto* scopeGroup = new QButtonGroup(this);
    scopeGroup->addButton(m_all);
    scopeGroup->addButton(m_selection);
    m_all->setChecked(true);
    m_selection->setEnabled(!m_input.selectedRows.empty());
    scopeLayout->addWidget(m_all);
    scopeLayout->addWidget(m_selection);
    form->addRow("Rows:", scope);

    auto* pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText("File to write");
    auto* browse = new QPushButton("Browse...", this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString suffix = m_jsonLines->isChecked() ? "jsonl" : "csv";
        const QString path =
            QFileDialog::getSaveFileName(this, "Export view", QDir::homePath() + "/view." + suffix,
                                         suffix == "jsonl" ? "JSON lines (*.jsonl)" : "CSV (*.csv)");
        if (!path.isEmpty()) m_path->setText(path);
    });
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    form->addRow("File:", pathRow);
    layout->addLayout(form);

    m_redaction = new QLabel(this);
    m_redaction->setWordWrap(true);
    m_redaction->setText(
        m_input.rawValues
            ? "Secret values are written as they are: \"Show secret values\" is on, so JSON lines are the "
              "events' "
              "own bytes, exactly."
            : "Secret values are written as \"[redacted]\": metadata values under Caracal's 17 secret keys "
              "(token, password, session_id, ...) are replaced, as Caracal's API does; everything else is "
              "the "
              "events' own bytes. Turn on \"Show secret values\" (Request trace tab) to write them as they "
              "are.");
    layout->addWidget(m_redaction);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton("Export", QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_export, &QPushButton::clicked, this, &ExportViewDialog::startExport);
    layout->addWidget(buttons);
}

ExportViewDialog::~ExportViewDialog() {
    if (m_control) m_control->cancel();
}

bool ExportViewDialog::startExport() {
    const QString path = m_path->text().trimmed();
    const std::vector<RowId>& rows = m_selection->isChecked() ? m_input.selectedRows : m_input.viewRows;
    if (path.isEmpty()) {
        m_message->setText("Choose the file to write.");
        return false;
    }
    if (rows.empty()) {
        m_message->setText("There are no rows to export.");
        return false;
    }
    const Kind kind = m_jsonLines->isChecked()   ? Kind::JsonLines
                      : m_csvFields->isChecked() ? Kind::CsvFields
                                                 : Kind::CsvColumns;
    const bool redact = !m_input.rawValues;
    const QStringList columns = m_input.columns;
    const auto shared = m_input.store;
    m_export->setEnabled(false);
    m_message->clear();

    m_progress =
        new QProgressDialog(QString("Writing %1 events to %2...")
                                .arg(QLocale().toString(qulonglong(rows.size())), QFileInfo(path).fileName()),
                            "Cancel", 0, 1000, this);
    m_progress->setWindowTitle("Export view");
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumDuration(0);
    auto control = m_jobs->run<Written>(
        "export", shared,
        [rows, path, kind, redact, columns, shared](const EventStore* store, JobControl& job) {
            Written out;
            out.file = std::make_shared<PendingFile>(path);
            if (!out.file->isOpen()) {
                out.error = "cannot create a file in " + QFileInfo(path).absolutePath();
                return out;
            }
            auto write = [&out](std::string_view chunk) { return out.file->write(chunk); };
            ExportOutcome outcome;
            if (kind == Kind::CsvColumns) {
                outcome = writeColumns(shared, rows, columns, write, job);
            } else {
                ExportOptions options;
                options.format = kind == Kind::JsonLines ? ExportFormat::JsonLines : ExportFormat::Csv;
                options.redact = redact;
                outcome = exportRows(*store, rows, options, write, job.cancelFlag(),
                                     [&job](double f) { job.setProgress(f); });
            }
            out.rows = outcome.rows;
            if (outcome.error) out.error = QString::fromStdString(*outcome.error);
            if (!out.file->close() && out.error.isEmpty())
                out.error = "the file could not be written completely";
            return out;
        },
        [self = QPointer<ExportViewDialog>(this), path](Written written) {
            if (!self) return; // the dialog closed: the temporary file goes with `written`
            ExportViewDialog* d = self;
            d->m_control.reset();
            if (d->m_progress) d->m_progress->deleteLater();
            d->m_export->setEnabled(true);
            if (written.error.isEmpty() && !written.file->commit())
                written.error = "the finished file could not be moved to " + path;
            if (!written.error.isEmpty()) {
                d->m_message->setText("Not exported: " + written.error);
                emit d->failed(written.error);
                return;
            }
            emit d->exported(path, written.rows);
            d->accept();
        });
    m_control = control;
    auto* timer = new QTimer(m_progress);
    connect(timer, &QTimer::timeout, m_progress,
            [this, control] { m_progress->setValue(int(control->progress() * 1000)); });
    timer->start(100);
    connect(m_progress, &QProgressDialog::canceled, this, [this, control] {
        control->cancel(); // its result, if any, is dropped, and the temporary file with it
        m_control.reset();
        if (m_progress) m_progress->deleteLater();
        m_export->setEnabled(true);
        m_message->setText("Export cancelled; no file was written.");
    });
    m_progress->show();
    return true;
}

} // namespace caracal::ui
