#include "cli/CliCommon.h"
#include "cli/RemoteSource.h"
#include "remote/AuditListing.h"
#include "trace/ExplainComparison.h"
#include "trace/RequestTrace.h"

#include <algorithm>

namespace caracal::cli {

int runExplain(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption request("request-id", "The request to explain.", "R");
    const QCommandLineOption zone("zone", "Its zone (needed when the id is in several zones).", "Z");
    const QCommandLineOption format("format", "Output: text (default) or json.", "json|text", "text");
    const QCommandLineOption compare(
        "compare", "With --api: also fetch Caracal's own explain and list every difference.");
    parser.addOptions({request, zone, format, compare});
    RemoteOptions remote;
    remote.addTo(parser);
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace explain --request-id R [--zone Z] [--format json|text] FILE...\n"
            "Explains how a request flowed and why it ended as it did. --format json prints Caracal's\n"
            "DecisionTrace (request_id, zone_id, final_decision, denied with policy_input, events) plus\n"
            "surfaces, missing, step_up, codes and policy_versions. From a deployment: --api URL --zone Z\n"
            "[--token-file F] reads the request's events through by-request; --compare also fetches\n"
            "Caracal's own explain and lists where it differs from ours (caracal_differences in JSON).\n",
            exit))
        return exit;
    if (!checkFormat(parser.value(format), {"json", "text"})) return UsageError;
    if (!parser.isSet(request) || parser.value(request).isEmpty()) {
        printError("explain needs --request-id (see --help)");
        return UsageError;
    }
    const std::string requestId = parser.value(request).toStdString();
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
        nlohmann::ordered_json json = traceToJson(*trace, store);
        std::string text = parser.value(format) == "json" ? std::string() : traceToText(*trace, store);
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
    if (parser.positionalArguments().isEmpty()) {
        printError("explain needs at least one FILE (see --help)");
        return UsageError;
    }
    LoadOptions options;
    if (isRawSearchable(requestId)) options.prefilter = {requestId}; // plus challenge ids below when needed
    EventStore store;
    bool readable = loadReporting(store, parser.positionalArguments(), options);

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
        if (!challenges.empty()) {
            options.prefilter.insert(options.prefilter.end(), challenges.begin(), challenges.end());
            EventStore wider;
            std::vector<std::string> paths;
            for (const QString& f : parser.positionalArguments())
                paths.push_back(f.toStdString());
            loadIntoStore(wider, paths, options);
            auto trace = buildRequestTrace(wider, zones.front(), requestId);
            Output out;
            out.write(parser.value(format) == "json" ? traceToJson(*trace, wider).dump(2) + "\n"
                                                     : traceToText(*trace, wider));
            return readable ? Success : UsageError;
        }
    }
    auto trace = buildRequestTrace(store, zones.front(), requestId);
    Output out;
    out.write(parser.value(format) == "json" ? traceToJson(*trace, store).dump(2) + "\n"
                                             : traceToText(*trace, store));
    return readable ? Success : UsageError;
}

} // namespace caracal::cli
