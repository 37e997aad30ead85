#include "cli/CliCommon.h"
#include "graph/GraphExport.h"
#include "graph/LayeredLayout.h"
#include "render/GraphPainter.h"
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
    if (parser.positionalArguments().isEmpty() && !parser.isSet(coordinator)) {
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
    bool readable =
        parser.positionalArguments().isEmpty() || loadReporting(store, parser.positionalArguments());
    const std::string zoneName = parser.value(zone).toStdString();
    std::vector<RowId> rows = byRequest
                                  ? graphRowsForRequest(store, parser.value(request).toStdString(), zoneName)
                                  : graphRowsForZone(store, zoneName);
    DelegationGraph graph = DelegationGraph::fromEvents(store, rows);
    for (const QString& path : parser.values(coordinator)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            printError(path.toStdString() + ": cannot read (" + file.errorString().toStdString() + ")");
            return UsageError;
        }
        const QByteArray bytes = file.readAll();
        const MergeResult merged =
            graph.mergeCoordinator({bytes.constData(), size_t(bytes.size())}, path.toStdString());
        if (merged.error) {
            printError(*merged.error);
            return UsageError;
        }
    }
    graph.nameApplications(store);
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
        out.write(graphToJson(graph, now).dump(2) + "\n");
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
