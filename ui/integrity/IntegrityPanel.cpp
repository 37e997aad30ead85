#include "integrity/IntegrityPanel.h"

#include "chain/VerifyFiles.h"
#include "chain/VerifyReportFormat.h"
#include "ledger/LedgerStats.h"
#include "ledger/LedgerVerify.h"
#include "session/JobTracker.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cstring>

namespace caracal::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString countsText(const ZoneVerdict& z) {
    QStringList parts;
    for (int k = 0; k < kProblemKinds; ++k)
        if (z.counts[k])
            parts << QString("%1 %2").arg(z.counts[k]).arg(problemKindName(static_cast<ProblemKind>(k)));
    return parts.isEmpty() ? QString("none") : parts.join(", ");
}

QString verdictText(const ZoneVerdict& z) {
    if (z.tampered()) return "tampered";
    return z.verified() ? "intact" : "unverifiable";
}

constexpr int kProblemRole = Qt::UserRole + 1;

} // namespace

IntegrityPanel::IntegrityPanel(JobTracker* jobs, QWidget* parent)
    : QDockWidget("Integrity", parent), m_jobs(jobs ? jobs : new JobTracker(this)) {
    setObjectName("integrityDock");
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* bar = new QHBoxLayout;
    m_runButton = new QPushButton("Verify…", body);
    m_runButton->setToolTip("Recompute the loaded events' hash chains (File > Verify integrity)");
    m_cancelButton = new QPushButton("Cancel", body);
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar(body);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_status = new QLabel("Not verified yet.", body);
    m_status->setWordWrap(true);
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_progress, 1);
    layout->addLayout(bar);
    layout->addWidget(m_status);

    auto* split = new QSplitter(Qt::Vertical, body);
    m_zones = new QTreeWidget(split);
    m_zones->setRootIsDecorated(false);
    m_zones->setHeaderLabels({"Chain", "Verdict", "Rows", "chain_seq", "Problems"});
    m_zones->setAccessibleName("Chains");
    m_problems = new QTreeWidget(split);
    m_problems->setRootIsDecorated(false);
    m_problems->setHeaderLabels({"Chain", "Problem", "chain_seq", "Event", "Expected", "Found"});
    m_problems->setAccessibleName("Problems");
    m_problems->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_problems->setToolTip("Activate a problem to show its event (and its neighbours for a break or a gap)");
    layout->addWidget(split, 1);
    m_message = new QLabel(body);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    setWidget(body);

    m_poll = new QTimer(this); // repaints the progress bar while the job runs; the result comes by signal
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, [this] {
        if (m_control) m_progress->setValue(int(m_control->progress() * 1000));
    });
    connect(m_runButton, &QPushButton::clicked, this, &IntegrityPanel::runRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &IntegrityPanel::cancel);
    // A click (even on the current row), Enter, or moving with the arrow keys shows the problem's events.
    connect(m_problems, &QTreeWidget::itemClicked, this,
            [this](QTreeWidgetItem* item) { activateProblem(item); });
    connect(m_problems, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem* item) { activateProblem(item); });
    connect(m_problems, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { activateProblem(item); });
}

IntegrityPanel::~IntegrityPanel() {
    cancel();
}

bool IntegrityPanel::isRunning() const {
    return m_control && !m_control->cancelled() && m_jobs && m_jobs->isRunning("verify");
}

bool IntegrityPanel::hasChainFields(const EventStore& store) {
    // Search rows are marked by the loader; database rows carry the column names in their text.
    std::vector<bool> looked(store.sourceCount());
    for (RowId row = 0; row < store.size(); ++row) {
        const EventRecord& rec = store.record(row);
        if (rec.flags & SearchRow) return true;
        if (rec.source < looked.size() && !looked[rec.source]) {
            looked[rec.source] = true;
            if (store.rowText(row).find("\"content_sha256\"") != std::string_view::npos) return true;
        }
    }
    return false;
}

bool IntegrityPanel::run(const QString& keyFile) {
    const std::shared_ptr<const EventStore> store = m_source ? m_source() : nullptr;
    if (!m_jobs) return false;
    if (!store || store->size() == 0) {
        m_status->setText("Nothing is loaded to verify.");
        return false;
    }
    HmacKey key = loadHmacKey(keyFile.toStdString(), true);
    if (!key.error.empty()) {
        m_status->setText(qs(key.error));
        return false;
    }
    QString status = key.bytes.empty() ? "Verifying without a key: chain_hmac is not checked…"
                                       : QString("Verifying with the key from %1…").arg(qs(key.origin));
    if (!key.warning.empty()) status += "\nWarning: " + qs(key.warning);
    m_status->setText(status);
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_poll->start();
    const EventStore* raw = store.get();
    std::weak_ptr<const EventStore> weak = store;
    // What a finished job leaves: the report, over the rows it was verified against.
    auto whenDone = [this, raw, weak](bool fromLedger) {
        return [this, raw, weak, fromLedger](std::shared_ptr<const VerifyReport> report) {
            m_poll->stop();
            m_progress->setVisible(false);
            m_runButton->setEnabled(true);
            m_cancelButton->setEnabled(false);
            m_control.reset();
            m_report = std::move(report);
            m_verified = weak;
            m_verifiedRaw = raw;
            m_fromLedger = fromLedger;
            showReport();
            emit finished();
        };
    };
    const std::optional<LedgerOptions> ledger = m_ledgerSource ? m_ledgerSource() : std::nullopt;
    if (ledger) {
        m_status->setText(status + "\nReading every chain from the ledger (not only the loaded rows)…");
        m_control = m_jobs->run<std::shared_ptr<const VerifyReport>>(
            "verify", store,
            [key = key.bytes, options = *ledger](const EventStore*, JobControl& control) {
                auto report = std::make_shared<VerifyReport>();
                LedgerConnection connection;
                std::string error;
                if (!connection.open(options, error)) {
                    report->limits.push_back("The ledger could not be read: " + error);
                    return std::shared_ptr<const VerifyReport>(report);
                }
                LedgerVerifyOptions o;
                o.key = key;
                o.cancel = control.cancelFlag();
                std::string e;
                // The server's row count (one GROUP BY) gives the progress bar its scale; the admin chain's
                // rows come on top, so it stops just short of full until the end.
                connection.watchCancel(o.cancel); // the count waits on the server too
                uint64_t total = 0;
                if (const auto counts = ledgerZoneCounts(connection, e))
                    for (const auto& [zone, n] : *counts)
                        total += n;
                if (total)
                    o.progress = [&control, total](size_t rows) {
                        control.setProgress(std::min(0.99, double(rows) / double(total)));
                    };
                if (!verifyLedger(connection, o, *report, e)) {
                    report->zones.clear(); // an incomplete read gives no verdict
                    report->limits.push_back("The ledger was not read to the end: " + e);
                }
                return std::shared_ptr<const VerifyReport>(report);
            },
            whenDone(true));
        return true;
    }
    // The key travels only inside the job (moved in, never logged or kept afterwards).
    m_control = m_jobs->run<std::shared_ptr<const VerifyReport>>(
        "verify", store,
        [key = std::move(key.bytes)](const EventStore* s, JobControl& control) {
            VerifyRowsOptions o;
            o.key = key;
            o.cancel = control.cancelFlag();
            o.progress = [&control](size_t done, size_t total) { control.setProgress(double(done) / total); };
            return std::shared_ptr<const VerifyReport>(std::make_shared<VerifyReport>(verifyRows(
                s->size(),
                [s](size_t i) {
                    return s->isSuperseded(RowId(i)) ? std::string_view() : s->rowText(RowId(i));
                },
                o)));
        },
        whenDone(false));
    return true;
}

void IntegrityPanel::cancel() {
    if (!m_control) return;
    m_control->cancel();
    if (m_jobs) m_jobs->cancel("verify");
    m_control.reset();
    m_poll->stop();
    m_progress->setVisible(false);
    m_runButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_status->setText("Verification cancelled.");
}

void IntegrityPanel::showReport() {
    m_byRow.clear();
    m_zones->clear();
    m_problems->clear();
    m_message->clear();
    const VerifyReport& r = *m_report;
    for (const ZoneVerdict& z : r.zones) {
        const QString name = qs(chainName(z));
        auto* item = new QTreeWidgetItem(
            m_zones,
            {name, verdictText(z), QString::number(z.rows),
             z.verified() ? QString("%1..%2").arg(z.firstSeq).arg(z.lastSeq) : QString("-"), countsText(z)});
        item->setToolTip(0, qs(z.source));
        QString tip;
        for (const std::string& n : z.notes)
            tip += qs(n) + "\n";
        if (!tip.isEmpty()) item->setToolTip(1, tip.trimmed());
        if (z.tampered()) item->setForeground(1, QColor(0xb0, 0x20, 0x20));
        for (const ChainProblem& p : z.problems) {
            auto* pi = new QTreeWidgetItem(
                m_problems,
                {name, problemKindName(p.kind),
                 p.kind == ProblemKind::MissingChainFields ? QString("-") : QString::number(p.chainSeq),
                 qs(p.eventId), qs(p.expected), qs(p.found)});
            pi->setData(0, kProblemRole, QVariant::fromValue<quintptr>(reinterpret_cast<quintptr>(&p)));
            pi->setToolTip(1, qs(p.message));
            pi->setFont(4, QFont("monospace"));
            pi->setFont(5, QFont("monospace"));
            if (!m_fromLedger) m_byRow[p.row.index].push_back(&p); // ledger rows are not the store's
        }
    }
    for (int c = 0; c < m_zones->columnCount(); ++c)
        m_zones->resizeColumnToContents(c);
    for (int c = 0; c < 4; ++c)
        m_problems->resizeColumnToContents(c);
    QString status = QString("Verdict: %1 (%2).")
                         .arg(verdictName(r.verdict()), r.hmacChecked ? "chain_hmac checked with the key"
                                                                      : "no key: chain_hmac not checked");
    if (r.unreadableCount) status += QString(" %1 row(s) could not be read.").arg(r.unreadableCount);
    for (const std::string& l : r.limits)
        status += "\n" + qs(l);
    m_status->setText(status);
}

void IntegrityPanel::activateProblem(QTreeWidgetItem* item) {
    if (!item || !m_report) return;
    const auto* p = reinterpret_cast<const ChainProblem*>(item->data(0, kProblemRole).value<quintptr>());
    if (!p) return;
    m_message->setText(QString("%1 at chain_seq %2: %3\nexpected %4\nfound    %5")
                           .arg(problemKindName(p->kind))
                           .arg(p->chainSeq)
                           .arg(qs(p->message), qs(p->expected), qs(p->found)));
    if (m_fromLedger) return; // found in the ledger, not among the loaded rows: the message says it all
    // Stale: the window shows another store now; its row ids mean other events.
    const auto current = m_source ? m_source() : nullptr;
    if (!current || current.get() != m_verifiedRaw || m_verified.expired()) {
        m_message->setText(m_message->text() +
                           "\n(The loaded events changed since; verify again to locate it.)");
        return;
    }
    std::vector<RowId> rows;
    if (p->before) rows.push_back(p->before->index);
    rows.push_back(p->row.index);
    emit showProblemRows(rows, p->row.index,
                         QString("%1 at chain_seq %2").arg(problemKindName(p->kind)).arg(p->chainSeq));
}

QString IntegrityPanel::zoneBadge(const QString& zone, const EventStore* store) const {
    if (!m_report || !store || store != m_verifiedRaw || m_verified.expired()) return {};
    const ZoneVerdict* z = m_report->zone(zone.toStdString());
    if (!z) return {};
    if (z->tampered()) return QString::fromUtf8("\xE2\x9A\xA0 tampered");
    return z->verified() ? QString::fromUtf8("\xE2\x9C\x93 intact") : QString("unverifiable");
}

QString IntegrityPanel::rowCheck(RowId row, const EventStore* store) const {
    if (!m_report || !store || store != m_verifiedRaw || m_verified.expired()) return {};
    QStringList lines;
    if (auto it = m_byRow.find(row); it != m_byRow.end())
        for (const ChainProblem* p : it->second)
            lines << QString("%1: %2 (expected %3, found %4)")
                         .arg(problemKindName(p->kind), qs(p->message), qs(p->expected), qs(p->found));
    if (!lines.isEmpty()) return lines.join("\n");
    const ZoneVerdict* z = m_report->zone(std::string(store->field(row, Field::Zone)));
    if (!z || !z->verified()) return {};
    return m_report->hmacChecked
               ? "Verified: the content hash, the link to the previous row and chain_hmac hold."
               : "Verified: the content hash and the link to the previous row hold (no key: "
                 "chain_hmac not checked).";
}

} // namespace caracal::ui
