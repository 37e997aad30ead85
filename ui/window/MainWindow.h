#pragma once
// The console window: filter bar with a request-id box and a zone selector, the event table, the detail pane
// and a status bar. Loading, indexing and filtering run off the GUI thread; the table fills in stages.
#include "remote/AuditListing.h"
#include "store/EventStore.h"
#include "remote/RemoteConnection.h"
#include "load/StoreMerge.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QStringList>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;
class QTabWidget;

namespace caracal::ui {

class EventDetailView;
class EventTableModel;
class EventTableView;
class FilterEdit;
class LoadController;
class TroubleshootingBrowser;
class ExplainErrorDialog;
class RequestTraceView;
class DiagnosticsDock;
class CompareDialog;
class DelegationGraphWindow;
class SetupWizard;
class FollowController;
class ExplainCompareDialog;
class CsvExportDialog;
class IntegrityPanel;
struct GraphScope;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList& paths);
    void openSample();
    static QString samplePath();

    // The view: the filter bar's expression AND the request id AND the zone.
    void setViewOptions(const QString& filter, const QString& requestId, const QString& zone);
    // Starts filtering off the GUI thread; false when the filter is invalid or data is still loading.
    bool applyView();

    // For tests and the benchmark.
    EventTableModel* model() const { return m_model; }
    EventTableView* table() const { return m_table; }
    EventDetailView* detail() const { return m_detail; }
    FilterEdit* filterEdit() const { return m_filter; }
    QLineEdit* requestBox() const { return m_requestBox; }
    QComboBox* zoneBox() const { return m_zoneBox; }
    QPushButton* badLinesButton() const { return m_badLinesButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QLabel* sampleBanner() const { return m_banner; }
    // What the inputs' readers noted (millisecond times, the audit service's 24-hour window, pages that may
    // have skipped events, empty files, ...), shown above the table until dismissed.
    QLabel* noticeLabel() const { return m_notices; }
    const EventStore* store() const { return m_store.get(); }
    bool isLoading() const;
    QString statusText() const;
    void setColumns(const QStringList& keys);
    void copySelectionAsJson();
    void copySelectionAsFilter();
    void filterByCell(const QModelIndex& index, bool exclude);
    void saveSettings() const;
    // Opens (or raises) the troubleshooting browser at a code ("code:X") or row ("row:table/key").
    TroubleshootingBrowser* openTroubleshooting(const QString& address = {});
    ExplainErrorDialog* openExplainError();
    RequestTraceView* traceView() const { return m_traceView; }
    DiagnosticsDock* diagnosticsDock() const { return m_diagnostics; }
    // Shows exactly these rows (a diagnostics group), in time order.
    void showRows(std::vector<RowId> rows, const QString& description);
    CompareDialog* compareSelection(bool wholeRequests);
    void refreshDiagnostics();
    // The delegation graph of the current event, its request or its zone (the zone box's when none is
    // selected); null when there is nothing to draw from.
    enum class GraphOf { Event, Request, Zone };
    DelegationGraphWindow* openDelegationGraph(GraphOf what);
    SetupWizard* openSetupWizard();
    // Loads a deployment's events (the filter bar's server-side part narrows what is fetched); false with a
    // message when the token cannot be read.
    bool openRemote(const RemoteConnection& connection, bool auditService);
    void openConnectionDialog();
    // Follow mode (a deployment's view only): new events are polled and merged in while the view stays put.
    void setFollowing(bool on);
    FollowController* follow() const { return m_follow; }
    QLabel* liveLabel() const { return m_liveLabel; }
    QPushButton* pauseButton() const { return m_pauseButton; }
    // Fetches Caracal's own explain of a request off the GUI thread and shows it beside ours.
    void compareWithCaracal(const QString& zone, const QString& requestId);
    // The deployment's CSV export (a view of a deployment only); null otherwise.
    CsvExportDialog* openCsvExport();
    // Merges file exports into what is loaded (the richer copy of an event stays); false while loading.
    bool mergeFiles(const QStringList& paths);
    // Verifies the loaded events' hash chains in the Integrity panel, asking for the key file first when
    // `askForKey` (tests pass the file instead). Wired in MainWindowIntegrity.cpp.
    void verifyIntegrity(bool askForKey = true, const QString& keyFile = {});
    IntegrityPanel* integrityPanel() const { return m_integrity; }
    QPushButton* verifyButton() const { return m_verifyButton; }

  signals:
    void storeExtended();                      // follow mode or a merge swapped in a larger store
    void caracalExplainShown(QDialog* dialog); // an ExplainCompareDialog
    void remoteActionFailed(const QString& message);
    void firstRowsShown();
    void loadFinished(bool completed); // indexed and the view applied
    void viewApplied();

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void buildMenus();
    void buildFilterBar(QWidget* bar);
    void loadSettings();
    void onBatch(std::shared_ptr<LoadBatch> batch);
    void onLoadFinished(bool completed);
    void onIndexed(std::shared_ptr<EventStore> store, bool completed);
    void showSelected();
    void viewDone();
    void updateStatus();
    void updateZones();
    void rebuildRecentMenu();
    void addRecent(const QStringList& paths);
    void showColumnMenu(const QPoint& globalPos);
    void showTableMenu(const QPoint& pos);
    void showShortcuts();
    void showAbout();
    void showBadLines();
    void openDialog();
    void beginLoad(const QString& title);
    // Shows `store` (a copy of the current one with more events) once the view over it is ready.
    void adoptExtension(const std::shared_ptr<const EventStore>& base, std::shared_ptr<EventStore> store,
                        const QHash<QString, QStringList>& values, const QString& message);
    void swapInIncoming();
    // Loading, or a larger store is on its way (follow mode, merge): no second extension may start.
    bool isExtending() const;
    void updateLive();
    void updateNotices();
    void setupIntegrity(QMenu* fileMenu);

    std::shared_ptr<EventStore> m_store;
    std::shared_ptr<EventStore> m_incoming; // a larger store waiting for its view (follow mode, merge)
    EventTableModel* m_model;
    EventTableView* m_table;
    EventDetailView* m_detail;
    FilterEdit* m_filter;
    QLineEdit* m_requestBox;
    QComboBox* m_zoneBox;
    QToolButton* m_savedButton;
    QMenu* m_savedMenu;
    QLabel* m_banner;
    QWidget* m_bannerBox;
    QLabel* m_notices;
    QWidget* m_noticeBox;
    size_t m_noticesDismissed = 0; // how many notices were on show when dismissed
    QStackedWidget* m_stack;
    QLabel* m_counts;
    QPushButton* m_badLinesButton;
    QProgressBar* m_progress;
    QPushButton* m_cancelButton;
    QSplitter* m_splitter;
    QMenu* m_recentMenu;
    LoadController* m_loader;
    TroubleshootingBrowser* m_troubleshooting = nullptr;
    ExplainErrorDialog* m_explain = nullptr;
    RequestTraceView* m_traceView;
    QTabWidget* m_detailTabs;
    DiagnosticsDock* m_diagnostics;
    uint64_t m_overviewGeneration = 0;
    QList<QPointer<DelegationGraphWindow>> m_graphWindows;
    std::optional<std::pair<RemoteConnection, bool>> m_remote; // what F5 reloads when not files
    ServerFilter m_remoteFilter;                               // the server-side part it was loaded with
    FollowController* m_follow;
    QAction* m_followAction = nullptr;
    QAction* m_csvAction = nullptr;
    QLabel* m_liveLabel;
    QPushButton* m_pauseButton;
    IntegrityPanel* m_integrity = nullptr;
    QPushButton* m_verifyButton = nullptr;
    QFutureWatcher<std::pair<StoreExtension, QHash<QString, QStringList>>>* m_merge = nullptr;

    QStringList m_files;
    QStringList m_recent;
    QHash<QString, QString> m_savedFilters;
    QElapsedTimer m_loadTimer;
    double m_loadSeconds = 0;
    bool m_loading = false;
    bool m_indexing = false;
    bool m_loadFinishedPending = false;
    bool m_lastLoadCompleted = false;
    bool m_cancelled = false;
    bool m_firstRowsSignalled = false;
    uint64_t m_viewGeneration = 0;
    QString m_appliedFilter;
};

} // namespace caracal::ui
