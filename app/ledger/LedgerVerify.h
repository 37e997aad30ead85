#pragma once
// Verifies the ledger's chains where they are stored: each zone of audit_events, then admin_audit_events,
// streamed in chain_seq order with the exact jsonb text (COALESCE(x::text, 'null')), row by row (libpq's
// single-row mode), through the same reader and verifier as files. No event is kept: only each row's compact
// link (about 90 bytes), until the verifier links every chain at the end (so memory grows with the rows: 176
// MB peak at 1M rows).
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
