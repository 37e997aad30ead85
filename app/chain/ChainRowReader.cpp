#include "chain/ChainRowReader.h"

#include "chain/ChainHash.h"
#include "chain/JsonbText.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

namespace caracal {

namespace {

// String-valued columns, under their database and Go search names.
enum Str : int {
    Id,
    Zone,
    EventType,
    RequestId,
    Decision,
    PolicySetId,
    PolicySetVersionId,
    ManifestSha,
    EvaluationStatus,
    OccurredAt,
    Content,
    Prev,
    Hmac,
    ActorId,
    ActorName,
    ActorScope,
    Action,
    Method,
    Path,
    EntityType,
    EntityId,
    StatusCode,
    StrCount
};
constexpr int Determining = 0, Diagnostics = 1, Metadata = 2, JsonCount = 3;
constexpr const char* kJsonNames[] = {"determining_policies_json", "diagnostics_json", "metadata_json"};
constexpr int EventObject = 100, ChainSeq = 101, Payload = 102, PageEvents = 103, JsonBase = 200;

constexpr std::pair<std::string_view, int> kColumns[] = {
    {"id", Id},
    {"zone_id", Zone},
    {"event_type", EventType},
    {"request_id", RequestId},
    {"decision", Decision},
    {"policy_set_id", PolicySetId},
    {"policy_set_version_id", PolicySetVersionId},
    {"manifest_sha", ManifestSha},
    {"evaluation_status", EvaluationStatus},
    {"occurred_at", OccurredAt},
    {"content_sha256", Content},
    {"ContentSHA256", Content},
    {"prev_content_sha256", Prev},
    {"PrevContentSHA256", Prev},
    {"chain_hmac", Hmac},
    {"ChainHMAC", Hmac},
    {"actor_id", ActorId},
    {"actor_name", ActorName},
    {"actor_scope", ActorScope},
    {"action", Action},
    {"method", Method},
    {"path", Path},
    {"entity_type", EntityType},
    {"entity_id", EntityId},
    {"status_code", StatusCode},
    {"determining_policies_json", JsonBase + Determining},
    {"diagnostics_json", JsonBase + Diagnostics},
    {"metadata_json", JsonBase + Metadata},
    {"Event", EventObject},
    {"chain_seq", ChainSeq},
    {"ChainSeq", ChainSeq},
    {"payload_json", Payload},
    {"events", PageEvents},
    {"items", PageEvents},
};

// The column a member name stands for, or -1: a small open-addressing table with a cheap hash, since every
// member of every row is looked up.
int columnOf(std::string_view key) {
    constexpr size_t kSlots = 128;
    static const auto table = [] {
        std::array<std::pair<std::string_view, int>, kSlots> t{};
        for (auto [name, col] : kColumns) {
            size_t h =
                (name.size() * 7 + static_cast<uint8_t>(name[0]) * 3 + static_cast<uint8_t>(name.back())) &
                (kSlots - 1);
            while (!t[h].first.empty())
                h = (h + 1) & (kSlots - 1);
            t[h] = {name, col};
        }
        return t;
    }();
    if (key.empty()) return -1;
    size_t h =
        (key.size() * 7 + static_cast<uint8_t>(key[0]) * 3 + static_cast<uint8_t>(key.back())) & (kSlots - 1);
    while (!table[h].first.empty()) {
        const std::string_view name = table[h].first;
        // Compared inline: names are short, and a libc call per member shows in profiles.
        if (name.size() == key.size()) {
            size_t i = 0;
            while (i < name.size() && name[i] == key[i])
                ++i;
            if (i == name.size()) return table[h].second;
        }
        h = (h + 1) & (kSlots - 1);
    }
    return -1;
}

std::string shortHash(std::string_view h) {
    return h.empty() ? "(empty)" : std::string(h);
}

// JSON.stringify of one value as given (objects keep their order).
bool appendJsStringify(JsonCursor& c, std::string& out, int depth, bool adminOrder);

bool appendJsNumber(std::string_view literal, std::string& out) {
    if (literal.find_first_of(".eE") == std::string_view::npos) {
        out.append(literal == "-0" ? "0" : literal);
        return true;
    }
    const double v = std::strtod(std::string(literal).c_str(), nullptr);
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
    return true;
}

bool appendJsStringify(JsonCursor& c, std::string& out, int depth, bool adminOrder) {
    if (depth > kMaxJsonbDepth) return c.fail(c.pos(), "nesting too deep");
    const char next = c.peek();
    if (next == '{') {
        struct Member {
            std::string key;
            std::string_view raw;
        };
        std::vector<Member> members;
        std::string_view key;
        c.beginObject();
        while (c.nextMember(key)) {
            std::string_view raw;
            if (!c.readRaw(raw)) return false;
            members.push_back({std::string(key), raw});
        }
        if (c.failed()) return false;
        if (adminOrder) {
            // The writer builds the object in this order; jsonb (a database dump) has sorted it.
            static const std::vector<std::string_view> order = {
                "rls_mode", "rls_zone_guc", "operator", "change_kind", "changed_fields", "secret_rotated"};
            std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
                const auto ia = std::find(order.begin(), order.end(), a.key) - order.begin();
                const auto ib = std::find(order.begin(), order.end(), b.key) - order.begin();
                return ia < ib;
            });
        }
        out += '{';
        for (size_t i = 0; i < members.size(); ++i) {
            if (i) out += ',';
            appendJsonbString(out, members[i].key);
            out += ':';
            JsonCursor inner(members[i].raw);
            if (!appendJsStringify(inner, out, depth + 1, false))
                return c.fail(c.pos(), inner.error().message);
        }
        out += '}';
        return true;
    }
    if (next == '[') {
        c.beginArray();
        out += '[';
        bool first = true;
        while (c.nextElement()) {
            if (!first) out += ',';
            first = false;
            if (!appendJsStringify(c, out, depth + 1, false)) return false;
        }
        out += ']';
        return !c.failed();
    }
    if (next == '"') {
        std::string s;
        if (!c.readString(s)) return false;
        appendJsonbString(out, s); // JSON.stringify escapes exactly as PostgreSQL does
        return true;
    }
    std::string_view raw;
    if (!c.readRaw(raw)) return false;
    if (raw == "true" || raw == "false" || raw == "null") {
        out.append(raw);
        return true;
    }
    return appendJsNumber(raw, out);
}

// "+00" (PostgreSQL's text for UTC) as "+00:00" for the RFC 3339 reader.
std::optional<int64_t> parseDatabaseTime(std::string_view t) {
    if (auto v = parseRfc3339Micros(t)) return v;
    if (t.size() > 3 && (t[t.size() - 3] == '+' || t[t.size() - 3] == '-')) {
        std::string withMinutes(t);
        withMinutes += ":00";
        return parseRfc3339Micros(withMinutes);
    }
    return std::nullopt;
}

} // namespace

bool appendAdminPayloadText(std::string_view json, std::string& out, JsonTextError& error) {
    JsonCursor c(json);
    if (c.isNull()) return c.atEnd() || (error = {c.pos(), "more text after null"}, false);
    if (!appendJsStringify(c, out, 0, true) ||
        (!c.atEnd() && c.fail(c.pos(), "more text after the JSON value"))) {
        error = c.error();
        return false;
    }
    return true;
}

struct ChainRowReader::Fields {
    // String columns point into the row's text (or into `decoded` when they hold escapes): no copy per row.
    std::string_view s[StrCount];
    std::string decoded[StrCount];
    uint32_t present = 0, nulls = 0;
    std::string json[JsonCount];
    uint8_t jsonPresent = 0;
    std::string jsonError[JsonCount];
    std::string payload;
    bool payloadPresent = false;
    int64_t seq = 0;
    bool hasSeq = false;
    bool search = false;

    void clear() {
        for (int i = 0; i < StrCount; ++i)
            s[i] = {};
        for (int i = 0; i < JsonCount; ++i) {
            if (jsonPresent & (1u << i)) json[i].clear();
            jsonError[i].clear();
        }
        present = nulls = 0;
        jsonPresent = 0;
        payload.clear();
        payloadPresent = false;
        seq = 0;
        hasSeq = search = false;
    }
    bool has(int f) const { return present & (1u << f); }
};

ChainRows& ChainBatch::chain(ChainTable table, std::string_view zoneId, bool global) {
    for (ChainRows& c : chains)
        if (c.table == table && c.globalChain == global && c.zoneId == zoneId) return c;
    ChainRows& c = chains.emplace_back();
    c.table = table;
    c.zoneId = zoneId;
    c.globalChain = global;
    return c;
}

ChainRowReader::ChainRowReader(std::string_view key) : m_f(std::make_unique<Fields>()) {
    if (!key.empty()) m_hmac = std::make_unique<HmacSha256>(key);
}

ChainRowReader::~ChainRowReader() = default;

void ChainRowReader::unreadable(RowPlace row, ChainBatch& out, const std::string& message) {
    ++out.unreadableCount;
    if (out.unreadable.size() < 100) out.unreadable.push_back({row, {}, message});
}

void ChainRowReader::readJson(std::string_view text, RowPlace row, ChainBatch& out) {
    m_cursor.reset(text);
    const char first = m_cursor.peek();
    if (first == '[') {
        m_cursor.beginArray();
        while (m_cursor.nextElement()) {
            if (m_cursor.peek() != '{') {
                m_cursor.fail(m_cursor.pos(), "an array item that is not an object");
                break;
            }
            readObject(row, out, 1);
            if (m_cursor.failed()) break;
        }
    } else if (first == '{') {
        readObject(row, out, 0);
    } else {
        m_cursor.fail(m_cursor.pos(), "not a JSON object or array");
    }
    if (!m_cursor.failed() && !m_cursor.atEnd()) m_cursor.fail(m_cursor.pos(), "more text after the row");
    if (m_cursor.failed())
        unreadable(row, out,
                   "column " + std::to_string(m_cursor.error().offset + 1) + ": " + m_cursor.error().message);
}

void ChainRowReader::readObject(RowPlace row, ChainBatch& out, int depth) {
    JsonCursor& c = m_cursor;
    Fields& f = *m_f;
    f.clear();
    bool page = false;
    std::string_view key;
    // Members are read into f; an "Event" object (a Go search row) adds its members to the same fields.
    auto members = [&](auto&& self, bool inEvent) -> void {
        while (c.nextMember(key)) {
            const int col = columnOf(key);
            if (col >= 0 && col < StrCount) {
                if (c.isNull()) {
                    f.nulls |= 1u << col;
                    continue;
                }
                f.present |= 1u << col;
                if (c.peek() == '"') {
                    if (!c.readStringView(f.s[col], f.decoded[col])) return;
                } else if (!c.readRaw(f.s[col])) { // status_code, or a number where text was expected
                    return;
                }
            } else if (col >= JsonBase) {
                const int j = col - JsonBase;
                const size_t at = c.pos();
                f.json[j].clear();
                f.jsonPresent |= 1u << j;
                if (c.isNull()) {
                    f.jsonPresent &= ~(1u << j);
                    continue;
                }
                if (!c.readCanonical(f.json[j])) {
                    // Valid JSON that PostgreSQL would refuse: the row cannot be recomputed, but it is read.
                    const JsonTextError e = c.error();
                    c.clearError();
                    c.setPos(at);
                    if (!c.skipValue()) return;
                    f.jsonError[j] = std::string(kJsonNames[j]) + " at byte " +
                                     std::to_string(e.offset - at + 1) + ": " + e.message;
                }
            } else if (col == EventObject && !inEvent && c.peek() == '{') {
                f.search = true;
                c.beginObject();
                self(self, true);
                if (c.failed()) return;
            } else if (col == ChainSeq) {
                if (c.isNull()) continue;
                if (!c.readInt64(f.seq)) return;
                f.hasSeq = true;
            } else if (col == Payload) {
                if (c.isNull()) continue;
                std::string_view raw;
                if (c.peek() == '"') { // a CSV-like export may hold the jsonb text as a string
                    if (!c.readString(f.payload)) return;
                } else {
                    if (!c.readRaw(raw)) return;
                    f.payload.assign(raw);
                }
                f.payloadPresent = true;
            } else if (col == PageEvents && !inEvent && depth == 0 && (c.peek() == '[' || c.peek() == 'n')) {
                page = true;
                if (c.isNull()) continue; // the audit service's empty page: "events": null
                c.beginArray();
                while (c.nextElement()) {
                    if (c.peek() != '{') {
                        c.fail(c.pos(), "a page item that is not an object");
                        return;
                    }
                    readObject(row, out, depth + 1);
                    if (c.failed()) return;
                }
                f.clear();
            } else {
                if (!c.skipValue()) return;
            }
        }
    };
    if (!c.beginObject()) return;
    members(members, false);
    if (c.failed() || page) return;
    finishRow(row, out, f.search ? SearchRows : DatabaseRows);
}

void ChainRowReader::readCsv(const std::vector<std::string>& header, const std::vector<std::string>& fields,
                             const std::vector<bool>& quoted, RowPlace row, ChainBatch& out) {
    Fields& f = *m_f;
    f.clear();
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) {
        const int col = columnOf(header[i]);
        if (col < 0) continue;
        const bool null =
            fields[i].empty() && !quoted[i]; // PostgreSQL's CSV: NULL is an unquoted empty field
        if (col >= 0 && col < StrCount) {
            if (null) {
                f.nulls |= 1u << col;
                continue;
            }
            f.present |= 1u << col;
            f.s[col] = fields[i]; // `fields` outlives the row
        } else if (col >= JsonBase) {
            const int j = col - JsonBase;
            if (null) continue;
            f.json[j].clear();
            f.jsonPresent |= 1u << j;
            JsonTextError e;
            if (!appendCanonicalJsonb(fields[i], f.json[j], e)) {
                JsonCursor probe(fields[i]);
                if (!probe.skipValue()) {
                    unreadable(row, out,
                               header[i] + " at byte " + std::to_string(e.offset + 1) + ": " + e.message);
                    return;
                }
                f.jsonError[j] = header[i] + " at byte " + std::to_string(e.offset + 1) + ": " + e.message;
            }
        } else if (col == ChainSeq) {
            if (null) continue;
            int64_t v = 0;
            const auto r = std::from_chars(fields[i].data(), fields[i].data() + fields[i].size(), v);
            if (r.ec != std::errc() || r.ptr != fields[i].data() + fields[i].size()) {
                unreadable(row, out, "chain_seq '" + fields[i].substr(0, 40) + "' is not an integer");
                return;
            }
            f.seq = v;
            f.hasSeq = true;
        } else if (col == Payload) {
            if (null) continue;
            f.payload = fields[i];
            f.payloadPresent = true;
        }
    }
    finishRow(row, out, DatabaseRows | CsvRows);
}

void ChainRowReader::finishRow(RowPlace row, ChainBatch& out, uint8_t kind) {
    Fields& f = *m_f;
    ++out.rows;
    const bool admin = f.has(Action) && f.has(Method);
    const ChainTable table = admin ? ChainTable::AdminAudit : ChainTable::AuditEvents;
    const bool global = admin && !f.has(Zone);
    if (!admin && f.s[Zone].empty()) {
        unreadable(row, out, "the row has no zone_id, so it belongs to no chain");
        return;
    }
    ChainRows& chain = out.chain(table, f.s[Zone], global);
    if (chain.sources.empty() || chain.sources.back() != row.source) chain.sources.push_back(row.source);
    const bool hasChain = !f.s[Content].empty() && f.hasSeq;
    chain.kinds |= hasChain ? kind : static_cast<uint8_t>(NoChainRows);
    if (!hasChain) {
        if (chain.withoutChain++ == 0) {
            chain.firstWithoutChainId.assign(f.s[Id]);
            chain.firstWithoutChainRow = row;
        }
        return;
    }

    // The bytes the writer hashed.
    std::string& m = m_message;
    m.clear();
    std::string cannotRecompute;
    if (admin) {
        for (int col : {Id, RequestId, ActorId, ActorName, ActorScope, Action, Method, Path, Zone, EntityType,
                        EntityId, StatusCode}) {
            m += f.s[col];
            m += '\x1f';
        }
        if (f.payloadPresent) {
            JsonTextError e;
            if (!appendAdminPayloadText(f.payload, m, e))
                cannotRecompute = "payload_json at byte " + std::to_string(e.offset + 1) + ": " + e.message;
        }
        m += '\x1f';
        const auto t = parseDatabaseTime(f.s[OccurredAt]);
        if (!t) {
            cannotRecompute =
                "occurred_at '" + std::string(f.s[OccurredAt].substr(0, 40)) + "' is not a timestamp";
        } else {
            m += formatUtcMicros(*t).substr(0, 23); // toISOString: milliseconds
            m += "Z";
        }
        m += '\x1f';
    } else {
        for (int col : {Id, Zone, EventType, RequestId, Decision, PolicySetId, PolicySetVersionId,
                        ManifestSha, EvaluationStatus}) {
            m += f.s[col];
            m += '\x1f';
        }
        for (int j = 0; j < JsonCount; ++j) {
            if (!f.jsonError[j].empty()) cannotRecompute = f.jsonError[j];
            m += (f.jsonPresent & (1u << j)) && !f.json[j].empty() ? f.json[j] : std::string_view("null");
            m += '\x1f';
        }
        const auto t = parseDatabaseTime(f.s[OccurredAt]);
        if (!t)
            cannotRecompute =
                "occurred_at '" + std::string(f.s[OccurredAt].substr(0, 40)) + "' is not an RFC 3339 time";
        else
            appendUnixNanos(m, *t); // Unix nanoseconds, microsecond precision
    }

    ChainLink link;
    link.seq = f.seq;
    link.row = row;
    link.idBegin = static_cast<uint32_t>(chain.ids.size());
    link.idLength = static_cast<uint32_t>(f.s[Id].size());
    chain.ids += f.s[Id];
    if (fromHex64(f.s[Content], link.content)) link.flags |= ChainLink::ContentValid;
    auto problem = [&](ProblemKind k, std::string expected, std::string found, std::string message) {
        ChainProblem p;
        p.kind = k;
        p.chainSeq = f.seq;
        p.eventId.assign(f.s[Id]);
        p.expected = std::move(expected);
        p.found = std::move(found);
        p.message = std::move(message);
        p.row = row;
        chain.problems.push_back(std::move(p));
    };

    if (!cannotRecompute.empty()) {
        ++chain.contentFailed;
        problem(ProblemKind::ContentMismatch, "(cannot be recomputed)", std::string(f.s[Content]),
                "The row cannot be hashed as Caracal stored it (" + cannotRecompute +
                    "): Caracal could not have written it this way, so it was altered after it was stored.");
    } else {
        const Digest32 computed = sha256(m);
        if (!(link.flags & ChainLink::ContentValid) || computed != link.content) {
            ++chain.contentFailed;
            problem(
                ProblemKind::ContentMismatch, toHex(computed), shortHash(f.s[Content]),
                (link.flags & ChainLink::ContentValid)
                    ? "The row's fields no longer hash to its content_sha256: the event was edited after it "
                      "was stored. Compare it with an earlier export or the database to see which field "
                      "changed."
                    : "content_sha256 is not a 64-digit lowercase hex hash: the stored hash itself was "
                      "altered.");
        }
    }
    if (!f.s[Prev].empty()) {
        link.flags |= ChainLink::PrevPresent;
        if (fromHex64(f.s[Prev], link.prev))
            link.flags |= ChainLink::PrevValid;
        else
            problem(ProblemKind::ChainBreak, "a 64-digit lowercase hex content_sha256",
                    std::string(f.s[Prev]),
                    "prev_content_sha256 is not a hash, so this row links to nothing: it was altered.");
    } else {
        link.flags |= ChainLink::PrevValid;
    }
    if (m_hmac) {
        ++chain.hmacChecked;
        std::string& msg = m_message; // the content message is hashed already: reuse its buffer
        msg.assign(f.s[Content]);
        msg += '|';
        msg += f.s[Prev];
        const Digest32 expected = m_hmac->mac(msg);
        Digest32 found;
        if (!fromHex64(f.s[Hmac], found) || found != expected) {
            ++chain.hmacFailed;
            problem(
                ProblemKind::HmacMismatch, toHex(expected), shortHash(f.s[Hmac]),
                f.s[Hmac].empty()
                    ? "The row carries no chain_hmac although a key was given: it was stored while Caracal "
                      "ran without AUDIT_HMAC_KEY, or the HMAC was removed."
                    : "chain_hmac does not match under the key although the row's hashes are consistent: "
                      "the row or its link was rewritten by someone without AUDIT_HMAC_KEY (or this is not "
                      "the deployment's key).");
        }
    }
    chain.links.push_back(link);
}

} // namespace caracal
