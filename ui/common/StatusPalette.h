#pragma once
// The colours of states (passed, warning, failed, muted, unknown) for text in labels, badges and legends, in
// one place, each readable on the light and on the dark palette. The graph's edge colours are the same.
#include <QPalette>
#include <QString>

namespace caracal::ui {

enum class StatusTone { Good, Warning, Bad, Muted, Neutral };

// #rrggbb for text of that tone on `palette` (the application's when omitted).
QString statusColor(StatusTone tone, const QPalette& palette);
QString statusColor(StatusTone tone);
// "<span style='color:...'>text</span>" (text is HTML already).
QString statusSpan(StatusTone tone, const QString& html, bool bold = false);

} // namespace caracal::ui
