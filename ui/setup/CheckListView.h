#pragma once
// A list of setup checks as a reader wants them: failures first, each with its verdict, what it means, the
// exact fix, its troubleshooting rows as links ("row:table/key") and, where the wizard can do it safely, an
// "apply" link ("action:chmod600:PATH", "action:open-folder:PATH").
#include "setup/SetupCheck.h"

#include <QTextBrowser>

namespace caracal::ui {

class CheckListView : public QTextBrowser {
    Q_OBJECT
  public:
    explicit CheckListView(QWidget* parent = nullptr);
    void setChecks(const std::vector<SetupCheck>& checks, const QString& heading = {});
    void setBusy(const QString& text);
    const std::vector<SetupCheck>& checks() const { return m_checks; }

  signals:
    void rowRequested(const QString& address); // "row:table/key"
    void actionRequested(const QString& action);

  private:
    std::vector<SetupCheck> m_checks;
};

QString statusBadgeHtml(CheckStatus status);
// Escaped text with `backticked` spans as <code>.
QString inlineCodeHtml(const QString& text);
// A troubleshooting row's address ("readiness-failures/docker-fails") as its table title and check.
QString rowTitleHtml(const QString& address);

} // namespace caracal::ui
