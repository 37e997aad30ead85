#pragma once
// Admin-audit rows as a table: who did what to which entity, with what status, and whether the row is
// signed. The rows come from the engine's AdminAudit reader; the model only formats them.
#include "load/AdminAudit.h"

#include <QAbstractTableModel>

namespace caracal::ui {

class AdminEventsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Occurred, Actor, Scope, Action, Status, Entity, Request, ChainSeq, Signed, ColumnCount };
    // Every field of the row in one text (column 0): what the search box matches.
    static constexpr int SearchRole = Qt::UserRole + 1;
    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(std::vector<AdminEvent> events);
    const AdminEvent& event(int row) const { return m_events[static_cast<size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    QString cell(const AdminEvent& e, int column) const;
    std::vector<AdminEvent> m_events;
};

} // namespace caracal::ui
