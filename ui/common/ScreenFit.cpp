#include "common/ScreenFit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>
#include <algorithm>

namespace caracal::ui {

void fitToScreen(QWidget* window, QSize preferred) {
    QScreen* screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    if (!screen) {
        window->resize(preferred);
        return;
    }
    const QRect available = screen->availableGeometry();
    // The frame is not known before the window is shown; title bars and borders stay within this margin.
    const QSize frame(16, 48);
    const QSize size = preferred.boundedTo(available.size() - frame);
    window->resize(size);
    // move() places the frame's corner: centre the framed window on the available area.
    window->move(available.left() + std::max(0, (available.width() - size.width() - frame.width()) / 2),
                 available.top() + std::max(0, (available.height() - size.height() - frame.height()) / 2));
}

} // namespace caracal::ui
