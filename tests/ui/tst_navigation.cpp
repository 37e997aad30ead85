#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "detail/EventDetailView.h"
#include "detail/RequestTraceView.h"
#include "dialogs/ExportViewDialog.h"
#include "filter/FilterEdit.h"
#include "session/BookmarkFile.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "util/RawMetadataRedaction.h"
#include "window/ActionRegistry.h"
#include "window/BookmarkController.h"
#include "window/MainWindow.h"
#include "window/NavigationController.h"
#endif

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace caracal;
using namespace caracal::ui;

// Back / Forward, bookmarks and Export view, driven by real keys and clicks on the offscreen window. Waits
// are on signals or conditions, never on time.
#ifndef Q_MOC_RUN // moc cannot read raw string literals
struct NavigationChecks {
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption
    QString m_events;         // the test's own events (see initTestCase)
    QStringList m_lines;

    void openAndWait(MainWindow& w, const QString& file) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles({file});
        QVERIFY(spy.wait(kWait));
    }
    void showActive(MainWindow& w) {
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
    }
    template <class Action> void applyAndWait(MainWindow& w, Action action) {
        QSignalSpy spy(&w, &MainWindow::viewApplied);
        action();
        if (spy.isEmpty()) QVERIFY(spy.wait(kWait));
    }
    void typeFilter(MainWindow& w, const QString& expression) {
        w.filterEdit()->setFocus();
        w.filterEdit()->selectAll(); // typed over, as a user does (clearing may apply by itself)
        QTest::keyClicks(w.filterEdit(), expression);
        applyAndWait(w, [&] { QTest::keyClick(w.filterEdit(), Qt::Key_Return); });
    }
    // Presses `key` and waits until the navigation restored its place.
    void navigate(MainWindow& w, const std::function<void()>& press) {
        QSignalSpy restored(w.navigation(), &NavigationController::restored);
        press();
        QVERIFY(restored.wait(kWait));
    }
    void clickRow(MainWindow& w, int row, Qt::KeyboardModifiers modifiers = {}) {
        const QRect cell = w.table()->visualRect(w.model()->index(row, 1));
        QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, modifiers, cell.center());
        QCoreApplication::processEvents(); // the queued capture of the new selection
    }
    static QString currentEventId(MainWindow& w) {
        const QModelIndex current = w.table()->currentIndex();
        if (!current.isValid()) return {};
        return QString::fromStdString(w.store()->eventId(w.model()->rowId(current.row())));
    }
    static QByteArray readFile(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // The view's rows as their source lines, in the table's order.
    static QByteArray sourceLines(MainWindow& w, const std::vector<RowId>& rows) {
        QByteArray out;
        for (RowId r : rows) {
            const auto text = w.store()->rowText(r);
            out += QByteArray(text.data(), qsizetype(text.size())) + "\n";
        }
        return out;
    }
    // A radio button takes a click on its indicator or text only: the left end, not the middle of a row that
    // the layout stretched wider than its text.
    static void clickRadio(QRadioButton* button) {
        QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(8, button->height() / 2));
    }
    ExportViewDialog* exportDialog(MainWindow& w) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the dialog that closed goes
        w.actions()->action("export-view")->trigger();
        auto* dialog = w.findChild<ExportViewDialog*>();
        return dialog;
    }

  public:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "navigation-test");
        QFile::remove(BookmarkFile::defaultPath()); // a clean first start, whatever an earlier run left
        // Two zones, a secret in every event's metadata, and a value the CSV formula guard must defuse.
        for (int i = 0; i < 12; ++i)
            m_lines
                << QString(
                       R"({"id":"ev-%1","zone_id":"%2","event_type":"token_exchange","request_id":"req-%3",)"
                       R"("decision":"%4","evaluation_status":"complete","determining_policies_json":null,)"
                       R"("diagnostics_json":null,"metadata_json":{"application_id":"app-%5","application_name":"%6",)"
                       R"("session_id":"ar-secret-%1","resource":"resource://r%5"},"occurred_at":"2026-11-14T10:%7:00Z"})")
                       .arg(i, 2, 10, QChar('0'))
                       .arg(i % 3 == 0 ? "zone-b" : "zone-a")
                       .arg(i / 2)
                       .arg(i % 4 == 1 ? "deny" : "allow")
                       .arg(i % 5)
                       .arg(i == 4 ? "=HYPERLINK(\\\"x\\\")" : "agent")
                       .arg(i, 2, 10, QChar('0'));
        m_events = tmp.path() + "/events.jsonl";
        QFile f(m_events);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_lines.join("\n").toUtf8() + "\n");
    }

    void historyIsABrowsersList() {
        NavigationHistory h(3);
        QVERIFY(!h.canGoBack() && !h.canGoForward() && !h.back());
        h.record({"a"});
        h.record({"a"}); // the place already current: nothing new
        QCOMPARE(h.size(), size_t(1));
        h.record({"b"});
        h.record({"c"});
        QCOMPARE(h.back()->filter, QString("b"));
        QCOMPARE(h.back()->filter, QString("a"));
        QVERIFY(!h.back());
        QCOMPARE(h.forward()->filter, QString("b"));
        QVERIFY(h.canGoForward());
        h.record({"d"}); // a new place after going back drops what was ahead ("c")
        QVERIFY(!h.canGoForward());
        QCOMPARE(h.back()->filter, QString("b"));
        h.forward();
        h.record({"e"});
        h.record({"f"}); // over the limit: the oldest goes
        QCOMPARE(h.size(), size_t(3));
        QCOMPARE(h.back()->filter, QString("e"));
        QCOMPARE(h.back()->filter, QString("d"));
        QVERIFY(!h.canGoBack());
        // The row hint is not part of a place: the same event found elsewhere is the same place.
        NavigationPlace x{"f", {}, {}, "z", "id"}, y = x;
        y.rowHint = 7;
        QVERIFY(x == y);
    }

    void backAndForwardOverFiltersSelectionsAndTraces() {
        MainWindow w;
        showActive(w);
        openAndWait(w, m_events);
        QCoreApplication::processEvents();
        const size_t start = w.navigation()->history().size();
        QCOMPARE(start, size_t(1));
        QVERIFY(!w.actions()->action("back")->isEnabled());

        // Typing is not navigating: only the applied filter becomes a place.
        typeFilter(w, "zone:zone-a");
        QCoreApplication::processEvents();
        QCOMPARE(w.navigation()->history().size(), start + 1);
        QCOMPARE(w.model()->rowCount(), 8);
        clickRow(w, 2);
        const QString selected = currentEventId(w);
        QVERIFY(!selected.isEmpty());
        QTabBar* tabs = w.detailTabs()->tabBar();
        QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(1).center()); // the request trace
        QCOMPARE(w.detailTabs()->currentWidget(), static_cast<QWidget*>(w.traceView()));
        QCoreApplication::processEvents();
        typeFilter(w, "decision:deny");
        QCoreApplication::processEvents();
        QCOMPARE(w.navigation()->history().size(), start + 4);
        QVERIFY(w.actions()->action("back")->isEnabled());

        // Alt+Left: the filter comes back into the bar and applies, with the event and its trace.
        navigate(w, [&] { QTest::keyClick(w.table(), Qt::Key_Left, Qt::AltModifier); });
        QCOMPARE(w.filterEdit()->text(), QString("zone:zone-a"));
        QCOMPARE(w.model()->rowCount(), 8);
        QCOMPARE(currentEventId(w), selected);
        QCOMPARE(w.detailTabs()->currentWidget(), static_cast<QWidget*>(w.traceView()));
        // Back again: the same event, the Event tab in front.
        navigate(w, [&] { QTest::keyClick(w.table(), Qt::Key_Left, Qt::AltModifier); });
        QCOMPARE(currentEventId(w), selected);
        QCOMPARE(w.detailTabs()->currentWidget(), static_cast<QWidget*>(w.detail()));
        // The mouse's back button anywhere on the window: the filtered view before the selection.
        navigate(w, [&] { QTest::mouseClick(w.table()->viewport(), Qt::BackButton, {}, QPoint(5, 5)); });
        QCOMPARE(currentEventId(w), QString());
        QCOMPARE(w.filterEdit()->text(), QString("zone:zone-a"));
        // And the first place: everything.
        navigate(w, [&] { QTest::mouseClick(w.filterEdit(), Qt::BackButton); });
        QCOMPARE(w.filterEdit()->text(), QString());
        QCOMPARE(w.model()->rowCount(), 12);
        QVERIFY(!w.actions()->action("back")->isEnabled());

        // Forward (keys and the mouse's forward button) walks the same way again.
        navigate(w, [&] { QTest::keyClick(w.table(), Qt::Key_Right, Qt::AltModifier); });
        QCOMPARE(w.filterEdit()->text(), QString("zone:zone-a"));
        navigate(w, [&] { QTest::mouseClick(w.table()->viewport(), Qt::ForwardButton, {}, QPoint(5, 5)); });
        QCOMPARE(currentEventId(w), selected);
        QVERIFY(w.actions()->action("forward")->isEnabled());
        // A new selection now drops the places ahead, as a browser does.
        clickRow(w, 5);
        QCoreApplication::processEvents();
        QVERIFY(!w.navigation()->history().canGoForward());
        QVERIFY(!w.actions()->action("forward")->isEnabled());
        navigate(w, [&] { QTest::keyClick(w.table(), Qt::Key_Left, Qt::AltModifier); });
        QCOMPARE(currentEventId(w), selected);

        // A reload keeps the places (they name events, not rows); another file starts afresh.
        QVERIFY(w.navigation()->history().canGoBack());
        openAndWait(w, m_events);
        QVERIFY(w.navigation()->history().canGoBack());
        const QString other = tmp.path() + "/elsewhere.jsonl";
        QFile::copy(m_events, other);
        openAndWait(w, other);
        QCoreApplication::processEvents();
        QVERIFY(!w.navigation()->history().canGoBack());
        QVERIFY(!w.actions()->action("back")->isEnabled());
    }

    void backAfterASortFindsTheSameEvent() {
        MainWindow w;
        showActive(w);
        openAndWait(w, m_events);
        clickRow(w, 3);
        const QString selected = currentEventId(w);
        typeFilter(w, "decision:allow");
        // Sorting by the request column moves rows; the place is the event, not its position.
        const int column = w.model()->columns().indexOf("@request");
        QVERIFY(column >= 0);
        QHeaderView* header = w.table()->horizontalHeader();
        applyAndWait(w, [&] {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(column) + 5, header->height() / 2));
        });
        applyAndWait(w, [&] {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(column) + 5, header->height() / 2));
        });
        navigate(w, [&] { QTest::keyClick(w.table(), Qt::Key_Left, Qt::AltModifier); });
        QCOMPARE(w.filterEdit()->text(), QString());
        QCOMPARE(currentEventId(w), selected);
    }

    void bookmarksToggleNoteStepAndPersist() {
        QString first, second;
        {
            MainWindow w;
            showActive(w);
            openAndWait(w, m_events);
            BookmarkController* b = w.bookmarks();
            QAbstractItemModelTester tester(b->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            clickRow(w, 2);
            first = currentEventId(w);
            QTest::keyClick(w.table(), Qt::Key_B, Qt::ControlModifier);
            clickRow(w, 7);
            second = currentEventId(w);
            QTest::keyClick(w.table(), Qt::Key_B, Qt::ControlModifier);
            QCOMPARE(b->model()->rowCount(), 2);
            // The table marks bookmarked rows in its first column, and only those.
            QVERIFY(!w.model()->data(w.model()->index(2, 0), Qt::DecorationRole).isNull());
            QVERIFY(!w.model()->data(w.model()->index(7, 0), Qt::DecorationRole).isNull());
            QVERIFY(w.model()->data(w.model()->index(3, 0), Qt::DecorationRole).isNull());
            QVERIFY(w.model()->data(w.model()->index(2, 1), Qt::DecorationRole).isNull());
            // Ctrl+B again removes, and once more puts it back.
            QTest::keyClick(w.table(), Qt::Key_B, Qt::ControlModifier);
            QCOMPARE(b->model()->rowCount(), 1);
            QTest::keyClick(w.table(), Qt::Key_B, Qt::ControlModifier);
            QCOMPARE(b->model()->rowCount(), 2);

            // F2 / Shift+F2 from the top: the next and previous bookmarked rows, wrapping around.
            clickRow(w, 0);
            QTest::keyClick(w.table(), Qt::Key_F2);
            QCOMPARE(currentEventId(w), first);
            QTest::keyClick(w.table(), Qt::Key_F2);
            QCOMPARE(currentEventId(w), second);
            QTest::keyClick(w.table(), Qt::Key_F2);
            QCOMPARE(currentEventId(w), first);
            QTest::keyClick(w.table(), Qt::Key_F2, Qt::ShiftModifier);
            QCOMPARE(currentEventId(w), second);

            // A note, typed into the list's editor.
            w.actions()->action("bookmarks")->trigger();
            QVERIFY(b->dock()->isVisible());
            QTableView* list = b->list();
            list->scrollTo(b->model()->index(0, BookmarkModel::NoteColumn));
            const QRect noteCell = list->visualRect(b->model()->index(0, BookmarkModel::NoteColumn));
            QVERIFY(list->viewport()->rect().contains(noteCell.center()));
            // QTest's double click has no press of its own: a click first, as the hand does.
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, noteCell.center());
            QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, noteCell.center());
            auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
            QVERIFY(editor);
            QTest::keyClicks(editor, "token reuse?");
            QTest::keyClick(editor, Qt::Key_Return);
            // The delegate commits once the event loop is back.
            QTRY_COMPARE_WITH_TIMEOUT(b->model()->bookmarks()[0].note, QString("token reuse?"), kWait);
            // Double-clicking the event selects it in the table.
            clickRow(w, 0);
            const QRect eventCell = list->visualRect(b->model()->index(1, BookmarkModel::EventColumn));
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, eventCell.center());
            QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, eventCell.center());
            QCOMPARE(currentEventId(w), second);
            w.close();
        }
        {
            // A new window on the same file: the bookmarks, their notes and their marks are back.
            MainWindow w;
            showActive(w);
            QSignalSpy resolved(w.bookmarks(), &BookmarkController::resolved);
            openAndWait(w, m_events);
            if (resolved.isEmpty()) QVERIFY(resolved.wait(kWait));
            BookmarkModel* model = w.bookmarks()->model();
            QCOMPARE(model->rowCount(), 2);
            QCOMPARE(model->bookmarks()[0].eventId, first);
            QCOMPARE(model->bookmarks()[0].note, QString("token reuse?"));
            QVERIFY(model->data(model->index(1, 0), BookmarkModel::LoadedRole).toBool());
            QVERIFY(!w.model()->data(w.model()->index(7, 0), Qt::DecorationRole).isNull());
            w.close();
        }
        {
            // The file lost the second event: its bookmark stays, greyed, and is not selectable.
            QStringList kept = m_lines;
            kept.removeAt(7);
            const QString copy = tmp.path() + "/events-copy.jsonl";
            QFile::copy(m_events, copy);
            QFile f(m_events);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(kept.join("\n").toUtf8() + "\n");
            f.close();
            MainWindow w;
            showActive(w);
            QSignalSpy resolved(w.bookmarks(), &BookmarkController::resolved);
            openAndWait(w, m_events);
            if (resolved.isEmpty()) QVERIFY(resolved.wait(kWait));
            BookmarkModel* model = w.bookmarks()->model();
            QCOMPARE(model->rowCount(), 2);
            QVERIFY(model->data(model->index(0, 0), BookmarkModel::LoadedRole).toBool());
            QVERIFY(!model->data(model->index(1, 0), BookmarkModel::LoadedRole).toBool());
            QCOMPARE(model->data(model->index(1, 0), Qt::ForegroundRole).value<QBrush>().color(),
                     QApplication::palette().color(QPalette::Disabled, QPalette::Text));
            QVERIFY(!w.bookmarks()->show(1));
            w.close();
            QFile::remove(m_events);
            QFile::rename(copy, m_events);
        }
        // Another source has its own list.
        const QString other = tmp.path() + "/other.jsonl";
        QFile::copy(m_events, other);
        MainWindow w;
        showActive(w);
        openAndWait(w, other);
        QCOMPARE(w.bookmarks()->model()->rowCount(), 0);
    }

    void exportWritesTheViewsOwnBytes() {
        MainWindow w;
        showActive(w);
        openAndWait(w, m_events);
        typeFilter(w, "zone:zone-a");
        const int column = w.model()->columns().indexOf("@request");
        QHeaderView* header = w.table()->horizontalHeader();
        for (int i = 0; i < 2; ++i) // descending: an order that is not the file's
            applyAndWait(w, [&] {
                QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                                  QPoint(header->sectionViewportPosition(column) + 5, header->height() / 2));
            });
        const std::vector<RowId> rows = w.model()->rows();
        QCOMPARE(rows.size(), size_t(8));
        QVERIFY(!std::is_sorted(rows.begin(), rows.end()));

        // With "Show secret values" on: exactly the source lines of the view, in its order.
        w.detailTabs()->setCurrentWidget(w.traceView());
        QTest::mouseClick(w.traceView()->rawValuesToggle(), Qt::LeftButton);
        QVERIFY(w.traceView()->rawValuesToggle()->isChecked());
        ExportViewDialog* dialog = exportDialog(w);
        QVERIFY(dialog);
        QVERIFY(dialog->redactionLabel()->text().contains("as they are"));
        QVERIFY(!dialog->selectionButton()->isEnabled()); // nothing selected
        const QString raw = tmp.path() + "/raw.jsonl";
        QTest::keyClicks(dialog->pathBox(), raw);
        QSignalSpy done(dialog, &ExportViewDialog::exported);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done.wait(kWait));
        QCOMPARE(readFile(raw), sourceLines(w, rows));

        // Off (the default): the same bytes but for the secret values.
        QTest::mouseClick(w.traceView()->rawValuesToggle(), Qt::LeftButton);
        dialog = exportDialog(w);
        QVERIFY(dialog->redactionLabel()->text().contains("[redacted]"));
        const QString redacted = tmp.path() + "/redacted.jsonl";
        QTest::keyClicks(dialog->pathBox(), redacted);
        QSignalSpy done2(dialog, &ExportViewDialog::exported);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done2.wait(kWait));
        const QByteArray written = readFile(redacted);
        QVERIFY(!written.contains("ar-secret"));
        QCOMPARE(written.count("\"session_id\":\"[redacted]\""), qsizetype(8));
        QCOMPARE(written.size(), sourceLines(w, rows).size() -
                                     8 * qsizetype(QByteArray("\"ar-secret-00\"").size()) +
                                     8 * qsizetype(QByteArray("\"[redacted]\"").size()));

        // CSV of the 46 fields, selection only: two rows, the formula guard on the one that needs it.
        clickRow(w, 0);
        const int formulaRow = w.model()->rowOf(4);
        QVERIFY(formulaRow >= 0);
        clickRow(w, formulaRow, Qt::ControlModifier);
        dialog = exportDialog(w);
        QVERIFY(dialog->selectionButton()->isEnabled());
        clickRadio(dialog->csvFieldsButton());
        clickRadio(dialog->selectionButton());
        QVERIFY(dialog->csvFieldsButton()->isChecked());
        QVERIFY(dialog->selectionButton()->isChecked());
        const QString csv = tmp.path() + "/selection.csv";
        QTest::keyClicks(dialog->pathBox(), csv);
        QSignalSpy done3(dialog, &ExportViewDialog::exported);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done3.wait(kWait));
        const QList<QByteArray> records = readFile(csv).split('\n');
        QCOMPARE(records.size(), 4); // header, two rows, and the empty rest after the last CRLF
        QVERIFY(records[0].startsWith("id,occurred_at,event_type,decision"));
        QCOMPARE(records[0].count(',') + 1, 46);
        QVERIFY(readFile(csv).contains(",\"'=HYPERLINK(\"\"x\"\")\","));

        // CSV of the visible columns: their titles, then the cells as the table shows them.
        dialog = exportDialog(w);
        clickRadio(dialog->csvColumnsButton());
        const QString columns = tmp.path() + "/columns.csv";
        QTest::keyClicks(dialog->pathBox(), columns);
        QSignalSpy done4(dialog, &ExportViewDialog::exported);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done4.wait(kWait));
        const QList<QByteArray> lines = readFile(columns).split('\n');
        QCOMPARE(lines.size(), 10);
        QVERIFY(lines[1].contains(w.model()->cellText(rows[0], "@request").toUtf8()));
        QVERIFY(lines[0].startsWith("Occurred,"));
    }

    void cancelledExportLeavesNoFile() {
        MainWindow w;
        showActive(w);
        openAndWait(w, m_events);
        QDir dir(tmp.path() + "/cancel");
        QVERIFY(dir.mkpath("."));
        ExportViewDialog* dialog = exportDialog(w);
        const QString target = dir.filePath("view.jsonl");
        QTest::keyClicks(dialog->pathBox(), target);
        QSignalSpy done(dialog, &ExportViewDialog::exported);
        // Cancel before the GUI thread hears back: whatever the worker wrote is dropped.
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QProgressDialog* progress = dialog->progressDialog();
        QVERIFY(progress);
        auto* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w.session()->jobs().isRunning("export"), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(dir.entryList(QDir::Files | QDir::Hidden).isEmpty(), kWait);
        QVERIFY(done.isEmpty());
        QVERIFY(!QFile::exists(target));
    }
};
#endif

class NavigationTest : public QObject {
    Q_OBJECT
#ifndef Q_MOC_RUN
    NavigationChecks m_checks;
#endif

  private slots:
    void initTestCase();
    void historyIsABrowsersList();
    void backAndForwardOverFiltersSelectionsAndTraces();
    void backAfterASortFindsTheSameEvent();
    void bookmarksToggleNoteStepAndPersist();
    void exportWritesTheViewsOwnBytes();
    void cancelledExportLeavesNoFile();
};

#ifndef Q_MOC_RUN
void NavigationTest::initTestCase() {
    m_checks.initTestCase();
}
void NavigationTest::historyIsABrowsersList() {
    m_checks.historyIsABrowsersList();
}
void NavigationTest::backAndForwardOverFiltersSelectionsAndTraces() {
    m_checks.backAndForwardOverFiltersSelectionsAndTraces();
}
void NavigationTest::backAfterASortFindsTheSameEvent() {
    m_checks.backAfterASortFindsTheSameEvent();
}
void NavigationTest::bookmarksToggleNoteStepAndPersist() {
    m_checks.bookmarksToggleNoteStepAndPersist();
}
void NavigationTest::exportWritesTheViewsOwnBytes() {
    m_checks.exportWritesTheViewsOwnBytes();
}
void NavigationTest::cancelledExportLeavesNoFile() {
    m_checks.cancelledExportLeavesNoFile();
}
#endif

QTEST_MAIN(NavigationTest)
#include "tst_navigation.moc"
