#pragma once
// `caracal-console --benchmark FILE`: opens FILE in a real window and measures what product.md sets for the
// GUI: time to the first rows, time until indexed and shown, the GUI thread's worst stall while loading (a 10
// ms timer records its worst lateness), and a zone filter and a free-text filter after loading. Prints "key
// value" lines.
#include <QString>

namespace caracal::ui {

class MainWindow;
int runConsoleBenchmark(MainWindow& window, const QString& file, const QString& zone, const QString& text);

} // namespace caracal::ui
