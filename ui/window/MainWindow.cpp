#include "window/MainWindow.h"

#include "catalog/TroubleshootingLinker.h"
#include "common/HelpAddress.h"
#include "common/ScreenFit.h"
#include "common/StatusPalette.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "detail/CompareDialog.h"
#include "detail/EventDetailView.h"
#include "detail/RequestTraceView.h"
#include "diagnostics/DiagnosticsDock.h"
#include "dialogs/AdminEventsDialog.h"
#include "dialogs/BadLinesDialog.h"
#include "dialogs/ExplainErrorDialog.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "filter/FilterBar.h"
#include "filter/FilterEdit.h"
#include "graph/DelegationGraphWindow.h"
#include "integrity/IntegrityPanel.h"
#include "ledger/LedgerQuery.h"
#include "query/FilterQuery.h"
#include "remote/AuditListing.h"
#include "remote/ConnectionDialog.h"
#include "remote/CsvExportDialog.h"
#include "remote/ExplainCompareDialog.h"
#include "remote/FollowController.h"
#include "session/LoadController.h"
#include "setup/SetupWizard.h"
#include "table/DecisionDelegate.h"
#include "table/EventColumns.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "timeline/TimelinePanel.h"
#include "trace/DiagnosticsOverview.h"
#include "trace/RequestTrace.h"
#include "util/MetadataRedaction.h"
#include "util/SourceBuffer.h"
#include "window/ActionRegistry.h"
#include "window/NavigationController.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {

QString number(qlonglong n) {
    return groupedNumber(n);
}
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Job slots the status bar names while they run.
QString jobTitle(const QString& slot) {
    static const QHash<QString, QString> titles = {{"index", "indexing"},
                                                   {"view", "filtering"},
                                                   {"diagnostics", "diagnostics"},
                                                   {"merge", "merging"},
                                                   {"explain", "fetching explain"},
                                                   {"export", "exporting"},
                                                   {"bookmarks", "finding bookmarks"},
                                                   {"follow-file", "reading new lines"}};
    return titles.value(slot, slot);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_session(new ConsoleSession(this)) {
    useGroupedNumbers(); // "4,000 events" also where the locale is C
    setWindowTitle("Caracal Trace Console");
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    fitToScreen(this, {1400, 860}); // a saved geometry, restored later, wins

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_filterBar = new FilterBar(central);
    m_filter = m_filterBar->filterEdit();
    layout->addWidget(m_filterBar);
    connect(m_filterBar, &FilterBar::applyRequested, this, &MainWindow::applyView);
    connect(m_filter, &FilterEdit::stateChanged, this, [this](FilterEdit::State state, const QString& error) {
        if (state == FilterEdit::State::Invalid)
            statusBar()->showMessage("Invalid filter: " + error);
        else
            statusBar()->clearMessage();
    });

    m_bannerBox = new QWidget(central);
    auto* bannerLayout = new QHBoxLayout(m_bannerBox);
    bannerLayout->setContentsMargins(10, 6, 6, 6);
    m_banner = new QLabel(m_bannerBox);
    m_banner->setWordWrap(true);
    m_banner->setText(
        "<b>Sample data.</b> These events were generated for this console; they are not from a real "
        "Caracal deployment. Open your own audit export with File &gt; Open (Ctrl+O) or drop files "
        "on the window.");
    auto* closeBanner = new QToolButton(m_bannerBox);
    closeBanner->setText("Dismiss");
    closeBanner->setAutoRaise(true);
    connect(closeBanner, &QToolButton::clicked, m_bannerBox, &QWidget::hide);
    bannerLayout->addWidget(m_banner, 1);
    bannerLayout->addWidget(closeBanner);
    m_bannerBox->setAutoFillBackground(true);
    m_bannerBox->setBackgroundRole(QPalette::ToolTipBase);
    m_bannerBox->hide();
    layout->addWidget(m_bannerBox);

    m_noticeBox = new QWidget(central);
    auto* noticeLayout = new QHBoxLayout(m_noticeBox);
    noticeLayout->setContentsMargins(10, 6, 6, 6);
    m_notices = new QLabel(m_noticeBox);
    m_notices->setWordWrap(true);
    m_notices->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    // A file that is a Caracal error body offers to explain it.
    connect(m_notices, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link.startsWith("admin-file:")) {
            openAdminEvents(QUrl::fromPercentEncoding(link.mid(11).toUtf8()));
            return;
        }
        if (!link.startsWith("explain-file:")) return;
        QFile file(QUrl::fromPercentEncoding(link.mid(13).toUtf8()));
        if (file.size() > (1 << 20) || !file.open(QIODevice::ReadOnly)) return;
        ExplainErrorDialog* dialog = openExplainError();
        dialog->setBody(QString::fromUtf8(file.readAll()));
        dialog->explain();
    });
    auto* closeNotices = new QToolButton(m_noticeBox);
    closeNotices->setText("Dismiss");
    closeNotices->setAutoRaise(true);
    connect(closeNotices, &QToolButton::clicked, this, [this] {
        m_noticesDismissed = currentStore()->notices().size();
        m_noticeBox->hide();
    });
    noticeLayout->addWidget(m_notices, 1);
    noticeLayout->addWidget(closeNotices, 0, Qt::AlignTop);
    m_noticeBox->setAutoFillBackground(true);
    m_noticeBox->setBackgroundRole(QPalette::AlternateBase);
    m_noticeBox->hide();
    layout->addWidget(m_noticeBox);
    m_timeline = new TimelinePanel(m_session, m_filter, central);
    layout->addWidget(m_timeline);
    connect(this, &MainWindow::viewApplied, m_timeline, &TimelinePanel::refresh);
    connect(m_timeline, &TimelinePanel::applyRequested, this, &MainWindow::applyView);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_stack = new QStackedWidget(m_splitter);
    auto* empty = new QLabel(m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setTextFormat(Qt::RichText);
    empty->setText("<p style='font-size:large'>No events loaded</p>"
                   "<p>Open an audit export with File &gt; Open (Ctrl+O), drop files here,<br>"
                   "or <a href='sample'>open the bundled sample</a>.</p>"
                   "<p style='color:" +
                   mutedTextColor(palette()) +
                   "'>JSON lines, Go audit-search rows and pages, API pages, by-request arrays, "
                   "explain traces and CSV exports are read.</p>");
    connect(empty, &QLabel::linkActivated, this, [this] { openSample(); });
    m_stack->addWidget(empty);

    m_model = new EventTableModel(this);
    m_model->setStore(currentStore());
    m_table = new EventTableView(m_stack);
    m_table->setEventModel(m_model);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true); // a header click asks for a sorted view; no indicator = time order
    connect(m_model, &EventTableModel::sortRequested, this,
            [this](const QString& column, Qt::SortOrder order) {
                if (m_showingGroup || m_filter->state() == FilterEdit::State::Invalid)
                    m_session->sortView({column, order}); // sorts the rows shown, not the filter's
                else
                    applyView();
            });
    m_stack->addWidget(m_table);
    m_detailTabs = new QTabWidget(m_splitter);
    m_detail = new EventDetailView(m_detailTabs);
    m_traceView = new RequestTraceView(m_detailTabs);
    m_detailTabs->addTab(m_detail, "Event");
    m_detailTabs->addTab(m_traceView, "Request trace");
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_detailTabs);
    m_diagnostics = new DiagnosticsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagnostics);
    m_diagnostics->hide();
    connect(m_diagnostics, &DiagnosticsDock::rowsSelected, this, &MainWindow::showRows);
    connect(m_diagnostics, &DiagnosticsDock::filterSelected, this, &MainWindow::showDiagnosticsFilter);
    connect(m_diagnostics, &DiagnosticsDock::scopeChanged, this, &MainWindow::refreshDiagnostics);
    connect(m_traceView, &RequestTraceView::codeActivated, this,
            [this](const QString& code) { openTroubleshooting(helpAddressOfCode(code)); });
    connect(m_traceView, &RequestTraceView::rowActivated, this,
            [this](const QString& row) { openTroubleshooting(helpAddressOfRow(row)); });
    connect(m_traceView, &RequestTraceView::rawValuesToggled, this, &MainWindow::showSelected);
    connect(m_traceView, &RequestTraceView::eventSelected, this, &MainWindow::selectTraceEvent);
    connect(m_traceView, &RequestTraceView::compareWithCaracalRequested, this,
            &MainWindow::compareWithCaracal);
    connect(this, &MainWindow::remoteActionFailed, this, [this](const QString& message) {
        auto* box = new QMessageBox(QMessageBox::Warning, "The deployment did not answer as expected",
                                    message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({930, 470});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_table->setItemDelegateForColumn(m_model->columns().indexOf("@decision"), new DecisionDelegate(m_table));
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_table->setItemDelegateForColumn(
                c, m_model->columns()[c] == "@decision" ? new DecisionDelegate(m_table) : nullptr);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSelected);
    connect(m_detail, &EventDetailView::codeActivated, this,
            [this](const QString& code) { openTroubleshooting(helpAddressOfCode(code)); });
    connect(m_detail, &EventDetailView::rowActivated, this,
            [this](const QString& row) { openTroubleshooting(helpAddressOfRow(row)); });

    m_tableActions = new TableActions(
        m_table, m_model, m_filterBar, [this] { return currentStore(); }, this);
    m_tableActions->setRedaction([this] { return !m_traceView->rawValuesToggle()->isChecked(); });
    connect(m_tableActions, &TableActions::applyRequested, this, &MainWindow::applyView);
    connect(m_tableActions, &TableActions::requestOnlyRequested, this, [this](const QString& request) {
        m_filterBar->requestBox()->setText(request);
        applyView();
    });
    connect(m_tableActions, &TableActions::compareRequested, this, &MainWindow::compareSelection);
    connect(m_tableActions, &TableActions::graphRequested, this, &MainWindow::openDelegationGraph);
    connect(m_tableActions, &TableActions::troubleshootingRequested, this,
            [this](const QString& address) { openTroubleshooting(address); });

    // Status bar.
    m_counts = new QLabel(this);
    m_badLinesButton = new QPushButton(this);
    m_badLinesButton->setFlat(true);
    m_badLinesButton->setCursor(Qt::PointingHandCursor);
    m_badLinesButton->setToolTip("Show every line that could not be read, with its file, line and reason");
    m_badLinesButton->hide();
    connect(m_badLinesButton, &QPushButton::clicked, this, &MainWindow::showBadLines);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancelButton = new QPushButton("Cancel", this);
    m_cancelButton->hide();
    m_liveLabel = new QLabel(this);
    m_liveLabel->hide();
    m_pauseButton = new QPushButton("Pause", this);
    m_pauseButton->setToolTip("Stop fetching new events for now; Resume fetches what arrived meanwhile");
    m_pauseButton->hide();
    m_jobsLabel = new QLabel(this);
    m_jobsLabel->setObjectName("jobsLabel");
    m_jobsLabel->hide();
    statusBar()->addWidget(m_counts, 1);
    statusBar()->addPermanentWidget(m_jobsLabel);
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_pauseButton);
    statusBar()->addPermanentWidget(m_badLinesButton);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    setupIntegrity();

    connect(m_session, &ConsoleSession::storeReplaced, this, &MainWindow::onStoreReplaced);
    connect(m_session, &ConsoleSession::rowsAppended, this, &MainWindow::onRowsAppended);
    connect(m_session, &ConsoleSession::indexed, this, &MainWindow::onIndexed);
    connect(m_session, &ConsoleSession::viewReady, this, &MainWindow::onViewReady);
    connect(m_session, &ConsoleSession::storeExtended, this, &MainWindow::onStoreExtended);
    connect(m_session, &ConsoleSession::stateChanged, this, [this](ConsoleSession::State state) {
        if (state != ConsoleSession::State::Loading) { // Cancel stops reading; indexing cannot be cancelled
            m_progress->hide();
            m_cancelButton->hide();
        }
        updateStatus();
    });
    connect(m_session, &ConsoleSession::extensionArrived, this, [this](const QString& message) {
        m_filter->setKnownValues(m_session->knownValues());
        if (!applyView()) { // an invalid filter: the new events still show, in time order
            m_session->setView(m_session->viewTarget()->timeOrder());
            m_model->setRows(m_session->viewRows());
            viewDone();
        }
        statusBar()->showMessage(message, 8000);
    });
    connect(m_session, &ConsoleSession::mergeFailed, this, [this](const QString& message) {
        auto* box = new QMessageBox(QMessageBox::Warning, "Some inputs could not be read", message,
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // not a nested event loop
    });
    connect(m_session, &ConsoleSession::loadProgress, this, [this](qint64 done, qint64 total, qint64 events) {
        if (m_session->source().isRemote()) { // pages from a deployment: their number, not a share of a size
            m_progress->setMaximum(0);
            m_progress->setFormat(QString("page %1, %2 events").arg(done).arg(number(events)));
            return;
        }
        m_progress->setMaximum(1000);
        m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0);
        m_progress->setFormat(QString("%1 events").arg(number(events)));
    });
    connect(m_cancelButton, &QPushButton::clicked, m_session, &ConsoleSession::cancelLoad);
    connect(&m_session->jobs(), &JobTracker::jobsChanged, this, &MainWindow::updateJobs);

    connect(follow(), &FollowController::stateChanged, this, &MainWindow::updateLive);
    connect(m_pauseButton, &QPushButton::clicked, this,
            [this] { follow()->setPaused(!follow()->isPaused()); });

    buildActions();
    loadSettings();
    updateStatus();
}

MainWindow::~MainWindow() {
    // Nothing the session does while it is torn down may reach this half-destroyed window.
    m_session->jobs().disconnect(this);
    follow()->disconnect(this);
    m_session->disconnect(this);
    m_session->shutdown();
}

FilterEdit* MainWindow::filterEdit() const {
    return m_filter;
}
QLineEdit* MainWindow::requestBox() const {
    return m_filterBar->requestBox();
}
QComboBox* MainWindow::zoneBox() const {
    return m_filterBar->zoneBox();
}

void MainWindow::buildActions() {
    m_actions = new ActionRegistry(this);
    ActionRegistry& a = *m_actions;
    const QString file = "&File", edit = "&Edit", view = "&View", help = "&Help";
    a.add(
        "open", file, "&Open...", QKeySequence::Open, [this] { openDialog(); }, "Open audit files");
    // A folder of exports (hourly files, compressed or not) loads its audit files in name order.
    a.add("open-folder", file, "Open a &folder...", {}, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, "Open a folder of audit files", QDir::homePath());
        if (!dir.isEmpty()) openFiles({dir});
    });
    a.add("sample", file, "Open the bundled &sample", {}, [this] { openSample(); });
    a.add("connect", file, "&Connect to a deployment...", QKeySequence("Ctrl+Shift+O"),
          [this] { openConnectionDialog(); });
    QAction* csv = a.add("csv-export", file, "Download a CSV e&xport...", {}, [this] { openCsvExport(); });
    csv->setEnabled(false);
    csv->setToolTip("The deployment's own CSV export of the zone, with the columns you choose");
    a.add("merge", file, "&Merge a file export...", {}, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, "Merge audit files into this view", QDir::homePath(),
            "Audit files (*.jsonl *.ndjson *.json *.csv *.log *.txt *.gz *.zst *.xz);;All files (*)");
        if (!paths.isEmpty() && !mergeFiles(paths))
            statusBar()->showMessage("Wait until loading finishes, then merge again", 5000);
    });
    a.add(
        "admin-events", file, "&Admin events...", {}, [this] { openAdminEvents(); },
        "Read a file of Caracal's admin-audit rows (who changed what)");
    m_recentMenu = a.addSubmenu(file, "Open &recent");
    a.add(
        "reload", file, "&Reload", QKeySequence(Qt::Key_F5), [this] { reload(); },
        "Reload the open files or deployment");
    a.add(
        "verify", file, "&Verify integrity...", QKeySequence("Ctrl+Shift+V"), [this] { verifyIntegrity(); },
        "Verify the loaded events' hash chains");
    a.add(
        "export-view", file, "&Export view...", QKeySequence("Ctrl+Shift+S"), [this] { openExportView(); },
        "Export the rows shown (JSON lines or CSV)");
    a.addSeparator(file);
    a.add("quit", file, "&Quit", QKeySequence::Quit, [this] { close(); });

    a.add(
         "copy-rows", edit, "&Copy rows", QKeySequence::Copy, [this] { m_tableActions->copyRows(); },
         "Copy the selected rows as text")
        ->setShortcutContext(Qt::WidgetShortcut); // the table handles Ctrl+C itself; text fields keep theirs
    a.add(
        "copy-json", edit, "Copy as &JSON", QKeySequence("Ctrl+Shift+C"), [this] { copySelectionAsJson(); },
        "Copy the selected events as JSON");
    a.add("copy-filter", edit, "Copy as &filter", {}, [this] { copySelectionAsFilter(); });
    a.addSeparator(edit);
    a.add(
        "focus-filter", edit, "Focus the &filter", QKeySequence("Ctrl+L"),
        [this] {
            m_filter->setFocus();
            m_filter->selectAll();
        },
        "Focus the filter bar");
    a.add(
        "find", edit, "&Find in event", QKeySequence::Find, [this] { m_detail->startFind(); },
        "Find in the selected event");

    a.add("columns", view, "&Columns...", {}, [this] { m_tableActions->showColumnMenu(QCursor::pos()); });
    a.add("default-columns", view, "Restore default columns", {}, [this] { setColumns(defaultColumns()); });
    a.add("bad-lines", view, "Show &bad lines", {}, [this] { showBadLines(); });
    QAction* diagnostics = m_diagnostics->toggleViewAction();
    diagnostics->setText("&Diagnostics overview");
    diagnostics->setShortcut(QKeySequence("Ctrl+D"));
    a.addExisting("diagnostics", view, diagnostics);
    a.addExisting("timeline", view, m_timeline->toggleAction(), "Show or hide the timeline above the table");
    connect(m_diagnostics, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) refreshDiagnostics();
    });
    a.addSeparator(view);
    a.add("graph-event", view, "Delegation &graph of this event", QKeySequence("Ctrl+G"),
          [this] { openDelegationGraph(GraphOf::Event); });
    a.add("graph-request", view, "Delegation graph of this &request", QKeySequence("Ctrl+Shift+G"),
          [this] { openDelegationGraph(GraphOf::Request); });
    a.add("graph-zone", view, "Delegation graph of the &zone", {},
          [this] { openDelegationGraph(GraphOf::Zone); });
    a.addSeparator(view);
    QAction* followAction = a.addCheckable(
        "follow", view, "&Follow new events", QKeySequence("Ctrl+Shift+F"),
        [this](bool on) { setFollowing(on); },
        "Follow new events of a deployment (pause and resume in the status bar)");
    followAction->setEnabled(false);
    followAction->setToolTip("Poll the deployment for events newer than the newest shown and add them");
    QAction* followFile = a.addCheckable(
        "follow-file", view, "Follow f&ile", QKeySequence("Ctrl+Shift+L"),
        [this](bool on) {
            if (m_session->setFollowingFile(on)) return;
            m_actions->action("follow-file")->setChecked(false);
            statusBar()->showMessage("Only one open local file that is not compressed can be followed", 6000);
        },
        "Show new lines of the open file as they are written (as tail -f does)");
    followFile->setEnabled(false);
    followFile->setToolTip(
        "Complete new lines of the open local file appear as they are written; a truncated "
        "or replaced file is loaded again");
    connect(m_session, &ConsoleSession::fileFollowChanged, followFile, [followFile](bool on) {
        const QSignalBlocker block(followFile);
        followFile->setChecked(on);
    });
    connect(m_session, &ConsoleSession::fileFollowNotice, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });

    addNavigationActions();

    a.add(
        "statistics", "&Statistics", "&Statistics by field...", QKeySequence("Ctrl+Alt+S"),
        [this] { openStatistics(); }, "Counts by zone, application, resource, deny reason, ...");

    a.add(
        "troubleshooting", help, "&Troubleshooting", QKeySequence("Ctrl+T"),
        [this] { openTroubleshooting(); }, "Troubleshooting tables and error codes");
    a.add(
        "explain-error", help, "&Explain an error...", QKeySequence("Ctrl+E"), [this] { openExplainError(); },
        "Explain a pasted error body");
    a.add("setup", help, "&Guided setup check...", {}, [this] { openSetupWizard(); });
    a.addSeparator(help);
    a.add(
        "shortcuts", help, "&Keyboard shortcuts", QKeySequence::HelpContents, [this] { showShortcuts(); },
        "This list");
    a.add("about", help, "&About Caracal Trace Console", {}, [this] { showAbout(); });

    a.addKeyHint("Enter (in the filter or request box)", "Apply");
    a.addKeyHint("Up / Down (in the filter)", "Previous and next filters");
    a.addKeyHint("Type in the table", "Jump to the first request id starting with what you typed");
    a.addKeyHint("Arrow keys, Page Up / Page Down, Home / End", "Move in the table");
    a.addKeyHint("In a graph: arrows, F, +/-, Ctrl+0, Esc",
                 "Walk the graph, fit, zoom, actual size, clear the selection");

    a.buildMenus(menuBar());
    m_filter->setWindowShortcuts(a.shortcuts()); // focus starts in the filter; Ctrl+E must still work
    auto* toolbar = addToolBar("Main");
    toolbar->setObjectName("mainToolBar");
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    a.buildToolBar(toolbar, {"back", "forward", "", "open", "connect", "reload", "", "follow", "diagnostics",
                             "", "troubleshooting", "explain-error"});
}

QString MainWindow::samplePath() {
    const QString installed =
        QCoreApplication::applicationDirPath() + "/../share/caracal-console/sample/caracal-sample.jsonl";
    if (QFileInfo::exists(installed)) return QFileInfo(installed).canonicalFilePath();
    const QString located = QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                                                   "caracal-console/sample/caracal-sample.jsonl");
    if (!located.isEmpty()) return located;
    return QStringLiteral(CARACAL_SOURCE_SAMPLE); // running from the build tree
}

void MainWindow::openSample() {
    openFiles({samplePath()});
}

void MainWindow::openDialog() {
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, "Open audit files",
        m_recent.isEmpty() ? QDir::homePath() : QFileInfo(m_recent.first()).absolutePath(),
        "Audit files (*.jsonl *.ndjson *.json *.csv *.log *.txt *.gz *.zst *.xz);;All files (*)");
    if (!paths.isEmpty()) openFiles(paths);
}

void MainWindow::reload() {
    const SessionSource& source = m_session->source();
    if (source.isRemote())
        openRemote(*source.remote, source.auditService);
    else if (source.isLedger()) // the SQL part compiled again: relative times (since:15m) move on
        readLedger(LedgerOptions(*source.ledger), std::vector<std::string>(source.ledgerRead.zones),
                   source.ledgerRowCap);
    else if (!source.files.isEmpty())
        openFiles(source.files);
}

void MainWindow::beginLoad(const QString& title) {
    m_noticesDismissed = 0;
    m_noticeBox->hide();
    m_firstRowsSignalled = false;
    m_loadFinishedPending = false;
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setWindowTitle(QString("%1 - Caracal Trace Console").arg(title));
    m_stack->setCurrentWidget(m_table);
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
}

void MainWindow::onStoreReplaced() {
    // Every row id of the old store is void: the table, the detail pane and what was drawn from it go.
    m_model->setStore(currentStore());
    m_detail->clear();
    m_traceView->clear();
    m_diagnostics->setOverview({}); // its groups' rows belong to the old store
    m_showingGroup = false;
    m_filterBar->setGroupNote({});
    m_filterBar->clearZones();
    for (const auto& window : m_graphWindows)
        if (window) { // its rows belong to the data just replaced
            window->close();
            window->deleteLater();
        }
    m_graphWindows.clear();
}

void MainWindow::openFiles(const QStringList& paths) {
    m_traceView->setCaracalExplainAvailable(false);
    QStringList canonical;
    for (const QString& p : paths)
        canonical << QFileInfo(p).absoluteFilePath();
    beginLoad(paths.size() == 1 ? QFileInfo(paths[0]).fileName() : QString("%1 files").arg(paths.size()));
    m_session->openFiles(canonical);
    updateLive();
    const bool sample = paths.size() == 1 && QFileInfo(paths[0]).canonicalFilePath() ==
                                                 QFileInfo(samplePath()).canonicalFilePath();
    m_bannerBox->setVisible(sample);
    if (!sample) addRecent(canonical);
    updateStatus();
}

bool MainWindow::openRemote(const RemoteConnection& connection, bool auditService) {
    const TokenLoad token = loadAdminToken(connection);
    if (!token.error.empty()) {
        QMessageBox::warning(this, "Not connected", QString::fromStdString("No admin token: " + token.error));
        return false;
    }
    const ParsedFilter parsed = parseFilter(m_filter->text().toStdString());
    const ServerFilter server =
        apiFilterFor(parsed.error ? nullptr : parsed.root.get(), QDateTime::currentMSecsSinceEpoch() * 1000);
    m_traceView->setCaracalExplainAvailable(!connection.apiBase.empty());
    QStringList zones;
    for (const auto& z : connection.zones)
        zones << QString::fromStdString(z);
    beginLoad(QString::fromStdString(connection.name.empty()
                                         ? (auditService ? connection.auditUrl : connection.apiBase)
                                         : connection.name) +
              " (" + zones.join(", ") + ")");
    m_bannerBox->hide();
    m_session->openRemote(connection, token.token, server, auditService);
    updateStatus();
    return true;
}

LedgerFilter MainWindow::ledgerFilterFor(const std::vector<std::string>& zones, int64_t nowMicros) const {
    std::vector<std::unique_ptr<FilterNode>> all, anyZone;
    for (const auto& z : zones)
        anyZone.push_back(FilterNode::term(FilterKey::Zone, z));
    if (anyZone.size() == 1) all.push_back(std::move(anyZone.front()));
    if (anyZone.size() > 1) all.push_back(FilterNode::group(FilterNode::Kind::Or, std::move(anyZone)));
    if (m_filter->state() != FilterEdit::State::Invalid)
        if (auto bar = m_filterBar->composed()) all.push_back(std::move(bar));
    auto root = all.empty() ? nullptr : FilterNode::group(FilterNode::Kind::And, std::move(all));
    auto compiled = compileLedgerFilter(root.get(), nowMicros);
    return std::holds_alternative<LedgerFilter>(compiled) ? std::get<LedgerFilter>(compiled) : LedgerFilter{};
}

void MainWindow::readLedger(const LedgerOptions& options, const std::vector<std::string>& zones,
                            size_t rowCap) {
    m_traceView->setCaracalExplainAvailable(false);
    beginLoad("Caracal ledger" + (zones.empty() ? QString()
                                                : " (" + QString::fromStdString(zones.front()) +
                                                      (zones.size() > 1 ? ", ...)" : ")")));
    m_bannerBox->hide();
    LedgerRead read{zones, m_filterBar->zonePick(), QDateTime::currentMSecsSinceEpoch() * 1000};
    const LedgerFilter filter = ledgerFilterFor(zones, read.nowMicros);
    m_session->openLedger(options, filter, rowCap, std::move(read));
    updateStatus();
}

void MainWindow::openLedger(const LedgerOptions& options, const std::vector<std::string>& zones,
                            size_t rowCap) {
    m_filterBar->clearZones(); // a zone picked in the previous source's rows is no part of this read
    readLedger(options, zones, rowCap);
}

void MainWindow::setFollowing(bool on) {
    m_actions->action("follow")->setChecked(on);
    QSettings().setValue("follow/enabled", on);
    m_session->setFollowing(on);
    updateLive();
}

void MainWindow::updateNotices() {
    const auto& notices = currentStore()->notices();
    if (notices.size() <= m_noticesDismissed) return; // nothing new since the user dismissed them
    QString html = "<b>Worth knowing about this data</b>";
    const size_t shown = std::min<size_t>(notices.size(), 6);
    for (size_t i = 0; i < shown; ++i) {
        const QString notice = QString::fromStdString(notices[i]);
        html += "<br>&bull; " + notice.toHtmlEscaped();
        if (const qsizetype at = notice.indexOf(": a Caracal error response ("); at > 0)
            html += QString(" <a href='explain-file:%1'>Explain this error</a>")
                        .arg(QString::fromUtf8(QUrl::toPercentEncoding(notice.left(at))));
        else if (const qsizetype admin = notice.indexOf(": ");
                 admin > 0 && notice.contains("Caracal's admin-audit"))
            html += QString(" <a href='admin-file:%1'>Show admin events</a>")
                        .arg(QString::fromUtf8(QUrl::toPercentEncoding(notice.left(admin))));
    }
    if (notices.size() > shown) html += QString("<br>&bull; and %1 more").arg(notices.size() - shown);
    m_notices->setText(html);
    QStringList all;
    for (const auto& n : notices)
        all << QString::fromStdString(n);
    m_notices->setToolTip(all.join("\n"));
    m_noticeBox->show();
}

void MainWindow::updateLive() {
    const bool live = follow()->isActive() && m_session->source().isRemote();
    m_liveLabel->setVisible(live);
    m_pauseButton->setVisible(live);
    if (!live) return;
    const bool failing = follow()->schedule().failures() > 0, paused = follow()->isPaused();
    const QString colour = statusColor(paused    ? StatusTone::Muted
                                       : failing ? StatusTone::Bad
                                                 : StatusTone::Good);
    m_liveLabel->setText(QString("<span style='color:%1'>&#9679;</span> %2")
                             .arg(colour, paused    ? "Paused"
                                          : failing ? "Live, server failing"
                                                    : "Live"));
    m_liveLabel->setToolTip(follow()->stateText());
    m_pauseButton->setText(paused ? "Resume" : "Pause");
}

void MainWindow::updateJobs() {
    QStringList running;
    for (const QString& slot : m_session->jobs().runningSlots())
        if (slot != "index") running << jobTitle(slot); // indexing has its own status text
    m_jobsLabel->setVisible(!running.isEmpty());
    m_jobsLabel->setText(running.isEmpty() ? QString() : "Working: " + running.join(", ") + "...");
}

CsvExportDialog* MainWindow::openCsvExport() {
    const SessionSource& source = m_session->source();
    if (!source.isRemote() || source.remote->apiBase.empty()) return nullptr;
    auto* dialog = new CsvExportDialog(*source.remote, source.serverFilter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::compareWithCaracal(const QString& zone, const QString& requestId) {
    const SessionSource& source = m_session->source();
    if (!source.isRemote() || source.remote->apiBase.empty()) return;
    const std::shared_ptr<const EventStore> store = currentStore();
    const auto trace = buildRequestTrace(*store, zone.toStdString(), requestId.toStdString());
    if (!trace) return;
    const TokenLoad token = loadAdminToken(*source.remote);
    if (!token.error.empty()) {
        emit remoteActionFailed(QString::fromStdString("No admin token: " + token.error));
        return;
    }
    auto ours = std::make_shared<nlohmann::ordered_json>(traceToJson(*trace, *store));
    const RemoteConnection connection = *source.remote;
    statusBar()->showMessage("Fetching Caracal's explain of " + requestId + "...");
    m_session->jobs().run<CaracalExplain>(
        "explain", nullptr,
        [connection, token = token.token, zone, requestId](const EventStore*, JobControl& control) {
            RemoteFetcher fetcher(connection, token);
            fetcher.setCancel(control.cancelFlag());
            return fetchCaracalExplain(fetcher, zone.toStdString(), requestId.toStdString());
        },
        [this, ours, requestId](CaracalExplain theirs) {
            statusBar()->clearMessage();
            if (theirs.error) {
                emit remoteActionFailed("Caracal's explain of " + requestId + ": " +
                                        QString::fromStdString(theirs.error->text()));
                return;
            }
            auto* dialog = new ExplainCompareDialog(requestId, *ours, theirs.trace, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
            emit caracalExplainShown(dialog);
        });
}

bool MainWindow::mergeFiles(const QStringList& paths) {
    if (m_session->isExtending()) return false;
    if (currentStore()->size() == 0) {
        openFiles(paths);
        return true;
    }
    if (!m_session->mergeFiles(paths)) return false;
    statusBar()->showMessage("Merging " + paths.join(", ") + "...");
    return true;
}

void MainWindow::openConnectionDialog() {
    ConnectionDialog dialog(this);
    const SessionSource& source = m_session->source();
    if (source.isRemote()) dialog.setConnection(*source.remote, source.auditService);
    if (dialog.exec() != QDialog::Accepted) return;
    if (dialog.ledger())
        openLedger(dialog.ledgerOptions(), dialog.connection().zones, dialog.ledgerRowCap());
    else
        openRemote(dialog.connection(), dialog.auditService());
}

void MainWindow::onRowsAppended(RowId from, RowId to) {
    m_model->appendRows(from, to);
    if (!m_firstRowsSignalled && to > 0) {
        m_firstRowsSignalled = true;
        emit firstRowsShown();
    }
    updateStatus();
}

void MainWindow::onIndexed(bool completed) {
    m_progress->hide();
    m_cancelButton->hide();
    m_filter->setKnownValues(m_session->knownValues());
    if (m_troubleshooting) m_troubleshooting->updateShowEvents(); // other codes are loaded now
    const std::shared_ptr<const EventStore>& store = currentStore();
    m_filterBar->setZones(*store);
    if (m_session->source().isLedger()) {
        m_filterBar->setServerZoneCounts(m_session->loader()->serverZoneCounts());
        // The zone this read was for, unless another was picked while it ran.
        const LedgerRead& read = m_session->source().ledgerRead;
        if (!m_filterBar->zonePick()) m_filterBar->selectZone(read.zonePick);
    }
    updateNotices();
    if (store->size() == 0 && store->badLines().empty()) m_stack->setCurrentIndex(0);
    if (!store->loadErrors().empty()) { // window-modal, not blocking: the events that did load stay usable
        std::string text;
        for (const auto& e : store->loadErrors())
            text += e + "\n";
        auto* box = new QMessageBox(QMessageBox::Warning,
                                    m_session->source().isRemote() ? "Some events could not be fetched"
                                                                   : "Some inputs could not be read",
                                    QString::fromStdString(text), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    const bool remote = m_session->source().isRemote();
    QAction* followAction = m_actions->action("follow");
    followAction->setEnabled(remote);
    m_actions->action("follow-file")->setEnabled(m_session->canFollowFile());
    m_actions->action("csv-export")->setEnabled(remote && !m_session->source().remote->apiBase.empty());
    if (remote && followAction->isChecked()) setFollowing(true);
    updateLive();
    m_loadFinishedPending = true;
    m_loadCompleted = completed;
    if (!applyView()) { // an invalid filter: show everything rather than nothing
        m_session->setView(store->timeOrder());
        m_model->setRows(m_session->viewRows());
        viewDone();
    }
}

void MainWindow::viewDone() {
    updateStatus();
    if (m_loadFinishedPending || m_diagnostics->onlyShownBox()->isChecked()) refreshDiagnostics();
    emit viewApplied();
    if (m_loadFinishedPending) {
        m_loadFinishedPending = false;
        emit loadFinished(m_loadCompleted);
    }
}

void MainWindow::onStoreExtended() {
    m_model->setStore(currentStore()); // row ids carry over: the new store extends the old one
    m_filterBar->setZones(*currentStore());
    if (!m_diagnostics->onlyShownBox()->isChecked())
        refreshDiagnostics(); // else viewDone does, over the rows
    emit storeExtended();
}

SortSpec MainWindow::currentSort() const {
    // The header's arrow is the order: nothing else can drift from what the user sees.
    const int section = m_table->horizontalHeader()->sortIndicatorSection();
    if (section < 0 || section >= m_model->columnCount()) return {};
    return {m_model->columns()[section], m_table->horizontalHeader()->sortIndicatorOrder()};
}

void MainWindow::setViewOptions(const QString& filter, const QString& requestId, const QString& zone) {
    m_filterBar->setViewOptions(filter, requestId, zone);
}

bool MainWindow::applyView() {
    if (m_filter->state() == FilterEdit::State::Invalid) {
        statusBar()->showMessage("Invalid filter: " + m_filter->errorText() +
                                 " (the table still shows the last valid filter)");
        return false; // keep the rows of the last valid filter
    }
    if (m_session->isLoading()) {
        statusBar()->showMessage("The filter applies when loading finishes", 4000);
        return false;
    }
    if (const SessionSource& source = m_session->source(); source.isLedger()) {
        // The filter bar's server part runs in SQL: when it says something else than the rows were read
        // with (a zone, a decision, a request...), the ledger is read again; free text stays local. Compiled
        // against the read's own time, so only an edit counts as a change.
        const LedgerFilter sql = ledgerFilterFor(source.ledgerRead.zones, source.ledgerRead.nowMicros);
        if (sql.where != source.ledgerFilter.where || sql.params != source.ledgerFilter.params) {
            m_filter->remember(m_filter->text());
            // Copies: reading replaces the source these refer to.
            readLedger(LedgerOptions(*source.ledger), std::vector<std::string>(source.ledgerRead.zones),
                       source.ledgerRowCap);
            statusBar()->showMessage("Reading the ledger again: the filter's SQL part changed", 6000);
            return true;
        }
    }
    const std::unique_ptr<FilterNode> root = m_filterBar->composed();
    // A larger store waiting to be shown (follow mode, merge) is what the new view is computed over.
    auto compiled = FilterQuery::compile(root.get(), *m_session->viewTarget(),
                                         QDateTime::currentMSecsSinceEpoch() * 1000);
    if (auto* error = std::get_if<FilterError>(&compiled)) {
        statusBar()->showMessage("Invalid filter: " + QString::fromStdString(error->text()));
        return false;
    }
    m_filter->remember(m_filter->text());
    const QString key = m_filter->text() + QChar(0x1f) + m_filterBar->requestBox()->text().trimmed() +
                        QChar(0x1f) + m_filterBar->selectedZone();
    m_showingGroup = false;
    m_filterBar->setGroupNote({});
    m_session->computeView(std::get<FilterQuery>(std::move(compiled)), key, currentSort());
    return true;
}

void MainWindow::onViewReady(const ViewResult& view) {
    const QModelIndex current = m_table->currentIndex();
    const bool hadSelection = current.isValid() && current.row() < m_model->rowCount();
    RowId selected = hadSelection ? m_model->rowId(current.row()) : 0;
    QScrollBar* scroll = m_table->verticalScrollBar();
    const bool atEnd = scroll->value() > 0 && scroll->value() == scroll->maximum(); // tailing the newest
    const int scrollValue = scroll->value();
    const EventStore& store = *view.store;
    if (view.extended && hadSelection &&
        store.isSuperseded(selected)) { // a richer copy replaced it: select that
        const std::string id = store.eventId(selected);
        for (RowId r :
             store.rowsOfRequest(store.field(selected, Field::Zone), store.field(selected, Field::RequestId)))
            if (store.eventId(r) == id) selected = r;
    }
    if (view.extended) onStoreExtended();
    m_model->setRows(view.rows);
    if (hadSelection) {
        const int row = m_model->rowOf(selected);
        if (row >= 0) m_table->setCurrentIndex(m_model->index(row, 0));
    }
    if (!m_table->currentIndex().isValid()) m_detail->clear();
    scroll->setValue(atEnd ? scroll->maximum() : scrollValue);
    viewDone();
}

void MainWindow::showSelected() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_detail->clear();
        m_traceView->clear();
        return;
    }
    const std::shared_ptr<const EventStore>& store = currentStore();
    const RowId row = m_model->rowId(current.row());
    const EventRecord& rec = store->record(row);
    for (const auto& window : m_graphWindows) // a zone graph follows the selected request's path
        if (window && window->scope().kind == GraphScope::Kind::Zone &&
            window->scope().zone == store->field(row, Field::Zone))
            window->setFocusRows(graphRowsForRequest(*store, store->field(row, Field::RequestId),
                                                     store->field(row, Field::Zone)));
    m_traceView->showTrace(*store, qs(store->field(row, Field::Zone)),
                           qs(store->field(row, Field::RequestId)), row);
    const SourceBuffer& source = store->source(rec.source);
    // The detail pane shows and copies metadata as Caracal's API would unless "Show secret values" is on.
    const bool redact = !m_traceView->rawValuesToggle()->isChecked();
    const std::string own = store->eventJson(row), shared = eventTextToShare(own, redact);
    const nlohmann::ordered_json& event = m_model->event(row);
    m_detail->showEvent(redact ? redactedEvent(event) : event, QString::fromStdString(shared),
                        QString::fromStdString(source.name()), rec.line, qs(store->actorOf(row)),
                        source.origin, m_integrity->rowCheck(row, store.get()), shared != own);
    if (source.truncated())
        statusBar()->showMessage(
            QString("%1 became shorter on disk while open; its events may read as empty. Press F5 to reload.")
                .arg(QString::fromStdString(source.name())));
}

void MainWindow::showRequestTrace(const QString& zone, const QString& requestId, RowId row) {
    // The request's events in the table, then its deciding event selected and the trace tab in front.
    auto once = std::make_shared<QMetaObject::Connection>();
    // On the ledger the request's rows may be read again (a new store): the event is then found by its id.
    const std::shared_ptr<const EventStore> store = currentStore();
    const QString eventId = row < store->size() ? QString::fromStdString(store->eventId(row)) : QString();
    *once = connect(this, &MainWindow::viewApplied, this, [this, once, row, zone, eventId] {
        if (isLoading()) return;
        disconnect(*once);
        if (!eventId.isEmpty()) m_navigation->selectEvent(zone, eventId, row); // the row, else by its id
        m_detailTabs->setCurrentWidget(m_traceView);
    });
    m_filterBar->setViewOptions({}, requestId, zone);
    if (!applyView()) disconnect(*once);
    raise();
    activateWindow();
}

void MainWindow::selectTraceEvent(RowId row) {
    const std::shared_ptr<const EventStore>& store = currentStore();
    // An approval decision joined by its challenge id belongs to another request id: selecting it in the
    // table would replace this trace with that one.
    if (row >= store->size()) return; // a trace of data replaced since
    if (qs(store->field(row, Field::RequestId)) != m_traceView->requestId()) {
        statusBar()->showMessage("Event " + QString::fromStdString(store->eventId(row)) +
                                     " is filed under its challenge id; it stays selected in the trace only.",
                                 6000);
        return;
    }
    const int at = m_model->rowOf(row);
    if (at < 0) {
        statusBar()->showMessage("Event " + QString::fromStdString(store->eventId(row)) +
                                     " is not in the table's view (the filter hides it).",
                                 6000);
        return;
    }
    m_table->setCurrentIndex(
        m_model->index(at, m_table->currentIndex().isValid() ? m_table->currentIndex().column() : 0));
    m_table->scrollTo(m_table->currentIndex());
}

QString MainWindow::statusText() const {
    return m_counts->text();
}

void MainWindow::updateStatus() {
    const EventStore& store = *currentStore();
    const qlonglong loaded = qlonglong(store.eventCount());
    const ConsoleSession::State state = m_session->state();
    QString text;
    if (state == ConsoleSession::State::Loading) {
        text = QString("Loading... %1 events so far (the table fills as they arrive)").arg(number(loaded));
    } else if (state == ConsoleSession::State::Indexing) {
        text = QString("Indexing %1 events...").arg(number(loaded));
    } else if (state == ConsoleSession::State::Empty) {
        text = "No file open";
    } else {
        const size_t zones = store.valueCounts(Field::Zone).size();
        text = QString("Showing %1 of %2 events  \u00b7  %3 %4  \u00b7  loaded in %5 s")
                   .arg(number(m_model->rowCount()), number(loaded), number(qlonglong(zones)),
                        zones == 1 ? "zone" : "zones", QString::number(m_session->loadSeconds(), 'f', 2));
        if (!m_session->lastLoadCompleted()) text += "  \u00b7  loading was cancelled: partial data";
        if (const size_t hidden = store.supersededCount())
            text += QString("  \u00b7  %1 poorer copies of the same events hidden")
                        .arg(number(qlonglong(hidden)));
    }
    m_counts->setText(text);
    const size_t bad = store.badLines().size();
    m_badLinesButton->setVisible(bad > 0);
    m_badLinesButton->setText(QString("%1 bad %2").arg(number(qlonglong(bad)), bad == 1 ? "line" : "lines"));
}

void MainWindow::setColumns(const QStringList& keys) {
    m_tableActions->setColumns(keys);
}

void MainWindow::copySelectionAsJson() {
    m_tableActions->copyAsJson();
}

void MainWindow::copySelectionAsFilter() {
    m_tableActions->copyAsFilter();
}

void MainWindow::filterByCell(const QModelIndex& index, bool exclude) {
    m_tableActions->filterByCell(index, exclude);
}

DelegationGraphWindow* MainWindow::openDelegationGraph(GraphOf what) {
    const QModelIndex current = m_table->currentIndex();
    const std::shared_ptr<const EventStore> store = currentStore();
    const bool hasRow = current.isValid() && current.row() < m_model->rowCount();
    GraphScope scope;
    if (what == GraphOf::Zone) {
        scope.kind = GraphScope::Kind::Zone;
        scope.zone = hasRow ? std::string(store->field(m_model->rowId(current.row()), Field::Zone))
                            : m_filterBar->selectedZone().toStdString();
    } else if (hasRow) {
        const RowId row = m_model->rowId(current.row());
        scope.kind = what == GraphOf::Event ? GraphScope::Kind::Event : GraphScope::Kind::Request;
        scope.row = row;
        scope.zone = store->field(row, Field::Zone);
        scope.requestId = store->field(row, Field::RequestId);
    }
    if (scope.kind != GraphScope::Kind::Zone && !isLoading()) {
        const auto rows = scope.kind == GraphScope::Kind::Event
                              ? std::vector<RowId>{scope.row}
                              : graphRowsForRequest(*store, scope.requestId, scope.zone);
        if (std::none_of(rows.begin(), rows.end(), [&](RowId r) {
                return store->rowText(r).find("\"delegation_chain\"") != std::string_view::npos;
            })) {
            statusBar()->showMessage(
                scope.kind == GraphScope::Kind::Event
                    ? "This event carries no delegation chain; try its zone's graph."
                    : "No event of this request carries a delegation chain; try its zone's graph.",
                8000);
            return nullptr;
        }
    }
    if (isLoading() || scope.zone.empty()) {
        statusBar()->showMessage(isLoading()
                                     ? "Wait for loading to finish, then open the graph."
                                     : "Select an event first (or choose a zone for the zone's graph).",
                                 6000);
        return nullptr;
    }
    auto* window = new DelegationGraphWindow(store, scope, this);
    window->setWindowFlag(Qt::Window);
    connect(window, &DelegationGraphWindow::filterRequested, this, [this](const QString& expression) {
        m_filterBar->requestBox()->clear();
        m_filter->setText(expression);
        applyView();
        raise();
        activateWindow();
    });
    connect(window, &DelegationGraphWindow::troubleshootingRequested, this,
            [this](const QString& address) { openTroubleshooting(address); });
    m_graphWindows.removeAll(nullptr);
    m_graphWindows.append(window);
    window->show();
    return window;
}

SetupWizard* MainWindow::openSetupWizard() {
    auto* wizard = new SetupWizard(currentStore(), this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &SetupWizard::troubleshootingRequested, this,
            [this](const QString& address) { openTroubleshooting(address); });
    connect(wizard, &SetupWizard::showRequestRequested, this, [this](const QString& requestId) {
        m_filter->clear();
        m_filterBar->requestBox()->setText(requestId);
        applyView();
    });
    wizard->show();
    return wizard;
}

TroubleshootingBrowser* MainWindow::openTroubleshooting(const QString& address) {
    if (!m_troubleshooting) {
        m_troubleshooting = new TroubleshootingBrowser(this);
        connect(m_troubleshooting, &TroubleshootingBrowser::showEventsRequested, this,
                [this](const QString& code) {
                    m_filter->setText("reason:" + code);
                    m_filterBar->requestBox()->clear();
                    applyView();
                    raise(); // the result in front, where the user looks next
                    activateWindow();
                });
        m_troubleshooting->setCodeLoaded(
            [this](const QString& code) { return m_session->knownValues().value("reason").contains(code); });
    }
    const HelpAddress target = parseHelpAddress(address);
    if (target.kind == HelpAddress::Kind::Code)
        m_troubleshooting->showCode(target.value);
    else if (target.kind == HelpAddress::Kind::Row)
        m_troubleshooting->showRow(target.value);
    m_troubleshooting->show();
    m_troubleshooting->raise();
    return m_troubleshooting;
}

AdminEventsDialog* MainWindow::openAdminEvents(const QString& path) {
    QString file = path;
    if (file.isEmpty())
        file = QFileDialog::getOpenFileName(this, "Open admin-audit rows", QDir::homePath(),
                                            "Admin audit (*.json *.jsonl *.csv);;All files (*)");
    if (file.isEmpty()) return nullptr;
    if (!m_adminEvents) m_adminEvents = new AdminEventsDialog(this);
    m_adminEvents->openFile(file);
    m_adminEvents->show();
    m_adminEvents->raise();
    return m_adminEvents;
}

ExplainErrorDialog* MainWindow::openExplainError() {
    if (!m_explain) {
        m_explain = new ExplainErrorDialog([this] { return currentStore(); }, this);
        connect(m_explain, &ExplainErrorDialog::codeActivated, this,
                [this](const QString& code) { openTroubleshooting(helpAddressOfCode(code)); });
        connect(m_explain, &ExplainErrorDialog::traceRequested, this, &MainWindow::showRequestTrace);
    }
    m_explain->show();
    return m_explain;
}

void MainWindow::showRows(std::vector<RowId> rows, const QString& description) {
    const std::shared_ptr<const EventStore> store = m_session->viewTarget();
    // Rows of another load (a group listed before a reload) mean nothing in this store.
    if (isLoading() ||
        std::any_of(rows.begin(), rows.end(), [&store](RowId r) { return r >= store->size(); }))
        return;
    std::sort(rows.begin(), rows.end(), [&store](RowId a, RowId b) { return store->lessInTime(a, b); });
    m_session->setView(std::move(rows)); // a running filter must not replace this selection
    m_showingGroup = true;
    m_filterBar->setGroupNote(description);
    if (const SortSpec sort = currentSort(); !sort.isTimeOrder()) m_session->sortView(sort);
    m_model->setRows(m_session->viewRows());
    updateStatus();
    statusBar()->showMessage(QString("%1: %2. Press Enter in the filter bar to return to the filter's view.")
                                 .arg(description, eventCountText(m_model->rowCount())));
    emit viewApplied();
}

void MainWindow::showDiagnosticsFilter(const QString& expression, const QString& description) {
    // Over everything loaded, the group's filter replaces the view; over the events shown, it narrows it.
    const QString current = m_filter->text().trimmed();
    if (m_diagnostics->onlyShownBox()->isChecked()) {
        m_filter->setText(current.isEmpty() ? expression : "(" + current + ") " + expression);
    } else {
        m_filter->setText(expression);
        m_filterBar->requestBox()->clear();
        m_filterBar->zoneBox()->setCurrentIndex(0);
    }
    if (applyView()) statusBar()->showMessage(description, 6000);
}

void MainWindow::refreshDiagnostics() {
    if (!m_diagnostics->isVisible() || isLoading()) return;
    std::vector<RowId> rows;
    const bool onlyShown = m_diagnostics->onlyShownBox()->isChecked();
    if (onlyShown) rows = m_model->rows();
    const std::shared_ptr<const EventStore> store = currentStore();
    // Over everything read from the ledger, the server's own counts stand beside the loaded ones.
    std::optional<std::map<std::string, uint64_t>> serverReasons;
    if (m_session->source().isLedger() && !onlyShown)
        serverReasons = m_session->loader()->serverDenyReasonCounts();
    m_session->jobs().run<std::vector<OverviewGroup>>(
        "diagnostics", store,
        [rows = std::move(rows), serverReasons = std::move(serverReasons)](const EventStore* s, JobControl&) {
            auto groups = buildDiagnosticsOverview(*s, rows);
            if (serverReasons) addServerDenyReasons(groups, *serverReasons);
            return groups;
        },
        [this, store](std::vector<OverviewGroup> groups) {
            if (store == currentStore()) m_diagnostics->setOverview(std::move(groups));
        });
}

CompareDialog* MainWindow::compareSelection(bool wholeRequests) {
    const QList<int> selected = m_table->selectedRowNumbers();
    if (selected.size() != 2) return nullptr;
    const RowId a = m_model->rowId(selected[0]), b = m_model->rowId(selected[1]);
    std::vector<std::pair<RowId, RowId>> pairs;
    const std::shared_ptr<const EventStore> store = currentStore();
    if (wholeRequests) {
        auto eventsOf = [&store](RowId r) {
            return store->rowsOfRequest(store->field(r, Field::Zone), store->field(r, Field::RequestId));
        };
        const auto left = eventsOf(a), right = eventsOf(b);
        for (size_t i = 0; i < std::min(left.size(), right.size()); ++i)
            pairs.emplace_back(left[i], right[i]);
    } else {
        pairs.emplace_back(a, b);
    }
    auto* dialog = new CompareDialog(*store, pairs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::showBadLines() {
    BadLinesDialog dialog(currentStore(), this);
    dialog.exec();
}

void MainWindow::showShortcuts() {
    QDialog dialog(this);
    dialog.setWindowTitle("Keyboard shortcuts");
    auto* layout = new QVBoxLayout(&dialog);
    const QList<QPair<QString, QString>> rows = m_actions->shortcutRows();
    auto* table = new QTableWidget(int(rows.size()), 2, &dialog);
    table->setHorizontalHeaderLabels({"Keys", "Action"});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(620, 420);
    dialog.exec();
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, "About Caracal Trace Console",
        QString("<h3>Caracal Trace Console %1</h3><p>Reads Caracal's audit and decision traces.</p>"
                "<p>Built with Qt %2 (running on Qt %3).</p><p>Licensed under the Apache License 2.0.</p>")
            .arg(CARACAL_VERSION, QT_VERSION_STR, qVersion()));
}

void MainWindow::addRecent(const QStringList& paths) {
    for (const QString& p : paths) {
        m_recent.removeAll(p);
        m_recent.prepend(p);
    }
    while (m_recent.size() > 12)
        m_recent.removeLast();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    for (const QString& p : m_recent)
        m_recentMenu->addAction(p, this, [this, p] { openFiles({p}); });
    if (m_recent.isEmpty())
        m_recentMenu->addAction("(none yet)")->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction("Clear list", this, [this] {
            m_recent.clear();
            rebuildRecentMenu();
        });
    }
}

void MainWindow::loadSettings() {
    m_actions->action("follow")->setChecked(QSettings().value("follow/enabled", false).toBool());
    QSettings s;
    restoreGeometry(s.value("window/geometry").toByteArray());
    restoreState(s.value("window/state").toByteArray());
    if (s.contains("window/splitter")) m_splitter->restoreState(s.value("window/splitter").toByteArray());
    if (s.contains("window/detailTab")) m_detailTabs->setCurrentIndex(s.value("window/detailTab").toInt());
    if (s.contains("window/detailSplitter"))
        m_detail->splitter()->restoreState(s.value("window/detailSplitter").toByteArray());
    QStringList columns = s.value("table/columns").toStringList();
    QStringList known;
    for (const auto& c : allColumns())
        known << c.key;
    columns.erase(
        std::remove_if(columns.begin(), columns.end(), [&](const QString& c) { return !known.contains(c); }),
        columns.end());
    setColumns(columns);
    m_recent = s.value("files/recent").toStringList();
    rebuildRecentMenu();
    m_filterBar->loadSettings();
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
    s.setValue("window/splitter", m_splitter->saveState());
    s.setValue("window/detailSplitter", m_detail->splitter()->saveState());
    s.setValue("window/detailTab", m_detailTabs->currentIndex());
    s.setValue("table/columns", m_model->columns());
    s.setValue("files/recent", m_recent);
    m_filterBar->saveSettings();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_session->shutdown(); // no load, poll or job outlives the window
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (!paths.isEmpty()) openFiles(paths);
}

} // namespace caracal::ui
