#pragma once
// Writing a chosen time range into a filter expression: the expression's own top-level since:/until: terms
// are replaced (not duplicated), everything else is kept as typed.
#include <QString>

namespace caracal::ui {

// `filter` without its plain since:/until: terms (not negated, not inside a group or next to OR, where
// removing them would change the meaning), then "since:START until:END" in RFC 3339 UTC.
QString withTimeRange(const QString& filter, qint64 startSeconds, qint64 endSeconds);

} // namespace caracal::ui
