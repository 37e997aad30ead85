#include "load/CsvExport.h"

#include <algorithm>
#include <cctype>

namespace caracal::csv {

namespace {
constexpr std::array<std::string_view, 46> kFields = {"id",
                                                      "occurred_at",
                                                      "event_type",
                                                      "decision",
                                                      "evaluation_status",
                                                      "request_id",
                                                      "ingested_at",
                                                      "policy_set_id",
                                                      "policy_set_version_id",
                                                      "manifest_sha",
                                                      "determining_policies",
                                                      "application_id",
                                                      "application_name",
                                                      "resource",
                                                      "requested_scopes",
                                                      "agent_session_id",
                                                      "agent_lifecycle",
                                                      "agent_labels",
                                                      "delegation_edge_id",
                                                      "delegation_hop_count",
                                                      "method",
                                                      "latency_ms",
                                                      "upstream_status",
                                                      "result_class",
                                                      "reason",
                                                      "trace_id",
                                                      "provider_id",
                                                      "connection_id",
                                                      "upstream_host",
                                                      "gateway_status",
                                                      "error_kind",
                                                      "response_bytes",
                                                      "auth_mode",
                                                      "subject_fingerprint",
                                                      "subject",
                                                      "authorized_by",
                                                      "command",
                                                      "subcommand",
                                                      "challenge_id",
                                                      "tier",
                                                      "approver_class",
                                                      "privacy_mode",
                                                      "approver_subject_id",
                                                      "subject_anchor",
                                                      "subject_kind",
                                                      "federated_user_issuer"};
constexpr size_t kRowFieldCount = 11;

// A strict JSON number literal ("12", "12.5", "-3e2"), so that nothing else is read as one.
bool isJsonNumber(const std::string& s) {
    size_t i = s[0] == '-' ? 1 : 0;
    auto digitsFrom = [&](size_t& p) {
        const size_t start = p;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])))
            ++p;
        return p > start;
    };
    if (i >= s.size() ||
        (s[i] == '0' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))))
        return false;
    if (!digitsFrom(i)) return false;
    if (i < s.size() && s[i] == '.' && !digitsFrom(++i)) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digitsFrom(i)) return false;
    }
    return i == s.size();
}

bool isNumberField(std::string_view f) {
    return f == "delegation_hop_count" || f == "latency_ms" || f == "upstream_status" ||
           f == "gateway_status" || f == "response_bytes";
}
bool isListField(std::string_view f) {
    return f == "requested_scopes" || f == "agent_labels";
}

std::vector<std::string> splitSpaces(const std::string& s) {
    std::vector<std::string> out;
    size_t p = 0;
    while (p < s.size()) {
        const size_t e = std::min(s.find(' ', p), s.size());
        if (e > p) out.push_back(s.substr(p, e - p));
        p = e + 1;
    }
    return out;
}

// Undoes the API's formula guard: it prefixes ' only before these characters.
std::string unguard(std::string cell) {
    if (cell.size() >= 2 && cell[0] == '\'' &&
        std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos)
        cell.erase(0, 1);
    return cell;
}
} // namespace

const std::array<std::string_view, 46>& exportFields() {
    return kFields;
}

bool isExportField(std::string_view name) {
    return std::find(kFields.begin(), kFields.end(), name) != kFields.end();
}

bool isRowField(std::string_view name) {
    return std::find(kFields.begin(), kFields.begin() + kRowFieldCount, name) !=
           kFields.begin() + kRowFieldCount;
}

std::vector<Record> parse(std::string_view t) {
    std::vector<Record> out;
    uint32_t line = 1;
    size_t p = 0;
    if (t.substr(0, 3) == "\xEF\xBB\xBF") p = 3;
    while (p < t.size()) {
        Record rec;
        rec.line = line;
        std::string cell;
        bool endOfRecord = false;
        while (!endOfRecord) {
            cell.clear();
            if (p < t.size() && t[p] == '"') {
                for (++p; p < t.size(); ++p) {
                    if (t[p] == '"') {
                        if (p + 1 < t.size() && t[p + 1] == '"') {
                            cell += '"';
                            ++p;
                        } else {
                            ++p;
                            break;
                        }
                    } else {
                        if (t[p] == '\n') ++line;
                        cell += t[p];
                    }
                }
            }
            while (p < t.size() && t[p] != ',' && t[p] != '\n') {
                if (!(t[p] == '\r' && (p + 1 == t.size() || t[p + 1] == '\n'))) cell += t[p];
                ++p;
            }
            rec.cells.push_back(cell);
            if (p >= t.size() || t[p] == '\n') {
                endOfRecord = true;
                if (p < t.size()) ++line;
            }
            ++p;
        }
        if (!(rec.cells.size() == 1 && rec.cells[0].empty())) out.push_back(std::move(rec));
    }
    return out;
}

bool looksLikeExport(std::string_view firstLine) {
    if (firstLine.substr(0, 3) == "\xEF\xBB\xBF") firstLine.remove_prefix(3);
    if (!firstLine.empty() && firstLine.back() == '\r') firstLine.remove_suffix(1);
    bool hasId = false;
    size_t p = 0;
    while (p <= firstLine.size()) {
        const size_t e = std::min(firstLine.find(',', p), firstLine.size());
        const std::string_view name = firstLine.substr(p, e - p);
        if (!isExportField(name)) return false;
        hasId = hasId || name == "id";
        p = e + 1;
    }
    return hasId;
}

std::string zoneFromFileName(std::string_view path) {
    const size_t slash = path.find_last_of('/');
    std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
    if (name.substr(0, 6) != "audit-" || name.size() < 11 || name.substr(name.size() - 4) != ".csv")
        return {};
    name = name.substr(6, name.size() - 10);
    // A browser's second download of the same name: "audit-z (1).csv".
    if (const size_t copy = name.find(" ("); copy != std::string_view::npos) name = name.substr(0, copy);
    return std::string(name);
}

Converted toJsonLines(std::string_view text, const std::string& zone) {
    Converted out;
    std::vector<Record> records = parse(text);
    if (records.empty()) return out;
    const std::vector<std::string> header = records.front().cells;
    for (size_t r = 1; r < records.size(); ++r) {
        const Record& rec = records[r];
        if (rec.cells.size() != header.size()) {
            out.badRows.emplace_back(rec.line, "CSV record has " + std::to_string(rec.cells.size()) +
                                                   " cells, the header has " + std::to_string(header.size()));
            continue;
        }
        nlohmann::ordered_json ev = nlohmann::ordered_json::object();
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        std::string problem;
        for (size_t c = 0; c < header.size() && problem.empty(); ++c) {
            const std::string& field = header[c];
            std::string value = unguard(rec.cells[c]);
            if (value.empty()) continue;
            if (field == "determining_policies") {
                auto policies = nlohmann::ordered_json::array();
                for (auto& name : splitSpaces(value))
                    policies.push_back({{"policy", name}});
                ev["determining_policies_json"] = policies;
            } else if (isRowField(field)) {
                ev[field] = value;
            } else if (isListField(field)) {
                meta[field] = splitSpaces(value);
            } else if (isNumberField(field) && isJsonNumber(value)) {
                // A JSON number beyond a double's range (1e999) cannot be an event's value: a located error.
                auto number = nlohmann::ordered_json::parse(value, nullptr, false);
                if (number.is_discarded())
                    problem = "column \"" + field + "\" holds " +
                              (value.size() > 40 ? value.substr(0, 40) + "..." : value) +
                              ", a number beyond the range of a double (about 1.8e308)";
                else
                    meta[field] = std::move(number);
            } else {
                meta[field] = value;
            }
        }
        if (!problem.empty()) {
            out.badRows.emplace_back(rec.line, problem);
            continue;
        }
        ev["zone_id"] = zone;
        if (!ev.contains("determining_policies_json")) ev["determining_policies_json"] = nullptr;
        ev["diagnostics_json"] = nullptr;
        ev["metadata_json"] = meta;
        out.jsonLines += ev.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        out.jsonLines += '\n';
        out.lines.push_back(rec.line);
    }
    return out;
}

std::string cellText(const nlohmann::ordered_json& event, std::string_view field) {
    const nlohmann::ordered_json* value = nullptr;
    const std::string key(field);
    if (field == "determining_policies") {
        auto it = event.find("determining_policies_json");
        if (it == event.end() || !it->is_array()) return {};
        std::string names;
        for (const auto& item : *it) {
            if (!item.is_object() || !item.contains("policy") || !item["policy"].is_string()) continue;
            if (!names.empty()) names += ' ';
            names += item["policy"].get<std::string>();
        }
        return names;
    }
    if (isRowField(field)) {
        auto it = event.find(key);
        if (it == event.end() && field == "ingested_at") it = event.find("IngestedAt"); // a Go search row
        if (it != event.end()) value = &*it;
    } else if (auto meta = event.find("metadata_json"); meta != event.end() && meta->is_object()) {
        if (auto it = meta->find(key); it != meta->end()) value = &*it;
    }
    if (!value || value->is_null()) return {};
    auto scalar = [](const nlohmann::ordered_json& v) {
        if (v.is_string()) return v.get<std::string>();
        return v.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    };
    if (value->is_array()) {
        std::string joined;
        for (const auto& item : *value) {
            if (!joined.empty()) joined += ' ';
            joined += scalar(item);
        }
        return joined;
    }
    return scalar(*value);
}

std::string escapeCell(std::string_view text) {
    std::string cell;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
        cell = "'";
    cell.append(text);
    if (cell.find_first_of("\",\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string headerRow() {
    std::string out;
    for (auto f : kFields) {
        if (!out.empty()) out += ',';
        out.append(f);
    }
    return out + "\r\n";
}

std::string row(const nlohmann::ordered_json& event) {
    std::string out;
    for (size_t i = 0; i < kFields.size(); ++i) {
        if (i) out += ',';
        out += escapeCell(cellText(event, kFields[i]));
    }
    return out + "\r\n";
}

} // namespace caracal::csv
