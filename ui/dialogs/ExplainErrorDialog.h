#pragma once
// Help > Explain an error: paste an SDK or HTTP error body and see its troubleshooting row, the surface that
// most likely answered, and, when the request id is in the loaded data, a way straight to that request.
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

  signals:
    void codeActivated(const QString& code);
    void requestActivated(const QString& requestId);

  private:
    StoreSource m_store;
    QPlainTextEdit* m_body;
    QTextBrowser* m_result;
    QPushButton* m_goToRequest;
    QString m_requestId;
};

} // namespace caracal::ui
