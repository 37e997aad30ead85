#pragma once
// Help > Explain an error: paste an SDK or HTTP error body and see its troubleshooting row, the surface that
// most likely answered, and, when the request id is in the loaded data, whether the audit agrees (the code
// against the events' decision and deny reason, with the real reason behind a generic code) and a way
// straight to that request's trace.
#include "trace/ErrorAuditComparison.h"

#include <QDialog>
#include <functional>
#include <memory>

class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace caracal {
class EventStore;
}

namespace caracal::ui {

class ExplainErrorDialog : public QDialog {
    Q_OBJECT
  public:
    // `store` gives what is loaded now (the window's current store), asked for at every explanation.
    using StoreSource = std::function<std::shared_ptr<const EventStore>()>;
    ExplainErrorDialog(StoreSource store, QWidget* parent = nullptr);
    void setBody(const QString& body);
    void explain();
    QString resultText() const;
    QPushButton* goToRequestButton() const { return m_goToRequest; }
    QPushButton* explainButton() const { return m_explainButton; }
    class QPlainTextEdit* bodyEdit() const {
        return m_body;
    }
    // The last explanation held against the audit.
    const ErrorAuditComparison& comparison() const { return m_comparison; }

  signals:
    void codeActivated(const QString& code);
    // Go to the request: show its events and the trace of `row` (the event that decided it).
    void traceRequested(const QString& zone, const QString& requestId, caracal::RowId row);

  private:
    StoreSource m_store;
    QPlainTextEdit* m_body;
    QTextBrowser* m_result;
    QPushButton* m_goToRequest;
    QPushButton* m_explainButton;
    ErrorAuditComparison m_comparison;
};

} // namespace caracal::ui
