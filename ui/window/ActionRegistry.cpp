#include "window/ActionRegistry.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace caracal::ui {

namespace {
QString plain(QString text) {
    return text.remove('&').remove("...");
}
} // namespace

QAction* ActionRegistry::place(const QString& id, const QString& menu, QAction* action,
                               const QString& keysHelp) {
    action->setObjectName(id);
    m_entries.append({menu, id, action, nullptr, keysHelp});
    return action;
}

QAction* ActionRegistry::add(const QString& id, const QString& menu, const QString& text,
                             const QKeySequence& keys, std::function<void()> run, const QString& keysHelp) {
    auto* a = new QAction(text, this);
    a->setShortcut(keys);
    connect(a, &QAction::triggered, this, [run = std::move(run)] { run(); });
    return place(id, menu, a, keysHelp);
}

QAction* ActionRegistry::addCheckable(const QString& id, const QString& menu, const QString& text,
                                      const QKeySequence& keys, std::function<void(bool)> run,
                                      const QString& keysHelp) {
    auto* a = new QAction(text, this);
    a->setShortcut(keys);
    a->setCheckable(true);
    connect(a, &QAction::triggered, this, [run = std::move(run)](bool on) { run(on); });
    return place(id, menu, a, keysHelp);
}

void ActionRegistry::addExisting(const QString& id, const QString& menu, QAction* action,
                                 const QString& keysHelp) {
    place(id, menu, action, keysHelp);
}

QMenu* ActionRegistry::addSubmenu(const QString& menu, const QString& title) {
    auto* sub = new QMenu(title);
    connect(this, &QObject::destroyed, sub, [sub] { delete sub; });
    m_entries.append({menu, {}, nullptr, sub, {}});
    return sub;
}

void ActionRegistry::addSeparator(const QString& menu) {
    m_entries.append({menu, {}, nullptr, nullptr, {}});
}

void ActionRegistry::addKeyHint(const QString& keys, const QString& help) {
    m_hints.append({keys, help});
}

QAction* ActionRegistry::action(const QString& id) const {
    for (const Entry& e : m_entries)
        if (e.id == id) return e.action;
    return nullptr;
}

void ActionRegistry::buildMenus(QMenuBar* bar) const {
    QList<QPair<QString, QMenu*>> menus;
    for (const Entry& e : m_entries) {
        QMenu* menu = nullptr;
        for (const auto& [name, m] : menus)
            if (name == e.menu) menu = m;
        if (!menu) {
            menu = bar->addMenu(e.menu);
            menus.append({e.menu, menu});
        }
        if (e.action)
            menu->addAction(e.action);
        else if (e.submenu)
            menu->addMenu(e.submenu);
        else
            menu->addSeparator();
    }
}

void ActionRegistry::buildToolBar(QToolBar* bar, const QStringList& ids) const {
    for (const QString& id : ids) {
        if (id.isEmpty()) {
            bar->addSeparator();
            continue;
        }
        if (QAction* a = action(id)) bar->addAction(a);
    }
}

QList<QPair<QString, QString>> ActionRegistry::shortcutRows() const {
    QList<QPair<QString, QString>> rows;
    for (const Entry& e : m_entries) {
        if (!e.action || e.action->shortcut().isEmpty()) continue;
        rows.append({e.action->shortcut().toString(QKeySequence::NativeText),
                     e.keysHelp.isEmpty() ? plain(e.action->text()) : e.keysHelp});
    }
    rows.append(m_hints);
    return rows;
}

QList<QKeySequence> ActionRegistry::shortcuts() const {
    QList<QKeySequence> keys;
    for (const Entry& e : m_entries)
        if (e.action && !e.action->shortcut().isEmpty()) keys << e.action->shortcut();
    return keys;
}

} // namespace caracal::ui
