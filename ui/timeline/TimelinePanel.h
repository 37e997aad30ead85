#pragma once
// The timeline above the table: a small bar (bucket size, one row per zone, reset zoom, what is shown) over a
// TimelineView. It counts the session's current view off the GUI thread (the job slot "timeline") whenever
// the window applies a view, and turns a dragged range or a clicked bar into since:/until: terms in the
// filter line, as an edit the user can see, change and undo (Ctrl+Z).
#include "timeline/TimelineBuckets.h"

#include <QWidget>
#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace caracal::ui {

class ConsoleSession;
class TimelineView;

class TimelinePanel : public QWidget {
    Q_OBJECT
  public:
    TimelinePanel(ConsoleSession* session, QLineEdit* filterLine, QWidget* parent = nullptr);

    TimelineView* view() const { return m_view; }
    QComboBox* bucketBox() const { return m_bucket; }
    QCheckBox* perZoneBox() const { return m_perZone; }
    QToolButton* resetButton() const { return m_reset; }
    // View > Timeline: shows or hides the panel; the state is kept in QSettings.
    QAction* toggleAction() const { return m_toggle; }
    bool isZoomed() const { return m_window.has_value(); }

    // Counts the session's current view again (the window calls it after every applied view).
    void refresh();
    // Back to the whole view.
    void resetZoom();

  signals:
    // The filter line now holds the chosen range; the window applies it.
    void applyRequested();
    // A computed timeline is on show.
    void timelineShown();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void updateSummary();
    void chooseRange(qint64 startSeconds, qint64 endSeconds);
    void zoom(double factor, qint64 anchorSeconds);
    void pan(qint64 seconds);
    void setShown(bool shown);

    ConsoleSession* m_session;
    QLineEdit* m_filterLine;
    TimelineView* m_view;
    QComboBox* m_bucket;
    QCheckBox* m_perZone;
    QToolButton* m_reset;
    QLabel* m_summary;
    QAction* m_toggle;
    // The zoomed window [begin, end) in seconds; none shows the whole view.
    std::optional<std::pair<qint64, qint64>> m_window;
    bool m_stale = true;      // the view changed while the panel was hidden
    bool m_automatic = false; // the timeline on show chose its bucket size
};

} // namespace caracal::ui
