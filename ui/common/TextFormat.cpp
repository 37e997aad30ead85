#include "common/TextFormat.h"

#include <QLocale>

namespace caracal::ui {

namespace {
QLocale groupingLocale() {
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}
} // namespace

void useGroupedNumbers() {
    QLocale::setDefault(groupingLocale());
}

QString groupedNumber(qlonglong n) {
    return groupingLocale().toString(n);
}

QString countText(qlonglong n, const QString& singular, const QString& plural) {
    return groupedNumber(n) + " " + (n == 1 ? singular : plural);
}

QString eventCountText(qlonglong n) {
    return countText(n, "event", "events");
}

} // namespace caracal::ui
