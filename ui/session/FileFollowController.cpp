#include "session/FileFollowController.h"

#include "filter/FilterEdit.h"
#include "input/InputStream.h"
#include "load/StoreMerge.h"
#include "session/JobTracker.h"
#include "util/SourceBuffer.h"

#include <QFileInfo>
#include <QLocale>
#include <algorithm>
#include <cstring>

namespace caracal::ui {

namespace {
constexpr const char* kSlot = "follow-file";

// Where following starts in a loaded copy: just past its last complete line, and that line's successor.
std::pair<uint64_t, uint32_t> endOfCompleteLines(std::string_view bytes) {
    const size_t lastNl = bytes.rfind('\n');
    if (lastNl == std::string_view::npos) return {0, 1};
    uint32_t lines = 1;
    for (const char* at = bytes.data();
         (at = static_cast<const char*>(std::memchr(at, '\n', size_t(bytes.data() + lastNl + 1 - at)))); ++at)
        ++lines;
    return {lastNl + 1, lines};
}
} // namespace

struct FileFollowController::Poll {
    std::shared_ptr<const EventStore> base;
    std::shared_ptr<FileFollower> follower; // created by the first poll
    uint64_t fromOffset = 0;                // where this poll started, to go back to
    uint32_t fromLine = 1;
    FileFollower::Restart restart = FileFollower::Restart::None;
    bool compact = false; // too many appended pieces: load the file again
    std::string error;
    StoreExtension extension; // store null when nothing new arrived
    QHash<QString, QStringList> values;
};

FileFollowController::FileFollowController(JobTracker* jobs, QObject* parent)
    : QObject(parent), m_jobs(jobs) {
    m_timer.setInterval(1000); // for file systems that do not report changes (network mounts)
    connect(&m_timer, &QTimer::timeout, this, &FileFollowController::pollNow);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FileFollowController::pollNow);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &FileFollowController::pollNow);
    // A poll cancelled from outside (a new load cancels every job) delivers nothing: free the slot.
    connect(m_jobs, &JobTracker::jobsChanged, this, [this] {
        if (m_polling && !m_jobs->isRunning(kSlot)) {
            m_polling = false;
            if (m_active && m_again)
                QMetaObject::invokeMethod(this, &FileFollowController::pollNow, Qt::QueuedConnection);
        }
    });
}

FileFollowController::~FileFollowController() {
    stop();
}

void FileFollowController::start(const QString& path, StoreSource currentStore, Adopt adopt) {
    stop();
    m_path = path;
    m_currentStore = std::move(currentStore);
    m_adopt = std::move(adopt);
    m_active = true;
    watch();
    m_timer.start();
    pollNow(); // places the follower after the loaded bytes, and reads what arrived since the load
}

void FileFollowController::stop() {
    m_active = false;
    m_timer.stop();
    if (!m_watcher.files().isEmpty()) m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty()) m_watcher.removePaths(m_watcher.directories());
    if (m_polling) m_jobs->cancel(kSlot);
    m_polling = m_again = false;
    m_follower.reset();
    m_lastError.clear();
}

void FileFollowController::watch() {
    // A rotated file is another inode: the watch on the old one goes, so the folder is watched too.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path)) m_watcher.addPath(m_path);
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir)) m_watcher.addPath(dir);
}

void FileFollowController::pollNow() {
    if (!m_active) return;
    if (m_polling) {
        m_again = true;
        return;
    }
    const std::shared_ptr<const EventStore> base = m_currentStore ? m_currentStore() : nullptr;
    if (!base) return; // the timer comes back
    m_polling = true;
    m_again = false;
    auto poll = std::make_shared<Poll>();
    poll->base = base;
    poll->follower = m_follower;
    const std::string path = m_path.toStdString();
    m_jobs->run<std::shared_ptr<Poll>>(
        kSlot, base,
        [poll, path, maxSources = m_maxSources](const EventStore* store, JobControl& control) {
            if (!poll->follower) {
                // The loaded copy of the file is the store's first source of that name (pieces appended by
                // earlier polls come after it): follow from its last complete line.
                std::string_view loaded;
                for (size_t i = 0; i < store->sourceCount() && loaded.empty(); ++i)
                    if (store->source(uint16_t(i)).name() == path)
                        loaded = store->source(uint16_t(i)).bytes();
                const auto [offset, line] = endOfCompleteLines(loaded);
                auto follower = std::make_shared<FileFollower>(path);
                if (!follower->resumeAt(offset, line, poll->error)) {
                    // Gone for now (being rotated): said, and looked for again. Shorter: loaded again.
                    if (QFileInfo::exists(QString::fromStdString(path)))
                        poll->restart = FileFollower::Restart::Truncated;
                    return poll;
                }
                poll->follower = std::move(follower);
            }
            poll->fromOffset = poll->follower->offset();
            poll->fromLine = poll->follower->nextLine();
            FileFollower::Update u = poll->follower->poll();
            poll->restart = u.restart;
            poll->error = u.error;
            if (u.restart != FileFollower::Restart::None || u.lines.empty()) return poll;
            if (store->sourceCount() >= maxSources) {
                poll->compact = true;
                return poll;
            }
            const uint32_t firstLine = u.firstLine;
            auto source = SourceBuffer::fromBytes(path, std::move(u.lines));
            poll->extension = extendStore(
                *store,
                [&](const LoadCallbacks& cb) {
                    LoadCallbacks numbered = cb;
                    numbered.batch = [&](LoadBatch&& b) { // line numbers of the file, not of this piece
                        b.firstLine = b.firstLine + firstLine - 1;
                        cb.batch(std::move(b));
                    };
                    return loadBuffer(source, {}, numbered);
                },
                control.cancelFlag());
            if (poll->extension.store) poll->values = FilterEdit::valuesIn(*poll->extension.store);
            return poll;
        },
        [this](std::shared_ptr<Poll> result) { finishPoll(result); });
}

void FileFollowController::finishPoll(const std::shared_ptr<Poll>& poll) {
    m_polling = false;
    if (!m_active) return;
    m_follower = poll->follower;
    watch();
    const QString name = QFileInfo(m_path).fileName();
    if (poll->restart != FileFollower::Restart::None || poll->compact) {
        m_follower.reset(); // the reload places a new one
        emit restartNeeded(poll->compact ? name + " grew in many pieces: loaded again as one file"
                           : poll->restart == FileFollower::Restart::Rotated
                               ? name + " was replaced (rotated): loaded again from its start"
                               : name + " became shorter (truncated): loaded again from its start");
        emit polled();
        return;
    }
    const QString error = QString::fromStdString(poll->error);
    if (!error.isEmpty() && error != m_lastError) emit this->error(error + " (still following)");
    m_lastError = error;
    if (poll->extension.store) {
        const size_t added = poll->extension.counts.added;
        const QString message =
            QString("%1: %2 new %3")
                .arg(name, QLocale().toString(qlonglong(added)), added == 1 ? "event" : "events");
        if (!m_adopt || !m_adopt(poll->base, poll->extension.store, poll->values, message)) {
            // Not taken (the session was busy): read the same lines again next time.
            if (m_follower) m_follower->rewindTo(poll->fromOffset, poll->fromLine);
            m_again = true;
        }
    }
    emit polled();
    if (m_again) QMetaObject::invokeMethod(this, &FileFollowController::pollNow, Qt::QueuedConnection);
}

} // namespace caracal::ui
