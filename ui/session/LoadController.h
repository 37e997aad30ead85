#pragma once
// Runs the engine's loader on a worker thread and hands its batches to the GUI thread one queued signal at a
// time, so the window fills in stages and stays responsive. One batch at a time waits in the queue (the
// worker pauses), Cancel stops the worker at once, and batches of a cancelled load are dropped.
#include "ledger/LedgerConnection.h"
#include "ledger/LedgerQuery.h"
#include "load/EventLoader.h"
#include "remote/AuditListing.h"

#include <QObject>
#include <QStringList>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace caracal::ui {

class LoadController : public QObject {
    Q_OBJECT
  public:
    explicit LoadController(QObject* parent = nullptr);
    ~LoadController() override;

    void start(const QStringList& paths, const LoadOptions& options = {});
    // Pages from a deployment (the API, or the audit service when `auditService`), loaded like a file. The
    // token stays in this call and the worker's fetcher; progress is (pages, 0, events).
    void startRemote(const RemoteConnection& connection, const QByteArray& token, const ServerFilter& filter,
                     bool auditService);
    // Rows from Caracal's ledger in pages of (occurred_at, id), up to `rowCap`; progress is (rows, 0, rows).
    // Rows the cap left on the server are said in a notice.
    void startLedger(const LedgerOptions& options, const LedgerFilter& filter, size_t rowCap);
    // Rows per zone the ledger holds for the last ledger load's session (counted by the server), read after
    // finished().
    std::map<std::string, uint64_t> serverZoneCounts() const;
    // Deny events per deny reason on the server for the last ledger load's SQL part (the Diagnostics
    // overview's server-side counts).
    std::map<std::string, uint64_t> serverDenyReasonCounts() const;
    void cancel();
    bool isRunning() const { return m_running; }
    // The GUI took a batch: the worker may send another.
    void batchConsumed();

  signals:
    void batchReady(std::shared_ptr<caracal::LoadBatch> batch);
    void progress(qint64 bytesDone, qint64 bytesTotal, qint64 events);
    void fileError(const QString& message);
    void notice(const QString& message);
    void finished(bool completed);

  private:
    void stopWorker();
    // Starts a worker running `work`, which receives the callbacks that post to this object.
    void run(std::function<bool(const LoadCallbacks&)> work);

    std::thread m_worker;
    std::atomic<bool> m_cancel{false};
    std::mutex m_mutex;
    std::condition_variable m_space;
    int m_queued = 0;
    uint64_t m_generation = 0;
    bool m_running = false;
    mutable std::mutex m_countsMutex;
    std::map<std::string, uint64_t> m_serverZoneCounts, m_serverDenyReasons;
};

} // namespace caracal::ui
