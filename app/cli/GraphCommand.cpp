#include "cli/CliCommon.h"
#include "graph/GraphExport.h"
#include "graph/LayeredLayout.h"
#include "render/GraphPainter.h"
#include "util/CountText.h"
#include "util/Timestamp.h"

#include <QDateTime>
#include <QFile>
#include <QFontDatabase>

namespace caracal::cli {

int runGraph(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption request("request-id", "The graph of one request's chains.", "R");
    const QCommandLineOption zone("zone", "The union of a zone's chains (or the request's zone).", "Z");
    const QCommandLineOption coordinator("coordinator",
                                         "Coordinator delegation JSON to merge (active or inbound/outbound "
                                         "list, traverse, impact, created edge). "
                                         "May be repeated.",
                                         "FILE");
    const QCommandLineOption at("at", "Judge expiry at this RFC 3339 time instead of now.", "TIME");
    const QCommandLineOption format("format", "Output: dot (default), json or svg.", "dot|json|svg", "dot");
    parser.addOptions({request, zone, coordinator, at, format});
    parser.addPositionalArgument("FILE", "Audit files to read.", "FILE...");
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace graph (--request-id R | --zone Z) [--coordinator FILE]... "
            "[--format dot|json|svg] FILE...\n"
            "Draws the delegation chains of a request, or the union of a zone's chains: nodes are "
            "Sessions,\nedges delegation edges. --format json prints {\"nodes\": [{\"id\", "
            "\"application_id\", \"label\", \"kind\"}],\n\"edges\": [{\"source\", \"target\", "
            "\"delegation_edge_id\", \"hop\", \"status\"}]}. Status is unknown unless Coordinator\ndata "
            "says otherwise. Exit 1 when nothing matches.\n",
            exit))
        return exit;
    if (!checkFormat(parser.value(format), {"dot", "json", "svg"})) return UsageError;
    const bool byRequest = parser.isSet(request) && !parser.value(request).isEmpty();
    const bool byZone = parser.isSet(zone) && !parser.value(zone).isEmpty();
    if (!byRequest && !byZone) {
        printError("graph needs --request-id or --zone (see --help)");
        return UsageError;
    }
    // Standard input is the events only when neither a FILE nor --coordinator is named.
    const QStringList files = parser.isSet(coordinator) ? parser.positionalArguments() : inputFiles(parser);
    if (files.isEmpty() && !parser.isSet(coordinator)) {
        printError("graph needs at least one FILE or --coordinator FILE (see --help)");
        return UsageError;
    }
    int64_t now = QDateTime::currentMSecsSinceEpoch() * 1000;
    if (parser.isSet(at)) {
        auto parsed = parseRfc3339Micros(parser.value(at).toStdString());
        if (!parsed) {
            printError("--at needs an RFC 3339 time such as 2026-11-14T10:00:00Z, not '" +
                       parser.value(at).toStdString() + "'");
            return UsageError;
        }
        now = *parsed;
    }

    EventStore store;
    bool readable = files.isEmpty() || loadReporting(store, files);
    const std::string zoneName = parser.value(zone).toStdString();
    std::vector<RowId> rows = byRequest
                                  ? graphRowsForRequest(store, parser.value(request).toStdString(), zoneName)
                                  : graphRowsForZone(store, zoneName);
    DelegationGraph graph = DelegationGraph::fromEvents(store, rows);
    if (!zoneName.empty()) graph.setZone(zoneName); // Coordinator rows of other zones stay out
    for (const QString& path : parser.values(coordinator)) {
        std::string bytes, error;
        if (!readInput(path.toStdString(), bytes, error)) {
            printError(error);
            return UsageError;
        }
        const MergeResult merged = graph.mergeCoordinator(bytes, path.toStdString());
        if (merged.error) {
            printError(*merged.error);
            return UsageError;
        }
    }
    graph.nameApplications(store);
    // Edges used after they were revoked or expired: findings, with the events that did it.
    auto findings = nlohmann::ordered_json::array();
    for (size_t e = 0; e < graph.edges().size(); ++e)
        if (const auto late = graph.lateUse(e, store)) {
            auto ids = nlohmann::ordered_json::array(), allowed = nlohmann::ordered_json::array();
            for (RowId r : late->events)
                ids.push_back(store.eventId(r));
            for (RowId r : late->allowed)
                allowed.push_back(store.eventId(r));
            findings.push_back({{"kind", "used_after_" + late->cause},
                                {"edge_id", graph.edges()[e].id},
                                {"ended_at", late->endedAt},
                                {"events_after", late->events.size()},
                                {"allowed_after", late->allowed.size()},
                                {"event_ids", ids},
                                {"allowed_event_ids", allowed}});
            graph.addNote("edge " + graph.edges()[e].id + " " + late->cause + " at " + late->endedAt +
                          ", yet " + countText(late->events.size(), "event", "events") +
                          " used it afterwards, " + std::to_string(late->allowed.size()) +
                          " of them allowed.");
        }
    for (const std::string& note : graph.notes())
        std::fprintf(stderr, "caracal-trace: note: %s\n", note.c_str());
    if (graph.edges().empty()) {
        printError(byRequest ? "request " + parser.value(request).toStdString() + " used no delegation chain"
                             : "zone " + zoneName + " has no delegation chain in the data");
        return readable ? NoMatch : UsageError;
    }
    const std::vector<size_t> path = byRequest ? graph.edgesUsedBy(rows) : std::vector<size_t>{};
    Output out;
    if (parser.value(format) == "json") {
        auto j = graphToJson(graph, now);
        j["findings"] = findings;
        out.write(j.dump(2) + "\n");
    } else if (parser.value(format) == "dot") {
        out.write(graphToDot(graph, now));
    } else {
        const GraphPainter painter(graph, GraphPalette::light(),
                                   QFontDatabase::systemFont(QFontDatabase::GeneralFont));
        const GraphScene scene = painter.layout(LayeredLayout(), LayoutInput::Direction::LeftToRight);
        GraphPaintState state;
        state.nowMicros = now;
        const QString title = byRequest ? "Delegation graph of request " + parser.value(request)
                                        : "Delegation graph of zone " + parser.value(zone);
        const QByteArray svg = painter.toSvg(scene, state, title);
        out.write({svg.constData(), size_t(svg.size())});
    }
    return readable ? Success : UsageError;
}

} // namespace caracal::cli
