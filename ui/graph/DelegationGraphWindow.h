#pragma once
// A window for one delegation graph: of an event's chain, of a request's chains, or of a zone's union. The
// graph is built off the GUI thread; Coordinator JSON can be merged in; the view, an inspector and a verifier
// check sit side by side; the graph exports as SVG, PNG (the view's own painting) and DOT.
#include "graph/DelegationGraph.h"
#include "store/EventStore.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <memory>

class QLabel;
class QLineEdit;
class QStackedWidget;

namespace caracal::ui {

class DelegationGraphView;
class GraphInspector;
class VerifierPanel;

struct GraphScope {
    enum class Kind { Event, Request, Zone };
    Kind kind = Kind::Zone;
    std::string zone, requestId;
    RowId row = 0; // for Kind::Event
    QString title() const;
};

struct GraphBuild {
    std::shared_ptr<DelegationGraph> graph;
    std::vector<RowId> rows; // the scope's events, time order
};

class DelegationGraphWindow : public QMainWindow {
    Q_OBJECT
  public:
    DelegationGraphWindow(std::shared_ptr<const EventStore> store, GraphScope scope,
                          QWidget* parent = nullptr);
    ~DelegationGraphWindow() override;

    const GraphScope& scope() const { return m_scope; }
    bool isReady() const { return m_graph != nullptr; }
    const DelegationGraph* graph() const { return m_graph.get(); }
    DelegationGraphView* view() const { return m_view; }
    GraphInspector* inspector() const { return m_inspector; }
    VerifierPanel* verifier() const { return m_verifier; }
    QLineEdit* findEdit() const { return m_find; }

    // Merges Coordinator delegation JSON; false with a message the user can act on.
    bool loadCoordinatorFile(const QString& path, QString* error);
    // format: svg, png or dot.
    bool exportTo(const QString& path, const QString& format, QString* error) const;
    // Highlights the edges these events used (the request selected in the main window).
    void setFocusRows(const std::vector<RowId>& rows);
    // Selects the first Session or edge whose id, application or label contains `text`.
    bool find(const QString& text);

  signals:
    void ready();
    void filterRequested(const QString& expression);
    void troubleshootingRequested(const QString& address);

  private:
    void showGraph(std::shared_ptr<DelegationGraph> graph);
    void onNodeSelected(size_t node);
    void onEdgeSelected(size_t edge);
    void onLink(const QString& link);
    void updateVerifierChain(std::optional<RowId> row);
    void exportDialog(const QString& format);
    void loadCoordinatorDialog();
    int64_t now() const;

    std::shared_ptr<const EventStore> m_store;
    GraphScope m_scope;
    std::vector<RowId> m_rows;
    std::shared_ptr<DelegationGraph> m_graph;
    QFutureWatcher<GraphBuild> m_watcher;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    DelegationGraphView* m_view;
    GraphInspector* m_inspector;
    VerifierPanel* m_verifier;
    QLineEdit* m_find;
    QLabel* m_counts;
    std::vector<size_t> m_path;
};

} // namespace caracal::ui
