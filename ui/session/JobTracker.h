#pragma once
// Every background job of the console (index, view, diagnostics, merge, graph build and layout, verify) runs
// through one tracker. A job holds a shared reference to the store it reads for as long as it runs, so a
// reload or a closed window can never free data under a worker. Jobs live in named slots: starting a job in a
// slot cancels the one before it and drops its result, and a result only reaches the GUI thread while its
// job is still the slot's newest. Destroying the tracker cancels every job and waits for it.
#include "store/EventStore.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent>
#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <optional>

namespace caracal::ui {

// What a running job sees of the outside: whether it should stop, and where to report progress.
class JobControl {
  public:
    bool cancelled() const { return m_cancel.load(std::memory_order_relaxed); }
    const std::atomic<bool>* cancelFlag() const { return &m_cancel; }
    // Progress in [0, 1], read by the GUI thread when it repaints.
    void setProgress(double fraction) { m_permille.store(int(fraction * 1000), std::memory_order_relaxed); }
    double progress() const { return m_permille.load(std::memory_order_relaxed) / 1000.0; }
    void cancel() { m_cancel.store(true, std::memory_order_relaxed); }

  private:
    std::atomic<bool> m_cancel{false};
    std::atomic<int> m_permille{0};
};

class JobTracker : public QObject {
    Q_OBJECT
  public:
    explicit JobTracker(QObject* parent = nullptr) : QObject(parent) {}
    ~JobTracker() override { shutdown(); }

    // Runs `work(store, control)` on the thread pool; `done(result)` runs on the GUI thread unless the job
    // was cancelled or superseded meanwhile. `store` may be null for jobs that read no events.
    template <class Result>
    std::shared_ptr<JobControl> run(const QString& slot, std::shared_ptr<const EventStore> store,
                                    std::function<Result(const EventStore*, JobControl&)> work,
                                    std::function<void(Result)> done) {
        auto control = std::make_shared<JobControl>();
        if (m_shutDown) {
            control->cancel();
            return control;
        }
        const uint64_t generation = supersede(slot);
        auto result = std::make_shared<std::optional<Result>>();
        QFuture<void> future = QtConcurrent::run([store = std::move(store), control, result,
                                                  work = std::move(work)]() mutable {
            if (!control->cancelled()) *result = work(store.get(), *control);
            store.reset(); // released before the job reports finished, not when the pool discards the task
        });
        auto* watcher = new QFutureWatcher<void>(this);
        m_jobs.push_back(Job{slot, generation, control, future, watcher});
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, slot, generation, control, result, done = std::move(done)] {
                    forget(watcher);
                    if (control->cancelled() || generation != m_generations.value(slot) ||
                        !result->has_value())
                        return;
                    done(std::move(**result));
                });
        watcher->setFuture(future);
        emit jobsChanged();
        return control;
    }

    // Cancels the slot's job (if any) and drops its result.
    void cancel(const QString& slot);
    // Drops results of the slot's running job without cancelling it (a newer view replaced it by other
    // means).
    void invalidate(const QString& slot) { ++m_generations[slot]; }
    void cancelAll();
    // Cancels every job and waits until none runs; no result is delivered afterwards.
    void shutdown();
    // Waits for every job and delivers the results still wanted (tests and the benchmark).
    void waitForAll();

    bool isRunning(const QString& slot) const;
    int runningCount() const { return int(m_jobs.size()); }
    // Slots with a job running, for the status bar.
    QStringList runningSlots() const;

  signals:
    void jobsChanged();

  private:
    struct Job {
        QString slot;
        uint64_t generation;
        std::shared_ptr<JobControl> control;
        QFuture<void> future;
        QFutureWatcher<void>* watcher;
    };
    // Cancels what runs in `slot` and returns the new job's generation.
    uint64_t supersede(const QString& slot);
    void forget(QFutureWatcher<void>* watcher);

    std::list<Job> m_jobs;
    QHash<QString, uint64_t> m_generations;
    bool m_shutDown = false;
};

} // namespace caracal::ui
