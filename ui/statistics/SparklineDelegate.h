#pragma once
// Paints a row's events over time as a small line (StatisticsModel::SparklineRole), scaled to the row's own
// peak so the shape of a rare value reads as well as a frequent one's.
#include <QStyledItemDelegate>

namespace caracal::ui {

class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace caracal::ui
