#include "diagnostics/DiagnosticsDock.h"

#include "util/Timestamp.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
constexpr int PathRole = Qt::UserRole + 1; // "group/item/child" indexes
constexpr int ServerColumn = 5;            // shown when the source counted on the server (the ledger)

QString zonesText(const std::map<std::string, size_t>& zones) {
    QStringList z;
    for (const auto& [zone, n] : zones)
        z << QString::fromStdString(zone.empty() ? "(no zone)" : zone);
    return z.size() > 3 ? QString("%1 zones").arg(z.size()) : z.join(", ");
}
QString timeText(int64_t micros) {
    return QString::fromStdString(formatUtcMicros(micros)).left(19).replace('T', ' ');
}
} // namespace

DiagnosticsDock::DiagnosticsDock(QWidget* parent) : QDockWidget("Diagnostics", parent) {
    setObjectName("diagnosticsDock");
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    m_onlyShown = new QCheckBox("Only the events shown in the table", box);
    layout->addWidget(m_onlyShown);
    m_tree = new QTreeWidget(box);
    m_tree->setHeaderLabels({"Diagnostic", "Events", "Zones", "First (UTC)", "Last (UTC)", "On the server"});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 6; ++c)
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_tree->setColumnHidden(ServerColumn, true);
    m_tree->headerItem()->setToolTip(ServerColumn,
                                     "Events the ledger holds for the filter the rows were read "
                                     "with, counted by the server (not only the loaded rows)");
    layout->addWidget(m_tree, 1);
    setWidget(box);
    connect(m_onlyShown, &QCheckBox::toggled, this, &DiagnosticsDock::scopeChanged);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item || item->data(0, PathRole).toString().isEmpty()) return; // a group's note
        const QStringList path = item->data(0, PathRole).toString().split('/');
        const OverviewGroup& g = m_groups[size_t(path[0].toInt())];
        std::vector<RowId> rows;
        QString description = QString::fromStdString(g.title);
        std::string filter;
        if (path.size() == 1) {
            for (const auto& i : g.items)
                rows.insert(rows.end(), i.rows.begin(), i.rows.end());
            filter = g.filter();
        } else {
            const OverviewItem* it = &g.items[size_t(path[1].toInt())];
            if (path.size() == 3) it = &it->children[size_t(path[2].toInt())];
            rows = it->rows;
            filter = it->filter;
            description += ": " + QString::fromStdString(it->label);
        }
        if (!filter.empty()) {
            emit filterSelected(QString::fromStdString(filter), description);
            return;
        }
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        emit rowsSelected(rows, description);
    });
}

void DiagnosticsDock::setOverview(std::vector<OverviewGroup> groups) {
    m_groups = std::move(groups);
    m_tree->clear();
    const QLocale locale;
    auto fill = [&](QTreeWidgetItem* w, const OverviewItem& i) {
        w->setText(1, locale.toString(qlonglong(i.rows.size())));
        w->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (!i.rows.empty()) { // an item only the server holds has no loaded times or zones
            w->setText(2, zonesText(i.zones));
            w->setText(3, timeText(i.first));
            w->setText(4, timeText(i.last));
        }
        QString tip = QString::fromStdString(i.detail);
        for (const auto& [decision, n] : i.decisions)
            tip += QString("\n%1: %2").arg(QString::fromStdString(decision)).arg(n);
        w->setToolTip(0, tip);
        if (i.server) {
            w->setText(ServerColumn, locale.toString(qulonglong(*i.server)));
            w->setTextAlignment(ServerColumn, Qt::AlignRight | Qt::AlignVCenter);
        }
    };
    bool server = false;
    for (size_t g = 0; g < m_groups.size(); ++g) {
        const OverviewGroup& group = m_groups[g];
        auto* top = new QTreeWidgetItem(
            m_tree, {QString::fromStdString(group.title), locale.toString(qlonglong(group.total()))});
        top->setData(0, PathRole, QString::number(g));
        top->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        if (group.serverTotal) {
            server = true;
            top->setText(ServerColumn, locale.toString(qulonglong(*group.serverTotal)));
            top->setTextAlignment(ServerColumn, Qt::AlignRight | Qt::AlignVCenter);
        }
        QFont bold = top->font(0);
        bold.setBold(true);
        top->setFont(0, bold);
        if (!group.note.empty() && !group.items.empty()) { // why the counts do not add up
            const QString note = QString::fromStdString(group.note);
            top->setToolTip(0, note);
            auto* n = new QTreeWidgetItem(top, {note});
            n->setFlags(Qt::ItemIsEnabled);
            QFont italic = n->font(0);
            italic.setItalic(true);
            n->setFont(0, italic);
            n->setFirstColumnSpanned(true);
        }
        for (size_t i = 0; i < group.items.size(); ++i) {
            const OverviewItem& item = group.items[i];
            QString label = QString::fromStdString(item.label);
            if (!item.detail.empty() && group.kind == "deny_reasons")
                label += "  -  " + QString::fromStdString(item.detail);
            auto* w = new QTreeWidgetItem(top, {label});
            w->setData(0, PathRole, QString("%1/%2").arg(g).arg(i));
            fill(w, item);
            for (size_t c = 0; c < item.children.size(); ++c) {
                auto* cw = new QTreeWidgetItem(w, {QString::fromStdString(item.children[c].label)});
                cw->setData(0, PathRole, QString("%1/%2/%3").arg(g).arg(i).arg(c));
                fill(cw, item.children[c]);
            }
        }
        top->setExpanded(group.kind == "deny_reasons" || group.kind == "policy_engine_errors");
    }
    m_tree->setColumnHidden(ServerColumn, !server);
    m_tree->headerItem()->setText(1, server ? "Loaded" : "Events");
    emit overviewReady();
}

} // namespace caracal::ui
