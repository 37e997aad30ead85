#include "timeline/TimelinePanel.h"

#include "session/ConsoleSession.h"
#include "timeline/TimeRangeTerms.h"
#include "timeline/TimelineView.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
using Computed = std::shared_ptr<const std::variant<Timeline, TimelineError>>;
constexpr qint64 kNarrowestWindow = 10; // seconds: ten 1 s bars
} // namespace

TimelinePanel::TimelinePanel(ConsoleSession* session, QLineEdit* filterLine, QWidget* parent)
    : QWidget(parent), m_session(session), m_filterLine(filterLine) {
    setObjectName("timelinePanel");
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(8, 2, 8, 4);
    v->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    auto* title = new QLabel("<b>Timeline</b>", this);
    m_bucket = new QComboBox(this);
    m_bucket->setToolTip("Bucket size: automatic from the range shown, or fixed");
    m_bucket->addItem("Auto", qlonglong(0));
    for (int64_t s : timelineBucketLadder())
        m_bucket->addItem(QString::fromStdString(bucketSizeName(s)), qlonglong(s));
    m_perZone = new QCheckBox("One row per zone", this);
    m_reset = new QToolButton(this);
    m_reset->setText("Reset zoom");
    m_reset->setToolTip("Show the whole view again (the wheel zooms, Shift+drag or the middle button pans)");
    m_reset->setEnabled(false);
    m_summary = new QLabel(this);
    m_summary->setObjectName("timelineSummary");
    bar->addWidget(title);
    bar->addWidget(m_summary, 1);
    bar->addWidget(new QLabel("Bucket:", this));
    bar->addWidget(m_bucket);
    bar->addWidget(m_perZone);
    bar->addWidget(m_reset);
    v->addLayout(bar);
    m_view = new TimelineView(this);
    m_view->setToolTip(QString()); // per bucket, from the view
    v->addWidget(m_view, 1);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setMaximumHeight(320);

    QSettings s;
    const int bucketIndex = m_bucket->findData(s.value("timeline/bucket", qlonglong(0)).toLongLong());
    m_bucket->setCurrentIndex(std::max(0, bucketIndex));
    m_perZone->setChecked(s.value("timeline/perZone", false).toBool());
    m_toggle = new QAction("&Timeline", this);
    m_toggle->setCheckable(true);
    m_toggle->setChecked(s.value("timeline/visible", true).toBool());
    m_toggle->setToolTip("Show or hide the events over time above the table");
    setVisible(m_toggle->isChecked());
    connect(m_toggle, &QAction::toggled, this, &TimelinePanel::setShown);

    connect(m_bucket, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue("timeline/bucket", m_bucket->currentData());
        refresh();
    });
    connect(m_perZone, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue("timeline/perZone", on);
        refresh();
    });
    connect(m_reset, &QToolButton::clicked, this, &TimelinePanel::resetZoom);
    connect(m_view, &TimelineView::rangeSelected, this, &TimelinePanel::chooseRange);
    connect(m_view, &TimelineView::zoomRequested, this, &TimelinePanel::zoom);
    connect(m_view, &TimelineView::panRequested, this, &TimelinePanel::pan);
    connect(m_session, &ConsoleSession::storeReplaced, this, [this] {
        m_session->jobs().cancel("timeline");
        m_window.reset();
        m_reset->setEnabled(false);
        m_view->setMessage("Loading...");
        m_summary->clear();
    });
}

void TimelinePanel::setShown(bool shown) {
    QSettings().setValue("timeline/visible", shown);
    setVisible(shown);
    if (shown && m_stale) refresh();
    if (!shown) m_session->jobs().cancel("timeline");
}

void TimelinePanel::refresh() {
    if (!m_toggle->isChecked()) { // hidden: nothing to draw, count when shown again
        m_stale = true;
        return;
    }
    m_stale = false;
    const std::shared_ptr<const EventStore> store = m_session->store();
    if (!store || m_session->isLoading()) return;
    TimelineOptions options;
    options.bucketSeconds = m_bucket->currentData().toLongLong();
    // About one bar per 6 pixels, whatever the window's width.
    options.maxBuckets = std::max(10, (m_view->width() > 50 ? m_view->width() : 600) / 6);
    options.perZone = m_perZone->isChecked();
    if (m_window) {
        options.rangeBegin = m_window->first * 1'000'000;
        options.rangeEnd = m_window->second * 1'000'000;
    }
    m_session->jobs().run<Computed>(
        "timeline", store,
        [rows = m_session->viewRows(), options](const EventStore* s, JobControl& control) -> Computed {
            auto computed = computeTimeline(*s, rows, options, control.cancelFlag());
            if (!computed) return nullptr;
            return std::make_shared<const std::variant<Timeline, TimelineError>>(std::move(*computed));
        },
        [this, automatic = options.bucketSeconds == 0](Computed computed) {
            if (!computed) return;
            if (const auto* error = std::get_if<TimelineError>(computed.get())) {
                m_view->setMessage(QString::fromStdString(error->message));
                m_summary->setText("choose a larger bucket");
            } else {
                // Shares the result's memory: the view keeps it alive, nothing is copied.
                auto timeline = std::shared_ptr<const Timeline>(computed, &std::get<Timeline>(*computed));
                m_view->setTimeline(timeline);
                m_automatic = automatic;
                updateSummary();
            }
            emit timelineShown();
        });
}

void TimelinePanel::updateSummary() {
    const Timeline* timeline = m_view->timeline();
    if (!timeline) return;
    // The legend names the classes drawn, with the busiest bar's count for the scale.
    uint32_t most = 0;
    bool present[kDecisionClassCount] = {};
    for (size_t lane = 0; lane < timeline->laneZones.size(); ++lane)
        for (size_t b = 0; b < timeline->bucketCount; ++b) {
            most = std::max(most, timeline->bucketTotal(lane, b));
            for (int c = 0; c < kDecisionClassCount; ++c)
                present[c] = present[c] || timeline->classCount(lane, b, DecisionClass(c));
        }
    QString legend;
    for (int c = 0; c < kDecisionClassCount; ++c)
        if (present[c])
            legend += QString(" &nbsp;<span style='color:%1'>&#9632;</span> %2")
                          .arg(TimelineView::classColor(DecisionClass(c), palette()).name(),
                               QString::fromUtf8(decisionClassName(DecisionClass(c)).data()));
    m_summary->setText(QString("%1 %2, %3 per bar%4%5, tallest bar %6%7")
                           .arg(QLocale().toString(qlonglong(timeline->events)),
                                timeline->events == 1 ? "event" : "events",
                                QString::fromStdString(bucketSizeName(timeline->bucketSeconds)),
                                m_automatic ? " (auto)" : "", m_window ? ", zoomed" : "",
                                QLocale().toString(qlonglong(most)), legend));
}

void TimelinePanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) updateSummary(); // the legend's colours follow the palette
}

void TimelinePanel::resetZoom() {
    m_window.reset();
    m_reset->setEnabled(false);
    refresh();
}

void TimelinePanel::chooseRange(qint64 startSeconds, qint64 endSeconds) {
    // selectAll + insert is one undoable edit of the line; setText would clear its undo history.
    const QString text = withTimeRange(m_filterLine->text(), startSeconds, endSeconds);
    m_filterLine->selectAll();
    m_filterLine->insert(text);
    m_window.reset(); // the filtered view is the new whole
    m_reset->setEnabled(false);
    emit applyRequested();
}

void TimelinePanel::zoom(double factor, qint64 anchor) {
    const Timeline* t = m_view->timeline();
    if (!t || t->bucketCount == 0) return;
    const qint64 begin = t->bucketStart(0), end = t->bucketStart(t->bucketCount - 1) + t->bucketSeconds;
    if (factor > 1 && !m_window) return; // already the whole view
    const qint64 width = std::max<qint64>(kNarrowestWindow, qint64(double(end - begin) * factor));
    const qint64 newBegin = anchor - qint64(double(anchor - begin) * factor);
    m_window = std::make_pair(newBegin, newBegin + width);
    m_reset->setEnabled(true);
    refresh();
}

void TimelinePanel::pan(qint64 seconds) {
    const Timeline* t = m_view->timeline();
    if (!t || t->bucketCount == 0) return;
    const qint64 begin = t->bucketStart(0), end = t->bucketStart(t->bucketCount - 1) + t->bucketSeconds;
    m_window = std::make_pair(begin + seconds, end + seconds);
    m_reset->setEnabled(true);
    refresh();
}

} // namespace caracal::ui
