#pragma once
// A window for one delegation graph: of an event's chain, of a request's chains, or of a zone's union.
// Building the graph and laying it out run as tracked background jobs with progress and Cancel; closing the
// window cancels them and waits. A graph above kReadableSessions opens on its overview by application, from
// which the user draws one part in full (an application, a status, a time range, the Sessions around a found
// one); the request in focus is kept in every view. Coordinator JSON can be merged in; the drawing, an
// inspector and a verifier check sit side by side; the drawing exports as SVG, PNG and DOT.
#include "graph/DelegationGraph.h"
#include "graph/GraphAggregation.h"
#include "render/GraphPainter.h"
#include "session/JobTracker.h"
#include "store/EventStore.h"

#include <QMainWindow>
#include <QTimer>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace caracal::ui {

class DelegationGraphView;
class GraphInspector;
class GraphOverviewPanel;
class VerifierPanel;
struct GraphPresentation;

struct GraphScope {
    enum class Kind { Event, Request, Zone };
    Kind kind = Kind::Zone;
    std::string zone, requestId;
    RowId row = 0; // for Kind::Event
    QString title() const;
};

class DelegationGraphWindow : public QMainWindow {
    Q_OBJECT
  public:
    DelegationGraphWindow(std::shared_ptr<const EventStore> store, GraphScope scope,
                          QWidget* parent = nullptr);
    ~DelegationGraphWindow() override;

    const GraphScope& scope() const { return m_scope; }
    // The scope's graph has been built (it may be shown as its overview).
    bool isReady() const { return m_whole != nullptr; }
    // What the drawing shows: the whole graph, or the part drilled into; null while only the overview is.
    const DelegationGraph* graph() const { return m_graph.get(); }
    const DelegationGraph* wholeGraph() const { return m_whole.get(); }
    const GraphOverview* overview() const { return m_overview.get(); }
    bool showsOverview() const;
    bool showsDrawing() const;
    // A build or layout job is running (the progress page shows, with Cancel).
    bool isBusy() const;
    // Any job still running, cancelled ones included until they have returned.
    bool hasRunningJobs() const { return m_jobs.runningCount() > 0; }
    DelegationGraphView* view() const { return m_view; }
    GraphOverviewPanel* overviewPanel() const { return m_overviewPanel; }
    QPushButton* cancelButton() const { return m_cancel; }
    QAction* overviewAction() const { return m_backToOverview; }
    GraphInspector* inspector() const { return m_inspector; }
    VerifierPanel* verifier() const { return m_verifier; }
    QLineEdit* findEdit() const { return m_find; }

    // Merges Coordinator delegation JSON; false with a message the user can act on.
    bool loadCoordinatorFile(const QString& path, QString* error);
    // format: svg, png or dot.
    bool exportTo(const QString& path, const QString& format, QString* error) const;
    // Highlights the edges these events used (the request selected in the main window).
    void setFocusRows(const std::vector<RowId>& rows);
    // Selects the first Session or edge whose id, application or label contains `text`, and centres it. In a
    // graph shown by parts, a Session outside the drawing brings the Sessions around it into the drawing
    // first (drawn() follows).
    bool find(const QString& text);
    // Draws one part of the whole graph in full (a background job); the request in focus is drawn with it.
    void drawPart(const GraphSubset& subset);
    void showOverview();
    void cancelJob();

  signals:
    void ready();
    // A drawing or the overview is on screen (after the build, a drill-in, a Find or a Cancel).
    void drawn();
    void filterRequested(const QString& expression);
    void troubleshootingRequested(const QString& address);

  private:
    void startBuild();
    void present(std::shared_ptr<const DelegationGraph> whole);
    void adopt(GraphPresentation presentation);
    void showDrawing(std::shared_ptr<const DelegationGraph> graph, GraphScene scene, double layoutMs);
    void startProgress(const QString& what, std::shared_ptr<JobControl> control);
    void endProgress();
    void updateCounts();
    void relayoutDrawing(LayoutInput::Direction direction);
    void onNodeSelected(size_t node);
    void onEdgeSelected(size_t edge);
    void onLink(const QString& link);
    void updateVerifierChain(std::optional<RowId> row);
    void exportDialog(const QString& format);
    void loadCoordinatorDialog();
    int64_t now() const;

    std::shared_ptr<const EventStore> m_store;
    GraphScope m_scope;
    std::vector<RowId> m_rows;      // the scope's events, time order
    std::vector<RowId> m_focusRows; // the request in focus (the scope's own rows unless a zone)
    std::shared_ptr<const DelegationGraph> m_whole; // the scope's graph
    std::shared_ptr<const DelegationGraph> m_graph; // what the drawing shows: m_whole or a part of it
    std::shared_ptr<const GraphOverview> m_overview;
    std::string m_partName;                // the part drawn, for the banner ("" = the whole graph)
    std::optional<std::string> m_centreOn; // a Session to centre once its part is drawn (Find)
    JobTracker m_jobs;
    std::shared_ptr<JobControl> m_running;
    QWidget* m_pageBeforeJob = nullptr;
    QTimer m_progressTimer;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    QWidget* m_progressPage;
    QLabel* m_progressLabel;
    QProgressBar* m_progressBar;
    QPushButton* m_cancel;
    QPushButton* m_rebuild;
    GraphOverviewPanel* m_overviewPanel;
    QWidget* m_drawingPage;
    QLabel* m_banner;
    DelegationGraphView* m_view;
    GraphInspector* m_inspector;
    VerifierPanel* m_verifier;
    QLineEdit* m_find;
    QLabel* m_counts;
    QAction* m_backToOverview;
    QAction* m_vertical;
    std::vector<size_t> m_path; // edges of m_graph the request in focus used
};

} // namespace caracal::ui
