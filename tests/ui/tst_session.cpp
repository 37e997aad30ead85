#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "GuiTestSupport.h"
#include "query/FilterQuery.h"
#include "session/ConsoleSession.h"
#include "session/JobTracker.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "table/RowSorter.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <fstream>

using namespace caracal;
using namespace caracal::ui;

// ConsoleSession and JobTracker driven directly: the store's lifetime, stale results, sorting off the GUI
// thread, extensions that place new rows, and windows closed while their jobs run. Waits are on signals.
class SessionTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption
    QString fileA, fileB, bigFile;

    static QString writeEvents(const QString& path, uint64_t seed, uint64_t events, int64_t startMicros = 0) {
        gen::GeneratorOptions o;
        o.seed = seed;
        o.events = events;
        o.zones = 3;
        o.startMicros = startMicros;
        std::ofstream out(path.toStdString());
        gen::generate(o, out);
        return path;
    }

    void openAndWait(ConsoleSession& s, const QStringList& files) {
        QSignalSpy indexed(&s, &ConsoleSession::indexed);
        s.openFiles(files);
        QVERIFY(indexed.wait(kWait));
        QCOMPARE(s.state(), ConsoleSession::State::Ready);
    }

    static FilterQuery compile(const EventStore& store, const QString& expr) {
        auto q = FilterQuery::compile(expr.toStdString(), store, 0);
        return std::get<FilterQuery>(std::move(q));
    }

    ViewResult viewOf(ConsoleSession& s, const QString& expr, const SortSpec& sort) {
        QSignalSpy ready(&s, &ConsoleSession::viewReady);
        s.computeView(compile(*s.viewTarget(), expr), expr, sort);
        if (!ready.wait(kWait)) return {};
        return ready.last().first().value<ViewResult>();
    }

    // What the view must be: the filter's rows, sorted, computed here without the session.
    static std::vector<RowId> expected(const EventStore& store, const QString& expr, const SortSpec& sort) {
        std::vector<RowId> rows = compile(store, expr).run();
        sortRows(store, rows, sort);
        return rows;
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "session-test");
        qRegisterMetaType<ViewResult>();
        fileA = writeEvents(tmp.filePath("a.jsonl"), 7, 3000);
        fileB = writeEvents(tmp.filePath("b.jsonl"), 8, 500, 1'800'000'000'000'000);
        bigFile = writeEvents(tmp.filePath("big.jsonl"), 9, 120000);
    }

    void loadingGoesThroughExplicitStates() {
        ConsoleSession s;
        QCOMPARE(s.state(), ConsoleSession::State::Empty);
        QList<ConsoleSession::State> seen;
        connect(&s, &ConsoleSession::stateChanged, this, [&](ConsoleSession::State st) { seen << st; });
        QSignalSpy replaced(&s, &ConsoleSession::storeReplaced);
        openAndWait(s, {fileA});
        QCOMPARE(replaced.size(), 1);
        QCOMPARE(seen, (QList<ConsoleSession::State>{ConsoleSession::State::Loading,
                                                     ConsoleSession::State::Indexing,
                                                     ConsoleSession::State::Ready}));
        QCOMPARE(s.store()->size(), size_t(3000));
        QVERIFY(s.lastLoadCompleted());
        QVERIFY(!s.knownValues().value("zone").isEmpty());
    }

    void viewIsTheFilterSortedOffTheGuiThread() {
        ConsoleSession s;
        openAndWait(s, {fileA});
        const SortSpec byActor{"@actor", Qt::AscendingOrder};
        const ViewResult v = viewOf(s, "decision:deny", byActor);
        QVERIFY(!v.rows.empty());
        QCOMPARE(v.rows, expected(*s.store(), "decision:deny", byActor));
        for (size_t i = 1; i < v.rows.size(); ++i) // actors ascending, equal actors in time order
            QVERIFY(!naturalLess(columnSortKey(*s.store(), v.rows[i], "@actor"),
                                 columnSortKey(*s.store(), v.rows[i - 1], "@actor")));
        const ViewResult down = viewOf(s, "decision:deny", {"@actor", Qt::DescendingOrder});
        std::vector<RowId> reversed = v.rows;
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(down.rows, reversed);
        QCOMPARE(viewOf(s, "", {}).rows, s.store()->timeOrder());
    }

    void naturalOrderComparesNumbersAsNumbers() {
        QVERIFY(naturalLess("app-9", "app-10"));
        QVERIFY(!naturalLess("app-10", "app-9"));
        QVERIFY(naturalLess("Alpha", "beta"));
        QVERIFY(naturalLess("a007", "a8"));
        QVERIFY(!naturalLess("same", "same"));
        QVERIFY(naturalLess("", "a"));
    }

    void reloadDropsTheOldViewAndKeepsItsStoreAliveForTheWorker() {
        ConsoleSession s;
        openAndWait(s, {bigFile});
        QSignalSpy ready(&s, &ConsoleSession::viewReady);
        s.computeView(compile(*s.store(), "app:*"), "app:*", {"@actor", Qt::AscendingOrder});
        openAndWait(s, {fileA});  // a reload while the filter and sort run
        QVERIFY(ready.isEmpty()); // the old store's view never arrives
        s.jobs().waitForAll();
        QVERIFY(ready.isEmpty());
        QCOMPARE(s.store()->size(), size_t(3000));
        QCOMPARE(viewOf(s, "", {}).rows.size(), size_t(3000));
    }

    void mergePlacesNewRowsIntoTheSortedView() {
        ConsoleSession s;
        openAndWait(s, {fileA});
        const SortSpec sort{"resource", Qt::DescendingOrder};
        const QString filter = "decision:allow";
        const ViewResult before = viewOf(s, filter, sort);
        QSignalSpy arrived(&s, &ConsoleSession::extensionArrived);
        QVERIFY(s.mergeFiles({fileB}));
        QVERIFY(!s.mergeFiles({fileB})); // one extension at a time
        QVERIFY(arrived.wait(kWait));
        QCOMPARE(s.state(), ConsoleSession::State::Extending);
        const size_t grown = s.viewTarget()->size();
        QVERIFY(grown > s.store()->size());
        const ViewResult after = viewOf(s, filter, sort);
        QVERIFY(after.extended);
        QCOMPARE(s.state(), ConsoleSession::State::Ready);
        QCOMPARE(s.store()->size(), grown);
        QVERIFY(after.rows.size() > before.rows.size());
        QCOMPARE(after.rows, expected(*s.store(), filter, sort)); // the same as sorting everything again
    }

    void trackerDropsSupersededResultsAndWaitsOnShutdown() {
        auto store = std::make_shared<const EventStore>();
        auto tracker = std::make_unique<JobTracker>();
        int delivered = 0;
        QSemaphore started, release;
        tracker->run<int>(
            "slot", store,
            [&](const EventStore*, JobControl& c) {
                started.release();
                release.acquire();
                return c.cancelled() ? -1 : 1;
            },
            [&](int) { ++delivered; });
        started.acquire(); // the first job runs now
        tracker->run<int>(
            "slot", store, [](const EventStore*, JobControl&) { return 2; },
            [&](int v) { delivered += v * 10; });
        release.release();
        tracker->waitForAll();
        QCOMPARE(delivered, 20); // only the newest job of the slot reported

        std::weak_ptr<const EventStore> watch = store;
        std::atomic<bool> sawCancel{false};
        tracker->run<int>(
            "long", std::move(store),
            [&](const EventStore* s, JobControl& c) {
                started.release();
                while (!c.cancelled())
                    (void)s->size(); // reads the store until told to stop
                sawCancel = true;
                return 0;
            },
            [&](int) { ++delivered; });
        started.acquire();
        QVERIFY(!watch.expired()); // the job holds the store
        tracker.reset();           // cancels and waits
        QVERIFY(sawCancel);
        QVERIFY(watch.expired());
        QCOMPARE(delivered, 20);
    }

    // Under the debug-asan preset these would report a use after free if a worker outlived its store.
    void closingTheWindowDuringAFilterOrASortIsSafe() {
        for (int round = 0; round < 6; ++round) {
            auto* w = new MainWindow;
            QSignalSpy loaded(w, &MainWindow::loadFinished);
            w->openFiles({bigFile});
            QVERIFY(loaded.wait(kWait));
            if (round % 2) { // a sort: the header click asks for a sorted view
                w->table()->horizontalHeader()->setSortIndicator(w->model()->columns().indexOf("@actor"),
                                                                 Qt::AscendingOrder);
            } else {
                w->setViewOptions("\"token\" OR resource:*", "", "");
                QVERIFY(w->applyView());
            }
            QVERIFY(w->session()->jobs().runningCount() > 0);
            delete w; // while the job runs (or waits for a thread)
        }
    }

    void aGroupIsSortedAsShownAndOldRowsAreRefused() {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::loadFinished);
        w.openFiles({fileA});
        QVERIFY(loaded.wait(kWait));
        const std::vector<RowId> group = compile(*w.store(), "decision:deny").run();
        QSignalSpy applied(&w, &MainWindow::viewApplied);
        w.showRows(group, "Denies");
        QCOMPARE(w.model()->rows(), group);
        w.table()->horizontalHeader()->setSortIndicator(w.model()->columns().indexOf("@actor"),
                                                        Qt::DescendingOrder);
        QVERIFY(applied.wait(kWait));
        QCOMPARE(w.model()->rows(), expected(*w.store(), "decision:deny", {"@actor", Qt::DescendingOrder}));
        // Rows from before a reload are not shown against the new store.
        std::vector<RowId> stale = {RowId(w.store()->size() + 5)};
        const auto before = w.model()->rows();
        w.showRows(stale, "Old group");
        QCOMPARE(w.model()->rows(), before);
    }

    void menusToolbarAndShortcutListComeFromOneRegistry() {
        MainWindow w;
        const QList<QPair<QString, QString>> listed = w.actions()->shortcutRows();
        int withKeys = 0;
        for (QAction* menu : w.menuBar()->actions())
            for (QAction* a : menu->menu()->actions()) {
                if (a->isSeparator() || a->menu()) continue;
                QCOMPARE(w.actions()->action(a->objectName()), a); // every menu entry is a registered command
                if (a->shortcut().isEmpty()) continue;
                ++withKeys;
                const QString keys = a->shortcut().toString(QKeySequence::NativeText);
                QVERIFY2(
                    std::any_of(listed.begin(), listed.end(), [&](const auto& r) { return r.first == keys; }),
                    qPrintable(keys + " is missing from the shortcut list"));
            }
        QVERIFY2(withKeys >= 12, qPrintable(QString::number(withKeys)));
        auto* toolbar = w.findChild<QToolBar*>("mainToolBar");
        QVERIFY(toolbar);
        for (QAction* a : toolbar->actions())
            if (!a->isSeparator()) QCOMPARE(w.actions()->action(a->objectName()), a);
        QVERIFY(toolbar->actions().contains(w.actions()->action("follow")));
    }

    void aSortedColumnStaysSortedInTheWindow() {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::loadFinished);
        w.openFiles({fileA});
        QVERIFY(loaded.wait(kWait));
        w.show();
        QSignalSpy applied(&w, &MainWindow::viewApplied);
        const int actorColumn = w.model()->columns().indexOf("@actor");
        QVERIFY(actorColumn >= 0);
        QHeaderView* header = w.table()->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(actorColumn) + 10, header->height() / 2));
        QVERIFY(applied.wait(kWait));
        const std::vector<RowId> rows = w.model()->rows();
        QCOMPARE(rows, expected(*w.store(), "", {"@actor", header->sortIndicatorOrder()}));
        // The filter keeps the order.
        w.setViewOptions("decision:deny", "", "");
        QVERIFY(w.applyView());
        QVERIFY(applied.wait(kWait));
        QCOMPARE(w.model()->rows(),
                 expected(*w.store(), "decision:deny", {"@actor", header->sortIndicatorOrder()}));
    }
};

QTEST_MAIN(SessionTest)
#include "tst_session.moc"
