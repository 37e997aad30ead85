#pragma once
// Every command of the window in one list: its menu, text, shortcut and what the shortcut list says of it.
// Menus, the toolbar and Help > Keyboard shortcuts are built from this list, so they cannot disagree.
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>

class QAction;
class QMenu;
class QMenuBar;
class QToolBar;

namespace caracal::ui {

class ActionRegistry : public QObject {
    Q_OBJECT
  public:
    explicit ActionRegistry(QObject* parent) : QObject(parent) {}

    // A command in `menu` ("&File", ...). `keysHelp` is its line in the shortcut list (default: its text).
    QAction* add(const QString& id, const QString& menu, const QString& text, const QKeySequence& keys,
                 std::function<void()> run, const QString& keysHelp = {});
    QAction* addCheckable(const QString& id, const QString& menu, const QString& text,
                          const QKeySequence& keys, std::function<void(bool)> run,
                          const QString& keysHelp = {});
    // An action made elsewhere (a dock's toggle), placed in a menu like the others.
    void addExisting(const QString& id, const QString& menu, QAction* action, const QString& keysHelp = {});
    QMenu* addSubmenu(const QString& menu, const QString& title);
    void addSeparator(const QString& menu);
    // Keys that are not commands (typing in the table, keys of the graph window), for the shortcut list.
    void addKeyHint(const QString& keys, const QString& help);

    QAction* action(const QString& id) const;
    void buildMenus(QMenuBar* bar) const;
    void buildToolBar(QToolBar* bar, const QStringList& ids) const;
    // (keys, what they do) for every command with a shortcut, in menu order, then the hints.
    QList<QPair<QString, QString>> shortcutRows() const;
    // Every command's shortcut, for widgets that must let them through.
    QList<QKeySequence> shortcuts() const;

  private:
    struct Entry {
        QString menu;
        QString id; // empty for separators and submenus
        QAction* action = nullptr;
        QMenu* submenu = nullptr;
        QString keysHelp;
    };
    QAction* place(const QString& id, const QString& menu, QAction* action, const QString& keysHelp);

    QList<Entry> m_entries;
    QList<QPair<QString, QString>> m_hints;
};

} // namespace caracal::ui
