#include "load/AdminAudit.h"

#include "load/CsvExport.h"
#include "util/RawJson.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace caracal {

namespace {

using Json = nlohmann::json;

std::string textOf(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    return v.dump();
}

// Column name -> member of AdminEvent, for JSON keys and CSV headers alike.
std::string* fieldOf(AdminEvent& e, std::string_view name) {
    static const std::pair<std::string_view, std::string AdminEvent::*> fields[] = {
        {"id", &AdminEvent::id},
        {"request_id", &AdminEvent::requestId},
        {"actor_id", &AdminEvent::actorId},
        {"actor_name", &AdminEvent::actorName},
        {"actor_scope", &AdminEvent::actorScope},
        {"action", &AdminEvent::action},
        {"method", &AdminEvent::method},
        {"path", &AdminEvent::path},
        {"entity_type", &AdminEvent::entityType},
        {"entity_id", &AdminEvent::entityId},
        {"status_code", &AdminEvent::statusCode},
        {"occurred_at", &AdminEvent::occurredAt},
        {"chain_seq", &AdminEvent::chainSeq},
        {"zone_id", &AdminEvent::zoneId},
        {"payload_json", &AdminEvent::payloadJson},
    };
    for (const auto& [key, member] : fields)
        if (key == name) return &(e.*member);
    return nullptr;
}

void setSignature(AdminEvent& e, std::string_view value, bool fromHmac) {
    if (fromHmac) // a table export: the HMAC itself, present or not
        e.signature = value.empty() ? "unsigned" : "signed";
    else if (value == "true" || value == "false")
        e.signature = value == "true" ? "signed" : "unsigned";
}

bool addRow(AdminAuditRead& out, const Json& row, uint32_t line) {
    if (out.events.size() >= kMaxAdminEvents) {
        ++out.notRead;
        return false;
    }
    if (!row.is_object()) {
        out.problems.push_back("line " + std::to_string(line) + ": an admin-audit row that is not an object");
        return true;
    }
    AdminEvent e;
    e.line = line;
    for (auto it = row.begin(); it != row.end(); ++it) {
        if (std::string* field = fieldOf(e, it.key())) {
            *field = textOf(it.value());
        } else if (it.key() == "signed") {
            setSignature(e, it.value().is_boolean() ? (it.value().get<bool>() ? "true" : "false") : "",
                         false);
        } else if (it.key() == "chain_hmac") {
            setSignature(e, textOf(it.value()), true);
        }
    }
    out.events.push_back(std::move(e));
    return true;
}

void readCsv(AdminAuditRead& out, std::string_view text) {
    const std::vector<csv::Record> records = csv::parse(text);
    if (records.empty()) return;
    const std::vector<std::string>& header = records.front().cells;
    for (size_t r = 1; r < records.size(); ++r) {
        const csv::Record& rec = records[r];
        if (rec.cells.size() == 1 && rec.cells[0].empty()) continue; // a blank line
        if (rec.cells.size() != header.size()) {
            out.problems.push_back("line " + std::to_string(rec.line) + ": " +
                                   std::to_string(rec.cells.size()) + " cells where the header has " +
                                   std::to_string(header.size()));
            continue;
        }
        if (out.events.size() >= kMaxAdminEvents) {
            ++out.notRead;
            continue;
        }
        AdminEvent e;
        e.line = rec.line;
        for (size_t i = 0; i < header.size(); ++i) {
            if (std::string* field = fieldOf(e, header[i]))
                *field = rec.cells[i];
            else if (header[i] == "signed")
                setSignature(e, rec.cells[i], false);
            else if (header[i] == "chain_hmac")
                setSignature(e, rec.cells[i], true);
        }
        out.events.push_back(std::move(e));
    }
}

bool hasColumn(std::string_view header, std::string_view name) {
    size_t pos = 0;
    while (pos <= header.size()) {
        size_t end = header.find(',', pos);
        if (end == std::string_view::npos) end = header.size();
        std::string_view cell = rawjson::trim(header.substr(pos, end - pos));
        if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
            cell = cell.substr(1, cell.size() - 2);
        if (cell == name) return true;
        pos = end + 1;
    }
    return false;
}

} // namespace

bool looksLikeAdminAuditCsv(std::string_view firstLine) {
    if (firstLine.substr(0, 3) == "\xEF\xBB\xBF") firstLine.remove_prefix(3);
    if (!firstLine.empty() && firstLine.back() == '\r') firstLine.remove_suffix(1);
    if (firstLine.empty() || firstLine.front() == '{' || firstLine.front() == '[') return false;
    return hasColumn(firstLine, "actor_id") && hasColumn(firstLine, "action") &&
           !hasColumn(firstLine, "event_type");
}

bool looksLikeAdminAuditRow(std::string_view object) {
    return rawjson::member(object, "actor_id") && rawjson::member(object, "action") &&
           rawjson::member(object, "method") && !rawjson::member(object, "event_type");
}

AdminAuditRead readAdminAudit(std::string_view text) {
    AdminAuditRead out;
    const std::string_view body = rawjson::trim(text.substr(text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0));
    if (body.empty()) return out;
    if (body.front() != '{' && body.front() != '[') {
        readCsv(out, text);
        return out;
    }
    // nlohmann recurses per level: refuse what nests deeper than the engine accepts anywhere.
    if (const size_t at = rawjson::depthExceededAt(body); at != std::string_view::npos) {
        const size_t offset = at + static_cast<size_t>(body.data() - text.data());
        out.problems.push_back("byte " + std::to_string(offset + 1) + ": nested deeper than " +
                               std::to_string(rawjson::kMaxDepth) + " levels; nothing was read");
        return out;
    }
    // A whole document: a page ({"items": [...], "next_cursor"}), or an array of rows.
    Json doc = Json::parse(body, nullptr, false);
    if (!doc.is_discarded()) {
        const Json* rows = doc.is_array() ? &doc : nullptr;
        if (doc.is_object() && doc.contains("items") && doc["items"].is_array()) rows = &doc["items"];
        if (doc.is_object() && doc.contains("next_cursor")) out.nextCursor = textOf(doc["next_cursor"]);
        if (rows) {
            for (const Json& row : *rows)
                addRow(out, row, 1);
            return out;
        }
        if (doc.is_object()) {
            addRow(out, doc, 1);
            return out;
        }
    }
    // JSON lines, one row each.
    uint32_t line = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        ++line;
        const std::string_view l = rawjson::trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (l.empty()) continue;
        Json row = Json::parse(l, nullptr, false);
        if (row.is_discarded())
            out.problems.push_back("line " + std::to_string(line) + ": not valid JSON");
        else
            addRow(out, row, line);
    }
    return out;
}

} // namespace caracal
