// caracal-trace: the console's engine without a display, for scripts, CI jobs and incident bundles.
#include "catalog/TroubleshootingCatalog.h"
#include "cli/CliCommon.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <cstring>
#include <memory>

namespace {

const char* kUsage =
    "Usage: caracal-trace <command> [options] FILE...\n"
    "\n"
    "Reads Caracal audit events (JSON lines, Go audit-search rows or pages, API pages, by-request arrays,\n"
    "explain traces, CSV exports) and answers questions about them.\n"
    "\n"
    "Commands:\n"
    "  search   print the events that match (--zone, --request-id, --filter), ordered by occurred_at, id\n"
    "  stats    count events by zone, decision and event type, or --by one field (application, reason, ...)\n"
    "  timeline count events per time bucket and decision\n"
    "  explain  how one request flowed and why it ended as it did\n"
    "  graph    delegation chains of a request or a zone as DOT, JSON or SVG\n"
    "  errors   explain an error code or deny reason and its troubleshooting rows\n"
    "  setup-check  readiness of each service and the profile with its secret file\n"
    "  verify   check Caracal's per-zone hash chains: what was edited, deleted, reordered or forged\n"
    "\n"
    "Run 'caracal-trace <command> --help' for a command's options.\n"
    "Exit status: 0 results, 1 no match, 2 usage error or unreadable input, 3 tampering found.\n";

} // namespace

int main(int argc, char** argv) {
    // Drawing SVG needs fonts, so `graph` gets a GUI application on the offscreen platform: never a display.
    const bool drawing = argc > 1 && std::strcmp(argv[1], "graph") == 0;
    if (drawing) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        // Qt's note about a missing runtime directory means nothing to a command-line user.
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (!message.startsWith("QStandardPaths:")) std::fprintf(stderr, "%s\n", qPrintable(message));
            if (type == QtFatalMsg) std::abort();
        });
    }
    std::unique_ptr<QCoreApplication> app = drawing ? std::make_unique<QGuiApplication>(argc, argv)
                                                    : std::make_unique<QCoreApplication>(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        std::fputs(kUsage, stderr);
        return caracal::cli::UsageError;
    }
    const QString command = args.takeFirst();
    if (command == "--version" || command == "-V") {
        std::printf("caracal-trace %s\n", CARACAL_VERSION);
        return caracal::cli::Success;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return caracal::cli::Success;
    }
    if (command == "search") return caracal::cli::runSearch(args);
    if (command == "stats") return caracal::cli::runStats(args);
    if (command == "timeline") return caracal::cli::runTimeline(args);
    if (command == "explain") return caracal::cli::runExplain(args);
    if (command == "graph") return caracal::cli::runGraph(args);
    if (command == "setup-check") return caracal::cli::runSetupCheck(args);
    if (command == "verify") return caracal::cli::runVerify(args);
    if (command == "errors") {
        try {
            caracal::TroubleshootingCatalog::instance();
        } catch (const std::exception& e) {
            caracal::cli::printError(std::string("the built-in catalog is damaged: ") + e.what());
            return caracal::cli::UsageError;
        }
        return caracal::cli::runErrors(args);
    }
    caracal::cli::printError("unknown command '" + command.toStdString() + "' (see caracal-trace --help)");
    return caracal::cli::UsageError;
}
