#pragma once
// Every troubleshooting table and error code, searchable, each row addressable ("code:X", "row:table/key").
// Opening a code shows its row with the related rows beside it and a button for the events that carry it.
#include <QDialog>
#include <functional>

class QLineEdit;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace caracal::ui {

class TroubleshootingBrowser : public QDialog {
    Q_OBJECT
  public:
    explicit TroubleshootingBrowser(QWidget* parent = nullptr);

    bool showCode(const QString& code); // false when the catalog does not know it
    bool showRow(const QString& address);
    QString currentAddress() const; // "code:X" or "row:table/key"
    QString detailText() const;
    QTreeWidget* tree() const { return m_tree; }
    QLineEdit* searchBox() const { return m_search; }
    QPushButton* showEventsButton() const { return m_showEvents; }
    // Whether any loaded event carries a code (asked of the window's store); "Show events" is off if none.
    void setCodeLoaded(std::function<bool(const QString& code)> loaded);
    // Asks again (after a load changed what is loaded).
    void updateShowEvents();

  signals:
    void showEventsRequested(const QString& code);

  private:
    void build();
    void select(const QString& address);
    void render(const QString& address);
    void filter(const QString& text);
    bool eventFilter(QObject* watched, QEvent* event) override;
    void renderHeading(QTreeWidgetItem* heading);
    QTreeWidgetItem* firstVisibleLeaf() const;

    QLineEdit* m_search;
    QTreeWidget* m_tree;
    QTextBrowser* m_detail;
    QPushButton* m_showEvents;
    QString m_address;
    std::function<bool(const QString&)> m_codeLoaded;
    QString m_note; // shown above the next rendered code (how an alias was resolved)
};

} // namespace caracal::ui
