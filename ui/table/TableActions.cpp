#include "table/TableActions.h"

#include "catalog/TroubleshootingLinker.h"
#include "common/HelpAddress.h"
#include "filter/FilterBar.h"
#include "query/FieldCatalog.h"
#include "table/EventColumns.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "util/MetadataRedaction.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QMenu>

namespace caracal::ui {

namespace {
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
} // namespace

TableActions::TableActions(EventTableView* table, EventTableModel* model, FilterBar* filterBar,
                           StoreSource store, QObject* parent)
    : QObject(parent), m_table(table), m_model(model), m_filterBar(filterBar), m_store(std::move(store)) {
    connect(m_table, &EventTableView::copyRequested, this, &TableActions::copyRows);
    connect(m_table, &QWidget::customContextMenuRequested, this, &TableActions::showTableMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint& p) { showColumnMenu(m_table->horizontalHeader()->mapToGlobal(p)); });
    // A deny reason cell links to its troubleshooting row.
    connect(m_table, &QAbstractItemView::clicked, this, [this](const QModelIndex& index) {
        if (!index.isValid() || m_model->columns().value(index.column()) != "@reason") return;
        const QString code = qs(m_model->store()->field(m_model->rowId(index.row()), Field::DenyReason));
        if (!code.isEmpty()) emit troubleshootingRequested(helpAddressOfCode(code));
    });
}

void TableActions::copyRows() {
    QApplication::clipboard()->setText(m_table->selectedRowsAsText());
}

void TableActions::copyAsJson() {
    const auto store = m_store();
    const bool redact = !m_redact || m_redact();
    auto text = [&](RowId r) {
        return QString::fromStdString(eventTextToShare(store->eventJson(r), redact));
    };
    QStringList lines;
    for (int row : m_table->selectedRowNumbers())
        lines << text(m_model->rowId(row));
    if (lines.isEmpty() && m_table->currentIndex().isValid())
        lines << text(m_model->rowId(m_table->currentIndex().row()));
    QApplication::clipboard()->setText(lines.join('\n'));
}

void TableActions::copyAsFilter() {
    const auto store = m_store();
    QStringList terms;
    for (int row : m_table->selectedRowNumbers()) {
        const QString term =
            "request:" + quoteFilterValue(qs(store->field(m_model->rowId(row), Field::RequestId)));
        if (!terms.contains(term)) terms << term;
    }
    QApplication::clipboard()->setText(terms.join(" OR "));
}

void TableActions::filterByCell(const QModelIndex& index, bool exclude) {
    if (!index.isValid()) return;
    const auto store = m_store();
    const RowId row = m_model->rowId(index.row());
    const QString column = m_model->columns()[index.column()];
    const QString key = QString::fromUtf8(filterKeyOfColumn(column.toStdString()));
    QString value;
    if (column == "@event")
        value = qs(store->field(row, Field::EventType));
    else if (column == "@actor") {
        value = qs(store->field(row, Field::Application));
        if (value.isEmpty()) value = m_model->cellText(row, column);
    } else if (column == "@reason")
        value = qs(store->field(row, Field::DenyReason)); // the code, not its label
    else
        value = m_model->cellText(row, column);
    if (column == "agent_labels" || column == "determining_policies") value = value.section(' ', 0, 0);
    if (value.isEmpty()) return;
    m_filterBar->addTerm((exclude ? "-" : "") +
                         (key.isEmpty() ? quoteFilterValue(value) : key + ":" + quoteFilterValue(value)));
    emit applyRequested();
}

void TableActions::setColumns(const QStringList& keys) {
    m_model->setColumns(keys.isEmpty() ? defaultColumns() : keys);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    // Widths from what the columns hold, so nothing is cut before the first rows arrive.
    const QFontMetrics fm = m_table->fontMetrics();
    static const QHash<QString, QString> samples = {{"@occurred", "2026-11-14 00:00:00.000"},
                                                    {"@event", "Approval requested"},
                                                    {"@actor", "ops-orchestrator"},
                                                    {"@decision", "consumed___"},
                                                    {"@reason", "Resource outside delegation"},
                                                    {"@zone", "zone-research"},
                                                    {"@request", "01a1d75a-94e6-7cd4-becc-ff3c910b422c"}};
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const QString key = m_model->columns()[c];
        const QString sample = samples.value(key, QString(16, 'x'));
        m_table->setColumnWidth(
            c, std::max(fm.horizontalAdvance(sample), fm.horizontalAdvance(columnTitle(key))) + 24);
    }
}

void TableActions::showColumnMenu(const QPoint& globalPos) {
    QMenu menu(m_table);
    menu.setObjectName("columnMenu");
    QMenu* fields = nullptr;
    for (const ColumnInfo& c : allColumns()) {
        QMenu* target = &menu;
        if (!isConsoleColumn(c.key)) {
            if (!fields) {
                menu.addSeparator();
                fields = menu.addMenu("Export fields");
            }
            target = fields;
        }
        QAction* a = target->addAction(c.title);
        a->setCheckable(true);
        a->setChecked(m_model->columns().contains(c.key));
        connect(a, &QAction::toggled, this, [this, key = c.key](bool on) {
            QStringList keys = m_model->columns();
            if (on && !keys.contains(key)) keys << key;
            if (!on && keys.size() > 1) keys.removeAll(key);
            setColumns(keys);
        });
    }
    menu.addSeparator();
    menu.addAction("Restore default columns", this, [this] { setColumns(defaultColumns()); });
    menu.exec(globalPos);
}

void TableActions::showTableMenu(const QPoint& pos) {
    const QModelIndex index = m_table->indexAt(pos);
    const auto store = m_store();
    QMenu menu(m_table);
    menu.addAction("Copy rows", QKeySequence::Copy, this, &TableActions::copyRows);
    menu.addAction("Copy as JSON", this, &TableActions::copyAsJson);
    menu.addAction("Copy as filter", this, &TableActions::copyAsFilter);
    if (m_table->selectedRowNumbers().size() == 2) {
        menu.addSeparator();
        menu.addAction("Compare these two events", this, [this] { emit compareRequested(false); });
        menu.addAction("Compare their requests", this, [this] { emit compareRequested(true); });
    }
    if (index.isValid()) {
        const RowId row = m_model->rowId(index.row());
        menu.addSeparator();
        const QString value = m_model->cellText(row, m_model->columns()[index.column()]);
        const QString shown = value.size() > 40 ? value.left(40) + "..." : value;
        menu.addAction(QString("Filter by \"%1\"").arg(shown), this,
                       [this, index] { filterByCell(index, false); });
        menu.addAction(QString("Exclude \"%1\"").arg(shown), this,
                       [this, index] { filterByCell(index, true); });
        menu.addAction("Show this request only", this,
                       [this, request = qs(store->field(row, Field::RequestId))] {
                           emit requestOnlyRequested(request);
                       });
        if (store->rowText(row).find("\"delegation_chain\"") != std::string_view::npos) {
            menu.addSeparator();
            menu.addAction("Delegation graph of this event", this,
                           [this] { emit graphRequested(GraphOf::Event); });
            menu.addAction("Delegation graph of this request", this,
                           [this] { emit graphRequested(GraphOf::Request); });
            menu.addAction("Delegation graph of its zone", this,
                           [this] { emit graphRequested(GraphOf::Zone); });
        }
        const EventLinks links = linkEvent(m_model->event(row));
        if (!links.codes.empty()) menu.addSeparator();
        for (const auto& c : links.codes)
            menu.addAction(QString("Troubleshoot %1").arg(QString::fromStdString(c.code)), this,
                           [this, code = QString::fromStdString(c.code)] {
                               emit troubleshootingRequested(helpAddressOfCode(code));
                           });
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace caracal::ui
