#include "common/StatusPalette.h"

#include "common/Theme.h"

#include <QApplication>

namespace caracal::ui {

namespace {
const char* baseColour(StatusTone tone, bool dark) {
    switch (tone) {
    case StatusTone::Good:
        return dark ? "#66bb6a" : "#2e7d32";
    case StatusTone::Warning:
        return dark ? "#ffa726" : "#b26a00";
    case StatusTone::Bad:
        return dark ? "#ef5350" : "#c62828";
    case StatusTone::Muted:
        return dark ? "#9e9e9e" : "#757575";
    case StatusTone::Neutral:
        break;
    }
    return dark ? "#90a4ae" : "#546e7a";
}
} // namespace

QString statusColor(StatusTone tone, const QPalette& palette) {
    // Adjusted until it reads (WCAG AA) on this palette's backgrounds, whatever the theme's shades are.
    return colorName(readableOn(QColor(baseColour(tone, isDark(palette))), palette));
}

QString statusColor(StatusTone tone) {
    return statusColor(tone, QApplication::palette());
}

QString statusSpan(StatusTone tone, const QString& html, bool bold) {
    return QString("<span style='color:%1%2'>%3</span>")
        .arg(statusColor(tone), bold ? "; font-weight:bold" : "", html);
}

} // namespace caracal::ui
