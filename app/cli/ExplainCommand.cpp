#include "cli/CliCommon.h"
#include "cli/LedgerSource.h"
#include "cli/RemoteSource.h"
#include "remote/AuditListing.h"
#include "trace/ExplainComparison.h"
#include "trace/RequestTrace.h"

#include <QFile>
#include <algorithm>

namespace caracal::cli {

int runExplain(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption request("request-id", "The request to explain.", "R");
    const QCommandLineOption zone("zone", "Its zone (needed when the id is in several zones).", "Z");
    const QCommandLineOption format("format", "Output: text (default) or json.", "json|text", "text");
    const QCommandLineOption compare(
        "compare", "With --api: also fetch Caracal's own explain and list every difference.");
    const QCommandLineOption noRedact(
        "no-redact", "Print metadata values raw; by default the 17 keys Caracal's explain redacts print as "
                     "\"[redacted]\".");
    parser.addOptions({request, zone, format, compare, noRedact});
    RemoteOptions remote;
    remote.addTo(parser);
    LedgerCliOptions ledger;
    ledger.addTo(parser);
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace explain --request-id R [--zone Z] [--format json|text] FILE...\n"
            "Explains how a request flowed and why it ended as it did. --format json prints Caracal's\n"
            "DecisionTrace (request_id, zone_id, final_decision, denied with policy_input, events) plus\n"
            "surfaces, missing, step_up, codes and policy_versions. From a deployment: --api URL --zone Z\n"
            "[--token-file F] reads the request's events through by-request; --compare also fetches\n"
            "Caracal's own explain and lists where it differs from ours (caracal_differences in JSON).\n"
            "Metadata is redacted as Caracal's explain redacts it (17 keys, any depth) unless --no-redact.\n"
            "A saved Caracal explain response among the FILEs keeps its own denied[] (with policy_input).\n"
            "From the ledger: --pg CONNINFO [--zone Z] reads the request's rows directly.\n",
            exit))
        return exit;
    if (!checkFormat(parser.value(format), {"json", "text"})) return UsageError;
    if (!parser.isSet(request) || parser.value(request).isEmpty()) {
        printError("explain needs --request-id (see --help)");
        return UsageError;
    }
    const std::string requestId = parser.value(request).toStdString();
    TraceOutputOptions outputOptions;
    outputOptions.redact = !parser.isSet(noRedact);
    if (ledger.used(parser)) {
        if (remote.used(parser) || !parser.positionalArguments().isEmpty()) {
            printError("--pg reads the ledger instead of FILEs, --api or --audit-url: choose one source");
            return UsageError;
        }
        EventStore store;
        std::string zoneId = parser.value(zone).toStdString();
        if (const int rc = loadLedgerRequest(parser, ledger, requestId, store, zoneId); rc != Success)
            return rc;
        auto trace = buildRequestTrace(store, zoneId, requestId);
        Output out;
        out.write(parser.value(format) == "json" ? traceToJson(*trace, store, outputOptions).dump(2) + "\n"
                                                 : traceToText(*trace, store, outputOptions));
        return Success;
    }
    if (remote.used(parser)) {
        RemoteConnection connection;
        if (parser.isSet(remote.auditUrl)) {
            printError("explain reads a request through the Caracal API: use --api");
            return UsageError;
        }
        if (!remoteConnection(parser, remote, parser.values(zone), connection)) return UsageError;
        if (connection.zones.size() != 1) {
            printError("explain --api needs exactly one --zone");
            return UsageError;
        }
        EventStore store;
        bool notFound = false;
        if (!loadRemoteRequest(store, connection, connection.zones.front(), requestId, notFound))
            return UsageError;
        auto trace = notFound ? std::nullopt : buildRequestTrace(store, connection.zones.front(), requestId);
        if (!trace) {
            printError("request " + requestId + " is not in zone " + connection.zones.front());
            return NoMatch;
        }
        nlohmann::ordered_json json = traceToJson(*trace, store, outputOptions);
        std::string text =
            parser.value(format) == "json" ? std::string() : traceToText(*trace, store, outputOptions);
        if (parser.isSet(compare)) {
            auto fetcher = makeFetcher(connection);
            if (!fetcher) return UsageError;
            const CaracalExplain theirs = fetchCaracalExplain(*fetcher, connection.zones.front(), requestId);
            if (theirs.error) {
                reportError(*theirs.error);
                return UsageError;
            }
            const auto differences = compareExplain(json, theirs.trace);
            json["caracal_differences"] = differencesToJson(differences);
            text += differences.empty() ? "\nCaracal's own explain says the same.\n"
                                        : "\nWhere Caracal's own explain differs (" +
                                              std::to_string(differences.size()) + "):\n";
            for (const auto& d : differences)
                text += "  " + d.path + "\n    ours:     " + d.ours + "\n    Caracal's: " + d.caracals +
                        (d.why.empty() ? "" : "\n    why:      " + d.why) + "\n";
        }
        Output out;
        out.write(parser.value(format) == "json" ? json.dump(2) + "\n" : text);
        return Success;
    }
    const QStringList files = inputFiles(parser);
    if (files.isEmpty()) {
        printError("explain needs at least one FILE (see --help)");
        return UsageError;
    }
    // Standard input and FIFOs are read once: then the whole input is loaded and never read again.
    const bool readOnce = anyStreamInput(files);
    LoadOptions options;
    if (isRawSearchable(requestId) && !readOnce) options.prefilter = {requestId}; // plus challenge ids below
    EventStore store;
    bool readable = loadReporting(store, files, options);

    std::vector<std::string> zones = zonesOfRequest(store, requestId);
    if (parser.isSet(zone)) {
        const std::string z = parser.value(zone).toStdString();
        zones.erase(std::remove_if(zones.begin(), zones.end(), [&](const std::string& s) { return s != z; }),
                    zones.end());
    }
    if (zones.empty()) {
        printError("request " + requestId + " is not in the data" +
                   (parser.isSet(zone) ? " of zone " + parser.value(zone).toStdString() : std::string()));
        return readable ? NoMatch : UsageError;
    }
    if (zones.size() > 1) {
        std::string list;
        for (const auto& z : zones)
            list += (list.empty() ? "" : ", ") + z;
        printError("request " + requestId + " is in several zones (" + list + "); choose one with --zone");
        return UsageError;
    }
    // A saved Caracal explain of this request is the answer for denied[]: its events are already redacted.
    for (const QString& f : parser.positionalArguments()) {
        QFile file(f);
        if (file.size() > (64 << 20) || !file.open(QIODevice::ReadOnly)) continue;
        const QByteArray bytes = file.readAll();
        if (auto saved = parseSavedExplain(std::string_view(bytes.constData(), size_t(bytes.size())));
            saved && saved->requestId == requestId && (saved->zone.empty() || saved->zone == zones.front()))
            outputOptions.savedDenied = saved->denied;
    }
    // Approval decisions are stored under their challenge ids: load those rows too when the first pass
    // skipped them.
    if (!options.prefilter.empty()) {
        std::vector<std::string> challenges;
        for (RowId r : store.rowsWith(Field::RequestId, requestId)) {
            const auto ev = store.event(r);
            if (ev.contains("metadata_json") && ev["metadata_json"].is_object() &&
                ev["metadata_json"].contains("challenge_id") &&
                ev["metadata_json"]["challenge_id"].is_string())
                challenges.push_back(ev["metadata_json"]["challenge_id"].get<std::string>());
        }
        if (!challenges.empty() && !readOnce) {
            options.prefilter.insert(options.prefilter.end(), challenges.begin(), challenges.end());
            EventStore wider;
            std::vector<std::string> paths;
            for (const QString& f : files)
                paths.push_back(f.toStdString());
            loadIntoStore(wider, paths, options);
            auto trace = buildRequestTrace(wider, zones.front(), requestId);
            Output out;
            out.write(parser.value(format) == "json"
                          ? traceToJson(*trace, wider, outputOptions).dump(2) + "\n"
                          : traceToText(*trace, wider, outputOptions));
            return readable ? Success : UsageError;
        }
    }
    auto trace = buildRequestTrace(store, zones.front(), requestId);
    Output out;
    out.write(parser.value(format) == "json" ? traceToJson(*trace, store, outputOptions).dump(2) + "\n"
                                             : traceToText(*trace, store, outputOptions));
    return readable ? Success : UsageError;
}

} // namespace caracal::cli
