#pragma once
// Paints a row's share of the events as a bar behind its percentage (StatisticsModel::ShareRole).
#include <QStyledItemDelegate>

namespace caracal::ui {

class ShareBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace caracal::ui
