#pragma once
// The event table: a row-id vector over the store (the visible rows, filtered and sorted) and a column list.
// Cell text is computed when asked; full events are parsed for visible rows only, through a small cache.
#include "store/EventStore.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QSet>
#include <QStringList>
#include <list>
#include <memory>
#include <unordered_map>

namespace caracal::ui {

class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Role { RowIdRole = Qt::UserRole + 1, ToneRole, SortKeyRole };

    explicit EventTableModel(QObject* parent = nullptr);

    // The model shares the store it shows, so no reload can free it under the table.
    void setStore(std::shared_ptr<const EventStore> store); // shows nothing until rows are set
    const EventStore* store() const { return m_store.get(); }
    void setRows(std::vector<RowId> rows);
    // While loading: rows [from, to) of the store arrived and are shown in arrival order.
    void appendRows(RowId from, RowId to);
    const std::vector<RowId>& rows() const { return m_rows; }
    RowId rowId(int row) const { return m_rows[static_cast<size_t>(row)]; }
    int rowOf(RowId id) const;

    // Rows shown with `mark` in the first column (bookmarked events).
    void setMarkedRows(QSet<RowId> rows, const QIcon& mark);
    bool isMarked(RowId row) const { return m_marked.contains(row); }

    void setColumns(const QStringList& keys);
    const QStringList& columns() const { return m_columns; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    // A header click: the window computes the sorted view off the GUI thread and sets its rows.
    void sort(int column, Qt::SortOrder order) override;

    // Text of one cell, as shown (also used for copying rows).
    QString cellText(RowId row, const QString& column) const;
    const nlohmann::ordered_json& event(RowId row) const;

  signals:
    void sortRequested(const QString& column, Qt::SortOrder order);

  private:
    QString tooltip(RowId row, const QString& column) const;

    std::shared_ptr<const EventStore> m_store;
    std::vector<RowId> m_rows;
    QStringList m_columns;
    QSet<RowId> m_marked;
    QIcon m_mark;
    // Parsed events of recently shown rows.
    mutable std::list<std::pair<RowId, nlohmann::ordered_json>> m_cache;
    mutable std::unordered_map<RowId, decltype(m_cache)::iterator> m_cacheIndex;
};

} // namespace caracal::ui
