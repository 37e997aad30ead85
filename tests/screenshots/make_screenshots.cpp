// caracal-screenshots: opens the bundled sample in the real window (offscreen) and saves the README's
// pictures of the main views as PNG files, so they show the console as it is built today.
#include "common/Theme.h"
#include "detail/EventDetailView.h"
#include "diagnostics/DiagnosticsDock.h"
#include "dialogs/TroubleshootingBrowser.h"
#include "graph/DelegationGraphWindow.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/ActionRegistry.h"
#include "window/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <cstdio>

using namespace caracal;
using namespace caracal::ui;

namespace {

bool waitFor(QSignalSpy& spy) {
    return !spy.isEmpty() || spy.wait(120000);
}

bool save(QWidget* widget, const QString& dir, const char* name) {
    QApplication::processEvents();
    const QString path = dir + "/" + name + ".png";
    if (!widget->grab().save(path)) {
        std::fprintf(stderr, "caracal-screenshots: cannot write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

// The first row of the view whose event has this type and decision.
int rowOf(const MainWindow& w, std::string_view type, std::string_view decision) {
    for (int r = 0; r < w.model()->rowCount(); ++r) {
        const RowId row = w.model()->rowId(r);
        if (w.store()->field(row, Field::EventType) == type &&
            w.store()->field(row, Field::Decision) == decision &&
            w.store()->rowsWith(Field::RequestId, w.store()->field(row, Field::RequestId)).size() >= 2)
            return r;
    }
    return 0;
}

bool shootMainViews(const QString& dir, bool dark) {
    MainWindow w;
    w.resize(1400, 860);
    w.show();
    QSignalSpy loaded(&w, &MainWindow::loadFinished);
    w.openSample();
    if (!waitFor(loaded)) return false;
    const int deny = rowOf(w, "token_exchange", "deny");
    w.table()->setCurrentIndex(w.model()->index(deny, 0));
    w.table()->scrollTo(w.model()->index(std::max(0, deny - 3), 0), QAbstractItemView::PositionAtTop);
    if (dark) return save(&w, dir, "console-dark");
    if (!save(&w, dir, "console")) return false;

    // The request trace of the denied exchange: its events, the deny reason and the policy input.
    w.table()->setCurrentIndex(w.model()->index(deny, 0));
    auto* tabs = w.findChild<QTabWidget*>();
    tabs->setCurrentIndex(1);
    if (!save(&w, dir, "request-trace")) return false;
    tabs->setCurrentIndex(0);

    QSignalSpy overview(w.diagnosticsDock(), &DiagnosticsDock::overviewReady);
    w.actions()->action("diagnostics")->trigger();
    if (!waitFor(overview)) return false;
    if (!save(&w, dir, "diagnostics")) return false;
    w.diagnosticsDock()->hide();

    TroubleshootingBrowser* browser = w.openTroubleshooting("code:no_rule_matched");
    browser->resize(1100, 680);
    if (!save(browser, dir, "troubleshooting")) return false;
    browser->hide();

    w.table()->setCurrentIndex(w.model()->index(deny, 0));
    DelegationGraphWindow* graph = w.openDelegationGraph(GraphOf::Zone);
    if (!graph) return false;
    QSignalSpy drawn(graph, &DelegationGraphWindow::drawn);
    if (!waitFor(drawn)) return false;
    return save(graph, dir, "delegation-graph");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "Usage: caracal-screenshots DIR   (run with QT_QPA_PLATFORM=offscreen)\n");
        return 2;
    }
    QApplication app(argc, argv);
    // A clean first start: no saved geometry, filters or columns of whoever runs it.
    QTemporaryDir settings;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName("CaracalScreenshots");
    QCoreApplication::setApplicationName("caracal-screenshots");
    const QString dir = QDir(QString::fromLocal8Bit(argv[1])).absolutePath();
    QDir().mkpath(dir);
    applyPalette(PaletteMode::Light);
    if (!shootMainViews(dir, false)) return 1;
    applyPalette(PaletteMode::Dark);
    return shootMainViews(dir, true) ? 0 : 1;
}
