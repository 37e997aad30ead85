#pragma once
// The selected event: a readable summary grouped as the web console groups it, the deny reason box for
// denies, and a JSON tree of the whole event with copy and expand-all. Ctrl+F finds text in both.
#include "util/SourceBuffer.h"

#include <QWidget>
#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QTextBrowser;
class QTreeView;
class QSplitter;

namespace caracal::ui {

class JsonTreeModel;

class EventDetailView : public QWidget {
    Q_OBJECT
  public:
    explicit EventDetailView(QWidget* parent = nullptr);

    void showEvent(const nlohmann::ordered_json& event, const QString& eventJson, const QString& source,
                   uint32_t line, const QString& knownActor = {}, SourceOrigin origin = SourceOrigin::File,
                   const QString& chainCheck = {}, bool redactedHere = false);
    void clear();
    // The row's own hash-chain check from the last verification ("" when none ran for it), shown in the audit
    // chain section. Events without chain fields say that they cannot be verified either way.
    void setChainCheck(const QString& text);
    QString eventJson() const { return m_eventJson; }
    QString renderedText() const; // the readable part as plain text
    QTextBrowser* browser() const { return m_browser; }
    QTreeView* tree() const { return m_tree; }
    JsonTreeModel* treeModel() const { return m_treeModel; }
    QSplitter* splitter() const { return m_splitter; }

  signals:
    void codeActivated(const QString& code);
    void rowActivated(const QString& address);

  public slots:
    void copyEventJson();
    void startFind();
    void findNext();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void render();

    QTextBrowser* m_browser;
    QTreeView* m_tree;
    JsonTreeModel* m_treeModel;
    QSplitter* m_splitter;
    QWidget* m_findBar;
    QLineEdit* m_findEdit;
    QLabel* m_findStatus;
    nlohmann::ordered_json m_event;
    QString m_eventJson, m_source;
    uint32_t m_line = 0;
    QString m_knownActor;
    SourceOrigin m_origin = SourceOrigin::File;
    bool m_redactedHere = false; // secret values were replaced by the console, not by the server
    QString m_chainCheck;
    bool m_empty = true;
};

} // namespace caracal::ui
