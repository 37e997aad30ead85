#pragma once
// Caracal's audit CSV export: the 46 field names, reading an export back into events, and writing one with
// the API's rules (header row, CRLF, arrays joined by a space, formula guard, RFC 4180 quoting).
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace caracal::csv {

// The export fields in the API's order: 11 row fields, then 35 metadata keys.
const std::array<std::string_view, 46>& exportFields();
bool isExportField(std::string_view name);
bool isRowField(std::string_view name);

// One CSV record: its cells and the 1-based line it starts on.
struct Record {
    std::vector<std::string> cells;
    uint32_t line = 0;
};
// RFC 4180 reader; LF or CRLF record ends, quoted cells may hold commas, quotes and line breaks.
std::vector<Record> parse(std::string_view text);

// True when the first line is a header made only of export field names and includes "id".
bool looksLikeExport(std::string_view firstLine);

// Converts a CSV export into JSON lines (one event object per record) with the source line of each.
// The export carries no zone_id: `zone` (from the file name, see zoneFromFileName) is used for every event.
// Records whose cell count differs from the header's are returned in `badRows` with a reason.
struct Converted {
    std::string jsonLines;
    std::vector<uint32_t> lines;
    std::vector<std::pair<uint32_t, std::string>> badRows;
};
Converted toJsonLines(std::string_view text, const std::string& zone);
// "audit-<zone>.csv" (the API's download name, also with a " (1)" style suffix) -> "<zone>"; else "".
std::string zoneFromFileName(std::string_view path);

// One cell's text for `field` of a full event, before quoting.
std::string cellText(const nlohmann::ordered_json& event, std::string_view field);
// Applies the formula guard and RFC 4180 quoting.
std::string escapeCell(std::string_view text);
std::string headerRow();                              // with CRLF
std::string row(const nlohmann::ordered_json& event); // with CRLF

} // namespace caracal::csv
