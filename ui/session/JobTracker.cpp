#include "session/JobTracker.h"

#include <QCoreApplication>

namespace caracal::ui {

uint64_t JobTracker::supersede(const QString& slot) {
    for (Job& job : m_jobs)
        if (job.slot == slot) job.control->cancel();
    return ++m_generations[slot];
}

void JobTracker::forget(QFutureWatcher<void>* watcher) {
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it)
        if (it->watcher == watcher) {
            m_jobs.erase(it);
            break;
        }
    watcher->deleteLater();
    emit jobsChanged();
}

void JobTracker::cancel(const QString& slot) {
    const bool running = isRunning(slot);
    supersede(slot);
    if (running) emit jobsChanged();
}

void JobTracker::cancelAll() {
    for (Job& job : m_jobs)
        job.control->cancel();
    for (auto it = m_generations.begin(); it != m_generations.end(); ++it)
        ++it.value();
}

void JobTracker::shutdown() {
    m_shutDown = true;
    cancelAll();
    for (Job& job : m_jobs)
        job.future.waitForFinished();
}

void JobTracker::waitForAll() {
    // A finished job's result may start the next one (an index starts a view): wait until none is left.
    while (!m_jobs.empty()) {
        Job& job = m_jobs.front();
        QFutureWatcher<void>* watcher = job.watcher;
        job.future.waitForFinished();
        QCoreApplication::sendPostedEvents(watcher);
        if (!m_jobs.empty() && m_jobs.front().watcher == watcher) QCoreApplication::processEvents();
    }
}

bool JobTracker::isRunning(const QString& slot) const {
    for (const Job& job : m_jobs)
        if (job.slot == slot && !job.control->cancelled()) return true;
    return false;
}

QStringList JobTracker::runningSlots() const {
    QStringList names;
    for (const Job& job : m_jobs)
        if (!job.control->cancelled() && !names.contains(job.slot)) names << job.slot;
    return names;
}

} // namespace caracal::ui
