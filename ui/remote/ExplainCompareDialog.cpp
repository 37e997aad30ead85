#include "remote/ExplainCompareDialog.h"

#include "common/ScreenFit.h"
#include "common/Theme.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
QPlainTextEdit* jsonPane(const nlohmann::ordered_json& json, QWidget* parent) {
    auto* edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setPlainText(QString::fromStdString(json.dump(2)));
    return edit;
}
} // namespace

ExplainCompareDialog::ExplainCompareDialog(const QString& requestId, const nlohmann::ordered_json& ours,
                                           const nlohmann::ordered_json& caracals, QWidget* parent)
    : QDialog(parent), m_differences(compareExplain(ours, caracals)) {
    setWindowTitle("Caracal's explain beside ours - " + requestId);
    fitToScreen(this, {1100, 720});
    auto* layout = new QVBoxLayout(this);
    m_verdict = new QLabel(this);
    m_verdict->setWordWrap(true);
    const QPalette pal = palette();
    if (m_differences.empty())
        m_verdict->setText(
            QString(
                "<span style='color:%1'>&#10003;</span> <b>Caracal's explain and ours agree</b> on the final "
                "decision, every denied decision with its policy input, and every event.")
                .arg(colorName(badgeColors(Tone::Success, pal).text)));
    else
        m_verdict->setText(QString("<span style='color:%1'>&#9888;</span> <b>%2 %3</b> between Caracal's "
                                   "explain and ours. Choose one to see it in both.")
                               .arg(colorName(badgeColors(Tone::Danger, pal).text))
                               .arg(m_differences.size())
                               .arg(m_differences.size() == 1 ? "difference" : "differences"));
    layout->addWidget(m_verdict);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(int(m_differences.size()), 4, split);
    m_table->setHorizontalHeaderLabels({"Where", "Ours", "Caracal's", "Why"});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QColor flagged = badgeColors(Tone::Danger, pal).background;
    for (int r = 0; r < int(m_differences.size()); ++r) {
        const ExplainDifference& d = m_differences[size_t(r)];
        const QStringList cells = {QString::fromStdString(d.path), QString::fromStdString(d.ours),
                                   QString::fromStdString(d.caracals),
                                   d.why.empty() ? QString("(no known cause)")
                                                 : QString::fromStdString(d.why)};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            if (c == 1 || c == 2) item->setBackground(flagged);
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    for (int c = 0; c < 3; ++c)
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 330));
    m_table->setVisible(!m_differences.empty());
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showDifference(row); });

    auto* sides = new QSplitter(Qt::Horizontal, split);
    for (const auto& [title, json, target] :
         {std::tuple{QString("Ours, from the loaded events"), caracalPart(ours), &m_ours},
          std::tuple{QString("Caracal's, from GET .../by-request/%1/explain").arg(requestId),
                     caracalPart(caracals), &m_caracals}}) {
        auto* box = new QWidget(sides);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->addWidget(new QLabel("<b>" + title.toHtmlEscaped() + "</b>", box));
        *target = jsonPane(json, box);
        v->addWidget(*target, 1);
    }
    sides->setStretchFactor(0, 1);
    sides->setStretchFactor(1, 1);
    sides->setSizes({550, 550});
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void ExplainCompareDialog::showDifference(int row) {
    if (row < 0 || row >= int(m_differences.size())) return;
    // Walks the path through each document: every key (or event id) is searched after the previous one, so
    // /denied/<id>/policy_input/context/session_id lands on that session_id and not on the metadata's.
    QStringList steps;
    for (QString part :
         QString::fromStdString(m_differences[size_t(row)].path).split('/', Qt::SkipEmptyParts)) {
        bool isIndex = false;
        part.toInt(&isIndex);
        if (!isIndex) steps << "\"" + part.replace("~1", "/").replace("~0", "~") + "\"";
    }
    for (QPlainTextEdit* edit : {m_ours, m_caracals}) {
        edit->moveCursor(QTextCursor::Start);
        QTextCursor found;
        for (const QString& step : steps)
            if (edit->find(step)) found = edit->textCursor();
        if (!found.isNull()) edit->setTextCursor(found);
        edit->centerCursor();
    }
}

} // namespace caracal::ui
