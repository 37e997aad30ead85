// caracal-console: the desktop window for Caracal's audit and decision traces.
#include "catalog/TroubleshootingCatalog.h"
#include "common/Theme.h"
#include "window/ConsoleBenchmark.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <cstdio>

namespace {

// The console's options, built once for --help (answered without a display) and for the window.
struct ConsoleOptions {
    QCommandLineOption version{{"v", "version"}, "Show the version."};
    QCommandLineOption zone{"zone", "Show only zone Z.", "Z"};
    QCommandLineOption request{"request-id", "Show only request R.", "R"};
    QCommandLineOption filter{"filter", "Start with this filter.", "EXPR"};
    QCommandLineOption palette{"palette", "Colours: system (default), light or dark.", "system|light|dark",
                               "system"};
    QCommandLineOption samplePath{"sample-path", "Print where the bundled sample is, then quit."};
    QCommandLineOption benchmark{"benchmark",
                                 "Measure loading FILE and filtering it, print the numbers, quit."};
    QCommandLineOption benchText{"benchmark-text", "Free text for --benchmark.", "TEXT", "research-bot"};

    void addTo(QCommandLineParser& parser) const {
        parser.setApplicationDescription("Browse Caracal audit and decision traces.");
        parser.addHelpOption();
        parser.addOptions({version, zone, request, filter, palette, samplePath, benchmark, benchText});
        parser.addPositionalArgument("FILE", "Audit files to open.", "[FILE...]");
    }
};

void nameApplication() {
    QCoreApplication::setOrganizationName("Caracal");
    QCoreApplication::setApplicationName("Caracal Trace Console");
    QCoreApplication::setApplicationVersion(CARACAL_VERSION);
}

} // namespace

int main(int argc, char** argv) {
    // Questions that need no window are answered before a display is needed.
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--version" || arg == "-v") {
            std::printf("caracal-console %s (Qt %s), licensed under Apache-2.0\n", CARACAL_VERSION,
                        qVersion());
            return 0;
        }
        if (arg == "--sample-path") {
            QCoreApplication core(argc, argv);
            std::printf("%s\n", qPrintable(caracal::ui::MainWindow::samplePath()));
            return 0;
        }
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "-?") {
            QCoreApplication core(argc, argv);
            nameApplication();
            QCommandLineParser parser;
            ConsoleOptions().addTo(parser);
            std::fputs(qPrintable(parser.helpText()), stdout);
            return 0;
        }
    }
    QApplication app(argc, argv);
    nameApplication();
    QGuiApplication::setDesktopFileName("caracal-console");
    QApplication::setWindowIcon(caracal::ui::applicationIcon());

    QCommandLineParser parser;
    const ConsoleOptions options;
    options.addTo(parser);
    const QCommandLineOption &zone = options.zone, &request = options.request, &filter = options.filter,
                             &palette = options.palette, &benchmark = options.benchmark,
                             &benchText = options.benchText;
    parser.process(app);
    bool paletteOk = false;
    const auto mode = caracal::ui::paletteModeFromName(parser.value(palette), &paletteOk);
    if (!paletteOk) {
        std::fprintf(stderr, "caracal-console: --palette must be system, light or dark\n");
        return 2;
    }
    caracal::ui::applyPalette(mode);
    try { // the catalogs are compiled in; a broken one is a build defect worth saying plainly
        caracal::TroubleshootingCatalog::instance();
        caracal::DenyReasonCatalog::instance();
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, "Caracal Trace Console",
                              QString("The built-in catalog is damaged: %1").arg(e.what()));
        return 2;
    }

    caracal::ui::MainWindow window;
    if (parser.isSet(benchmark)) {
        if (parser.positionalArguments().size() != 1) {
            std::fprintf(stderr, "caracal-console: --benchmark needs one FILE\n");
            return 2;
        }
        window.show();
        return caracal::ui::runConsoleBenchmark(window, parser.positionalArguments().first(),
                                                parser.value(zone), parser.value(benchText));
    }
    window.setViewOptions(parser.value(filter), parser.value(request), parser.value(zone));
    window.show();
    QSettings settings;
    if (!parser.positionalArguments().isEmpty()) {
        window.openFiles(parser.positionalArguments());
    } else if (!settings.value("app/started").toBool()) {
        window.openSample(); // the first start shows the bundled sample, marked as such
    }
    settings.setValue("app/started", true);
    return app.exec();
}
