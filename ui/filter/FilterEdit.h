#pragma once
// The filter line: live syntax state (the error and its column in a tooltip), completion of field names and
// of the values loaded (zones, event types, decisions, applications, reasons, ...), and history on Up/Down.
#include <QHash>
#include <QKeySequence>
#include <QLineEdit>
#include <QList>
#include <QStringList>

namespace caracal {
class EventStore;
}
class QCompleter;
class QStringListModel;

namespace caracal::ui {

class FilterEdit : public QLineEdit {
    Q_OBJECT
  public:
    enum class State { Empty, Valid, Invalid };

    explicit FilterEdit(QWidget* parent = nullptr);

    State state() const { return m_state; }
    QString errorText() const { return m_error; } // "column N: ..." when invalid
    void setKnownValues(const QHash<QString, QStringList>& valuesByField);
    // The values a store offers for completion, by filter key (runs on any thread).
    static QHash<QString, QStringList> valuesIn(const caracal::EventStore& store);
    void setHistory(const QStringList& history) { m_history = history; }
    const QStringList& history() const { return m_history; }
    void remember(const QString& expression); // after it was applied
    QCompleter* completer() const { return m_completer; }
    // Window commands whose keys a line edit would otherwise take for itself (Ctrl+E is "end of line" in
    // QLineEdit's Emacs-style bindings): while the filter has focus these still reach the window.
    void setWindowShortcuts(const QList<QKeySequence>& keys) { m_windowShortcuts = keys; }
    const QList<QKeySequence>& windowShortcuts() const { return m_windowShortcuts; }

  signals:
    void stateChanged(State state, const QString& error);

  protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;

  private:
    void validate();
    void updateCompletions();
    void insertCompletion(const QString& completion);
    QString currentToken(int* start = nullptr) const;

    State m_state = State::Empty;
    QString m_error;
    QCompleter* m_completer;
    QStringListModel* m_completions;
    QHash<QString, QStringList> m_values;
    QStringList m_history;
    int m_historyPos = -1;
    QList<QKeySequence> m_windowShortcuts;
};

} // namespace caracal::ui
