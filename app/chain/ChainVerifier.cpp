#include "chain/ChainVerifier.h"

#include "chain/ChainLinker.h"
#include "util/CountText.h"

#include <algorithm>
#include <thread>

namespace caracal {

const char* problemKindName(ProblemKind kind) {
    switch (kind) {
    case ProblemKind::ContentMismatch:
        return "content_mismatch";
    case ProblemKind::ChainBreak:
        return "chain_break";
    case ProblemKind::HmacMismatch:
        return "hmac_mismatch";
    case ProblemKind::SeqGap:
        return "seq_gap";
    case ProblemKind::SeqDuplicate:
        return "seq_duplicate";
    case ProblemKind::MissingChainFields:
        return "missing_chain_fields";
    case ProblemKind::Count:
        break;
    }
    return "?";
}

bool isTamperKind(ProblemKind kind) {
    return kind != ProblemKind::MissingChainFields;
}

const char* verdictName(Verdict v) {
    switch (v) {
    case Verdict::Intact:
        return "intact";
    case Verdict::Tampered:
        return "tampered";
    case Verdict::Unverifiable:
        return "unverifiable";
    }
    return "?";
}

bool ZoneVerdict::tampered() const {
    for (int k = 0; k < kProblemKinds; ++k)
        if (counts[k] && isTamperKind(static_cast<ProblemKind>(k))) return true;
    return false;
}

Verdict VerifyReport::verdict() const {
    bool any = false;
    for (const ZoneVerdict& z : zones) {
        if (z.tampered()) return Verdict::Tampered;
        any = any || z.verified();
    }
    return any ? Verdict::Intact : Verdict::Unverifiable;
}

const ZoneVerdict* VerifyReport::zone(const std::string& zoneId, ChainTable table) const {
    for (const ZoneVerdict& z : zones)
        if (z.table == table && z.zoneId == zoneId && !z.globalChain) return &z;
    return nullptr;
}

void ChainVerifier::setSourceName(uint32_t source, std::string name) {
    if (m_sourceNames.size() <= source) m_sourceNames.resize(source + 1);
    m_sourceNames[source] = std::move(name);
}

std::string ChainVerifier::where(RowPlace row) const {
    if (row.source < m_sourceNames.size() && !m_sourceNames[row.source].empty())
        return m_sourceNames[row.source] + ":" + std::to_string(row.index);
    return "row " + std::to_string(row.index + 1);
}

namespace {

std::string zoneLabel(const ChainRows& c) {
    if (c.globalChain) return "the global admin chain";
    return (c.table == ChainTable::AdminAudit ? "admin chain of zone " : "zone ") + c.zoneId;
}

std::string describeSource(const ChainRows& c, const ChainVerifier& v) {
    std::string kinds;
    auto add = [&](const char* k) {
        if (!kinds.empty()) kinds += ", ";
        kinds += k;
    };
    if (c.kinds & SearchRows) add("audit-service search rows");
    if (c.kinds & DatabaseRows)
        add(c.table == ChainTable::AdminAudit ? "admin_audit_events rows" : "audit_events database rows");
    if (c.kinds & NoChainRows) add("events without chain fields");
    std::string names;
    for (uint32_t s : c.sources) {
        std::string w = v.where({s, 0});
        w = w.substr(0, w.rfind(':'));
        if (w.rfind("row ", 0) == 0) continue;
        if (!names.empty()) names += ", ";
        names += w;
    }
    return names.empty() ? kinds : kinds + " (" + names + ")";
}

void dropLinks(ChainRows& c) {
    std::vector<ChainLink>().swap(c.links);
    std::string().swap(c.ids);
    c.laterLinks.clear();
    c.laterIds.clear();
}

void joinLinks(ChainRows& c) {
    size_t total = c.links.size();
    for (const auto& part : c.laterLinks)
        total += part.size();
    c.links.reserve(total);
    for (size_t p = 0; p < c.laterLinks.size(); ++p) {
        const uint32_t shift = static_cast<uint32_t>(c.ids.size());
        c.ids += c.laterIds[p];
        for (ChainLink l : c.laterLinks[p]) {
            l.idBegin += shift;
            c.links.push_back(l);
        }
        std::vector<ChainLink>().swap(c.laterLinks[p]);
    }
    c.laterLinks.clear();
    c.laterIds.clear();
}

} // namespace

struct ChainVerifier::Chain {
    ChainRows rows; // counters and the reader's problems; the links too unless they were linked on arrival
    std::vector<ChainProblem> linkProblems;
    ChainLinker linker{linkProblems};
    // Rows are linked as they arrive while they come in chain_seq order (search output mostly does): the
    // thread that collects batches does it while the readers parse, and finish() has nothing left to do.
    // A row below its predecessor ends that: in ordered mode it is counted, otherwise finish() sorts.
    bool ordered = false; // the source promised chain order (the ledger)
    bool inOrder = true;
    size_t outOfOrder = 0;
    void link(const std::vector<ChainLink>& links, std::string_view ids) {
        if (!inOrder) return;
        for (const ChainLink& l : links) {
            if (linker.push(l, {ids.data() + l.idBegin, l.idLength})) continue;
            if (ordered) {
                ++outOfOrder;
                continue;
            }
            inOrder = false;
            linkProblems.clear();
            linker = ChainLinker(linkProblems);
            return;
        }
    }
};
ChainVerifier::ChainVerifier(bool hmacChecked) : m_hmac(hmacChecked) {}
ChainVerifier::~ChainVerifier() = default;

size_t ChainVerifier::heldLinks() const {
    size_t n = 0;
    for (const auto& c : m_chains) {
        n += c->rows.links.size();
        for (const auto& part : c->rows.laterLinks)
            n += part.size();
    }
    return n;
}

void ChainVerifier::add(ChainBatch&& batch) {
    for (ChainRows& in : batch.chains) {
        if (!m_zones.empty() &&
            (in.globalChain || std::find(m_zones.begin(), m_zones.end(), in.zoneId) == m_zones.end()))
            continue;
        auto it = std::find_if(m_chains.begin(), m_chains.end(), [&](const auto& c) {
            return c->rows.table == in.table && c->rows.globalChain == in.globalChain &&
                   c->rows.zoneId == in.zoneId;
        });
        if (it == m_chains.end()) {
            auto& chain = m_chains.emplace_back(std::make_unique<Chain>());
            chain->rows = std::move(in);
            chain->ordered = m_ordered;
            chain->link(chain->rows.links, chain->rows.ids);
            if (m_ordered) dropLinks(chain->rows);
            continue;
        }
        Chain& chain = **it;
        ChainRows& c = chain.rows;
        chain.link(in.links, in.ids);
        if (!m_ordered) {
            // Kept in case a later row breaks the order; joined once in finish(), where the total is known.
            c.laterLinks.push_back(std::move(in.links));
            c.laterIds.push_back(std::move(in.ids));
        }
        std::move(in.problems.begin(), in.problems.end(), std::back_inserter(c.problems));
        if (c.withoutChain == 0 && in.withoutChain) {
            c.firstWithoutChainId = in.firstWithoutChainId;
            c.firstWithoutChainRow = in.firstWithoutChainRow;
        }
        c.withoutChain += in.withoutChain;
        c.hmacChecked += in.hmacChecked;
        c.hmacFailed += in.hmacFailed;
        c.contentFailed += in.contentFailed;
        c.kinds |= in.kinds;
        for (uint32_t s : in.sources)
            if (std::find(c.sources.begin(), c.sources.end(), s) == c.sources.end()) c.sources.push_back(s);
    }
    m_unreadableCount += batch.unreadableCount;
    for (UnreadableRow& u : batch.unreadable)
        if (m_unreadable.size() < 100) m_unreadable.push_back(std::move(u));
}

ZoneVerdict ChainVerifier::verifyChain(Chain& chain) const {
    ChainRows& c = chain.rows;
    if (!chain.inOrder) {
        joinLinks(c);
        // Input order is kept among equal sequence numbers, so "the first copy" means the first one read.
        std::stable_sort(c.links.begin(), c.links.end(),
                         [](const ChainLink& a, const ChainLink& b) { return a.seq < b.seq; });
        chain.inOrder = true; // sorted now: every push succeeds
        chain.link(c.links, c.ids);
    }
    dropLinks(c);
    const ChainLinker& linker = chain.linker;
    ZoneVerdict z;
    z.table = c.table;
    z.zoneId = c.zoneId;
    z.globalChain = c.globalChain;
    z.source = describeSource(c, *this);
    z.rowsWithoutChain = c.withoutChain;
    z.rows = linker.rows();
    z.firstSeq = linker.firstSeq();
    z.lastSeq = linker.lastSeq();
    std::vector<ChainProblem> problems = std::move(c.problems);
    std::move(chain.linkProblems.begin(), chain.linkProblems.end(), std::back_inserter(problems));
    const size_t duplicatesDropped = linker.duplicatesDropped();
    if (c.withoutChain) {
        ChainProblem p;
        p.kind = ProblemKind::MissingChainFields;
        p.eventId = c.firstWithoutChainId;
        p.row = c.firstWithoutChainRow;
        p.message =
            countText(c.withoutChain, "event", "events") + " of " + zoneLabel(c) +
            (c.withoutChain == 1 ? " carries" : " carry") +
            " no chain fields (content_sha256, chain_seq), so they cannot be verified: the "
            "Caracal API's audit pages and plain event exports never include them. Read the zone from "
            "the audit service (caracal-trace verify --audit-url) or a database dump instead.";
        problems.push_back(std::move(p));
    }
    std::stable_sort(problems.begin(), problems.end(),
                     [](const ChainProblem& a, const ChainProblem& b) { return a.chainSeq < b.chainSeq; });
    for (const ChainProblem& p : problems)
        ++z.counts[static_cast<int>(p.kind)];
    z.problems = std::move(problems);
    if (chain.outOfOrder)
        z.notes.push_back(countText(chain.outOfOrder, "row", "rows") +
                          " arrived below an earlier chain_seq although the source promised chain order, so "
                          "their links were not checked: verify this zone from a file instead.");
    if (m_hmac && c.hmacChecked > 1 && c.hmacFailed == c.hmacChecked && c.contentFailed == 0)
        z.notes.push_back(
            "Every row's chain_hmac fails while the content hashes hold: the key is most likely "
            "not this deployment's AUDIT_HMAC_KEY (or Caracal ran without one).");
    if (duplicatesDropped)
        z.notes.push_back(countText(duplicatesDropped, "row", "rows") +
                          (duplicatesDropped == 1 ? " was" : " were") +
                          " read twice (the same event at the same chain_seq, e.g. overlapping "
                          "exports) and counted once.");
    return z;
}

VerifyReport ChainVerifier::finish(const std::atomic<bool>* cancel) {
    VerifyReport report;
    report.hmacChecked = false;
    std::sort(m_chains.begin(), m_chains.end(), [](const auto& pa, const auto& pb) {
        const ChainRows &a = pa->rows, &b = pb->rows;
        if (a.table != b.table) return a.table < b.table;
        if (a.globalChain != b.globalChain) return b.globalChain;
        return a.zoneId < b.zoneId;
    });
    report.zones.resize(m_chains.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next++) < m_chains.size();) {
            if (cancel && cancel->load()) return;
            report.zones[i] = verifyChain(*m_chains[i]);
        }
    };
    const unsigned threads = std::max(
        1u, std::min<unsigned>(std::thread::hardware_concurrency(), static_cast<unsigned>(m_chains.size())));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (auto& t : pool)
        t.join();
    if (cancel && cancel->load()) report.cancelled = true;
    for (const auto& c : m_chains)
        report.hmacChecked = report.hmacChecked || c->rows.hmacChecked > 0;

    report.unreadableCount = m_unreadableCount;
    report.unreadable = std::move(m_unreadable);
    for (UnreadableRow& u : report.unreadable)
        u.where = where(u.row);

    // What no offline check proves, said for this input.
    std::string heads, starts;
    for (const ZoneVerdict& z : report.zones) {
        if (!z.verified()) continue;
        const std::string name = z.globalChain ? std::string("the global admin chain") : "zone " + z.zoneId;
        heads += (heads.empty() ? "" : ", ") + name + " at chain_seq " + std::to_string(z.lastSeq);
        if (z.firstSeq > 1)
            starts += (starts.empty() ? "" : ", ") + name + " at chain_seq " + std::to_string(z.firstSeq);
    }
    if (!heads.empty())
        report.limits.push_back(
            "Rows cut from the end of a chain leave no trace offline: compare each chain's last "
            "row with the live head to know nothing was removed after it (" +
            heads + ").");
    if (!starts.empty())
        report.limits.push_back(
            "A chain that starts after chain_seq 1 cannot prove the rows before it present "
            "(for example months dropped by retention), nor its first row's link (" +
            starts + ").");
    if (!report.hmacChecked && report.verdict() != Verdict::Unverifiable)
        report.limits.push_back(
            "No key was given (--hmac-key-file or AUDIT_HMAC_KEY): someone who recomputes "
            "content hashes and links consistently is not detected; only chain_hmac proves "
            "that Caracal wrote the rows.");
    m_chains.clear();
    return report;
}

} // namespace caracal
