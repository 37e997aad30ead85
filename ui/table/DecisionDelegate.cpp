#include "table/DecisionDelegate.h"

#include "common/Theme.h"
#include "table/EventTableModel.h"

#include <QApplication>
#include <QPainter>

namespace caracal::ui {

void DecisionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    if (text.isEmpty()) return;
    const auto colors = badgeColors(Tone(index.data(EventTableModel::ToneRole).toInt()), option.palette);
    QFont font = opt.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const int padding = 7;
    const int height = std::min(opt.rect.height() - 4, fm.height() + 2);
    QRect badge(opt.rect.left() + 4, opt.rect.center().y() - height / 2 + 1,
                fm.horizontalAdvance(text) + 2 * padding, height);
    badge.setRight(std::min(badge.right(), opt.rect.right() - 2));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colors.background);
    painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
    painter->setFont(font);
    painter->setPen(colors.text);
    const bool clipped = badge.width() < fm.horizontalAdvance(text) + 2 * padding;
    painter->drawText(badge, Qt::AlignCenter,
                      clipped ? fm.elidedText(text, Qt::ElideRight, badge.width() - padding) : text);
    painter->restore();
}

QSize DecisionDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(s.width() + 18);
    return s;
}

} // namespace caracal::ui
