#pragma once
// Collects what ChainRowReader read (batches in input order, from any number of threads' readers) and, per
// chain, puts the rows in chain_seq order and checks what needs neighbours (links, gaps, duplicates) with a
// ChainLinker. Memory is about 90 bytes per chained row plus the problems; a source that delivers every
// chain in chain_seq order (the ledger) sets ordered mode, where rows are linked as they arrive and memory
// does not grow with the rows.
#include "chain/ChainReport.h"
#include "chain/ChainRowReader.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace caracal {

class ChainVerifier {
  public:
    // `hmacChecked`: whether the readers were given a key.
    explicit ChainVerifier(bool hmacChecked);
    ~ChainVerifier();
    // Batches hold each chain's rows in chain_seq order, continuing the previous batch's.
    void setOrdered(bool ordered) { m_ordered = ordered; }

    // How inputs are named in messages ("FILE:LINE"); a store-fed run leaves them unnamed ("row N").
    void setSourceName(uint32_t source, std::string name);
    // Only these zones' chains are kept (empty: all). Other rows are still read, then dropped.
    void setZoneFilter(std::vector<std::string> zones) { m_zones = std::move(zones); }
    void add(ChainBatch&& batch);
    // Orders and links every chain (all cores); returns the report. The verifier is spent afterwards.
    VerifyReport finish(const std::atomic<bool>* cancel = nullptr);

    std::string where(RowPlace row) const;
    // Rows kept for linking in finish() (none in ordered mode).
    size_t heldLinks() const;

  private:
    struct Chain;
    ZoneVerdict verifyChain(Chain& chain) const;

    bool m_hmac;
    bool m_ordered = false;
    std::vector<std::string> m_zones;
    std::vector<std::unique_ptr<Chain>> m_chains;
    std::vector<std::string> m_sourceNames;
    std::vector<UnreadableRow> m_unreadable;
    size_t m_unreadableCount = 0;
};

} // namespace caracal
