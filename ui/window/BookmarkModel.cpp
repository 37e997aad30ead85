#include "window/BookmarkModel.h"

#include "util/Timestamp.h"

#include <QApplication>
#include <QPalette>

namespace caracal::ui {

void BookmarkModel::setBookmarks(QList<Bookmark> bookmarks) {
    beginResetModel();
    m_bookmarks = std::move(bookmarks);
    m_rows.assign(size_t(m_bookmarks.size()), std::nullopt);
    endResetModel();
}

void BookmarkModel::setResolved(std::vector<std::optional<RowId>> rows) {
    if (rows.size() != size_t(m_bookmarks.size())) return; // the list changed while it was looked up
    m_rows = std::move(rows);
    if (!m_bookmarks.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

std::optional<RowId> BookmarkModel::rowOf(int bookmark) const {
    if (bookmark < 0 || size_t(bookmark) >= m_rows.size()) return std::nullopt;
    return m_rows[size_t(bookmark)];
}

int BookmarkModel::indexOf(const QString& zone, const QString& eventId) const {
    for (int i = 0; i < m_bookmarks.size(); ++i)
        if (m_bookmarks[i].zone == zone && m_bookmarks[i].eventId == eventId) return i;
    return -1;
}

void BookmarkModel::add(const Bookmark& bookmark, RowId row) {
    // Kept in time order, as the table shows events.
    int at = 0;
    while (at < m_bookmarks.size() && m_bookmarks[at].occurredAt <= bookmark.occurredAt)
        ++at;
    beginInsertRows({}, at, at);
    m_bookmarks.insert(at, bookmark);
    m_rows.insert(m_rows.begin() + at, row);
    endInsertRows();
}

void BookmarkModel::remove(int bookmark) {
    if (bookmark < 0 || bookmark >= m_bookmarks.size()) return;
    beginRemoveRows({}, bookmark, bookmark);
    m_bookmarks.removeAt(bookmark);
    m_rows.erase(m_rows.begin() + bookmark);
    endRemoveRows();
}

int BookmarkModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_bookmarks.size());
}

int BookmarkModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BookmarkModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_bookmarks.size() || index.column() >= ColumnCount) return {};
    const Bookmark& b = m_bookmarks[index.row()];
    const bool loaded = m_rows[size_t(index.row())].has_value();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case TimeColumn:
            return QString::fromStdString(formatUtcMicros(b.occurredAt));
        case EventColumn:
            return b.summary;
        case ZoneColumn:
            return b.zone;
        case NoteColumn:
            return b.note;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return loaded ? QString("Event %1 (double-click to select it)").arg(b.eventId)
                      : QString("Event %1 is not in the loaded data; the bookmark is kept").arg(b.eventId);
    case Qt::ForegroundRole:
        if (!loaded) return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case LoadedRole:
        return loaded;
    default:
        return {};
    }
}

bool BookmarkModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.column() != NoteColumn ||
        index.row() >= m_bookmarks.size())
        return false;
    m_bookmarks[index.row()].note = value.toString();
    emit dataChanged(index, index);
    emit edited();
    return true;
}

Qt::ItemFlags BookmarkModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == NoteColumn) f |= Qt::ItemIsEditable;
    return f;
}

QVariant BookmarkModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* titles[] = {"Event", "Note", "Occurred (UTC)", "Zone"};
    return section >= 0 && section < ColumnCount ? QString(titles[section]) : QVariant();
}

} // namespace caracal::ui
