#include "detail/CompareDialog.h"

#include "common/ScreenFit.h"
#include "common/TextFormat.h"
#include "common/Theme.h"
#include "present/EventPresentation.h"
#include "trace/DiagnosticsOverview.h"
#include "util/Timestamp.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

namespace caracal::ui {

namespace {
QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// "Token exchange denied at 2026-11-14 09:12:03 (request 3f2a...)": enough to tell the two apart.
QString eventName(const EventStore& store, RowId row) {
    const QString label =
        qs(eventLabel(store.field(row, Field::EventType), store.field(row, Field::Decision)));
    const QString time = qs(formatUtcMicros(store.record(row).occurredAt)).left(19).replace('T', ' ');
    QString request = qs(store.field(row, Field::RequestId));
    if (request.size() > 14) request = request.left(12) + QChar(0x2026);
    return QString("%1 at %2 (request %3)").arg(label, time, request);
}

// The fields that say why two outcomes differ come first; ids and timestamps always differ and say little.
int keyRank(const std::string& path) {
    static const char* order[] = {"decision",
                                  "evaluation_status",
                                  "metadata_json.reason",
                                  "diagnostics_json",
                                  "metadata_json.status",
                                  "event_type",
                                  "metadata_json.resource",
                                  "metadata_json.application_id",
                                  "metadata_json.requested_scopes",
                                  "policy_set_version_id"};
    for (int i = 0; i < int(std::size(order)); ++i)
        if (path == order[i] || path.rfind(std::string(order[i]) + ".", 0) == 0) return i;
    return -1;
}

QString shortValue(const std::string& v) {
    const QString q = qs(v);
    return q.size() > 160 ? q.left(100) + QChar(0x2026) + q.right(50) : q;
}
} // namespace

CompareDialog::CompareDialog(const EventStore& store, const std::vector<std::pair<RowId, RowId>>& pairs,
                             QWidget* parent)
    : QDialog(parent) {
    const bool requests = pairs.size() > 1;
    const QString leftName = pairs.empty() ? QString() : eventName(store, pairs.front().first);
    const QString rightName = pairs.empty() ? QString() : eventName(store, pairs.front().second);
    setWindowTitle(requests ? QString("Compare requests %1 and %2")
                                  .arg(qs(store.field(pairs.front().first, Field::RequestId)),
                                       qs(store.field(pairs.front().second, Field::RequestId)))
                            : QString("Compare %1 with %2").arg(leftName, rightName));
    fitToScreen(this, {1100, 700});
    auto* layout = new QVBoxLayout(this);
    m_onlyDifferences = new QCheckBox("Only fields that differ", this);
    layout->addWidget(m_onlyDifferences);
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels(
        {"Field",
         requests ? "Left: request " + qs(store.field(pairs.front().first, Field::RequestId))
                  : "Left: " + leftName,
         requests ? "Right: request " + qs(store.field(pairs.front().second, Field::RequestId))
                  : "Right: " + rightName});
    m_table->horizontalHeaderItem(1)->setToolTip(m_table->horizontalHeaderItem(1)->text());
    m_table->horizontalHeaderItem(2)->setToolTip(m_table->horizontalHeaderItem(2)->text());
    m_keyDifference = new QLabel(this);
    m_keyDifference->setWordWrap(true);
    m_keyDifference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyDifference->setTextFormat(Qt::RichText);
    layout->addWidget(m_keyDifference);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->setColumnWidth(0, 300);
    layout->addWidget(m_table, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    const BadgeColors diff = badgeColors(Tone::Warning, palette());
    std::vector<std::pair<int, FieldComparison>> key; // (rank, field) of the first pair's differences
    for (size_t p = 0; p < pairs.size(); ++p) {
        const auto left = store.event(pairs[p].first), right = store.event(pairs[p].second);
        if (pairs.size() > 1) { // a header row per event pair
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            auto* header = new QTableWidgetItem(QString("Event %1").arg(p + 1));
            QFont bold = header->font();
            bold.setBold(true);
            header->setFont(bold);
            m_table->setItem(row, 0, header);
            m_table->setItem(row, 1,
                             new QTableWidgetItem(QString::fromStdString(
                                 eventLabel(left.value("event_type", ""), left.value("decision", "")))));
            m_table->setItem(row, 2,
                             new QTableWidgetItem(QString::fromStdString(
                                 eventLabel(right.value("event_type", ""), right.value("decision", "")))));
        }
        for (const FieldComparison& f : compareEvents(left, right)) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const std::array<QTableWidgetItem*, 3> items = {
                new QTableWidgetItem(QString::fromStdString(f.path)),
                new QTableWidgetItem(QString::fromStdString(f.left)),
                new QTableWidgetItem(QString::fromStdString(f.right))};
            for (int c = 0; c < 3; ++c) {
                if (f.differs) {
                    items[c]->setBackground(diff.background);
                    items[c]->setForeground(diff.text);
                }
                items[c]->setToolTip(items[c]->text());
                items[c]->setData(Qt::UserRole, f.differs);
                m_table->setItem(row, c, items[c]);
            }
            m_differences += f.differs;
            if (p == 0 && f.differs && keyRank(f.path) >= 0) key.emplace_back(keyRank(f.path), f);
        }
    }
    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this](bool only) {
        for (int r = 0; r < m_table->rowCount(); ++r) {
            const QVariant differs = m_table->item(r, 0)->data(Qt::UserRole);
            m_table->setRowHidden(r, only && differs.isValid() && !differs.toBool());
        }
    });
    layout->insertWidget(
        1, new QLabel(
               QString("%1 (highlighted).").arg(countText(m_differences, "field differs", "fields differ")),
               this));
    std::stable_sort(key.begin(), key.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QString html;
    for (size_t i = 0; i < key.size() && i < 3; ++i)
        html +=
            QString("<br><b>%1</b>: %2 &rarr; %3")
                .arg(qs(key[i].second.path).toHtmlEscaped(), shortValue(key[i].second.left).toHtmlEscaped(),
                     shortValue(key[i].second.right).toHtmlEscaped());
    m_keyDifference->setText(html.isEmpty()
                                 ? "The fields that decide an outcome are the same; only ids, times "
                                   "or details differ."
                                 : "<b>Key difference</b> (left &rarr; right):" + html);
}

} // namespace caracal::ui
