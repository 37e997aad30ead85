#pragma once
// The Statistics window's part of `caracal-console --benchmark`: tables over every loaded row, each from the
// request to the result shown, with the GUI thread's worst lateness meanwhile; then each grouping's engine
// time alone. Prints "key value" lines.
#include <QTimer>

namespace caracal::ui {

class MainWindow;
void measureStatistics(MainWindow& window, double& phaseStall, QTimer& heartbeat);

} // namespace caracal::ui
