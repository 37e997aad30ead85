#pragma once
// A read-only tree over one JSON value (the technical details of an event): key, value and type columns.
#include <QAbstractItemModel>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace caracal::ui {

class JsonTreeModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, JsonRole };

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;
    void setJson(const nlohmann::ordered_json& value);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    struct Node {
        QString key;
        QString path;
        const nlohmann::ordered_json* value = nullptr;
        Node* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    void build(Node* node);
    Node* nodeOf(const QModelIndex& index) const;

    nlohmann::ordered_json m_json;
    std::unique_ptr<Node> m_root;
};

} // namespace caracal::ui
