#include "setup/CheckListView.h"

#include "catalog/TroubleshootingCatalog.h"
#include "common/HelpAddress.h"
#include "common/StatusPalette.h"
#include "common/TextFormat.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>

namespace caracal::ui {

QString inlineCodeHtml(const QString& text) {
    // Caracal's texts mark commands and names with backticks, as Markdown does: show them as code.
    static const QRegularExpression ticks("`([^`]+)`");
    QString html = text.toHtmlEscaped();
    html.replace(ticks, "<code>\\1</code>");
    return html;
}

QString rowTitleHtml(const QString& address) {
    const auto row = TroubleshootingCatalog::instance().row(address.toStdString());
    if (!row) return address.toHtmlEscaped(); // unknown rows keep their address rather than vanish
    return QString::fromStdString(row->table->title).toHtmlEscaped() + " &rsaquo; " +
           inlineCodeHtml(QString::fromStdString(row->checkText()));
}

QString statusBadgeHtml(CheckStatus status) {
    // White on the tone's colour: the light palette's shades keep that readable in either mode.
    const QPalette light(Qt::white);
    const QString colour = statusColor(status == CheckStatus::Pass   ? StatusTone::Good
                                       : status == CheckStatus::Fail ? StatusTone::Bad
                                       : status == CheckStatus::Warn ? StatusTone::Warning
                                                                     : StatusTone::Neutral,
                                       light);
    const char* text = status == CheckStatus::Pass   ? "PASS"
                       : status == CheckStatus::Fail ? "FAIL"
                       : status == CheckStatus::Warn ? "WARN"
                                                     : "CANNOT TELL";
    return QString("<span style='color:white; background:%1; font-weight:bold'>&nbsp;%2&nbsp;</span>")
        .arg(colour, text);
}

CheckListView::CheckListView(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const QString link = url.toString();
        if (parseHelpAddress(link).kind == HelpAddress::Kind::Row)
            emit rowRequested(link);
        else if (link.startsWith("action:"))
            emit actionRequested(link.mid(7));
    });
}

void CheckListView::setBusy(const QString& text) {
    m_checks.clear();
    setHtml(QString("<p style='color:%1'>").arg(statusColor(StatusTone::Muted, palette())) +
            text.toHtmlEscaped() + "</p>");
}

void CheckListView::setChecks(const std::vector<SetupCheck>& checks, const QString& heading) {
    m_checks = checks;
    // Failures first, then warnings and questions, then what passed; stable within each.
    auto rank = [](CheckStatus s) {
        return s == CheckStatus::Fail ? 0 : s == CheckStatus::Warn ? 1 : s == CheckStatus::Skip ? 2 : 3;
    };
    std::vector<const SetupCheck*> order;
    for (const auto& c : m_checks)
        order.push_back(&c);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto* a, auto* b) { return rank(a->status) < rank(b->status); });
    size_t counts[4] = {0, 0, 0, 0};
    for (const auto& c : m_checks)
        ++counts[rank(c.status)];
    QString html =
        QString("<style>p{margin:2px 0} .id{color:%1; font-size:small} .fix{margin-left:16px}</style>")
            .arg(statusColor(StatusTone::Muted, palette()));
    if (!heading.isEmpty()) html += "<p><b>" + heading.toHtmlEscaped() + "</b></p>";
    html += QString("<p>%1 failed, %2, %3 cannot tell, %4 passed.</p><hr>")
                .arg(counts[0])
                .arg(countText(qlonglong(counts[1]), "warning", "warnings"))
                .arg(counts[2])
                .arg(counts[3]);
    // Several checks often share one fix (start the stack, set one variable): say it once, then refer to it.
    QHash<QString, QString> fixedBy; // fix text -> the first check that showed it
    for (const SetupCheck* c : order) {
        html += "<p>" + statusBadgeHtml(c->status) + " " +
                inlineCodeHtml(QString::fromStdString(c->message)) + " <span class='id'>" +
                QString::fromStdString(c->id).toHtmlEscaped() + "</span></p>";
        const QString fix = QString::fromStdString(c->fix);
        if (c->status != CheckStatus::Pass && !fix.isEmpty()) {
            if (const auto first = fixedBy.constFind(fix); first != fixedBy.cend())
                html += "<p class='fix'>Fix: the same as for <i>" + first.value().toHtmlEscaped() +
                        "</i> above.</p>";
            else {
                fixedBy.insert(fix, QString::fromStdString(c->id));
                html += "<p class='fix'>Fix: " + inlineCodeHtml(fix) + "</p>";
            }
        }
        if (c->status != CheckStatus::Pass && !c->rows.empty()) {
            QStringList links;
            for (const auto& r : c->rows)
                links << QString("<a href='row:%1'>%2</a>")
                             .arg(QString::fromStdString(r).toHtmlEscaped(),
                                  rowTitleHtml(QString::fromStdString(r)));
            html += "<p class='fix'>Troubleshooting: " + links.join(", ") + "</p>";
        }
        if (!c->action.empty() &&
            (c->status == CheckStatus::Fail || c->action.rfind("open-folder:", 0) == 0)) {
            const QString action = QString::fromStdString(c->action);
            const QString label =
                action.startsWith("chmod600:") ? "Apply: make it owner-only (chmod 600)" : "Open the folder";
            html +=
                QString("<p class='fix'><a href='action:%1'>%2</a></p>").arg(action.toHtmlEscaped(), label);
        }
    }
    setHtml(html);
}

} // namespace caracal::ui
