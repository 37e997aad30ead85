#include "session/LoadController.h"

#include "ledger/LedgerReader.h"
#include "ledger/LedgerStats.h"
#include "util/SourceBuffer.h"

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
    std::vector<std::string> files;
    for (const QString& p : paths)
        files.push_back(p.toStdString());
    run([files, options](const LoadCallbacks& cb) { return loadFiles(files, options, cb); });
}

void LoadController::startRemote(const RemoteConnection& connection, const QByteArray& token,
                                 const ServerFilter& filter, bool auditService) {
    run([this, connection, token, filter, auditService](const LoadCallbacks& cb) {
        RemoteFetcher fetcher(connection, token);
        fetcher.setCancel(&m_cancel);
        fetcher.onRetry([&](const RemoteError& e, int attempt, int ms) {
            cb.notice("Retrying after " + std::to_string(ms / 1000.0).substr(0, 4) + " s (attempt " +
                      std::to_string(attempt + 1) + "): " + e.text());
        });
        bool complete = true;
        LoadCallbacks pageCallbacks = cb;
        pageCallbacks.progress =
            nullptr;         // a page's own byte progress is not the load's: pages are counted below
        int pagesBefore = 0; // earlier zones' pages and events: progress counts across all zones
        size_t eventsBefore = 0;
        for (const std::string& zone : connection.zones) {
            const auto sink = [&](const QByteArray& page, int index) {
                loadPage(page, zone + " page " + std::to_string(index),
                         auditService ? SourceOrigin::AuditService : SourceOrigin::CaracalApi, pageCallbacks);
            };
            const auto progress = [&](int pages, size_t events) {
                LoadProgress p;
                p.bytesDone = uint64_t(pagesBefore + pages);
                p.events = eventsBefore + events;
                cb.progress(p);
            };
            const ListResult r = listZone(fetcher, zone, filter, auditService, sink, progress);
            for (const auto& n : r.notes)
                cb.notice(zone + ": " + n);
            if (r.error) {
                if (r.error->kind != "cancelled") cb.fileError(zone + ": " + r.error->text());
                complete = false;
            }
            if (m_cancel) return false;
            complete = complete && !r.capped;
            pagesBefore += r.pages;
            eventsBefore += r.events;
        }
        return complete;
    });
}

std::map<std::string, uint64_t> LoadController::serverZoneCounts() const {
    std::lock_guard lock(m_countsMutex);
    return m_serverZoneCounts;
}

std::map<std::string, uint64_t> LoadController::serverDenyReasonCounts() const {
    std::lock_guard lock(m_countsMutex);
    return m_serverDenyReasons;
}

void LoadController::startLedger(const LedgerOptions& options, const LedgerFilter& filter, size_t rowCap) {
    {
        std::lock_guard lock(m_countsMutex);
        m_serverZoneCounts.clear();
        m_serverDenyReasons.clear();
    }
    run([this, options, filter, rowCap](const LoadCallbacks& cb) {
        LedgerConnection connection;
        std::string error;
        if (!connection.open(options, error)) {
            cb.fileError(error);
            return false;
        }
        connection.watchCancel(&m_cancel); // Cancel stops a statement that waits on the server, too
        LoadCallbacks pageCallbacks = cb;
        pageCallbacks.progress = nullptr; // rows are counted across pages below
        LedgerReadOptions read;
        read.rowCap = rowCap;
        read.cancel = &m_cancel;
        read.progress = [&](size_t rows) {
            LoadProgress p;
            p.bytesDone = rows;
            p.events = rows;
            cb.progress(p);
        };
        size_t page = 0;
        const LedgerReadResult r =
            readLedgerEvents(connection, filter, read, [&](std::string&& lines, size_t) {
                loadBuffer(SourceBuffer::fromBytes("ledger page " + std::to_string(++page), std::move(lines)),
                           {}, pageCallbacks);
                return !m_cancel;
            });
        if (!r.error.empty()) {
            cb.fileError(r.error);
            return false;
        }
        if (r.cancelled || m_cancel) return false; // nothing more is asked of the server
        if (r.capped) {
            std::string e;
            const auto total = countLedgerEvents(connection, filter, e);
            cb.notice(total
                          ? std::to_string(*total - r.rows) + " more rows on the server beyond the cap of " +
                                std::to_string(rowCap) + ": narrow the filter or raise the cap"
                          : "more rows on the server beyond the cap of " + std::to_string(rowCap));
        }
        if (r.rows == 0) cb.notice(connection.whyNothingVisible());
        std::string e;
        // Server-side counts, by SQL aggregates: the zone selector's and the Diagnostics overview's.
        auto zones = ledgerZoneCounts(connection, e);
        auto reasons = ledgerDenyReasonCounts(connection, filter, e);
        std::lock_guard lock(m_countsMutex);
        m_serverZoneCounts = zones ? std::move(*zones) : std::map<std::string, uint64_t>{};
        m_serverDenyReasons = reasons ? std::move(*reasons) : std::map<std::string, uint64_t>{};
        return r.complete || r.capped; // the cap is a choice, said in its notice: not a cancelled load
    });
}

void LoadController::run(std::function<bool(const LoadCallbacks&)> work) {
    stopWorker();
    m_cancel = false;
    m_queued = 0;
    m_running = true;
    const uint64_t generation = ++m_generation;
    // Everything the worker reports is posted to this object's thread and dropped if the load is stale.
    auto post = [this, generation](auto fn) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, fn] {
                if (generation == m_generation) fn();
            },
            Qt::QueuedConnection);
    };
    m_worker = std::thread([this, work, post] {
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
        const bool completed = work(cb);
        post([this, completed] {
            if (m_worker.joinable()) m_worker.join();
            m_running = false;
            emit finished(completed);
        });
    });
}

} // namespace caracal::ui
