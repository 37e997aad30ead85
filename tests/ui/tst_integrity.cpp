#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "EventGenerator.h"
#include "GuiTestSupport.h"
#include "chain/ChainHash.h"
#include "detail/EventDetailView.h"
#include "integrity/HmacKeyDialog.h"
#include "integrity/IntegrityPanel.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"
#endif

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <fstream>
#include <regex>
#include <sstream>

using namespace caracal;
using namespace caracal::ui;

// The Integrity panel in the real window, offscreen, driven by clicks. Waits are on signals, never on time.
class IntegrityTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    const int kWait = 120000; // an upper bound for a slow machine, not a timing assumption
    const char* kKeyHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    QString keyFile, tampered, intact, plain;
    std::string editedId;

    QString write(const QString& name, const std::string& bytes) {
        const QString path = tmp.path() + "/" + name;
        std::ofstream(path.toStdString(), std::ios::binary) << bytes;
        return path;
    }
    std::vector<std::string> rows(bool search) {
        gen::GeneratorOptions o;
        o.seed = 5;
        o.events = 400;
        o.zones = 2;
        o.searchRows = search;
        o.hmacKey = hexDecode(kKeyHex);
        std::ostringstream out;
        gen::generate(o, out);
        std::vector<std::string> lines;
        std::istringstream in(out.str());
        for (std::string l; std::getline(in, l);)
            lines.push_back(l);
        return lines;
    }
    void openAndWait(MainWindow& w, const QString& file) {
        QSignalSpy spy(&w, &MainWindow::loadFinished);
        w.openFiles({file});
        QVERIFY(spy.wait(kWait));
    }
    // Clicks the status-bar button, fills the key dialog and clicks Verify, then waits for the report.
    void verifyByClicks(MainWindow& w, const QString& key) {
        QSignalSpy done(w.integrityPanel(), &IntegrityPanel::finished);
        bool dialogSeen = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<HmacKeyDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialogSeen = true;
            dialog->pathEdit()->setText(key);
            auto* box = dialog->findChild<QDialogButtonBox*>();
            QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
        });
        QTest::mouseClick(w.verifyButton(), Qt::LeftButton);
        QVERIFY(dialogSeen);
        QVERIFY(done.wait(kWait));
    }
    static QTreeWidgetItem* problemOf(IntegrityPanel* p, const QString& kind) {
        for (int i = 0; i < p->problemList()->topLevelItemCount(); ++i)
            if (p->problemList()->topLevelItem(i)->text(1) == kind) return p->problemList()->topLevelItem(i);
        return nullptr;
    }
    static QString currentEventId(MainWindow& w) {
        const QModelIndex i = w.table()->currentIndex();
        if (!i.isValid()) return {};
        return QString::fromStdString(w.store()->eventId(w.model()->rowId(i.row())));
    }

  private slots:
    void initTestCase() {
        test::isolateSettings(tmp, "tst_integrity");
        keyFile = write("key.hex", std::string(kKeyHex) + "\n");
        QFile::setPermissions(keyFile, QFile::ReadOwner | QFile::WriteOwner);
        auto lines = rows(true);
        std::string good;
        for (const auto& l : lines)
            good += l + "\n";
        intact = write("intact.jsonl", good);
        editedId = nlohmann::json::parse(lines[25])["Event"]["id"];
        lines[25] = std::regex_replace(lines[25], std::regex("\"request_id\":\""), "\"request_id\":\"edited-",
                                       std::regex_constants::format_first_only);
        std::string bad;
        for (const auto& l : lines)
            bad += l + "\n";
        tampered = write("tampered.jsonl", bad);
        std::string p;
        for (const auto& l : rows(false))
            p += l + "\n";
        plain = write("plain.jsonl", p);
    }

    void tamperedRowIsFoundAndSelected() {
        MainWindow w;
        w.show();
        openAndWait(w, tampered);
        QVERIFY(!w.verifyButton()->isHidden()); // the events carry chain fields
        verifyByClicks(w, keyFile);
        IntegrityPanel* panel = w.integrityPanel();
        QVERIFY(panel->isVisible());
        QVERIFY(panel->statusLabel()->text().contains("tampered"));
        QTreeWidgetItem* problem = problemOf(panel, "content_mismatch");
        QVERIFY(problem);
        QCOMPARE(problem->text(3), QString::fromStdString(editedId));
        QCOMPARE(problem->text(4).size(), 64); // expected and found side by side
        QCOMPARE(problem->text(5).size(), 64);
        QVERIFY(problem->text(4) != problem->text(5));
        // A real click on the problem selects its event in the table.
        panel->problemList()->scrollToItem(problem);
        const QRect r = panel->problemList()->visualItemRect(problem);
        QTest::mouseClick(panel->problemList()->viewport(), Qt::LeftButton, {},
                          QPoint(r.left() + 8, r.center().y()));
        QCOMPARE(currentEventId(w), QString::fromStdString(editedId));
        QVERIFY(panel->messageLabel()->text().contains("content_mismatch"));
        // The detail pane's audit chain section shows this row's own check.
        QVERIFY(w.detail()->renderedText().contains("content_mismatch"));
        // The zone selector carries the verdict.
        bool badge = false;
        for (int i = 0; i < w.zoneBox()->count(); ++i)
            badge = badge || w.zoneBox()->itemText(i).contains("tampered");
        QVERIFY(badge);
        // The other zone is intact, and says so.
        bool intactBadge = false;
        for (int i = 0; i < w.zoneBox()->count(); ++i)
            intactBadge = intactBadge || w.zoneBox()->itemText(i).contains("intact");
        QVERIFY(intactBadge);
        // Only the path may be remembered, never the key.
        QSettings settings;
        for (const QString& k : settings.allKeys())
            QVERIFY(!settings.value(k).toString().contains(kKeyHex));
    }

    void intactChainSaysVerifiedPerRow() {
        MainWindow w;
        w.show();
        openAndWait(w, intact);
        verifyByClicks(w, keyFile);
        QVERIFY(w.integrityPanel()->statusLabel()->text().contains("intact"));
        QCOMPARE(w.integrityPanel()->problemList()->topLevelItemCount(), 0);
        QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, {},
                          w.table()->visualRect(w.model()->index(3, 0)).center());
        QVERIFY(w.detail()->renderedText().contains("Verified: the content hash, the link"));
        QVERIFY(w.detail()->renderedText().contains("chain_hmac hold"));
    }

    void unverifiableEventsSaySo() {
        MainWindow w;
        w.show();
        openAndWait(w, plain);
        QVERIFY(w.verifyButton()->isHidden()); // nothing to verify: no button
        QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, {},
                          w.table()->visualRect(w.model()->index(0, 0)).center());
        QVERIFY(w.detail()->renderedText().contains("Cannot be verified"));
        QSignalSpy done(w.integrityPanel(), &IntegrityPanel::finished);
        w.verifyIntegrity(false, {});
        QVERIFY(done.wait(kWait));
        QVERIFY(w.integrityPanel()->statusLabel()->text().contains("unverifiable"));
        QVERIFY(problemOf(w.integrityPanel(), "missing_chain_fields"));
    }

    void cancelDropsTheRun() {
        MainWindow w;
        w.show();
        openAndWait(w, intact);
        QSignalSpy done(w.integrityPanel(), &IntegrityPanel::finished);
        w.verifyIntegrity(false, keyFile);
        QVERIFY(w.integrityPanel()->cancelButton()->isEnabled());
        QTest::mouseClick(w.integrityPanel()->cancelButton(), Qt::LeftButton);
        QVERIFY(w.integrityPanel()->statusLabel()->text().contains("cancelled"));
        QVERIFY(w.integrityPanel()->runButton()->isEnabled());
        // A later run still works, and the cancelled one never reports.
        w.verifyIntegrity(false, keyFile);
        QVERIFY(done.wait(kWait));
        QCOMPARE(done.count(), 1);
    }

    void badKeyIsSaidNotRun() {
        MainWindow w;
        w.show();
        openAndWait(w, intact);
        const QString bad = write("bad.key", "not hex\n");
        w.verifyIntegrity(false, bad);
        QVERIFY(w.integrityPanel()->statusLabel()->text().contains("does not hold a hex key"));
        QVERIFY(!w.integrityPanel()->isRunning());
        QVERIFY(!w.integrityPanel()->statusLabel()->text().contains(kKeyHex));
    }
};

QTEST_MAIN(IntegrityTest)
#include "tst_integrity.moc"
