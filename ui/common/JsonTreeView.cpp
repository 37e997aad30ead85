#include "common/JsonTreeView.h"

#include "common/JsonTreeModel.h"

#include <QEvent>
#include <QHeaderView>
#include <QTreeView>
#include <algorithm>

namespace caracal::ui {

namespace {
// A tree filled while hidden (a tab not on show) knows its real width only later: fit again on resize.
class KeyColumnFitter : public QObject {
  public:
    explicit KeyColumnFitter(QTreeView* view) : QObject(view), m_view(view) {}
    bool eventFilter(QObject*, QEvent* event) override {
        if (event->type() == QEvent::Resize) fitJsonKeyColumn(m_view);
        return false;
    }

  private:
    QTreeView* m_view;
};
} // namespace

void setUpJsonTreeView(QTreeView* view) {
    view->viewport()->installEventFilter(new KeyColumnFitter(view)); // the viewport: resized last
    view->setUniformRowHeights(true);
    view->setTextElideMode(Qt::ElideMiddle);
    QHeaderView* header = view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::Fixed);
    // "boolean", the longest type name, and no wider: the type is a hint, the value is what is read.
    header->resizeSection(JsonTreeModel::TypeColumn, view->fontMetrics().horizontalAdvance("boolean") + 24);
}

void fitJsonKeyColumn(QTreeView* view) {
    view->resizeColumnToContents(JsonTreeModel::KeyColumn);
    const int limit = std::max(120, view->viewport()->width() / 3);
    if (view->columnWidth(JsonTreeModel::KeyColumn) > limit)
        view->setColumnWidth(JsonTreeModel::KeyColumn, limit);
}

} // namespace caracal::ui
