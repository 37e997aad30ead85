#pragma once
// Paints the decision column as a coloured badge (green allow/approved/consumed, red deny/rejected, amber
// pending/partial), keeping rows one line high.
#include <QStyledItemDelegate>

namespace caracal::ui {

class DecisionDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace caracal::ui
