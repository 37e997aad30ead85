#include "filter/FilterEdit.h"

#include "common/StatusPalette.h"
#include "common/Theme.h"
#include "query/FieldCatalog.h"
#include "query/FilterParser.h"
#include "store/EventStore.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QStringListModel>

namespace caracal::ui {

FilterEdit::FilterEdit(QWidget* parent) : QLineEdit(parent) {
    setPlaceholderText(
        "Filter: zone:prod decision:deny type:token_* since:2h app:payments \"free text\"   (Ctrl+L)");
    setClearButtonEnabled(true);
    m_completions = new QStringListModel(this);
    m_completer = new QCompleter(m_completions, this);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
            &FilterEdit::insertCompletion);
    connect(this, &QLineEdit::textChanged, this, &FilterEdit::validate);
    connect(this, &QLineEdit::textEdited, this, &FilterEdit::updateCompletions);
    validate();
}

void FilterEdit::setKnownValues(const QHash<QString, QStringList>& valuesByField) {
    m_values = valuesByField;
}

void FilterEdit::remember(const QString& expression) {
    m_historyPos = -1;
    if (expression.trimmed().isEmpty()) return;
    m_history.removeAll(expression);
    m_history.prepend(expression);
    while (m_history.size() > 30)
        m_history.removeLast();
}

void FilterEdit::validate() {
    const ParsedFilter parsed = parseFilter(text().toStdString());
    State state = text().trimmed().isEmpty() ? State::Empty : State::Valid;
    m_error.clear();
    if (parsed.error) {
        state = State::Invalid;
        m_error = QString::fromStdString(parsed.error->text());
    }
    m_state = state;
    setToolTip(state == State::Invalid
                   ? "Invalid filter: " + m_error
                   : "Fields: zone: request: type: decision: status: app: session: authority: "
                     "resource: label: reason: policy: since: until:\n"
                     "A value ending in * matches by prefix. Combine with OR, -negation, ( ).");
    // The frame shows the state: green when it parses, red when it does not.
    QString color;
    if (state == State::Valid) color = statusColor(StatusTone::Good, palette());
    if (state == State::Invalid) color = statusColor(StatusTone::Bad, palette());
    setStyleSheet(color.isEmpty()
                      ? QString()
                      : QString("QLineEdit { border: 2px solid %1; border-radius: 3px; padding: 1px 3px; }")
                            .arg(color));
    emit stateChanged(state, m_error);
}

QString FilterEdit::currentToken(int* start) const {
    const QString t = text();
    int end = cursorPosition();
    int begin = end;
    while (begin > 0 && !t[begin - 1].isSpace() && t[begin - 1] != '(' && t[begin - 1] != ')')
        --begin;
    if (begin < end && t[begin] == '-') ++begin; // a negated term completes like any other
    if (start) *start = begin;
    return t.mid(begin, end - begin);
}

void FilterEdit::updateCompletions() {
    const QString token = currentToken();
    if (token.isEmpty() || token.startsWith('"')) {
        m_completer->popup()->hide();
        return;
    }
    QStringList candidates;
    const int colon = token.indexOf(':');
    if (colon < 0) {
        for (auto name : filterFieldNames())
            candidates << QString::fromLatin1(name.data(), int(name.size())) + ":";
    } else {
        const QString field = token.left(colon);
        const auto key = filterKeyFromName(field.toStdString());
        QString canonical =
            key ? QString::fromLatin1(filterKeyName(*key).data(), int(filterKeyName(*key).size())) : field;
        if (canonical == "since" || canonical == "until") {
            for (const char* t : {"15m", "1h", "2h", "24h", "7d", "now"})
                candidates << field + ":" + t;
        } else {
            for (const QString& v : m_values.value(canonical))
                candidates << field + ":" + (v.contains(' ') ? "\"" + v + "\"" : v);
        }
    }
    m_completions->setStringList(candidates);
    m_completer->setCompletionPrefix(token);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == token)) {
        m_completer->popup()->hide();
        return;
    }
    QRect r = cursorRect();
    r.setWidth(std::max(260, m_completer->popup()->sizeHintForColumn(0) + 30));
    m_completer->complete(r);
}

void FilterEdit::insertCompletion(const QString& completion) {
    int start = 0;
    currentToken(&start);
    QString t = text();
    const int end = cursorPosition();
    const bool fieldOnly = completion.endsWith(':');
    const QString inserted = completion + (fieldOnly ? "" : " ");
    t.replace(start, end - start, inserted);
    setText(t);
    setCursorPosition(start + int(inserted.size()));
    if (fieldOnly) updateCompletions(); // go straight on to the values
}

bool FilterEdit::event(QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        // Text editing keys stay the line edit's (copy, paste, undo, select all, word moves); other
        // window commands win over QLineEdit's own bindings.
        const bool editing = key->matches(QKeySequence::Copy) || key->matches(QKeySequence::Cut) ||
                             key->matches(QKeySequence::Paste) || key->matches(QKeySequence::Undo) ||
                             key->matches(QKeySequence::Redo) || key->matches(QKeySequence::SelectAll);
        const QKeySequence pressed(key->keyCombination());
        if (!editing && m_windowShortcuts.contains(pressed)) {
            event->ignore();
            return true;
        }
    }
    return QLineEdit::event(event);
}

void FilterEdit::keyPressEvent(QKeyEvent* event) {
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore();
            return; // the completer takes these
        default:
            break;
        }
    } else if ((event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) && !m_history.isEmpty()) {
        m_historyPos = event->key() == Qt::Key_Up ? std::min(m_historyPos + 1, int(m_history.size()) - 1)
                                                  : std::max(m_historyPos - 1, -1);
        setText(m_historyPos < 0 ? QString() : m_history[m_historyPos]);
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void FilterEdit::focusInEvent(QFocusEvent* event) {
    QLineEdit::focusInEvent(event);
    m_completer->setWidget(this);
}

QHash<QString, QStringList> FilterEdit::valuesIn(const EventStore& store) {
    QHash<QString, QStringList> out;
    const uint32_t n = store.strings().size();
    auto collect = [&](const QString& key, auto&& idsOf) {
        std::vector<uint8_t> seen(n, 0);
        for (RowId r = 0; r < store.size(); ++r)
            idsOf(r, seen);
        QStringList list;
        for (uint32_t id = 1; id < n; ++id)
            if (seen[id]) list << QString::fromUtf8(store.str(id).data(), qsizetype(store.str(id).size()));
        list.sort(Qt::CaseInsensitive);
        out.insert(key, list);
    };
    auto tags = [&](TagKind kind) {
        return [&store, kind](RowId r, std::vector<uint8_t>& seen) {
            for (uint32_t t : store.tags(r))
                if (tagKind(t) == kind) seen[t & kTagIdMask] = 1;
        };
    };
    // Record fields the field catalog marks for completion, grouped by their filter key.
    std::vector<std::pair<QString, std::vector<Field>>> byKey;
    for (const FieldInfo& f : fieldCatalog()) {
        if (!f.completes || !f.storeField) continue;
        const QString key = QString::fromUtf8(f.filterKey.data(), qsizetype(f.filterKey.size()));
        auto it = std::find_if(byKey.begin(), byKey.end(), [&](const auto& e) { return e.first == key; });
        if (it == byKey.end()) it = byKey.insert(byKey.end(), {key, {}});
        it->second.push_back(*f.storeField);
    }
    for (const auto& [key, fs] : byKey)
        collect(key, [&store, &fs](RowId r, std::vector<uint8_t>& seen) {
            for (Field f : fs)
                seen[store.record(r).field(f)] = 1;
        });
    collect("reason", tags(TagKind::Code));
    collect("label", tags(TagKind::Label));
    collect("policy", tags(TagKind::Policy));
    return out;
}

} // namespace caracal::ui
