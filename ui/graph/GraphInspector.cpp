#include "graph/GraphInspector.h"

#include "common/StatusPalette.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "util/Timestamp.h"

#include <QApplication>

namespace caracal::ui {

namespace {
QString h(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}
QString h(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size())).toHtmlEscaped();
}
QString row(const QString& label, const QString& valueHtml) {
    return "<tr><td class='k'>" + label.toHtmlEscaped() + "</td><td>" + valueHtml + "</td></tr>";
}
QString table(const QString& rows) {
    return rows.isEmpty() ? QString() : "<table cellspacing='0'>" + rows + "</table>";
}
QString section(const QString& title) {
    return "<h3>" + title.toHtmlEscaped() + "</h3>";
}
QString nodeLink(const DelegationGraph& g, size_t n) {
    return QString("<a href='node:%1'>%2</a> <span class='m'>%3</span>")
        .arg(n)
        .arg(h(g.nodes()[n].label), h(g.nodes()[n].sessionId));
}
QString appText(const DelegationGraph& g, const std::string& appId) {
    if (appId.empty()) return "<span class='m'>not given</span>";
    for (const GraphNode& n : g.nodes())
        if (n.applicationId == appId && n.label != shortId(appId))
            return h(n.label) + " <span class='m'>" + h(appId) + "</span>";
    return h(appId);
}
QString orMissing(const std::string& s) {
    return s.empty() ? "<span class='m'>none</span>" : h(s);
}
QString statusBadge(EdgeStatus s) {
    // White on the light palette's shade of the status, readable in either mode.
    const QString colour = statusColor(s == EdgeStatus::Active     ? StatusTone::Good
                                       : s == EdgeStatus::Expiring ? StatusTone::Warning
                                       : s == EdgeStatus::Revoked  ? StatusTone::Bad
                                       : s == EdgeStatus::Expired  ? StatusTone::Muted
                                                                   : StatusTone::Neutral,
                                       QPalette(Qt::white));
    return QString("<span style='color:white; background:%1'>&nbsp;%2&nbsp;</span>")
        .arg(colour, h(edgeStatusName(s)));
}
// Labels and notes in colours that read on the current palette (palette(mid) and gray did not, in dark).
QString inspectorStyle() {
    return QString(
               "<style>h2{margin:0 0 4px 0} h3{margin:12px 0 4px 0} td{padding:1px 10px 1px 0; "
               "vertical-align:top} td.k{color:%1; white-space:nowrap} .m{color:%1} .note{color:%2}</style>")
        .arg(mutedTextColor(QApplication::palette()), statusColor(StatusTone::Warning));
}
} // namespace

GraphInspector::GraphInspector(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    setAccessibleName("Graph inspector");
    connect(this, &QTextBrowser::anchorClicked, this,
            [this](const QUrl& url) { emit linkActivated(url.toString()); });
}

void GraphInspector::showOverview(const DelegationGraph& g, const QString& scope) {
    size_t audit = 0, coordinator = 0;
    for (const GraphEdge& e : g.edges()) {
        audit += e.seenInAudit();
        coordinator += e.fromCoordinator;
    }
    QString html = inspectorStyle() + QString("<h2>%1</h2>").arg(scope.toHtmlEscaped());
    html += QString("<p>%1 Sessions, %2 delegation edges (%3 seen in audit events, %4 described by the "
                    "Coordinator).</p>")
                .arg(g.nodes().size())
                .arg(g.edges().size())
                .arg(audit)
                .arg(coordinator);
    html +=
        "<p>Click a Session or an edge to inspect it; arrow keys walk the graph, F fits it, +/- zoom. Audit "
        "events "
        "show which edges were used, not whether they are still active: load Coordinator data (an active or "
        "outbound list, traverse, impact) to see status, scopes and constraints.</p>";
    if (!g.notes().empty()) {
        html += section("Notes");
        for (const auto& n : g.notes())
            html += "<p class='note'>" + h(n) + "</p>";
    }
    setHtml(html);
}

void GraphInspector::showNode(const DelegationGraph& g, size_t node) {
    const GraphNode& n = g.nodes()[node];
    QString html =
        inspectorStyle() + "<h2>" + h(n.label) + "</h2><p class='m'>Session (" + h(g.kind(node)) + ")</p>";
    QString rows = row("Session", h(n.sessionId)) + row("Application", appText(g, n.applicationId));
    for (const auto& other : n.otherApplicationIds)
        rows += row("Also seen with", "<span class='note'>" + h(other) + "</span>");
    html += table(rows);
    auto edgeList = [&](const std::vector<size_t>& edges, bool inbound) {
        QString list;
        for (size_t e : edges)
            list += QString("<li><a href='edge:%1'>%2</a> %3 %4</li>")
                        .arg(e)
                        .arg(h(shortId(g.edges()[e].id)), inbound ? "from" : "to",
                             nodeLink(g, inbound ? g.edges()[e].source : g.edges()[e].target));
        return list.isEmpty() ? QString("<p class='m'>none</p>") : "<ul>" + list + "</ul>";
    };
    html += section("Delegated to it") + edgeList(g.incoming(node), true);
    html += section("It delegated") + edgeList(g.outgoing(node), false);
    setHtml(html);
}

void GraphInspector::showEdge(const DelegationGraph& g, size_t edge, int64_t now, const EventStore* store) {
    const GraphEdge& e = g.edges()[edge];
    const EdgeStatus status = g.status(edge, now);
    QString html =
        inspectorStyle() + "<h2>Delegation edge " + h(shortId(e.id)) + "</h2><p>" + statusBadge(status);
    if (!e.resourceId.empty()) html += " <span class='m'>resource-bound</span>";
    if (!e.parentEdgeId.empty()) html += " <span class='m'>inherited</span>";
    html += "</p>";
    QString rows = row("ID", h(e.id)) + row("Source session", nodeLink(g, e.source)) +
                   row("Target session", nodeLink(g, e.target)) +
                   row("Issuer application", appText(g, e.issuerApplicationId)) +
                   row("Receiver application", appText(g, e.receiverApplicationId)) +
                   row("Hop", QString::number(e.hop));
    if (e.fromCoordinator) {
        QString parent = orMissing(e.parentEdgeId);
        if (auto p = g.findEdge(e.parentEdgeId))
            parent = QString("<a href='edge:%1'>%2</a>").arg(*p).arg(h(e.parentEdgeId));
        rows += row("Resource", orMissing(e.resourceId)) + row("Parent delegation", parent) +
                row("Version", e.version ? QString::number(*e.version) : "<span class='m'>not given</span>") +
                row("Created", orMissing(e.createdAt)) + row("Expires", orMissing(e.expiresAt)) +
                row("Revoked", orMissing(e.revokedAt));
        if (!e.broadReason.empty()) rows += row("Broad reason", h(e.broadReason));
    }
    html += table(rows);
    if (e.fromCoordinator) {
        html += section("Authority constraints");
        QString c;
        for (const auto& [label, value] : e.constraints.describe())
            c += row(QString::fromStdString(label), h(value));
        html += c.isEmpty() ? "<p class='m'>None: Caracal's defaults apply (max hops 1).</p>" : table(c);
        for (const auto& p : e.constraints.problems)
            html += "<p class='note'>" + h(p) + "</p>";
        QString scopes;
        for (const auto& s : e.scopes)
            scopes += (scopes.isEmpty() ? "" : ", ") + ("<code>" + h(s) + "</code>");
        html += section("Delegated scopes") +
                (scopes.isEmpty() ? "<p class='m'>none</p>" : "<p>" + scopes + "</p>");
    } else {
        html += "<p class='m'>Only audit events name this edge, so its status, scopes and constraints are "
                "unknown. "
                "Load the Coordinator's delegation data to see them.</p>";
    }
    if (const auto late = store ? g.lateUse(edge, *store) : std::nullopt) {
        html += section("Used after it " + QString::fromStdString(late->cause));
        html += QString("<p class='note'><b>Finding:</b> this edge %1 at %2, yet <a href='late:%3'>%4 "
                        "used it afterwards</a>, <a href='lateallowed:%3'>%5 of them allowed</a>. Caracal "
                        "refuses a mint through an ended edge, so each is worth a look.</p>")
                    .arg(h(late->cause), h(late->endedAt))
                    .arg(edge)
                    .arg(eventCountText(qlonglong(late->events.size())))
                    .arg(late->allowed.size());
    }
    html += section("In the audit trail");
    if (e.seenInAudit()) {
        QString epochs;
        for (int64_t ep : e.epochs)
            epochs += (epochs.isEmpty() ? "" : ", ") + QString::number(ep);
        html += table(row("Used by", QString("<a href='events:%1'>%2 event(s): show them in the table</a>")
                                         .arg(edge)
                                         .arg(e.events.size())) +
                      row("First seen", h(formatUtcMicros(e.firstSeenMicros))) +
                      row("Last seen", h(formatUtcMicros(e.lastSeenMicros))) +
                      row("Graph epochs", epochs.isEmpty() ? "<span class='m'>not recorded</span>" : epochs));
    } else {
        html +=
            QString(
                "<p class='m'>No loaded event used it. <a href='events:%1'>Search the table for it</a></p>")
                .arg(edge);
    }
    const RevocationImpact impact = g.revocationImpact(edge, now);
    html += section(QString("Revocation impact (%1)").arg(impact.sessions.size()));
    if (impact.edges.size() <= 1) {
        html += "<p>Revoking this edge affects only the target session, " + nodeLink(g, e.target) + ".</p>";
    } else {
        html += QString("<p>Revoking it cascades to %1 downstream and cuts off %2; %3 "
                        "used those edges. <a href='impact:%4'>Show on the graph</a></p>")
                    .arg(countText(qlonglong(impact.edges.size() - 1), "edge", "edges"),
                         countText(qlonglong(impact.sessions.size()), "Session", "Sessions"),
                         countText(qlonglong(impact.events.size()), "loaded event", "loaded events"))
                    .arg(edge);
        QString rows2 = "<tr><td class='k'>Session</td><td class='k'>Depth</td></tr>";
        for (const ImpactHop& hop : impact.edges)
            rows2 += "<tr><td>" + nodeLink(g, g.edges()[hop.edge].target) + "</td><td>" +
                     QString::number(hop.depth) + "</td></tr>";
        html += table(rows2);
    }
    if (impact.depthLimitReached)
        html += "<p class='note'>The Coordinator's cascade stops after 10 hops; edges further down stay "
                "active.</p>";
    if (!impact.authorityRecords.empty()) {
        QString list;
        for (const auto& r : impact.authorityRecords)
            list += (list.isEmpty() ? "" : ", ") + h(r);
        html += "<p>Authority records losing access: " + list + "</p>";
    }
    if (status == EdgeStatus::Revoked || status == EdgeStatus::Expired)
        html += "<p class='m'>This edge is already " + h(edgeStatusName(status)) +
                "; Caracal would not revoke it again.</p>";
    if (!e.coordinatorJson.is_null())
        html += section("As the Coordinator sent it") + "<pre>" + h(e.coordinatorJson.dump(2)) + "</pre>";
    setHtml(html);
}

} // namespace caracal::ui
