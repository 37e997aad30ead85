#pragma once
// The selected event's request as it flowed: each step on its surface with the time since the previous one,
// the final decision by Caracal's rule, denied decisions with their policy input, approvals joined by
// challenge id, what is missing, and the policy versions behind it. Codes link to their troubleshooting rows.
#include <QWidget>

class QTextBrowser;

namespace caracal {
class EventStore;
}

namespace caracal::ui {

class RequestTraceView : public QWidget {
    Q_OBJECT
  public:
    explicit RequestTraceView(QWidget* parent = nullptr);
    void showTrace(const EventStore* store, const QString& zone, const QString& requestId);
    void clear();
    QString renderedText() const;
    QString traceJson() const { return m_json; }

  signals:
    void codeActivated(const QString& code);
    void rowActivated(const QString& address);

  private:
    QTextBrowser* m_browser;
    QString m_json;
};

} // namespace caracal::ui
