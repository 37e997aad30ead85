#include "dialogs/ExplainErrorDialog.h"

#include "catalog/DenyReasonCatalog.h"
#include "catalog/ErrorBodyExplainer.h"
#include "catalog/TroubleshootingCatalog.h"
#include "common/HelpAddress.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "store/EventStore.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}
} // namespace

ExplainErrorDialog::ExplainErrorDialog(StoreSource store, QWidget* parent)
    : QDialog(parent), m_store(std::move(store)) {
    setWindowTitle("Explain an error");
    resize(760, 560);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(
        new QLabel("Paste an error body from an SDK, the API or a service (JSON or plain text):", this));
    m_body = new QPlainTextEdit(this);
    m_body->setPlaceholderText(
        "{\"error\": \"access_denied\", \"error_description\": \"...\", \"requestId\": \"...\"}");
    m_body->setMaximumHeight(140);
    layout->addWidget(m_body);
    m_explainButton = new QPushButton("Explain", this);
    m_explainButton->setAutoDefault(false);
    layout->addWidget(m_explainButton, 0, Qt::AlignLeft);
    m_result = new QTextBrowser(this);
    m_result->setOpenLinks(false);
    layout->addWidget(m_result, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_goToRequest = buttons->addButton("Go to the request", QDialogButtonBox::ActionRole);
    m_goToRequest->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_explainButton, &QPushButton::clicked, this, &ExplainErrorDialog::explain);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_goToRequest->setAutoDefault(false);
    connect(m_goToRequest, &QPushButton::clicked, this, [this] {
        explain(); // the data may have been reloaded since: the row must be one of the store shown now
        if (m_comparison.decidingRow)
            emit traceRequested(QString::fromStdString(m_comparison.zone),
                                QString::fromStdString(m_comparison.requestId), *m_comparison.decidingRow);
    });
    connect(m_result, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const HelpAddress target = parseHelpAddress(url.toString());
        if (target.kind == HelpAddress::Kind::Code) emit codeActivated(target.value);
    });
}

void ExplainErrorDialog::setBody(const QString& body) {
    m_body->setPlainText(body);
}

QString ExplainErrorDialog::resultText() const {
    return m_result->toPlainText();
}

void ExplainErrorDialog::explain() {
    const ExplainedError e = explainErrorBody(m_body->toPlainText().toStdString());
    QString html;
    if (!e.code.empty()) html += QString("<h2><a href='code:%1'><code>%1</code></a></h2>").arg(esc(e.code));
    if (!e.problem.empty()) html += "<p><b>" + esc(e.problem) + "</b></p>";
    if (!e.description.empty()) html += "<p>" + esc(e.description) + "</p>";
    if (!e.surface.empty()) html += "<p><b>Surface:</b> " + esc(e.surface) + "</p>";
    if (e.resolution.entry) {
        if (e.resolution.meaningDiffersPerService()) {
            // One combined sentence would mislead: say what each emitting service means by it.
            html += "<p><b>Meaning:</b> differs per service</p><ul>";
            for (const EmittedSource& s : e.resolution.services())
                html += "<li><b>" + esc(serviceDisplayName(s.service)) + "</b>" +
                        (s.httpStatus.empty() ? QString() : " (HTTP " + esc(s.httpStatus) + ")") + ", " +
                        esc(s.where) + ": " + esc(s.meaning) + " <i>First check:</i> " + esc(s.firstCheck) +
                        "</li>";
            html += "</ul>";
        } else {
            html += "<p><b>Meaning:</b> " + esc(e.resolution.entry->meaning) + "</p>";
            html += "<p><b>First check:</b> " + esc(e.resolution.entry->firstCheck) + "</p>";
        }
        if (!e.resolution.aliasOf.empty())
            html += "<p><i>" + esc(e.code) + " is an alias of " + esc(e.resolution.aliasOf) + "</i></p>";
    } else if (e.resolution.denyReason) {
        html += "<p><b>Deny reason:</b> " + esc(e.resolution.denyReason->label) + "</p><p>" +
                esc(e.resolution.denyReason->hint) + "</p>";
    }
    const std::shared_ptr<const EventStore> store = m_store ? m_store() : nullptr;
    m_comparison = store ? compareErrorWithAudit(e, *store) : ErrorAuditComparison{};
    using Verdict = ErrorAuditComparison::Verdict;
    const bool loaded = m_comparison.decidingRow.has_value();
    if (loaded) {
        html += QString("<p>Request <code>%1</code> is in the loaded data (%2): use <b>Go to "
                        "the request</b> for its trace.</p>")
                    .arg(esc(e.requestId),
                         eventCountText(qlonglong(store->rowsWith(Field::RequestId, e.requestId).size())));
        const Tone tone = m_comparison.verdict == Verdict::Agrees           ? Tone::Success
                          : m_comparison.verdict == Verdict::AgreesDecision ? Tone::Warning
                                                                            : Tone::Danger;
        const BadgeColors c = badgeColors(tone, palette());
        const QString verdict = m_comparison.verdict == Verdict::Agrees ? "The audit agrees"
                                : m_comparison.verdict == Verdict::AgreesDecision
                                    ? "The audit agrees on the decision, not the code"
                                    : "The audit disagrees";
        html +=
            QString(
                "<h3 style='margin-bottom:2px'>Compared with the audit</h3>"
                "<p><span style='background-color:%1; color:%2; font-weight:600'>&nbsp;%3&nbsp;</span></p>"
                "<p>%4</p>")
                .arg(colorName(c.background), colorName(c.text), verdict.toHtmlEscaped(),
                     esc(m_comparison.message));
        html += QString("<p><b>Pasted:</b> <code>%1</code> &nbsp; <b>Audit:</b> %2</p>")
                    .arg(esc(e.code.empty() ? std::string("(no code)") : e.code),
                         esc(m_comparison.auditDecision));
        if (m_comparison.realReason)
            html += QString("<p><b>Real reason:</b> <a href='code:%1'><code>%1</code></a> - %2 (event "
                            "<code>%3</code>)</p>")
                        .arg(esc(*m_comparison.realReason),
                             esc(DenyReasonCatalog::instance().label(*m_comparison.realReason)),
                             esc(store->eventId(*m_comparison.decidingRow)));
    } else if (!e.requestId.empty()) {
        html += QString("<p>Request <code>%1</code> is not in the loaded data: open the zone's "
                        "audit export, or "
                        "see Missing Audit Events.</p>")
                    .arg(esc(e.requestId));
    }
    m_goToRequest->setEnabled(loaded);
    m_result->setHtml(html);
}

} // namespace caracal::ui
