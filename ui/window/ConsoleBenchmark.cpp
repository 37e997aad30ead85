#include "window/ConsoleBenchmark.h"

#include "table/EventTableModel.h"
#include "window/MainWindow.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <cstdio>

namespace caracal::ui {

namespace {
// Runs the event loop until `signal` fires; returns the elapsed milliseconds.
template <class Signal> double waitFor(MainWindow& w, Signal signal, const std::function<void()>& start) {
    QEventLoop loop;
    QObject::connect(&w, signal, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    start();
    loop.exec();
    return double(t.nsecsElapsed()) / 1e6;
}
} // namespace

int runConsoleBenchmark(MainWindow& w, const QString& file, const QString& zone, const QString& text) {
    QElapsedTimer clock;
    double firstRows = -1, worstStall = 0;
    qint64 lastTick = -1;
    QTimer heartbeat;
    heartbeat.setInterval(10);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (lastTick >= 0) worstStall = std::max(worstStall, double(now - lastTick - 10));
        lastTick = now;
    });
    QObject::connect(&w, &MainWindow::firstRowsShown,
                     [&] { firstRows = double(clock.nsecsElapsed()) / 1e6; });

    QEventLoop loop;
    QObject::connect(&w, &MainWindow::loadFinished, &loop, &QEventLoop::quit);
    clock.start();
    heartbeat.start();
    w.openFiles({file});
    loop.exec();
    const double loaded = double(clock.nsecsElapsed()) / 1e6;
    const double loadStall = worstStall;

    std::printf("events %lld\n", static_cast<long long>(w.store()->size()));
    std::printf("gui_first_rows_ms %.1f\n", firstRows);
    std::printf("gui_loaded_ms %.1f\n", loaded);
    std::printf("gui_load_worst_stall_ms %.1f\n", loadStall);

    const double zoneMs = waitFor(w, &MainWindow::viewApplied, [&] {
        w.setViewOptions("", "", zone);
        w.applyView();
    });
    std::printf("gui_zone_filter_ms %.1f (%d rows)\n", zoneMs, w.model()->rowCount());
    const double textMs = waitFor(w, &MainWindow::viewApplied, [&] {
        w.setViewOptions(text, "", "");
        w.applyView();
    });
    std::printf("gui_text_filter_ms %.1f (%d rows)\n", textMs, w.model()->rowCount());

    // Every loaded row sorted by a metadata column, as a header click asks: the sort runs in the view job.
    const double sortMs = waitFor(w, &MainWindow::viewApplied, [&] {
        w.setViewOptions("", "", "");
        emit w.model()->sortRequested("@actor", Qt::AscendingOrder);
    });
    std::printf("gui_sort_ms %.1f (%d rows)\n", sortMs, w.model()->rowCount());
    heartbeat.stop();
    // The heartbeat ran through every phase: loading, both filters and the sort.
    std::printf("gui_worst_stall_ms %.1f\n", worstStall);
    std::fflush(stdout);
    return 0;
}

} // namespace caracal::ui
