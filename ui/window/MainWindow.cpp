#include "window/MainWindow.h"

#include "remote/AuditListing.h"
#include "dialogs/BadLinesDialog.h"
#include "detail/CompareDialog.h"
#include "remote/ConnectionDialog.h"
#include "remote/CsvExportDialog.h"
#include "table/DecisionDelegate.h"
#include "graph/DelegationGraphWindow.h"
#include "diagnostics/DiagnosticsDock.h"
#include "trace/DiagnosticsOverview.h"
#include "table/EventColumns.h"
#include "detail/EventDetailView.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "remote/ExplainCompareDialog.h"
#include "dialogs/ExplainErrorDialog.h"
#include "filter/FilterEdit.h"
#include "query/FilterQuery.h"
#include "remote/FollowController.h"
#include "session/LoadController.h"
#include "trace/RequestTrace.h"
#include "detail/RequestTraceView.h"
#include "setup/SetupWizard.h"
#include "util/SourceBuffer.h"
#include "common/Theme.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "catalog/TroubleshootingLinker.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
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
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {

QString number(qlonglong n) {
    return QLocale().toString(n);
}
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Filter values with spaces or the language's own characters are quoted.
QString quoteValue(const QString& v) {
    static const QRegularExpression plain("^[^\\s\"()]+$");
    return plain.match(v).hasMatch() ? v : "\"" + QString(v).replace("\"", "\\\"") + "\"";
}

// Which filter field a table column corresponds to ("" = free text).
QString filterKeyForColumn(const QString& column) {
    static const QHash<QString, QString> keys = {{"@zone", "zone"},
                                                 {"@request", "request"},
                                                 {"@event", "type"},
                                                 {"@decision", "decision"},
                                                 {"@actor", "app"},
                                                 {"event_type", "type"},
                                                 {"decision", "decision"},
                                                 {"request_id", "request"},
                                                 {"evaluation_status", "status"},
                                                 {"application_id", "app"},
                                                 {"application_name", "app"},
                                                 {"agent_session_id", "session"},
                                                 {"resource", "resource"},
                                                 {"agent_labels", "label"},
                                                 {"reason", "reason"},
                                                 {"error_kind", "reason"},
                                                 {"policy_set_id", "policy"},
                                                 {"policy_set_version_id", "policy"},
                                                 {"determining_policies", "policy"}};
    return keys.value(column);
}

struct IndexResult {
    EventStore::Indexes indexes;
    QHash<QString, QStringList> values;
};

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_store(std::make_shared<EventStore>()) {
    setWindowTitle("Caracal Trace Console");
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    resize(1400, 860);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto* bar = new QWidget(central);
    buildFilterBar(bar);
    layout->addWidget(bar);

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
    m_notices->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeNotices = new QToolButton(m_noticeBox);
    closeNotices->setText("Dismiss");
    closeNotices->setAutoRaise(true);
    connect(closeNotices, &QToolButton::clicked, this, [this] {
        m_noticesDismissed = m_store->notices().size();
        m_noticeBox->hide();
    });
    noticeLayout->addWidget(m_notices, 1);
    noticeLayout->addWidget(closeNotices, 0, Qt::AlignTop);
    m_noticeBox->setAutoFillBackground(true);
    m_noticeBox->setBackgroundRole(QPalette::AlternateBase);
    m_noticeBox->hide();
    layout->addWidget(m_noticeBox);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_stack = new QStackedWidget(m_splitter);
    auto* empty = new QLabel(m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setTextFormat(Qt::RichText);
    empty->setText(
        "<p style='font-size:large'>No events loaded</p>"
        "<p>Open an audit export with File &gt; Open (Ctrl+O), drop files here,<br>"
        "or <a href='sample'>open the bundled sample</a>.</p>"
        "<p style='color:gray'>JSON lines, Go audit-search rows and pages, API pages, by-request arrays, "
        "explain traces and CSV exports are read.</p>");
    connect(empty, &QLabel::linkActivated, this, [this] { openSample(); });
    m_stack->addWidget(empty);

    m_model = new EventTableModel(this);
    m_model->setStore(m_store.get());
    m_table = new EventTableView(m_stack);
    m_table->setEventModel(m_model);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true); // clicking a header sorts the visible rows; no indicator = time order
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
    connect(m_diagnostics, &DiagnosticsDock::scopeChanged, this, &MainWindow::refreshDiagnostics);
    connect(m_traceView, &RequestTraceView::codeActivated, this,
            [this](const QString& code) { openTroubleshooting("code:" + code); });
    connect(m_traceView, &RequestTraceView::rowActivated, this,
            [this](const QString& row) { openTroubleshooting("row:" + row); });
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
            [this](const QString& code) { openTroubleshooting("code:" + code); });
    connect(m_detail, &EventDetailView::rowActivated, this,
            [this](const QString& row) { openTroubleshooting("row:" + row); });
    connect(m_table, &EventTableView::copyRequested, this,
            [this] { QApplication::clipboard()->setText(m_table->selectedRowsAsText()); });
    connect(m_table, &QWidget::customContextMenuRequested, this, &MainWindow::showTableMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint& p) { showColumnMenu(m_table->horizontalHeader()->mapToGlobal(p)); });

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
    statusBar()->addWidget(m_counts, 1);
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_pauseButton);
    statusBar()->addPermanentWidget(m_badLinesButton);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);

    m_loader = new LoadController(this);
    connect(m_loader, &LoadController::batchReady, this, &MainWindow::onBatch);
    connect(m_loader, &LoadController::finished, this, &MainWindow::onLoadFinished);
    connect(m_loader, &LoadController::progress, this, [this](qint64 done, qint64 total, qint64 events) {
        if (m_remote) { // pages from a deployment: their number, not a share of a known size
            m_progress->setMaximum(0);
            m_progress->setFormat(QString("page %1, %2 events").arg(done).arg(number(events)));
            return;
        }
        m_progress->setMaximum(1000);
        m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0);
        m_progress->setFormat(QString("%1 events").arg(number(events)));
    });
    connect(m_loader, &LoadController::fileError, this,
            [this](const QString& m) { m_store->addLoadError(m.toStdString()); });
    connect(m_loader, &LoadController::notice, this,
            [this](const QString& m) { m_store->addNotice(m.toStdString()); });
    connect(m_cancelButton, &QPushButton::clicked, m_loader, &LoadController::cancel);

    m_follow = new FollowController(this);
    connect(m_follow, &FollowController::stateChanged, this, &MainWindow::updateLive);
    connect(m_pauseButton, &QPushButton::clicked, this,
            [this] { m_follow->setPaused(!m_follow->isPaused()); });
    connect(m_follow, &FollowController::extended, this,
            [this](std::shared_ptr<FollowController::Poll> poll) {
                const MergeCounts& n = poll->extension.counts;
                QString message = n.added == 1 ? QString("1 new event")
                                               : QString("%1 new events").arg(number(qlonglong(n.added)));
                if (n.replaced)
                    message += QString(", %1 replaced by richer copies").arg(number(qlonglong(n.replaced)));
                adoptExtension(poll->base, poll->extension.store, poll->values, message);
            });

    buildMenus();
    loadSettings();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildFilterBar(QWidget* bar) {
    auto* h = new QHBoxLayout(bar);
    h->setContentsMargins(8, 6, 8, 6);
    h->setSpacing(6);
    m_filter = new FilterEdit(bar);
    m_savedButton = new QToolButton(bar);
    m_savedButton->setText("Filters");
    m_savedButton->setToolTip("Saved and recent filters");
    m_savedButton->setPopupMode(QToolButton::InstantPopup);
    m_savedMenu = new QMenu(m_savedButton);
    m_savedButton->setMenu(m_savedMenu);
    connect(m_savedMenu, &QMenu::aboutToShow, this, [this] {
        m_savedMenu->clear();
        m_savedMenu->addAction("Save current filter...", this, [this] {
            const QString expr = m_filter->text().trimmed();
            if (expr.isEmpty()) return;
            bool ok = false;
            const QString name =
                QInputDialog::getText(this, "Save filter", "Name:", QLineEdit::Normal, expr, &ok);
            if (ok && !name.trimmed().isEmpty()) m_savedFilters.insert(name.trimmed(), expr);
        });
        if (!m_savedFilters.isEmpty()) {
            m_savedMenu->addSection("Saved");
            QStringList names = m_savedFilters.keys();
            names.sort(Qt::CaseInsensitive);
            for (const QString& name : names)
                m_savedMenu
                    ->addAction(name, this,
                                [this, name] {
                                    m_filter->setText(m_savedFilters.value(name));
                                    applyView();
                                })
                    ->setToolTip(m_savedFilters.value(name));
            QMenu* remove = m_savedMenu->addMenu("Remove saved filter");
            for (const QString& name : names)
                remove->addAction(name, this, [this, name] { m_savedFilters.remove(name); });
        }
        if (!m_filter->history().isEmpty()) {
            m_savedMenu->addSection("Recent");
            for (const QString& expr : m_filter->history().mid(0, 10))
                m_savedMenu->addAction(expr, this, [this, expr] {
                    m_filter->setText(expr);
                    applyView();
                });
        }
    });

    auto* apply = new QPushButton("Apply", bar);
    apply->setToolTip("Apply the filter (Enter)");
    m_requestBox = new QLineEdit(bar);
    m_requestBox->setPlaceholderText("Request ID");
    m_requestBox->setClearButtonEnabled(true);
    m_requestBox->setToolTip("Paste a request id and press Enter to see that request's events in time order");
    m_requestBox->setMaximumWidth(300);
    m_zoneBox = new QComboBox(bar);
    m_zoneBox->setToolTip("Zones loaded, with their event counts");
    m_zoneBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_zoneBox->addItem("All zones", QString());
    h->addWidget(m_filter, 1);
    h->addWidget(apply);
    h->addWidget(m_savedButton);
    h->addSpacing(8);
    h->addWidget(m_requestBox);
    h->addWidget(m_zoneBox);
    connect(m_filter, &QLineEdit::returnPressed, this, &MainWindow::applyView);
    connect(apply, &QPushButton::clicked, this, &MainWindow::applyView);
    connect(m_requestBox, &QLineEdit::returnPressed, this, &MainWindow::applyView);
    connect(m_requestBox, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (t.isEmpty()) applyView(); // clearing the box shows everything again
    });
    connect(m_zoneBox, &QComboBox::activated, this, &MainWindow::applyView);
    connect(m_filter, &FilterEdit::stateChanged, this, [this](FilterEdit::State state, const QString& error) {
        if (state == FilterEdit::State::Invalid)
            statusBar()->showMessage("Invalid filter: " + error);
        else
            statusBar()->clearMessage();
    });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open...", QKeySequence::Open, this, &MainWindow::openDialog);
    // A folder of exports (hourly files, compressed or not) loads its audit files in name order.
    file->addAction("Open a &folder...", this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, "Open a folder of audit files", QDir::homePath());
        if (!dir.isEmpty()) openFiles({dir});
    });
    file->addAction("Open the bundled &sample", this, &MainWindow::openSample);
    file->addAction("&Connect to a deployment...", QKeySequence("Ctrl+Shift+O"), this,
                    &MainWindow::openConnectionDialog);
    m_csvAction = file->addAction("Download a CSV e&xport...", this, [this] { openCsvExport(); });
    m_csvAction->setEnabled(false);
    m_csvAction->setToolTip("The deployment's own CSV export of the zone, with the columns you choose");
    file->addAction("&Merge a file export...", this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, "Merge audit files into this view", QDir::homePath(),
            "Audit files (*.jsonl *.ndjson *.json *.csv *.log *.txt *.gz *.zst *.xz);;All files (*)");
        if (!paths.isEmpty() && !mergeFiles(paths))
            statusBar()->showMessage("Wait until loading finishes, then merge again", 5000);
    });
    m_recentMenu = file->addMenu("Open &recent");
    file->addAction("&Reload", QKeySequence(Qt::Key_F5), this, [this] {
        if (m_remote)
            openRemote(m_remote->first, m_remote->second);
        else if (!m_files.isEmpty())
            openFiles(m_files);
    });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu("&Edit");
    edit->addAction("&Copy rows", QKeySequence::Copy, this,
                    [this] { QApplication::clipboard()->setText(m_table->selectedRowsAsText()); })
        ->setShortcutContext(Qt::WidgetShortcut); // the table handles Ctrl+C itself; text fields keep theirs
    edit->addAction("Copy as &JSON", QKeySequence("Ctrl+Shift+C"), this, &MainWindow::copySelectionAsJson);
    edit->addAction("Copy as &filter", this, &MainWindow::copySelectionAsFilter);
    edit->addSeparator();
    edit->addAction("Focus the &filter", QKeySequence("Ctrl+L"), this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    edit->addAction("&Find in event", QKeySequence::Find, m_detail, &EventDetailView::startFind);

    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Columns...", this, [this] { showColumnMenu(QCursor::pos()); });
    view->addAction("Restore default columns", this, [this] { setColumns(defaultColumns()); });
    view->addAction("Show &bad lines", this, &MainWindow::showBadLines);
    QAction* diagnostics = m_diagnostics->toggleViewAction();
    diagnostics->setText("&Diagnostics overview");
    diagnostics->setShortcut(QKeySequence("Ctrl+D"));
    view->addAction(diagnostics);
    connect(m_diagnostics, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) refreshDiagnostics();
    });

    view->addSeparator();
    view->addAction("Delegation &graph of this event", QKeySequence("Ctrl+G"), this,
                    [this] { openDelegationGraph(GraphOf::Event); });
    view->addAction("Delegation graph of this &request", QKeySequence("Ctrl+Shift+G"), this,
                    [this] { openDelegationGraph(GraphOf::Request); });
    view->addAction("Delegation graph of the &zone", this, [this] { openDelegationGraph(GraphOf::Zone); });
    view->addSeparator();
    m_followAction = view->addAction("&Follow new events", QKeySequence("Ctrl+Shift+F"), this,
                                     [this](bool on) { setFollowing(on); });
    m_followAction->setCheckable(true);
    m_followAction->setEnabled(false);
    m_followAction->setToolTip("Poll the deployment for events newer than the newest shown and add them");

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&Troubleshooting", QKeySequence("Ctrl+T"), this, [this] { openTroubleshooting(); });
    help->addAction("&Explain an error...", QKeySequence("Ctrl+E"), this, &MainWindow::openExplainError);
    help->addAction("&Guided setup check...", this, &MainWindow::openSetupWizard);
    help->addSeparator();
    help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction("&About Caracal Trace Console", this, &MainWindow::showAbout);
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

void MainWindow::beginLoad(const QString& title) {
    m_loader->cancel();
    m_follow->stop();
    m_incoming.reset();
    if (m_merge) m_merge->disconnect(this); // its result belongs to the store being replaced
    m_merge = nullptr;
    m_noticesDismissed = 0;
    m_noticeBox->hide();
    ++m_viewGeneration;
    m_store = std::make_shared<EventStore>();
    m_model->setStore(m_store.get());
    m_detail->clear();
    m_loading = true;
    m_indexing = false;
    m_cancelled = false;
    m_firstRowsSignalled = false;
    m_zoneBox->clear();
    m_zoneBox->addItem("All zones", QString());
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setWindowTitle(QString("%1 - Caracal Trace Console").arg(title));
    m_stack->setCurrentWidget(m_table);
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    m_loadTimer.start();
}

void MainWindow::openFiles(const QStringList& paths) {
    m_remote.reset();
    m_traceView->setCaracalExplainAvailable(false);
    updateLive();
    m_files = paths;
    beginLoad(paths.size() == 1 ? QFileInfo(paths[0]).fileName() : QString("%1 files").arg(paths.size()));
    qint64 bytes = 0;
    for (const QString& p : paths)
        bytes += QFileInfo(p).size();
    m_store->reserve(size_t(bytes / 300)); // Caracal events are 300 bytes or more
    QStringList canonical;
    for (const QString& p : paths)
        canonical << QFileInfo(p).absoluteFilePath();
    const bool sample = paths.size() == 1 && QFileInfo(paths[0]).canonicalFilePath() ==
                                                 QFileInfo(samplePath()).canonicalFilePath();
    m_bannerBox->setVisible(sample);
    if (!sample) addRecent(canonical);
    updateStatus();
    m_loader->start(canonical);
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
    m_remote = std::pair{connection, auditService};
    m_remoteFilter = server;
    m_traceView->setCaracalExplainAvailable(!connection.apiBase.empty());
    m_files.clear();
    QStringList zones;
    for (const auto& z : connection.zones)
        zones << QString::fromStdString(z);
    beginLoad(QString::fromStdString(connection.name.empty()
                                         ? (auditService ? connection.auditUrl : connection.apiBase)
                                         : connection.name) +
              " (" + zones.join(", ") + ")");
    m_bannerBox->hide();
    updateStatus();
    m_loader->startRemote(connection, token.token, server, auditService);
    return true;
}

void MainWindow::setFollowing(bool on) {
    m_followAction->setChecked(on);
    QSettings().setValue("follow/enabled", on);
    if (!on || !m_remote) {
        m_follow->stop();
    } else if (!m_follow->isActive()) {
        m_follow->start(m_remote->first, m_remoteFilter, m_remote->second, [this] {
            return isExtending() ? nullptr : std::shared_ptr<const EventStore>(m_store);
        });
    }
    updateLive();
}

void MainWindow::updateNotices() {
    const auto& notices = m_store->notices();
    if (notices.size() <= m_noticesDismissed) return; // nothing new since the user dismissed them
    QString html = "<b>Worth knowing about this data</b>";
    const size_t shown = std::min<size_t>(notices.size(), 6);
    for (size_t i = 0; i < shown; ++i)
        html += "<br>&bull; " + QString::fromStdString(notices[i]).toHtmlEscaped();
    if (notices.size() > shown) html += QString("<br>&bull; and %1 more").arg(notices.size() - shown);
    m_notices->setText(html);
    QStringList all;
    for (const auto& n : notices)
        all << QString::fromStdString(n);
    m_notices->setToolTip(all.join("\n"));
    m_noticeBox->show();
}

void MainWindow::updateLive() {
    const bool live = m_follow->isActive() && m_remote;
    m_liveLabel->setVisible(live);
    m_pauseButton->setVisible(live);
    if (!live) return;
    const bool failing = m_follow->schedule().failures() > 0, paused = m_follow->isPaused();
    const QString colour = paused ? "#8a8a8a" : failing ? "#c0392b" : "#2e9d4f";
    m_liveLabel->setText(QString("<span style='color:%1'>&#9679;</span> %2")
                             .arg(colour, paused    ? "Paused"
                                          : failing ? "Live, server failing"
                                                    : "Live"));
    m_liveLabel->setToolTip(m_follow->stateText());
    m_pauseButton->setText(paused ? "Resume" : "Pause");
}

void MainWindow::adoptExtension(const std::shared_ptr<const EventStore>& base,
                                std::shared_ptr<EventStore> store, const QHash<QString, QStringList>& values,
                                const QString& message) {
    if (base != m_store || isLoading()) return; // replaced meanwhile; follow mode reads again next time
    m_incoming = std::move(store);
    m_filter->setKnownValues(values);
    if (!applyView()) { // an invalid filter: the new events still show, in time order
        swapInIncoming();
        m_model->setRows(m_store->timeOrder());
        viewDone();
    }
    statusBar()->showMessage(message, 8000);
}

void MainWindow::swapInIncoming() {
    m_store = std::move(m_incoming);
    m_model->setStore(m_store.get());
    updateZones();
    if (!m_diagnostics->onlyShownBox()->isChecked())
        refreshDiagnostics(); // else viewDone does, over the new rows
    emit storeExtended();
}

CsvExportDialog* MainWindow::openCsvExport() {
    if (!m_remote || m_remote->first.apiBase.empty()) return nullptr;
    auto* dialog = new CsvExportDialog(m_remote->first, m_remoteFilter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::compareWithCaracal(const QString& zone, const QString& requestId) {
    if (!m_remote || m_remote->first.apiBase.empty()) return;
    const auto trace = buildRequestTrace(*m_store, zone.toStdString(), requestId.toStdString());
    if (!trace) return;
    const TokenLoad token = loadAdminToken(m_remote->first);
    if (!token.error.empty()) {
        emit remoteActionFailed(QString::fromStdString("No admin token: " + token.error));
        return;
    }
    auto ours = std::make_shared<nlohmann::ordered_json>(traceToJson(*trace, *m_store));
    const RemoteConnection connection = m_remote->first;
    auto* watcher = new QFutureWatcher<CaracalExplain>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, ours, requestId] {
        const CaracalExplain theirs = watcher->result();
        watcher->deleteLater();
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
    statusBar()->showMessage("Fetching Caracal's explain of " + requestId + "...");
    watcher->setFuture(QtConcurrent::run([connection, token = token.token, zone, requestId] {
        RemoteFetcher fetcher(connection, token);
        return fetchCaracalExplain(fetcher, zone.toStdString(), requestId.toStdString());
    }));
}

bool MainWindow::mergeFiles(const QStringList& paths) {
    if (isExtending()) return false;
    if (m_store->size() == 0) {
        openFiles(paths);
        return true;
    }
    std::vector<std::string> files;
    for (const QString& p : paths)
        files.push_back(QFileInfo(p).absoluteFilePath().toStdString());
    const std::shared_ptr<const EventStore> base = m_store;
    m_merge = new QFutureWatcher<std::pair<StoreExtension, QHash<QString, QStringList>>>(this);
    connect(m_merge, &QFutureWatcherBase::finished, this, [this, base, watcher = m_merge, paths] {
        auto [extension, values] = watcher->result();
        watcher->deleteLater();
        if (watcher != m_merge || !extension.store) return;
        for (const auto& e : extension.store->loadErrors())
            if (std::find(base->loadErrors().begin(), base->loadErrors().end(), e) ==
                base->loadErrors().end())
                QMessageBox::warning(this, "Some inputs could not be read", QString::fromStdString(e));
        const MergeCounts& n = extension.counts;
        adoptExtension(
            base, extension.store, values,
            QString("Merged %1: %2 new events, %3 replaced by richer copies, %4 already loaded")
                .arg(paths.size() == 1 ? QFileInfo(paths[0]).fileName()
                                       : QString("%1 files").arg(paths.size()))
                .arg(number(qlonglong(n.added)), number(qlonglong(n.replaced)), number(qlonglong(n.kept))));
    });
    m_merge->setFuture(QtConcurrent::run([base, files] {
        StoreExtension ext =
            extendStore(*base, [&](const LoadCallbacks& cb) { return loadFiles(files, {}, cb); });
        QHash<QString, QStringList> values;
        if (ext.store) values = FilterEdit::valuesIn(*ext.store);
        return std::pair{std::move(ext), values};
    }));
    statusBar()->showMessage("Merging " + paths.join(", ") + "...");
    return true;
}

void MainWindow::openConnectionDialog() {
    ConnectionDialog dialog(this);
    if (m_remote) dialog.setConnection(m_remote->first, m_remote->second);
    if (dialog.exec() == QDialog::Accepted) openRemote(dialog.connection(), dialog.auditService());
}

void MainWindow::onBatch(std::shared_ptr<LoadBatch> batch) {
    const RowId before = RowId(m_store->size());
    m_store->append(std::move(*batch));
    m_loader->batchConsumed();
    m_model->appendRows(before, RowId(m_store->size()));
    if (!m_firstRowsSignalled && m_store->size() > 0) {
        m_firstRowsSignalled = true;
        emit firstRowsShown();
    }
    updateStatus();
}

void MainWindow::onLoadFinished(bool completed) {
    m_loading = false;
    m_cancelled = !completed;
    m_progress->hide();
    m_cancelButton->hide();
    m_indexing = true;
    updateStatus();
    // Indexes and completion values are built on a worker thread; the store is only read there.
    auto store = m_store;
    auto* watcher = new QFutureWatcher<std::shared_ptr<IndexResult>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, store, completed] {
        auto result = watcher->result();
        watcher->deleteLater();
        if (store != m_store) return; // another load started meanwhile
        m_store->adoptIndexes(std::move(result->indexes));
        m_filter->setKnownValues(result->values);
        onIndexed(store, completed);
    });
    watcher->setFuture(QtConcurrent::run([store] {
        auto r = std::make_shared<IndexResult>();
        r->indexes = store->buildIndexes();
        r->values = FilterEdit::valuesIn(*store);
        return r;
    }));
}

void MainWindow::onIndexed(std::shared_ptr<EventStore>, bool completed) {
    m_indexing = false;
    m_loadSeconds = m_loadTimer.elapsed() / 1000.0;
    updateZones();
    updateNotices();
    if (m_store->size() == 0 && m_store->badLines().empty()) m_stack->setCurrentIndex(0);
    if (!m_store->loadErrors().empty()) { // window-modal, not blocking: the events that did load stay usable
        std::string text;
        for (const auto& e : m_store->loadErrors())
            text += e + "\n";
        auto* box =
            new QMessageBox(QMessageBox::Warning,
                            m_remote ? "Some events could not be fetched" : "Some inputs could not be read",
                            QString::fromStdString(text), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    m_loadFinishedPending = true;
    m_lastLoadCompleted = completed;
    m_followAction->setEnabled(bool(m_remote));
    m_csvAction->setEnabled(m_remote && !m_remote->first.apiBase.empty());
    if (m_remote && m_followAction->isChecked()) setFollowing(true);
    updateLive();
    if (!applyView()) { // an invalid filter: show everything rather than nothing
        m_model->setRows(m_store->timeOrder());
        viewDone();
    }
}

void MainWindow::viewDone() {
    updateStatus();
    if (m_loadFinishedPending || m_diagnostics->onlyShownBox()->isChecked()) refreshDiagnostics();
    emit viewApplied();
    if (m_loadFinishedPending) {
        m_loadFinishedPending = false;
        emit loadFinished(m_lastLoadCompleted);
    }
}

void MainWindow::updateZones() {
    const QString current = m_zoneBox->currentData().toString();
    m_zoneBox->clear();
    m_zoneBox->addItem(QString("All zones (%1)").arg(number(qlonglong(m_store->eventCount()))), QString());
    for (const auto& [zone, count] : m_store->valueCounts(Field::Zone))
        m_zoneBox->addItem(
            QString("%1  (%2)").arg(zone.empty() ? QString("(no zone)") : qs(zone), number(qlonglong(count))),
            qs(zone));
    const int i = m_zoneBox->findData(current);
    m_zoneBox->setCurrentIndex(i < 0 ? 0 : i);
}

void MainWindow::setViewOptions(const QString& filter, const QString& requestId, const QString& zone) {
    m_filter->setText(filter);
    m_requestBox->setText(requestId);
    int i = m_zoneBox->findData(zone);
    if (i < 0 && !zone.isEmpty()) { // not loaded yet: keep it selected until the zones are known
        m_zoneBox->addItem(zone, zone);
        i = m_zoneBox->count() - 1;
    }
    m_zoneBox->setCurrentIndex(std::max(0, i));
}

bool MainWindow::applyView() {
    if (m_filter->state() == FilterEdit::State::Invalid) {
        statusBar()->showMessage("Invalid filter: " + m_filter->errorText() +
                                 " (the table still shows the last valid filter)");
        return false; // keep the rows of the last valid filter
    }
    if (m_loading || m_indexing) {
        statusBar()->showMessage("The filter applies when loading finishes", 4000);
        return false;
    }
    std::vector<std::unique_ptr<FilterNode>> parts;
    ParsedFilter parsed = parseFilter(m_filter->text().toStdString());
    if (parsed.root) parts.push_back(std::move(parsed.root));
    if (const QString r = m_requestBox->text().trimmed(); !r.isEmpty())
        parts.push_back(FilterNode::term(FilterKey::Request, r.toStdString()));
    if (const QString z = m_zoneBox->currentData().toString(); m_zoneBox->currentIndex() > 0)
        parts.push_back(FilterNode::term(FilterKey::Zone, z.toStdString()));
    std::unique_ptr<FilterNode> root;
    if (parts.size() == 1)
        root = std::move(parts.front());
    else if (parts.size() > 1)
        root = FilterNode::group(FilterNode::Kind::And, std::move(parts));

    // A larger store waiting to be shown (follow mode, merge) is what the new view is computed over.
    const std::shared_ptr<EventStore> store = m_incoming ? m_incoming : m_store;
    auto compiled = FilterQuery::compile(root.get(), *store, QDateTime::currentMSecsSinceEpoch() * 1000);
    if (auto* error = std::get_if<FilterError>(&compiled)) {
        statusBar()->showMessage("Invalid filter: " + QString::fromStdString(error->text()));
        return false;
    }
    m_filter->remember(m_filter->text());
    m_appliedFilter = m_filter->text();
    const uint64_t generation = ++m_viewGeneration;
    auto query = std::make_shared<FilterQuery>(std::get<FilterQuery>(std::move(compiled)));
    auto* watcher = new QFutureWatcher<std::vector<RowId>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, store] {
        std::vector<RowId> rows = watcher->result();
        watcher->deleteLater();
        if (generation != m_viewGeneration) return;
        if (store != m_store && store != m_incoming) return;
        const QModelIndex current = m_table->currentIndex();
        const bool hadSelection = current.isValid();
        RowId selected = hadSelection ? m_model->rowId(current.row()) : 0;
        QScrollBar* scroll = m_table->verticalScrollBar();
        const bool atEnd = scroll->value() > 0 && scroll->value() == scroll->maximum(); // tailing the newest
        const int scrollValue = scroll->value();
        if (store != m_store) { // row ids carry over: the new store extends the old one
            swapInIncoming();
            if (hadSelection && m_store->isSuperseded(selected)) { // a richer copy replaced it: select that
                const std::string id = m_store->eventId(selected);
                for (RowId r :
                     m_store->rowsWith(Field::RequestId, m_store->field(selected, Field::RequestId)))
                    if (m_store->field(r, Field::Zone) == m_store->field(selected, Field::Zone) &&
                        m_store->eventId(r) == id)
                        selected = r;
            }
        }
        m_model->setRows(std::move(rows));
        const int sortColumn = m_table->horizontalHeader()->sortIndicatorSection();
        if (sortColumn >= 0) m_model->sort(sortColumn, m_table->horizontalHeader()->sortIndicatorOrder());
        if (hadSelection) {
            const int row = m_model->rowOf(selected);
            if (row >= 0) m_table->setCurrentIndex(m_model->index(row, 0));
        }
        if (!m_table->currentIndex().isValid()) m_detail->clear();
        scroll->setValue(atEnd ? scroll->maximum() : scrollValue);
        viewDone();
    });
    watcher->setFuture(QtConcurrent::run([query] { return query->run(); }));
    return true;
}

void MainWindow::showSelected() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_detail->clear();
        m_traceView->clear();
        return;
    }
    const RowId row = m_model->rowId(current.row());
    const EventRecord& rec = m_store->record(row);
    for (const auto& window : m_graphWindows) // a zone graph follows the selected request's path
        if (window && window->scope().kind == GraphScope::Kind::Zone &&
            window->scope().zone == m_store->field(row, Field::Zone))
            window->setFocusRows(graphRowsForRequest(*m_store, m_store->field(row, Field::RequestId),
                                                     m_store->field(row, Field::Zone)));
    m_traceView->showTrace(m_store.get(), qs(m_store->field(row, Field::Zone)),
                           qs(m_store->field(row, Field::RequestId)));
    const SourceBuffer& source = m_store->source(rec.source);
    m_detail->showEvent(m_model->event(row), QString::fromStdString(m_store->eventJson(row)),
                        QString::fromStdString(m_store->source(rec.source).name()), rec.line,
                        qs(m_store->actorOf(row)), source.origin);
    if (source.truncated())
        statusBar()->showMessage(
            QString("%1 became shorter on disk while open; its events may read as empty. Press F5 to reload.")
                .arg(QString::fromStdString(source.name())));
}

bool MainWindow::isLoading() const {
    return m_loading || m_indexing;
}

bool MainWindow::isExtending() const {
    return isLoading() || m_incoming || (m_merge && m_merge->isRunning());
}

QString MainWindow::statusText() const {
    return m_counts->text();
}

void MainWindow::updateStatus() {
    const qlonglong loaded = qlonglong(m_store->eventCount());
    QString text;
    if (m_loading) {
        text = QString("Loading... %1 events so far (the table fills as they arrive)").arg(number(loaded));
    } else if (m_indexing) {
        text = QString("Indexing %1 events...").arg(number(loaded));
    } else if (m_files.isEmpty() && !m_remote) {
        text = "No file open";
    } else {
        const size_t zones = m_store->valueCounts(Field::Zone).size();
        text = QString("Showing %1 of %2 events  \u00b7  %3 %4  \u00b7  loaded in %5 s")
                   .arg(number(m_model->rowCount()), number(loaded), number(qlonglong(zones)),
                        zones == 1 ? "zone" : "zones", QString::number(m_loadSeconds, 'f', 2));
        if (m_cancelled) text += "  \u00b7  loading was cancelled: partial data";
        if (const size_t hidden = m_store->supersededCount())
            text += QString("  \u00b7  %1 poorer copies of the same events hidden")
                        .arg(number(qlonglong(hidden)));
    }
    m_counts->setText(text);
    const size_t bad = m_store->badLines().size();
    m_badLinesButton->setVisible(bad > 0);
    m_badLinesButton->setText(QString("%1 bad %2").arg(number(qlonglong(bad)), bad == 1 ? "line" : "lines"));
}

void MainWindow::setColumns(const QStringList& keys) {
    m_model->setColumns(keys.isEmpty() ? defaultColumns() : keys);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    // Widths from what the columns hold, so nothing is cut before the first rows arrive.
    const QFontMetrics fm = m_table->fontMetrics();
    static const QHash<QString, QString> samples = {{"@occurred", "2026-11-14 00:00:00.000"},
                                                    {"@event", "Approval requested"},
                                                    {"@actor", "ops-orchestrator"},
                                                    {"@decision", "consumed___"},
                                                    {"@zone", "zone-research"},
                                                    {"@request", "01a1d75a-94e6-7cd4-becc-ff3c910b422c"}};
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const QString key = m_model->columns()[c];
        const QString sample = samples.value(key, QString(16, 'x'));
        m_table->setColumnWidth(
            c, std::max(fm.horizontalAdvance(sample), fm.horizontalAdvance(columnTitle(key))) + 24);
    }
}

void MainWindow::showColumnMenu(const QPoint& globalPos) {
    QMenu menu(this);
    menu.setObjectName("columnMenu");
    QMenu* fields = nullptr;
    for (const ColumnInfo& c : allColumns()) {
        QMenu* target = &menu;
        if (!isConsoleColumn(c.key)) {
            if (!fields) {
                menu.addSeparator();
                fields = menu.addMenu("Export fields");
            }
            target = fields;
        }
        QAction* a = target->addAction(c.title);
        a->setCheckable(true);
        a->setChecked(m_model->columns().contains(c.key));
        connect(a, &QAction::toggled, this, [this, key = c.key](bool on) {
            QStringList keys = m_model->columns();
            if (on && !keys.contains(key)) keys << key;
            if (!on && keys.size() > 1) keys.removeAll(key);
            setColumns(keys);
        });
    }
    menu.addSeparator();
    menu.addAction("Restore default columns", this, [this] { setColumns(defaultColumns()); });
    menu.exec(globalPos);
}

void MainWindow::copySelectionAsJson() {
    QStringList lines;
    for (int row : m_table->selectedRowNumbers())
        lines << QString::fromStdString(m_store->eventJson(m_model->rowId(row)));
    if (lines.isEmpty() && m_table->currentIndex().isValid())
        lines << QString::fromStdString(m_store->eventJson(m_model->rowId(m_table->currentIndex().row())));
    QApplication::clipboard()->setText(lines.join('\n'));
}

void MainWindow::copySelectionAsFilter() {
    QStringList terms;
    for (int row : m_table->selectedRowNumbers()) {
        const QString term =
            "request:" + quoteValue(qs(m_store->field(m_model->rowId(row), Field::RequestId)));
        if (!terms.contains(term)) terms << term;
    }
    QApplication::clipboard()->setText(terms.join(" OR "));
}

void MainWindow::filterByCell(const QModelIndex& index, bool exclude) {
    if (!index.isValid()) return;
    const RowId row = m_model->rowId(index.row());
    const QString column = m_model->columns()[index.column()];
    const QString key = filterKeyForColumn(column);
    QString value;
    if (column == "@event")
        value = qs(m_store->field(row, Field::EventType));
    else if (column == "@actor") {
        value = qs(m_store->field(row, Field::Application));
        if (value.isEmpty()) value = m_model->cellText(row, column);
    } else
        value = m_model->cellText(row, column);
    if (column == "agent_labels" || column == "determining_policies") value = value.section(' ', 0, 0);
    if (value.isEmpty()) return;
    const QString term =
        (exclude ? "-" : "") + (key.isEmpty() ? quoteValue(value) : key + ":" + quoteValue(value));
    const QString current = m_filter->text().trimmed();
    m_filter->setText(current.isEmpty() ? term : current + " " + term);
    applyView();
}

void MainWindow::showTableMenu(const QPoint& pos) {
    const QModelIndex index = m_table->indexAt(pos);
    QMenu menu(this);
    menu.addAction("Copy rows", QKeySequence::Copy, this,
                   [this] { QApplication::clipboard()->setText(m_table->selectedRowsAsText()); });
    menu.addAction("Copy as JSON", this, &MainWindow::copySelectionAsJson);
    menu.addAction("Copy as filter", this, &MainWindow::copySelectionAsFilter);
    if (m_table->selectedRowNumbers().size() == 2) {
        menu.addSeparator();
        menu.addAction("Compare these two events", this, [this] { compareSelection(false); });
        menu.addAction("Compare their requests", this, [this] { compareSelection(true); });
    }
    if (index.isValid()) {
        menu.addSeparator();
        const QString value =
            m_model->cellText(m_model->rowId(index.row()), m_model->columns()[index.column()]);
        const QString shown = value.size() > 40 ? value.left(40) + "..." : value;
        menu.addAction(QString("Filter by \"%1\"").arg(shown), this,
                       [this, index] { filterByCell(index, false); });
        menu.addAction(QString("Exclude \"%1\"").arg(shown), this,
                       [this, index] { filterByCell(index, true); });
        menu.addAction("Show this request only", this, [this, index] {
            m_requestBox->setText(qs(m_store->field(m_model->rowId(index.row()), Field::RequestId)));
            applyView();
        });
        if (m_store->rowText(m_model->rowId(index.row())).find("\"delegation_chain\"") !=
            std::string_view::npos) {
            menu.addSeparator();
            menu.addAction("Delegation graph of this event", this,
                           [this] { openDelegationGraph(GraphOf::Event); });
            menu.addAction("Delegation graph of this request", this,
                           [this] { openDelegationGraph(GraphOf::Request); });
            menu.addAction("Delegation graph of its zone", this,
                           [this] { openDelegationGraph(GraphOf::Zone); });
        }
        const EventLinks links = linkEvent(m_model->event(m_model->rowId(index.row())));
        if (!links.codes.empty()) menu.addSeparator();
        for (const auto& c : links.codes)
            menu.addAction(
                QString("Troubleshoot %1").arg(QString::fromStdString(c.code)), this,
                [this, code = QString::fromStdString(c.code)] { openTroubleshooting("code:" + code); });
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

DelegationGraphWindow* MainWindow::openDelegationGraph(GraphOf what) {
    const QModelIndex current = m_table->currentIndex();
    const bool hasRow = current.isValid() && current.row() < m_model->rowCount() && m_store;
    GraphScope scope;
    if (what == GraphOf::Zone) {
        scope.kind = GraphScope::Kind::Zone;
        scope.zone = hasRow ? std::string(m_store->field(m_model->rowId(current.row()), Field::Zone))
                            : m_zoneBox->currentData().toString().toStdString();
    } else if (hasRow) {
        const RowId row = m_model->rowId(current.row());
        scope.kind = what == GraphOf::Event ? GraphScope::Kind::Event : GraphScope::Kind::Request;
        scope.row = row;
        scope.zone = m_store->field(row, Field::Zone);
        scope.requestId = m_store->field(row, Field::RequestId);
    }
    if (scope.kind != GraphScope::Kind::Zone && m_store && !isLoading()) {
        const auto rows = scope.kind == GraphScope::Kind::Event
                              ? std::vector<RowId>{scope.row}
                              : graphRowsForRequest(*m_store, scope.requestId, scope.zone);
        if (std::none_of(rows.begin(), rows.end(), [&](RowId r) {
                return m_store->rowText(r).find("\"delegation_chain\"") != std::string_view::npos;
            })) {
            statusBar()->showMessage(
                scope.kind == GraphScope::Kind::Event
                    ? "This event carries no delegation chain; try its zone's graph."
                    : "No event of this request carries a delegation chain; try its zone's graph.",
                8000);
            return nullptr;
        }
    }
    if (!m_store || isLoading() || scope.zone.empty()) {
        statusBar()->showMessage(isLoading()
                                     ? "Wait for loading to finish, then open the graph."
                                     : "Select an event first (or choose a zone for the zone's graph).",
                                 6000);
        return nullptr;
    }
    auto* window = new DelegationGraphWindow(m_store, scope, this);
    window->setWindowFlag(Qt::Window);
    connect(window, &DelegationGraphWindow::filterRequested, this, [this](const QString& expression) {
        m_requestBox->clear();
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
    auto* wizard = new SetupWizard(m_store, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &SetupWizard::troubleshootingRequested, this,
            [this](const QString& address) { openTroubleshooting(address); });
    connect(wizard, &SetupWizard::showRequestRequested, this, [this](const QString& requestId) {
        m_filter->clear();
        m_requestBox->setText(requestId);
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
                    m_requestBox->clear();
                    applyView();
                    raise();
                });
    }
    if (address.startsWith("code:"))
        m_troubleshooting->showCode(address.mid(5));
    else if (address.startsWith("row:"))
        m_troubleshooting->showRow(address.mid(4));
    m_troubleshooting->show();
    m_troubleshooting->raise();
    return m_troubleshooting;
}

ExplainErrorDialog* MainWindow::openExplainError() {
    delete m_explain; // it reads the current store
    m_explain = new ExplainErrorDialog(m_store, this);
    connect(m_explain, &ExplainErrorDialog::codeActivated, this,
            [this](const QString& code) { openTroubleshooting("code:" + code); });
    connect(m_explain, &ExplainErrorDialog::requestActivated, this, [this](const QString& request) {
        m_requestBox->setText(request);
        m_zoneBox->setCurrentIndex(0);
        applyView();
        raise();
    });
    m_explain->show();
    return m_explain;
}

void MainWindow::showRows(std::vector<RowId> rows, const QString& description) {
    ++m_viewGeneration; // a running filter must not replace this selection
    if (m_incoming) swapInIncoming();
    std::sort(rows.begin(), rows.end(), [this](RowId a, RowId b) { return m_store->lessInTime(a, b); });
    m_model->setRows(std::move(rows));
    updateStatus();
    statusBar()->showMessage(
        QString("%1: %2 events. Press Enter in the filter bar to return to the filter's view.")
            .arg(description, number(m_model->rowCount())));
    emit viewApplied();
}

void MainWindow::refreshDiagnostics() {
    if (!m_diagnostics->isVisible() || isLoading()) return;
    const uint64_t generation = ++m_overviewGeneration;
    std::vector<RowId> rows;
    if (m_diagnostics->onlyShownBox()->isChecked()) rows = m_model->rows();
    auto store = m_store;
    auto* watcher = new QFutureWatcher<std::vector<OverviewGroup>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, store] {
        auto groups = watcher->result();
        watcher->deleteLater();
        if (generation == m_overviewGeneration && store == m_store)
            m_diagnostics->setOverview(std::move(groups));
    });
    watcher->setFuture(QtConcurrent::run([store, rows] { return buildDiagnosticsOverview(*store, rows); }));
}

CompareDialog* MainWindow::compareSelection(bool wholeRequests) {
    const QList<int> selected = m_table->selectedRowNumbers();
    if (selected.size() != 2) return nullptr;
    const RowId a = m_model->rowId(selected[0]), b = m_model->rowId(selected[1]);
    std::vector<std::pair<RowId, RowId>> pairs;
    if (wholeRequests) {
        auto eventsOf = [this](RowId r) {
            std::vector<RowId> out;
            for (RowId x : m_store->rowsWith(Field::RequestId, m_store->field(r, Field::RequestId)))
                if (m_store->field(x, Field::Zone) == m_store->field(r, Field::Zone)) out.push_back(x);
            return out;
        };
        const auto left = eventsOf(a), right = eventsOf(b);
        for (size_t i = 0; i < std::min(left.size(), right.size()); ++i)
            pairs.emplace_back(left[i], right[i]);
    } else {
        pairs.emplace_back(a, b);
    }
    auto* dialog = new CompareDialog(m_store.get(), pairs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::showBadLines() {
    BadLinesDialog dialog(m_store.get(), this);
    dialog.exec();
}

void MainWindow::showShortcuts() {
    QDialog dialog(this);
    dialog.setWindowTitle("Keyboard shortcuts");
    auto* layout = new QVBoxLayout(&dialog);
    const QList<QPair<QString, QString>> rows = {
        {"Ctrl+O", "Open audit files"},
        {"Ctrl+Shift+O", "Connect to a deployment"},
        {"Ctrl+Shift+F", "Follow new events of a deployment (pause and resume in the status bar)"},
        {"Ctrl+L", "Focus the filter bar"},
        {"Enter (in the filter or request box)", "Apply"},
        {"Up / Down (in the filter)", "Previous and next filters"},
        {"Type in the table", "Jump to the first request id starting with what you typed"},
        {"Arrow keys, Page Up / Page Down, Home / End", "Move in the table"},
        {"Ctrl+C", "Copy the selected rows as text"},
        {"Ctrl+Shift+C", "Copy the selected events as JSON"},
        {"Ctrl+F", "Find in the selected event"},
        {"Ctrl+T", "Troubleshooting tables and error codes"},
        {"Ctrl+E", "Explain a pasted error body"},
        {"Ctrl+D", "Diagnostics overview"},
        {"Ctrl+G / Ctrl+Shift+G", "Delegation graph of the selected event / its request"},
        {"In a graph: arrows, F, +/-, Ctrl+0, Esc",
         "Walk the graph, fit, zoom, actual size, clear the selection"},
        {"F5", "Reload the open files"},
        {"F1", "This list"},
        {"Ctrl+Q", "Quit"}};
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
    m_followAction->setChecked(QSettings().value("follow/enabled", false).toBool());
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
    m_filter->setHistory(s.value("filters/history").toStringList());
    s.beginGroup("filters/saved");
    for (const QString& name : s.childKeys())
        m_savedFilters.insert(QByteArray::fromPercentEncoding(name.toUtf8()), s.value(name).toString());
    s.endGroup();
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
    s.setValue("filters/history", m_filter->history());
    s.remove("filters/saved");
    s.beginGroup("filters/saved");
    for (auto it = m_savedFilters.begin(); it != m_savedFilters.end(); ++it)
        s.setValue(QString::fromUtf8(it.key().toUtf8().toPercentEncoding()), it.value());
    s.endGroup();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_loader->cancel();
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
