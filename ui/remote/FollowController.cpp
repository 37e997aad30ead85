#include "remote/FollowController.h"

#include "filter/FilterEdit.h"
#include "session/JobTracker.h"

#include <QLocale>
#include <QtConcurrent>
#include <random>

namespace caracal::ui {

namespace {

std::shared_ptr<FollowController::Poll> pollOnce(const RemoteConnection& connection, const QByteArray& token,
                                                 const ServerFilter& filter, bool auditService,
                                                 const EventStore* base, const std::atomic<bool>* cancel) {
    auto poll = std::make_shared<FollowController::Poll>(); // its base is set on the GUI thread
    RemoteFetcher fetcher(connection, token);
    fetcher.setCancel(cancel);
    const std::string stamp = QDateTime::currentDateTime().toString("HH:mm:ss").toStdString();
    poll->extension = extendStore(
        *base,
        [&](const LoadCallbacks& cb) {
            for (const std::string& zone : connection.zones) {
                const auto rows = base->rowsWith(Field::Zone, zone);
                const ServerFilter f = rows.empty()
                                           ? filter
                                           : followFilter(filter, base->record(rows.back()).occurredAt -
                                                                      FollowController::kOverlapMicros);
                const auto sink = [&](const QByteArray& page, int index) {
                    loadPage(page, zone + " follow " + stamp + " page " + std::to_string(index),
                             auditService ? SourceOrigin::AuditService : SourceOrigin::CaracalApi, cb);
                };
                const ListResult r = listZone(fetcher, zone, f, auditService, sink);
                for (const auto& n : r.notes)
                    cb.notice(zone + ": " + n);
                if (r.capped) { // newest first: what the cap cut off lies between the old and the new events
                    poll->gap = true;
                    cb.notice(zone +
                              ": more new events arrived than the page cap lets one poll read; older ones "
                              "among them were not fetched. Reload (F5) to read the zone again.");
                }
                if (r.error && r.error->kind != "cancelled" && !poll->error) poll->error = r.error;
                if (cancel->load()) return false;
            }
            return true;
        },
        cancel);
    const MergeCounts& n = poll->extension.counts;
    if (poll->extension.store && (n.added || n.replaced))
        poll->values = FilterEdit::valuesIn(*poll->extension.store);
    else
        poll->extension.store.reset(); // nothing to swap in
    return poll;
}

} // namespace

FollowController::FollowController(JobTracker* jobs, QObject* parent) : QObject(parent), m_jobs(jobs) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &FollowController::pollNow);
}

bool FollowController::isPolling() const {
    return m_jobs->isRunning("follow");
}

FollowController::~FollowController() {
    disconnect(); // the window listening may be half destroyed already
    stop();
}

void FollowController::start(const RemoteConnection& connection, const ServerFilter& filter,
                             bool auditService, StoreSource currentStore) {
    stop();
    m_connection = connection;
    m_filter = filter;
    m_auditService = auditService;
    m_currentStore = std::move(currentStore);
    m_schedule = FollowSchedule(connection.followIntervalSeconds * 1000);
    m_active = true;
    m_gap = false;
    m_lastPoll = {};
    scheduleNext();
}

void FollowController::stop() {
    m_timer.stop();
    m_active = false;
    m_jobs->cancel("follow"); // aborts the request in flight; its result is dropped
    emit stateChanged();
}

void FollowController::setPaused(bool paused) {
    if (!m_active || paused == m_schedule.paused()) return;
    m_schedule.setPaused(paused);
    if (paused)
        m_timer.stop();
    else
        pollNow(); // catch up at once
    emit stateChanged();
}

void FollowController::pollNow() {
    if (!m_active || m_schedule.paused() || isPolling()) return;
    m_timer.stop();
    const std::shared_ptr<const EventStore> base = m_currentStore ? m_currentStore() : nullptr;
    if (!base) { // the window is busy (loading, indexing): try again later
        scheduleNext();
        return;
    }
    const TokenLoad token = loadAdminToken(m_connection); // read on each poll, kept only for it
    if (!token.error.empty()) {
        m_schedule.failed("No admin token: " + token.error);
        m_lastPoll = QDateTime::currentDateTime();
        scheduleNext();
        emit polled();
        return;
    }
    m_jobs->run<std::shared_ptr<Poll>>(
        "follow", base,
        [connection = m_connection, token = token.token, filter = m_filter,
         auditService = m_auditService](const EventStore* store, JobControl& control) {
            return pollOnce(connection, token, filter, auditService, store, control.cancelFlag());
        },
        [this, base](std::shared_ptr<Poll> poll) {
            poll->base = base;
            finishPoll(std::move(poll));
        });
    emit stateChanged();
}

void FollowController::finishPoll(std::shared_ptr<Poll> poll) {
    if (!m_active || !poll) return;
    m_lastPoll = QDateTime::currentDateTime();
    if (poll->error)
        m_schedule.failed(poll->error->text(), poll->error->retryAfterSeconds);
    else
        m_schedule.succeeded();
    m_lastAdded = poll->extension.counts.added;
    m_gap = m_gap || poll->gap;
    if (poll->extension.store) emit extended(poll);
    scheduleNext();
    emit polled();
}

void FollowController::scheduleNext() {
    if (!m_active || m_schedule.paused()) return;
    static thread_local std::mt19937 random{std::random_device{}()};
    m_nextDelayMs = m_schedule.nextDelayMs(std::uniform_real_distribution<double>(0.0, 1.0)(random));
    m_timer.start(m_nextDelayMs);
    emit stateChanged();
}

QString FollowController::stateText() const {
    if (!m_active) return {};
    if (m_schedule.paused())
        return "Paused: new events are not fetched. Resume with View > Follow new events.";
    const QString last =
        m_lastPoll.isValid()
            ? QString(", last poll %1 (%2 new)").arg(m_lastPoll.toString("HH:mm:ss")).arg(m_lastAdded)
            : QString();
    const QString gap = m_gap ? " Some new events were skipped by the page cap: reload (F5)." : QString();
    if (isPolling()) return "Live: fetching new events" + last + "." + gap;
    if (m_schedule.failures() > 0)
        return QString("Server failing (%1 in a row): %2. Next try in %3 s.")
            .arg(m_schedule.failures())
            .arg(QString::fromStdString(m_schedule.lastFailure()))
            .arg((m_nextDelayMs + 999) / 1000);
    return QString("Live: polling every %1 s%2.%3").arg(m_schedule.intervalMs() / 1000).arg(last, gap);
}

} // namespace caracal::ui
