// The window's part of integrity verification, kept together: the status-bar button (shown when loaded
// events carry chain fields), the Integrity dock, its job on the session's tracker, and what a report changes
// elsewhere (the zone selector's badges, the detail pane's check, selecting a problem's events). The File
// menu's "Verify integrity..." is in buildActions with the other commands.
#include "integrity/HmacKeyDialog.h"
#include "integrity/IntegrityPanel.h"
#include "session/ConsoleSession.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"

#include <QComboBox>
#include <QPushButton>
#include <QStatusBar>

namespace caracal::ui {

void MainWindow::setupIntegrity() {
    m_integrity = new IntegrityPanel(&m_session->jobs(), this);
    addDockWidget(Qt::RightDockWidgetArea, m_integrity);
    m_integrity->hide();
    // The panel reads whichever store the window shows when a run starts, and its job holds it while it runs.
    m_integrity->setStoreSource([this] { return currentStore(); });
    m_integrity->setLedgerSource([this] { return m_session->source().ledger; });

    m_verifyButton = new QPushButton("Verify integrity", this);
    m_verifyButton->setToolTip(
        "The loaded events carry Caracal's hash chain: check it (File > Verify integrity)");
    m_verifyButton->setVisible(false);
    statusBar()->addPermanentWidget(m_verifyButton);
    connect(m_verifyButton, &QPushButton::clicked, this, [this] { verifyIntegrity(); });
    const auto offerIfChained = [this] {
        m_verifyButton->setVisible(!isLoading() && currentStore() &&
                                   IntegrityPanel::hasChainFields(*currentStore()));
    };
    connect(this, &MainWindow::loadFinished, this, offerIfChained);
    connect(this, &MainWindow::storeExtended, this, offerIfChained);

    connect(m_integrity, &IntegrityPanel::runRequested, this, [this] { verifyIntegrity(); });
    connect(m_integrity, &IntegrityPanel::finished, this, [this] {
        showIntegrityBadges();
        showSelected(); // the detail pane's check
    });
    connect(m_integrity, &IntegrityPanel::showProblemRows, this,
            [this](std::vector<RowId> rows, RowId select, const QString& description) {
                showRows(std::move(rows), description);
                const int at = m_model->rowOf(select);
                if (at >= 0) {
                    m_table->setCurrentIndex(m_model->index(at, 0));
                    m_table->scrollTo(m_model->index(at, 0));
                }
            });
}

void MainWindow::showIntegrityBadges() {
    QComboBox* zones = zoneBox();
    for (int i = 1; i < zones->count(); ++i) {
        QString text = zones->itemText(i);
        if (const int mark = text.indexOf("  \u2014 "); mark >= 0) text.truncate(mark); // an earlier badge
        const QString badge = m_integrity->zoneBadge(zones->itemData(i).toString(), currentStore().get());
        zones->setItemText(i, badge.isEmpty() ? text : text + "  \u2014 " + badge);
    }
}

void MainWindow::verifyIntegrity(bool askForKey, const QString& keyFile) {
    QString file = keyFile;
    if (askForKey) {
        const auto chosen = HmacKeyDialog::ask(this);
        if (!chosen) return;
        file = *chosen;
    }
    m_integrity->show();
    m_integrity->raise();
    m_integrity->run(file);
}

} // namespace caracal::ui
