#include "dialogs/AdminEventsDialog.h"

#include "dialogs/AdminEventsModel.h"
#include "util/MetadataRedaction.h"
#include "util/RawJson.h"

#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {
constexpr qint64 kMaxFileBytes = qint64(1) << 30; // admin tables are small; a bigger file is not one

std::shared_ptr<const AdminAuditRead> readFile(const QString& path) {
    auto out = std::make_shared<AdminAuditRead>();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out->problems.push_back("cannot open the file: " + file.errorString().toStdString());
        return out;
    }
    if (file.size() > kMaxFileBytes) {
        out->problems.push_back("the file is larger than 1 GiB; an admin-audit export is far smaller");
        return out;
    }
    const QByteArray bytes = file.readAll();
    *out = readAdminAudit(std::string_view(bytes.constData(), size_t(bytes.size())));
    return out;
}
} // namespace

AdminEventsDialog::AdminEventsDialog(QWidget* parent)
    : QDialog(parent), m_model(new AdminEventsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const AdminAuditRead>>(this)) {
    setWindowTitle("Admin events");
    resize(1000, 620);
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel("Open a file of Caracal's admin-audit rows.", this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText("Search every field (actor, method, path, entity, request id, payload...)");
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setFilterRole(AdminEventsModel::SearchRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(Qt::UserRole);
    auto* split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(split);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->sortByColumn(AdminEventsModel::Occurred, Qt::DescendingOrder);
    m_payload = new QPlainTextEdit(split);
    m_payload->setReadOnly(true);
    m_payload->setPlaceholderText("The selected row's payload_json");
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AdminEventsDialog::showPayload);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const std::shared_ptr<const AdminAuditRead> read = m_watcher->result();
        m_model->setEvents(read->events);
        m_table->resizeColumnsToContents();
        size_t signedRows = 0;
        for (const AdminEvent& e : read->events)
            signedRows += e.signature == "signed";
        QString text = QString("<b>%1</b>: %2 admin event%3")
                           .arg(QFileInfo(m_file).fileName().toHtmlEscaped())
                           .arg(QLocale().toString(qulonglong(read->events.size())))
                           .arg(read->events.size() == 1 ? "" : "s");
        if (signedRows) text += QString(", %1 signed").arg(QLocale().toString(qulonglong(signedRows)));
        if (read->notRead)
            text += QString("; %1 more rows not read (the window holds %2)")
                        .arg(QLocale().toString(qulonglong(read->notRead)))
                        .arg(QLocale().toString(qulonglong(kMaxAdminEvents)));
        if (!read->nextCursor.empty()) text += "; the server has more pages (next_cursor is set)";
        for (size_t i = 0; i < read->problems.size() && i < 5; ++i)
            text += "<br>&bull; " + QString::fromStdString(read->problems[i]).toHtmlEscaped();
        if (read->problems.size() > 5)
            text += QString("<br>&bull; and %1 more").arg(read->problems.size() - 5);
        m_summary->setText(text);
        if (m_proxy->rowCount() > 0) m_table->selectRow(0);
        emit fileRead();
    });
}

void AdminEventsDialog::openFile(const QString& path) {
    m_file = path;
    setWindowTitle("Admin events - " + QFileInfo(path).fileName());
    m_summary->setText("Reading " + QFileInfo(path).fileName().toHtmlEscaped() + "...");
    m_watcher->setFuture(QtConcurrent::run([path] { return readFile(path); }));
}

QString AdminEventsDialog::summaryText() const {
    return m_summary->text();
}

void AdminEventsDialog::showPayload() {
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        m_payload->clear();
        return;
    }
    const std::string& text = m_model->event(current.row()).payloadJson;
    nlohmann::ordered_json payload;
    if (rawjson::depthExceededAt(text) == std::string_view::npos)
        payload = nlohmann::ordered_json::parse(text, nullptr, false);
    if (!payload.is_object() && !payload.is_array()) {
        m_payload->setPlainText(QString::fromStdString(text));
        return;
    }
    redactMetadata(payload); // as Caracal's API shows payloads: secrets never on screen
    m_payload->setPlainText(QString::fromStdString(payload.dump(2)));
}

} // namespace caracal::ui
