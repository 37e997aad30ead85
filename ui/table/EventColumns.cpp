#include "table/EventColumns.h"

#include "load/CsvExport.h"

namespace caracal::ui {

const QStringList& defaultColumns() {
    static const QStringList keys = {"@occurred", "@event", "@actor",  "@decision",
                                     "@reason",   "@zone",  "@request"};
    return keys;
}

const QList<ColumnInfo>& allColumns() {
    static const QList<ColumnInfo> columns = [] {
        QList<ColumnInfo> c = {{"@occurred", "Occurred"}, {"@event", "Event"},   {"@actor", "Actor"},
                               {"@decision", "Decision"}, {"@reason", "Reason"}, {"@zone", "Zone"},
                               {"@request", "Request ID"}};
        for (auto f : csv::exportFields())
            c.append(
                {QString::fromLatin1(f.data(), int(f.size())), QString::fromLatin1(f.data(), int(f.size()))});
        return c;
    }();
    return columns;
}

QString columnTitle(const QString& key) {
    for (const auto& c : allColumns())
        if (c.key == key) return c.title;
    return key;
}

bool isConsoleColumn(const QString& key) {
    return key.startsWith('@');
}

} // namespace caracal::ui
