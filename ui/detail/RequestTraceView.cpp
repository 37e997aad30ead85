#include "detail/RequestTraceView.h"

#include "common/HelpAddress.h"
#include "common/JsonTreeModel.h"
#include "common/JsonTreeView.h"
#include "common/Theme.h"
#include "detail/TraceWaterfallView.h"
#include "present/EventDetails.h"
#include "present/EventPresentation.h"
#include "trace/RequestTrace.h"
#include "trace/TraceWaterfall.h"
#include "util/MetadataRedaction.h"
#include "util/Timestamp.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace caracal::ui {

namespace {
QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}
QString delta(int64_t micros) {
    if (micros < 1000) return QString::fromUtf8("+%1 \u00b5s").arg(micros);
    if (micros < 1000000) return QString("+%1 ms").arg(micros / 1000.0, 0, 'f', 1);
    if (micros < 600000000) return QString("+%1 s").arg(micros / 1e6, 0, 'f', 1);
    return QString("+%1 min").arg(micros / 6e7, 0, 'f', 1);
}
} // namespace

RequestTraceView::RequestTraceView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 4);
    bar->addWidget(new QLabel("<b>Request trace</b>", this));
    bar->addStretch(1);
    m_compare = new QPushButton("Compare with Caracal's explain", this);
    m_compare->setToolTip("Fetch this request's DecisionTrace from the deployment and show it beside ours, "
                          "with every difference flagged");
    m_compare->setAutoDefault(false);
    m_compare->hide();
    connect(m_compare, &QPushButton::clicked, this,
            [this] { emit compareWithCaracalRequested(m_zone, m_requestId); });
    bar->addWidget(m_compare);
    m_rawValues = new QCheckBox("Show secret values", this);
    m_rawValues->setObjectName("showRawMetadata");
    m_rawValues->setToolTip(
        "Caracal's explain prints token, client_secret, session_id and 14 more metadata keys "
        "as \"[redacted]\"; so does this view, its copies and its JSON unless this is on");
    // The view keeps no store: whoever shows the trace shows it again with the new setting.
    connect(m_rawValues, &QCheckBox::toggled, this, &RequestTraceView::rawValuesToggled);
    bar->addWidget(m_rawValues);
    auto* copy = new QPushButton("Copy trace JSON", this);
    copy->setObjectName("copyTraceJson");
    copy->setAutoDefault(false);
    bar->addWidget(copy);
    layout->addLayout(bar);
    auto* split = new QSplitter(Qt::Vertical, this);
    // The waterfall and the text list side by side when there is room, else one above the other.
    m_traceSplit = new QSplitter(Qt::Vertical, split);
    m_traceSplit->setObjectName("traceWaterfallSplitter");
    m_waterfall = new TraceWaterfallView(m_traceSplit);
    m_browser = new QTextBrowser(m_traceSplit);
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::NoFrame);
    m_traceSplit->setStretchFactor(0, 2);
    m_traceSplit->setStretchFactor(1, 3);
    connect(m_waterfall, &TraceWaterfallView::eventClicked, this, [this](RowId row) {
        selectEvent(row);
        emit eventSelected(row);
    });
    // The policy input of a denied decision as a JSON tree, to read or copy into a simulation.
    auto* inputBox = new QWidget(split);
    auto* inputLayout = new QVBoxLayout(inputBox);
    inputLayout->setContentsMargins(0, 0, 0, 0);
    auto* inputBar = new QHBoxLayout;
    inputBar->setContentsMargins(6, 2, 6, 2);
    inputBar->addWidget(new QLabel("<b>Policy input</b> of", inputBox));
    m_denied = new QComboBox(inputBox);
    inputBar->addWidget(m_denied, 1);
    auto* copyInput = new QPushButton("Copy policy input", inputBox);
    copyInput->setAutoDefault(false);
    inputBar->addWidget(copyInput);
    inputLayout->addLayout(inputBar);
    m_inputTree = new QTreeView(inputBox);
    m_inputModel = new JsonTreeModel(this);
    m_inputTree->setModel(m_inputModel);
    setUpJsonTreeView(m_inputTree);
    inputLayout->addWidget(m_inputTree, 1);
    split->addWidget(m_traceSplit);
    split->addWidget(inputBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_denied, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_inputModel->setJson(i >= 0 && size_t(i) < m_inputs.size() ? m_inputs[size_t(i)]
                                                                    : nlohmann::ordered_json::object());
        m_inputTree->expandAll();
        fitJsonKeyColumn(m_inputTree);
    });
    connect(copyInput, &QPushButton::clicked, this, [this] {
        const int i = m_denied->currentIndex();
        if (i >= 0 && size_t(i) < m_inputs.size())
            QApplication::clipboard()->setText(QString::fromStdString(m_inputs[size_t(i)].dump(2)));
    });
    connect(copy, &QPushButton::clicked, this, [this] {
        if (!m_json.isEmpty()) QApplication::clipboard()->setText(m_json);
    });
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const HelpAddress target = parseHelpAddress(url.toString());
        if (target.kind == HelpAddress::Kind::Code)
            emit codeActivated(target.value);
        else if (target.kind == HelpAddress::Kind::Row)
            emit rowActivated(target.value);
    });
    clear();
}

void RequestTraceView::setCaracalExplainAvailable(bool available) {
    m_compareAvailable = available;
    m_compare->setVisible(available && !m_json.isEmpty());
}

void RequestTraceView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_traceSplit->setOrientation(event->size().width() >= 900 ? Qt::Horizontal : Qt::Vertical);
}

std::optional<RowId> RequestTraceView::selectedEvent() const {
    if (m_selectedStep < 0) return std::nullopt;
    return m_stepRows[size_t(m_selectedStep)];
}

bool RequestTraceView::selectEvent(RowId row) {
    const auto it = std::find(m_stepRows.begin(), m_stepRows.end(), row);
    if (it == m_stepRows.end()) return false;
    m_selectedStep = int(it - m_stepRows.begin());
    m_waterfall->setSelectedMark(m_waterfall->waterfall().markOf(row));
    renderHtml();
    m_browser->scrollToAnchor(QString("step-%1").arg(m_selectedStep));
    return true;
}

void RequestTraceView::renderHtml() {
    QString html = m_htmlHead;
    const QString highlight = colorName(palette().color(QPalette::Highlight));
    const QString highlightText = colorName(palette().color(QPalette::HighlightedText));
    for (int i = 0; i < m_stepHtml.size(); ++i)
        html +=
            i == m_selectedStep
                ? QString(m_stepHtml[i])
                      .replace(
                          "<tr>",
                          QString("<tr style='background-color:%1; color:%2'>").arg(highlight, highlightText))
                : m_stepHtml[i];
    html += m_htmlTail;
    const int scroll = m_browser->verticalScrollBar()->value();
    m_browser->setHtml(html);
    m_browser->verticalScrollBar()->setValue(scroll);
}

void RequestTraceView::clear() {
    m_waterfall->clear();
    m_stepHtml.clear();
    m_stepRows.clear();
    m_selectedStep = -1;
    m_json.clear();
    m_zone.clear();
    m_requestId.clear();
    m_compare->hide();
    m_inputs.clear();
    m_denied->clear();
    m_denied->addItem("(no denied decision)");
    m_inputModel->setJson(nlohmann::ordered_json::object());
    m_browser->setHtml(
        QString("<div style='color:%1; margin:24px'>Select an event to see its whole request.</div>")
            .arg(colorName(palette().color(QPalette::PlaceholderText))));
}

QString RequestTraceView::renderedText() const {
    return m_browser->toPlainText();
}

void RequestTraceView::showTrace(const EventStore& store, const QString& zone, const QString& requestId,
                                 std::optional<RowId> selected) {
    const auto trace = buildRequestTrace(store, zone.toStdString(), requestId.toStdString());
    if (!trace) {
        clear();
        return;
    }
    m_waterfall->setWaterfall(buildTraceWaterfall(*trace, store));
    m_stepRows.clear();
    m_stepHtml.clear();
    m_selectedStep = -1;
    for (const TraceStep& s : trace->steps)
        m_stepRows.push_back(s.row);
    TraceOutputOptions options;
    options.redact = !m_rawValues->isChecked();
    options.savedDenied = savedExplainDenied(store, zone.toStdString(), requestId.toStdString());
    m_json = QString::fromStdString(traceToJson(*trace, store, options).dump(2));
    auto shown = [&](RowId r) { return options.redact ? redactedEvent(store.event(r)) : store.event(r); };
    m_zone = zone;
    m_requestId = requestId;
    m_compare->setVisible(m_compareAvailable);
    m_inputs.clear();
    const QSignalBlocker block(m_denied);
    m_denied->clear();
    for (RowId r : trace->denied) {
        const auto ev = store.event(r);
        // A saved Caracal explain's own policy input wins over one rebuilt from its redacted events.
        nlohmann::ordered_json input = reconstructPolicyInput(ev);
        if (options.savedDenied)
            for (const auto& d : *options.savedDenied)
                if (d.value("event_id", "") == store.eventId(r) && d.contains("policy_input"))
                    input = d["policy_input"];
        m_inputs.push_back(std::move(input));
        m_denied->addItem(QString::fromStdString(eventLabel(ev.value("event_type", ""), "deny") + "  " +
                                                 ev.value("id", "")));
    }
    if (m_inputs.empty()) m_denied->addItem("(no denied decision)");
    m_denied->setCurrentIndex(0);
    m_inputModel->setJson(m_inputs.empty() ? nlohmann::ordered_json::object() : m_inputs.front());
    m_inputTree->expandAll();
    fitJsonKeyColumn(m_inputTree);
    const QPalette pal = palette();
    const QString muted = colorName(pal.color(QPalette::PlaceholderText));
    auto badge = [&](const std::string& decision) {
        const BadgeColors c = badgeColors(decisionTone(decision), pal);
        return QString("<span style='background-color:%1; color:%2; font-weight:600'>&nbsp;%3&nbsp;</span>")
            .arg(colorName(c.background), colorName(c.text), esc(decision));
    };
    QString html = "<html><body style='margin:6px'>";
    html += QString("<p style='margin:0'><span style='font-size:large; font-weight:600'>Final "
                    "decision</span>&nbsp; %1</p>")
                .arg(badge(trace->finalDecision));
    html +=
        QString(
            "<p style='color:%1; margin-top:2px'>Request <code>%2</code> in zone %3: %4 events, %5 denied. "
            "Deny if any event denies, else the last event's decision.</p>")
            .arg(muted, esc(trace->requestId), esc(trace->zone))
            .arg(trace->events.size())
            .arg(trace->denied.size());
    html += "<table cellspacing='0' cellpadding='3' width='100%'>";
    m_htmlHead = html;
    html.clear();
    for (const TraceStep& s : trace->steps) {
        const auto ev = shown(s.row);
        const std::string type = ev.value("event_type", ""), decision = ev.value("decision", "");
        html +=
            QString("<tr><td valign='top' style='color:%1'><a name='step-%9'></a><code>%2</code><br>%3</td>"
                    "<td valign='top'><b>%4</b></td><td valign='top'>%5 %6%7<br><span "
                    "style='color:%1'>%8</span></td></tr>")
                .arg(muted, esc(formatUtcMicros(store.record(s.row).occurredAt).substr(11)),
                     s.sincePreviousMicros ? delta(s.sincePreviousMicros) : QString("start"),
                     QString::fromLatin1(surfaceName(s.surface).data(), int(surfaceName(s.surface).size())),
                     esc(eventLabel(type, decision)), badge(decision),
                     s.joined ? QString(" <i>(found by its challenge id)</i>") : QString(),
                     esc(eventSummary(ev, std::string(store.actorOf(s.row)))),
                     QString::number(m_stepHtml.size()));
        m_stepHtml << html;
        html.clear();
    }
    html += "</table>";
    for (RowId r : trace->denied) {
        const auto ev = shown(r);
        const EventDetails d = describeEvent(ev);
        html += QString("<h4 style='margin-bottom:2px'>Denied: %1</h4>").arg(esc(d.label));
        if (d.deny)
            html += QString("<p style='margin:2px'>Reason: <a href='code:%1'>%1</a> - %2</p>")
                        .arg(esc(d.deny->code), esc(d.deny->label));
        for (const auto& g : d.groups)
            if (g.title == "Diagnostics")
                for (const auto& row : g.rows) {
                    if (row.label == "Deny reason") continue; // the Reason line above says it
                    QStringList values;
                    for (const auto& v : row.values)
                        values << esc(v);
                    html +=
                        QString("<p style='margin:2px'>%1: %2</p>").arg(esc(row.label), values.join(", "));
                }
        const auto dp = ev.find("determining_policies_json");
        html += QString("<p style='margin:2px'>Determining policies: <code>%1</code></p>")
                    .arg(esc(dp != ev.end() && !dp->is_null() ? dp->dump() : std::string("[]")));
        html += QString("<p style='margin:2px; color:%1'>Its policy input, as Caracal's explain rebuilds it, "
                        "is in the "
                        "tree below (add resource.id before simulating).</p>")
                    .arg(muted);
    }
    if (!trace->stepUps.empty()) html += "<h4 style='margin-bottom:2px'>Approvals</h4>";
    for (const StepUpFlow& f : trace->stepUps)
        html += QString("<p style='margin:2px'><code>%1</code>: %2 %3%4%5</p>")
                    .arg(esc(f.challengeId), esc(f.tier), badge(f.state),
                         f.approver.empty() ? QString() : " by " + esc(f.approver),
                         f.timeToDecideMicros >= 0
                             ? QString(", decided after %1 s").arg(f.timeToDecideMicros / 1e6, 0, 'f', 1)
                             : QString());
    if (!trace->missing.empty()) {
        const BadgeColors warn = badgeColors(Tone::Warning, pal);
        html += QString("<h4 style='margin-bottom:2px'>Missing or inconsistent</h4><table width='100%' "
                        "cellpadding='6' "
                        "style='background-color:%1; color:%2'>")
                    .arg(colorName(warn.background), colorName(warn.text));
        for (const TraceFinding& f : trace->missing)
            html += "<tr><td>" + esc(f.message) + "</td></tr>";
        html += "</table>";
    }
    if (!trace->policyVersions.empty())
        html += "<h4 style='margin-bottom:2px'>Policy behind the decisions</h4>";
    for (const auto& [version, manifest] : trace->policyVersions)
        html += QString("<p style='margin:2px'>Version <code>%1</code>, manifest <code>%2</code></p>")
                    .arg(esc(version.empty() ? std::string("(none)") : version), esc(manifest));
    html += "</body></html>";
    m_htmlTail = html;
    m_browser->clear();
    renderHtml();
    if (selected) selectEvent(*selected);
}

} // namespace caracal::ui
