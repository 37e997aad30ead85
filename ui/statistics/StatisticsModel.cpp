#include "statistics/StatisticsModel.h"

#include "load/CsvExport.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>
#include <algorithm>
#include <numeric>

namespace caracal::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

StatisticsModel::StatisticsModel(QObject* parent) : QAbstractTableModel(parent) {}

void StatisticsModel::setTable(StatisticsTable table) {
    beginResetModel();
    m_table = std::move(table);
    m_columns.clear();
    QString by = qs(std::string(statisticsFieldName(m_table.by)));
    by[0] = by[0].toUpper();
    m_columns.append({Kind::Value, -1, by.replace('_', ' ')});
    if (m_table.by == StatisticsField::Application) m_columns.append({Kind::Name, -1, "Name"});
    m_columns.append({Kind::Events, -1, "Events"});
    m_columns.append({Kind::Share, -1, "Share"});
    for (size_t d = 0; d < m_table.decisions.size(); ++d)
        m_columns.append({Kind::Decision, int(d),
                          m_table.decisions[d].empty() ? "(no decision)" : qs(m_table.decisions[d])});
    m_columns.append({Kind::Sparkline, -1, "Over time"});
    m_order.resize(m_table.rows.size());
    std::iota(m_order.begin(), m_order.end(), size_t(0)); // the engine's order: events desc, then value
    endResetModel();
}

StatisticsModel::Kind StatisticsModel::kindOf(int column) const {
    return column >= 0 && column < m_columns.size() ? m_columns[column].kind : Kind::Value;
}

int StatisticsModel::columnOf(Kind kind) const {
    for (int c = 0; c < m_columns.size(); ++c)
        if (m_columns[c].kind == kind) return c;
    return -1;
}

QString StatisticsModel::valueAt(int row) const {
    return row >= 0 && size_t(row) < m_order.size() ? qs(m_table.rows[m_order[size_t(row)]].value)
                                                    : QString();
}

int StatisticsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_order.size());
}

int StatisticsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString StatisticsModel::cellText(const StatisticsRow& row, const Column& column) const {
    const QLocale locale;
    switch (column.kind) {
    case Kind::Value:
        return qs(row.value);
    case Kind::Name:
        return qs(row.name);
    case Kind::Events:
        return locale.toString(qulonglong(row.events));
    case Kind::Share:
        return m_table.events
                   ? locale.toString(100.0 * double(row.events) / double(m_table.events), 'f', 1) + " %"
                   : QString();
    case Kind::Decision:
        return locale.toString(qulonglong(row.decisions[size_t(column.decision)]));
    case Kind::Sparkline:
        return {};
    }
    return {};
}

QVariant StatisticsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const StatisticsRow& row = m_table.rows[m_order[size_t(index.row())]];
    const Column& column = m_columns[index.column()];
    switch (role) {
    case Qt::DisplayRole:
        return cellText(row, column);
    case Qt::ToolTipRole:
        if (column.kind == Kind::Sparkline)
            return QString("%1 events between %2 and %3 UTC, in %4 equal slices")
                .arg(QLocale().toString(qulonglong(row.events)))
                .arg(QDateTime::fromMSecsSinceEpoch(m_table.first / 1000, QTimeZone::utc())
                         .toString(Qt::ISODate))
                .arg(QDateTime::fromMSecsSinceEpoch(m_table.last / 1000, QTimeZone::utc())
                         .toString(Qt::ISODate))
                .arg(row.sparkline.size());
        if (column.kind == Kind::Value)
            return qs(row.value) + (row.name.empty() ? "" : " (" + qs(row.name) + ")");
        return {};
    case Qt::TextAlignmentRole:
        if (column.kind == Kind::Events || column.kind == Kind::Decision || column.kind == Kind::Share)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ShareRole:
        return m_table.events ? double(row.events) / double(m_table.events) : 0.0;
    case SparklineRole: {
        QList<int> counts;
        for (uint32_t n : row.sparkline)
            counts.append(int(n));
        return QVariant::fromValue(counts);
    }
    case ValueRole:
        return qs(row.value);
    default:
        return {};
    }
}

QVariant StatisticsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size()) return {};
    if (role == Qt::DisplayRole) return m_columns[section].title;
    return {};
}

void StatisticsModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= m_columns.size()) return;
    const Column c = m_columns[column];
    auto key = [&](const StatisticsRow& r) -> uint64_t {
        return c.kind == Kind::Decision ? r.decisions[size_t(c.decision)] : r.events;
    };
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<size_t> oldOrder = m_order;
    std::stable_sort(m_order.begin(), m_order.end(), [&](size_t ia, size_t ib) {
        const StatisticsRow &a = m_table.rows[ia], &b = m_table.rows[ib];
        bool less;
        if (c.kind == Kind::Value || c.kind == Kind::Name) {
            const std::string &x = c.kind == Kind::Value ? a.value : a.name,
                              &y = c.kind == Kind::Value ? b.value : b.name;
            if (x == y) return a.value < b.value;
            less = x < y;
        } else {
            if (key(a) == key(b)) return a.value < b.value; // ties read in value order either way
            less = key(a) < key(b);
        }
        return order == Qt::AscendingOrder ? less : !less;
    });
    // Persistent indexes (the selection) follow their rows.
    std::vector<int> newRowOf(m_order.size());
    for (size_t i = 0; i < m_order.size(); ++i)
        newRowOf[m_order[i]] = int(i);
    QModelIndexList after;
    for (const QModelIndex& i : before)
        after.append(index(newRowOf[oldOrder[size_t(i.row())]], i.column()));
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

std::string StatisticsModel::csv() const {
    std::string out;
    auto line = [&](const QStringList& cells) {
        for (int i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            out += csv::escapeCell(cells[i].toStdString());
        }
        out += "\r\n";
    };
    QStringList header;
    for (const Column& c : m_columns)
        if (c.kind != Kind::Sparkline) header << (c.kind == Kind::Share ? "Share (%)" : c.title);
    line(header);
    for (size_t i : m_order) {
        const StatisticsRow& r = m_table.rows[i];
        QStringList cells;
        for (const Column& c : m_columns) {
            if (c.kind == Kind::Sparkline) continue;
            // Plain numbers: a spreadsheet reads them without the locale's separators.
            if (c.kind == Kind::Events)
                cells << QString::number(r.events);
            else if (c.kind == Kind::Decision)
                cells << QString::number(r.decisions[size_t(c.decision)]);
            else if (c.kind == Kind::Share)
                cells << (m_table.events
                              ? QString::number(100.0 * double(r.events) / double(m_table.events), 'f', 2)
                              : QString());
            else
                cells << cellText(r, c);
        }
        line(cells);
    }
    return out;
}

QString StatisticsModel::plainText() const {
    QList<QStringList> grid;
    QStringList header;
    for (const Column& c : m_columns)
        if (c.kind != Kind::Sparkline) header << c.title;
    grid << header;
    for (size_t i : m_order) {
        QStringList cells;
        for (const Column& c : m_columns)
            if (c.kind != Kind::Sparkline) cells << cellText(m_table.rows[i], c);
        grid << cells;
    }
    QList<int> widths(header.size(), 0);
    for (const QStringList& r : grid)
        for (int c = 0; c < r.size(); ++c)
            widths[c] = std::max(widths[c], int(r[c].size()));
    QString out;
    for (const QStringList& r : grid) {
        QStringList padded;
        for (int c = 0; c < r.size(); ++c) {
            const Kind k = c < m_columns.size() ? m_columns[c].kind : Kind::Value;
            const bool right = k == Kind::Events || k == Kind::Decision || k == Kind::Share;
            padded << (right ? r[c].rightJustified(widths[c]) : r[c].leftJustified(widths[c]));
        }
        out += padded.join("  ").trimmed() + "\n";
    }
    return out;
}

} // namespace caracal::ui
