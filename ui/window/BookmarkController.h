#pragma once
// Bookmarks for the window: Ctrl+B toggles one on the current event, F2 / Shift+F2 go to the next and
// previous bookmarked event of the view, the Bookmarks dock lists them with a note each, and the table marks
// bookmarked rows. Lists are kept per source (BookmarkFile) and saved on every change; which row each
// bookmark is in a newly loaded store is looked up off the GUI thread.
#include "window/BookmarkModel.h"

#include <QDockWidget>
#include <QIcon>

class QTableView;

namespace caracal::ui {

class MainWindow;

class BookmarkController : public QObject {
    Q_OBJECT
  public:
    explicit BookmarkController(MainWindow* window, BookmarkFile file = BookmarkFile());

    BookmarkModel* model() const { return m_model; }
    QDockWidget* dock() const { return m_dock; }
    QTableView* list() const { return m_list; }
    // Toggles the bookmark of the table's current event; false when no event is selected.
    bool toggleCurrent();
    // Selects the next (previous) bookmarked event of the view after (before) the current row, wrapping.
    bool next();
    bool previous();
    // Selects a bookmark's event in the table; false (with a status message) when the view does not hold it.
    bool show(int bookmark);

  signals:
    void resolved(); // every bookmark's row in the store shown is known

  private:
    void onLoadFinished();
    void onStoreReplaced();
    void resolve();
    void save();
    void updateMarks();
    bool step(int direction);

    MainWindow* m_window;
    BookmarkFile m_file;
    QString m_key; // the source the list belongs to
    BookmarkModel* m_model;
    QDockWidget* m_dock;
    QTableView* m_list;
    QIcon m_mark;
};

} // namespace caracal::ui
