#pragma once
// The selected event's request as it flowed: each step on its surface with the time since the previous one,
// the final decision by Caracal's rule, denied decisions with their policy input, approvals joined by
// challenge id, what is missing, and the policy versions behind it. Codes link to their troubleshooting rows.
// Beside the text, in a splitter, the same request as a waterfall over time; both show the selected event.
#include "store/EventRecord.h"

#include <QStringList>
#include <QWidget>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QPushButton;
class QSplitter;
class QTextBrowser;
class QTreeView;

namespace caracal {
class EventStore;
}

namespace caracal::ui {

class RequestTraceView : public QWidget {
    Q_OBJECT
  public:
    explicit RequestTraceView(QWidget* parent = nullptr);
    // Renders the trace now, `selected` (one of its events, if any) marked; the store is not kept.
    void showTrace(const EventStore& store, const QString& zone, const QString& requestId,
                   std::optional<RowId> selected = std::nullopt);
    class TraceWaterfallView* waterfallView() const {
        return m_waterfall;
    }
    QSplitter* waterfallSplitter() const { return m_traceSplit; }
    // The event marked in the waterfall and the text, if any.
    std::optional<RowId> selectedEvent() const;
    // Marks one of the trace's events (from the waterfall or the table); false when it is not in the trace.
    bool selectEvent(RowId row);
    void clear();
    QString renderedText() const;
    QString traceJson() const { return m_json; }
    class JsonTreeModel* policyInputModel() const {
        return m_inputModel;
    }
    QComboBox* deniedChooser() const { return m_denied; }
    // Offered when the view reads a deployment: fetch Caracal's own explain of this request and compare.
    void setCaracalExplainAvailable(bool available);
    QPushButton* compareButton() const { return m_compare; }
    // Off by default: metadata shows (and copies) with Caracal's 17 redacted keys as "[redacted]".
    QCheckBox* rawValuesToggle() const { return m_rawValues; }
    QString zone() const { return m_zone; }
    QString requestId() const { return m_requestId; }

  signals:
    void codeActivated(const QString& code);
    void rowActivated(const QString& address);
    void compareWithCaracalRequested(const QString& zone, const QString& requestId);
    void rawValuesToggled();                // the trace must be shown again
    void eventSelected(caracal::RowId row); // clicked in the waterfall

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void renderHtml();

    QTextBrowser* m_browser;
    class TraceWaterfallView* m_waterfall;
    QSplitter* m_traceSplit;
    // The text list in parts, so the selected step can be marked without the store.
    QString m_htmlHead, m_htmlTail;
    QStringList m_stepHtml;
    std::vector<RowId> m_stepRows;
    int m_selectedStep = -1;
    QComboBox* m_denied;
    QTreeView* m_inputTree;
    class JsonTreeModel* m_inputModel;
    std::vector<nlohmann::ordered_json> m_inputs;
    QString m_json;
    QString m_zone, m_requestId;
    QPushButton* m_compare;
    QCheckBox* m_rawValues;
    bool m_compareAvailable = false;
};

} // namespace caracal::ui
