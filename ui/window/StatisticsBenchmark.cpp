#include "window/StatisticsBenchmark.h"

#include "statistics/StatisticsModel.h"
#include "statistics/StatisticsWindow.h"
#include "window/MainWindow.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <cstdio>

namespace caracal::ui {

void measureStatistics(MainWindow& w, double& stall, QTimer& heartbeat) {
    StatisticsWindow* window = w.openStatistics();
    auto waitComputed = [&](const std::function<void()>& start) {
        QEventLoop loop;
        QObject::connect(window, &StatisticsWindow::computed, &loop, &QEventLoop::quit);
        QElapsedTimer t;
        t.start();
        start();
        loop.exec();
        return double(t.nsecsElapsed()) / 1e6;
    };
    waitComputed([] {}); // the table the window opens with
    for (StatisticsField f :
         {StatisticsField::Application, StatisticsField::Session, StatisticsField::Reason}) {
        QEventLoop tick; // a fresh tick: lateness left from before is not counted here
        QObject::connect(&heartbeat, &QTimer::timeout, &tick, &QEventLoop::quit);
        tick.exec();
        stall = 0;
        const double ms = waitComputed([&] { window->setField(f); });
        const std::string name(statisticsFieldName(f));
        std::printf("gui_statistics_%s_ms %.1f (%d values over %llu events)\n", name.c_str(), ms,
                    window->model()->rowCount(),
                    static_cast<unsigned long long>(window->model()->table().events));
        std::printf("gui_statistics_%s_stall_ms %.1f\n", name.c_str(), stall);
    }
    window->close();
    QCoreApplication::processEvents();
}

} // namespace caracal::ui
