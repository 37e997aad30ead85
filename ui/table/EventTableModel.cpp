#include "table/EventTableModel.h"

#include "catalog/DenyReasonCatalog.h"
#include "load/CsvExport.h"
#include "present/EventDetails.h"
#include "present/EventPresentation.h"
#include "table/EventColumns.h"
#include "util/RawJson.h"
#include "util/Timestamp.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QTimeZone>
#include <algorithm>

namespace caracal::ui {

namespace {
constexpr size_t kCacheSize = 512;

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString localTime(int64_t micros) {
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(micros / 1000, QTimeZone::systemTimeZone());
    return t.toString("yyyy-MM-dd HH:mm:ss.zzz");
}
} // namespace

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_columns(defaultColumns()) {}

void EventTableModel::setStore(std::shared_ptr<const EventStore> store) {
    beginResetModel();
    m_store = std::move(store);
    m_rows.clear();
    m_cache.clear();
    m_cacheIndex.clear();
    endResetModel();
}

void EventTableModel::setRows(std::vector<RowId> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void EventTableModel::appendRows(RowId from, RowId to) {
    if (to <= from) return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + (to - from) - 1));
    for (RowId r = from; r < to; ++r)
        m_rows.push_back(r);
    endInsertRows();
}

int EventTableModel::rowOf(RowId id) const {
    auto it = std::find(m_rows.begin(), m_rows.end(), id);
    return it == m_rows.end() ? -1 : int(it - m_rows.begin());
}

void EventTableModel::setMarkedRows(QSet<RowId> rows, const QIcon& mark) {
    m_marked = std::move(rows);
    m_mark = mark;
    if (!m_rows.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, 0), {Qt::DecorationRole});
}

void EventTableModel::setColumns(const QStringList& keys) {
    beginResetModel();
    m_columns = keys;
    endResetModel();
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

const nlohmann::ordered_json& EventTableModel::event(RowId row) const {
    if (auto it = m_cacheIndex.find(row); it != m_cacheIndex.end()) {
        m_cache.splice(m_cache.begin(), m_cache, it->second);
        return it->second->second;
    }
    m_cache.emplace_front(row, m_store->event(row));
    m_cacheIndex[row] = m_cache.begin();
    if (m_cache.size() > kCacheSize) {
        m_cacheIndex.erase(m_cache.back().first);
        m_cache.pop_back();
    }
    return m_cache.front().second;
}

QString EventTableModel::cellText(RowId row, const QString& column) const {
    if (column == "@occurred") return localTime(m_store->record(row).occurredAt);
    if (column == "@event")
        return qs(eventLabel(m_store->field(row, Field::EventType), m_store->field(row, Field::Decision)));
    if (column == "@actor") {
        if (auto actor = m_store->actorOf(row); !actor.empty()) return qs(actor);
        return qs(actorName(event(row)));
    }
    if (column == "@decision") return qs(m_store->field(row, Field::Decision));
    if (column == "@reason") { // deny events only: the catalog's label for the code the loader computed
        const std::string_view code = m_store->field(row, Field::DenyReason);
        return code.empty() ? QString() : QString::fromStdString(DenyReasonCatalog::instance().label(code));
    }
    if (column == "@zone") return qs(m_store->field(row, Field::Zone));
    if (column == "@request") return qs(m_store->field(row, Field::RequestId));
    const QByteArray field = column.toUtf8();
    return QString::fromStdString(
        csv::cellText(event(row), std::string_view(field.constData(), size_t(field.size()))));
}

QString EventTableModel::tooltip(RowId row, const QString& column) const {
    if (column == "@occurred")
        return formatUtcMicros(m_store->record(row).occurredAt).c_str() + QString(" (UTC)");
    if (column == "@event" || column == "@actor")
        return QString::fromStdString(eventSummary(event(row), std::string(m_store->actorOf(row))));
    if (column == "@decision" || column == "@reason") {
        const std::string_view code = m_store->field(row, Field::DenyReason);
        if (code.empty()) return {};
        return "Deny reason: " + qs(code) +
               (column == "@reason" ? " (click for its troubleshooting row)" : "");
    }
    return cellText(row, column);
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
    if (!m_store || !index.isValid() || index.row() >= int(m_rows.size()) ||
        index.column() >= m_columns.size())
        return {};
    const RowId row = m_rows[size_t(index.row())];
    const QString& column = m_columns[index.column()];
    switch (role) {
    case Qt::DisplayRole:
        return cellText(row, column);
    case Qt::ToolTipRole:
        if (!column.startsWith('@') && cellText(row, column) == "[redacted]") return QString(kRedactedText);
        return tooltip(row, column);
    case Qt::FontRole: // a redacted value is not data: set apart
        if (!column.startsWith('@') && cellText(row, column) == "[redacted]") {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == 0 && m_marked.contains(row)) return m_mark;
        return {};
    case RowIdRole:
        return QVariant::fromValue(qulonglong(row));
    case ToneRole:
        return int(decisionTone(m_store->field(row, Field::Decision)));
    case Qt::TextAlignmentRole:
        if (column == "@occurred") return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size()) return {};
    if (role == Qt::DisplayRole) return columnTitle(m_columns[section]);
    if (role == Qt::ToolTipRole && m_columns[section] == "@occurred")
        return "Local time; the tooltip shows UTC";
    return {};
}

void EventTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= m_columns.size()) return;
    emit sortRequested(m_columns[column], order);
}

} // namespace caracal::ui
