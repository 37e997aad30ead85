#pragma once
// Follow mode for a view of a deployment: polls for events newer than the newest loaded (every interval,
// backing off while the server fails), merges what is new into a copy of the store off the GUI thread and
// hands the copy to the window, which swaps it in. Pause stops the timer; resume polls at once.
#include "load/StoreMerge.h"
#include "remote/AuditListing.h"
#include "remote/FollowSchedule.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>

namespace caracal::ui {

class JobTracker;

class FollowController : public QObject {
    Q_OBJECT
  public:
    // Events this much older than the newest loaded are asked for again: one written a little late (a
    // Gateway event after its exchange) is still found, and the copies already loaded are dropped by id.
    static constexpr int64_t kOverlapMicros = 5'000'000;

    struct Poll {
        std::shared_ptr<const EventStore> base;
        StoreExtension extension; // store null when nothing new arrived or the poll was stopped
        QHash<QString, QStringList> values;
        std::optional<RemoteError> error;
        bool gap = false; // the page cap stopped a zone's poll: events between old and new were not read
    };
    using StoreSource = std::function<std::shared_ptr<const EventStore>()>;

    // Polls run as jobs of `jobs` (slot "follow"), holding the store they extend.
    FollowController(JobTracker* jobs, QObject* parent = nullptr);
    ~FollowController() override;

    // Starts following: the first poll runs after one interval (the view was just loaded).
    void start(const RemoteConnection& connection, const ServerFilter& filter, bool auditService,
               StoreSource currentStore);
    void stop();
    bool isActive() const { return m_active; }
    void setPaused(bool paused);
    bool isPaused() const { return m_schedule.paused(); }
    void pollNow();
    bool isPolling() const;
    bool isTimerActive() const { return m_timer.isActive(); }
    int nextDelayMs() const { return m_nextDelayMs; }
    const FollowSchedule& schedule() const { return m_schedule; }
    // "Live: ...", "Paused", "Server failing: ...", for the status bar.
    QString stateText() const;

  signals:
    void stateChanged();
    void extended(std::shared_ptr<caracal::ui::FollowController::Poll> poll); // something new arrived
    void polled(); // after every poll, whatever its outcome

  private:
    void finishPoll(std::shared_ptr<Poll> poll);
    void scheduleNext();

    QTimer m_timer;
    FollowSchedule m_schedule;
    RemoteConnection m_connection;
    ServerFilter m_filter;
    bool m_auditService = false;
    StoreSource m_currentStore;
    JobTracker* m_jobs;
    bool m_active = false;
    int m_nextDelayMs = 0;
    QDateTime m_lastPoll;
    size_t m_lastAdded = 0;
    bool m_gap = false;
};

} // namespace caracal::ui
