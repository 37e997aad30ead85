#pragma once
// Numbers in texts the way people read them: "1 event", "4,000 events", with the locale's separators.
#include <QString>

namespace caracal::ui {

// Makes QLocale() group thousands everywhere, also under the C locale (which omits the separator by
// default, so a console started without LANG said "4000 events"). The window calls it once.
void useGroupedNumbers();
// "4,000" (the locale's grouping).
QString groupedNumber(qlonglong n);
// "1 event", "2 events", "4,000 events".
QString countText(qlonglong n, const QString& singular, const QString& plural);
QString eventCountText(qlonglong n);

} // namespace caracal::ui
