#include "graph/GraphOverviewPanel.h"

#include "graph/GraphOverviewView.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
QString number(size_t n) {
    return QLocale().toString(qulonglong(n));
}
QString minute(int64_t micros) {
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toString("yyyy-MM-dd HH:mm");
}
constexpr std::array<EdgeStatus, 5> kStatuses = {
    EdgeStatus::Active, EdgeStatus::Expiring, EdgeStatus::Revoked, EdgeStatus::Expired, EdgeStatus::Unknown};
} // namespace

GraphOverviewPanel::GraphOverviewPanel(QWidget* parent) : QWidget(parent) {
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_application = new QComboBox;
    m_application->setAccessibleName("Application to draw");
    m_application->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_status = new QComboBox;
    m_status->setAccessibleName("Edge status to draw");
    m_status->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_time = new QComboBox;
    m_time->setAccessibleName("Time range to draw");
    m_time->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_draw = new QPushButton("Draw this part");
    m_draw->setToolTip(
        "Draw the chosen application, status and time range in full, with the request in focus");
    m_view = new GraphOverviewView;

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel("Draw:"));
    bar->addWidget(m_application);
    bar->addWidget(m_status);
    bar->addWidget(m_time);
    bar->addWidget(m_draw);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_summary);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_draw, &QPushButton::clicked, this, [this] { emit drillRequested(chosenSubset()); });
    connect(m_view, &GraphOverviewView::applicationActivated, this, [this](size_t app) {
        m_application->setCurrentIndex(int(app) + 1);
        emit drillRequested(chosenSubset());
    });
}

void GraphOverviewPanel::setOverview(std::shared_ptr<const GraphOverview> overview) {
    m_overview = std::move(overview);
    const GraphOverview& o = *m_overview;
    m_summary->setText(
        QString(
            "%1 Sessions and %2 delegation edges are too many to draw readably (the limit is %3 Sessions), "
            "so they are shown by application: %4 applications, %5 issuer-to-receiver pairs. Edge status: "
            "%6. Click an application, or choose a part below, to draw it in full.")
            .arg(number(o.sessions), number(o.delegationEdges), number(kReadableSessions),
                 number(o.applications.size()), number(o.edges.size()),
                 QString::fromStdString(o.statuses.describe())));
    m_application->clear();
    m_application->addItem("Any application");
    for (const ApplicationNode& app : o.applications)
        m_application->addItem(
            QString("%1 (%2 Sessions)").arg(QString::fromStdString(app.label), number(app.sessions)));
    m_status->clear();
    m_status->addItem("Any status", -1);
    for (EdgeStatus s : kStatuses)
        if (o.statuses.of(s))
            m_status->addItem(
                QString("%1 (%2 edges)")
                    .arg(QString::fromUtf8(edgeStatusName(s).data(), qsizetype(edgeStatusName(s).size())))
                    .arg(number(o.statuses.of(s))),
                int(s));
    m_time->clear();
    m_time->addItem("Any time", -1);
    for (size_t i = 0; i < o.timeline.size(); ++i)
        m_time->addItem(QString("%1 to %2 (%3 edges)")
                            .arg(minute(o.timeline[i].fromMicros), minute(o.timeline[i].toMicros))
                            .arg(number(o.timeline[i].edges)),
                        int(i));
    m_view->setOverview(m_overview);
}

GraphSubset GraphOverviewPanel::chosenSubset() const {
    GraphSubset subset;
    if (!m_overview) return subset;
    if (const int app = m_application->currentIndex() - 1;
        app >= 0 && size_t(app) < m_overview->applications.size())
        subset.applicationId = m_overview->applications[size_t(app)].applicationId;
    if (const int status = m_status->currentData().toInt(); status >= 0) subset.status = EdgeStatus(status);
    if (const int slice = m_time->currentData().toInt();
        slice >= 0 && size_t(slice) < m_overview->timeline.size())
        subset.seen = {m_overview->timeline[size_t(slice)].fromMicros,
                       m_overview->timeline[size_t(slice)].toMicros};
    return subset;
}

} // namespace caracal::ui
