#include "statistics/ShareBarDelegate.h"

#include "statistics/StatisticsModel.h"

#include <QApplication>
#include <QPainter>

namespace caracal::ui {

void ShareBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    const double share = std::clamp(index.data(StatisticsModel::ShareRole).toDouble(), 0.0, 1.0);
    const QRect area = opt.rect.adjusted(3, 4, -3, -4);
    QColor bar = opt.palette.color(QPalette::Highlight);
    bar.setAlpha(110);
    painter->save();
    painter->fillRect(QRect(area.left(), area.top(), int(area.width() * share), area.height()), bar);
    painter->setPen(
        opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(area.adjusted(0, 0, -2, 0), Qt::AlignRight | Qt::AlignVCenter, text);
    painter->restore();
}

} // namespace caracal::ui
