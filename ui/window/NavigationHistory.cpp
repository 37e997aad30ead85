#include "window/NavigationHistory.h"

namespace caracal::ui {

void NavigationHistory::record(const NavigationPlace& place) {
    if (const NavigationPlace* now = current(); now && *now == place) return;
    if (!m_places.empty()) m_places.erase(m_places.begin() + qsizetype(m_current) + 1, m_places.end());
    m_places.push_back(place);
    if (m_places.size() > m_limit) m_places.erase(m_places.begin()); // the oldest place goes
    m_current = m_places.size() - 1;
}

std::optional<NavigationPlace> NavigationHistory::back() {
    if (!canGoBack()) return std::nullopt;
    return m_places[--m_current];
}

std::optional<NavigationPlace> NavigationHistory::forward() {
    if (!canGoForward()) return std::nullopt;
    return m_places[++m_current];
}

void NavigationHistory::clear() {
    m_places.clear();
    m_current = 0;
}

} // namespace caracal::ui
