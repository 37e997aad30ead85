#pragma once
// One statistics table (app/statistics) as a sortable Qt model: value, application name, events, share of
// the events looked at, one column per decision and a sparkline over time. Text for copying and CSV export
// comes from here too, in the order the table is sorted.
#include "statistics/FieldStatistics.h"

#include <QAbstractTableModel>

namespace caracal::ui {

class StatisticsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Role {
        ShareRole = Qt::UserRole + 1, // the row's events / events looked at, in [0, 1]
        SparklineRole,                // QList<int>: events per time slice
        ValueRole,                    // the grouped value itself (the filter's value)
    };
    enum class Kind { Value, Name, Events, Share, Decision, Sparkline };

    explicit StatisticsModel(QObject* parent = nullptr);

    void setTable(StatisticsTable table);
    const StatisticsTable& table() const { return m_table; }
    Kind kindOf(int column) const;
    int columnOf(Kind kind) const; // the first column of that kind, or -1
    // The grouped value of a row as shown (after sorting).
    QString valueAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    // The table as shown, every column but the sparkline: RFC 4180 CSV (CRLF, formula guard) and aligned
    // plain text.
    std::string csv() const;
    QString plainText() const;

  private:
    struct Column {
        Kind kind;
        int decision = -1; // index into the table's decisions
        QString title;
    };
    QString cellText(const StatisticsRow& row, const Column& column) const;

    StatisticsTable m_table;
    QList<Column> m_columns;
    std::vector<size_t> m_order; // shown row -> table row
};

} // namespace caracal::ui
