#include "cli/CliCommon.h"
#include "cli/LedgerSource.h"
#include "query/FilterQuery.h"
#include "statistics/FieldStatistics.h"
#include "store/StoreStats.h"

#include <QDateTime>

namespace caracal::cli {

namespace {

std::string fieldNames() {
    std::string names;
    for (StatisticsField f : allStatisticsFields()) {
        if (!names.empty()) names += '|';
        names += statisticsFieldName(f);
    }
    return names;
}

} // namespace

int runStats(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption format("format", "Output format: text (default) or json.", "json|text", "text");
    const QCommandLineOption by(
        "by", QString::fromStdString("Count events by one field: " + fieldNames() + "."), "FIELD");
    const QCommandLineOption top("top", "With --by: only the N most frequent values.", "N");
    const QCommandLineOption filter("filter", "With --by: count only events matching a filter expression.",
                                    "EXPR");
    const QCommandLineOption zone("zone", "With --pg: count only zone Z (repeatable).", "Z");
    parser.addOptions({format, by, top, filter, zone});
    LedgerCliOptions ledger;
    ledger.addTo(parser);
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    const std::string usage =
        "Usage: caracal-trace stats [--by " + fieldNames() +
        "] [--top N] [--filter EXPR] [--format json|text] FILE...\n"
        "       caracal-trace stats --pg CONNINFO [--zone Z]... [--format json|text]\n"
        "Counts events by zone, decision and event type, or by one field with --by. Every "
        "line is parsed and checked.\n"
        "With --pg the ledger counts them itself (one GROUP BY; no row is loaded).\n";
    if (!parseOptions(parser, args, usage.c_str(), exit)) return exit;
    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"json", "text"})) return UsageError;
    if (ledger.used(parser)) {
        if (!parser.positionalArguments().isEmpty()) {
            printError("--pg reads the ledger instead of FILEs: choose one");
            return UsageError;
        }
        if (parser.isSet(by) || parser.isSet(top) || parser.isSet(filter)) {
            printError(
                "--by, --top and --filter count loaded events; with --pg, stats counts the plain summary");
            return UsageError;
        }
        return statsLedger(parser, ledger, parser.values(zone), fmt == "json");
    }
    if (parser.isSet(zone)) {
        printError("--zone goes with --pg (for files, use --by with --filter zone:Z, or search --zone)");
        return UsageError;
    }
    std::optional<StatisticsField> field;
    if (parser.isSet(by)) {
        field = statisticsFieldFromName(parser.value(by).toStdString());
        if (!field) {
            printError("--by: unknown field \"" + parser.value(by).toStdString() + "\"; expected one of " +
                       fieldNames());
            return UsageError;
        }
    } else if (parser.isSet(top) || parser.isSet(filter)) {
        printError(std::string("--") + (parser.isSet(top) ? "top" : "filter") + " needs --by FIELD");
        return UsageError;
    }
    size_t topRows = 0;
    if (parser.isSet(top)) {
        bool ok = false;
        const qlonglong n = parser.value(top).toLongLong(&ok);
        if (!ok || n < 1) {
            printError("--top: expected a whole number of at least 1, not \"" +
                       parser.value(top).toStdString() + "\"");
            return UsageError;
        }
        topRows = static_cast<size_t>(n);
    }
    ParsedFilter parsed = parseFilter(parser.value(filter).toStdString());
    if (parsed.error) {
        const std::string expr = parser.value(filter).toStdString();
        printError("--filter: " + parsed.error->text());
        std::fprintf(stderr, "  %s\n  %s^\n", expr.c_str(), std::string(parsed.error->position, ' ').c_str());
        return UsageError;
    }
    const QStringList files = inputFiles(parser);
    if (files.isEmpty()) {
        printError("stats needs at least one FILE (see --help)");
        return UsageError;
    }
    EventStore store;
    const bool readable = loadReporting(store, files);
    Output out;
    if (!field) { // the plain summary, unchanged
        const StoreStats stats = computeStats(store);
        if (fmt == "json")
            out.write(statsToJson(stats).dump() + "\n");
        else
            out.write(statsToText(stats, files.size()));
        if (!readable) return UsageError;
        return stats.events > 0 ? Success : NoMatch;
    }
    auto compiled =
        FilterQuery::compile(parsed.root.get(), store, QDateTime::currentMSecsSinceEpoch() * 1000);
    if (auto* error = std::get_if<FilterError>(&compiled)) {
        printError("--filter: " + error->text());
        return UsageError;
    }
    std::vector<RowId> rows;
    const bool filtered = parsed.root != nullptr;
    if (filtered) rows = std::get<FilterQuery>(compiled).run();
    StatisticsOptions options;
    options.by = *field;
    const StatisticsTable table = computeFieldStatistics(store, options, filtered ? &rows : nullptr);
    if (fmt == "json")
        out.write(statisticsToJson(table, topRows).dump() + "\n");
    else
        out.write(statisticsToText(table, topRows));
    if (!readable) return UsageError;
    return table.events > 0 ? Success : NoMatch;
}

} // namespace caracal::cli
