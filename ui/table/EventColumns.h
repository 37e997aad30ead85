#pragma once
// The table's columns: seven console columns (occurred, event, actor, decision, deny reason, zone, request
// id) and any of the 46 export fields. A column is named by a key: "@occurred" ... for the console's, the
// field name otherwise.
#include <QString>
#include <QStringList>

namespace caracal::ui {

struct ColumnInfo {
    QString key;
    QString title;
};

const QStringList& defaultColumns();
// The console columns followed by the 46 export fields, in menu order.
const QList<ColumnInfo>& allColumns();
QString columnTitle(const QString& key);
bool isConsoleColumn(const QString& key);

} // namespace caracal::ui
