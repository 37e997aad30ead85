#pragma once
// Windows open at a comfortable size, but never larger than the screen they open on: a 1280x720 laptop
// shows the whole window, title bar and status bar included.
#include <QSize>

class QWidget;

namespace caracal::ui {

// Resizes `window` to `preferred`, shrunk to fit the available geometry of its screen (leaving room for
// the window frame), and centres it there.
void fitToScreen(QWidget* window, QSize preferred);

} // namespace caracal::ui
