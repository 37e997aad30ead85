#pragma once
// `caracal-console --benchmark FILE`: opens FILE in a real window and measures what product.md sets for the
// GUI: time to the first rows, time until indexed and shown, a zone filter and a free-text filter after
// loading, the timeline of the whole view, and the largest zone's delegation graph up to its first painted
// view. A 10 ms timer on the GUI thread records its worst lateness: while loading, during the zone graph, and
// over the whole run. Prints "key value" lines.
#include <QString>

namespace caracal::ui {

class MainWindow;
int runConsoleBenchmark(MainWindow& window, const QString& file, const QString& zone, const QString& text);

} // namespace caracal::ui
