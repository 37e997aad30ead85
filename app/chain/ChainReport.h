#pragma once
// What verifying Caracal's hash chains found: per chain (a zone of audit_events, or a zone / the global chain
// of admin_audit_events) its rows, seq range and problems, each problem located and explained.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

enum class ProblemKind : uint8_t {
    ContentMismatch,
    ChainBreak,
    HmacMismatch,
    SeqGap,
    SeqDuplicate,
    MissingChainFields,
    Count
};
constexpr int kProblemKinds = static_cast<int>(ProblemKind::Count);
const char* problemKindName(ProblemKind kind); // the contract's snake_case name
bool isTamperKind(ProblemKind kind);           // everything but missing_chain_fields

enum class ChainTable : uint8_t { AuditEvents, AdminAudit };

// Where a row came from: for files, the input's index and the 1-based line; for a loaded store, source 0
// and the store's row id.
struct RowPlace {
    uint32_t source = 0;
    uint32_t index = 0;
    bool operator==(const RowPlace&) const = default;
};

struct ChainProblem {
    ProblemKind kind = ProblemKind::ContentMismatch;
    int64_t chainSeq = 0; // 0 when the row has none (missing_chain_fields)
    std::string eventId;
    std::string expected; // what the verifier derived (recomputed hash, the previous row's hash, next seq)
    std::string found;    // what the row carries
    std::string message;  // what it means and what to do
    RowPlace row;
    std::optional<RowPlace> before; // chain_break / seq_gap / seq_duplicate: the row on the other side
};

struct ZoneVerdict {
    ChainTable table = ChainTable::AuditEvents;
    std::string zoneId; // "" with globalChain for the admin chain of zone-less rows
    bool globalChain = false;
    std::string source;          // the inputs and their kind, for people
    size_t rows = 0;             // rows with chain fields that were checked
    size_t rowsWithoutChain = 0; // rows that carry no chain fields
    int64_t firstSeq = 0, lastSeq = 0;
    std::vector<ChainProblem> problems; // in chain_seq order
    std::array<size_t, kProblemKinds> counts{};
    std::vector<std::string> notes; // zone-wide observations (e.g. every HMAC fails: wrong key?)
    bool tampered() const;
    bool verified() const { return rows > 0; }
};

struct UnreadableRow {
    RowPlace row;
    std::string where; // "FILE:LINE" or "row N"
    std::string message;
};

enum class Verdict { Intact, Tampered, Unverifiable };
const char* verdictName(Verdict v);

struct VerifyReport {
    std::vector<ZoneVerdict> zones; // audit_events zones by id, then admin chains
    bool hmacChecked = false;       // a key was given and used on at least one row
    std::vector<UnreadableRow> unreadable;
    size_t unreadableCount = 0;      // all of them; `unreadable` keeps the first ones
    std::vector<std::string> limits; // what these offline checks cannot prove, for this input
    bool cancelled = false;
    Verdict verdict() const;
    const ZoneVerdict* zone(const std::string& zoneId, ChainTable table = ChainTable::AuditEvents) const;
};

} // namespace caracal
