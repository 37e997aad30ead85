#pragma once
// The event table view: uniform one-line rows, typing a request id anywhere jumps to it, Ctrl+C copies rows.
#include <QElapsedTimer>
#include <QTableView>

namespace caracal::ui {

class EventTableModel;

class EventTableView : public QTableView {
    Q_OBJECT
  public:
    explicit EventTableView(QWidget* parent = nullptr);
    void setEventModel(EventTableModel* model);
    EventTableModel* eventModel() const { return m_model; }
    QList<int> selectedRowNumbers() const; // model rows, in order
    QString selectedRowsAsText() const;    // tab-separated, with a header line

    void keyboardSearch(const QString& search) override;
    QString typedSearch() const { return m_typed; }

  signals:
    void copyRequested();

  protected:
    void keyPressEvent(QKeyEvent* event) override;

  private:
    EventTableModel* m_model = nullptr;
    QString m_typed;
    QElapsedTimer m_lastKey;
};

} // namespace caracal::ui
