#include "session/ConsoleSession.h"

#include "filter/FilterEdit.h"
#include "input/InputPaths.h"
#include "input/InputStream.h"
#include "remote/FollowController.h"
#include "session/FileFollowController.h"
#include "session/LoadController.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

namespace caracal::ui {

namespace {

QString number(qlonglong n) {
    return QLocale().toString(n);
}

// Index results computed off the GUI thread and adopted on it.
struct IndexResult {
    EventStore::Indexes indexes;
    QHash<QString, QStringList> values;
};

struct MergeResult {
    StoreExtension extension;
    QHash<QString, QStringList> values;
};

// A filter whose answer changes with the clock ("since:15m") must be computed again in full.
bool dependsOnTime(const QString& filter) {
    return filter.contains("since:", Qt::CaseInsensitive) || filter.contains("until:", Qt::CaseInsensitive);
}

} // namespace

ConsoleSession::ConsoleSession(QObject* parent)
    : QObject(parent), m_jobs(new JobTracker(this)), m_loader(new LoadController(this)),
      m_follow(new FollowController(m_jobs, this)), m_fileFollow(new FileFollowController(m_jobs, this)),
      m_view(std::make_shared<EventStore>()) {
    connect(m_fileFollow, &FileFollowController::restartNeeded, this, [this](const QString& message) {
        m_reloadNotice = message;
        emit fileFollowNotice(message);
        startFiles(m_source.files); // following goes on once it is indexed
    });
    connect(m_fileFollow, &FileFollowController::error, this, &ConsoleSession::fileFollowNotice);
    connect(m_loader, &LoadController::batchReady, this, &ConsoleSession::onBatch);
    connect(m_loader, &LoadController::finished, this, &ConsoleSession::onLoadFinished);
    connect(m_loader, &LoadController::progress, this, &ConsoleSession::loadProgress);
    connect(m_loader, &LoadController::fileError, this, [this](const QString& m) {
        if (m_loading) m_loading->addLoadError(m.toStdString());
    });
    connect(m_loader, &LoadController::notice, this, [this](const QString& m) {
        if (m_loading) m_loading->addNotice(m.toStdString());
    });
    connect(m_follow, &FollowController::extended, this,
            [this](std::shared_ptr<FollowController::Poll> poll) {
                const MergeCounts& n = poll->extension.counts;
                QString message = n.added == 1 ? QString("1 new event")
                                               : QString("%1 new events").arg(number(qlonglong(n.added)));
                if (n.replaced)
                    message += QString(", %1 replaced by richer copies").arg(number(qlonglong(n.replaced)));
                adoptExtension(poll->base, poll->extension.store, poll->values, message);
            });
}

ConsoleSession::~ConsoleSession() {
    shutdown();
    // Follow mode and the loader before the tracker they use.
    delete m_fileFollow;
    delete m_follow;
    delete m_loader;
    delete m_jobs;
}

void ConsoleSession::shutdown() {
    if (m_shutDown) return;
    m_shutDown = true;
    m_loader->disconnect(this); // a cancelled load must not start its indexing now
    m_follow->disconnect(this);
    m_follow->stop();
    m_fileFollow->disconnect(this);
    m_fileFollow->stop();
    m_loader->cancel();
    m_jobs->shutdown();
}

void ConsoleSession::setState(State state) {
    if (state == m_state) return;
    m_state = state;
    emit stateChanged(state);
    // A change seen while the store could not be extended is read now.
    if (state == State::Ready && m_fileFollow->isActive()) m_fileFollow->pollNow();
}

void ConsoleSession::beginLoad() {
    m_loader->cancel();
    m_follow->stop();
    m_fileFollow->stop();
    m_jobs->cancelAll(); // every running job reads the store being replaced
    m_incoming.reset();
    m_loading = std::make_shared<EventStore>();
    if (!m_reloadNotice.isEmpty()) m_loading->addNotice(m_reloadNotice.toStdString());
    m_reloadNotice.clear();
    m_view = m_loading;
    m_rows.clear();
    m_rowsFilter.clear();
    m_rowsSort = {};
    m_completed = false;
    m_loadTimer.start();
    setState(State::Loading);
    emit storeReplaced();
}

void ConsoleSession::openFiles(const QStringList& pathList) {
    if (m_followFile) {
        m_followFile = false;
        emit fileFollowChanged(false);
    }
    startFiles(pathList);
}

void ConsoleSession::startFiles(const QStringList& pathList) {
    const QStringList paths = pathList; // a reload passes this session's own list
    m_source = SessionSource{};
    m_source.files = paths;
    beginLoad();
    qint64 bytes = 0;
    for (const QString& p : paths)
        bytes += QFileInfo(p).size();
    m_loading->reserve(size_t(bytes / 300)); // Caracal events are 300 bytes or more
    m_loader->start(paths);
}

void ConsoleSession::openRemote(RemoteConnection connection, const QByteArray& token, ServerFilter filter,
                                bool auditService) {
    // By value: a reload passes this session's own source, which is replaced here.
    m_source = SessionSource{};
    m_source.remote = connection;
    m_source.auditService = auditService;
    m_source.serverFilter = filter;
    beginLoad();
    m_loader->startRemote(connection, token, filter, auditService);
}

void ConsoleSession::openLedger(const LedgerOptions& options, const LedgerFilter& filter, size_t rowCap,
                                LedgerRead read) {
    m_source = SessionSource{};
    m_source.ledger = options;
    m_source.ledgerFilter = filter;
    m_source.ledgerRowCap = rowCap;
    m_source.ledgerRead = std::move(read);
    beginLoad();
    m_loader->startLedger(options, filter, rowCap);
}

void ConsoleSession::cancelLoad() {
    m_loader->cancel();
}

void ConsoleSession::onBatch(std::shared_ptr<LoadBatch> batch) {
    if (!m_loading) return;
    const RowId before = RowId(m_loading->size());
    m_loading->append(std::move(*batch));
    m_loader->batchConsumed();
    emit rowsAppended(before, RowId(m_loading->size()));
}

void ConsoleSession::onLoadFinished(bool completed) {
    if (!m_loading) return;
    setState(State::Indexing);
    // Indexes and completion values are built on a worker; the store is only read there.
    std::shared_ptr<EventStore> store = m_loading;
    m_jobs->run<std::shared_ptr<IndexResult>>(
        "index", store,
        [](const EventStore* s, JobControl&) {
            auto r = std::make_shared<IndexResult>();
            r->indexes = s->buildIndexes();
            r->values = FilterEdit::valuesIn(*s);
            return r;
        },
        [this, store, completed](std::shared_ptr<IndexResult> result) {
            if (store != m_loading) return; // another load started meanwhile
            store->adoptIndexes(std::move(result->indexes));
            m_values = std::move(result->values);
            m_loading.reset(); // from here on the store is only read
            m_completed = completed;
            m_loadSeconds = m_loadTimer.elapsed() / 1000.0;
            setState(State::Ready);
            emit indexed(completed);
            if (m_followFile && !setFollowingFile(true)) {
                m_followFile = false;
                emit fileFollowChanged(false);
            }
        });
}

bool ConsoleSession::mergeFiles(const QStringList& paths) {
    if (isExtending() || m_state == State::Empty) return false;
    std::vector<std::string> files;
    for (const QString& p : paths)
        files.push_back(QFileInfo(p).absoluteFilePath().toStdString());
    const std::shared_ptr<const EventStore> base = m_view;
    setState(State::Extending);
    m_jobs->run<std::shared_ptr<MergeResult>>(
        "merge", base,
        [files](const EventStore* s, JobControl& control) {
            auto r = std::make_shared<MergeResult>();
            r->extension = extendStore(
                *s, [&](const LoadCallbacks& cb) { return loadFiles(files, {}, cb); }, control.cancelFlag());
            if (r->extension.store) r->values = FilterEdit::valuesIn(*r->extension.store);
            return r;
        },
        [this, base, paths](std::shared_ptr<MergeResult> r) {
            if (!r->extension.store) {
                setState(State::Ready);
                emit mergeFailed("Nothing could be merged from " + paths.join(", "));
                return;
            }
            QStringList errors;
            for (const auto& e : r->extension.store->loadErrors())
                if (std::find(base->loadErrors().begin(), base->loadErrors().end(), e) ==
                    base->loadErrors().end())
                    errors << QString::fromStdString(e);
            // Said after the extension is adopted: a listener may run an event loop (a message box).
            if (!errors.isEmpty())
                QMetaObject::invokeMethod(
                    this, [this, errors] { emit mergeFailed(errors.join('\n')); }, Qt::QueuedConnection);
            const MergeCounts& n = r->extension.counts;
            setState(State::Ready); // adoptExtension sets Extending again while the view is computed
            adoptExtension(
                base, r->extension.store, r->values,
                QString("Merged %1: %2 new events, %3 replaced by richer copies, %4 already loaded")
                    .arg(paths.size() == 1 ? QFileInfo(paths[0]).fileName()
                                           : QString("%1 files").arg(paths.size()))
                    .arg(number(qlonglong(n.added)), number(qlonglong(n.replaced)),
                         number(qlonglong(n.kept))));
        });
    return true;
}

bool ConsoleSession::setFollowing(bool on) {
    if (!on || !m_source.isRemote()) {
        m_follow->stop();
        return !on;
    }
    if (!m_follow->isActive())
        m_follow->start(*m_source.remote, m_source.serverFilter, m_source.auditService,
                        [this] { return isExtending() ? nullptr : m_view; });
    return true;
}

bool ConsoleSession::canFollowFile() const {
    if (m_source.isRemote() || m_source.files.size() != 1 || isLoading() || m_state == State::Empty)
        return false;
    const QString& path = m_source.files.front();
    if (!QFileInfo(path).isFile() || isStreamInput(path.toStdString())) return false;
    QFile file(path); // a compressed export is read through its decoder: its bytes on disk are not lines
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QByteArray head = file.read(8);
    return detectCompression(std::string_view(head.constData(), size_t(head.size()))) == Compression::None;
}

bool ConsoleSession::setFollowingFile(bool on) {
    if (!on) {
        m_fileFollow->stop();
        if (m_followFile) {
            m_followFile = false;
            emit fileFollowChanged(false);
        }
        return true;
    }
    if (!canFollowFile()) return false;
    if (!m_followFile) {
        m_followFile = true;
        emit fileFollowChanged(true);
    }
    if (!m_fileFollow->isActive())
        m_fileFollow->start(
            m_source.files.front(), [this] { return isExtending() ? nullptr : m_view; },
            [this](const std::shared_ptr<const EventStore>& base, std::shared_ptr<EventStore> store,
                   const QHash<QString, QStringList>& values, const QString& message) {
                if (base != m_view || isExtending()) return false;
                adoptExtension(base, std::move(store), values, message);
                return true;
            });
    return true;
}

void ConsoleSession::adoptExtension(const std::shared_ptr<const EventStore>& base,
                                    std::shared_ptr<EventStore> store,
                                    const QHash<QString, QStringList>& values, const QString& message) {
    if (base != m_view || isExtending() || !store) return; // replaced meanwhile; follow mode reads again
    m_incoming = std::move(store);
    m_values = values;
    setState(State::Extending);
    emit extensionArrived(message);
}

void ConsoleSession::computeView(FilterQuery query, const QString& filterText, const SortSpec& sort) {
    if (isLoading() || m_shutDown) return;
    const std::shared_ptr<const EventStore> target = viewTarget();
    // Same filter and order over a store that only grew: place the new rows into the view it had.
    // Actor names come from the whole store (an application's name may arrive later): those views in full.
    const bool incremental = m_incoming && filterText == m_rowsFilter && sort == m_rowsSort &&
                             !dependsOnTime(filterText) && m_state == State::Extending &&
                             sort.column != QLatin1String("@actor");
    std::vector<RowId> previous = incremental ? m_rows : std::vector<RowId>{};
    const RowId grownFrom = RowId(m_view->size());
    auto q = std::make_shared<FilterQuery>(std::move(query));
    m_jobs->run<std::shared_ptr<std::vector<RowId>>>(
        "view", target,
        [q, sort, incremental, previous = std::move(previous), grownFrom](const EventStore* s,
                                                                          JobControl& control) {
            auto rows = std::make_shared<std::vector<RowId>>();
            if (incremental) {
                std::vector<RowId> added;
                for (RowId r = grownFrom; r < s->size(); ++r)
                    if (!s->isSuperseded(r) && q->matches(r)) added.push_back(r);
                std::sort(added.begin(), added.end(), [s](RowId a, RowId b) { return s->lessInTime(a, b); });
                rows->reserve(previous.size() + added.size());
                for (RowId r : previous)
                    if (!s->isSuperseded(r)) rows->push_back(r); // richer copies replace poorer ones
                insertSorted(*s, *rows, std::move(added), sort);
                return rows;
            }
            *rows = q->run(control.cancelFlag());
            if (control.cancelled() || !sortRows(*s, *rows, sort, control.cancelFlag())) rows->clear();
            return rows;
        },
        [this, target, filterText, sort](std::shared_ptr<std::vector<RowId>> rows) {
            if (target != viewTarget()) return; // another load or extension meanwhile
            ViewResult view;
            view.store = target;
            view.extended = target != m_view;
            if (view.extended) { // the window swaps the table's store as it takes these rows
                m_view = std::move(m_incoming);
                m_incoming.reset();
                setState(State::Ready);
            }
            m_rows = std::move(*rows);
            m_rowsFilter = filterText;
            m_rowsSort = sort;
            view.rows = m_rows;
            emit viewReady(view);
        });
}

void ConsoleSession::sortView(const SortSpec& sort) {
    if (isLoading() || m_shutDown) return;
    const std::shared_ptr<const EventStore> target = m_view; // the rows shown refer to it
    m_jobs->run<std::shared_ptr<std::vector<RowId>>>(
        "view", target,
        [rows = m_rows, sort](const EventStore* s, JobControl& control) {
            auto out = std::make_shared<std::vector<RowId>>(rows);
            std::sort(out->begin(), out->end(), [s](RowId a, RowId b) { return s->lessInTime(a, b); });
            if (!sortRows(*s, *out, sort, control.cancelFlag())) out->clear();
            return out;
        },
        [this, target, sort](std::shared_ptr<std::vector<RowId>> rows) {
            if (target != m_view) return;
            m_rows = std::move(*rows);
            m_rowsSort = sort;
            ViewResult view;
            view.store = target;
            view.rows = m_rows;
            emit viewReady(view);
        });
}

void ConsoleSession::setView(std::vector<RowId> rows) {
    m_jobs->invalidate("view");
    if (m_incoming) {
        m_view = std::move(m_incoming);
        m_incoming.reset();
        setState(State::Ready);
        emit storeExtended();
    }
    m_rows = std::move(rows);
    m_rowsFilter = QString::fromUtf8("\x01"); // not a filter's view: a later extension computes in full
}

} // namespace caracal::ui
