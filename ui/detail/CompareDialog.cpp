#include "detail/CompareDialog.h"

#include "common/Theme.h"
#include "present/EventPresentation.h"
#include "trace/DiagnosticsOverview.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <array>

namespace caracal::ui {

CompareDialog::CompareDialog(const EventStore& store, const std::vector<std::pair<RowId, RowId>>& pairs,
                             QWidget* parent)
    : QDialog(parent) {
    setWindowTitle("Compare");
    resize(1100, 700);
    auto* layout = new QVBoxLayout(this);
    m_onlyDifferences = new QCheckBox("Only fields that differ", this);
    layout->addWidget(m_onlyDifferences);
    m_table = new QTableWidget(0, 3, this);
    m_table->setHorizontalHeaderLabels({"Field", "Left", "Right"});
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
        }
    }
    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this](bool only) {
        for (int r = 0; r < m_table->rowCount(); ++r) {
            const QVariant differs = m_table->item(r, 0)->data(Qt::UserRole);
            m_table->setRowHidden(r, only && differs.isValid() && !differs.toBool());
        }
    });
    layout->insertWidget(1, new QLabel(QString("%1 fields differ (highlighted).").arg(m_differences), this));
}

} // namespace caracal::ui
