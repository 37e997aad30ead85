#pragma once
// Checks what needs a row's neighbours in one chain (links, gaps, duplicates) as the rows arrive in chain_seq
// order. It holds only the rows of the last two sequence numbers, so a chain of any length is checked in
// constant memory: ChainVerifier feeds it a sorted file's rows, the ledger feeds it rows as they stream.
#include "chain/ChainReport.h"
#include "chain/ChainRowReader.h"

#include <string>
#include <string_view>
#include <vector>

namespace caracal {

class ChainLinker {
  public:
    // Problems found are appended to `problems`.
    explicit ChainLinker(std::vector<ChainProblem>& problems) : m_problems(&problems) {}

    // The next row: its chain_seq is not below the previous row's (equal sequence numbers keep input order).
    // False, and nothing checked, when it is below: the caller broke the order.
    bool push(const ChainLink& link, std::string_view eventId);

    size_t rows() const { return m_rows; }
    size_t duplicatesDropped() const { return m_duplicatesDropped; }
    int64_t firstSeq() const { return m_firstSeq; }
    int64_t lastSeq() const { return m_lastSeq; }

  private:
    struct Held {
        ChainLink link;
        std::string id;
    };
    void report(ProblemKind kind, const ChainLink& l, std::string_view id, std::string expected,
                std::string found, std::string message, const Held* before);

    std::vector<ChainProblem>* m_problems;
    // The rows of the current sequence number and of the one before (the anchors the next number links to).
    // Their strings keep their capacity from row to row: no allocation per row.
    std::vector<Held> m_current, m_anchors;
    size_t m_currentCount = 0, m_anchorCount = 0;
    size_t m_rows = 0, m_duplicatesDropped = 0;
    int64_t m_firstSeq = 0, m_lastSeq = 0;
};

} // namespace caracal
