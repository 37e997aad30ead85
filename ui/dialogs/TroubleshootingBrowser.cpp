#include "dialogs/TroubleshootingBrowser.h"

#include "catalog/TroubleshootingCatalog.h"
#include "common/HelpAddress.h"
#include "common/ScreenFit.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString esc(const std::string& s) {
    return qs(s).toHtmlEscaped();
}
constexpr int AddressRole = Qt::UserRole + 1;
constexpr int SearchRole = Qt::UserRole + 2;

QString groupTitle(const std::string& group) {
    static const QHash<QString, QString> titles = {{"well_known", "Error Codes table"},
                                                   {"verifier", "Verifier codes"},
                                                   {"api", "Admin API"},
                                                   {"coordinator", "Coordinator"},
                                                   {"runtime", "Runtime profile"},
                                                   {"console_bff", "Web console server"},
                                                   {"readiness", "Readiness reasons"},
                                                   {"gateway_error_kind", "Gateway error kinds"},
                                                   {"provider", "Provider"},
                                                   {"gateway_status", "Gateway call outcomes"}};
    return titles.value(qs(group), qs(group));
}

QString rowLink(const RowRef& r) {
    return QString("<a href='row:%1'>%2 &rsaquo; %3</a>")
        .arg(qs(r.address()), esc(r.table->title), esc(r.checkText()));
}
} // namespace

TroubleshootingBrowser::TroubleshootingBrowser(QWidget* parent) : QDialog(parent) {
    setWindowTitle("Troubleshooting");
    fitToScreen(this, {1100, 680});
    auto* layout = new QVBoxLayout(this);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText("Search codes, symptoms and checks");
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    auto* split = new QSplitter(this);
    m_tree = new QTreeWidget(split);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_detail = new QTextBrowser(split);
    m_detail->setOpenLinks(false);
    split->addWidget(m_tree);
    split->addWidget(m_detail);
    split->setSizes({380, 720});
    layout->addWidget(split, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_showEvents = buttons->addButton("Show events with this code", QDialogButtonBox::ActionRole);
    m_showEvents->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_showEvents, &QPushButton::clicked, this, [this] {
        const HelpAddress target = parseHelpAddress(m_address);
        if (target.kind == HelpAddress::Kind::Code) emit showEventsRequested(target.value);
    });
    connect(m_search, &QLineEdit::textChanged, this, &TroubleshootingBrowser::filter);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item) return;
        if (!item->data(0, AddressRole).toString().isEmpty())
            render(item->data(0, AddressRole).toString());
        else
            renderHeading(item); // the right pane follows the selection to headings too
    });
    m_search->installEventFilter(this); // Down goes from the search into the results
    connect(m_detail, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const QString target = url.toString();
        if (isHelpAddress(target)) select(target);
    });
    build();
    m_detail->setHtml(
        "<h2>Troubleshooting</h2><p>Every Caracal error code, deny reason and first-run troubleshooting "
        "table. Pick a code or a row on the left, or search above.</p><p><b>Start from the surface, not the "
        "code:</b> the same code means different things from the STS, the Gateway and a verifier. An event's "
        "detail pane names its surface and links the rows that apply.</p>");
    m_search->setFocus();
}

void TroubleshootingBrowser::build() {
    const auto& catalog = TroubleshootingCatalog::instance();
    auto* codes = new QTreeWidgetItem(m_tree, {"Error codes"});
    QTreeWidgetItem* group = nullptr;
    std::string groupName;
    for (const auto& e : catalog.codes()) {
        if (!group || e.group != groupName) {
            groupName = e.group;
            group = new QTreeWidgetItem(codes, {groupTitle(e.group)});
            if (e.group == "well_known") group->setExpanded(true);
        }
        auto* item = new QTreeWidgetItem(group, {qs(e.code)});
        item->setData(0, AddressRole, helpAddressOfCode(qs(e.code)));
        item->setData(0, SearchRole,
                      qs(e.code + " " + e.meaning + " " + e.likelySource + " " + e.firstCheck));
        item->setToolTip(0, qs(e.meaning));
    }
    auto* deny = new QTreeWidgetItem(m_tree, {"Deny reasons"});
    for (const auto& d : DenyReasonCatalog::instance().all()) {
        auto* item = new QTreeWidgetItem(deny, {qs(d.code)});
        item->setData(0, AddressRole, helpAddressOfCode(qs(d.code)));
        item->setData(0, SearchRole, qs(d.code + " " + d.label + " " + d.hint));
        item->setToolTip(0, qs(d.label));
    }
    for (const auto& t : catalog.tables()) {
        auto* table = new QTreeWidgetItem(m_tree, {qs(t.title)});
        for (const auto& r : t.rows) {
            auto* item = new QTreeWidgetItem(table, {qs(r.cells.front())});
            item->setData(0, AddressRole, helpAddressOfRow(qs(t.key + "/" + r.key)));
            std::string all = t.title;
            for (const auto& cell : r.cells)
                all += " " + cell;
            item->setData(0, SearchRole, qs(all));
        }
    }
    codes->setExpanded(true);
}

bool TroubleshootingBrowser::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_PageDown) {
            QTreeWidgetItem* current = m_tree->currentItem();
            if (!current || current->isHidden()) current = firstVisibleLeaf();
            if (current) m_tree->setCurrentItem(current);
            m_tree->setFocus(Qt::TabFocusReason);
            return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && firstVisibleLeaf()) {
            m_tree->setCurrentItem(firstVisibleLeaf());
            m_tree->setFocus(Qt::TabFocusReason);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

QTreeWidgetItem* TroubleshootingBrowser::firstVisibleLeaf() const {
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if (!(*it)->isHidden() && !(*it)->data(0, AddressRole).toString().isEmpty()) {
            bool shown = true;
            for (QTreeWidgetItem* p = (*it)->parent(); p; p = p->parent())
                shown &= !p->isHidden();
            if (shown) return *it;
        }
    return nullptr;
}

void TroubleshootingBrowser::setCodeLoaded(std::function<bool(const QString&)> loaded) {
    m_codeLoaded = std::move(loaded);
    updateShowEvents();
}

void TroubleshootingBrowser::updateShowEvents() {
    const HelpAddress target = parseHelpAddress(m_address);
    const bool isCode = target.kind == HelpAddress::Kind::Code;
    const bool any = isCode && m_codeLoaded && m_codeLoaded(target.value);
    m_showEvents->setEnabled(any);
    m_showEvents->setToolTip(!isCode ? "Pick an error code first"
                             : !any  ? "No loaded event carries this code"
                                     : "Filter the table to the events that carry this code");
}

void TroubleshootingBrowser::renderHeading(QTreeWidgetItem* item) {
    m_address.clear();
    updateShowEvents();
    QString html = "<h2>" + item->text(0).toHtmlEscaped() + "</h2><ul>";
    for (int i = 0; i < item->childCount(); ++i) {
        const QTreeWidgetItem* child = item->child(i);
        if (child->isHidden()) continue;
        const QString address = child->data(0, AddressRole).toString();
        const QString tip =
            child->toolTip(0).isEmpty() ? QString() : " &ndash; " + child->toolTip(0).toHtmlEscaped();
        html += address.isEmpty() ? "<li>" + child->text(0).toHtmlEscaped() + "</li>"
                                  : QString("<li><a href='%1'>%2</a>%3</li>")
                                        .arg(address.toHtmlEscaped(), child->text(0).toHtmlEscaped(), tip);
    }
    m_detail->setHtml(html + "</ul>");
}

void TroubleshootingBrowser::filter(const QString& text) {
    // Show matching leaves and their parents; an empty search shows everything.
    std::function<bool(QTreeWidgetItem*)> apply = [&](QTreeWidgetItem* item) {
        bool any = false;
        for (int i = 0; i < item->childCount(); ++i)
            any |= apply(item->child(i));
        const bool self = !item->data(0, SearchRole).toString().isEmpty() &&
                          item->data(0, SearchRole).toString().contains(text, Qt::CaseInsensitive);
        const bool visible = text.isEmpty() || self || any;
        item->setHidden(!visible);
        if (!text.isEmpty() && any) item->setExpanded(true);
        return visible;
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        apply(m_tree->topLevelItem(i));
    if (text.isEmpty()) return;
    int matches = 0;
    QTreeWidgetItem* only = nullptr;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if (!(*it)->isHidden() && !(*it)->data(0, AddressRole).toString().isEmpty() &&
            (*it)->data(0, SearchRole).toString().contains(text, Qt::CaseInsensitive)) {
            ++matches;
            only = *it;
        }
    if (matches == 1) { // the answer: show it without another key press
        const QSignalBlocker keepSearch(m_search);
        m_tree->setCurrentItem(only);
        m_tree->scrollToItem(only);
    }
}

void TroubleshootingBrowser::select(const QString& address) {
    QTreeWidgetItemIterator it(m_tree);
    for (; *it; ++it)
        if ((*it)->data(0, AddressRole).toString() == address) {
            m_search->clear();
            for (QTreeWidgetItem* p = (*it)->parent(); p; p = p->parent())
                p->setExpanded(true);
            m_tree->setCurrentItem(*it); // highlights the row and renders it
            m_tree->scrollToItem(*it);
            return;
        }
    render(address);
}

bool TroubleshootingBrowser::showCode(const QString& code) {
    const auto r = TroubleshootingCatalog::instance().resolve(code.toStdString());
    if (!r) return false;
    m_note = r.aliasOf.empty() ? QString()
                               : QString("<p><i>%1 is an alias of %2: %3</i></p>")
                                     .arg(code.toHtmlEscaped(), esc(r.aliasOf), esc(r.aliasNote));
    select(helpAddressOfCode(qs(r.canonical())));
    render(helpAddressOfCode(qs(r.canonical()))); // also when that code was already selected
    m_note.clear();
    return true;
}

bool TroubleshootingBrowser::showRow(const QString& address) {
    if (!TroubleshootingCatalog::instance().row(address.toStdString())) return false;
    select(helpAddressOfRow(address));
    return true;
}

QString TroubleshootingBrowser::currentAddress() const {
    return m_address;
}

QString TroubleshootingBrowser::detailText() const {
    return m_detail->toPlainText();
}

void TroubleshootingBrowser::render(const QString& address) {
    const auto& catalog = TroubleshootingCatalog::instance();
    m_address = address;
    const HelpAddress target = parseHelpAddress(address);
    updateShowEvents();
    QString html = m_note;
    if (target.kind == HelpAddress::Kind::Code) {
        const std::string code = target.value.toStdString();
        const CodeResolution r = catalog.resolve(code);
        if (r.entry) {
            const ErrorCodeEntry& e = *r.entry;
            html += QString("<h2><code>%1</code></h2><p>%2</p><table cellpadding='3'>"
                            "<tr><td><b>Likely source</b></td><td>%3</td></tr>"
                            "<tr><td><b>First check</b></td><td>%4</td></tr>")
                        .arg(esc(e.code), esc(e.meaning), esc(e.likelySource), esc(e.firstCheck));
            if (!e.httpStatus.empty()) {
                QStringList s;
                for (const auto& h : e.httpStatus)
                    s << qs(h);
                html += "<tr><td><b>HTTP status</b></td><td>" + s.join(", ").toHtmlEscaped() + "</td></tr>";
            }
            html += QString("<tr><td><b>In the tables</b></td><td>%1</td></tr></table>")
                        .arg(e.inCurrentTable ? (e.inSeedTable ? "seed and current Error Codes tables"
                                                               : "current Error Codes table")
                                              : "emitted by Caracal, not in the Error Codes tables");
            for (const auto& [alias, aliased] : catalog.aliases())
                if (aliased.first == e.code)
                    html += QString("<p>Also written <code>%1</code>: %2</p>")
                                .arg(qs(alias), esc(aliased.second));
            QStringList related;
            for (const auto& ref : e.related)
                for (const RowRef& row : catalog.rows(ref))
                    related << "<li>" + rowLink(row) + "</li>";
            if (!related.isEmpty())
                html += "<h3>Related troubleshooting rows</h3><ul>" + related.join("") + "</ul>";
            if (!e.docUrl.empty()) html += QString("<p><a href='%1'>Online page</a></p>").arg(esc(e.docUrl));
        } else if (r.denyReason) {
            html += QString("<h2><code>%1</code></h2><p><b>%2</b> (deny reason)</p><p>%3</p><h3>Related "
                            "troubleshooting rows</h3><ul>")
                        .arg(esc(r.denyReason->code), esc(r.denyReason->label), esc(r.denyReason->hint));
            for (const RowRef& row : catalog.rows("sts-403"))
                html += "<li>" + rowLink(row) + "</li>";
            html += "</ul>";
        }
    } else if (auto row = catalog.row(address.mid(4).toStdString())) {
        const TroubleshootingTable& t = *row->table;
        html += QString("<h2>%1</h2>").arg(esc(t.title));
        if (!t.intro.empty()) html += "<p>" + esc(t.intro) + "</p>";
        html += "<table cellpadding='4' border='0'>";
        html += "<tr>";
        for (const auto& c : t.columns)
            html += "<th align='left'>" + esc(c) + "</th>";
        html += "</tr>";
        for (const auto& r : t.rows) {
            const bool current = &r == row->row;
            html += current ? "<tr style='background-color:#fff2b3; color:#000'>" : "<tr>";
            for (const auto& cell : r.cells)
                html += "<td valign='top'>" + (current ? "<b>" + esc(cell) + "</b>" : esc(cell)) + "</td>";
            html += "</tr>";
        }
        html += "</table>";
        QStringList codes;
        for (const auto& e : catalog.codes())
            for (const auto& ref : e.related)
                if (ref == t.key || ref == row->address())
                    codes << QString("<a href='code:%1'>%1</a>").arg(qs(e.code));
        codes.removeDuplicates();
        if (!codes.isEmpty()) html += "<h3>Codes that lead here</h3><p>" + codes.join(", ") + "</p>";
        if (!t.docUrl.empty()) html += QString("<p><a href='%1'>Online page</a></p>").arg(esc(t.docUrl));
    }
    m_detail->setHtml(html);
}

} // namespace caracal::ui
