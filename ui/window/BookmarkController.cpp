#include "window/BookmarkController.h"

#include "common/StatusPalette.h"
#include "present/EventPresentation.h"
#include "session/ConsoleSession.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"

#include <QHeaderView>
#include <QPainter>
#include <QPainterPath>
#include <QStatusBar>
#include <QTableView>
#include <unordered_map>

namespace caracal::ui {

namespace {
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// A ribbon, as bookmarks are drawn elsewhere, in the palette's accent colour.
QIcon ribbonIcon() {
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.moveTo(4, 1);
    path.lineTo(12, 1);
    path.lineTo(12, 15);
    path.lineTo(8, 11);
    path.lineTo(4, 15);
    path.closeSubpath();
    p.fillPath(path, QColor(statusColor(StatusTone::Warning)));
    return QIcon(pixmap);
}
} // namespace

BookmarkController::BookmarkController(MainWindow* window, BookmarkFile file)
    : QObject(window), m_window(window), m_file(std::move(file)), m_model(new BookmarkModel(this)),
      m_mark(ribbonIcon()) {
    m_dock = new QDockWidget("Bookmarks", window);
    m_dock->setObjectName("bookmarksDock");
    m_list = new QTableView(m_dock);
    m_list->setObjectName("bookmarkList");
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    // Not F2: that key goes to the next bookmark everywhere in the window.
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setToolTip("Double-click an event to select it; double-click the note to edit it (F2 in the "
                       "table goes to the next bookmark)");
    m_dock->setWidget(m_list);
    window->addDockWidget(Qt::RightDockWidgetArea, m_dock);
    m_dock->hide();

    connect(m_list, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.column() != BookmarkModel::NoteColumn) show(index.row());
    });
    connect(m_list, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        if (index.column() != BookmarkModel::NoteColumn) show(index.row());
    });
    connect(m_model, &BookmarkModel::edited, this, &BookmarkController::save);
    connect(window, &MainWindow::loadFinished, this, &BookmarkController::onLoadFinished);
    connect(window, &MainWindow::storeExtended, this, &BookmarkController::resolve);
    connect(window->session(), &ConsoleSession::storeReplaced, this, &BookmarkController::onStoreReplaced);
}

void BookmarkController::onStoreReplaced() {
    // Row ids of the old store are void; the list stays (greyed) until the new store says where they are.
    m_model->setResolved(std::vector<std::optional<RowId>>(size_t(m_model->rowCount())));
    const QString key = BookmarkFile::sourceKey(m_window->session()->source());
    if (key != m_key) {
        m_key = key;
        m_model->setBookmarks(m_file.load(m_key));
    }
    updateMarks();
}

void BookmarkController::onLoadFinished() {
    resolve();
}

void BookmarkController::resolve() {
    if (m_model->rowCount() == 0) {
        updateMarks();
        emit resolved();
        return;
    }
    std::vector<std::pair<std::string, std::string>> wanted;
    for (const Bookmark& b : m_model->bookmarks())
        wanted.emplace_back(b.zone.toStdString(), b.eventId.toStdString());
    const std::shared_ptr<const EventStore> store = m_window->session()->store();
    m_window->session()->jobs().run<std::vector<std::optional<RowId>>>(
        "bookmarks", store,
        [wanted](const EventStore* s, JobControl& control) {
            // One pass over each bookmarked zone's rows, reading each row's id once.
            std::vector<std::optional<RowId>> rows(wanted.size());
            std::unordered_map<std::string, std::unordered_map<std::string, size_t>> byZone;
            for (size_t i = 0; i < wanted.size(); ++i)
                byZone[wanted[i].first][wanted[i].second] = i;
            size_t seen = 0;
            for (const auto& [zone, ids] : byZone)
                for (RowId r : s->rowsWith(Field::Zone, zone)) {
                    if (++seen % 4096 == 0 && control.cancelled()) return rows;
                    if (auto it = ids.find(s->eventId(r)); it != ids.end()) rows[it->second] = r;
                }
            return rows;
        },
        [this, store](std::vector<std::optional<RowId>> rows) {
            if (store != m_window->session()->store()) return;
            m_model->setResolved(std::move(rows));
            updateMarks();
            emit resolved();
        });
}

void BookmarkController::updateMarks() {
    QSet<RowId> marked;
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (auto r = m_model->rowOf(i)) marked.insert(*r);
    m_window->model()->setMarkedRows(std::move(marked), m_mark);
}

void BookmarkController::save() {
    if (auto error = m_file.save(m_key, m_model->bookmarks()))
        m_window->statusBar()->showMessage(*error, 8000);
}

bool BookmarkController::toggleCurrent() {
    const QModelIndex current = m_window->table()->currentIndex();
    const EventStore* store = m_window->store();
    if (!current.isValid() || !store || current.row() >= m_window->model()->rowCount() ||
        m_window->isLoading()) {
        m_window->statusBar()->showMessage("Select an event to bookmark it", 4000);
        return false;
    }
    if (m_key.isEmpty()) m_key = BookmarkFile::sourceKey(m_window->session()->source());
    const RowId row = m_window->model()->rowId(current.row());
    const QString zone = qs(store->field(row, Field::Zone));
    const QString id = QString::fromStdString(store->eventId(row));
    if (const int at = m_model->indexOf(zone, id); at >= 0) {
        m_model->remove(at);
        m_window->statusBar()->showMessage("Bookmark removed", 3000);
    } else {
        Bookmark b;
        b.zone = zone;
        b.eventId = id;
        b.occurredAt = store->record(row).occurredAt;
        const auto request = store->field(row, Field::RequestId);
        b.summary = qs(eventLabel(store->field(row, Field::EventType), store->field(row, Field::Decision))) +
                    (request.empty() ? QString() : " \u00b7 " + qs(request));
        m_model->add(b, row);
        m_window->statusBar()->showMessage("Bookmarked (F2 / Shift+F2 go through bookmarks)", 3000);
    }
    save();
    updateMarks();
    return true;
}

bool BookmarkController::next() {
    return step(+1);
}

bool BookmarkController::previous() {
    return step(-1);
}

bool BookmarkController::step(int direction) {
    EventTableModel* table = m_window->model();
    std::vector<int> positions; // view rows of bookmarked events
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (auto r = m_model->rowOf(i))
            if (const int at = table->rowOf(*r); at >= 0) positions.push_back(at);
    if (positions.empty()) {
        m_window->statusBar()->showMessage("No bookmarked event in this view", 4000);
        return false;
    }
    std::sort(positions.begin(), positions.end());
    const QModelIndex current = m_window->table()->currentIndex();
    const int from = current.isValid() ? current.row() : (direction > 0 ? -1 : table->rowCount());
    int target = -1;
    if (direction > 0) {
        auto it = std::upper_bound(positions.begin(), positions.end(), from);
        target = it == positions.end() ? positions.front() : *it; // wraps to the first
    } else {
        auto it = std::lower_bound(positions.begin(), positions.end(), from);
        target = it == positions.begin() ? positions.back() : *std::prev(it);
    }
    const QModelIndex index = table->index(target, 0);
    m_window->table()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                    QItemSelectionModel::Rows);
    m_window->table()->scrollTo(index);
    return true;
}

bool BookmarkController::show(int bookmark) {
    const auto row = m_model->rowOf(bookmark);
    const int at = row ? m_window->model()->rowOf(*row) : -1;
    if (at < 0) {
        m_window->statusBar()->showMessage(row ? "This event is not in the current view (clear the filter)"
                                               : "This event is not in the loaded data",
                                           6000);
        return false;
    }
    const QModelIndex index = m_window->model()->index(at, 0);
    m_window->table()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                    QItemSelectionModel::Rows);
    m_window->table()->scrollTo(index);
    m_window->table()->setFocus();
    return true;
}

} // namespace caracal::ui
