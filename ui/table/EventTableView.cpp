#include "table/EventTableView.h"

#include "table/EventTableModel.h"

#include <QHeaderView>
#include <QKeyEvent>

namespace caracal::ui {

EventTableView::EventTableView(QWidget* parent) : QTableView(parent) {
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setHorizontalScrollMode(ScrollPerPixel);
    setContextMenuPolicy(Qt::CustomContextMenu);
    verticalHeader()->hide();
    // Uniform row heights: the view never measures rows one by one.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSortIndicatorShown(true);
}

void EventTableView::setEventModel(EventTableModel* model) {
    m_model = model;
    setModel(model);
}

QList<int> EventTableView::selectedRowNumbers() const {
    QList<int> rows;
    if (!selectionModel()) return rows;
    for (const QModelIndex& i : selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

QString EventTableView::selectedRowsAsText() const {
    if (!m_model) return {};
    QStringList header;
    for (int c = 0; c < m_model->columnCount(); ++c)
        header << m_model->headerData(horizontalHeader()->logicalIndex(c), Qt::Horizontal, Qt::DisplayRole)
                      .toString();
    QString text = header.join('\t') + '\n';
    for (int row : selectedRowNumbers()) {
        QStringList cells;
        for (int c = 0; c < m_model->columnCount(); ++c)
            cells << m_model->cellText(m_model->rowId(row),
                                       m_model->columns()[horizontalHeader()->logicalIndex(c)]);
        text += cells.join('\t') + '\n';
    }
    return text;
}

// Typing anywhere in the table looks for a request id starting with what was typed (a pause starts over).
void EventTableView::keyboardSearch(const QString& search) {
    if (!m_model || search.isEmpty()) return;
    if (!m_lastKey.isValid() || m_lastKey.elapsed() > 1500) m_typed.clear();
    m_lastKey.restart();
    m_typed += search;
    const int requestColumn = m_model->columns().indexOf("@request");
    const EventStore* store = m_model->store();
    const std::string prefix = m_typed.toStdString();
    const int start = currentIndex().isValid() ? currentIndex().row() : 0;
    const int n = m_model->rowCount();
    for (int k = 0; k < n; ++k) {
        const int row = (start + k) % n;
        if (store->field(m_model->rowId(row), Field::RequestId).substr(0, prefix.size()) == prefix) {
            const QModelIndex target = m_model->index(row, std::max(0, requestColumn));
            setCurrentIndex(target);
            scrollTo(target, PositionAtCenter);
            return;
        }
    }
}

void EventTableView::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Copy)) {
        emit copyRequested();
        return;
    }
    QTableView::keyPressEvent(event);
}

} // namespace caracal::ui
