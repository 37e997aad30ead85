#include "setup/CheckListView.h"

#include "common/HelpAddress.h"
#include "common/StatusPalette.h"

#include <algorithm>

namespace caracal::ui {

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
    setHtml("<p style='color:gray'>" + text.toHtmlEscaped() + "</p>");
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
    QString html = "<style>p{margin:2px 0} .id{color:gray; font-size:small} .fix{margin-left:16px}</style>";
    if (!heading.isEmpty()) html += "<p><b>" + heading.toHtmlEscaped() + "</b></p>";
    html += QString("<p>%1 failed, %2 warnings, %3 cannot tell, %4 passed.</p><hr>")
                .arg(counts[0])
                .arg(counts[1])
                .arg(counts[2])
                .arg(counts[3]);
    for (const SetupCheck* c : order) {
        html += "<p>" + statusBadgeHtml(c->status) + " " +
                QString::fromStdString(c->message).toHtmlEscaped() + " <span class='id'>" +
                QString::fromStdString(c->id).toHtmlEscaped() + "</span></p>";
        if (c->status != CheckStatus::Pass && !c->fix.empty())
            html +=
                "<p class='fix'>Fix: <code>" + QString::fromStdString(c->fix).toHtmlEscaped() + "</code></p>";
        if (c->status != CheckStatus::Pass && !c->rows.empty()) {
            QString links;
            for (const auto& r : c->rows)
                links += QString(" <a href='row:%1'>%1</a>").arg(QString::fromStdString(r).toHtmlEscaped());
            html += "<p class='fix'>Troubleshooting:" + links + "</p>";
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
