#pragma once
// Verifies the ledger's chains where they are stored: each zone of audit_events, then admin_audit_events,
// streamed in chain_seq order with the exact jsonb text (COALESCE(x::text, 'null')), row by row (libpq's
// single-row mode), through the same reader and verifier as files. The server's order lets the verifier link
// each row as it arrives (ordered mode), so nothing but the problems found is kept: memory stays flat at any
// number of rows.
#include "chain/ChainReport.h"
#include "ledger/LedgerConnection.h"

#include <atomic>
#include <functional>

namespace caracal {

struct LedgerVerifyOptions {
    std::string key;                // raw HMAC key bytes; empty: no HMAC check
    std::vector<std::string> zones; // only these zones (empty: every zone the session sees)
    bool adminAudit = true;         // also admin_audit_events
    std::function<void(size_t rows)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

// False with `error` set when the ledger could not be read to the end (the report is then incomplete).
bool verifyLedger(LedgerConnection& connection, const LedgerVerifyOptions& options, VerifyReport& report,
                  std::string& error);

} // namespace caracal
