#pragma once
// Everything about the selected Session or delegation edge: the fields Caracal's console shows, decoded
// constraints, scopes, where the audit saw the edge, and what revoking it would cut off. Links inside it are
// "node:N", "edge:N", "events:N" (show the events using edge N), "impact:N" (draw N's revocation impact),
// "late:N" / "lateallowed:N" (the events that used edge N after it ended / the allowed ones),
// "row:TABLE/KEY" and "code:CODE"; the window decides what each does.
#include "graph/DelegationGraph.h"

#include <QTextBrowser>

namespace caracal::ui {

class GraphInspector : public QTextBrowser {
    Q_OBJECT
  public:
    explicit GraphInspector(QWidget* parent = nullptr);
    void showOverview(const DelegationGraph& graph, const QString& scope);
    void showNode(const DelegationGraph& graph, size_t node);
    // With `store`, an edge used after it was revoked or expired says how often, and how often allowed
    // ("late:N" and "lateallowed:N" links show those events).
    void showEdge(const DelegationGraph& graph, size_t edge, int64_t nowMicros,
                  const EventStore* store = nullptr);

  signals:
    void linkActivated(const QString& link);
};

} // namespace caracal::ui
