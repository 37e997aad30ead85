#include "catalog/TroubleshootingCatalog.h"

#include "util/EditDistance.h"
#include "util/ResourceText.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace caracal {

namespace {
std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array())
        for (const auto& v : j[key])
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}
std::string text(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
} // namespace

std::string RowRef::fixText() const {
    std::string out;
    for (size_t i = 1; i < row->cells.size(); ++i) {
        if (!out.empty()) out += table->columns.size() > 2 ? "; " : " ";
        if (table->columns.size() > 2) out += table->columns[i] + ": ";
        out += row->cells[i];
    }
    return out;
}

TroubleshootingCatalog TroubleshootingCatalog::fromJson(std::string_view text_,
                                                        std::vector<std::string>& errors) {
    TroubleshootingCatalog c;
    const auto j = nlohmann::json::parse(text_, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        errors.push_back("troubleshooting catalog: not a JSON object");
        return c;
    }
    std::set<std::string> codes;
    for (const auto& e : j.value("error_codes", nlohmann::json::array())) {
        ErrorCodeEntry entry{text(e, "code"),
                             text(e, "group"),
                             text(e, "meaning"),
                             text(e, "likely_source"),
                             text(e, "first_check"),
                             text(e, "doc_url"),
                             strings(e, "http_status"),
                             strings(e, "related"),
                             e.value("in_seed_table", false),
                             e.value("in_current_table", false)};
        if (entry.code.empty() || entry.meaning.empty() || entry.firstCheck.empty())
            errors.push_back("error code \"" + entry.code + "\": code, meaning and first_check are required");
        if (!codes.insert(entry.code).second) errors.push_back("duplicate error code \"" + entry.code + "\"");
        c.m_codes.push_back(std::move(entry));
    }
    if (j.contains("aliases") && j["aliases"].is_object())
        for (auto it = j["aliases"].begin(); it != j["aliases"].end(); ++it) {
            const std::string target = text(it.value(), "code");
            if (!codes.count(target))
                errors.push_back("alias \"" + it.key() + "\" points at \"" + target + "\", which has no row");
            if (codes.count(it.key())) errors.push_back("alias \"" + it.key() + "\" is also an error code");
            c.m_aliases.push_back({it.key(), {target, text(it.value(), "note")}});
        }
    std::set<std::string> tableKeys;
    for (const auto& t : j.value("tables", nlohmann::json::array())) {
        TroubleshootingTable table{
            text(t, "key"),     text(t, "title"), text(t, "source"),     text(t, "doc_url"),
            text(t, "surface"), text(t, "intro"), strings(t, "columns"), {}};
        if (!tableKeys.insert(table.key).second) errors.push_back("duplicate table \"" + table.key + "\"");
        std::set<std::string> rowKeys;
        for (const auto& r : t.value("rows", nlohmann::json::array())) {
            TroubleshootingRow row{text(r, "key"), strings(r, "cells")};
            if (!rowKeys.insert(row.key).second)
                errors.push_back("duplicate row \"" + table.key + "/" + row.key + "\"");
            if (row.cells.size() != table.columns.size())
                errors.push_back("row \"" + table.key + "/" + row.key + "\" has " +
                                 std::to_string(row.cells.size()) + " cells for " +
                                 std::to_string(table.columns.size()) + " columns");
            table.rows.push_back(std::move(row));
        }
        c.m_tables.push_back(std::move(table));
    }
    for (const auto& e : c.m_codes)
        for (const auto& ref : e.related)
            if (c.rows(ref).empty())
                errors.push_back("error code \"" + e.code + "\" refers to \"" + ref +
                                 "\", which is not a table or row");
    return c;
}

const TroubleshootingCatalog& TroubleshootingCatalog::instance() {
    static const TroubleshootingCatalog catalog = [] {
        std::vector<std::string> errors;
        TroubleshootingCatalog c = fromJson(readResourceText(":/catalog/troubleshooting.json"), errors);
        if (!errors.empty()) throw std::runtime_error("troubleshooting catalog: " + errors.front());
        return c;
    }();
    return catalog;
}

const ErrorCodeEntry* TroubleshootingCatalog::findCode(std::string_view code) const {
    for (const auto& e : m_codes)
        if (e.code == code) return &e;
    return nullptr;
}

CodeResolution TroubleshootingCatalog::resolve(std::string_view code) const {
    CodeResolution r;
    if ((r.entry = findCode(code))) return r;
    for (const auto& [alias, target] : m_aliases)
        if (alias == code) {
            r.entry = findCode(target.first);
            r.aliasOf = target.first;
            r.aliasNote = target.second;
            return r;
        }
    r.denyReason = DenyReasonCatalog::instance().find(code);
    return r;
}

const TroubleshootingTable* TroubleshootingCatalog::table(std::string_view key) const {
    for (const auto& t : m_tables)
        if (t.key == key) return &t;
    return nullptr;
}

std::optional<RowRef> TroubleshootingCatalog::row(std::string_view address) const {
    const size_t slash = address.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const TroubleshootingTable* t = table(address.substr(0, slash));
    if (!t) return std::nullopt;
    for (const auto& r : t->rows)
        if (r.key == address.substr(slash + 1)) return RowRef{t, &r};
    return std::nullopt;
}

std::vector<RowRef> TroubleshootingCatalog::rows(std::string_view reference) const {
    if (reference.find('/') != std::string_view::npos) {
        auto r = row(reference);
        return r ? std::vector<RowRef>{*r} : std::vector<RowRef>{};
    }
    std::vector<RowRef> out;
    if (const TroubleshootingTable* t = table(reference))
        for (const auto& r : t->rows)
            out.push_back({t, &r});
    return out;
}

std::vector<std::string> TroubleshootingCatalog::nearest(std::string_view code, size_t count) const {
    std::vector<std::pair<size_t, std::string>> scored;
    for (const auto& e : m_codes)
        scored.emplace_back(editDistance(code, e.code), e.code);
    for (const auto& [alias, target] : m_aliases)
        scored.emplace_back(editDistance(code, alias), alias);
    for (const auto& d : DenyReasonCatalog::instance().all())
        scored.emplace_back(editDistance(code, d.code), d.code);
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (const auto& [distance, name] : scored)
        if (out.size() < count && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
}

} // namespace caracal
