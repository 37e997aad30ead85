#include "window/ConsoleBenchmark.h"

#include "graph/DelegationGraphWindow.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "timeline/TimelinePanel.h"
#include "timeline/TimelineView.h"
#include "window/MainWindow.h"
#include "window/StatisticsBenchmark.h"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
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

// The largest zone's delegation graph, as View > Delegation graph of the zone asks for it: from the request
// to its first view (the overview or the drawing) painted. Prints gui_zone_graph_ms and what was shown.
void measureZoneGraph(MainWindow& w, double& stall, QTimer& heartbeat) {
    const auto zones = w.store()->valueCounts(Field::Zone);
    QString zone;
    for (const auto& [name, count] : zones)
        if (!name.empty()) {
            zone = QString::fromUtf8(name.data(), qsizetype(name.size()));
            break;
        }
    if (zone.isEmpty()) return;
    waitFor(w, &MainWindow::viewApplied, [&] {
        w.setViewOptions("", "", zone);
        w.applyView();
    });
    w.table()->setCurrentIndex(w.model()->index(0, 0));
    {
        // The phase starts on a fresh tick, so lateness left over from the filter is not counted in it.
        QEventLoop tick;
        QObject::connect(&heartbeat, &QTimer::timeout, &tick, &QEventLoop::quit);
        tick.exec();
    }
    stall = 0;
    QElapsedTimer t;
    t.start();
    DelegationGraphWindow* graph = w.openDelegationGraph(MainWindow::GraphOf::Zone);
    if (!graph) return;
    QEventLoop loop;
    QObject::connect(graph, &DelegationGraphWindow::drawn, &loop, &QEventLoop::quit);
    loop.exec();
    const QPixmap first = graph->grab(); // the first view, painted
    const double ms = double(t.nsecsElapsed()) / 1e6;
    std::printf("gui_zone_graph_ms %.1f (zone %s: %zu Sessions, %zu edges, %s)\n", ms, qPrintable(zone),
                graph->wholeGraph()->nodes().size(), graph->wholeGraph()->edges().size(),
                graph->showsOverview() ? "overview by application" : "drawn in full");
    std::printf("gui_zone_graph_stall_ms %.1f\n", stall);
    graph->close();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}
// The timeline of the whole view (every loaded row) as the panel computes it after a view: off the GUI
// thread, from the request to the drawn result. Prints gui_timeline_ms and the worst stall meanwhile.
void measureTimeline(MainWindow& w, double& stall, QTimer& heartbeat) {
    TimelinePanel* panel = w.timeline();
    if (!panel->toggleAction()->isChecked())
        panel->toggleAction()->setChecked(true); // hidden in the settings
    {
        QEventLoop tick;
        QObject::connect(&heartbeat, &QTimer::timeout, &tick, &QEventLoop::quit);
        tick.exec();
    }
    stall = 0;
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QObject::connect(panel, &TimelinePanel::timelineShown, &loop, &QEventLoop::quit);
    panel->refresh();
    loop.exec();
    panel->view()->repaint(); // the bars painted
    const double ms = double(t.nsecsElapsed()) / 1e6;
    const Timeline* shown = panel->view()->timeline();
    std::printf("gui_timeline_ms %.1f (%zu events, %zu buckets of %s)\n", ms, shown ? shown->events : 0,
                shown ? shown->bucketCount : 0, shown ? bucketSizeName(shown->bucketSeconds).c_str() : "-");
    std::printf("gui_timeline_stall_ms %.1f\n", stall);
}
} // namespace

int runConsoleBenchmark(MainWindow& w, const QString& file, const QString& zone, const QString& text) {
    QElapsedTimer clock;
    double firstRows = -1, worstStall = 0, phaseStall = 0;
    qint64 lastTick = -1;
    QTimer heartbeat;
    heartbeat.setInterval(10);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (lastTick >= 0) {
            worstStall = std::max(worstStall, double(now - lastTick - 10));
            phaseStall = std::max(phaseStall, double(now - lastTick - 10));
        }
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
        w.table()->horizontalHeader()->setSortIndicator(int(w.model()->columns().indexOf("@actor")),
                                                        Qt::AscendingOrder);
    });
    std::printf("gui_sort_ms %.1f (%d rows)\n", sortMs, w.model()->rowCount());
    measureTimeline(w, phaseStall, heartbeat);
    measureZoneGraph(w, phaseStall, heartbeat);
    measureStatistics(w, phaseStall, heartbeat);
    heartbeat.stop();
    // The heartbeat ran through every phase: loading, both filters, the sort, the timeline, the zone graph
    // and statistics.
    std::printf("gui_worst_stall_ms %.1f\n", worstStall);
    std::fflush(stdout);
    return 0;
}

} // namespace caracal::ui
