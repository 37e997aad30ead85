#pragma once
// The bar above the table: the filter line with Apply and its saved and recent filters, the request-id box
// and the zone selector. It composes what the three say into one filter; the window decides when to apply.
#include "query/FilterParser.h"

#include <QHash>
#include <QWidget>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QToolButton;

namespace caracal {
class EventStore;
}

namespace caracal::ui {

class FilterEdit;

class FilterBar : public QWidget {
    Q_OBJECT
  public:
    explicit FilterBar(QWidget* parent = nullptr);

    FilterEdit* filterEdit() const { return m_filter; }
    QLineEdit* requestBox() const { return m_requestBox; }
    QComboBox* zoneBox() const { return m_zoneBox; }

    // The filter line AND the request id AND the zone; null matches everything. The filter line must be
    // valid.
    std::unique_ptr<FilterNode> composed() const;
    QString selectedZone() const; // "" for all zones
    void setViewOptions(const QString& filter, const QString& requestId, const QString& zone);
    // Appends a term to the filter line ("-app:x" excludes).
    void addTerm(const QString& term);
    // Zones with their counts; the selection stays when the zone is still there.
    void setZones(const EventStore& store);
    void clearZones();
    // The selector's pick: a zone, or "" for "(no zone)"; none when all zones are shown.
    std::optional<QString> zonePick() const;
    // Selects the pick when the selector lists it (none, or not listed: all zones).
    void selectZone(const std::optional<QString>& pick);
    // Says what the table shows when it is not the filter's view (a diagnostics group); "" hides it.
    void setGroupNote(const QString& text);
    QLabel* groupNote() const { return m_groupNote; }
    // A ledger session: each zone also says how many rows the server holds ("loaded of total"), and zones
    // with nothing loaded are listed too.
    void setServerZoneCounts(const std::map<std::string, uint64_t>& counts);

    const QHash<QString, QString>& savedFilters() const { return m_saved; }
    void saveFilter(const QString& name, const QString& expression) { m_saved.insert(name, expression); }
    void loadSettings();
    void saveSettings() const;

  signals:
    void applyRequested();

  private:
    void rebuildSavedMenu();

    FilterEdit* m_filter;
    QToolButton* m_savedButton;
    QMenu* m_savedMenu;
    QLineEdit* m_requestBox;
    QComboBox* m_zoneBox;
    QLabel* m_groupNote;
    QHash<QString, QString> m_saved;
};

// Filter values with spaces or the language's own characters are quoted.
QString quoteFilterValue(const QString& value);

} // namespace caracal::ui
