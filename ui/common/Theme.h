#pragma once
// Light and dark palettes, and the colours of decision badges that read well on either.
#include "present/EventPresentation.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace caracal::ui {

enum class PaletteMode { System, Light, Dark };
PaletteMode paletteModeFromName(const QString& name, bool* ok = nullptr);
void applyPalette(PaletteMode mode);
bool isDark(const QPalette& palette);

struct BadgeColors {
    QColor background, text;
};
BadgeColors badgeColors(Tone tone, const QPalette& palette);
QString colorName(const QColor& c); // #rrggbb
// The application icon, the same art the desktop entry installs.
QIcon applicationIcon();

} // namespace caracal::ui
