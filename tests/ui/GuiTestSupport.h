#pragma once
// Shared by the window suites: settings kept in a temporary folder, and screenshots for looking by eye.
#include "common/Theme.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWidget>

namespace caracal::test {

// Settings, standard paths and the palette of a clean first start, isolated from the user's own.
inline void isolateSettings(const QTemporaryDir& tmp, const char* applicationName) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, tmp.path());
    QCoreApplication::setOrganizationName("CaracalTest");
    QCoreApplication::setApplicationName(applicationName);
    ui::applyPalette(ui::PaletteMode::Light);
}

// Saves the widget as CARACAL_SCREENSHOTS/<name>.png when that variable is set.
inline void screenshot(QWidget* widget, const char* name) {
    const QByteArray dir = qgetenv("CARACAL_SCREENSHOTS");
    if (!dir.isEmpty()) widget->grab().save(QString(dir) + "/" + name + ".png");
}

} // namespace caracal::test
