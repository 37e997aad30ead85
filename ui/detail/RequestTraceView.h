#pragma once
// The selected event's request as it flowed: each step on its surface with the time since the previous one,
// the final decision by Caracal's rule, denied decisions with their policy input, approvals joined by
// challenge id, what is missing, and the policy versions behind it. Codes link to their troubleshooting rows.
#include <QWidget>
#include <nlohmann/json.hpp>
#include <vector>

class QComboBox;
class QPushButton;
class QTextBrowser;
class QTreeView;

namespace caracal {
class EventStore;
}

namespace caracal::ui {

class RequestTraceView : public QWidget {
    Q_OBJECT
  public:
    explicit RequestTraceView(QWidget* parent = nullptr);
    // Renders the trace now; the store is not kept.
    void showTrace(const EventStore& store, const QString& zone, const QString& requestId);
    void clear();
    QString renderedText() const;
    QString traceJson() const { return m_json; }
    class JsonTreeModel* policyInputModel() const {
        return m_inputModel;
    }
    QComboBox* deniedChooser() const { return m_denied; }
    // Offered when the view reads a deployment: fetch Caracal's own explain of this request and compare.
    void setCaracalExplainAvailable(bool available);
    QPushButton* compareButton() const { return m_compare; }
    QString zone() const { return m_zone; }
    QString requestId() const { return m_requestId; }

  signals:
    void codeActivated(const QString& code);
    void rowActivated(const QString& address);
    void compareWithCaracalRequested(const QString& zone, const QString& requestId);

  private:
    QTextBrowser* m_browser;
    QComboBox* m_denied;
    QTreeView* m_inputTree;
    class JsonTreeModel* m_inputModel;
    std::vector<nlohmann::ordered_json> m_inputs;
    QString m_json;
    QString m_zone, m_requestId;
    QPushButton* m_compare;
    bool m_compareAvailable = false;
};

} // namespace caracal::ui
