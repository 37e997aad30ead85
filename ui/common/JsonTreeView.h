#pragma once
// How the views that show a JsonTreeModel lay it out: the value column gets the room, long values are
// elided in the middle (both ends of an id or URL stay readable) and carry the full value in the tooltip.
class QTreeView;

namespace caracal::ui {

// Sets the columns' resize modes and the elision; call once after setModel().
void setUpJsonTreeView(QTreeView* view);
// After new JSON is shown: the key column fits its keys, but never takes more than a third of the width.
void fitJsonKeyColumn(QTreeView* view);

} // namespace caracal::ui
