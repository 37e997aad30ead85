#pragma once
// The console window. It composes: the filter bar, the table and its actions, the detail tabs, the docks and
// the status bar, over a ConsoleSession that owns the store, loading, follow mode and every background job.
// Commands come from one ActionRegistry, which also builds the menus, the toolbar and the shortcut list.
#include "session/ConsoleSession.h"
#include "table/TableActions.h"

#include <QDialog>
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
class ActionRegistry;
class FilterBar;
class TroubleshootingBrowser;
class ExplainErrorDialog;
class AdminEventsDialog;
class RequestTraceView;
class DiagnosticsDock;
class CompareDialog;
class DelegationGraphWindow;
class SetupWizard;
class FollowController;
class TableActions;
class ExplainCompareDialog;
class CsvExportDialog;
class IntegrityPanel;
class StatisticsWindow;
class NavigationController;
class BookmarkController;
class ExportViewDialog;
class TimelinePanel;
struct GraphScope;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ConsoleSession* session() const { return m_session; }
    ActionRegistry* actions() const { return m_actions; }
    FilterBar* filterBar() const { return m_filterBar; }

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
    FilterEdit* filterEdit() const;
    QLineEdit* requestBox() const;
    QComboBox* zoneBox() const;
    QPushButton* badLinesButton() const { return m_badLinesButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QLabel* sampleBanner() const { return m_banner; }
    // What the inputs' readers noted (millisecond times, the audit service's 24-hour window, pages that may
    // have skipped events, empty files, ...), shown above the table until dismissed.
    QLabel* noticeLabel() const { return m_notices; }
    const EventStore* store() const { return m_session->store().get(); }
    bool isLoading() const { return m_session->isLoading(); }
    QString statusText() const;
    void setColumns(const QStringList& keys);
    void copySelectionAsJson();
    void copySelectionAsFilter();
    void filterByCell(const QModelIndex& index, bool exclude);
    void saveSettings() const;
    // Opens (or raises) the troubleshooting browser at a code ("code:X") or row ("row:table/key").
    TroubleshootingBrowser* openTroubleshooting(const QString& address = {});
    ExplainErrorDialog* openExplainError();
    // Shows a request's events and the trace of one of them (Explain an error's "Go to the request").
    void showRequestTrace(const QString& zone, const QString& requestId, RowId row);
    // A file of Caracal's admin-audit rows in its own window (an empty path asks for one).
    AdminEventsDialog* openAdminEvents(const QString& path = {});
    RequestTraceView* traceView() const { return m_traceView; }
    DiagnosticsDock* diagnosticsDock() const { return m_diagnostics; }
    // Shows exactly these rows (a diagnostics group), in time order.
    void showRows(std::vector<RowId> rows, const QString& description);
    CompareDialog* compareSelection(bool wholeRequests);
    void refreshDiagnostics();
    // A diagnostics group that a filter can say: shown through the filter bar.
    void showDiagnosticsFilter(const QString& expression, const QString& description);
    // The delegation graph of the current event, its request or its zone (the zone box's when none is
    // selected); null when there is nothing to draw from.
    using GraphOf = caracal::ui::GraphOf;
    DelegationGraphWindow* openDelegationGraph(GraphOf what);
    SetupWizard* openSetupWizard();
    // Loads a deployment's events (the filter bar's server-side part narrows what is fetched); false with a
    // message when the token cannot be read.
    bool openRemote(const RemoteConnection& connection, bool auditService);
    // Loads from Caracal's PostgreSQL ledger: the filter bar's expression and the zones run in SQL, at most
    // rowCap rows (a notice says how many more the server holds).
    void openLedger(const LedgerOptions& options, const std::vector<std::string>& zones, size_t rowCap);
    void openConnectionDialog();
    // Follow mode (a deployment's view only): new events are polled and merged in while the view stays put.
    void setFollowing(bool on);
    FollowController* follow() const { return m_session->follow(); }
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
    // Opens (or raises) the Statistics window (MainWindowStatistics.cpp).
    StatisticsWindow* openStatistics();
    QTabWidget* detailTabs() const { return m_detailTabs; }
    // Back / Forward, bookmarks and File > Export view (MainWindowNavigation.cpp).
    NavigationController* navigation() const { return m_navigation; }
    BookmarkController* bookmarks() const { return m_bookmarks; }
    ExportViewDialog* openExportView();
    QPushButton* verifyButton() const { return m_verifyButton; }
    TimelinePanel* timeline() const { return m_timeline; }

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
    // Reads the ledger with the connection's zones and the filter bar (text, request, zone) as its SQL part.
    void readLedger(const LedgerOptions& options, const std::vector<std::string>& zones, size_t rowCap);
    caracal::LedgerFilter ledgerFilterFor(const std::vector<std::string>& zones, int64_t nowMicros) const;
    void buildActions();
    void loadSettings();
    void onStoreReplaced();
    void onRowsAppended(RowId from, RowId to);
    void onIndexed(bool completed);
    void onViewReady(const ViewResult& view);
    void onStoreExtended();
    void showSelected();
    void selectTraceEvent(RowId row); // clicked in the request trace's waterfall
    void viewDone();
    void updateStatus();
    void rebuildRecentMenu();
    void addRecent(const QStringList& paths);
    void showShortcuts();
    void showAbout();
    void showBadLines();
    void openDialog();
    void beginLoad(const QString& title);
    void updateLive();
    void updateNotices();
    void updateJobs();
    void reload();
    SortSpec currentSort() const;
    void setupIntegrity();       // MainWindowIntegrity.cpp
    void addNavigationActions(); // MainWindowNavigation.cpp: the Go menu and the bookmarks dock
    void showIntegrityBadges();  // the zone selector's verdicts
    // The store views show; dialogs get it from here, never keep their own across a reload.
    const std::shared_ptr<const EventStore>& currentStore() const { return m_session->store(); }

    ConsoleSession* m_session;
    ActionRegistry* m_actions;
    FilterBar* m_filterBar;
    EventTableModel* m_model;
    EventTableView* m_table;
    TableActions* m_tableActions;
    EventDetailView* m_detail;
    FilterEdit* m_filter;
    QLabel* m_banner;
    QWidget* m_bannerBox;
    QLabel* m_notices;
    QWidget* m_noticeBox;
    size_t m_noticesDismissed = 0; // how many notices were on show when dismissed
    QStackedWidget* m_stack;
    QLabel* m_counts;
    QLabel* m_jobsLabel;
    QPushButton* m_badLinesButton;
    QProgressBar* m_progress;
    QPushButton* m_cancelButton;
    QSplitter* m_splitter;
    QMenu* m_recentMenu = nullptr;
    TroubleshootingBrowser* m_troubleshooting = nullptr;
    ExplainErrorDialog* m_explain = nullptr;
    AdminEventsDialog* m_adminEvents = nullptr;
    RequestTraceView* m_traceView;
    QTabWidget* m_detailTabs;
    DiagnosticsDock* m_diagnostics;
    QList<QPointer<DelegationGraphWindow>> m_graphWindows;
    QLabel* m_liveLabel;
    QPushButton* m_pauseButton;
    IntegrityPanel* m_integrity = nullptr;
    StatisticsWindow* m_statistics = nullptr;
    TimelinePanel* m_timeline;
    QPushButton* m_verifyButton = nullptr;
    NavigationController* m_navigation = nullptr;
    BookmarkController* m_bookmarks = nullptr;

    QStringList m_recent;
    bool m_firstRowsSignalled = false;
    bool m_loadFinishedPending = false; // loadFinished waits for the first view of a load
    bool m_loadCompleted = false;
    bool m_showingGroup = false; // the table shows a diagnostics group, not the filter's view
};

} // namespace caracal::ui
