#include "cli/CliCommon.h"
#include "query/FilterQuery.h"
#include "timeline/TimelineFormat.h"

#include <QDateTime>

namespace caracal::cli {

int runTimeline(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption bucket("bucket", "Bucket size: 1s, 1m, 5m, 1h, 1d or auto (the default).",
                                    "1s|1m|5m|1h|1d|auto", "auto");
    const QCommandLineOption filter("filter", "A filter expression, as in the console's filter bar.", "EXPR");
    const QCommandLineOption zone("zone", "Only events of zone Z (repeat for several).", "Z");
    const QCommandLineOption format("format", "Output format: text (default) or json.", "json|text", "text");
    parser.addOptions({bucket, filter, zone, format});
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(parser, args,
                      "Usage: caracal-trace timeline [--bucket 1s|1m|5m|1h|1d|auto] [--filter EXPR] "
                      "[--zone Z]...\n"
                      "                              [--format json|text] FILE...\n"
                      "Counts the matching events per time bucket and decision. Buckets are aligned to\n"
                      "multiples of their size since the Unix epoch (UTC) and run from the first event's\n"
                      "bucket to the last's, empty ones included. auto picks the smallest of 1s 5s 10s 30s\n"
                      "1m 5m 10m 30m 1h 3h 6h 12h 1d ... that gives at most 100 buckets.\n",
                      exit))
        return exit;
    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"json", "text"})) return UsageError;
    TimelineOptions options;
    const QString size = parser.value(bucket);
    if (size != "auto") {
        static const QStringList allowed = {"1s", "1m", "5m", "1h", "1d"};
        if (!allowed.contains(size)) {
            printError("--bucket must be one of 1s, 1m, 5m, 1h, 1d or auto, not '" + size.toStdString() +
                       "'");
            return UsageError;
        }
        options.bucketSeconds = *parseBucketSize(size.toStdString());
    }
    for (const QString& z : parser.values(zone))
        if (z.isEmpty()) {
            printError("--zone needs a non-empty value");
            return UsageError;
        }
    const std::string expr = parser.value(filter).toStdString();
    ParsedFilter parsed = parseFilter(expr);
    if (parsed.error) {
        printError("--filter: " + parsed.error->text());
        std::fprintf(stderr, "  %s\n  %s^\n", expr.c_str(), std::string(parsed.error->position, ' ').c_str());
        return UsageError;
    }
    const QStringList files = inputFiles(parser);
    if (files.isEmpty()) {
        printError("timeline needs at least one FILE, or events on standard input (see --help)");
        return UsageError;
    }

    std::vector<std::unique_ptr<FilterNode>> all;
    if (parser.isSet(zone)) {
        std::vector<std::unique_ptr<FilterNode>> zones;
        for (const QString& z : parser.values(zone))
            zones.push_back(FilterNode::term(FilterKey::Zone, z.toStdString()));
        all.push_back(zones.size() == 1 ? std::move(zones.front())
                                        : FilterNode::group(FilterNode::Kind::Or, std::move(zones)));
    }
    if (parsed.root) all.push_back(std::move(parsed.root));
    std::unique_ptr<FilterNode> root;
    if (all.size() == 1)
        root = std::move(all.front());
    else if (all.size() > 1)
        root = FilterNode::group(FilterNode::Kind::And, std::move(all));

    EventStore store;
    const bool readable = loadReporting(store, files);
    auto compiled = FilterQuery::compile(root.get(), store, QDateTime::currentMSecsSinceEpoch() * 1000);
    if (auto* error = std::get_if<FilterError>(&compiled)) {
        printError("--filter: " + error->text());
        return UsageError;
    }
    const std::vector<RowId> rows = std::get<FilterQuery>(compiled).run();
    auto computed = computeTimeline(store, rows, options);
    if (auto* error = std::get_if<TimelineError>(&*computed)) {
        printError(error->message);
        return UsageError;
    }
    const Timeline& timeline = std::get<Timeline>(*computed);
    Output out;
    out.write(fmt == "json" ? timelineToJson(timeline).dump() + "\n" : timelineToText(timeline));
    out.flush();
    if (!readable) return UsageError;
    return rows.empty() ? NoMatch : Success;
}

} // namespace caracal::cli
