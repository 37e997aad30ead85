#include "cli/CliCommon.h"
#include "cli/LedgerSource.h"
#include "store/StoreStats.h"

namespace caracal::cli {

int runStats(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption format("format", "Output format: text (default) or json.", "json|text", "text");
    parser.addOption(format);
    const QCommandLineOption zone("zone", "With --pg: count only zone Z (repeatable).", "Z");
    parser.addOption(zone);
    LedgerCliOptions ledger;
    ledger.addTo(parser);
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(parser, args,
                      "Usage: caracal-trace stats [--format json|text] FILE...\n"
                      "       caracal-trace stats --pg CONNINFO [--zone Z]... [--format json|text]\n"
                      "Counts events by zone, decision and event type. Every line is parsed and checked.\n"
                      "With --pg the ledger counts them itself (one GROUP BY; no row is loaded).\n",
                      exit))
        return exit;
    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"json", "text"})) return UsageError;
    if (ledger.used(parser)) {
        if (!parser.positionalArguments().isEmpty()) {
            printError("--pg reads the ledger instead of FILEs: choose one");
            return UsageError;
        }
        return statsLedger(parser, ledger, parser.values(zone), fmt == "json");
    }
    if (parser.isSet(zone)) {
        printError("--zone goes with --pg (for files, use search --zone or the console)");
        return UsageError;
    }
    const QStringList files = inputFiles(parser);
    if (files.isEmpty()) {
        printError("stats needs at least one FILE (see --help)");
        return UsageError;
    }
    EventStore store;
    const bool readable = loadReporting(store, files);
    const StoreStats stats = computeStats(store);
    Output out;
    if (fmt == "json")
        out.write(statsToJson(stats).dump() + "\n");
    else
        out.write(statsToText(stats, files.size()));
    if (!readable) return UsageError;
    return stats.events > 0 ? Success : NoMatch;
}

} // namespace caracal::cli
