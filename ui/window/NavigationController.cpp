#include "window/NavigationController.h"

#include "detail/EventDetailView.h"
#include "detail/RequestTraceView.h"
#include "filter/FilterBar.h"
#include "filter/FilterEdit.h"
#include "session/BookmarkFile.h"
#include "session/ConsoleSession.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QTabWidget>

namespace caracal::ui {

namespace {
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
} // namespace

NavigationController::NavigationController(MainWindow* window) : QObject(window), m_window(window) {
    connect(window, &MainWindow::viewApplied, this, &NavigationController::onViewApplied);
    connect(window->table()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &NavigationController::scheduleCapture);
    connect(window->detailTabs(), &QTabWidget::currentChanged, this, &NavigationController::scheduleCapture);
    // Places name events of one source: another file or deployment starts a new history (a reload keeps it).
    connect(window->session(), &ConsoleSession::storeReplaced, this, [this] {
        const QString source = BookmarkFile::sourceKey(m_window->session()->source());
        if (source == m_source) return;
        m_source = source;
        m_history.clear();
        m_applied = {};
        emit changed();
    });
    qApp->installEventFilter(this); // the mouse's back button over any child of the window
}

NavigationController::~NavigationController() {
    qApp->removeEventFilter(this);
}

void NavigationController::onViewApplied() {
    FilterBar* bar = m_window->filterBar();
    m_applied.filter = bar->filterEdit()->text();
    m_applied.requestId = bar->requestBox()->text().trimmed();
    m_applied.zone = bar->selectedZone();
    if (m_waitingForView) {
        m_waitingForView = false;
        finishRestore();
        return;
    }
    scheduleCapture();
}

// Captured once the event loop is back: a view change resets the table's selection and restores it, and
// only where that ends is a place.
void NavigationController::scheduleCapture() {
    if (m_capturePending) return;
    m_capturePending = true;
    QMetaObject::invokeMethod(this, &NavigationController::capture, Qt::QueuedConnection);
}

void NavigationController::capture() {
    m_capturePending = false;
    if (m_restoring || m_window->isLoading() || !m_window->store() || m_window->store()->size() == 0) return;
    NavigationPlace place = m_applied;
    const QModelIndex current = m_window->table()->currentIndex();
    if (current.isValid() && current.row() < m_window->model()->rowCount()) {
        const EventStore& store = *m_window->store();
        const RowId row = m_window->model()->rowId(current.row());
        place.eventZone = qs(store.field(row, Field::Zone));
        place.eventId = QString::fromStdString(store.eventId(row));
        place.rowHint = row;
    }
    place.traceOpen = m_window->detailTabs()->currentWidget() == m_window->traceView();
    const bool couldBack = m_history.canGoBack(), couldForward = m_history.canGoForward();
    m_history.record(place);
    if (couldBack != m_history.canGoBack() || couldForward != m_history.canGoForward()) emit changed();
}

bool NavigationController::goBack() {
    if (m_restoring) return false;
    auto place = m_history.back();
    if (!place) return false;
    restore(*place);
    return true;
}

bool NavigationController::goForward() {
    if (m_restoring) return false;
    auto place = m_history.forward();
    if (!place) return false;
    restore(*place);
    return true;
}

void NavigationController::restore(const NavigationPlace& place) {
    emit changed();
    m_restoring = true;
    m_pending = place;
    if (place.filter == m_applied.filter && place.requestId == m_applied.requestId &&
        place.zone == m_applied.zone) {
        finishRestore();
        return;
    }
    m_window->setViewOptions(place.filter, place.requestId, place.zone);
    m_waitingForView = true;
    if (!m_window->applyView()) { // loading, or the filter no longer compiles: the selection still follows
        m_waitingForView = false;
        finishRestore();
    }
}

void NavigationController::finishRestore() {
    if (m_pending.eventId.isEmpty() ||
        !selectEvent(m_pending.eventZone, m_pending.eventId, m_pending.rowHint))
        m_window->table()->setCurrentIndex({});
    QTabWidget* tabs = m_window->detailTabs();
    tabs->setCurrentWidget(m_pending.traceOpen ? static_cast<QWidget*>(m_window->traceView())
                                               : static_cast<QWidget*>(m_window->detail()));
    // The selection and tab signals just queued captures; they run before this and see m_restoring.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_restoring = false;
            emit restored();
        },
        Qt::QueuedConnection);
}

bool NavigationController::selectEvent(const QString& zone, const QString& eventId, RowId rowHint) {
    const EventStore* store = m_window->store();
    EventTableModel* model = m_window->model();
    if (!store || model->store() != store) return false;
    const std::string z = zone.toStdString(), id = eventId.toStdString();
    auto select = [&](RowId r) {
        const int row = model->rowOf(r);
        if (row < 0) return false;
        const QModelIndex index = model->index(row, 0);
        m_window->table()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                        QItemSelectionModel::Rows);
        m_window->table()->scrollTo(index);
        return true;
    };
    if (rowHint < store->size() && store->field(rowHint, Field::Zone) == z && store->eventId(rowHint) == id)
        return select(rowHint);
    // After a reload row ids differ: the zone's rows are checked for the id.
    for (RowId r : store->rowsWith(Field::Zone, z))
        if (store->eventId(r) == id && select(r)) return true;
    return false;
}

bool NavigationController::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonPress) {
        auto* widget = qobject_cast<QWidget*>(watched);
        const auto button = static_cast<QMouseEvent*>(event)->button();
        if (widget && widget->window() == m_window &&
            (button == Qt::BackButton || button == Qt::ForwardButton)) {
            if (button == Qt::BackButton)
                goBack();
            else
                goForward();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace caracal::ui
