#include "chain/ChainLinker.h"

#include "chain/Digest.h"

namespace caracal {

void ChainLinker::report(ProblemKind kind, const ChainLink& l, std::string_view id, std::string expected,
                         std::string found, std::string message, const Held* before) {
    ChainProblem& p = m_problems->emplace_back();
    p.kind = kind;
    p.chainSeq = l.seq;
    p.eventId.assign(id);
    p.expected = std::move(expected);
    p.found = std::move(found);
    p.message = std::move(message);
    p.row = l.row;
    if (before) p.before = before->link.row;
}

bool ChainLinker::push(const ChainLink& l, std::string_view id) {
    if (m_currentCount && l.seq < m_current.front().link.seq) return false;
    if (m_currentCount && m_current.front().link.seq == l.seq) {
        for (size_t i = 0; i < m_currentCount; ++i) {
            const Held& o = m_current[i];
            if (o.id == id && o.link.content == l.content && o.link.prev == l.prev) {
                ++m_duplicatesDropped; // the same row read twice (overlapping exports): nothing to report
                return true;
            }
        }
        const Held& first = m_current.front();
        report(ProblemKind::SeqDuplicate, l, id, toHex(first.link.content), toHex(l.content),
               "Two different rows carry chain_seq " + std::to_string(l.seq) + " (events " + first.id +
                   " and " + std::string(id) +
                   "): Caracal numbers each row of a zone once, so one of them was inserted or renumbered.",
               &first);
        if (m_current.size() <= m_currentCount) m_current.emplace_back();
        m_current[m_currentCount].link = l;
        m_current[m_currentCount].id.assign(id);
        ++m_currentCount;
        ++m_rows;
        return true;
    }
    // A new sequence number: the rows holding the last one become the anchors this row must link to.
    const bool hasPrevious = m_currentCount > 0;
    if (hasPrevious) {
        std::swap(m_current, m_anchors);
        m_anchorCount = m_currentCount;
    }
    if (m_current.empty()) m_current.emplace_back();
    m_current.front().link = l;
    m_current.front().id.assign(id);
    m_currentCount = 1;
    ++m_rows;
    m_lastSeq = l.seq;
    if (!hasPrevious) {
        m_firstSeq = l.seq;
        if (l.seq == 1 && (l.flags & ChainLink::PrevPresent) && (l.flags & ChainLink::PrevValid))
            report(
                ProblemKind::ChainBreak, l, id, "(empty: the first row)", toHex(l.prev),
                "chain_seq 1 starts the chain and has no predecessor, yet it names one: rows were renumbered "
                "or this row was moved.",
                nullptr);
        return true;
    }
    const Held& previous = m_anchors.front();
    const int64_t previousSeq = previous.link.seq;
    if (l.seq != previousSeq + 1) {
        const int64_t missing = l.seq - previousSeq - 1;
        report(ProblemKind::SeqGap, l, id, std::to_string(previousSeq + 1), std::to_string(l.seq),
               (missing == 1
                    ? "chain_seq " + std::to_string(previousSeq + 1) + " is missing"
                    : "chain_seq " + std::to_string(previousSeq + 1) + " to " + std::to_string(l.seq - 1) +
                          " are missing (" + std::to_string(missing) + " rows)") +
                   ": rows were deleted, or the input is filtered or incomplete (a decision or request_id "
                   "filter, a time window, a skipped page). Export the zone without filters, every page, to "
                   "check them.",
               &previous);
        return true; // the link points at a row that is not here: nothing to compare
    }
    if (!(l.flags & ChainLink::PrevValid)) return true; // reported by the reader
    for (size_t i = 0; i < m_anchorCount; ++i) {
        const ChainLink& a = m_anchors[i].link;
        if ((a.flags & ChainLink::ContentValid) && (l.flags & ChainLink::PrevPresent) && a.content == l.prev)
            return true;
    }
    report(ProblemKind::ChainBreak, l, id,
           (previous.link.flags & ChainLink::ContentValid) ? toHex(previous.link.content) : "(unreadable)",
           (l.flags & ChainLink::PrevPresent) ? toHex(l.prev) : "(empty)",
           "prev_content_sha256 does not match the content_sha256 of chain_seq " +
               std::to_string(previousSeq) + " (event " + previous.id +
               "): a row was deleted, inserted or reordered between them. Compare both rows with an earlier "
               "export or the database.",
           &previous);
    return true;
}

} // namespace caracal
