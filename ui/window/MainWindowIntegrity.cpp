// The window's part of integrity verification, kept together: the File menu action, the status-bar button
// (shown when loaded events carry chain fields), the Integrity dock and what a report changes elsewhere (the
// zone selector's badges, the detail pane's check, selecting a problem's events).
#include "detail/EventDetailView.h"
#include "integrity/HmacKeyDialog.h"
#include "integrity/IntegrityPanel.h"
#include "table/EventTableModel.h"
#include "table/EventTableView.h"
#include "window/MainWindow.h"

#include <QMenu>
#include <QPushButton>
#include <QStatusBar>

namespace caracal::ui {

void MainWindow::setupIntegrity(QMenu* fileMenu) {
    m_integrity = new IntegrityPanel(nullptr, this);
    addDockWidget(Qt::RightDockWidgetArea, m_integrity);
    m_integrity->hide();
    // The panel reads whichever store the window shows when a run starts, and holds it while it runs.
    m_integrity->setStoreSource([this] { return std::shared_ptr<const EventStore>(m_store); });
    fileMenu->addAction("&Verify integrity...", QKeySequence("Ctrl+Shift+V"), this,
                        [this] { verifyIntegrity(); });

    m_verifyButton = new QPushButton("Verify integrity", this);
    m_verifyButton->setToolTip(
        "The loaded events carry Caracal's hash chain: check it (File > Verify integrity)");
    m_verifyButton->setVisible(false);
    statusBar()->addPermanentWidget(m_verifyButton);
    connect(m_verifyButton, &QPushButton::clicked, this, [this] { verifyIntegrity(); });
    const auto offerIfChained = [this] {
        m_verifyButton->setVisible(!isLoading() && IntegrityPanel::hasChainFields(*m_store));
    };
    connect(this, &MainWindow::loadFinished, this, offerIfChained);
    connect(this, &MainWindow::storeExtended, this, offerIfChained);

    connect(m_integrity, &IntegrityPanel::runRequested, this, [this] { verifyIntegrity(); });
    connect(m_integrity, &IntegrityPanel::finished, this, [this] {
        updateZones();  // verdict badges
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
