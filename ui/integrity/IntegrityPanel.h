#pragma once
// The Integrity panel: verifies the loaded events' hash chains as a background job (progress, Cancel), then
// lists each chain with its verdict, rows, seq range and problem counts, and each problem as a row with the
// expected and found values side by side. Activating a problem asks the window to show its event (for a
// break or a gap, the events on either side too). The report belongs to the store it was computed from: once
// the window shows another store, the panel says so instead of answering for it.
#include "chain/ChainReport.h"
#include "ledger/LedgerConnection.h"
#include "session/JobTracker.h"
#include "store/EventStore.h"

#include <QDockWidget>
#include <QPointer>
#include <functional>
#include <memory>
#include <unordered_map>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace caracal::ui {

class JobControl;

class IntegrityPanel : public QDockWidget {
    Q_OBJECT
  public:
    // `jobs` runs the verify job (the window's tracker); the panel makes its own when none is given.
    explicit IntegrityPanel(JobTracker* jobs = nullptr, QWidget* parent = nullptr);
    ~IntegrityPanel() override;

    // Where the events to verify come from (the window's current store).
    void setStoreSource(std::function<std::shared_ptr<const EventStore>()> source) {
        m_source = std::move(source);
    }
    // When this gives a ledger connection, Verify reads the chains from the ledger itself (every row of
    // every zone the session sees, the exact jsonb text, admin_audit_events too) instead of the loaded rows.
    void setLedgerSource(std::function<std::optional<LedgerOptions>()> source) {
        m_ledgerSource = std::move(source);
    }
    bool reportFromLedger() const { return m_fromLedger; }
    // Starts verifying. `keyFile` empty: the AUDIT_HMAC_KEY variable, else no key. False (with the reason on
    // the panel) when the key cannot be read or nothing is loaded.
    bool run(const QString& keyFile);
    void cancel();
    bool isRunning() const;

    const VerifyReport* report() const { return m_report.get(); }
    // For the window: what this panel knows about a zone or a row of `store` ("" when it has not verified
    // that store).
    QString zoneBadge(const QString& zone, const EventStore* store) const;
    QString rowCheck(RowId row, const EventStore* store) const;
    // True when some loaded event carries chain fields (checked on the first rows of each source).
    static bool hasChainFields(const EventStore& store);

    QTreeWidget* zoneList() const { return m_zones; }
    QTreeWidget* problemList() const { return m_problems; }
    QPushButton* runButton() const { return m_runButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* messageLabel() const { return m_message; }

  signals:
    void runRequested(); // the panel's own Verify button
    void showProblemRows(std::vector<RowId> rows, RowId select, QString description);
    void finished(); // a report arrived (not after a cancel)

  private:
    void showReport();
    void activateProblem(QTreeWidgetItem* item);

    QPointer<JobTracker> m_jobs; // the window's tracker may go first when the window closes
    std::function<std::shared_ptr<const EventStore>()> m_source;
    std::function<std::optional<LedgerOptions>()> m_ledgerSource;
    bool m_fromLedger = false; // the report's rows are the ledger's, not the store's
    std::shared_ptr<JobControl> m_control;
    std::shared_ptr<const VerifyReport> m_report;
    std::weak_ptr<const EventStore> m_verified; // the store the report describes
    const EventStore* m_verifiedRaw = nullptr;  // compared only, never dereferenced
    std::unordered_map<RowId, std::vector<const ChainProblem*>> m_byRow;
    QTreeWidget* m_zones;
    QTreeWidget* m_problems;
    QPushButton* m_runButton;
    QPushButton* m_cancelButton;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_message;
    QTimer* m_poll;
};

} // namespace caracal::ui
