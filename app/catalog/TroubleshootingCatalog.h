#pragma once
// Caracal's error codes and troubleshooting tables as data, compiled in and validated when loaded:
// resources/catalog/troubleshooting.json (every code of the seed and current Error Codes tables with its
// aliases, the first-run tables with stable row keys) and resources/catalog/emitted-codes.json (every code
// Caracal's services, SDKs and verifiers emit, per service: HTTP status, route, meaning, first check, rows).
#include "catalog/DenyReasonCatalog.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// What one service means by a code it emits (one row of Caracal's emitted-codes table, in our words).
struct EmittedSource {
    std::string service; // api, sts, gateway, coordinator, audit, auth, control, core, sdk, runtime, verifier
    std::string httpStatus; // as observed ("409", "401 (text/plain)", "" for an audit status or a DLQ reason)
    std::string where;      // route or function
    std::string meaning, firstCheck;
    std::vector<std::string> related; // "table" or "table/row"
};

struct EmittedCode {
    std::string code; // may be a template: "json_parse_error:<err>", "approval_<state>"
    std::vector<EmittedSource> sources;
    bool isTemplate() const { return code.find('<') != std::string::npos; }
    // Whether a concrete code is an instance of this template ("json_parse_error:unexpected end").
    bool matchesTemplate(std::string_view concrete) const;
};

// A service's name as the help text says it ("api" -> "API server").
std::string serviceDisplayName(std::string_view service);

struct ErrorCodeEntry {
    std::string code, group, meaning, likelySource, firstCheck, docUrl;
    std::vector<std::string> httpStatus;
    std::vector<std::string> related; // "table" or "table/row"
    bool inSeedTable = false, inCurrentTable = false;
    std::vector<EmittedSource> emitted; // who emits it, per service (empty for documented-only codes)
};

struct TroubleshootingRow {
    std::string key;
    std::vector<std::string> cells;
};

struct TroubleshootingTable {
    std::string key, title, source, docUrl, surface, intro;
    std::vector<std::string> columns;
    std::vector<TroubleshootingRow> rows;
};

struct RowRef {
    const TroubleshootingTable* table = nullptr;
    const TroubleshootingRow* row = nullptr;
    std::string address() const { return table->key + "/" + row->key; }
    std::string checkText() const { return row->cells.empty() ? std::string() : row->cells[0]; }
    std::string fixText() const; // the remaining cells, joined
};

// What a code resolves to: an error code (perhaps through an alias) or a deny reason.
struct CodeResolution {
    const ErrorCodeEntry* entry = nullptr;
    const DenyReason* denyReason = nullptr;
    std::string aliasOf;                  // the canonical code when the name asked was an alias
    std::string aliasNote;                // why it is an alias
    const EmittedCode* emitted = nullptr; // the services that emit it, when Caracal's code does
    std::string templateCode;             // the template a concrete code matched ("json_parse_error:<err>")
    explicit operator bool() const { return entry || denyReason; }
    std::string canonical() const {
        return entry ? entry->code : denyReason ? denyReason->code : std::string();
    }
    // Who emits it: the code asked for (an alias keeps its own services), else the documented code's.
    const std::vector<EmittedSource>& services() const;
    // A code only Caracal's sources describe, emitted by several services: its meaning is per service, and
    // the combined meaning would mislead.
    bool meaningDiffersPerService() const;
};

class TroubleshootingCatalog {
  public:
    static const TroubleshootingCatalog& instance();
    // Parses and validates catalog JSON; every problem found is appended to `errors`.
    static TroubleshootingCatalog fromJson(std::string_view text, std::vector<std::string>& errors);
    // The same, merged with the emitted-codes data: a code no table row documents becomes a row of group
    // "emitted" (deny reasons stay deny reasons); every documented code gets its emitting services.
    static TroubleshootingCatalog fromJson(std::string_view text, std::string_view emittedText,
                                           std::vector<std::string>& errors);

    const std::vector<ErrorCodeEntry>& codes() const { return m_codes; }
    const std::vector<TroubleshootingTable>& tables() const { return m_tables; }
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>>& aliases() const {
        return m_aliases;
    }

    const std::vector<EmittedCode>& emittedCodes() const { return m_emitted; }
    const EmittedCode* findEmitted(std::string_view code) const; // exact, or by template
    const ErrorCodeEntry* findCode(std::string_view code) const;
    CodeResolution resolve(std::string_view code) const;
    const TroubleshootingTable* table(std::string_view key) const;
    std::optional<RowRef> row(std::string_view address) const; // "table/row"
    // The rows a reference names: a whole table, or one row.
    std::vector<RowRef> rows(std::string_view reference) const;
    // Known codes (error codes, aliases, deny reasons) nearest to a misspelt one: shared words and a shared
    // prefix count as much as few edits, so "unauthorised" finds "unauthorized", not codes of equal length.
    std::vector<std::string> nearest(std::string_view code, size_t count = 3) const;

  private:
    std::vector<ErrorCodeEntry> m_codes;
    std::vector<TroubleshootingTable> m_tables;
    std::vector<EmittedCode> m_emitted;
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>>
        m_aliases; // alias -> (code, note)
};

} // namespace caracal
