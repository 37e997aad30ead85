#pragma once
// Guided setup: the first-run path as a wizard. Readiness -> Profile -> First protected call -> Done. Every
// check says pass, fail, warn or cannot tell, links its troubleshooting rows and gives the fix; safe fixes
// (tighten a secret file to 0600, open the profile's folder) are applied after confirmation. Each page can be
// re-run. Paths and choices are remembered; no secret value is ever shown, logged, stored or copied.
#include "setup/FirstCallCheck.h"
#include "setup/ProfileCheck.h"
#include "setup/ReadinessCheck.h"
#include "store/EventStore.h"

#include <QFutureWatcher>
#include <QWizard>
#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace caracal::ui {

class CheckListView;

class SetupWizard : public QWizard {
    Q_OBJECT
  public:
    enum PageId { ReadinessPage, ProfilePage, FirstCallPage, DonePage };
    SetupWizard(std::shared_ptr<const EventStore> store, QWidget* parent = nullptr);
    ~SetupWizard() override;

    // Test seams: the environment the profile rules read, and the confirmation asked before a fix.
    void setEnvironment(SetupEnvironment env) { m_env = std::move(env); }
    void setConfirm(std::function<bool(const QString&)> confirm) { m_confirm = std::move(confirm); }

    void runReadiness();
    void runProfile();
    void runFirstCall();
    // Applies "chmod600:PATH" or "open-folder:PATH" after confirmation; false when declined or failed.
    bool applyAction(const QString& action);

    CheckListView* readinessList() const { return m_readinessList; }
    CheckListView* profileList() const { return m_profileList; }
    CheckListView* firstCallList() const { return m_firstCallList; }
    QRadioButton* probeChoice() const { return m_probe; }
    QRadioButton* fileChoice() const { return m_fromFile; }
    QRadioButton* commandChoice() const { return m_fromCommand; }
    QLineEdit* statusFileEdit() const { return m_statusFile; }
    QPushButton* readinessButton() const { return m_readinessButton; }
    QLineEdit* profileEdit() const { return m_profilePath; }
    QPushButton* profileButton() const { return m_profileButton; }
    QLabel* profileFoundBy() const { return m_foundBy; }
    QLineEdit* requestEdit() const { return m_requestId; }
    QPlainTextEdit* errorBodyEdit() const { return m_errorBody; }
    QComboBox* kindBox() const { return m_kind; }
    QPushButton* firstCallButton() const { return m_firstCallButton; }
    QLabel* summaryLabel() const { return m_summary; }
    const FirstCallReport& firstCallReport() const { return m_firstCall; }

  signals:
    void readinessDone();
    void troubleshootingRequested(const QString& address);
    void showRequestRequested(const QString& requestId);

  protected:
    void done(int result) override;

  private:
    QWizardPage* buildReadinessPage();
    QWizardPage* buildProfilePage();
    QWizardPage* buildFirstCallPage();
    QWizardPage* buildDonePage();
    void updateSummary();
    void saveState() const;
    std::string explicitProfile() const;

    std::shared_ptr<const EventStore> m_store;
    SetupEnvironment m_env;
    std::function<bool(const QString&)> m_confirm;
    QFutureWatcher<ReadinessReport> m_readinessWatcher;

    QRadioButton *m_probe, *m_fromCommand, *m_fromFile;
    QLineEdit* m_statusFile;
    QPushButton* m_readinessButton;
    CheckListView* m_readinessList;
    QLineEdit* m_profilePath;
    QLabel* m_foundBy;
    QPushButton* m_profileButton;
    CheckListView* m_profileList;
    QLineEdit* m_requestId;
    QPlainTextEdit* m_errorBody;
    QComboBox* m_kind;
    QPushButton* m_firstCallButton;
    QPushButton* m_showRequest;
    CheckListView* m_firstCallList;
    QLabel* m_summary;
    FirstCallReport m_firstCall;
};

} // namespace caracal::ui
