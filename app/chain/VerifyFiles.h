#pragma once
// Verifies the chains in files with all cores, streaming: each file is mapped, cut into blocks of lines read
// in parallel (JSON lines), or read whole (one JSON document, a CSV export of a table). Only the compact
// per-row links stay in memory, not the events.
#include "chain/ChainReport.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace caracal {

struct VerifyProgress {
    uint64_t bytesDone = 0;
    uint64_t bytesTotal = 0;
    size_t rows = 0;
};

struct VerifyFilesOptions {
    std::string key;                // raw HMAC key bytes; empty: no HMAC check
    std::vector<std::string> zones; // only these zones (empty: all)
    size_t blockBytes = 4u << 20;
    unsigned threads = 0; // 0: one per core
    std::function<void(const VerifyProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

// Inputs that could not be read at all go to `fileErrors` ("PATH: cause"); their rows are missing from the
// report.
VerifyReport verifyFiles(const std::vector<std::string>& paths, const VerifyFilesOptions& options,
                         std::vector<std::string>& fileErrors);

// The HMAC key: hex text (as Caracal's AUDIT_HMAC_KEY) from `keyFile`, else from the environment variable
// AUDIT_HMAC_KEY, else none. The key is never part of a message.
struct HmacKey {
    std::string bytes;   // empty: no key
    std::string origin;  // "key file PATH" / "AUDIT_HMAC_KEY"
    std::string error;   // unreadable or not hex: a usage error
    std::string warning; // e.g. the file is readable by group or others
};
HmacKey loadHmacKey(const std::string& keyFile, bool useEnvironment = true);

// Splits CSV text (RFC 4180, as PostgreSQL's COPY ... CSV writes it) into records. fn(fields, quoted,
// line) per record; `line` is where the record starts. Returns false with a message on an unterminated quote.
bool forEachCsvRecord(
    std::string_view text,
    const std::function<void(const std::vector<std::string>&, const std::vector<bool>&, uint32_t line)>& fn,
    std::string& error);

} // namespace caracal

namespace caracal {

// Verifies rows already in memory (a loaded store's rows): rowText(i) for i in [0, count), read on every
// core; an empty text leaves that row out. Problems name rows as RowPlace{0, i}.
struct VerifyRowsOptions {
    std::string key;
    std::function<void(size_t done, size_t total)> progress; // from worker threads, roughly every 1% of rows
    const std::atomic<bool>* cancel = nullptr;
    unsigned threads = 0;
};
VerifyReport verifyRows(size_t count, const std::function<std::string_view(size_t)>& rowText,
                        const VerifyRowsOptions& options);

} // namespace caracal
