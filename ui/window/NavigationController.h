#pragma once
// Back / Forward for the window: records a place (NavigationHistory) when a filter is applied, an event is
// selected or the request trace is brought to front, and restores one by putting its filter back in the
// filter bar, applying it, then selecting its event (by zone and event id) and its detail tab. Alt+Left /
// Alt+Right and the toolbar come from the window's actions; the mouse's back and forward buttons anywhere
// on the window are caught here.
#include "store/EventRecord.h"
#include "window/NavigationHistory.h"

#include <QObject>

namespace caracal::ui {

class MainWindow;

class NavigationController : public QObject {
    Q_OBJECT
  public:
    explicit NavigationController(MainWindow* window);
    ~NavigationController() override;

    const NavigationHistory& history() const { return m_history; }
    bool goBack();
    bool goForward();
    // Selects the event in the table when the view holds it; false otherwise. `rowHint` is where it
    // probably is (checked first); without it the zone's rows are looked through.
    bool selectEvent(const QString& zone, const QString& eventId, RowId rowHint = UINT32_MAX);

  signals:
    void changed();  // back or forward became possible or impossible
    void restored(); // a place from the history is shown

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void onViewApplied();
    void scheduleCapture();
    void capture();
    void restore(const NavigationPlace& place);
    void finishRestore();

    MainWindow* m_window;
    QString m_source; // the source the places belong to (BookmarkFile::sourceKey)
    NavigationHistory m_history;
    NavigationPlace m_applied;     // filter, request and zone of the view shown
    NavigationPlace m_pending;     // the place being restored
    bool m_restoring = false;      // what changes now is the history's doing, not the user's
    bool m_waitingForView = false; // a restored filter is being applied
    bool m_capturePending = false;
};

} // namespace caracal::ui
