#include "dialogs/AdminEventsModel.h"

namespace caracal::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

void AdminEventsModel::setEvents(std::vector<AdminEvent> events) {
    beginResetModel();
    m_events = std::move(events);
    endResetModel();
}

int AdminEventsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int AdminEventsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString AdminEventsModel::cell(const AdminEvent& e, int column) const {
    switch (column) {
    case Occurred:
        return qs(e.occurredAt);
    case Actor:
        return qs(e.actorName.empty() ? e.actorId : e.actorName);
    case Scope:
        return qs(e.actorScope);
    case Action:
        return qs(e.action.empty() ? e.method + " " + e.path : e.action);
    case Status:
        return qs(e.statusCode);
    case Entity:
        return qs(e.entityType.empty() ? e.entityId : e.entityType + " " + e.entityId);
    case Request:
        return qs(e.requestId);
    case ChainSeq:
        return qs(e.chainSeq);
    case Signed:
        return e.signature == "signed" ? "yes" : e.signature == "unsigned" ? "no" : "";
    }
    return {};
}

QVariant AdminEventsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const AdminEvent& e = event(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cell(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Actor) return qs(e.actorId);
        if (index.column() == Signed)
            return e.signature == "signed"     ? "Stored with a chain HMAC (AUDIT_HMAC_KEY was set)"
                   : e.signature == "unsigned" ? "Stored without a chain HMAC"
                                               : "This source does not say";
        return cell(e, index.column());
    case SearchRole:
        return index.column() == 0 ? qs(e.id + ' ' + e.requestId + ' ' + e.actorId + ' ' + e.actorName + ' ' +
                                        e.actorScope + ' ' + e.action + ' ' + e.method + ' ' + e.path + ' ' +
                                        e.entityType + ' ' + e.entityId + ' ' + e.statusCode + ' ' +
                                        e.occurredAt + ' ' + e.zoneId + ' ' + e.payloadJson)
                                   : QVariant();
    case Qt::UserRole: // sorting: the chain's order, numbers as numbers
        if (index.column() == ChainSeq || index.column() == Status)
            return cell(e, index.column()).toLongLong();
        return cell(e, index.column());
    }
    return {};
}

QVariant AdminEventsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* titles[] = {"Occurred (UTC)", "Actor",      "Scope",     "Action", "Status",
                                   "Entity",         "Request ID", "Chain seq", "Signed"};
    return section >= 0 && section < ColumnCount ? QString(titles[section]) : QVariant();
}

} // namespace caracal::ui
