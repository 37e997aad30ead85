#pragma once
// View > Follow file: follows a growing local file as `tail -f` does. QFileSystemWatcher says when the file
// (or its folder, for a rotation) changes; a poll timer covers file systems that do not tell. Each poll runs
// as a job (slot "follow-file"): the engine's FileFollower reads the complete new lines (a partial last line
// waits for its newline), which are loaded into a copy of the store that extends it, so row ids carry over.
// A truncated or replaced file is reported instead: the session loads it again.
#include "input/FileFollower.h"
#include "store/EventStore.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <memory>

namespace caracal::ui {

class JobTracker;

class FileFollowController : public QObject {
    Q_OBJECT
  public:
    // The store to extend, or null while it may not be extended now (loading, another extension waiting).
    using StoreSource = std::function<std::shared_ptr<const EventStore>()>;
    // Hands a larger store to the session; false when it could not take it now (the lines are read again).
    using Adopt =
        std::function<bool(const std::shared_ptr<const EventStore>& base, std::shared_ptr<EventStore> store,
                           const QHash<QString, QStringList>& values, const QString& message)>;

    FileFollowController(JobTracker* jobs, QObject* parent = nullptr);
    ~FileFollowController() override;

    // Follows `path`, whose loaded copy is a source of the current store: new lines are those after it.
    void start(const QString& path, StoreSource currentStore, Adopt adopt);
    void stop();
    bool isActive() const { return m_active; }
    QString path() const { return m_path; }
    // Looks at the file now (a poll already running looks again when it ends).
    void pollNow();
    bool isPolling() const { return m_polling; }
    int pollIntervalMs() const { return m_timer.interval(); }
    void setPollIntervalMs(int ms) { m_timer.setInterval(ms); }
    // Every poll that brings lines adds a source to the store, and a record names its source in 16 bits:
    // from this many sources on, the file is loaded again as one source instead.
    void setMaxSources(size_t count) { m_maxSources = count; }

  signals:
    // The file was truncated or replaced: it must be loaded again; `message` says which.
    void restartNeeded(const QString& message);
    void error(const QString& message); // it cannot be read now (polling goes on)
    void polled();                      // after every poll, whatever its outcome

  private:
    struct Poll;
    void finishPoll(const std::shared_ptr<Poll>& poll);
    void watch();

    JobTracker* m_jobs;
    QFileSystemWatcher m_watcher;
    QTimer m_timer;
    QString m_path;
    StoreSource m_currentStore;
    Adopt m_adopt;
    std::shared_ptr<FileFollower> m_follower; // null until the first poll placed it after the loaded bytes
    bool m_active = false;
    bool m_polling = false; // one poll at a time: a newer job in the slot would cancel one that read lines
    bool m_again = false;
    QString m_lastError;
    size_t m_maxSources = 16384;
};

} // namespace caracal::ui
