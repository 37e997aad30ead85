#include "common/JsonTreeModel.h"

namespace caracal::ui {

JsonTreeModel::JsonTreeModel(QObject* parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const nlohmann::ordered_json& value) {
    beginResetModel();
    m_json = value;
    m_root = std::make_unique<Node>();
    m_root->value = &m_json;
    m_root->path = "$";
    build(m_root.get());
    endResetModel();
}

void JsonTreeModel::build(Node* node) {
    const auto& v = *node->value;
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
            auto child = std::make_unique<Node>();
            child->key = QString::fromStdString(it.key());
            child->path = node->path + "." + child->key;
            child->value = &it.value();
            child->parent = node;
            child->row = int(node->children.size());
            build(child.get());
            node->children.push_back(std::move(child));
        }
    } else if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i) {
            auto child = std::make_unique<Node>();
            child->key = QString("[%1]").arg(i);
            child->path = node->path + child->key;
            child->value = &v[i];
            child->parent = node;
            child->row = int(i);
            build(child.get());
            node->children.push_back(std::move(child));
        }
    }
}

JsonTreeModel::Node* JsonTreeModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0)) return {};
    Node* p = nodeOf(parent);
    if (row < 0 || row >= int(p->children.size())) return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    Node* p = nodeOf(child)->parent;
    if (!p || p == m_root.get()) return {};
    return createIndex(p->row, 0, p);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const Node* n = nodeOf(index);
    const auto& v = *n->value;
    if (role == PathRole) return n->path;
    if (role == JsonRole) return QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump(2));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case KeyColumn:
        return n->key;
    case ValueColumn:
        if (v.is_object()) return QString("{%1}").arg(v.size());
        if (v.is_array()) return QString("[%1]").arg(v.size());
        if (v.is_string()) return QString::fromStdString(v.get<std::string>());
        return QString::fromStdString(v.dump());
    case TypeColumn:
        switch (v.type()) {
        case nlohmann::ordered_json::value_t::object:
            return "object";
        case nlohmann::ordered_json::value_t::array:
            return "array";
        case nlohmann::ordered_json::value_t::string:
            return "string";
        case nlohmann::ordered_json::value_t::boolean:
            return "boolean";
        case nlohmann::ordered_json::value_t::null:
            return "null";
        default:
            return "number";
        }
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* titles[] = {"Key", "Value", "Type"};
    return section >= 0 && section < ColumnCount ? QVariant(titles[section]) : QVariant();
}

} // namespace caracal::ui
