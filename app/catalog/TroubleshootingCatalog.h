#pragma once
// Caracal's error codes and troubleshooting tables as data (resources/catalog/troubleshooting.json, compiled
// in): every code of the seed and current Error Codes tables with its aliases, the codes the code base emits
// beyond them, and the first-run tables with stable row keys. Validated when loaded.
#include "catalog/DenyReasonCatalog.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

struct ErrorCodeEntry {
    std::string code, group, meaning, likelySource, firstCheck, docUrl;
    std::vector<std::string> httpStatus;
    std::vector<std::string> related; // "table" or "table/row"
    bool inSeedTable = false, inCurrentTable = false;
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
    std::string aliasOf;   // the canonical code when the name asked was an alias
    std::string aliasNote; // why it is an alias
    explicit operator bool() const { return entry || denyReason; }
    std::string canonical() const {
        return entry ? entry->code : denyReason ? denyReason->code : std::string();
    }
};

class TroubleshootingCatalog {
  public:
    static const TroubleshootingCatalog& instance();
    // Parses and validates catalog JSON; every problem found is appended to `errors`.
    static TroubleshootingCatalog fromJson(std::string_view text, std::vector<std::string>& errors);

    const std::vector<ErrorCodeEntry>& codes() const { return m_codes; }
    const std::vector<TroubleshootingTable>& tables() const { return m_tables; }
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>>& aliases() const {
        return m_aliases;
    }

    const ErrorCodeEntry* findCode(std::string_view code) const;
    CodeResolution resolve(std::string_view code) const;
    const TroubleshootingTable* table(std::string_view key) const;
    std::optional<RowRef> row(std::string_view address) const; // "table/row"
    // The rows a reference names: a whole table, or one row.
    std::vector<RowRef> rows(std::string_view reference) const;
    // Known codes (error codes, aliases, deny reasons) nearest to a misspelt one.
    std::vector<std::string> nearest(std::string_view code, size_t count = 3) const;

  private:
    std::vector<ErrorCodeEntry> m_codes;
    std::vector<TroubleshootingTable> m_tables;
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>>
        m_aliases; // alias -> (code, note)
};

} // namespace caracal
