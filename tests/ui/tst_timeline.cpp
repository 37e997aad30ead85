#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "common/StatusPalette.h"
#include "common/Theme.h"
#include "filter/FilterEdit.h"
#include "session/ConsoleSession.h"
#include "table/EventTableModel.h"
#include "timeline/TimeRangeTerms.h"
#include "timeline/TimelinePanel.h"
#include "timeline/TimelineView.h"
#include "util/Timestamp.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHelpEvent>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <fstream>

using namespace caracal;
using namespace caracal::ui;

// The timeline above the table, driven with real mouse gestures offscreen: a drag writes since:/until: into
// the filter line (undoable), a bar click shows its bucket's rows, hovering names a bucket's counts, the
// wheel zooms to a finer bucket, Shift+drag pans, and a merge redraws it. Waits are on signals, never on
// time.
class TimelineUiTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption
    QString file, later;
    std::unique_ptr<MainWindow> w;

    static std::string line(const std::string& id, const std::string& zone, const std::string& time,
                            const std::string& decision) {
        return "{\"id\":\"" + id + "\",\"zone_id\":\"" + zone +
               "\",\"event_type\":\"token_exchange\",\"request_id\":\"req-" + id + "\",\"decision\":\"" +
               decision +
               "\",\"evaluation_status\":\"complete\",\"determining_policies_json\":null,"
               "\"diagnostics_json\":null,\"occurred_at\":\"2026-11-14T" +
               time + "Z\"}\n";
    }
    QString write(const QString& name, const std::string& text) {
        const QString path = tmp.filePath(name);
        std::ofstream(path.toStdString()) << text;
        return path;
    }

    TimelinePanel* panel() const { return w->timeline(); }
    TimelineView* view() const { return panel()->view(); }
    const Timeline& shown() const { return *view()->timeline(); }
    uint32_t total(size_t bucket) const {
        uint32_t n = 0;
        for (size_t lane = 0; lane < shown().laneZones.size(); ++lane)
            n += shown().bucketTotal(lane, bucket);
        return n;
    }
    // Runs `action` and waits until the timeline it causes is on show.
    template <class F> bool redrawnAfter(F action) {
        QSignalSpy drawn(panel(), &TimelinePanel::timelineShown);
        action();
        return drawn.wait(kWait) || !drawn.isEmpty();
    }
    // Applies a filter typed into the line, and waits for its view and timeline.
    bool applyFilter(const QString& text) {
        return redrawnAfter([&] {
            w->setViewOptions(text, "", "");
            QVERIFY(w->applyView());
        });
    }
    void chooseBucket(const QString& name) {
        QVERIFY(redrawnAfter(
            [&] { panel()->bucketBox()->setCurrentIndex(panel()->bucketBox()->findText(name)); }));
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "timeline-test");
        qRegisterMetaType<ViewResult>();
        // Five one-minute buckets, 10:01 empty.
        file = write(
            "events.jsonl",
            line("e1", "zone-a", "10:00:05", "allow") + line("e2", "zone-a", "10:00:30", "deny") +
                line("e3", "zone-b", "10:00:50.25", "pending") + line("e4", "zone-b", "10:02:10", "allow") +
                line("e5", "zone-c", "10:02:20", "allow") + line("e6", "zone-a", "10:02:59.999", "consumed") +
                line("e7", "zone-c", "10:03:00", "deny") + line("e8", "zone-a", "10:04:30", "allow") +
                line("e9", "zone-a", "10:04:31", "allow"));
        later = write("later.jsonl", line("f1", "zone-b", "10:06:00", "approved") +
                                         line("f2", "zone-b", "10:06:01", "rejected"));
        w = std::make_unique<MainWindow>();
        w->resize(1000, 700);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        QVERIFY(panel()->isVisible());
        QSignalSpy loaded(w.get(), &MainWindow::loadFinished);
        QSignalSpy drawn(panel(), &TimelinePanel::timelineShown);
        w->openFiles({file});
        QVERIFY(loaded.wait(kWait));
        QTRY_VERIFY_WITH_TIMEOUT(!drawn.isEmpty(), kWait);
        chooseBucket("1m");
    }

    void countsOfTheView() {
        QCOMPARE(shown().bucketSeconds, 60);
        QCOMPARE(shown().bucketCount, size_t(5));
        QCOMPARE(QString::fromStdString(formatUtcSeconds(shown().bucketStart(0))),
                 QString("2026-11-14T10:00:00Z"));
        const uint32_t want[] = {3, 0, 3, 1, 2};
        for (size_t b = 0; b < 5; ++b)
            QCOMPARE(total(b), want[b]);
        QCOMPARE(shown().classCount(0, 0, DecisionClass::Pending), 1u);
        QCOMPARE(shown().classCount(0, 2, DecisionClass::Consumed), 1u);
        caracal::test::screenshot(w.get(), "timeline");
    }

    void hoverNamesTheBucket() {
        const QPoint at = view()->barRect(0).center();
        const QString text = view()->toolTipAt(at);
        QVERIFY2(text.contains("2026-11-14T10:00:00Z"), qPrintable(text));
        QVERIFY(text.contains("1m bucket"));
        QVERIFY(text.contains("3 events"));
        QVERIFY(text.contains("allow: 1") && text.contains("deny: 1") && text.contains("pending: 1"));
        QVERIFY(view()->toolTipAt(view()->barRect(1).center()).contains("0 events"));
        // A real hover: the mouse moves there and the tooltip event shows the same text.
        QTest::mouseMove(view(), at);
        QHelpEvent help(QEvent::ToolTip, at, view()->mapToGlobal(at));
        QApplication::sendEvent(view(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains("3 events"));
        QToolTip::hideText();
    }

    void dragSetsSinceAndUntil() {
        QSignalSpy applied(w.get(), &MainWindow::viewApplied);
        QTest::mousePress(view(), Qt::LeftButton, {}, view()->barRect(0).center());
        QTest::mouseMove(view(), view()->barRect(1).center());
        QTest::mouseMove(view(), view()->barRect(2).center());
        QTest::mouseRelease(view(), Qt::LeftButton, {}, view()->barRect(2).center());
        QCOMPARE(w->filterEdit()->text(), QString("since:2026-11-14T10:00:00Z until:2026-11-14T10:03:00Z"));
        QVERIFY(applied.wait(kWait));
        QCOMPARE(w->model()->rowCount(), 6);
        QTRY_COMPARE_WITH_TIMEOUT(shown().events, size_t(6), kWait);
        // The edit is the user's: Ctrl+Z in the filter line takes it back.
        w->filterEdit()->setFocus();
        QTest::keyClick(w->filterEdit(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(w->filterEdit()->text(), QString());
        QVERIFY(applyFilter(""));
        QCOMPARE(w->model()->rowCount(), 9);
    }

    void anotherRangeReplacesTheTerms() {
        QVERIFY(applyFilter("decision:allow since:2026-11-14T09:00:00Z"));
        QCOMPARE(w->model()->rowCount(), 5);
        // allow events from 10:00:05 to 10:04:31: buckets 10:00 .. 10:04; drag over the last two.
        QCOMPARE(shown().bucketCount, size_t(5));
        QVERIFY(redrawnAfter([&] {
            QTest::mousePress(view(), Qt::LeftButton, {}, view()->barRect(3).center());
            QTest::mouseMove(view(), view()->barRect(4).center());
            QTest::mouseRelease(view(), Qt::LeftButton, {}, view()->barRect(4).center());
        }));
        QCOMPARE(w->filterEdit()->text(),
                 QString("decision:allow since:2026-11-14T10:03:00Z until:2026-11-14T10:05:00Z"));
        QCOMPARE(w->model()->rowCount(), 2);
        QCOMPARE(
            withTimeRange("-since:1h (until:2h OR zone:a) b", 0, 60),
            QString(
                "-since:1h (until:2h OR zone:a) b since:1970-01-01T00:00:00Z until:1970-01-01T00:01:00Z"));
        QVERIFY(applyFilter(""));
    }

    void clickShowsTheBarsRows() {
        QVERIFY(redrawnAfter(
            [&] { QTest::mouseClick(view(), Qt::LeftButton, {}, view()->barRect(2).center()); }));
        QCOMPARE(w->filterEdit()->text(), QString("since:2026-11-14T10:02:00Z until:2026-11-14T10:03:00Z"));
        QCOMPARE(w->model()->rowCount(), 3);
        for (int r = 0; r < 3; ++r) {
            const int64_t t = w->store()->record(w->model()->rowId(r)).occurredAt / 1'000'000;
            QVERIFY(t >= *parseRfc3339Micros("2026-11-14T10:02:00Z") / 1'000'000);
            QVERIFY(t < *parseRfc3339Micros("2026-11-14T10:03:00Z") / 1'000'000);
        }
        // An empty bar is not a click target.
        QVERIFY(applyFilter(""));
        QTest::mouseClick(view(), Qt::LeftButton, {}, view()->barRect(1).center());
        QCOMPARE(w->filterEdit()->text(), QString());
    }

    void wheelZoomsToAFinerBucketAndShiftDragPans() {
        chooseBucket("Auto");
        const int64_t before = shown().bucketSeconds;
        QVERIFY(before > 1);
        const QPoint middle = view()->rect().center();
        QVERIFY(redrawnAfter([&] {
            QWheelEvent wheel(middle, view()->mapToGlobal(middle), {}, QPoint(0, 120), Qt::NoButton, {},
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(view(), &wheel);
        }));
        QVERIFY(panel()->isZoomed());
        QVERIFY2(shown().bucketSeconds < before, qPrintable(QString::number(shown().bucketSeconds)));
        QVERIFY(panel()->resetButton()->isEnabled());
        // Shift+drag to the left shows later times.
        const int64_t start = shown().firstStart;
        QVERIFY(redrawnAfter([&] {
            QTest::mousePress(view(), Qt::LeftButton, Qt::ShiftModifier, middle);
            QTest::mouseMove(view(), middle - QPoint(200, 0));
            QTest::mouseRelease(view(), Qt::LeftButton, Qt::ShiftModifier, middle - QPoint(200, 0));
        }));
        QVERIFY(shown().firstStart > start);
        // The middle button pans too: dragging right shows earlier times.
        const int64_t panned = shown().firstStart;
        QVERIFY(redrawnAfter([&] {
            QTest::mousePress(view(), Qt::MiddleButton, {}, middle);
            QTest::mouseMove(view(), middle + QPoint(300, 0));
            QTest::mouseRelease(view(), Qt::MiddleButton, {}, middle + QPoint(300, 0));
        }));
        QVERIFY(shown().firstStart < panned);
        QCOMPARE(w->filterEdit()->text(), QString()); // panning is not a range choice
        QVERIFY(redrawnAfter([&] { panel()->resetButton()->click(); }));
        QVERIFY(!panel()->isZoomed());
        QCOMPARE(shown().bucketSeconds, before);
        QCOMPARE(shown().events, size_t(9));
    }

    void oneRowPerZone() {
        QVERIFY(redrawnAfter([&] { panel()->perZoneBox()->setChecked(true); }));
        QCOMPARE(shown().laneZones.size(), size_t(3));
        QCOMPARE(shown().laneZones.front(), std::string("zone-a")); // the busiest first
        caracal::test::screenshot(w.get(), "timeline-zones");
        const QRect bar = view()->barRect(0);
        QVERIFY(view()->toolTipAt(QPoint(bar.center().x(), bar.top() + 2)).contains("zone zone-a"));
        QVERIFY(redrawnAfter([&] { panel()->perZoneBox()->setChecked(false); }));
        QCOMPARE(shown().laneZones.size(), size_t(1));
    }

    void mergeRedraws() {
        chooseBucket("1m");
        QVERIFY(redrawnAfter([&] { QVERIFY(w->mergeFiles({later})); }));
        QTRY_COMPARE_WITH_TIMEOUT(shown().events, size_t(11), kWait);
        QCOMPARE(shown().bucketCount, size_t(7));
        QCOMPARE(shown().classCount(0, 6, DecisionClass::Approved), 1u);
        QCOMPARE(shown().classCount(0, 6, DecisionClass::Rejected), 1u);
    }

    void collapsibleAndRemembered() {
        QAction* toggle = w->actions()->action("timeline");
        QVERIFY(toggle && toggle->isCheckable() && toggle->isChecked());
        toggle->trigger();
        QVERIFY(!panel()->isVisible());
        QCOMPARE(QSettings().value("timeline/visible").toBool(), false);
        // Hidden, it does not count; shown again, it counts the current view.
        QSignalSpy applied(w.get(), &MainWindow::viewApplied);
        w->setViewOptions("zone:zone-b", "", "");
        QVERIFY(w->applyView());
        QVERIFY(applied.wait(kWait));
        QVERIFY(!view()->timeline() || view()->timeline()->events != 4); // not counted while hidden
        QVERIFY(redrawnAfter([&] { toggle->trigger(); }));
        QVERIFY(panel()->isVisible());
        QCOMPARE(QSettings().value("timeline/visible").toBool(), true);
        QCOMPARE(shown().events, size_t(4));
    }

    void darkPaletteColours() {
        // The bars take the status palette's colours for the palette in use, so dark mode has its own.
        const QColor light = TimelineView::classColor(DecisionClass::Deny, view()->palette());
        QCOMPARE(light, QColor(statusColor(StatusTone::Bad, view()->palette())));
        applyPalette(PaletteMode::Dark);
        QTRY_VERIFY(isDark(view()->palette()));
        const QColor dark = TimelineView::classColor(DecisionClass::Deny, view()->palette());
        QCOMPARE(dark, QColor(statusColor(StatusTone::Bad, view()->palette())));
        QVERIFY(dark != light);
        QVERIFY(TimelineView::classColor(DecisionClass::Allow, view()->palette()) != dark);
        // The legend above the bars follows the palette too.
        QLabel* summary = panel()->findChild<QLabel*>("timelineSummary");
        QVERIFY(summary);
        const QString darkAllow = TimelineView::classColor(DecisionClass::Allow, view()->palette()).name();
        QTRY_VERIFY(summary->text().contains(darkAllow)); // the view holds allow events, no deny
        view()->repaint();                                // paints without a problem on the dark palette
        caracal::test::screenshot(w.get(), "timeline-dark");
        applyPalette(PaletteMode::Light);
    }

    void cleanupTestCase() { w.reset(); }
};

QTEST_MAIN(TimelineUiTest)
#include "tst_timeline.moc"
