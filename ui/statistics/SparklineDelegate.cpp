#include "statistics/SparklineDelegate.h"

#include "statistics/StatisticsModel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace caracal::ui {

void SparklineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    const QList<int> counts = index.data(StatisticsModel::SparklineRole).value<QList<int>>();
    if (counts.isEmpty()) return;
    const int peak = std::max(1, *std::max_element(counts.begin(), counts.end()));
    const QRectF area = QRectF(opt.rect).adjusted(4, 4, -4, -4);
    const double step = counts.size() > 1 ? area.width() / double(counts.size() - 1) : 0;
    QPainterPath line;
    for (int i = 0; i < counts.size(); ++i) {
        const QPointF p(area.left() + step * i, area.bottom() - area.height() * counts[i] / double(peak));
        i ? line.lineTo(p) : line.moveTo(p);
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                              : QPalette::Highlight),
                         1.5));
    painter->drawPath(line);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    return {std::max(s.width(), 140), s.height()};
}

} // namespace caracal::ui
