#include "filter/FilterBar.h"

#include "filter/FilterEdit.h"
#include "store/EventStore.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QToolButton>

namespace caracal::ui {

QString quoteFilterValue(const QString& v) {
    static const QRegularExpression plain("^[^\\s\"()]+$");
    return plain.match(v).hasMatch() ? v : "\"" + QString(v).replace("\"", "\\\"") + "\"";
}

FilterBar::FilterBar(QWidget* parent) : QWidget(parent) {
    auto* h = new QHBoxLayout(this);
    h->setContentsMargins(8, 6, 8, 6);
    h->setSpacing(6);
    m_filter = new FilterEdit(this);
    m_savedButton = new QToolButton(this);
    m_savedButton->setText("Filters");
    m_savedButton->setToolTip("Saved and recent filters");
    m_savedButton->setPopupMode(QToolButton::InstantPopup);
    m_savedMenu = new QMenu(m_savedButton);
    m_savedButton->setMenu(m_savedMenu);
    connect(m_savedMenu, &QMenu::aboutToShow, this, &FilterBar::rebuildSavedMenu);

    auto* apply = new QPushButton("Apply", this);
    apply->setToolTip("Apply the filter (Enter)");
    m_requestBox = new QLineEdit(this);
    m_requestBox->setPlaceholderText("Request ID");
    m_requestBox->setClearButtonEnabled(true);
    m_requestBox->setToolTip("Paste a request id and press Enter to see that request's events in time order");
    m_requestBox->setMaximumWidth(300);
    m_zoneBox = new QComboBox(this);
    m_zoneBox->setToolTip("Zones loaded, with their event counts");
    m_zoneBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_zoneBox->addItem("All zones", QString());
    m_groupNote = new QLabel(this);
    m_groupNote->setObjectName("groupNote");
    m_groupNote->hide();
    h->addWidget(m_groupNote);
    h->addWidget(m_filter, 1);
    h->addWidget(apply);
    h->addWidget(m_savedButton);
    h->addSpacing(8);
    h->addWidget(m_requestBox);
    h->addWidget(m_zoneBox);
    connect(m_filter, &QLineEdit::returnPressed, this, &FilterBar::applyRequested);
    // The clear button (and deleting the last character) shows every row again, as the request box does.
    connect(m_filter, &QLineEdit::textEdited, this, [this](const QString& t) {
        if (t.isEmpty()) emit applyRequested();
    });
    connect(apply, &QPushButton::clicked, this, &FilterBar::applyRequested);
    connect(m_requestBox, &QLineEdit::returnPressed, this, &FilterBar::applyRequested);
    connect(m_requestBox, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (t.isEmpty()) emit applyRequested(); // clearing the box shows everything again
    });
    connect(m_zoneBox, &QComboBox::activated, this, &FilterBar::applyRequested);
}

void FilterBar::rebuildSavedMenu() {
    m_savedMenu->clear();
    m_savedMenu->addAction("Save current filter...", this, [this] {
        const QString expr = m_filter->text().trimmed();
        if (expr.isEmpty()) return;
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, "Save filter", "Name:", QLineEdit::Normal, expr, &ok);
        if (ok && !name.trimmed().isEmpty()) m_saved.insert(name.trimmed(), expr);
    });
    if (!m_saved.isEmpty()) {
        m_savedMenu->addSection("Saved");
        QStringList names = m_saved.keys();
        names.sort(Qt::CaseInsensitive);
        for (const QString& name : names)
            m_savedMenu
                ->addAction(name, this,
                            [this, name] {
                                m_filter->setText(m_saved.value(name));
                                emit applyRequested();
                            })
                ->setToolTip(m_saved.value(name));
        QMenu* remove = m_savedMenu->addMenu("Remove saved filter");
        for (const QString& name : names)
            remove->addAction(name, this, [this, name] { m_saved.remove(name); });
    }
    if (!m_filter->history().isEmpty()) {
        m_savedMenu->addSection("Recent");
        for (const QString& expr : m_filter->history().mid(0, 10))
            m_savedMenu->addAction(expr, this, [this, expr] {
                m_filter->setText(expr);
                emit applyRequested();
            });
    }
}

std::unique_ptr<FilterNode> FilterBar::composed() const {
    std::vector<std::unique_ptr<FilterNode>> parts;
    ParsedFilter parsed = parseFilter(m_filter->text().toStdString());
    if (parsed.root) parts.push_back(std::move(parsed.root));
    if (const QString r = m_requestBox->text().trimmed(); !r.isEmpty())
        parts.push_back(FilterNode::term(FilterKey::Request, r.toStdString()));
    if (m_zoneBox->currentIndex() > 0)
        parts.push_back(FilterNode::term(FilterKey::Zone, selectedZone().toStdString()));
    if (parts.empty()) return nullptr;
    if (parts.size() == 1) return std::move(parts.front());
    return FilterNode::group(FilterNode::Kind::And, std::move(parts));
}

QString FilterBar::selectedZone() const {
    return m_zoneBox->currentIndex() > 0 ? m_zoneBox->currentData().toString() : QString();
}

void FilterBar::setViewOptions(const QString& filter, const QString& requestId, const QString& zone) {
    m_filter->setText(filter);
    m_requestBox->setText(requestId);
    int i = m_zoneBox->findData(zone);
    if (i < 0 && !zone.isEmpty()) { // not loaded yet: keep it selected until the zones are known
        m_zoneBox->addItem(zone, zone);
        i = m_zoneBox->count() - 1;
    }
    m_zoneBox->setCurrentIndex(std::max(0, i));
}

void FilterBar::addTerm(const QString& term) {
    const QString current = m_filter->text().trimmed();
    m_filter->setText(current.isEmpty() ? term : current + " " + term);
}

void FilterBar::setZones(const EventStore& store) {
    const QString current = m_zoneBox->currentData().toString();
    m_zoneBox->clear();
    m_zoneBox->addItem(QString("All zones (%1)").arg(QLocale().toString(qlonglong(store.eventCount()))),
                       QString());
    for (const auto& [zone, count] : store.valueCounts(Field::Zone)) {
        const QString z = QString::fromUtf8(zone.data(), qsizetype(zone.size()));
        m_zoneBox->addItem(
            QString("%1  (%2)")
                .arg(z.isEmpty() ? QString("(no zone)") : z, QLocale().toString(qlonglong(count))),
            z);
    }
    const int i = m_zoneBox->findData(current);
    m_zoneBox->setCurrentIndex(i < 0 ? 0 : i);
}

void FilterBar::setGroupNote(const QString& text) {
    m_groupNote->setText(text.isEmpty() ? QString() : "<b>Group:</b> " + text.toHtmlEscaped());
    m_groupNote->setToolTip(text.isEmpty() ? QString()
                                           : "The table shows this diagnostics group, which no filter "
                                             "expression can say. Press Enter in the filter to go back.");
    m_groupNote->setVisible(!text.isEmpty());
}

void FilterBar::setServerZoneCounts(const std::map<std::string, uint64_t>& counts) {
    uint64_t total = 0;
    for (const auto& [zone, n] : counts) {
        total += n;
        const QString z = QString::fromStdString(zone);
        const int i = m_zoneBox->findData(z);
        const QString server = QLocale().toString(qulonglong(n));
        if (i < 0) {
            m_zoneBox->addItem(QString("%1  (0 of %2 on the server)").arg(z, server), z);
            continue;
        }
        m_zoneBox->setItemText(i, m_zoneBox->itemText(i).chopped(1) + " of " + server + " on the server)");
    }
    if (m_zoneBox->count() > 0 && !counts.empty())
        m_zoneBox->setItemText(0, m_zoneBox->itemText(0).chopped(1) + " of " +
                                      QLocale().toString(qulonglong(total)) + " on the server)");
}

std::optional<QString> FilterBar::zonePick() const {
    if (m_zoneBox->currentIndex() <= 0) return std::nullopt;
    return m_zoneBox->currentData().toString();
}

void FilterBar::selectZone(const std::optional<QString>& pick) {
    int at = 0;
    for (int i = 1; pick && i < m_zoneBox->count() && at == 0; ++i) // index 0, all zones, also holds ""
        if (m_zoneBox->itemData(i).toString() == *pick) at = i;
    m_zoneBox->setCurrentIndex(at);
}

void FilterBar::clearZones() {
    m_zoneBox->clear();
    m_zoneBox->addItem("All zones", QString());
}

void FilterBar::loadSettings() {
    QSettings s;
    m_filter->setHistory(s.value("filters/history").toStringList());
    s.beginGroup("filters/saved");
    for (const QString& name : s.childKeys())
        m_saved.insert(QByteArray::fromPercentEncoding(name.toUtf8()), s.value(name).toString());
    s.endGroup();
}

void FilterBar::saveSettings() const {
    QSettings s;
    s.setValue("filters/history", m_filter->history());
    s.remove("filters/saved");
    s.beginGroup("filters/saved");
    for (auto it = m_saved.begin(); it != m_saved.end(); ++it)
        s.setValue(QString::fromUtf8(it.key().toUtf8().toPercentEncoding()), it.value());
    s.endGroup();
}

} // namespace caracal::ui
