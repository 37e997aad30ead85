#include "statistics/StatisticsWindow.h"

#include "session/ConsoleSession.h"
#include "statistics/ShareBarDelegate.h"
#include "statistics/SparklineDelegate.h"
#include "statistics/StatisticsModel.h"

#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>
#include <functional>

namespace caracal::ui {

namespace {
QString fieldTitle(StatisticsField f) {
    switch (f) {
    case StatisticsField::Zone:
        return "Zone";
    case StatisticsField::EventType:
        return "Event type";
    case StatisticsField::Decision:
        return "Decision";
    case StatisticsField::Application:
        return "Application";
    case StatisticsField::Resource:
        return "Resource";
    case StatisticsField::Reason:
        return "Deny reason";
    case StatisticsField::Policy:
        return "Determining policy";
    case StatisticsField::Session:
        return "Session";
    case StatisticsField::Label:
        return "Agent label";
    }
    return {};
}

// Enter on a row filters by it, as a double-click does (QAbstractItemView's activation depends on the style).
class StatisticsTableView : public QTableView {
  public:
    using QTableView::QTableView;
    std::function<void(int)> onEnter;

  protected:
    void keyPressEvent(QKeyEvent* event) override {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
            onEnter(currentIndex().row());
            return;
        }
        QTableView::keyPressEvent(event);
    }
};
} // namespace

StatisticsWindow::StatisticsWindow(ConsoleSession* session, QWidget* parent)
    : QWidget(parent, Qt::Window), m_session(session) {
    setObjectName("statisticsWindow");
    setWindowTitle("Statistics - Caracal Trace Console");
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel("Group by", this));
    m_field = new QComboBox(this);
    for (StatisticsField f : allStatisticsFields())
        m_field->addItem(fieldTitle(f), int(f));
    bar->addWidget(m_field);
    bar->addSpacing(12);
    m_all = new QRadioButton("All loaded events", this);
    m_view = new QRadioButton("The current view", this);
    m_all->setChecked(true);
    auto* scope = new QButtonGroup(this);
    scope->addButton(m_all);
    scope->addButton(m_view);
    bar->addWidget(m_all);
    bar->addWidget(m_view);
    bar->addStretch(1);
    m_copy = new QPushButton("Copy as text", this);
    m_export = new QPushButton("Export CSV...", this);
    bar->addWidget(m_copy);
    bar->addWidget(m_export);
    layout->addLayout(bar);

    auto* table = new StatisticsTableView(this);
    table->onEnter = [this](int row) { activateRow(row); };
    m_table = table;
    m_model = new StatisticsModel(this);
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder); // the engine's order
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setToolTip("Double-click or press Enter on a row to show its events in the main window");
    layout->addWidget(m_table, 1);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    resize(900, 560);

    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        for (int c = 0; c < m_model->columnCount(); ++c) {
            QAbstractItemDelegate* d = nullptr;
            if (m_model->kindOf(c) == StatisticsModel::Kind::Share) d = new ShareBarDelegate(m_table);
            if (m_model->kindOf(c) == StatisticsModel::Kind::Sparkline) d = new SparklineDelegate(m_table);
            QAbstractItemDelegate* old = m_table->itemDelegateForColumn(c);
            m_table->setItemDelegateForColumn(c, d);
            if (old && old != d) old->deleteLater();
        }
        m_table->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
        m_table->resizeColumnsToContents();
        if (const int v = m_model->columnOf(StatisticsModel::Kind::Value); v >= 0)
            m_table->setColumnWidth(v, std::min(m_table->columnWidth(v), 360));
        if (const int s = m_model->columnOf(StatisticsModel::Kind::Share); s >= 0)
            m_table->setColumnWidth(s, std::max(m_table->columnWidth(s), 110));
        if (const int s = m_model->columnOf(StatisticsModel::Kind::Sparkline); s >= 0)
            m_table->setColumnWidth(s, 160);
    });
    connect(m_table, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex& index) { activateRow(index.row()); });
    connect(m_field, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_all, &QRadioButton::toggled, this, [this] { refresh(); });
    connect(m_export, &QPushButton::clicked, this, &StatisticsWindow::chooseExportFile);
    connect(m_copy, &QPushButton::clicked, this, &StatisticsWindow::copyAsText);
    connect(m_session, &ConsoleSession::storeReplaced, this, [this] {
        m_session->jobs().cancel("statistics");
        m_model->setTable({});
        m_summary->setText("Loading...");
    });
    connect(m_session, &ConsoleSession::indexed, this, [this] { refresh(); });
    connect(m_session, &ConsoleSession::storeExtended, this, [this] { refresh(); });
}

void StatisticsWindow::setField(StatisticsField field) {
    m_field->setCurrentIndex(m_field->findData(int(field)));
}

StatisticsField StatisticsWindow::field() const {
    return StatisticsField(m_field->currentData().toInt());
}

void StatisticsWindow::refresh() {
    const std::shared_ptr<const EventStore> store = m_session->store();
    if (!store || m_session->isLoading()) return;
    StatisticsOptions options;
    options.by = field();
    const bool viewOnly = m_view->isChecked();
    std::vector<RowId> rows;
    if (viewOnly) rows = m_session->viewRows();
    m_computing = true;
    m_summary->setText("Counting...");
    QPointer<StatisticsWindow> self(this);
    m_session->jobs().run<StatisticsTable>(
        "statistics", store,
        [options, viewOnly, rows = std::move(rows)](const EventStore* s, JobControl& control) {
            return computeFieldStatistics(*s, options, viewOnly ? &rows : nullptr, control.cancelFlag());
        },
        [self, store](StatisticsTable table) {
            if (!self || store != self->m_session->store() || table.cancelled) return;
            self->m_computing = false;
            self->m_model->setTable(std::move(table));
            self->showSummary();
            emit self->computed();
        });
}

void StatisticsWindow::viewChanged() {
    if (m_view->isChecked()) refresh();
}

void StatisticsWindow::showSummary() {
    const StatisticsTable& t = m_model->table();
    const QLocale locale;
    QString text = QString("%1 values over %2 %3")
                       .arg(locale.toString(qulonglong(t.rows.size())), locale.toString(qulonglong(t.events)),
                            m_view->isChecked() ? "events of the current view" : "loaded events");
    text +=
        QString("; %1 without %2").arg(locale.toString(qulonglong(t.without)), fieldTitle(t.by).toLower());
    if (const std::string_view note = statisticsFieldNote(t.by); !note.empty())
        text += " (" + QString::fromUtf8(note.data(), qsizetype(note.size())) + ")";
    m_summary->setText(text + ".");
}

QString StatisticsWindow::filterOfRow(int row) const {
    return QString::fromStdString(
        statisticsRowFilter(m_model->table().by, m_model->valueAt(row).toStdString()));
}

void StatisticsWindow::activateRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) return;
    emit filterRequested(filterOfRow(row), m_view->isChecked());
}

bool StatisticsWindow::exportCsv(const QString& path, QString* error) const {
    QFile f(path);
    const std::string bytes = m_model->csv();
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())) {
        if (error) *error = "Could not write " + path + ": " + f.errorString();
        return false;
    }
    return true;
}

void StatisticsWindow::copyAsText() const {
    QApplication::clipboard()->setText(m_model->plainText());
}

void StatisticsWindow::chooseExportFile() {
    const std::string_view by = statisticsFieldName(field());
    const QString name = "statistics-" + QString::fromUtf8(by.data(), qsizetype(by.size())) + ".csv";
    const QString path = QFileDialog::getSaveFileName(this, "Export statistics", name, "CSV (*.csv)");
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error)) m_summary->setText(error);
}

} // namespace caracal::ui
