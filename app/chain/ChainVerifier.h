#pragma once
// Collects what ChainRowReader read (batches in input order, from any number of threads' readers) and, per
// chain, puts the rows in chain_seq order and checks what needs neighbours: links, gaps, duplicates. Memory
// is about 90 bytes per chained row plus the problems.
#include "chain/ChainReport.h"
#include "chain/ChainRowReader.h"

#include <atomic>
#include <string>
#include <vector>

namespace caracal {

class ChainVerifier {
  public:
    // `hmacChecked`: whether the readers were given a key.
    explicit ChainVerifier(bool hmacChecked) : m_hmac(hmacChecked) {}

    // How inputs are named in messages ("FILE:LINE"); a store-fed run leaves them unnamed ("row N").
    void setSourceName(uint32_t source, std::string name);
    // Only these zones' chains are kept (empty: all). Other rows are still read, then dropped.
    void setZoneFilter(std::vector<std::string> zones) { m_zones = std::move(zones); }
    void add(ChainBatch&& batch);
    // Orders and links every chain (all cores); returns the report. The verifier is spent afterwards.
    VerifyReport finish(const std::atomic<bool>* cancel = nullptr);

    std::string where(RowPlace row) const;

  private:
    bool m_hmac;
    std::vector<std::string> m_zones;
    std::vector<ChainRows> m_chains;
    std::vector<std::string> m_sourceNames;
    std::vector<UnreadableRow> m_unreadable;
    size_t m_unreadableCount = 0;
};

} // namespace caracal
