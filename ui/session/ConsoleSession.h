#pragma once
// What the console has open, as one explicit state: the store shown, a larger store waiting for its view
// (follow mode, a merge), the loader, follow mode and every background job. No widgets: the window and its
// dialogs ask the session for the store and are told when it changes, so none keeps a store of its own.
#include "ledger/LedgerConnection.h"
#include "ledger/LedgerQuery.h"
#include "load/StoreMerge.h"
#include "query/FilterQuery.h"
#include "remote/AuditListing.h"
#include "remote/RemoteConnection.h"
#include "session/JobTracker.h"
#include "store/EventStore.h"
#include "table/RowSorter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <memory>
#include <optional>

namespace caracal::ui {

class FileFollowController;
class FollowController;
class LoadController;

// What a ledger read's SQL part was compiled from, kept for the next read (a changed filter, F5).
struct LedgerRead {
    std::vector<std::string> zones;  // the connection's zones, always part of the SQL
    std::optional<QString> zonePick; // the zone selector's pick ("" is "(no zone)"); none: all zones
    int64_t nowMicros = 0;           // what relative times (since:15m) were resolved against
};

// Where the events came from: files, or a deployment (the API or the audit service).
struct SessionSource {
    QStringList files;
    std::optional<RemoteConnection> remote;
    bool auditService = false;
    ServerFilter serverFilter;           // the server-side part of the filter the deployment was read with
    std::optional<LedgerOptions> ledger; // read from Caracal's PostgreSQL ledger directly
    LedgerFilter ledgerFilter;           // the part of the filter that ran in SQL
    size_t ledgerRowCap = 0;
    LedgerRead ledgerRead;
    bool isRemote() const { return remote.has_value(); }
    bool isLedger() const { return ledger.has_value(); }
};

// One view of the store: the rows a filter keeps, in the order a sort asks for.
struct ViewResult {
    std::shared_ptr<const EventStore> store;
    std::vector<RowId> rows;
    bool extended = false; // the store grew (follow, merge): row ids of the old view carry over
};

class ConsoleSession : public QObject {
    Q_OBJECT
  public:
    enum class State {
        Empty,     // nothing opened
        Loading,   // rows arrive in batches
        Indexing,  // all rows read; indexes are being built
        Ready,     // indexed; views can be computed
        Extending, // ready, and a larger store (follow mode, merge) is on its way or waits for its view
    };

    explicit ConsoleSession(QObject* parent = nullptr);
    ~ConsoleSession() override;

    State state() const { return m_state; }
    bool isLoading() const { return m_state == State::Loading || m_state == State::Indexing; }
    // Loading, or a larger store is on its way: no second extension may start.
    bool isExtending() const { return isLoading() || m_state == State::Extending; }
    // The store the window shows. Row ids of a view refer to it.
    const std::shared_ptr<const EventStore>& store() const { return m_view; }
    const SessionSource& source() const { return m_source; }
    JobTracker& jobs() { return *m_jobs; }
    LoadController* loader() const { return m_loader; }
    FollowController* follow() const { return m_follow; }
    bool lastLoadCompleted() const { return m_completed; }
    double loadSeconds() const { return m_loadSeconds; }
    // Completion values for the filter bar, computed with the indexes.
    const QHash<QString, QStringList>& knownValues() const { return m_values; }

    // Starts reading files (canonical paths). Cancels whatever was loading and follow mode.
    void openFiles(const QStringList& paths);
    // Starts reading a deployment's pages; the token stays in the loader's worker.
    void openRemote(RemoteConnection connection, const QByteArray& token, ServerFilter filter,
                    bool auditService);
    // Starts reading Caracal's ledger: `filter` runs in SQL, at most rowCap rows (the rest is said).
    void openLedger(const LedgerOptions& options, const LedgerFilter& filter, size_t rowCap,
                    LedgerRead read = {});
    void cancelLoad();
    // Stops follow mode, the loader and every job, and waits for them; nothing starts afterwards. The window
    // calls it when it closes; the destructor does too.
    void shutdown();
    // Reads more files into a copy of the store; false while loading or extending.
    bool mergeFiles(const QStringList& paths);
    // Follow mode over the deployment's view; false when the view is not of a deployment.
    bool setFollowing(bool on);
    // View > Follow file: one local, uncompressed file, loaded and indexed.
    bool canFollowFile() const;
    // Follows the open file as it grows; a truncated or replaced file is loaded again (and followed on).
    // False when the file cannot be followed. Opening other files turns it off.
    bool setFollowingFile(bool on);
    bool isFollowingFile() const { return m_followFile; }
    FileFollowController* fileFollow() const { return m_fileFollow; }

    // Computes the view off the GUI thread: the filter's rows, sorted. A follow poll or a merge with the same
    // filter and order only places the new rows into the view it had. Replaces a view still computing.
    void computeView(FilterQuery query, const QString& filterText, const SortSpec& sort);
    // Sorts the rows shown as they are (a diagnostics group, or the last valid filter's rows while the filter
    // bar holds an invalid one), off the GUI thread.
    void sortView(const SortSpec& sort);
    // A view chosen elsewhere (a diagnostics group): no running view may replace it.
    void setView(std::vector<RowId> rows);
    const std::vector<RowId>& viewRows() const { return m_rows; }
    // The store a new view is computed over: the waiting larger one, if any.
    std::shared_ptr<const EventStore> viewTarget() const { return m_incoming ? m_incoming : m_view; }

  signals:
    void stateChanged(caracal::ui::ConsoleSession::State state);
    // A new load began: an empty store replaced the old one; every row id of the old one is void.
    void storeReplaced();
    // Rows [from, to) of the loading store arrived.
    void rowsAppended(caracal::RowId from, caracal::RowId to);
    void loadProgress(qint64 done, qint64 total, qint64 events);
    // Loaded and indexed (completed false when cancelled or failed); a view follows.
    void indexed(bool completed);
    // A larger store (follow, merge) replaced the shown one outside a view (setView); row ids carry over. A
    // computed view over a larger store says so in ViewResult::extended instead.
    void storeExtended();
    // A larger store waits for its view; `message` says what it brings.
    void extensionArrived(const QString& message);
    void viewReady(const caracal::ui::ViewResult& view);
    void mergeFailed(const QString& message);
    void fileFollowChanged(bool on);
    // Something the user should see about the followed file (reloaded after truncation, unreadable).
    void fileFollowNotice(const QString& message);

  private:
    void beginLoad();
    void startFiles(const QStringList& paths);
    void setState(State state);
    void onBatch(std::shared_ptr<LoadBatch> batch);
    void onLoadFinished(bool completed);
    void adoptExtension(const std::shared_ptr<const EventStore>& base, std::shared_ptr<EventStore> store,
                        const QHash<QString, QStringList>& values, const QString& message);

    JobTracker* m_jobs;
    LoadController* m_loader;
    FollowController* m_follow;
    FileFollowController* m_fileFollow;
    bool m_followFile = false;
    QString m_reloadNotice; // said in the notices of the load a followed file's truncation started
    State m_state = State::Empty;
    SessionSource m_source;
    std::shared_ptr<EventStore> m_loading;        // the store batches go into, until indexed
    std::shared_ptr<const EventStore> m_view;     // what the window shows
    std::shared_ptr<const EventStore> m_incoming; // a larger store waiting for its view
    std::vector<RowId> m_rows;                    // the view shown, over m_view
    QString m_rowsFilter;                         // the filter text m_rows was computed with
    SortSpec m_rowsSort;
    QHash<QString, QStringList> m_values;
    QElapsedTimer m_loadTimer;
    double m_loadSeconds = 0;
    bool m_completed = false;
    bool m_shutDown = false;
};

} // namespace caracal::ui

Q_DECLARE_METATYPE(caracal::ui::ViewResult)
