#pragma once
// Reads rows that carry Caracal's chain fields and recomputes what can be recomputed from one row alone: the
// content hash (audit_events: jsonb text of the JSON fields; admin_audit_events: its own rules) and, with a
// key, the HMAC. What a row contributes to its chain's links is kept compactly for ChainVerifier.
// Rows understood: Go audit-search rows ({"Event": {...}, "ContentSHA256": ...}), database rows with the
// table's columns (audit_events or admin_audit_events, as JSON objects or CSV records), plain events and
// API pages (no chain fields), and pages or arrays of any of these.
#include "chain/ChainReport.h"
#include "chain/Digest.h"
#include "chain/JsonbCanonical.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// One row's part in its chain's links.
struct ChainLink {
    int64_t seq = 0;
    Digest32 content{}; // stored content_sha256
    Digest32 prev{};    // stored prev_content_sha256
    RowPlace row;
    uint32_t idBegin = 0; // the event id in ChainRows::ids
    uint32_t idLength = 0;
    uint8_t flags = 0;
    enum : uint8_t { ContentValid = 1, PrevPresent = 2, PrevValid = 4 };
};

// Source kinds, a bit each.
enum ChainSourceKind : uint8_t { SearchRows = 1, DatabaseRows = 2, NoChainRows = 4, CsvRows = 8 };

// The rows of one chain read from one batch of input.
struct ChainRows {
    ChainTable table = ChainTable::AuditEvents;
    std::string zoneId;
    bool globalChain = false;
    std::vector<ChainLink> links;
    std::string ids;
    std::vector<std::vector<ChainLink>> laterLinks; // further batches' links, joined by ChainVerifier
    std::vector<std::string> laterIds;
    std::vector<ChainProblem> problems; // content_mismatch, hmac_mismatch, malformed prev (chain_break)
    size_t withoutChain = 0;
    std::string firstWithoutChainId;
    RowPlace firstWithoutChainRow;
    size_t hmacChecked = 0, hmacFailed = 0, contentFailed = 0;
    std::vector<uint32_t> sources; // input indexes, ascending
    uint8_t kinds = 0;             // ChainSourceKind bits
    std::string_view id(const ChainLink& l) const { return {ids.data() + l.idBegin, l.idLength}; }
};

struct ChainBatch {
    std::vector<ChainRows> chains;
    std::vector<UnreadableRow> unreadable; // `where` filled in later, from the source names
    size_t unreadableCount = 0;
    size_t rows = 0;
    ChainRows& chain(ChainTable table, std::string_view zoneId, bool global);
};

class ChainRowReader {
  public:
    // `key` is the raw HMAC key; empty: no HMAC check.
    explicit ChainRowReader(std::string_view key);
    ChainRowReader(const ChainRowReader&) = delete;
    ChainRowReader& operator=(const ChainRowReader&) = delete;
    ~ChainRowReader();

    // One row of JSON text (a row object, or a page or array of them).
    void readJson(std::string_view text, RowPlace row, ChainBatch& out);
    // One CSV record of a database export; `header` names its columns.
    void readCsv(const std::vector<std::string>& header, const std::vector<std::string>& fields,
                 const std::vector<bool>& quoted, RowPlace row, ChainBatch& out);

    struct Fields;

  private:
    void readObject(RowPlace row, ChainBatch& out, int depth);
    void finishRow(RowPlace row, ChainBatch& out, uint8_t kind);
    void unreadable(RowPlace row, ChainBatch& out, const std::string& message);

    std::unique_ptr<HmacSha256> m_hmac;
    JsonCursor m_cursor;
    std::unique_ptr<Fields> m_f;
    std::string m_message;
};

// JSON.stringify of a payload_json object in the admin writer's key order (rls_mode, rls_zone_guc, operator,
// change_kind, changed_fields, secret_rotated, then any others as given). False when `json` is not JSON.
bool appendAdminPayloadText(std::string_view json, std::string& out, JsonTextError& error);

} // namespace caracal
