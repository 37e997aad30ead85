#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "input/FileFollower.h"
#include "session/FileFollowController.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <cstdio>
#include <fstream>

using namespace caracal;
using namespace caracal::ui;

// View > Follow file on a file this test writes: appended lines appear, a partial line waits for its end, a
// truncated or replaced file is loaded again with a notice. Every wait is on a signal or a condition.
class FollowFileTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption

    static std::string line(const std::string& id, const char* decision = "allow", int second = 0) {
        char time[32];
        std::snprintf(time, sizeof time, "2026-11-14T10:%02d:%02dZ", (second / 60) % 60, second % 60);
        return "{\"id\":\"" + id +
               "\",\"zone_id\":\"z\",\"event_type\":\"token_exchange\",\"request_id\":\"r-" + id +
               "\",\"decision\":\"" + decision + "\",\"evaluation_status\":\"complete\",\"occurred_at\":\"" +
               time + "\"}";
    }
    static void append(const QString& path, const std::string& bytes) {
        std::ofstream out(path.toStdString(), std::ios::binary | std::ios::app);
        out << bytes;
    }
    static void rewrite(const QString& path, const std::string& bytes) {
        std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    void openAndWait(MainWindow& w, const QString& file) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles({file});
        QVERIFY(spy.wait(kWait));
    }
    // Waits for a poll that began after the file last changed.
    void waitForFreshPoll(MainWindow& w) {
        FileFollowController* follow = w.session()->fileFollow();
        QSignalSpy polled(follow, &FileFollowController::polled);
        const bool inFlight = follow->isPolling(); // it may have read the file before the change
        follow->pollNow();
        QTRY_VERIFY_WITH_TIMEOUT(polled.count() >= (inFlight ? 2 : 1), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!w.session()->isExtending(), kWait);
    }

  private slots:
    void initTestCase() { caracal::test::isolateSettings(tmp, "follow-file-test"); }

    // The engine's follower as the console places it: after the loaded bytes, and back when a poll's lines
    // could not be taken.
    void followerResumesAfterTheLoadAndRewinds() {
        const QString path = tmp.filePath("resume.jsonl");
        rewrite(path, line("a") + "\n" + line("b") + "\n");
        const uint64_t loaded = uint64_t(QFileInfo(path).size());
        FileFollower follower(path.toStdString());
        std::string error;
        QVERIFY(!follower.resumeAt(loaded + 1, 3, error)); // the file is shorter than that
        QVERIFY(QString::fromStdString(error).contains("shorter"));
        QVERIFY(follower.resumeAt(loaded, 3, error));
        QVERIFY(follower.poll().lines.empty()); // nothing after the loaded bytes yet
        append(path, line("c") + "\n");
        FileFollower::Update u = follower.poll();
        QCOMPARE(u.firstLine, 3u);
        QCOMPARE(u.lines, line("c") + "\n");
        follower.rewindTo(loaded, 3);
        u = follower.poll();
        QCOMPARE(u.firstLine, 3u); // the same line, read again
        QCOMPARE(u.lines, line("c") + "\n");
        QCOMPARE(u.restart, FileFollower::Restart::None);
        QVERIFY(follower.poll().lines.empty());
    }

    void growsWaitsForPartialLinesAndReloadsWhenTruncated() {
        const QString path = tmp.filePath("growing.jsonl");
        std::string start;
        for (int i = 0; i < 20; ++i)
            start += line("e" + std::to_string(i), i % 2 ? "deny" : "allow", i) + "\n";
        rewrite(path, start);

        MainWindow w;
        w.show();
        openAndWait(w, path);
        QCOMPARE(w.model()->rowCount(), 20);
        QAction* follow = w.actions()->action("follow-file");
        QVERIFY(follow && follow->isCheckable());
        QVERIFY(follow->isEnabled());
        follow->trigger();
        QVERIFY(follow->isChecked());
        QVERIFY(w.session()->fileFollow()->isActive());
        w.table()->setCurrentIndex(w.model()->index(3, 0));
        const RowId selected = w.model()->rowId(3);

        // Complete new lines appear; the selection stays on its event.
        append(path, line("n1", "allow", 30) + "\n" + line("n2", "deny", 31) + "\n" +
                         line("n3", "allow", 32) + "\n");
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 23, kWait);
        QCOMPARE(w.model()->rowId(w.table()->currentIndex().row()), selected);
        QCOMPARE(w.store()->eventId(w.model()->rowId(22)), std::string("n3"));

        // A partial last line waits for its newline.
        const std::string partial = line("p1", "allow", 40);
        append(path, partial.substr(0, 40));
        waitForFreshPoll(w);
        QCOMPARE(w.model()->rowCount(), 23);
        QCOMPARE(w.store()->badLines().size(), size_t(0));
        append(path, partial.substr(40) + "\n");
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 24, kWait);
        QCOMPARE(w.store()->eventId(w.model()->rowId(23)), std::string("p1"));
        QCOMPARE(w.store()->badLines().size(), size_t(0));
        QCOMPARE(w.model()->rowId(w.table()->currentIndex().row()), selected);

        // Truncated and written again: loaded again from the start, with a notice, and still followed.
        QSignalSpy reloaded(&w, &MainWindow::loadFinished);
        rewrite(path, line("t1", "allow", 50) + "\n" + line("t2", "deny", 51) + "\n");
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 2, kWait);
        QVERIFY2(w.noticeLabel()->text().contains("truncated"), qPrintable(w.noticeLabel()->text()));
        QVERIFY(w.noticeLabel()->isVisible());
        QVERIFY(follow->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->fileFollow()->isActive(), kWait);
        append(path, line("t3", "allow", 52) + "\n");
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 3, kWait);

        // Replaced by another file (rotation): the new file is loaded, with a notice saying so.
        const QString next = tmp.filePath("next.jsonl");
        rewrite(next, line("r1", "allow", 55) + "\n");
        QSignalSpy rotated(&w, &MainWindow::loadFinished);
        QVERIFY(std::rename(next.toLocal8Bit().constData(), path.toLocal8Bit().constData()) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(!rotated.isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 1, kWait);
        QVERIFY2(w.noticeLabel()->text().contains("replaced"), qPrintable(w.noticeLabel()->text()));
        QCOMPARE(w.store()->eventId(w.model()->rowId(0)), std::string("r1"));

        // Turned off: nothing more is read; opening another file turns it off too.
        follow->trigger();
        QVERIFY(!follow->isChecked());
        QVERIFY(!w.session()->fileFollow()->isActive());
    }

    // Each poll's lines are a source of their own; before the store's 16-bit source numbers could run out,
    // the file is loaded again as one.
    void manyPiecesAreLoadedAgainAsOne() {
        const QString path = tmp.filePath("pieces.jsonl");
        rewrite(path, line("a0") + "\n");
        MainWindow w;
        w.show();
        openAndWait(w, path);
        w.session()->fileFollow()->setMaxSources(3);
        w.actions()->action("follow-file")->trigger();
        QCOMPARE(int(w.store()->sourceCount()), 1);
        append(path, line("a1", "allow", 1) + "\n");
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 2, kWait);
        append(path, line("a2", "allow", 2) + "\n");
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 3, kWait);
        QCOMPARE(int(w.store()->sourceCount()), 3);
        QSignalSpy reloaded(&w, &MainWindow::loadFinished);
        append(path, line("a3", "allow", 3) + "\n");
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), 4, kWait);
        QCOMPARE(int(w.store()->sourceCount()), 1);
        QVERIFY(w.noticeLabel()->text().contains("many pieces"));
        QVERIFY(w.actions()->action("follow-file")->isChecked());
    }

    // Load, filter, follow, close, two hundred times: every window ends with the rows the file holds, no job
    // outlives its window, and nothing accumulates.
    void boundedSoak() {
        const QString path = tmp.filePath("soak.jsonl");
        std::string start;
        for (int i = 0; i < 200; ++i)
            start += line("s" + std::to_string(i), i % 4 ? "allow" : "deny", i) + "\n";
        rewrite(path, start);
        int lines = 200, allows = 150;
        const int topLevels = QApplication::topLevelWidgets().size();
        for (int round = 0; round < 200; ++round) {
            auto* w = new MainWindow;
            w->show();
            openAndWait(*w, path);
            QCOMPARE(int(w->store()->eventCount()), lines);
            {
                QSignalSpy applied(w, &MainWindow::viewApplied);
                w->setViewOptions("decision:allow", {}, {});
                QVERIFY(w->applyView());
                QVERIFY(applied.wait(kWait));
            }
            QCOMPARE(w->model()->rowCount(), allows);
            w->actions()->action("follow-file")->trigger();
            QVERIFY(w->session()->fileFollow()->isActive());
            append(path, line("x" + std::to_string(round), "allow", round) + "\n");
            ++lines;
            ++allows;
            QTRY_COMPARE_WITH_TIMEOUT(w->model()->rowCount(), allows, kWait);
            QCOMPARE(int(w->store()->eventCount()), lines);
            w->close(); // cancels every job and waits for it
            QVERIFY(w->session()->jobs().runningSlots().isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(w->session()->jobs().runningCount(), 0, kWait); // and forgets it
            QVERIFY(!w->session()->fileFollow()->isActive());
            delete w;
            QTRY_COMPARE_WITH_TIMEOUT(QThreadPool::globalInstance()->activeThreadCount(), 0, kWait);
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(QApplication::topLevelWidgets().size(), topLevels);
    }
};

QTEST_MAIN(FollowFileTest)
#include "tst_followfile.moc"
