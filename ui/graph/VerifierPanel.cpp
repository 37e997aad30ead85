#include "graph/VerifierPanel.h"

#include "common/StatusPalette.h"
#include "common/Theme.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace caracal::ui {

VerifierPanel::VerifierPanel(QWidget* parent) : QGroupBox("Verifier check", parent) {
    QSettings s;
    m_requireSession = new QCheckBox("Require a Session (requireSession)");
    m_requireSession->setChecked(s.value("graph/verifier/requireSession", false).toBool());
    m_requireDelegation = new QCheckBox("Require a delegation (requireDelegation)");
    m_requireDelegation->setChecked(s.value("graph/verifier/requireDelegation", false).toBool());
    m_maxHops = new QSpinBox;
    m_maxHops->setRange(0, 99);
    m_maxHops->setSpecialValueText("default (10)");
    m_maxHops->setValue(s.value("graph/verifier/maxHopCount", 0).toInt());
    m_requiredApps = new QLineEdit(s.value("graph/verifier/requireChainContains").toString());
    m_requiredApps->setPlaceholderText("names or ids, comma-separated");
    m_requiredApps->setClearButtonEnabled(true);
    m_chain = new QLabel;
    m_chain->setWordWrap(true);
    m_result = new QLabel;
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setAccessibleName("Verifier result");
    m_checks = new QLabel;
    m_checks->setTextFormat(Qt::RichText);
    m_checks->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(m_requireSession);
    form->addRow(m_requireDelegation);
    form->addRow("Max hop count", m_maxHops);
    form->addRow("Chain must contain", m_requiredApps);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_chain);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(m_checks);
    for (QCheckBox* box : {m_requireSession, m_requireDelegation})
        connect(box, &QCheckBox::toggled, this, &VerifierPanel::recompute);
    connect(m_maxHops, &QSpinBox::valueChanged, this, &VerifierPanel::recompute);
    connect(m_requiredApps, &QLineEdit::textChanged, this, &VerifierPanel::recompute);
    connect(m_result, &QLabel::linkActivated, this, &VerifierPanel::troubleshootingRequested);
    recompute();
}

void VerifierPanel::setChain(std::optional<ChainClaims> claims, const QString& description,
                             std::vector<std::pair<std::string, std::string>> names) {
    m_claims = std::move(claims);
    m_names = std::move(names);
    m_chain->setText(description);
    recompute();
}

VerifierSettings VerifierPanel::settings() const {
    VerifierSettings s;
    s.requireSession = m_requireSession->isChecked();
    s.requireDelegation = m_requireDelegation->isChecked();
    s.maxHopCount = m_maxHops->value();
    for (QString item : m_requiredApps->text().split(',', Qt::SkipEmptyParts)) {
        const std::string wanted = item.trimmed().toStdString();
        if (wanted.empty()) continue;
        std::string id = wanted; // an application name stands for its id
        for (const auto& [name, appId] : m_names)
            if (name == wanted) id = appId;
        s.requireChainContains.push_back(id);
    }
    return s;
}

void VerifierPanel::recompute() {
    QSettings s;
    s.setValue("graph/verifier/requireSession", m_requireSession->isChecked());
    s.setValue("graph/verifier/requireDelegation", m_requireDelegation->isChecked());
    s.setValue("graph/verifier/maxHopCount", m_maxHops->value());
    s.setValue("graph/verifier/requireChainContains", m_requiredApps->text());
    if (!m_claims) {
        m_outcome.reset();
        m_result->setText("<span style='color:" + mutedTextColor(palette()) +
                          "'>Select an edge to check the chain of the latest event "
                          "that used it.</span>");
        m_checks->clear();
        return;
    }
    m_outcome = simulateVerifier(*m_claims, settings());
    const VerifierOutcome& o = *m_outcome;
    QString findings;
    for (const auto& f : o.findings)
        findings += "<br>" + statusSpan(StatusTone::Warning, QString::fromStdString(f).toHtmlEscaped());
    if (o.accepted()) {
        m_result->setText(statusSpan(StatusTone::Good, "Accepted", true) +
                          ": the verifier would let this chain through.");
    } else if (o.code.empty()) {
        m_result->setText(statusSpan(StatusTone::Bad, "Not accepted", true) +
                          ": the verifier's own checks pass, but an "
                          "edge of the chain had ended before the call." +
                          findings);
    } else {
        QString links;
        for (const auto& row : o.rows)
            links += QString(" <a href='row:%1'>%1</a>").arg(QString::fromStdString(row).toHtmlEscaped());
        m_result->setText(QString("<b style='color:" + statusColor(StatusTone::Bad) +
                                  "'>%1 %2</b> <a href='code:%2'>(about this code)</a><br>%3<br>"
                                  "Troubleshooting:%4")
                              .arg(o.httpStatus)
                              .arg(QString::fromStdString(o.code),
                                   QString::fromStdString(o.message).toHtmlEscaped(), links) +
                          findings);
    }
    QString checks;
    for (const auto& c : o.checks) {
        const char* mark = c.result == VerifierCheck::Result::Passed   ? "&#10003;"
                           : c.result == VerifierCheck::Result::Failed ? "&#10007;"
                                                                       : "&ndash;";
        checks += QString("%1 %2 <span style='color:" + mutedTextColor(palette()) + "'>(%3: %4)</span><br>")
                      .arg(mark, QString::fromStdString(c.name).toHtmlEscaped(),
                           QString::fromUtf8(verifierResultName(c.result).data()),
                           QString::fromStdString(c.detail).toHtmlEscaped());
    }
    m_checks->setText(checks);
}

} // namespace caracal::ui
