#include "dialogs/BadLinesDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace caracal::ui {

BadLinesModel::BadLinesModel(std::shared_ptr<const EventStore> store, QObject* parent)
    : QAbstractTableModel(parent), m_store(std::move(store)) {}

int BadLinesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_store ? 0 : int(m_store->badLines().size());
}

int BadLinesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 3;
}

QVariant BadLinesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const BadLine& bad = m_store->badLines()[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case 0:
            return QString::fromStdString(m_store->source(bad.source).name());
        case 1:
            return role == Qt::DisplayRole ? QVariant(bad.line) : QVariant(QString::number(bad.line));
        case 2:
            return QString::fromStdString(bad.reason);
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == 1)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant BadLinesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* titles[] = {"File", "Line", "Reason"};
    return section >= 0 && section < 3 ? QVariant(titles[section]) : QVariant();
}

BadLinesDialog::BadLinesDialog(std::shared_ptr<const EventStore> store, QWidget* parent) : QDialog(parent) {
    setWindowTitle("Bad lines");
    resize(860, 420);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QString("%1 lines could not be read as events. Every other line was loaded.")
                                     .arg(QLocale().toString(qlonglong(store->badLines().size()))),
                                 this));
    m_model = new BadLinesModel(store, this);
    auto* proxy = new QSortFilterProxyModel(this); // small table: sorting through a proxy is fine here
    proxy->setSourceModel(m_model);
    auto* view = new QTableView(this);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setColumnWidth(0, 320);
    view->setColumnWidth(1, 70);
    layout->addWidget(view, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton("Copy all", QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [store] {
        QString text;
        for (const auto& bad : store->badLines())
            text += QString("%1:%2: %3\n")
                        .arg(QString::fromStdString(store->source(bad.source).name()))
                        .arg(bad.line)
                        .arg(QString::fromStdString(bad.reason));
        QApplication::clipboard()->setText(text);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace caracal::ui
