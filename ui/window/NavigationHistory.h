#pragma once
// Back and Forward over where the user has been: the applied filter (with the request and zone boxes), the
// selected event and whether its request trace was open. A pure list with a position, as a browser keeps
// one: a new place after going back drops what was ahead. The window records places and applies what
// back() and forward() return; nothing here knows a widget.
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace caracal::ui {

struct NavigationPlace {
    QString filter, requestId, zone; // as the filter bar held them when the view was applied
    // The selected event by zone and event id (row ids change with a reload and positions with a sort).
    QString eventZone, eventId;
    bool traceOpen = false; // the Request trace tab was in front
    // Where the event was in the store when recorded: checked against zone and id before it is used, so
    // a restore seldom has to look the event up.
    uint32_t rowHint = UINT32_MAX;
    bool operator==(const NavigationPlace& o) const {
        return filter == o.filter && requestId == o.requestId && zone == o.zone && eventZone == o.eventZone &&
               eventId == o.eventId && traceOpen == o.traceOpen;
    }
};

class NavigationHistory {
  public:
    explicit NavigationHistory(size_t limit = 200) : m_limit(limit) {}

    // A place the user went to. Recording the place already current does nothing; otherwise the places
    // ahead of the current one are dropped.
    void record(const NavigationPlace& place);
    bool canGoBack() const { return m_current > 0; }
    bool canGoForward() const { return m_current + 1 < m_places.size(); }
    // The place to show, now current; empty when there is none that way.
    std::optional<NavigationPlace> back();
    std::optional<NavigationPlace> forward();
    const NavigationPlace* current() const { return m_places.empty() ? nullptr : &m_places[m_current]; }
    size_t size() const { return m_places.size(); }
    void clear();

  private:
    std::vector<NavigationPlace> m_places;
    size_t m_current = 0;
    size_t m_limit;
};

} // namespace caracal::ui
