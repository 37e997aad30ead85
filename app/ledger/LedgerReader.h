#pragma once
// Reads audit_events from the ledger in pages ordered by (occurred_at, id) at microsecond precision, and can
// resume after the last row read (occurred_at, id), so events that share a millisecond (or a microsecond) at
// a page boundary are never skipped. Rows arrive as JSON lines in the database-row shape (the table's
// columns, jsonb as PostgreSQL's text, chain fields included), which the loader reads as it reads a dump.
#include "ledger/LedgerConnection.h"
#include "ledger/LedgerQuery.h"

#include <atomic>
#include <functional>
#include <optional>

namespace caracal {

struct LedgerReadOptions {
    size_t pageRows = 10000;
    size_t rowCap = SIZE_MAX;                  // stop after this many rows
    const std::atomic<bool>* cancel = nullptr; // checked between pages and rows
    std::function<void(size_t rows)> progress; // after each page
    // Resume strictly after this (occurred_at in Unix microseconds, id): the next page of an earlier read.
    std::optional<std::pair<int64_t, std::string>> after;
};

struct LedgerReadResult {
    size_t rows = 0;
    size_t pages = 0;
    bool complete = false; // every matching row was read
    bool cancelled = false;
    bool capped = false;    // stopped at rowCap; more rows remain
    std::string error;      // set when reading failed: the rows so far are incomplete
    int64_t lastMicros = 0; // the last row handed out, to resume after (LedgerReadOptions::after)
    std::string lastId;
};

// page(jsonLines, rows) for each page, in order; it returns false to stop (counted as cancelled).
LedgerReadResult readLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                  const LedgerReadOptions& options,
                                  const std::function<bool(std::string&& jsonLines, size_t rows)>& page);

// How many rows match the pushed-down clause (what the server holds for this filter). nullopt with `error`.
std::optional<uint64_t> countLedgerEvents(LedgerConnection& connection, const LedgerFilter& filter,
                                          std::string& error);

} // namespace caracal
