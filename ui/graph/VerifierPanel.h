#pragma once
// "Would a verifier accept this chain?" Caracal's in-process verifier settings (require a Session, require a
// delegation, the maximum hop count, applications the chain must contain) applied to the chain in focus, with
// the code it would return linked to its troubleshooting row. Settings are remembered; they are not secret.
#include "graph/VerifierSimulation.h"

#include <QGroupBox>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace caracal::ui {

class VerifierPanel : public QGroupBox {
    Q_OBJECT
  public:
    explicit VerifierPanel(QWidget* parent = nullptr);
    // The chain to check; nullopt when none is in focus. `names` maps application names to ids so the user
    // may type either.
    void setChain(std::optional<ChainClaims> claims, const QString& description,
                  std::vector<std::pair<std::string, std::string>> names);
    VerifierSettings settings() const;
    const std::optional<VerifierOutcome>& outcome() const { return m_outcome; }

    QCheckBox* requireSessionBox() const { return m_requireSession; }
    QCheckBox* requireDelegationBox() const { return m_requireDelegation; }
    QSpinBox* maxHopsBox() const { return m_maxHops; }
    QLineEdit* requiredAppsEdit() const { return m_requiredApps; }
    QLabel* resultLabel() const { return m_result; }

  signals:
    void troubleshootingRequested(const QString& address);

  private:
    void recompute();

    QCheckBox* m_requireSession;
    QCheckBox* m_requireDelegation;
    QSpinBox* m_maxHops;
    QLineEdit* m_requiredApps;
    QLabel* m_chain;
    QLabel* m_result;
    QLabel* m_checks;
    std::optional<ChainClaims> m_claims;
    std::optional<VerifierOutcome> m_outcome;
    std::vector<std::pair<std::string, std::string>> m_names;
};

} // namespace caracal::ui
