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
// Words of a code, for suggestions: "admin_token_read_only" -> {admin, token, read, only}.
std::vector<std::string> codeWords(std::string_view code) {
    std::vector<std::string> out;
    std::string word;
    for (size_t i = 0; i <= code.size(); ++i) {
        const char c = i < code.size() ? code[i] : '_';
        if (c == '_' || c == ':' || c == '.' || c == '-' || c == '<' || c == '>' || c == ' ') {
            if (!word.empty()) out.push_back(word);
            word.clear();
        } else {
            word += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
    return out;
}

// Lower is nearer: normalised edits, less the share of words in common, less a shared prefix.
double nearness(std::string_view query, std::string_view code) {
    const double edits = double(editDistance(query, code)) / double(std::max(query.size(), code.size()));
    const auto a = codeWords(query), b = codeWords(code);
    size_t shared = 0;
    for (const auto& w : a)
        for (const auto& v : b)
            if (w == v || (w.size() >= 5 && v.size() >= 5 && editDistance(w, v) <= 1)) {
                ++shared;
                break;
            }
    const double overlap = a.empty() || b.empty() ? 0 : double(shared) / double(std::max(a.size(), b.size()));
    size_t prefix = 0;
    while (prefix < query.size() && prefix < code.size() && query[prefix] == code[prefix])
        ++prefix;
    const bool contains = query.size() >= 4 && code.find(query) != std::string_view::npos;
    return edits - 0.6 * overlap - 0.15 * double(std::min<size_t>(prefix, 8)) / 8.0 - (contains ? 0.2 : 0.0);
}

std::string statusList(const EmittedSource& s) {
    return serviceDisplayName(s.service) + " " + s.httpStatus;
}

} // namespace

std::string serviceDisplayName(std::string_view service) {
    static const std::vector<std::pair<std::string_view, std::string_view>> names = {
        {"api", "API server"},
        {"sts", "STS"},
        {"gateway", "Gateway"},
        {"coordinator", "Coordinator"},
        {"audit", "Audit service"},
        {"auth", "Console sign-in server"},
        {"control", "Control endpoint"},
        {"core", "Core error packages"},
        {"sdk", "SDK"},
        {"runtime", "caracal run"},
        {"verifier", "In-process verifier"}};
    for (const auto& [key, name] : names)
        if (key == service) return std::string(name);
    return std::string(service);
}

bool EmittedCode::matchesTemplate(std::string_view concrete) const {
    const size_t open = code.find('<'), close = code.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open) return false;
    const std::string_view prefix = std::string_view(code).substr(0, open);
    const std::string_view suffix = std::string_view(code).substr(close + 1);
    // The bare prefix names the family: "json_parse_error" for "json_parse_error:<err>".
    if (!prefix.empty() && prefix.back() == ':' && concrete == prefix.substr(0, prefix.size() - 1))
        return true;
    if (concrete.size() <= prefix.size() + suffix.size() || concrete.substr(0, prefix.size()) != prefix ||
        concrete.substr(concrete.size() - suffix.size()) != suffix)
        return false;
    const std::string_view middle =
        concrete.substr(prefix.size(), concrete.size() - prefix.size() - suffix.size());
    // After a colon anything may follow (an error text, an env name); inside a code only one word does.
    if (!prefix.empty() && prefix.back() == ':') return true;
    return std::all_of(middle.begin(), middle.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

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

TroubleshootingCatalog TroubleshootingCatalog::fromJson(std::string_view text_, std::string_view emittedText,
                                                        std::vector<std::string>& errors) {
    TroubleshootingCatalog c = fromJson(text_, errors);
    const auto j = nlohmann::json::parse(emittedText, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("codes") || !j["codes"].is_array()) {
        errors.push_back("emitted codes: not a JSON object with a codes array");
        return c;
    }
    std::set<std::string> seen;
    for (const auto& e : j["codes"]) {
        EmittedCode code{text(e, "code"), {}};
        if (code.code.empty() || !seen.insert(code.code).second)
            errors.push_back("emitted code \"" + code.code + "\" is empty or listed twice");
        for (const auto& s : e.value("sources", nlohmann::json::array())) {
            EmittedSource source{text(s, "service"), text(s, "http_status"), text(s, "where"),
                                 text(s, "meaning"), text(s, "first_check"), strings(s, "related")};
            if (source.service.empty() || source.meaning.empty() || source.firstCheck.empty())
                errors.push_back("emitted code \"" + code.code +
                                 "\": service, meaning and first_check are required");
            if (source.related.empty())
                errors.push_back("emitted code \"" + code.code + "\" (" + source.service + ") names no rows");
            for (const auto& ref : source.related)
                if (c.rows(ref).empty())
                    errors.push_back("emitted code \"" + code.code + "\" refers to \"" + ref +
                                     "\", which is not a table or row");
            code.sources.push_back(std::move(source));
        }
        if (code.sources.empty()) errors.push_back("emitted code \"" + code.code + "\" has no source");
        c.m_emitted.push_back(std::move(code));
    }
    for (auto& entry : c.m_codes)
        if (const EmittedCode* e = c.findEmitted(entry.code); e && e->code == entry.code)
            entry.emitted = e->sources;
    // A code no table documents becomes a row of its own, unless it is a deny reason (which stays one).
    for (const EmittedCode& e : c.m_emitted) {
        if (c.findCode(e.code) || DenyReasonCatalog::instance().find(e.code)) continue;
        bool aliased = false;
        for (const auto& [alias, target] : c.m_aliases)
            aliased = aliased || alias == e.code;
        if (aliased)
            continue; // an alias resolves to its documented code; its own sources stay on the resolution
        ErrorCodeEntry entry;
        entry.code = e.code;
        entry.group = "emitted";
        entry.emitted = e.sources;
        std::vector<std::string> services;
        std::set<std::string> meanings;
        for (const auto& s : e.sources) {
            if (std::find(services.begin(), services.end(), serviceDisplayName(s.service)) == services.end())
                services.push_back(serviceDisplayName(s.service));
            meanings.insert(s.meaning);
            if (!s.httpStatus.empty()) entry.httpStatus.push_back(statusList(s));
            for (const auto& ref : s.related)
                if (std::find(entry.related.begin(), entry.related.end(), ref) == entry.related.end())
                    entry.related.push_back(ref);
        }
        for (const auto& s : services)
            entry.likelySource += (entry.likelySource.empty() ? "" : ", ") + s;
        if (e.sources.size() == 1 || meanings.size() == 1) {
            entry.meaning = e.sources.front().meaning;
            entry.firstCheck = e.sources.front().firstCheck;
        } else {
            // Several services, several meanings: say so, and name each.
            entry.meaning = "Sent by " + std::to_string(e.sources.size()) +
                            " services, each with its own meaning (see per service).";
            for (const auto& s : e.sources)
                entry.meaning += " " + serviceDisplayName(s.service) + ": " + s.meaning;
            entry.firstCheck = "Find which service answered (the host and port of the call), then: ";
            for (size_t i = 0; i < e.sources.size(); ++i) {
                std::string check = e.sources[i].firstCheck;
                if (!check.empty() && check.back() == '.') check.pop_back(); // joined with "; "
                entry.firstCheck += (i ? "; " : "") + serviceDisplayName(e.sources[i].service) + ": " + check;
            }
            entry.firstCheck += ".";
        }
        c.m_codes.push_back(std::move(entry));
    }
    return c;
}

const std::vector<EmittedSource>& CodeResolution::services() const {
    static const std::vector<EmittedSource> none;
    return emitted ? emitted->sources : entry ? entry->emitted : none;
}

bool CodeResolution::meaningDiffersPerService() const {
    return entry && entry->group == "emitted" && services().size() > 1;
}

const TroubleshootingCatalog& TroubleshootingCatalog::instance() {
    static const TroubleshootingCatalog catalog = [] {
        std::vector<std::string> errors;
        TroubleshootingCatalog c = fromJson(readResourceText(":/catalog/troubleshooting.json"),
                                            readResourceText(":/catalog/emitted-codes.json"), errors);
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

const EmittedCode* TroubleshootingCatalog::findEmitted(std::string_view code) const {
    for (const auto& e : m_emitted)
        if (e.code == code) return &e;
    for (const auto& e : m_emitted)
        if (e.isTemplate() && e.matchesTemplate(code)) return &e;
    return nullptr;
}

CodeResolution TroubleshootingCatalog::resolve(std::string_view code) const {
    CodeResolution r;
    r.emitted = findEmitted(code);
    if (r.emitted && r.emitted->code != code) r.templateCode = r.emitted->code;
    if ((r.entry = findCode(code))) return r;
    for (const auto& [alias, target] : m_aliases)
        if (alias == code) {
            r.entry = findCode(target.first);
            r.aliasOf = target.first;
            r.aliasNote = target.second;
            return r;
        }
    if ((r.denyReason = DenyReasonCatalog::instance().find(code))) return r;
    if (!r.templateCode.empty()) r.entry = findCode(r.templateCode);
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
    std::vector<std::pair<double, std::string>> scored;
    for (const auto& e : m_codes)
        scored.emplace_back(nearness(code, e.code), e.code);
    for (const auto& [alias, target] : m_aliases)
        scored.emplace_back(nearness(code, alias), alias);
    for (const auto& d : DenyReasonCatalog::instance().all())
        scored.emplace_back(nearness(code, d.code), d.code);
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (const auto& [distance, name] : scored)
        if (out.size() < count && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
}

} // namespace caracal
