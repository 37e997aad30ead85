#include "GuiTestSupport.h"
#include "catalog/DenyReasonCatalog.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "filter/FilterEdit.h"
#include "statistics/StatisticsModel.h"
#include "statistics/StatisticsWindow.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace caracal;
using namespace caracal::ui;

// The Statistics window and the Reason column, driven offscreen with real clicks. Waits are on signals.
class StatisticsWindowTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption

    void openAndWait(MainWindow& w, const QStringList& files) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles(files);
        QVERIFY(spy.wait(kWait));
        QVERIFY(spy.first().first().toBool());
    }
    void waitComputed(StatisticsWindow* s, const std::function<void()>& action) {
        QSignalSpy spy(s, &StatisticsWindow::computed);
        action();
        QVERIFY(spy.wait(kWait));
    }
    StatisticsWindow* openStatistics(MainWindow& w, StatisticsField field) {
        StatisticsWindow* s = nullptr;
        w.actions()->action("statistics")->trigger();
        s = w.findChild<StatisticsWindow*>();
        if (!s || !QTest::qWaitForWindowExposed(s)) return nullptr;
        if (s->isComputing()) {
            QSignalSpy spy(s, &StatisticsWindow::computed);
            if (!spy.wait(kWait)) return nullptr;
        }
        if (s->field() != field) {
            QSignalSpy spy(s, &StatisticsWindow::computed);
            s->fieldBox()->setCurrentIndex(s->fieldBox()->findData(int(field)));
            if (!spy.wait(kWait)) return nullptr;
        }
        return s;
    }
    // What a real double-click delivers to a widget: press, release, double-click, release (QTest's
    // mouseDClick alone sends only the double-click event).
    static void doubleClick(QWidget* widget, const QPoint& at) {
        QTest::mousePress(widget, Qt::LeftButton, {}, at);
        QTest::mouseRelease(widget, Qt::LeftButton, {}, at);
        QTest::mouseDClick(widget, Qt::LeftButton, {}, at);
        QTest::mouseRelease(widget, Qt::LeftButton, {}, at);
    }
    static QPoint cellCenter(QTableView* view, int row, int column) {
        return view->visualRect(view->model()->index(row, column)).center();
    }
    std::string writeLines(const char* name, const std::string& text) {
        const std::string path = tmp.path().toStdString() + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

  private slots:
    void initTestCase() { test::isolateSettings(tmp, "tst_statistics"); }

    void modelPassesTester() {
        MainWindow w;
        openAndWait(w, {MainWindow::samplePath()});
        StatisticsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (StatisticsField f : allStatisticsFields()) {
            StatisticsOptions options;
            options.by = f;
            model.setTable(computeFieldStatistics(*w.store(), options));
            QVERIFY(model.rowCount() > 0);
            for (int c = 0; c < model.columnCount(); ++c)
                model.sort(c, c % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
        }
        model.setTable({});
        QCOMPARE(model.rowCount(), 0);
    }

    // Double-click a row: the main view shows that row's events and the filter bar says which.
    void rowFiltersMainView() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        StatisticsWindow* s = openStatistics(w, StatisticsField::EventType);
        QVERIFY(s);
        QVERIFY(s->isVisible());
        QVERIFY(s->model()->rowCount() > 3);
        const QString value = s->model()->valueAt(0);
        const int events = s->model()
                               ->index(0, s->model()->columnOf(StatisticsModel::Kind::Events))
                               .data()
                               .toString()
                               .remove(QLocale().groupSeparator())
                               .toInt();
        QVERIFY(events > 0);
        {
            QSignalSpy applied(&w, &MainWindow::viewApplied);
            QSignalSpy requested(s, &StatisticsWindow::filterRequested);
            doubleClick(s->table()->viewport(), cellCenter(s->table(), 0, 0));
            QCOMPARE(requested.count(), 1);
            QCOMPARE(w.filterEdit()->text(), "type:" + value);
            QVERIFY(applied.count() > 0 || applied.wait(kWait));
        }
        QCOMPARE(w.model()->rowCount(), events);

        // Enter on another row does the same for that row.
        const QString second = s->model()->valueAt(1);
        QTest::mouseClick(s->table()->viewport(), Qt::LeftButton, {}, cellCenter(s->table(), 1, 0));
        QCOMPARE(s->table()->currentIndex().row(), 1);
        {
            QSignalSpy applied(&w, &MainWindow::viewApplied);
            QTest::keyClick(s->table(), Qt::Key_Return);
            QVERIFY(applied.count() > 0 || applied.wait(kWait));
        }
        QCOMPARE(w.filterEdit()->text(), "type:" + second);
        const int secondRows = w.model()->rowCount();

        // The current view only: the table counts the shown rows, and a row narrows the filter.
        waitComputed(s, [&] { QTest::mouseClick(s->viewButton(), Qt::LeftButton); });
        QVERIFY(s->viewButton()->isChecked());
        QCOMPARE(s->model()->table().events, uint64_t(secondRows));
        waitComputed(
            s, [&] { s->fieldBox()->setCurrentIndex(s->fieldBox()->findData(int(StatisticsField::Zone))); });
        const QString zone = s->model()->valueAt(0);
        {
            QSignalSpy applied(&w, &MainWindow::viewApplied);
            doubleClick(s->table()->viewport(), cellCenter(s->table(), 0, 0));
            QVERIFY(applied.count() > 0 || applied.wait(kWait));
        }
        QCOMPARE(w.filterEdit()->text(), "type:" + second + " zone:" + zone);
        QVERIFY(w.model()->rowCount() > 0 && w.model()->rowCount() <= secondRows);
        for (int i = 0; i < w.model()->rowCount(); ++i)
            QCOMPARE(QString::fromStdString(std::string(w.store()->field(w.model()->rowId(i), Field::Zone))),
                     zone);
    }

    void headerClickSorts() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        StatisticsWindow* s = openStatistics(w, StatisticsField::Resource);
        QVERIFY(s);
        StatisticsModel* m = s->model();
        QVERIFY(m->rowCount() > 2);
        QHeaderView* header = s->table()->horizontalHeader();
        auto clickHeader = [&](int column) {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(column) + 6, header->height() / 2));
        };
        auto sortedBy = [&](int column, Qt::SortOrder order) {
            for (int r = 1; r < m->rowCount(); ++r) {
                const QVariant a = m->index(r - 1, column).data(), b = m->index(r, column).data();
                const bool numeric = m->kindOf(column) != StatisticsModel::Kind::Value;
                const auto x =
                    numeric ? QVariant(a.toString().remove(QLocale().groupSeparator()).toLongLong()) : a;
                const auto y =
                    numeric ? QVariant(b.toString().remove(QLocale().groupSeparator()).toLongLong()) : b;
                const int cmp = QVariant::compare(x, y) == QPartialOrdering::Less      ? -1
                                : QVariant::compare(x, y) == QPartialOrdering::Greater ? 1
                                                                                       : 0;
                if (order == Qt::AscendingOrder ? cmp > 0 : cmp < 0) return false;
            }
            return true;
        };
        const int value = m->columnOf(StatisticsModel::Kind::Value);
        clickHeader(value);
        QCOMPARE(header->sortIndicatorSection(), value);
        QVERIFY(sortedBy(value, header->sortIndicatorOrder()));
        const QString firstByValue = m->valueAt(0);
        clickHeader(value);
        QVERIFY(sortedBy(value, header->sortIndicatorOrder()));
        QVERIFY(m->valueAt(0) != firstByValue); // the other end now
        const int deny = [&] {
            for (int c = 0; c < m->columnCount(); ++c)
                if (m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() == "deny") return c;
            return -1;
        }();
        QVERIFY(deny > 0);
        clickHeader(deny);
        QCOMPARE(header->sortIndicatorSection(), deny);
        QVERIFY(sortedBy(deny, header->sortIndicatorOrder()));
    }

    // Export writes the table as shown, with the formula guard; Copy as text puts aligned lines on the
    // clipboard.
    void exportAndCopy() {
        auto line = [](const char* id, const char* resource, const char* decision) {
            return std::string(R"({"id":")") + id +
                   R"(","zone_id":"z","event_type":"token_exchange","decision":")" + decision +
                   R"(","occurred_at":"2026-11-14T10:00:00Z","metadata_json":{"resource":")" + resource +
                   "\"}}\n";
        };
        const std::string file =
            writeLines("formula.jsonl", line("a", "=SUM(1)", "allow") + line("b", "=SUM(1)", "deny") +
                                            line("c", "resource://ledger", "allow"));
        MainWindow w;
        w.show();
        openAndWait(w, {QString::fromStdString(file)});
        StatisticsWindow* s = openStatistics(w, StatisticsField::Resource);
        QVERIFY(s);
        const QString path = tmp.path() + "/stats.csv";
        QVERIFY(s->exportCsv(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("Resource,Events,Share (%),allow,deny\r\n"
                                         "'=SUM(1),2,66.67,1,1\r\n"
                                         "resource://ledger,1,33.33,1,0\r\n"));
        QApplication::clipboard()->clear();
        QPushButton* copy = nullptr;
        for (QPushButton* b : s->findChildren<QPushButton*>())
            if (b->text() == "Copy as text") copy = b;
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        const QStringList lines = QApplication::clipboard()->text().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("Resource"));
        QVERIFY(lines[1].startsWith("=SUM(1)") && lines[1].contains("66.7"));
        QVERIFY(s->summaryLabel()->text().startsWith("2 values over 3 loaded events"));
    }

    // The Reason column: the catalog's label in the cell, the code in the tooltip, and a click opens the
    // code's troubleshooting row.
    void reasonColumn() {
        MainWindow w;
        w.show();
        openAndWait(w, {MainWindow::samplePath()});
        QApplication::processEvents();
        const int column = w.model()->columns().indexOf("@reason");
        QVERIFY(column >= 0);
        int denyRow = -1, allowRow = -1;
        std::string code;
        for (int r = 0; r < w.model()->rowCount() && (denyRow < 0 || allowRow < 0); ++r) {
            const RowId id = w.model()->rowId(r);
            const std::string c(w.store()->field(id, Field::DenyReason));
            if (w.store()->field(id, Field::Decision) != "deny") {
                if (allowRow < 0) allowRow = r;
                QVERIFY(c.empty());
            } else if (denyRow < 0 && DenyReasonCatalog::instance().find(c)) {
                denyRow = r;
                code = c;
            }
        }
        QVERIFY(denyRow >= 0 && allowRow >= 0);
        const QModelIndex cell = w.model()->index(denyRow, column);
        QCOMPARE(cell.data().toString(), QString::fromStdString(DenyReasonCatalog::instance().label(code)));
        QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QString::fromStdString(code)));
        QVERIFY(w.model()->index(allowRow, column).data().toString().isEmpty());

        EventTableView* table = w.table();
        table->scrollTo(cell);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(cell).center());
        auto* browser = w.findChild<TroubleshootingBrowser*>();
        QVERIFY(browser);
        QVERIFY(browser->isVisible());
        QCOMPARE(browser->currentAddress(), "code:" + QString::fromStdString(code));

        // An allow row's empty Reason cell opens nothing new.
        const QString before = browser->currentAddress();
        const QModelIndex empty = w.model()->index(allowRow, column);
        table->scrollTo(empty);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(empty).center());
        QCOMPARE(browser->currentAddress(), before);
    }
};

QTEST_MAIN(StatisticsWindowTest)
#include "tst_statistics.moc"
