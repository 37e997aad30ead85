#include "detail/EventDetailView.h"

#include "catalog/TroubleshootingLinker.h"
#include "common/HelpAddress.h"
#include "common/JsonTreeModel.h"
#include "common/JsonTreeView.h"
#include "common/Theme.h"
#include "present/EventDetails.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}
} // namespace

EventDetailView::EventDetailView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_findBar = new QWidget(this);
    auto* findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(6, 4, 6, 4);
    m_findEdit = new QLineEdit(m_findBar);
    m_findEdit->setPlaceholderText("Find in this event");
    m_findEdit->setClearButtonEnabled(true);
    m_findStatus = new QLabel(m_findBar);
    auto* closeFind = new QToolButton(m_findBar);
    closeFind->setText("Close");
    closeFind->setAutoRaise(true);
    findLayout->addWidget(m_findEdit, 1);
    findLayout->addWidget(m_findStatus);
    findLayout->addWidget(closeFind);
    m_findBar->hide();
    connect(m_findEdit, &QLineEdit::returnPressed, this, &EventDetailView::findNext);
    connect(closeFind, &QToolButton::clicked, m_findBar, &QWidget::hide);
    auto* escape =
        new QShortcut(QKeySequence(Qt::Key_Escape), m_findEdit, nullptr, nullptr, Qt::WidgetShortcut);
    connect(escape, &QShortcut::activated, m_findBar, &QWidget::hide);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_browser = new QTextBrowser(m_splitter);
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::NoFrame);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const HelpAddress target = parseHelpAddress(url.toString());
        if (target.kind == HelpAddress::Kind::Code)
            emit codeActivated(target.value);
        else if (target.kind == HelpAddress::Kind::Row)
            emit rowActivated(target.value);
        else if (url.scheme() == "https" || url.scheme() == "http")
            QDesktopServices::openUrl(url);
    });

    auto* treeBox = new QWidget(m_splitter);
    auto* treeLayout = new QVBoxLayout(treeBox);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->setSpacing(0);
    auto* treeBar = new QHBoxLayout;
    treeBar->setContentsMargins(6, 4, 6, 4);
    auto* title = new QLabel("<b>Technical details</b>", treeBox);
    auto* expand = new QPushButton("Expand all", treeBox);
    auto* collapse = new QPushButton("Collapse", treeBox);
    auto* copy = new QPushButton("Copy event JSON", treeBox);
    copy->setObjectName("copyEventJson");
    for (auto* b : {expand, collapse, copy})
        b->setAutoDefault(false);
    treeBar->addWidget(title);
    treeBar->addStretch(1);
    treeBar->addWidget(expand);
    treeBar->addWidget(collapse);
    treeBar->addWidget(copy);
    treeLayout->addLayout(treeBar);
    m_tree = new QTreeView(treeBox);
    m_treeModel = new JsonTreeModel(this);
    m_tree->setModel(m_treeModel);
    setUpJsonTreeView(m_tree);
    m_tree->setAlternatingRowColors(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    treeLayout->addWidget(m_tree, 1);
    connect(expand, &QPushButton::clicked, m_tree, &QTreeView::expandAll);
    connect(collapse, &QPushButton::clicked, m_tree, &QTreeView::collapseAll);
    connect(copy, &QPushButton::clicked, this, &EventDetailView::copyEventJson);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_tree->indexAt(pos);
        if (!index.isValid()) return;
        QMenu menu(this);
        menu.addAction("Copy value", [index] {
            QApplication::clipboard()->setText(
                index.siblingAtColumn(0).data(JsonTreeModel::JsonRole).toString());
        });
        menu.addAction("Copy path", [index] {
            QApplication::clipboard()->setText(
                index.siblingAtColumn(0).data(JsonTreeModel::PathRole).toString());
        });
        menu.exec(m_tree->viewport()->mapToGlobal(pos));
    });

    m_splitter->addWidget(m_browser);
    m_splitter->addWidget(treeBox);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_findBar);
    layout->addWidget(m_splitter, 1);
    clear();
}

void EventDetailView::clear() {
    m_empty = true;
    m_event = nullptr;
    m_eventJson.clear();
    m_treeModel->setJson(nlohmann::ordered_json::object());
    render();
}

void EventDetailView::showEvent(const nlohmann::ordered_json& event, const QString& eventJson,
                                const QString& source, uint32_t line, const QString& knownActor,
                                SourceOrigin origin, const QString& chainCheck, bool redactedHere) {
    m_chainCheck = chainCheck;
    m_knownActor = knownActor;
    m_origin = origin;
    m_redactedHere = redactedHere;
    m_empty = false;
    m_event = event;
    m_eventJson = eventJson;
    m_source = source;
    m_line = line;
    m_treeModel->setJson(event);
    m_tree->expandToDepth(0);
    fitJsonKeyColumn(m_tree);
    render();
}

void EventDetailView::render() {
    const QPalette pal = palette();
    const QString muted = mutedTextColor(pal); // headings and labels: readable on dark too
    if (m_empty) {
        m_browser->setHtml(
            QString("<div style='color:%1; margin:24px'>Select an event to read its details.</div>")
                .arg(muted));
        return;
    }
    const EventDetails d = describeEvent(m_event, m_source.toStdString(), m_line, m_knownActor.toStdString(),
                                         m_origin, m_redactedHere);
    const BadgeColors badge = badgeColors(d.tone, pal);
    const BadgeColors danger = badgeColors(Tone::Danger, pal);
    const QString chipBg = colorName(badgeColors(Tone::Muted, pal).background);
    QString html = "<html><body style='margin:6px'>";
    html += QString("<p style='margin:0'><span style='font-size:large; font-weight:600'>%1</span>&nbsp;&nbsp;"
                    "<span style='background-color:%2; color:%3; font-weight:600'>&nbsp;%4&nbsp;</span></p>")
                .arg(esc(d.label), colorName(badge.background), colorName(badge.text), esc(d.decision));
    html += QString("<p style='margin-top:4px'>%1</p>").arg(esc(d.summary));
    if (d.deny) {
        html += QString("<table width='100%' cellpadding='8' style='background-color:%1; color:%2; "
                        "margin-bottom:6px'><tr><td>"
                        "<b>Deny reason: %3</b> <a href='code:%4' "
                        "style='color:%2'><code>%4</code></a>%5</td></tr></table>")
                    .arg(colorName(danger.background), colorName(danger.text), esc(d.deny->label),
                         esc(d.deny->code), d.deny->hint.empty() ? QString() : "<br>" + esc(d.deny->hint));
    }
    // Where to look next: the surface, every code with where it came from, and the rows that apply.
    const EventLinks links = linkEvent(m_event);
    if (!links.codes.empty() || !links.rows.empty()) {
        html +=
            QString(
                "<h4 style='margin-top:10px; margin-bottom:2px; color:%1'>Troubleshooting (surface: %2)</h4>")
                .arg(muted, QString::fromLatin1(surfaceName(links.surface).data(),
                                                int(surfaceName(links.surface).size())));
        QStringList codes;
        for (const auto& c : links.codes)
            codes << QString("<a href='code:%1'><code>%1</code></a> <span style='color:%2'>(%3)</span>")
                         .arg(esc(c.code), muted, esc(c.from));
        if (!codes.isEmpty()) html += "<p style='margin:2px'>" + codes.join(", ") + "</p>";
        // One line per table: its title, then its rows as links.
        for (size_t i = 0; i < links.rows.size();) {
            const TroubleshootingTable* table = links.rows[i].row.table;
            QStringList rows;
            for (; i < links.rows.size() && links.rows[i].row.table == table; ++i)
                rows << QString("<a href='row:%1'>%2</a>")
                            .arg(esc(links.rows[i].row.address()), esc(links.rows[i].row.checkText()));
            html += QString("<div style='margin-left:8px'>%1: %2</div>")
                        .arg(esc(table->title), rows.join(" &middot; "));
        }
    }
    for (const auto& g : d.groups) {
        html += QString("<h4 style='margin-top:10px; margin-bottom:2px; color:%1'>%2</h4>")
                    .arg(muted, esc(g.title));
        html += "<table cellspacing='0' cellpadding='2'>";
        for (const auto& row : g.rows) {
            QString value;
            for (size_t i = 0; i < row.values.size(); ++i) {
                const QString v = esc(row.values[i]);
                if (row.kind == DetailRow::Kind::Chips)
                    value +=
                        QString("<span style='background-color:%1'>&nbsp;%2&nbsp;</span> ").arg(chipBg, v);
                else if (row.kind == DetailRow::Kind::Mono)
                    value += "<code>" + v + "</code>";
                else
                    value += v;
            }
            html +=
                QString("<tr><td style='color:%1; padding-right:12px' valign='top'>%2</td><td>%3</td></tr>")
                    .arg(muted, esc(row.label), value);
        }
        if (g.title == "Audit chain")
            html += QString("<p style='margin:2px'><b>Check:</b> %1</p>")
                        .arg(m_chainCheck.isEmpty() ? QString("not verified yet (File &gt; Verify integrity)")
                                                    : m_chainCheck.toHtmlEscaped().replace("\n", "<br>"));
        html += "</table>";
    }
    if (!m_event.contains("ContentSHA256") && !m_event.contains("content_sha256"))
        html +=
            QString(
                "<h4 style='margin-top:10px; margin-bottom:2px; color:%1'>Audit chain</h4><p "
                "style='margin:2px'>Cannot be verified: this event carries no chain fields (content_sha256, "
                "chain_seq). The Caracal API's audit pages and plain exports omit them; the audit service's "
                "search and a database dump keep them.</p>")
                .arg(muted);
    html += "</body></html>";
    m_browser->setHtml(html);
}

void EventDetailView::setChainCheck(const QString& text) {
    if (text == m_chainCheck) return;
    m_chainCheck = text;
    if (!m_empty) render();
}

QString EventDetailView::renderedText() const {
    return m_browser->toPlainText();
}

void EventDetailView::copyEventJson() {
    if (!m_eventJson.isEmpty()) QApplication::clipboard()->setText(m_eventJson);
}

void EventDetailView::startFind() {
    m_findBar->show();
    m_findEdit->setFocus();
    m_findEdit->selectAll();
}

void EventDetailView::findNext() {
    const QString needle = m_findEdit->text();
    if (needle.isEmpty()) return;
    bool found = m_browser->find(needle);
    if (!found) { // wrap around once
        m_browser->moveCursor(QTextCursor::Start);
        found = m_browser->find(needle);
    }
    const QModelIndexList hits = m_treeModel->match(m_treeModel->index(0, 0), Qt::DisplayRole, needle, 1,
                                                    Qt::MatchContains | Qt::MatchRecursive | Qt::MatchWrap);
    QModelIndexList valueHits;
    if (hits.isEmpty())
        valueHits = m_treeModel->match(m_treeModel->index(0, JsonTreeModel::ValueColumn), Qt::DisplayRole,
                                       needle, 1, Qt::MatchContains | Qt::MatchRecursive | Qt::MatchWrap);
    const QModelIndex hit = !hits.isEmpty()        ? hits.first()
                            : !valueHits.isEmpty() ? valueHits.first()
                                                   : QModelIndex();
    if (hit.isValid()) {
        for (QModelIndex p = hit.parent(); p.isValid(); p = p.parent())
            m_tree->expand(p);
        m_tree->setCurrentIndex(hit);
        m_tree->scrollTo(hit);
    }
    m_findStatus->setText(found || hit.isValid() ? QString() : "Not found");
}

void EventDetailView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) render();
    QWidget::changeEvent(event);
}

} // namespace caracal::ui
