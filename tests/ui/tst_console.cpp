#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "GuiTestSupport.h"
#include "catalog/TroubleshootingCatalog.h"
#include "common/JsonTreeModel.h"
#include "common/Theme.h"
#include "detail/CompareDialog.h"
#include "detail/EventDetailView.h"
#include "detail/RequestTraceView.h"
#include "diagnostics/DiagnosticsDock.h"
#include "dialogs/AdminEventsDialog.h"
#include "dialogs/AdminEventsModel.h"
#include "dialogs/BadLinesDialog.h"
#include "dialogs/ExplainErrorDialog.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "filter/FilterBar.h"
#include "filter/FilterEdit.h"
#include "load/CsvExport.h"
#include "load/EventLoader.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "util/MetadataRedaction.h"
#include "window/MainWindow.h"
#endif

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QTreeWidget>
#include <fstream>

using namespace caracal;
using namespace caracal::ui;

// Drives the real window offscreen. Waits are on signals (load finished, view applied), never on time.
class ConsoleTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption

    void openAndWait(MainWindow& w, const QStringList& files, bool expectCompleted = true) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles(files);
        QVERIFY(spy.wait(kWait));
        QCOMPARE(spy.first().first().toBool(), expectCompleted);
    }
    template <class Action> void applyAndWait(MainWindow& w, Action action) {
        QSignalSpy spy(&w, &MainWindow::viewApplied);
        action();
        if (spy.isEmpty()) QVERIFY(spy.wait(kWait)); // some views apply at once, others off the GUI thread
    }
    void filterAndWait(MainWindow& w, const QString& expression) {
        applyAndWait(w, [&] {
            w.filterEdit()->setText(expression);
            w.applyView();
        });
    }
    static std::string requestOf(const MainWindow& w, int row) {
        return std::string(w.store()->field(w.model()->rowId(row), Field::RequestId));
    }
    // Runs `inMenu` on the popup menu that `open` shows, then closes it.
    static void withPopupMenu(const std::function<void(QMenu*)>& inMenu, const std::function<void()>& open) {
        QTimer::singleShot(0, [inMenu] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            QVERIFY(menu);
            inMenu(menu);
            menu->close();
        });
        open();
    }
    static QAction* findAction(QMenu* menu, const QString& text) {
        for (QAction* a : menu->actions()) {
            if (a->text() == text) return a;
            if (a->menu())
                if (QAction* inner = findAction(a->menu(), text)) return inner;
        }
        return nullptr;
    }

  private slots:
    void initTestCase() { caracal::test::isolateSettings(tmp, "console-test"); }

    void modelsPassTheModelTester() {
        auto shared = std::make_shared<EventStore>();
        EventStore& store = *shared;
        loadIntoStore(store, {MainWindow::samplePath().toStdString()});
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(shared);
        model.appendRows(0, 100);
        model.appendRows(100, RowId(store.size()));
        model.setRows(store.timeOrder());
        model.setColumns({"@occurred", "@decision", "resource", "latency_ms"});
        QSignalSpy sortAsked(&model, &EventTableModel::sortRequested); // the window sorts off the GUI thread
        model.sort(2, Qt::AscendingOrder);
        model.sort(3, Qt::DescendingOrder);
        QCOMPARE(sortAsked.size(), 2);
        QCOMPARE(sortAsked[0][0].toString(), QString("resource"));
        QCOMPARE(sortAsked[1][1].value<Qt::SortOrder>(), Qt::DescendingOrder);
        QCOMPARE(model.rowCount(), int(store.size()));

        JsonTreeModel tree;
        QAbstractItemModelTester treeTester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tree.setJson(store.event(0));
        QVERIFY(tree.rowCount() >= 10);
        QCOMPARE(tree.index(0, 0).data().toString(), QString("id"));
        const QModelIndex meta = tree.match(tree.index(0, 0), Qt::DisplayRole, "metadata_json").value(0);
        QVERIFY(meta.isValid() && tree.rowCount(meta) > 0);
        QCOMPARE(tree.index(0, 0, meta).data(JsonTreeModel::PathRole).toString().left(16),
                 QString("$.metadata_json."));

        const std::string bad = tmp.path().toStdString() + "/bad.jsonl";
        std::ofstream(bad) << "{broken\n[1]\n";
        auto badStore = std::make_shared<EventStore>();
        loadIntoStore(*badStore, {bad});
        BadLinesModel badModel(badStore);
        QAbstractItemModelTester badTester(&badModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(badModel.rowCount(), 2);
        QCOMPARE(badModel.index(1, 1).data().toInt(), 2);
    }

    void sampleOpensWithItsNote() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        QCOMPARE(w.model()->rowCount(), int(w.store()->size()));
        QVERIFY(w.store()->size() > 1000);
        QVERIFY(w.sampleBanner()->isVisibleTo(&w));
        QVERIFY(w.windowIcon().availableSizes().contains(QSize(48, 48))); // the installed icon's art
        QVERIFY(w.sampleBanner()->text().contains("Sample data"));
        QVERIFY(w.statusText().startsWith(
            QString("Showing %1 of %1 events").arg(QLocale().toString(qlonglong(w.store()->size())))));
        // Rows are in time order.
        for (int r = 1; r < w.model()->rowCount(); r += 37)
            QVERIFY(!w.store()->lessInTime(w.model()->rowId(r), w.model()->rowId(r - 1)));
    }

    void requestIdBoxShowsExactlyThatRequest() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        // A request with several events (an exchange and its Gateway call).
        std::string request;
        for (RowId r : w.store()->timeOrder())
            if (w.store()->rowsWith(Field::RequestId, w.store()->field(r, Field::RequestId)).size() >= 2) {
                request = std::string(w.store()->field(r, Field::RequestId));
                break;
            }
        QVERIFY(!request.empty());
        QTest::keyClicks(w.requestBox(), QString::fromStdString(request));
        applyAndWait(w, [&] { QTest::keyClick(w.requestBox(), Qt::Key_Return); });
        const auto expected = w.store()->rowsWith(Field::RequestId, request);
        QCOMPARE(size_t(w.model()->rowCount()), expected.size());
        for (int i = 0; i < w.model()->rowCount(); ++i)
            QCOMPARE(w.model()->rowId(i), expected[size_t(i)]);
        QVERIFY(w.statusText().startsWith(QString("Showing %1 of").arg(expected.size())));
    }

    void zoneSelectorShowsOnlyThatZone() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        const int index = w.zoneBox()->findData("zone-prod-us");
        QVERIFY(index > 0);
        const size_t count = w.store()->rowsWith(Field::Zone, "zone-prod-us").size();
        QVERIFY(w.zoneBox()->itemText(index).contains(QLocale().toString(qlonglong(count))));
        applyAndWait(w, [&] {
            w.zoneBox()->setCurrentIndex(index);
            emit w.zoneBox()->activated(index);
        });
        QCOMPARE(size_t(w.model()->rowCount()), count);
        for (int i = 0; i < w.model()->rowCount(); ++i)
            QCOMPARE(w.store()->field(w.model()->rowId(i), Field::Zone), std::string_view("zone-prod-us"));
    }

    void filterBarAppliesAndInvalidFilterKeepsRows() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        applyAndWait(w, [&] {
            QTest::keyClicks(w.filterEdit(), "decision:deny type:token_*");
            QCOMPARE(w.filterEdit()->state(), FilterEdit::State::Valid);
            QTest::keyClick(w.filterEdit(), Qt::Key_Return);
        });
        const int denies = w.model()->rowCount();
        QVERIFY(denies > 0);
        for (int i = 0; i < denies; ++i)
            QCOMPARE(w.store()->field(w.model()->rowId(i), Field::Decision), std::string_view("deny"));

        w.filterEdit()->clear();
        QTest::keyClicks(w.filterEdit(), "zone:");
        QCOMPARE(w.filterEdit()->state(), FilterEdit::State::Invalid);
        QCOMPARE(w.filterEdit()->errorText(), QString("column 6: expected a value after \"zone:\""));
        QVERIFY(w.filterEdit()->toolTip().contains("column 6"));
        QSignalSpy applied(&w, &MainWindow::viewApplied);
        QTest::keyClick(w.filterEdit(), Qt::Key_Return);
        QCOMPARE(applied.count(), 0);
        QCOMPARE(w.model()->rowCount(), denies); // the previous rows stay
        QVERIFY(w.statusBar()->currentMessage().contains("column 6"));
    }

    void completionOffersFieldsAndLoadedValues() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        w.filterEdit()->setFocus();
        QTest::keyClicks(w.filterEdit(), "zo");
        QStringList offered;
        for (int i = 0; i < w.filterEdit()->completer()->completionCount(); ++i) {
            w.filterEdit()->completer()->setCurrentRow(i);
            offered << w.filterEdit()->completer()->currentCompletion();
        }
        QCOMPARE(offered, QStringList({"zone:"}));
        w.filterEdit()->clear();
        QTest::keyClicks(w.filterEdit(), "zone:zone-prod-");
        offered.clear();
        for (int i = 0; i < w.filterEdit()->completer()->completionCount(); ++i) {
            w.filterEdit()->completer()->setCurrentRow(i);
            offered << w.filterEdit()->completer()->currentCompletion();
        }
        QCOMPARE(offered, QStringList({"zone:zone-prod-eu", "zone:zone-prod-us"}));
    }

    void selectingARowFillsTheDetailPane() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        filterAndWait(w, "decision:deny type:token_exchange");
        const QRect cell = w.table()->visualRect(w.model()->index(2, 0));
        QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(w.table()->currentIndex().row(), 2);
        const RowId row = w.model()->rowId(2);
        const QString text = w.detail()->renderedText();
        QVERIFY(text.contains(QString::fromStdString(w.store()->eventId(row))));
        QVERIFY(text.contains(QString::fromStdString(requestOf(w, 2))));
        QVERIFY(text.contains("Deny reason:"));
        QVERIFY(text.contains("What happened"));
        // Shown and copied as Caracal's API would show it (the authority record id redacted).
        const QString shared = QString::fromStdString(eventTextToShare(w.store()->eventJson(row), true));
        QCOMPARE(w.detail()->eventJson(), shared);
        QCOMPARE(w.detail()->treeModel()->index(0, 1).data().toString(),
                 QString::fromStdString(w.store()->eventId(row)));
        // Copy event JSON from the pane's button.
        QTest::mouseClick(w.detail()->findChild<QPushButton*>("copyEventJson"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), shared);
    }

    void columnChooserAddsAndRemoves() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        QHeaderView* header = w.table()->horizontalHeader();
        withPopupMenu([&](QMenu* menu) { findAction(menu, "resource")->trigger(); },
                      [&] { emit header->customContextMenuRequested(QPoint(5, 5)); });
        QCOMPARE(w.model()->columns().last(), QString("resource"));
        const int column = w.model()->columnCount() - 1;
        const RowId row = w.model()->rowId(0);
        QCOMPARE(w.model()->index(0, column).data().toString(),
                 QString::fromStdString(std::string(w.store()->field(row, Field::Resource))));
        withPopupMenu([&](QMenu* menu) { findAction(menu, "Actor")->trigger(); },
                      [&] { emit header->customContextMenuRequested(QPoint(5, 5)); });
        QVERIFY(!w.model()->columns().contains("@actor"));
        withPopupMenu([&](QMenu* menu) { findAction(menu, "Restore default columns")->trigger(); },
                      [&] { emit header->customContextMenuRequested(QPoint(5, 5)); });
        QCOMPARE(w.model()->columns(),
                 QStringList({"@occurred", "@event", "@actor", "@decision", "@reason", "@zone", "@request"}));
    }

    void copyingRows() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        w.table()->selectRow(3);
        const RowId row = w.model()->rowId(3);
        w.copySelectionAsJson();
        const QString json = QApplication::clipboard()->text();
        QCOMPARE(json, QString::fromStdString(eventTextToShare(w.store()->eventJson(row), true)));
        QCOMPARE(QString::fromStdString(nlohmann::json::parse(json.toStdString())["id"].get<std::string>()),
                 QString::fromStdString(w.store()->eventId(row)));
        w.copySelectionAsFilter();
        QCOMPARE(QApplication::clipboard()->text(), "request:" + QString::fromStdString(requestOf(w, 3)));
        w.table()->setFocus();
        QTest::keyClick(w.table(), Qt::Key_C, Qt::ControlModifier);
        const QStringList lines = QApplication::clipboard()->text().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("Occurred\tEvent\tActor\tDecision\tReason\tZone\tRequest ID"));
        QVERIFY(lines[1].endsWith(QString::fromStdString(requestOf(w, 3))));
        // Filter by a cell's value.
        applyAndWait(
            w, [&] { w.filterByCell(w.model()->index(3, w.model()->columns().indexOf("@zone")), false); });
        QCOMPARE(w.filterEdit()->text(),
                 "zone:" + QString::fromStdString(std::string(w.store()->field(row, Field::Zone))));
        // Filtering by a Reason cell uses the code, not the label the cell shows.
        filterAndWait(w, "decision:deny");
        const std::string code(w.store()->field(w.model()->rowId(0), Field::DenyReason));
        QVERIFY(!code.empty());
        applyAndWait(
            w, [&] { w.filterByCell(w.model()->index(0, w.model()->columns().indexOf("@reason")), false); });
        QCOMPARE(w.filterEdit()->text(),
                 "decision:deny deny_reason:" + quoteFilterValue(QString::fromStdString(code)));
        for (int i = 0; i < w.model()->rowCount(); ++i)
            QCOMPARE(std::string(w.store()->field(w.model()->rowId(i), Field::DenyReason)), code);
    }

    void typingARequestIdJumpsToIt() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        const int target = w.model()->rowCount() - 5;
        const QString prefix = QString::fromStdString(requestOf(w, target)).left(12);
        w.table()->setFocus();
        QTest::keyClicks(w.table(), prefix);
        QVERIFY(w.table()->currentIndex().isValid());
        QVERIFY(QString::fromStdString(requestOf(w, w.table()->currentIndex().row())).startsWith(prefix));
    }

    void settingsRoundTrip() {
        {
            MainWindow w;
            w.setColumns({"@occurred", "@decision", "resource"});
            w.filterEdit()->remember("decision:deny");
            w.resize(1000, 700);
            w.saveSettings();
        }
        MainWindow again;
        QCOMPARE(again.model()->columns(), QStringList({"@occurred", "@decision", "resource"}));
        QCOMPARE(again.filterEdit()->history().value(0), QString("decision:deny"));
        QCOMPARE(again.size(), QSize(1000, 700));
        again.setColumns({});
        again.saveSettings();
    }

    void cancelDuringLoadLeavesAUsableWindow() {
        // A file of many batches: the loader can run at most a few batches ahead of the window.
        gen::GeneratorOptions o;
        o.seed = 5;
        o.events = 60000;
        const std::string big = tmp.path().toStdString() + "/big.jsonl";
        {
            std::ofstream out(big);
            gen::generate(o, out);
        }
        MainWindow w;
        w.show();
        connect(&w, &MainWindow::firstRowsShown, this, [&] {
            QVERIFY(w.cancelButton()->isVisible());
            QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        });
        openAndWait(w, {QString::fromStdString(big)}, false);
        QVERIFY(!w.isLoading());
        QVERIFY(w.store()->size() > 0 && w.store()->size() < 60000);
        QVERIFY(w.statusText().contains("cancelled"));
        QVERIFY(!w.cancelButton()->isVisible());
        // Still usable: filter what arrived, then open something else.
        filterAndWait(w, "decision:deny");
        QVERIFY(w.model()->rowCount() > 0);
        disconnect(&w, &MainWindow::firstRowsShown, this, nullptr);
        openAndWait(w, {MainWindow::samplePath()});
        QVERIFY(w.store()->size() > 1000);
    }

    void badLinesAreCountedAndListed() {
        const std::string path = tmp.path().toStdString() + "/some-bad.jsonl";
        {
            std::ofstream out(path);
            out << "{\"id\":\"a\",\"zone_id\":\"z\",\"occurred_at\":\"2026-11-14T00:00:00Z\",\"decision\":"
                   "\"allow\"}"
                << "\n{oops\n"
                << "{\"id\":\"b\",\"zone_id\":\"z\",\"occurred_at\":\"not a time\"}"
                << "\n";
        }
        MainWindow w;
        w.show();
        openAndWait(w, {QString::fromStdString(path)});
        QCOMPARE(w.model()->rowCount(), 1);
        QVERIFY(w.badLinesButton()->isVisible());
        QCOMPARE(w.badLinesButton()->text(), QString("2 bad lines"));
        int listed = -1;
        QTimer::singleShot(0, [&] {
            auto* dialog = qobject_cast<BadLinesDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            listed = dialog->model()->rowCount();
            QCOMPARE(dialog->model()->index(0, 1).data().toInt(), 2);
            QCOMPARE(dialog->model()->index(1, 2).data().toString(),
                     QString("\"occurred_at\" is not an RFC 3339 time: \"not a time\""));
            dialog->reject();
        });
        QTest::mouseClick(w.badLinesButton(), Qt::LeftButton);
        QCOMPARE(listed, 2);
    }

    void dropOpensFiles() {
        MainWindow w;
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(MainWindow::samplePath())});
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QVERIFY(w.isLoading());
        QVERIFY(spy.wait(kWait));
        QVERIFY(w.store()->size() > 1000);
    }

    void clickingACodeOpensItsTroubleshootingRow() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        filterAndWait(w, "reason:no_rule_matched");
        QVERIFY(w.model()->rowCount() > 0);
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        QTextBrowser* browser = w.detail()->browser();
        QVERIFY(browser->toPlainText().contains("Troubleshooting (surface: STS)"));
        // Click the code where it is drawn: the deny box's link.
        const QTextCursor at = browser->document()->find("no_rule_matched");
        QVERIFY(!at.isNull());
        QTextCursor inside(browser->document());
        inside.setPosition(at.selectionStart() + 2);
        QVERIFY(inside.charFormat().isAnchor());
        const QPoint point = browser->cursorRect(inside).center();
        QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, point);
        TroubleshootingBrowser* tb = w.findChild<TroubleshootingBrowser*>();
        QVERIFY(tb && tb->isVisible());
        QCOMPARE(tb->currentAddress(), QString("code:no_rule_matched"));
        QCOMPARE(tb->tree()->currentItem()->text(0), QString("no_rule_matched"));
        QVERIFY(tb->detailText().contains("Related troubleshooting rows"));
        QVERIFY(tb->detailText().contains("Scopes"));
        // The events carrying the code.
        applyAndWait(w, [&] {
            w.filterEdit()->clear();
            QTest::mouseClick(tb->showEventsButton(), Qt::LeftButton);
        });
        QCOMPARE(w.filterEdit()->text(), QString("reason:no_rule_matched"));
        QVERIFY(w.model()->rowCount() > 0);
        // Rows are addressable and searchable; aliases open their row.
        QVERIFY(tb->showRow("gateway-403/revocation"));
        QCOMPARE(tb->tree()->currentItem()->text(0), QString("Revocation"));
        QVERIFY(tb->showCode("agent_identity_required"));
        QCOMPARE(tb->currentAddress(), QString("code:session_required"));
        QVERIFY(tb->detailText().contains("alias of session_required"));
        QVERIFY(!tb->showCode("no_such_code"));
        tb->searchBox()->setText("hop_count");
        int visibleCodes = 0;
        for (QTreeWidgetItemIterator it(tb->tree()); *it; ++it)
            if (!(*it)->isHidden() && (*it)->childCount() == 0) ++visibleCodes;
        QCOMPARE(visibleCodes, 1);
    }

    void explainingAPastedErrorFindsRowAndRequest() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        const std::string request = requestOf(w, 10);
        ExplainErrorDialog* dialog = w.openExplainError();
        dialog->setBody(QString("{\"error\":\"access_denied\",\"error_description\":\"policy "
                                "denied\",\"requestId\":\"%1\",\"details\":{}}")
                            .arg(QString::fromStdString(request)));
        dialog->explain();
        QVERIFY(dialog->resultText().contains("access_denied"));
        QVERIFY(dialog->resultText().contains("First check"));
        QVERIFY(dialog->resultText().contains("is in the loaded data"));
        QVERIFY(dialog->goToRequestButton()->isEnabled());
        applyAndWait(w, [&] { QTest::mouseClick(dialog->goToRequestButton(), Qt::LeftButton); });
        QCOMPARE(size_t(w.model()->rowCount()), w.store()->rowsWith(Field::RequestId, request).size());
        dialog->setBody("unauthorized\n");
        dialog->explain();
        QVERIFY(dialog->resultText().contains("Audit service"));
        // Seven services emit it, each meaning something else: the dialog lists them, as the CLI does.
        const QString perService = dialog->resultText();
        QVERIFY(perService.contains("differs per service"));
        for (const EmittedSource& s : TroubleshootingCatalog::instance().resolve("unauthorized").services())
            QVERIFY2(perService.contains(QString::fromStdString(s.meaning)), s.service.c_str());
        QVERIFY(!dialog->goToRequestButton()->isEnabled());
        dialog->setBody("{\"error\":\"insufficient_scope\",\"requestId\":\"not-loaded\"}");
        dialog->explain();
        QVERIFY(dialog->resultText().contains("alias of scope_insufficient"));
        QVERIFY(dialog->resultText().contains("not in the loaded data"));
    }

    void traceTabShowsTheWholeRequest() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        filterAndWait(w, "type:gateway_resource_request");
        // A Gateway call whose token exchange is loaded too.
        int pick = -1;
        for (int i = 0; i < w.model()->rowCount() && pick < 0; ++i)
            for (RowId r : w.store()->rowsWith(Field::RequestId, requestOf(w, i)))
                if (w.store()->field(r, Field::EventType) == "token_exchange") pick = i;
        QVERIFY(pick >= 0);
        w.table()->setCurrentIndex(w.model()->index(pick, 0));
        const std::string request = requestOf(w, pick);
        const QString text = w.traceView()->renderedText();
        QVERIFY(text.contains("Final decision"));
        QVERIFY(text.contains(QString::fromStdString(request)));
        QVERIFY(text.contains("Gateway") && text.contains("STS"));
        QVERIFY(text.contains("Resource call"));
        QCOMPARE(w.traceView()->deniedChooser()->currentText(), QString("(no denied decision)"));
        QTest::mouseClick(w.traceView()->findChild<QPushButton*>("copyTraceJson"), Qt::LeftButton);
        const auto j = nlohmann::json::parse(QApplication::clipboard()->text().toStdString());
        QCOMPARE(j["request_id"].get<std::string>(), request);
        QVERIFY(j["events"].size() >= 2);
    }

    // Off by default, the trace view shows and copies metadata as Caracal's explain redacts it.
    void traceRedactsUnlessAsked() {
        MainWindow w;
        w.show();
        openAndWait(w, {CARACAL_TEST_DATA "/redaction/probe-raw.jsonl"});
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        QCheckBox* raw = w.traceView()->rawValuesToggle();
        QVERIFY(!raw->isChecked());
        auto copied = [&] {
            QTest::mouseClick(w.traceView()->findChild<QPushButton*>("copyTraceJson"), Qt::LeftButton);
            return QApplication::clipboard()->text();
        };
        QVERIFY(copied().contains("[redacted]"));
        for (const char* secret : {"tok-live-1", "cs-raw-1", "sess-raw-1"}) {
            QVERIFY2(!copied().contains(secret), secret);
            QVERIFY2(!w.traceView()->renderedText().contains(secret), secret);
        }
        raw->setChecked(true);
        QVERIFY(copied().contains("tok-live-1"));
        raw->setChecked(false);
        QVERIFY(!copied().contains("tok-live-1"));
    }

    // The same rule holds for every copy of an event: the detail pane (tree, text, Copy event JSON) and the
    // table's Copy as JSON. With "Show secret values" on they are the event's own bytes.
    void eventCopiesRedactUnlessAsked() {
        MainWindow w;
        w.show();
        openAndWait(w, {CARACAL_TEST_DATA "/redaction/probe-raw.jsonl"});
        QCheckBox* raw = w.traceView()->rawValuesToggle();
        const std::vector<const char*> secrets = {"tok-live-1", "cs-raw-1", "sess-raw-1"};
        int withSecrets = 0;
        for (int i = 0; i < w.model()->rowCount(); ++i) {
            const RowId row = w.model()->rowId(i);
            const QString own = QString::fromStdString(w.store()->eventJson(row));
            const bool hasSecret =
                std::any_of(secrets.begin(), secrets.end(), [&](const char* s) { return own.contains(s); });
            withSecrets += hasSecret;
            const QRect cell = w.table()->visualRect(w.model()->index(i, 0));
            QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, {}, cell.center());
            QTest::mouseClick(w.detail()->findChild<QPushButton*>("copyEventJson"), Qt::LeftButton);
            const QString detailCopy = QApplication::clipboard()->text();
            w.copySelectionAsJson();
            const QString tableCopy = QApplication::clipboard()->text();
            for (const char* secret : secrets) {
                QVERIFY2(!detailCopy.contains(secret) && !tableCopy.contains(secret), secret);
                QVERIFY2(!w.detail()->renderedText().contains(secret), secret);
                QVERIFY(w.detail()
                            ->treeModel()
                            ->match(w.detail()->treeModel()->index(0, 1), Qt::DisplayRole, secret, 1,
                                    Qt::MatchContains | Qt::MatchRecursive)
                            .isEmpty());
            }
            if (!hasSecret) QCOMPARE(detailCopy, own); // nothing to redact: the bytes as they are
            raw->setChecked(true);
            QTest::mouseClick(w.detail()->findChild<QPushButton*>("copyEventJson"), Qt::LeftButton);
            QCOMPARE(QApplication::clipboard()->text(), own);
            w.copySelectionAsJson();
            QCOMPARE(QApplication::clipboard()->text(), own);
            raw->setChecked(false);
        }
        QVERIFY(withSecrets > 0);
    }

    // Row copies and CSV carry Caracal's export fields, none of which is a key Caracal redacts.
    void exportFieldsHoldNoRedactedKey() {
        for (std::string_view field : csv::exportFields())
            QVERIFY2(!isRedactedKey(field), std::string(field).c_str());
    }

    // A file that is a Caracal error body says so and offers to explain it, instead of a "missing id" line.
    void errorBodyFileOffersExplain() {
        MainWindow w;
        w.show();
        openAndWait(w, {CARACAL_TEST_DATA "/caracal-api/demo/error-cursor-unparseable-timestamp.json"});
        QVERIFY(w.store()->badLines().empty());
        const QString text = w.noticeLabel()->text();
        QVERIFY2(text.contains("Caracal error response") && text.contains("Explain this error"),
                 qPrintable(text));
        const QRegularExpressionMatch link = QRegularExpression("href='(explain-file:[^']+)'").match(text);
        QVERIFY(link.hasMatch());
        emit w.noticeLabel()->linkActivated(link.captured(1));
        auto* dialog = w.findChild<ExplainErrorDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(dialog->resultText().contains("internal_error"));
    }

    // Admin-audit rows in any of their shapes: the main window says what the file is and opens it in the
    // admin events window, which reads every row, sorts, searches and shows payloads redacted.
    void adminAuditFilesOpenInTheirOwnWindow() {
        const QString table = tmp.filePath("admin-table.jsonl");
        {
            QFile f(table);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                R"({"id":"a1","actor_id":"u1","actor_name":"ops","actor_scope":"zone","action":"rotate secret","method":"POST","path":"/v1/zones/z/apps/x/secret","zone_id":"z","entity_type":"applications","entity_id":"x","status_code":"200","payload_json":{"client_secret":"cs-live-9","change_kind":"rotate"},"occurred_at":"2026-11-21 10:00:00+00","chain_seq":2,"chain_hmac":"ab"})"
                "\n"
                R"({"id":"a2","actor_id":"u1","actor_name":"ops","actor_scope":"zone","action":"update app","method":"PATCH","path":"/v1/zones/z/apps/x","zone_id":"z","entity_type":"applications","entity_id":"x","status_code":"204","payload_json":null,"occurred_at":"2026-11-21 09:00:00+00","chain_seq":1,"chain_hmac":null})"
                "\n");
        }
        const std::vector<std::pair<QString, int>> files = {
            {CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list.json", 24},
            {CARACAL_TEST_DATA "/caracal-api/demo/admin-audit-list-csv.csv", 24},
            {table, 2}};
        for (const auto& [path, rows] : files) {
            MainWindow w;
            w.show();
            openAndWait(w, {path});
            QVERIFY2(w.store()->badLines().empty(), qPrintable(path));
            QCOMPARE(w.store()->eventCount(), size_t(0));
            const QString text = w.noticeLabel()->text();
            const QRegularExpressionMatch link = QRegularExpression("href='(admin-file:[^']+)'").match(text);
            QVERIFY2(link.hasMatch() && text.contains("Show admin events"), qPrintable(text));
            emit w.noticeLabel()->linkActivated(link.captured(1));
            auto* dialog = w.findChild<AdminEventsDialog*>();
            QVERIFY(dialog && dialog->isVisible());
            QSignalSpy done(dialog, &AdminEventsDialog::fileRead);
            if (dialog->model()->rowCount() == 0) QVERIFY(done.wait(kWait));
            QAbstractItemModelTester tester(dialog->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            QCOMPARE(dialog->model()->rowCount(), rows);
            QVERIFY2(dialog->summaryText().contains(QString("%1 admin events").arg(rows)),
                     qPrintable(dialog->summaryText()));
        }
        // The table export: newest first, a search narrows it, a click shows the payload with its secret
        // redacted, and the signature comes from chain_hmac.
        MainWindow w;
        w.show();
        AdminEventsDialog* dialog = w.openAdminEvents(table);
        QSignalSpy done(dialog, &AdminEventsDialog::fileRead);
        QVERIFY(done.wait(kWait));
        QTableView* view = dialog->table();
        QCOMPARE(dialog->proxy()->index(0, AdminEventsModel::Action).data().toString(),
                 QString("rotate secret"));
        QCOMPARE(dialog->proxy()->index(0, AdminEventsModel::Signed).data().toString(), QString("yes"));
        QCOMPARE(dialog->proxy()->index(1, AdminEventsModel::Signed).data().toString(), QString("no"));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(dialog->proxy()->index(0, 0)).center());
        QVERIFY(dialog->payloadView()->toPlainText().contains("[redacted]"));
        QVERIFY(!dialog->payloadView()->toPlainText().contains("cs-live-9"));
        QVERIFY(dialog->payloadView()->toPlainText().contains("rotate"));
        QTest::keyClicks(dialog->searchBox(), "PATCH");
        QCOMPARE(dialog->proxy()->rowCount(), 1);
        QCOMPARE(dialog->proxy()->index(0, AdminEventsModel::Request).data().toString(), QString());
        view->horizontalHeader()->setSortIndicator(AdminEventsModel::ChainSeq, Qt::AscendingOrder);
        dialog->searchBox()->clear();
        QCOMPARE(dialog->proxy()->index(0, AdminEventsModel::ChainSeq).data().toString(), QString("1"));
    }

    // A saved Caracal explain keeps its own policy input (with the authority record id its events redact).
    void traceOfASavedExplainKeepsItsDenied() {
        MainWindow w;
        w.show();
        openAndWait(w, {CARACAL_TEST_DATA "/caracal-api/probe/probe-explain-redaction.json"});
        filterAndWait(w, "decision:deny");
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        JsonTreeModel* input = w.traceView()->policyInputModel();
        QVERIFY(input->rowCount() > 0);
        QTest::mouseClick(w.traceView()->findChild<QPushButton*>("copyTraceJson"), Qt::LeftButton);
        const auto j = nlohmann::json::parse(QApplication::clipboard()->text().toStdString());
        QCOMPARE(j["denied"][0]["policy_input"]["session"]["id"].get<std::string>(),
                 std::string("ar-authority-0001"));
        QVERIFY(j.contains("denied_note"));
    }

    void traceShowsThePolicyInputTree() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        filterAndWait(w, "decision:deny type:token_exchange");
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        JsonTreeModel* input = w.traceView()->policyInputModel();
        QCOMPARE(input->index(0, 0).data().toString(), QString("schema_version"));
        QCOMPARE(input->index(0, 1).data().toString(), QString("2026-05-20"));
        const QModelIndex principal = input->index(1, 0);
        QCOMPARE(principal.data().toString(), QString("principal"));
        QCOMPARE(
            input->index(1, 1, principal).data().toString(),
            QString::fromStdString(std::string(w.store()->field(w.model()->rowId(0), Field::Application))));
        QVERIFY(w.traceView()->deniedChooser()->currentText().startsWith("Token denied"));
    }

    void diagnosticsOverviewSelectsEvents() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        QSignalSpy ready(w.diagnosticsDock(), &DiagnosticsDock::overviewReady);
        w.diagnosticsDock()->toggleViewAction()->trigger();
        QVERIFY(ready.wait(kWait));
        QTreeWidget* tree = w.diagnosticsDock()->tree();
        QCOMPARE(tree->topLevelItem(0)->text(0), QString("Deny reasons"));
        QTreeWidgetItem* first = tree->topLevelItem(0)->child(0);
        const int expected = first->text(1).remove(QLocale().groupSeparator()).toInt();
        QVERIFY(expected > 0);
        applyAndWait(w, [&] { tree->setCurrentItem(first); });
        QCOMPARE(w.model()->rowCount(), expected);
        const QString code = first->text(0).section("  -  ", 0, 0);
        for (int i = 0; i < w.model()->rowCount(); ++i)
            QCOMPARE(std::string(w.store()->field(w.model()->rowId(i), Field::DenyReason)),
                     code.toStdString());
        // One deny reason per deny, by the Reason column's rule: the group's total is the number of denies.
        QCOMPARE(tree->topLevelItem(0)->text(1).remove(QLocale().groupSeparator()).toULongLong(),
                 qulonglong(w.store()->rowsWith(Field::Decision, "deny").size()));
        QCOMPARE(tree->topLevelItem(6)->text(0), QString("Policy set versions"));
        // A grouping that does not add up says why, in a note under its title.
        QVERIFY(tree->topLevelItem(6)->child(0)->text(0).startsWith("Only events that name a policy set"));
    }

    void comparingTwoRowsHighlightsDifferences() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        filterAndWait(w, "type:token_exchange");
        auto* selection = w.table()->selectionModel();
        selection->select(w.model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(w.model()->index(5, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        CompareDialog* dialog = w.compareSelection(false);
        QVERIFY(dialog);
        QVERIFY(dialog->differenceCount() > 0);
        QTableWidget* table = dialog->table();
        int highlighted = 0, hiddenAfter = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const bool differs = table->item(r, 0)->data(Qt::UserRole).toBool();
            highlighted += differs && table->item(r, 1)->background() ==
                                          badgeColors(Tone::Warning, dialog->palette()).background;
            if (table->item(r, 0)->text() == "id") QVERIFY(differs);
            if (table->item(r, 0)->text() == "event_type") QVERIFY(!differs);
        }
        QCOMPARE(highlighted, dialog->differenceCount());
        dialog->onlyDifferencesBox()->setChecked(true);
        for (int r = 0; r < table->rowCount(); ++r)
            hiddenAfter += table->isRowHidden(r);
        QCOMPARE(hiddenAfter, table->rowCount() - dialog->differenceCount());
        CompareDialog* requests = w.compareSelection(true);
        QVERIFY(requests && requests->table()->rowCount() > 0);
    }

    void darkPaletteRendersTheDetailPane() {
        applyPalette(PaletteMode::Dark);
        MainWindow w;
        w.show();
        QVERIFY(isDark(w.palette()));
        openAndWait(w, {MainWindow::samplePath()});
        w.table()->setCurrentIndex(w.model()->index(0, 0));
        QVERIFY(w.detail()->renderedText().contains("What happened"));
        QVERIFY(badgeColors(Tone::Success, w.palette()).background !=
                badgeColors(Tone::Success, QPalette(Qt::white)).background);
        applyPalette(PaletteMode::Light);
    }
};

QTEST_MAIN(ConsoleTest)
#include "tst_console.moc"
