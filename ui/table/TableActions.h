#pragma once
// What a user does to the table's rows: copy them (as text, JSON or a filter), filter by or exclude a cell,
// choose columns, and the context menu that offers these with the row's graphs and troubleshooting codes.
// It acts on the table and the filter bar; what needs the window (graphs, compare) goes out as signals.
#include "store/EventStore.h"

#include <QObject>
#include <QPoint>
#include <functional>
#include <memory>

class QModelIndex;

namespace caracal::ui {

class EventTableModel;
class EventTableView;
class FilterBar;

enum class GraphOf { Event, Request, Zone };

class TableActions : public QObject {
    Q_OBJECT
  public:
    using StoreSource = std::function<std::shared_ptr<const EventStore>()>;
    TableActions(EventTableView* table, EventTableModel* model, FilterBar* filterBar, StoreSource store,
                 QObject* parent);

    // Whether copies redact metadata as Caracal's API does (the console's "Show secret values" is off).
    void setRedaction(std::function<bool()> redact) { m_redact = std::move(redact); }

    void copyRows();
    void copyAsJson();
    void copyAsFilter();
    // Adds "key:value" (or "-key:value") for the cell to the filter bar and asks for the view.
    void filterByCell(const QModelIndex& index, bool exclude);
    void setColumns(const QStringList& keys);
    void showColumnMenu(const QPoint& globalPos);
    void showTableMenu(const QPoint& pos);

  signals:
    void applyRequested();
    void requestOnlyRequested(const QString& requestId);
    void compareRequested(bool wholeRequests);
    void graphRequested(caracal::ui::GraphOf what);
    void troubleshootingRequested(const QString& address);

  private:
    EventTableView* m_table;
    EventTableModel* m_model;
    FilterBar* m_filterBar;
    StoreSource m_store;
    std::function<bool()> m_redact;
};

} // namespace caracal::ui
