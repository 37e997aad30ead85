#include "LoadController.h"

#include <QMetaObject>

namespace caracal::ui {

namespace {
// One batch waits for the GUI at a time: Qt delivers queued events back to back, so a longer queue would keep
// the GUI thread busy with several appends in a row. The parse workers still run ahead of this hand-over.
constexpr int kMaxQueued = 1;
} // namespace

LoadController::LoadController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<caracal::LoadBatch>>();
}

LoadController::~LoadController() {
    stopWorker();
}

void LoadController::stopWorker() {
    m_cancel = true;
    {
        std::lock_guard lock(m_mutex);
        m_queued = 0;
    }
    m_space.notify_all();
    if (m_worker.joinable()) m_worker.join();
    m_running = false;
}

void LoadController::cancel() {
    if (!m_running) return;
    stopWorker();
    ++m_generation; // whatever is still queued belongs to the cancelled load
    emit finished(false);
}

void LoadController::batchConsumed() {
    {
        std::lock_guard lock(m_mutex);
        if (m_queued > 0) --m_queued;
    }
    m_space.notify_all();
}

void LoadController::start(const QStringList& paths, const LoadOptions& options) {
    stopWorker();
    m_cancel = false;
    m_queued = 0;
    m_running = true;
    const uint64_t generation = ++m_generation;
    std::vector<std::string> files;
    for (const QString& p : paths)
        files.push_back(p.toStdString());

    // Everything the worker reports is posted to this object's thread and dropped if the load is stale.
    auto post = [this, generation](auto fn) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, fn] {
                if (generation == m_generation) fn();
            },
            Qt::QueuedConnection);
    };
    m_worker = std::thread([this, files, options, post] {
        LoadCallbacks cb;
        cb.cancel = &m_cancel;
        cb.batch = [this, post](LoadBatch&& batch) {
            {
                std::unique_lock lock(m_mutex);
                m_space.wait(lock, [this] { return m_cancel || m_queued < kMaxQueued; });
                if (m_cancel) return;
                ++m_queued;
            }
            auto shared = std::make_shared<LoadBatch>(std::move(batch));
            post([this, shared] { emit batchReady(shared); });
        };
        cb.progress = [this, post](const LoadProgress& p) {
            post([this, p] { emit progress(qint64(p.bytesDone), qint64(p.bytesTotal), qint64(p.events)); });
        };
        cb.fileError = [this, post](const std::string& m) {
            post([this, m] { emit fileError(QString::fromStdString(m)); });
        };
        cb.notice = [this, post](const std::string& m) {
            post([this, m] { emit notice(QString::fromStdString(m)); });
        };
        const bool completed = loadFiles(files, options, cb);
        post([this, completed] {
            if (m_worker.joinable()) m_worker.join();
            m_running = false;
            emit finished(completed);
        });
    });
}

} // namespace caracal::ui
