#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "GuiTestSupport.h"
#include "detail/RequestTraceView.h"
#include "detail/TraceWaterfallView.h"
#include "dialogs/ExplainErrorDialog.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <fstream>
#include <sstream>

using namespace caracal;
using namespace caracal::ui;

// The request trace's waterfall and Explain an error against the audit, driven by real mouse events
// offscreen. Waits are on signals and conditions, never on time.
class TraceWaterfallViewTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption

    void openAndWait(MainWindow& w, const QString& file) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles({file});
        QVERIFY(spy.wait(kWait));
    }
    QString write(const char* name, const std::string& bytes) {
        const QString path = tmp.filePath(name);
        std::ofstream(path.toStdString(), std::ios::binary) << bytes;
        return path;
    }
    static QTabWidget* tabsOf(MainWindow& w) {
        for (QTabWidget* tabs : w.findChildren<QTabWidget*>())
            if (tabs->indexOf(w.traceView()) >= 0) return tabs;
        return nullptr;
    }

  private slots:
    void initTestCase() { caracal::test::isolateSettings(tmp, "waterfall-test"); }

    void hoverTellsAndClickSelects() {
        gen::GeneratorOptions o;
        o.seed = 18;
        o.events = 3000;
        std::ostringstream out;
        gen::generate(o, out);
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        openAndWait(w, write("gen.jsonl", out.str()));
        const EventStore& store = *w.store();
        // A request that went through an approval to its end, with more than one event of its own.
        std::optional<RequestTrace> trace;
        for (RowId r = 0; r < store.size() && !trace; ++r) {
            if (store.field(r, Field::EventType) != "step_up_consumed") continue;
            auto t = buildRequestTrace(store, store.field(r, Field::Zone), store.field(r, Field::RequestId));
            if (t && t->stepUps.size() == 1 && t->stepUps[0].decided && t->events.size() >= 2) trace = t;
        }
        QVERIFY(trace.has_value());
        {
            QSignalSpy applied(&w, &MainWindow::viewApplied);
            w.setViewOptions({}, QString::fromStdString(trace->requestId),
                             QString::fromStdString(trace->zone));
            QVERIFY(w.applyView());
            QVERIFY(applied.wait(kWait));
        }
        QCOMPARE(size_t(w.model()->rowCount()), trace->events.size());
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        tabsOf(w)->setCurrentWidget(w.traceView());
        TraceWaterfallView* waterfall = w.traceView()->waterfallView();
        QVERIFY(waterfall->isVisible());
        QCOMPARE(w.traceView()->waterfallSplitter()->indexOf(waterfall), 0); // the text list beside it
        QVERIFY(w.traceView()->waterfallSplitter()->widget(1)->inherits("QTextBrowser"));
        const TraceWaterfall& wf = waterfall->waterfall();
        QCOMPARE(wf.marks.size(), trace->steps.size());
        QCOMPARE(wf.spans.size(), size_t(1));
        QCOMPARE(wf.finalDecision, trace->finalDecision);
        QCOMPARE(waterfall->selectedMark(), wf.markOf(w.model()->rowId(0))); // the table's selection
        caracal::test::screenshot(&w, "trace-waterfall");

        // Hovering a mark tells its event.
        const int last = int(wf.marks.size()) - 1; // drawn last, so nothing covers it
        QTest::mouseMove(waterfall, waterfall->markPosition(last));
        QTRY_COMPARE(waterfall->hoveredMark(), last);
        QVERIFY(waterfall->hoverText().contains(QString::fromStdString(wf.marks[size_t(last)].eventId)));
        QVERIFY(waterfall->hoverText().contains(QString::fromStdString(wf.marks[size_t(last)].label)));
        QTest::mouseMove(waterfall, QPoint(2, 2));
        QTRY_COMPARE(waterfall->hoveredMark(), -1);
        QVERIFY(waterfall->hoverText().isEmpty());

        // Clicking an event of the request selects it in the trace and in the table.
        int own = -1;
        for (int i = last; i >= 0 && own < 0; --i)
            if (!wf.marks[size_t(i)].joined && wf.marks[size_t(i)].row != w.model()->rowId(0) &&
                waterfall->markAt(waterfall->markPosition(i)) == i)
                own = i;
        QVERIFY(own >= 0);
        const RowId ownRow = wf.marks[size_t(own)].row;
        QTest::mouseClick(waterfall, Qt::LeftButton, {}, waterfall->markPosition(own));
        QCOMPARE(w.model()->rowId(w.table()->currentIndex().row()), ownRow);
        QCOMPARE(w.traceView()->selectedEvent(), std::optional<RowId>(ownRow));
        QCOMPARE(waterfall->selectedMark(), own);
        QVERIFY(w.traceView()->findChild<QTextBrowser*>()->toHtml().contains(
            palette().color(QPalette::Highlight).name())); // the step is marked in the text list too

        // The approval decision is filed under its challenge id: it is selected in the trace, the table
        // stays.
        const int joined = wf.markOf(*trace->stepUps[0].decided);
        QVERIFY(joined >= 0 && wf.marks[size_t(joined)].joined);
        QCOMPARE(waterfall->markAt(waterfall->markPosition(joined)), joined);
        QTest::mouseClick(waterfall, Qt::LeftButton, {}, waterfall->markPosition(joined));
        QCOMPARE(w.traceView()->selectedEvent(), std::optional<RowId>(*trace->stepUps[0].decided));
        QCOMPARE(w.model()->rowId(w.table()->currentIndex().row()), ownRow);
        QVERIFY(w.statusBar()->currentMessage().contains("challenge id"));
        // A click on empty space selects nothing new.
        QTest::mouseClick(waterfall, Qt::LeftButton, {}, QPoint(2, waterfall->height() - 2));
        QCOMPARE(waterfall->selectedMark(), joined);
    }

    void explainComparesWithTheAuditAndGoesToTheTrace() {
        const std::string deny =
            "{\"id\":\"d1\",\"zone_id\":\"z\",\"event_type\":\"token_exchange\",\"request_id\":\"req-deny\","
            "\"decision\":\"deny\",\"evaluation_status\":\"complete\",\"diagnostics_json\":[{\"reason\":"
            "\"no_rule_matched\"}],\"metadata_json\":{\"resource\":\"crm\"},\"occurred_at\":"
            "\"2026-11-14T10:00:00Z\"}\n";
        const std::string allow =
            "{\"id\":\"a1\",\"zone_id\":\"z\",\"event_type\":\"token_exchange\",\"request_id\":\"req-allow\","
            "\"decision\":\"allow\",\"evaluation_status\":\"complete\",\"occurred_at\":\"2026-11-14T10:00:"
            "01Z\"}\n";
        MainWindow w;
        w.show();
        openAndWait(w, write("explain.jsonl", deny + allow));
        ExplainErrorDialog* dialog = w.openExplainError();
        QTest::keyClicks(dialog->bodyEdit(), "{\"error\":\"access_denied\",\"error_description\":\"policy "
                                             "denied\",\"requestId\":\"req-deny\"}");
        QTest::mouseClick(dialog->explainButton(), Qt::LeftButton);
        QCOMPARE(dialog->comparison().verdict, ErrorAuditComparison::Verdict::AgreesDecision);
        const QString text = dialog->resultText();
        QVERIFY2(text.contains("The audit agrees on the decision"), qPrintable(text));
        QVERIFY(text.contains("Real reason: no_rule_matched"));
        QVERIFY(text.contains("d1"));
        QVERIFY(text.contains("is in the loaded data (1 event)"));
        QVERIFY(dialog->goToRequestButton()->isEnabled());
        caracal::test::screenshot(dialog, "explain-against-audit");

        QSignalSpy applied(&w, &MainWindow::viewApplied);
        QTest::mouseClick(dialog->goToRequestButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty(), kWait);
        QCOMPARE(w.model()->rowCount(), 1);
        QTRY_COMPARE(tabsOf(w)->currentWidget(), static_cast<QWidget*>(w.traceView()));
        QCOMPARE(w.traceView()->requestId(), QString("req-deny"));
        QCOMPARE(w.store()->eventId(*w.traceView()->selectedEvent()), std::string("d1"));
        QVERIFY(w.traceView()->renderedText().contains("no_rule_matched"));

        // An access_denied the audit records as allowed: the audit disagrees, and says why that happens.
        dialog->bodyEdit()->clear();
        QTest::keyClicks(dialog->bodyEdit(),
                         "{\"error\":\"access_denied\",\"details\":{\"requestId\":\"req-allow\"}}");
        QTest::mouseClick(dialog->explainButton(), Qt::LeftButton);
        QCOMPARE(dialog->comparison().verdict, ErrorAuditComparison::Verdict::Disagrees);
        QVERIFY(dialog->resultText().contains("The audit disagrees"));
        QVERIFY(dialog->resultText().contains("without an audit event"));
        QVERIFY(!dialog->resultText().contains("Real reason"));
    }

  private:
    static QPalette palette() { return QApplication::palette(); }
};

QTEST_MAIN(TraceWaterfallViewTest)
#include "tst_tracewaterfallview.moc"
