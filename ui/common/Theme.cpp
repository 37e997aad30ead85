#include "common/Theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <algorithm>
#include <cmath>

namespace caracal::ui {

PaletteMode paletteModeFromName(const QString& name, bool* ok) {
    if (ok) *ok = true;
    if (name == "light") return PaletteMode::Light;
    if (name == "dark") return PaletteMode::Dark;
    if (ok) *ok = name == "system";
    return PaletteMode::System;
}

bool isDark(const QPalette& p) {
    return p.color(QPalette::Window).lightness() < 128;
}

void applyPalette(PaletteMode mode) {
    if (mode == PaletteMode::System) return; // the platform theme's style and palette, light or dark
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    if (mode == PaletteMode::Light) {
        p = QApplication::style()->standardPalette();
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    } else {
        const QColor window(0x25, 0x27, 0x2b), base(0x1c, 0x1e, 0x21), text(0xe4, 0xe6, 0xea);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0x23, 0x25, 0x29));
        p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x33, 0x38));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0x2e, 0x31, 0x36));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Mid, QColor(0x44, 0x48, 0x4f));
        p.setColor(QPalette::Dark, QColor(0x15, 0x16, 0x18));
        p.setColor(QPalette::Light, QColor(0x3a, 0x3e, 0x44));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x7b, 0xe0));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x7a, 0xb0, 0xff));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6e, 0x73, 0x7b));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6e, 0x73, 0x7b));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6e, 0x73, 0x7b));
    }
    QApplication::setPalette(p);
}

BadgeColors badgeColors(Tone tone, const QPalette& palette) {
    const bool dark = isDark(palette);
    switch (tone) {
    case Tone::Success:
        return dark ? BadgeColors{QColor(0x1f, 0x4d, 0x2e), QColor(0x9b, 0xe8, 0xb0)}
                    : BadgeColors{QColor(0xd9, 0xf2, 0xe0), QColor(0x1b, 0x5e, 0x30)};
    case Tone::Danger:
        return dark ? BadgeColors{QColor(0x5c, 0x23, 0x23), QColor(0xff, 0xb3, 0xb0)}
                    : BadgeColors{QColor(0xfb, 0xdd, 0xdc), QColor(0x9b, 0x1c, 0x1c)};
    case Tone::Warning:
        return dark ? BadgeColors{QColor(0x57, 0x42, 0x12), QColor(0xff, 0xd8, 0x8a)}
                    : BadgeColors{QColor(0xfd, 0xef, 0xc8), QColor(0x7a, 0x4b, 0x00)};
    case Tone::Muted:
        break;
    }
    return dark ? BadgeColors{QColor(0x3a, 0x3e, 0x44), QColor(0xc9, 0xcd, 0xd3)}
                : BadgeColors{QColor(0xe6, 0xe8, 0xeb), QColor(0x4a, 0x4f, 0x57)};
}

QString colorName(const QColor& c) {
    return c.name(QColor::HexRgb);
}

namespace {
double luminance(const QColor& c) {
    auto channel = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(const QColor& colour, const QPalette& palette) {
    const bool dark = isDark(palette);
    const QColor toward = dark ? QColor(Qt::white) : QColor(Qt::black);
    auto readable = [&](const QColor& c) {
        for (QPalette::ColorRole role : {QPalette::Base, QPalette::AlternateBase, QPalette::Window})
            if (contrastRatio(c, palette.color(role)) < 4.5) return false;
        return true;
    };
    QColor c = colour;
    // Step toward white (or black) keeping the hue, so a warning stays orange and a failure red.
    for (int step = 1; step <= 20 && !readable(c); ++step) {
        const double t = step / 20.0;
        c = QColor::fromRgbF(float(colour.redF() + (toward.redF() - colour.redF()) * t),
                             float(colour.greenF() + (toward.greenF() - colour.greenF()) * t),
                             float(colour.blueF() + (toward.blueF() - colour.blueF()) * t));
    }
    return c;
}

QString mutedTextColor(const QPalette& palette) {
    return colorName(readableOn(palette.color(QPalette::PlaceholderText), palette));
}

QIcon applicationIcon() {
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QString(":/icons/caracal-console-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace caracal::ui
