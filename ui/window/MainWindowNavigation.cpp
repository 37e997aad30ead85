// The window's part of navigation, kept together: Back / Forward (NavigationController), bookmarks
// (BookmarkController and its dock) and File > Export view. The actions join the registry here; the File
// menu's "Export view..." is in buildActions with the other file commands.
#include "detail/RequestTraceView.h"
#include "dialogs/ExportViewDialog.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/ActionRegistry.h"
#include "window/BookmarkController.h"
#include "window/MainWindow.h"
#include "window/NavigationController.h"

#include <QAction>
#include <QCheckBox>
#include <QStatusBar>

namespace caracal::ui {

void MainWindow::addNavigationActions() {
    m_navigation = new NavigationController(this);
    m_bookmarks = new BookmarkController(this);
    ActionRegistry& a = *m_actions;
    const QString go = "&Go";
    QAction* back = a.add(
        "back", go, "&Back", QKeySequence(Qt::ALT | Qt::Key_Left), [this] { m_navigation->goBack(); },
        "Back to the previous filter, selection or trace (also the mouse's back button)");
    QAction* forward = a.add(
        "forward", go, "&Forward", QKeySequence(Qt::ALT | Qt::Key_Right),
        [this] { m_navigation->goForward(); },
        "Forward again after going back (also the mouse's forward button)");
    const auto updateNavigation = [this, back, forward] {
        back->setEnabled(m_navigation->history().canGoBack());
        forward->setEnabled(m_navigation->history().canGoForward());
    };
    connect(m_navigation, &NavigationController::changed, this, updateNavigation);
    updateNavigation();
    a.addSeparator(go);
    a.add(
        "bookmark", go, "Toggle &bookmark", QKeySequence("Ctrl+B"), [this] { m_bookmarks->toggleCurrent(); },
        "Bookmark the selected event, or remove its bookmark");
    a.add(
        "next-bookmark", go, "&Next bookmark", QKeySequence(Qt::Key_F2), [this] { m_bookmarks->next(); },
        "Select the next bookmarked event of the view");
    a.add(
        "previous-bookmark", go, "&Previous bookmark", QKeySequence(Qt::SHIFT | Qt::Key_F2),
        [this] { m_bookmarks->previous(); }, "Select the previous bookmarked event of the view");
    QAction* dock = m_bookmarks->dock()->toggleViewAction();
    dock->setText("Bookmarks &list");
    dock->setShortcut(QKeySequence("Ctrl+Shift+B"));
    a.addExisting("bookmarks", go, dock, "Show the bookmarks with their notes");
}

ExportViewDialog* MainWindow::openExportView() {
    if (isLoading() || m_model->rowCount() == 0) {
        statusBar()->showMessage(isLoading() ? "Wait for loading to finish, then export the view"
                                             : "The view is empty: nothing to export",
                                 5000);
        return nullptr;
    }
    ExportViewDialog::Input input;
    input.store = currentStore();
    input.viewRows = m_model->rows();
    for (int row : m_table->selectedRowNumbers())
        input.selectedRows.push_back(m_model->rowId(row));
    input.columns = m_model->columns();
    input.rawValues = m_traceView->rawValuesToggle()->isChecked();
    auto* dialog = new ExportViewDialog(std::move(input), &m_session->jobs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportViewDialog::exported, this, [this](const QString& path, qulonglong rows) {
        statusBar()->showMessage(QString("Exported %1 events to %2").arg(QLocale().toString(rows), path),
                                 8000);
    });
    dialog->show();
    return dialog;
}

} // namespace caracal::ui
