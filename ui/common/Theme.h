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
// WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);
// `colour`, darkened on a light palette or lightened on a dark one until text in it reaches the WCAG AA
// ratio (4.5) on the palette's Base, AlternateBase and Window.
QColor readableOn(const QColor& colour, const QPalette& palette);
// Secondary text (labels, hints, headings of minor sections) that still reads on either palette.
QString mutedTextColor(const QPalette& palette);
// The application icon, the same art the desktop entry installs.
QIcon applicationIcon();

} // namespace caracal::ui
