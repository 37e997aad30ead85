#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "GuiTestSupport.h"
#include "catalog/TroubleshootingCatalog.h"
#include "common/JsonTreeModel.h"
#include "common/StatusPalette.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "detail/CompareDialog.h"
#include "detail/EventDetailView.h"
#include "diagnostics/DiagnosticsDock.h"
#include "dialogs/ExplainErrorDialog.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "filter/FilterBar.h"
#include "filter/FilterEdit.h"
#include "graph/DelegationGraphWindow.h"
#include "setup/CheckListView.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"
#endif

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <map>
#include <set>

using namespace caracal;
using namespace caracal::ui;

// The fixes of issue 18's "Also fix" list, each driven through the real widgets offscreen on a 1280x720
// screen (main() below configures it), so that none of them can quietly come back.
class PolishTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption

    void openSample(MainWindow& w) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles({MainWindow::samplePath()});
        QVERIFY(spy.wait(kWait));
    }
    template <class Action> void applyAndWait(MainWindow& w, Action action) {
        QSignalSpy spy(&w, &MainWindow::viewApplied);
        action();
        if (spy.isEmpty()) QVERIFY(spy.wait(kWait));
    }
    static void activate(QWidget* window) {
        window->show();
        window->raise();
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window));
    }
    static bool insideScreen(const QWidget* window) {
        const QRect available = window->screen()->availableGeometry();
        return available.contains(window->frameGeometry());
    }

  private slots:
    void initTestCase() {
        caracal::test::isolateSettings(tmp, "polish-test");
        QCOMPARE(QGuiApplication::primaryScreen()->geometry().size(), QSize(1280, 720));
    }

    void filterClearButtonShowsEveryRowAgain() {
        MainWindow w;
        activate(&w);
        openSample(w);
        const int all = w.model()->rowCount();
        applyAndWait(w, [&] {
            w.filterEdit()->setText("decision:deny");
            w.applyView();
        });
        QVERIFY(w.model()->rowCount() < all);
        QToolButton* clear = nullptr; // the line edit's own clear button
        for (auto* b : w.filterEdit()->findChildren<QToolButton*>())
            if (b->isVisible()) clear = b;
        QVERIFY(clear);
        applyAndWait(w, [&] { QTest::mouseClick(clear, Qt::LeftButton); });
        QVERIFY(w.filterEdit()->text().isEmpty());
        QCOMPARE(w.model()->rowCount(), all);
    }

    void ctrlEExplainsAnErrorWhileTheFilterHasFocus() {
        MainWindow w;
        activate(&w);
        w.filterEdit()->setFocus();
        QTRY_VERIFY(w.filterEdit()->hasFocus()); // where focus starts
        w.filterEdit()->setText("decision:deny");
        w.filterEdit()->setCursorPosition(0);
        QTest::keyClick(w.filterEdit(), Qt::Key_E, Qt::ControlModifier);
        auto* dialog = w.findChild<ExplainErrorDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(w.filterEdit()->cursorPosition(), 0); // the line edit did not take Ctrl+E as "end of line"
        // Editing keys stay the line edit's.
        activate(&w);
        w.filterEdit()->setFocus();
        QTest::keyClick(w.filterEdit(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(w.filterEdit()->selectedText(), QString("decision:deny"));
    }

    // The offscreen platform uses the Windows key scheme, where QLineEdit does not bind Ctrl+E; on GNOME and
    // KDE (the X11 scheme) Ctrl+E is "end of line" and the line edit took it from the window. So: a key the
    // line edit does bind here (End) stands in for Ctrl+E, and the window must hand its keys to the filter.
    void filterYieldsTheWindowsKeysToTheWindow() {
        const QList<QKeySequence> endOfLine = QKeySequence::keyBindings(QKeySequence::MoveToEndOfLine);
        QVERIFY(!endOfLine.isEmpty());
        const QKeyCombination key = endOfLine.first()[0];
        auto overrideAccepted = [&](QLineEdit& edit) {
            QKeyEvent event(QEvent::ShortcutOverride, key.key(), key.keyboardModifiers());
            event.ignore();
            QApplication::sendEvent(&edit, &event);
            return event.isAccepted();
        };
        QLineEdit plain;
        QVERIFY(overrideAccepted(plain)); // a line edit keeps its binding from the window's shortcuts
        FilterEdit filter;
        QVERIFY(overrideAccepted(filter));
        filter.setWindowShortcuts({QKeySequence(key)});
        QVERIFY(!overrideAccepted(filter)); // unless the window has a command on that key
        // The window gives the filter every command's keys, Ctrl+E among them.
        MainWindow w;
        QVERIFY(w.filterEdit()->windowShortcuts().contains(w.actions()->action("explain-error")->shortcut()));
        QCOMPARE(w.filterEdit()->windowShortcuts().size(), w.actions()->shortcuts().size());
    }

    void windowsFitA1280x720Screen() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(
            insideScreen(&w),
            qPrintable(
                QString("main window %1x%2").arg(w.frameGeometry().width()).arg(w.frameGeometry().height())));
        openSample(w);
        int zoned = 0; // a row with a zone (control commands have none)
        while (w.store()->field(w.model()->rowId(zoned), Field::Zone).empty())
            ++zoned;
        w.table()->setCurrentIndex(w.model()->index(zoned, 0));
        DelegationGraphWindow* graph = w.openDelegationGraph(GraphOf::Zone);
        QVERIFY(graph);
        QVERIFY(QTest::qWaitForWindowExposed(graph));
        QVERIFY(insideScreen(graph));
        TroubleshootingBrowser* browser = w.openTroubleshooting();
        QVERIFY(insideScreen(browser));
    }

    void jsonTreeGivesValuesTheRoom() {
        MainWindow w;
        w.show();
        openSample(w);
        // An event with a long value: its metadata's trace id or a URL.
        int row = 0;
        for (; row < w.model()->rowCount(); ++row)
            if (w.store()->field(w.model()->rowId(row), Field::EventType) == "gateway_resource_request")
                break;
        QVERIFY(row < w.model()->rowCount());
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // A narrow detail pane, as on a small screen: the values must still get most of the tree.
        QSplitter* split = nullptr;
        for (auto* s : w.findChildren<QSplitter*>())
            if (s->orientation() == Qt::Horizontal &&
                s->indexOf(w.detail()->parentWidget()->parentWidget()) >= 0)
                split = s;
        QVERIFY(split);
        split->setSizes({900, 380});
        w.table()->setCurrentIndex(w.model()->index(row, 0));
        QTreeView* tree = w.detail()->tree();
        QCOMPARE(tree->textElideMode(), Qt::ElideMiddle);
        const int width = tree->viewport()->width();
        QVERIFY(width > 200 && width < 420);
        const int key = tree->columnWidth(JsonTreeModel::KeyColumn),
                  value = tree->columnWidth(JsonTreeModel::ValueColumn),
                  type = tree->columnWidth(JsonTreeModel::TypeColumn);
        QVERIFY2(
            value >= width * 2 / 5 && value >= key && value >= 2 * type,
            qPrintable(QString("key %1, value %2, type %3 of %4").arg(key).arg(value).arg(type).arg(width)));
        // The full value is in the tooltip.
        const QAbstractItemModel* model = tree->model();
        const QModelIndex id = model->match(model->index(0, 0), Qt::DisplayRole, "id").value(0);
        QVERIFY(id.isValid());
        const QString eventId = QString::fromStdString(w.store()->eventId(w.model()->rowId(row)));
        QCOMPARE(id.siblingAtColumn(JsonTreeModel::ValueColumn).data(Qt::ToolTipRole).toString(), eventId);
    }

    void diagnosticsGroupShowsItsFilter() {
        MainWindow w;
        activate(&w);
        openSample(w);
        DiagnosticsDock* dock = w.diagnosticsDock();
        QSignalSpy ready(dock, &DiagnosticsDock::overviewReady);
        w.actions()->action("diagnostics")->trigger();
        QVERIFY(ready.wait(kWait));
        QTreeWidget* tree = dock->tree();
        QTreeWidgetItem* deny = tree->topLevelItem(0);
        QCOMPARE(deny->text(0), QString("Deny reasons"));
        QTreeWidgetItem* first = deny->child(0);
        const OverviewItem& item = dock->groups()[0].items[0];
        tree->scrollToItem(first);
        applyAndWait(w, [&] {
            QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(first).center());
        });
        QCOMPARE(w.filterEdit()->text(), "deny_reason:" + QString::fromStdString(item.label));
        QCOMPARE(size_t(w.model()->rowCount()), item.rows.size());
        QVERIFY(!w.filterBar()->groupNote()->isVisible());

        // A group no filter can say (a step-up tier) shows its rows and says so in the filter bar.
        QTreeWidgetItem* stepUp = tree->topLevelItem(2);
        QCOMPARE(stepUp->text(0), QString("Step-up requirements"));
        QVERIFY(stepUp->childCount() > 0);
        stepUp->setExpanded(true);
        // The group's first line may be its note (why its counts do not add up), which filters nothing.
        QTreeWidgetItem* tier = stepUp->child(dock->groups()[2].note.empty() ? 0 : 1);
        tree->scrollToItem(tier);
        applyAndWait(w, [&] {
            QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(tier).center());
        });
        QVERIFY(w.filterBar()->groupNote()->isVisible());
        QVERIFY(w.filterBar()->groupNote()->text().contains("Step-up requirements"));
        QCOMPARE(size_t(w.model()->rowCount()), dock->groups()[2].items[0].rows.size());
        // Back to the filter's view: the note goes.
        applyAndWait(w, [&] { QTest::keyClick(w.filterEdit(), Qt::Key_Return); });
        QVERIFY(!w.filterBar()->groupNote()->isVisible());
    }

    void troubleshootingBrowserFollowsTheKeyboard() {
        MainWindow w;
        activate(&w);
        openSample(w);
        TroubleshootingBrowser* browser = w.openTroubleshooting();
        activate(browser);
        QTreeWidget* tree = browser->tree();
        std::vector<QTreeWidgetItem*> leaves;
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->childCount() == 0) leaves.push_back(*it);
        // A word that only one entry mentions: typing it selects that entry and shows it.
        QTreeWidgetItem* unique = nullptr;
        for (QTreeWidgetItem* leaf : leaves) {
            const QString word = leaf->text(0);
            if (word.size() < 8) continue;
            int hits = 0;
            for (QTreeWidgetItem* other : leaves)
                hits += other->data(0, Qt::UserRole + 2).toString().contains(word, Qt::CaseInsensitive);
            if (hits == 1) {
                unique = leaf;
                break;
            }
        }
        QVERIFY(unique);
        browser->searchBox()->setFocus();
        QTRY_VERIFY(browser->searchBox()->hasFocus());
        QTest::keyClicks(browser->searchBox(), unique->text(0));
        QCOMPARE(tree->currentItem(), unique);
        QCOMPARE(browser->currentAddress(), unique->data(0, Qt::UserRole + 1).toString());
        QVERIFY(browser->searchBox()->hasFocus()); // typing goes on in the search box

        // Down goes from the search box into the results; the right pane follows the selection.
        browser->searchBox()->clear();
        QTest::keyClicks(browser->searchBox(), "token");
        QTest::keyClick(browser->searchBox(), Qt::Key_Down);
        QTRY_VERIFY(tree->hasFocus());
        QVERIFY(tree->currentItem() && !tree->currentItem()->isHidden());
        QTreeWidgetItem* was = tree->currentItem();
        QTest::keyClick(tree, Qt::Key_Down);
        QVERIFY(tree->currentItem() != was);
        const QString address = tree->currentItem()->data(0, Qt::UserRole + 1).toString();
        if (!address.isEmpty()) QCOMPARE(browser->currentAddress(), address);
        QVERIFY(browser->detailText().contains(tree->currentItem()->text(0)));

        // "Show events" only for a code some loaded event carries; its result comes to the front.
        const QStringList loaded = w.session()->knownValues().value("reason");
        QString absent, present;
        for (const auto& e : TroubleshootingCatalog::instance().codes()) {
            const QString code = QString::fromStdString(e.code);
            if (absent.isEmpty() && !loaded.contains(code)) absent = code;
        }
        for (const auto& d : DenyReasonCatalog::instance().all())
            if (present.isEmpty() && loaded.contains(QString::fromStdString(d.code)))
                present = QString::fromStdString(d.code);
        QVERIFY(!absent.isEmpty() && !present.isEmpty());
        QVERIFY(browser->showCode(absent));
        QVERIFY(!browser->showEventsButton()->isEnabled());
        QVERIFY(browser->showCode(present));
        QVERIFY(browser->showEventsButton()->isEnabled());
        activate(browser);
        applyAndWait(w, [&] { QTest::mouseClick(browser->showEventsButton(), Qt::LeftButton); });
        QCOMPARE(w.filterEdit()->text(), "reason:" + present);
        QTRY_COMPARE(QApplication::activeWindow(), &w);
    }

    void compareNamesBothEvents() {
        MainWindow w;
        w.show();
        openSample(w);
        applyAndWait(w, [&] {
            w.filterEdit()->setText("type:token_exchange");
            w.applyView();
        });
        int allowed = -1, denied = -1;
        for (int r = 0; r < w.model()->rowCount() && (allowed < 0 || denied < 0); ++r) {
            const auto decision = w.store()->field(w.model()->rowId(r), Field::Decision);
            if (decision == "allow" && allowed < 0) allowed = r;
            if (decision == "deny" && denied < 0) denied = r;
        }
        QVERIFY(allowed >= 0 && denied >= 0);
        auto* selection = w.table()->selectionModel();
        selection->select(w.model()->index(allowed, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(w.model()->index(denied, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        CompareDialog* dialog = w.compareSelection(false);
        QVERIFY(dialog);
        const int first = std::min(allowed, denied), second = std::max(allowed, denied);
        const QString firstRequest =
            QString::fromStdString(std::string(w.store()->field(w.model()->rowId(first), Field::RequestId)));
        const QString secondRequest =
            QString::fromStdString(std::string(w.store()->field(w.model()->rowId(second), Field::RequestId)));
        QVERIFY2(dialog->windowTitle().contains(firstRequest.left(12)) &&
                     dialog->windowTitle().contains(secondRequest.left(12)),
                 qPrintable(dialog->windowTitle()));
        QVERIFY(dialog->windowTitle().contains("Token issued") &&
                dialog->windowTitle().contains("Token denied"));
        QVERIFY(dialog->table()->horizontalHeaderItem(1)->text().contains(firstRequest.left(12)));
        QVERIFY(dialog->table()->horizontalHeaderItem(2)->text().contains(secondRequest.left(12)));
        // The key difference is on show, in full, without a tooltip.
        const QString key = dialog->keyDifferenceLabel()->text();
        QVERIFY2(key.contains("<b>decision</b>") && key.contains("allow") && key.contains("deny"),
                 qPrintable(key));
        QVERIFY(dialog->keyDifferenceLabel()->isVisibleTo(dialog));
    }

    void darkPaletteTextHasContrast() {
        for (PaletteMode mode : {PaletteMode::Dark, PaletteMode::Light}) {
            applyPalette(mode);
            const QPalette pal = QApplication::palette();
            for (QPalette::ColorRole bg : {QPalette::Base, QPalette::AlternateBase, QPalette::Window}) {
                for (StatusTone tone : {StatusTone::Good, StatusTone::Warning, StatusTone::Bad,
                                        StatusTone::Muted, StatusTone::Neutral})
                    QVERIFY2(contrastRatio(QColor(statusColor(tone, pal)), pal.color(bg)) >= 4.5,
                             qPrintable(statusColor(tone, pal)));
                QVERIFY(contrastRatio(QColor(mutedTextColor(pal)), pal.color(bg)) >= 4.5);
            }
        }
        QVERIFY(contrastRatio(Qt::black, Qt::white) > 20.9); // the formula itself
        QVERIFY(std::abs(contrastRatio(QColor("#777777"), Qt::white) - 4.48) < 0.01);

        // The Readiness page in dark: every coloured text reads; links say titles; `code` is code; one fix
        // once.
        applyPalette(PaletteMode::Dark);
        CheckListView view;
        std::vector<SetupCheck> checks;
        for (int i = 0; i < 5; ++i)
            checks.push_back({"readiness.service" + std::to_string(i),
                              CheckStatus::Fail,
                              "Service `sts` is not ready",
                              "Run `docker compose up -d` in the stack folder",
                              {"readiness-failures/docker-fails"},
                              {}});
        view.setChecks(checks, "Readiness");
        const QString text = view.toPlainText();
        QVERIFY(!text.contains('`'));
        QVERIFY(!text.contains("readiness-failures/docker-fails"));
        const auto row = TroubleshootingCatalog::instance().row("readiness-failures/docker-fails");
        QVERIFY(row);
        QVERIFY(text.contains(QString::fromStdString(row->table->title)));
        QCOMPARE(text.count("docker compose up -d"), 1);
        QCOMPARE(text.count("the same as for"), 4);
        QVERIFY(view.toHtml().contains("docker compose up -d</span>")); // in a monospace span
        static const QRegularExpression colour("(?<![-\\w])color:\\s*(#[0-9a-fA-F]{6})");
        int coloured = 0;
        for (auto it = colour.globalMatch(view.toHtml()); it.hasNext();) {
            const QColor c(it.next().captured(1));
            if (c == QColor(Qt::white)) continue; // badges: white on the tone
            ++coloured;
            QVERIFY2(contrastRatio(c, view.palette().color(QPalette::Base)) >= 4.5, qPrintable(c.name()));
        }
        QVERIFY(coloured > 0);
        applyPalette(PaletteMode::Light);
    }

    void countsReadLikeText() {
        QCOMPARE(eventCountText(1), QString("1 event"));
        QCOMPARE(eventCountText(2), QString("2 events"));
        QLocale::setDefault(QLocale::c()); // the locale of a console started without LANG
        QCOMPARE(eventCountText(4000), QString("4,000 events"));
        MainWindow w; // and the window's own texts
        QCOMPARE(QLocale().toString(4000), QString("4,000"));
    }

    void helpAndVersionNeedNoDisplay() {
        for (const char* option : {"--help", "--version"}) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
                env.remove(name);
            p.setProcessEnvironment(env);
            p.start(CARACAL_CONSOLE_BIN, {option});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 0);
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(out.contains(option == std::string("--help") ? "--palette" : "caracal-console"),
                     qPrintable(out + p.readAllStandardError()));
        }
    }

    void sampleLooksLikeADayOfTraffic() {
        MainWindow w;
        w.show();
        openSample(w);
        const EventStore& store = *w.store();
        const auto& order = store.timeOrder();
        QCOMPARE(order.size(), size_t(4000));
        // The first screen is traffic, not a wall of denies.
        int denies = 0;
        for (size_t i = 0; i < 40; ++i)
            denies += store.field(order[i], Field::Decision) == "deny";
        QVERIFY2(denies <= 14, qPrintable(QString("%1 of the first 40 events are denies").arg(denies)));
        // Deny reasons come through the day: the ten most common reasons' first and last events lie hours
        // apart.
        const int64_t first = store.record(order.front()).occurredAt,
                      last = store.record(order.back()).occurredAt;
        QVERIFY(last - first >= int64_t(20) * 3600 * 1000000);
        std::map<int, size_t> byHour;
        std::map<std::string, std::pair<int64_t, int64_t>> reasonSpan;
        for (RowId r : order) {
            const int64_t t = store.record(r).occurredAt;
            ++byHour[int((t - first) / (int64_t(3600) * 1000000))];
            if (store.field(r, Field::Decision) != "deny") continue;
            for (uint32_t tag : store.tags(r))
                if (tagKind(tag) == TagKind::Code) {
                    auto [it, fresh] = reasonSpan.try_emplace(std::string(store.str(tag & kTagIdMask)), t, t);
                    if (!fresh) it->second.second = t;
                }
        }
        size_t busiest = 0, quietest = SIZE_MAX;
        for (int h = 0; h < 20; ++h) {
            busiest = std::max(busiest, byHour[h]);
            quietest = std::min(quietest, byHour[h]);
        }
        QVERIFY2(busiest >= 3 * std::max<size_t>(1, quietest),
                 "the day has a shape: busy by day, quiet at night");
        int spread = 0;
        for (const auto& [reason, span] : reasonSpan)
            spread += span.second - span.first >= int64_t(6) * 3600 * 1000000;
        QVERIFY2(spread * 2 >= int(reasonSpan.size()), "most deny reasons recur hours apart");
        // The rare reasons still occur: spreading them out kept the sample's coverage.
        for (const char* reason : {"no_rule_matched", "mandate_target_mismatch", "no_active_policy_set"})
            QVERIFY2(reasonSpan.count(reason), reason);
    }
};

int main(int argc, char** argv) {
    // A 1280x720 screen, the small laptop the window must fit.
    QTemporaryDir dir;
    const QString config = dir.filePath("screen.json");
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) return 2;
    file.write(R"({"screens":[{"name":"laptop","x":0,"y":0,"width":1280,"height":720,)"
               R"("logicalDpi":96,"logicalBaseDpi":96,"dpr":1}]})");
    file.close();
    qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toLocal8Bit());
    QApplication app(argc, argv);
    PolishTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_polish.moc"
