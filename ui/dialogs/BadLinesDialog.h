#pragma once
// Every bad line of the loaded inputs: file, line and reason, sortable, with copy.
#include "store/EventStore.h"

#include <QAbstractTableModel>
#include <QDialog>
#include <memory>

namespace caracal::ui {

class BadLinesModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    explicit BadLinesModel(std::shared_ptr<const EventStore> store, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::shared_ptr<const EventStore> m_store;
};

class BadLinesDialog : public QDialog {
    Q_OBJECT
  public:
    BadLinesDialog(std::shared_ptr<const EventStore> store, QWidget* parent = nullptr);
    BadLinesModel* model() const { return m_model; }

  private:
    BadLinesModel* m_model;
};

} // namespace caracal::ui
