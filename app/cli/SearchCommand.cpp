#include "cli/CliCommon.h"
#include "cli/LedgerSource.h"
#include "cli/RemoteSource.h"
#include "input/FileFollower.h"
#include "input/InputPaths.h"
#include "load/CsvExport.h"
#include "load/ViewExport.h"
#include "query/FilterQuery.h"
#include "util/SourceBuffer.h"
#include "util/Timestamp.h"

#include <QDateTime>
#include <algorithm>
#include <csignal>
#include <unistd.h>

namespace caracal::cli {

namespace {

std::unique_ptr<FilterNode> anyOf(FilterKey key, const QStringList& values) {
    std::vector<std::unique_ptr<FilterNode>> terms;
    for (const QString& v : values)
        terms.push_back(FilterNode::term(key, v.toStdString()));
    if (terms.size() == 1) return std::move(terms.front());
    return FilterNode::group(FilterNode::Kind::Or, std::move(terms));
}

// Cuts to `width` display columns, counting UTF-8 sequences as one column each.
std::string fit(std::string_view s, size_t width) {
    std::string out;
    size_t cols = 0;
    for (size_t i = 0; i < s.size();) {
        size_t len = 1;
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xf0)
            len = 4;
        else if (c >= 0xe0)
            len = 3;
        else if (c >= 0xc0)
            len = 2;
        if (cols + 1 == width && i + len < s.size()) {
            out += "\xE2\x80\xA6"; // ellipsis
            return out + std::string(0, ' ');
        }
        out.append(s.substr(i, len));
        i += len;
        ++cols;
    }
    return out + std::string(width > cols ? width - cols : 0, ' ');
}

std::string firstCode(const EventStore& store, RowId row) {
    for (uint32_t t : store.tags(row))
        if (tagKind(t) == TagKind::Code) return std::string(store.str(t & kTagIdMask));
    return {};
}

// `header`: the title line (a ledger search prints it once, on its first page).
void printTable(const EventStore& store, const std::vector<RowId>& rows, Output& out, bool header = true) {
    struct Column {
        const char* title;
        size_t width;
        std::function<std::string(RowId)> text;
    };
    std::vector<Column> columns = {
        {"OCCURRED (UTC)", 27, [&](RowId r) { return formatUtcMicros(store.record(r).occurredAt); }},
        {"ZONE", 0, [&](RowId r) { return std::string(store.field(r, Field::Zone)); }},
        {"EVENT TYPE", 0, [&](RowId r) { return std::string(store.field(r, Field::EventType)); }},
        {"DECISION", 0, [&](RowId r) { return std::string(store.field(r, Field::Decision)); }},
        {"REQUEST ID", 0, [&](RowId r) { return std::string(store.field(r, Field::RequestId)); }},
        {"ACTOR", 0,
         [&](RowId r) {
             const auto name = store.field(r, Field::ApplicationName);
             return std::string(name.empty() ? store.field(r, Field::Application) : name);
         }},
        {"REASON", 0, [&](RowId r) { return firstCode(store, r); }},
    };
    for (auto& c : columns) {
        if (c.width) continue;
        c.width = std::string_view(c.title).size();
        for (RowId r : rows)
            c.width = std::max(c.width, c.text(r).size());
        c.width = std::min<size_t>(c.width, 40);
    }
    std::string line;
    for (size_t i = 0; i < columns.size(); ++i)
        line += (i ? "  " : "") + fit(columns[i].title, columns[i].width);
    if (header) out.write(line.substr(0, line.find_last_not_of(' ') + 1) + "\n");
    for (RowId r : rows) {
        line.clear();
        for (size_t i = 0; i < columns.size(); ++i)
            line += (i ? "  " : "") + fit(columns[i].text(r), columns[i].width);
        out.write(line.substr(0, line.find_last_not_of(' ') + 1) + "\n");
    }
}

// False (with a message) when an event could not be redacted.
bool printRows(const EventStore& store, const std::vector<RowId>& rows, const QString& fmt, bool header,
               bool redact, Output& out) {
    if (fmt == "table") {
        printTable(store, rows, out, header);
        return true;
    }
    ExportOptions options;
    options.format = fmt == "csv" ? ExportFormat::Csv : ExportFormat::JsonLines;
    options.redact = redact;
    options.csvHeader = header;
    const ExportOutcome outcome = exportRows(store, rows, options, [&out](std::string_view chunk) {
        out.write(chunk);
        return true;
    });
    if (outcome.error) printError(*outcome.error);
    return !outcome.error;
}

volatile std::sig_atomic_t g_interrupted = 0;

// search --follow: each poll's complete new lines are loaded on their own (memory stays bounded however long
// it runs), filtered and printed at once.
int followFile(const std::string& path, const FilterNode* root, const LoadOptions& options,
               const QString& fmt, bool redact, size_t maxRows) {
    std::signal(SIGINT, [](int) { g_interrupted = 1; });
    std::signal(SIGTERM, [](int) { g_interrupted = 1; });
    FileFollower follower(path);
    size_t printed = 0;
    bool first = true;
    std::string lastError;
    while (!g_interrupted && printed < maxRows) {
        FileFollower::Update u = follower.poll();
        if (!u.error.empty() && u.error != lastError) printError(u.error + " (still following)");
        lastError = u.error;
        if (u.restart == FileFollower::Restart::Truncated)
            printError(path + ": truncated; reading it again from the start");
        else if (u.restart == FileFollower::Restart::Rotated)
            printError(path + ": replaced (rotated); reading the new file from the start");
        if (!u.lines.empty()) {
            auto source = SourceBuffer::fromBytes(path, std::move(u.lines));
            EventStore store;
            LoadCallbacks cb;
            cb.batch = [&](LoadBatch&& b) {
                b.firstLine = b.firstLine + u.firstLine - 1;
                store.append(std::move(b));
            };
            loadBuffer(source, options, cb);
            store.finishLoading();
            for (const BadLine& bad : store.badLines())
                std::fprintf(stderr, "%s:%u: %s\n", path.c_str(), bad.line, bad.reason.c_str());
            auto compiled = FilterQuery::compile(root, store, QDateTime::currentMSecsSinceEpoch() * 1000);
            if (auto* error = std::get_if<FilterError>(&compiled)) {
                printError("--filter: " + error->text());
                return UsageError;
            }
            std::vector<RowId> rows = std::get<FilterQuery>(compiled).run();
            if (rows.size() > maxRows - printed) rows.resize(maxRows - printed);
            Output out;
            if (!printRows(store, rows, fmt, fmt == "csv" ? first : true, redact, out)) return UsageError;
            printed += rows.size();
            first = false;
        }
        if (printed >= maxRows) break;
        // Polling, as tail -f does without inotify: a quarter second between looks at the file.
        for (int i = 0; i < 5 && !g_interrupted; ++i)
            usleep(50 * 1000);
    }
    return printed ? Success : NoMatch;
}

} // namespace

int runSearch(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption zone("zone", "Only events of zone Z (repeat for several).", "Z");
    const QCommandLineOption request("request-id", "Only events of request R (repeat for several).", "R");
    const QCommandLineOption filter("filter", "A filter expression, as in the console's filter bar.", "EXPR");
    const QCommandLineOption format("format", "Output: jsonl (default), table or csv.", "jsonl|table|csv",
                                    "jsonl");
    const QCommandLineOption limit("limit", "Print at most N events.", "N");
    const QCommandLineOption follow("follow",
                                    "Keep reading FILE as it grows (tail -f): print new matching events as "
                                    "complete lines arrive, until interrupted. A truncated or replaced "
                                    "FILE is read again from its start.");
    const QCommandLineOption redact("redact",
                                    "Replace metadata values under Caracal's secret keys (token, password, "
                                    "session_id, ...) with \"[redacted]\", as Caracal's API does. Without "
                                    "it jsonl prints the events' own bytes.");
    parser.addOptions({zone, request, filter, format, limit, follow, redact});
    RemoteOptions remote;
    remote.addTo(parser);
    LedgerCliOptions ledger;
    ledger.addTo(parser);
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace search [--zone Z]... [--request-id R]... [--filter EXPR]\n"
            "                            [--format jsonl|table|csv] [--redact] [--limit N] [--follow] "
            "FILE...\n"
            "Prints matching events ordered by occurred_at, then id. Several --zone or --request-id\n"
            "values are alternatives; different options must all match.\n"
            "Filter: zone: request: type: decision: status: app: session: authority: resource: label:\n"
            "reason: policy: since: until:, free words, \"quotes\", -negation, OR, ( ). A value\n"
            "ending in * matches by prefix. Example: type:token_* decision:deny since:2h -zone:test\n"
            "From a deployment: --api URL --zone Z [--token-file F] (the token from the file or the\n"
            "CARACAL_ADMIN_TOKEN variable, never an argument); --audit-url URL reads the audit service "
            "instead.\n"
            "From the ledger itself: --pg CONNINFO (libpq, no password in it: ~/.pgpass or PGPASSFILE).\n",
            exit))
        return exit;

    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"jsonl", "table", "csv"})) return UsageError;
    size_t maxRows = SIZE_MAX;
    if (parser.isSet(limit)) {
        bool ok = false;
        const qlonglong n = parser.value(limit).toLongLong(&ok);
        if (!ok || n < 1) {
            printError("--limit must be a positive whole number, not '" + parser.value(limit).toStdString() +
                       "'");
            return UsageError;
        }
        maxRows = static_cast<size_t>(n);
    }
    const bool fromRemote = remote.used(parser) || ledger.used(parser);
    if (ledger.used(parser) && (remote.used(parser) || !parser.positionalArguments().isEmpty())) {
        printError("--pg reads the ledger instead of FILEs, --api or --audit-url: choose one source");
        return UsageError;
    }
    const QStringList files = inputFiles(parser);
    if (files.isEmpty() && !fromRemote) {
        printError("search needs at least one FILE, or events on standard input (see --help)");
        return UsageError;
    }
    if (parser.isSet(follow) &&
        (fromRemote || files.size() != 1 || isStreamInput(files.first().toStdString()))) {
        printError("--follow reads one local FILE (a pipe is followed already: it is read until it closes)");
        return UsageError;
    }
    RemoteConnection connection;
    if (remote.used(parser) && !remoteConnection(parser, remote, parser.values(zone), connection))
        return UsageError;
    for (const auto* opt : {&zone, &request})
        for (const QString& v : parser.values(*opt))
            if (v.isEmpty()) {
                printError("--" + opt->names().first().toStdString() + " needs a non-empty value");
                return UsageError;
            }

    std::vector<std::unique_ptr<FilterNode>> all;
    ParsedFilter parsed = parseFilter(parser.value(filter).toStdString());
    if (parsed.error) {
        const std::string expr = parser.value(filter).toStdString();
        printError("--filter: " + parsed.error->text());
        std::fprintf(stderr, "  %s\n  %s^\n", expr.c_str(), std::string(parsed.error->position, ' ').c_str());
        return UsageError;
    }
    const QStringList requestIds = parser.values(request);
    if (!requestIds.isEmpty()) all.push_back(anyOf(FilterKey::Request, requestIds));
    if (parser.isSet(zone)) all.push_back(anyOf(FilterKey::Zone, parser.values(zone)));
    if (parsed.root) all.push_back(std::move(parsed.root));

    // A request-id search only needs rows that contain one of the ids literally.
    LoadOptions options;
    if (!requestIds.isEmpty() && std::all_of(requestIds.begin(), requestIds.end(), [](const QString& r) {
            return isRawSearchable(r.toStdString());
        }))
        for (const QString& r : requestIds)
            options.prefilter.push_back(r.toStdString());

    std::unique_ptr<FilterNode> root;
    if (all.size() == 1)
        root = std::move(all.front());
    else if (all.size() > 1)
        root = FilterNode::group(FilterNode::Kind::And, std::move(all));

    if (ledger.used(parser))
        return searchLedger(parser, ledger, parser.values(zone), root.get(), maxRows,
                            [&](const EventStore& page, const std::vector<RowId>& rows, bool first) {
                                Output out;
                                printRows(page, rows, fmt, first, parser.isSet(redact), out);
                            });
    if (parser.isSet(follow))
        return followFile(files.first().toStdString(), root.get(), options, fmt, parser.isSet(redact),
                          maxRows);

    EventStore store;
    const bool readable = fromRemote ? loadRemote(store, parser, remote, connection, root.get())
                                     : loadReporting(store, files, options);

    auto compiled = FilterQuery::compile(root.get(), store, QDateTime::currentMSecsSinceEpoch() * 1000);
    if (auto* error = std::get_if<FilterError>(&compiled)) {
        printError("--filter: " + error->text());
        return UsageError;
    }
    std::vector<RowId> rows = std::get<FilterQuery>(compiled).run();
    if (rows.size() > maxRows) rows.resize(maxRows);

    Output out;
    const bool written = printRows(store, rows, fmt, true, parser.isSet(redact), out);
    out.flush();
    if (!readable || !written) return UsageError;
    return rows.empty() ? NoMatch : Success;
}

} // namespace caracal::cli
