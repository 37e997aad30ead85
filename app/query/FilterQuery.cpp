#include "query/FilterQuery.h"

#include "query/TextSearch.h"
#include "util/ParallelSlices.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <thread>

namespace caracal {

struct FilterQuery::Matcher {
    enum class Kind {
        And,
        Or,
        Not,
        Field,
        App,
        Tag,
        Policy,
        Since,
        Until,
        Text,
        Nothing
    } kind = Kind::Nothing;
    std::vector<Matcher> children;
    Field field = Field::Zone;
    TagKind tag = TagKind::Label;
    uint32_t id = StringInterner::kMissing; // exact value
    std::vector<bool> ids;                  // prefix: every interned id whose text starts with the value
    bool byPrefix = false;
    int64_t time = 0;
    std::shared_ptr<const JsonTextNeedle> text;

    bool valueMatches(uint32_t value) const {
        return byPrefix ? value < ids.size() && ids[value] : value == id;
    }
};

namespace {

using Matcher = FilterQuery::Matcher;

bool fieldMatch(const Matcher& m, const EventStore& store, RowId row, Field f) {
    return m.valueMatches(store.record(row).field(f));
}

bool eval(const Matcher& m, const EventStore& store, RowId row) {
    switch (m.kind) {
    case Matcher::Kind::And:
        for (const auto& c : m.children)
            if (!eval(c, store, row)) return false;
        return true;
    case Matcher::Kind::Or:
        for (const auto& c : m.children)
            if (eval(c, store, row)) return true;
        return false;
    case Matcher::Kind::Not:
        return !eval(m.children.front(), store, row);
    case Matcher::Kind::Field:
        return fieldMatch(m, store, row, m.field);
    case Matcher::Kind::App:
        return fieldMatch(m, store, row, Field::Application) ||
               fieldMatch(m, store, row, Field::ApplicationName);
    case Matcher::Kind::Policy:
        if (fieldMatch(m, store, row, Field::PolicySet) || fieldMatch(m, store, row, Field::PolicySetVersion))
            return true;
        [[fallthrough]];
    case Matcher::Kind::Tag:
        for (uint32_t t : store.tags(row))
            if (tagKind(t) == m.tag && m.valueMatches(t & kTagIdMask)) return true;
        return false;
    case Matcher::Kind::Since:
        return store.record(row).occurredAt >= m.time;
    case Matcher::Kind::Until:
        return store.record(row).occurredAt < m.time;
    case Matcher::Kind::Text: {
        return m.text->foundIn(store.rowText(row));
    }
    case Matcher::Kind::Nothing:
        return false;
    }
    return false;
}

std::optional<Field> indexedField(FilterKey key) {
    switch (key) {
    case FilterKey::Zone:
        return Field::Zone;
    case FilterKey::Request:
        return Field::RequestId;
    case FilterKey::Type:
        return Field::EventType;
    case FilterKey::Decision:
        return Field::Decision;
    case FilterKey::Status:
        return Field::EvaluationStatus;
    case FilterKey::Session:
        return Field::Session;
    case FilterKey::Authority:
        return Field::AuthorityRecord;
    case FilterKey::Resource:
        return Field::Resource;
    case FilterKey::DenyReason:
        return Field::DenyReason;
    default:
        return std::nullopt;
    }
}

class Compiler {
  public:
    Compiler(const EventStore& store, int64_t now) : m_store(store), m_now(now) {}
    std::optional<FilterError> error;

    Matcher compile(const FilterNode& node) {
        Matcher m;
        switch (node.kind) {
        case FilterNode::Kind::And:
        case FilterNode::Kind::Or:
        case FilterNode::Kind::Not:
            m.kind = node.kind == FilterNode::Kind::And  ? Matcher::Kind::And
                     : node.kind == FilterNode::Kind::Or ? Matcher::Kind::Or
                                                         : Matcher::Kind::Not;
            for (const auto& c : node.children)
                m.children.push_back(compile(*c));
            return m;
        case FilterNode::Kind::Term:
            break;
        }
        if (node.key == FilterKey::Since || node.key == FilterKey::Until) {
            const auto t = parseFilterTime(node.value, m_now);
            if (!t && !error) {
                const std::string_view v = node.value;
                const bool relative =
                    v.size() >= 2 && std::string_view("smhdw").find(v.back()) != std::string_view::npos &&
                    std::all_of(v.begin(), v.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
                std::string message = "\"";
                message.append(filterKeyName(node.key));
                if (relative) {
                    message += ":\" reaches back at most ";
                    message += std::to_string(kMaxRelativeFilterSeconds / 86400);
                    message += " days (100 years), not \"";
                } else {
                    message += ":\" expects 15m, 2h, 7d, now or an ISO 8601 time, not \"";
                }
                message += node.value;
                message += '"';
                error = FilterError{node.position, std::move(message)};
            }
            m.kind = node.key == FilterKey::Since ? Matcher::Kind::Since : Matcher::Kind::Until;
            m.time = t.value_or(0);
            return m;
        }
        if (node.key == FilterKey::Text) {
            m.kind = Matcher::Kind::Text;
            m.text = std::make_shared<const JsonTextNeedle>(node.value);
            return m;
        }
        if (auto f = indexedField(node.key)) {
            m.kind = Matcher::Kind::Field;
            m.field = *f;
        } else if (node.key == FilterKey::App) {
            m.kind = Matcher::Kind::App;
        } else if (node.key == FilterKey::Policy) {
            m.kind = Matcher::Kind::Policy;
            m.tag = TagKind::Policy;
        } else {
            m.kind = Matcher::Kind::Tag;
            m.tag = node.key == FilterKey::Label ? TagKind::Label : TagKind::Code;
        }
        m.byPrefix = node.prefix;
        if (node.prefix) {
            const auto& strings = m_store.strings();
            m.ids.assign(strings.size(), false);
            for (uint32_t i = 1; i < strings.size(); ++i)
                if (strings.at(i).substr(0, node.value.size()) == node.value) m.ids[i] = true;
        } else {
            m.id = m_store.strings().find(node.value);
            if (node.value.empty()) m.id = 0; // zone:"" finds events without the field
        }
        return m;
    }

  private:
    const EventStore& m_store;
    int64_t m_now;
};

// Rows to examine: the postings of the narrowest exact indexed term that every match must satisfy.
std::optional<std::span<const RowId>> candidates(const Matcher& m, const EventStore& store) {
    if (m.kind == Matcher::Kind::Field && !m.byPrefix && EventStore::isIndexed(m.field))
        return m.id == StringInterner::kMissing ? std::span<const RowId>{} : store.rowsWith(m.field, m.id);
    if (m.kind != Matcher::Kind::And) return std::nullopt;
    std::optional<std::span<const RowId>> best;
    for (const auto& c : m.children)
        if (auto s = candidates(c, store); s && (!best || s->size() < best->size())) best = s;
    return best;
}

} // namespace

std::optional<int64_t> parseFilterTime(std::string_view t, int64_t now) {
    if (t == "now") return now;
    if (t.size() >= 2) {
        const char unit = t.back();
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size() - 1, n);
        if (ec == std::errc() && end == t.data() + t.size() - 1 && n >= 0) {
            int64_t unitSeconds = 0;
            switch (unit) {
            case 's':
                unitSeconds = 1;
                break;
            case 'm':
                unitSeconds = 60;
                break;
            case 'h':
                unitSeconds = 3600;
                break;
            case 'd':
                unitSeconds = 86400;
                break;
            case 'w':
                unitSeconds = 7 * 86400;
                break;
            default:
                break;
            }
            if (unitSeconds) {
                // Checked before multiplying: since:106751992d would overflow int64 microseconds.
                if (n > kMaxRelativeFilterSeconds / unitSeconds) return std::nullopt;
                return now - n * unitSeconds * 1000000;
            }
        }
    }
    if (auto v = parseRfc3339Micros(t)) return v;
    std::string s(t);
    if (s.size() == 10)
        s += "T00:00:00";
    else if (s.size() == 16)
        s += ":00";
    return parseRfc3339Micros(s + "Z");
}

std::variant<FilterQuery, FilterError> FilterQuery::compile(const FilterNode* root, const EventStore& store,
                                                            int64_t nowMicros) {
    FilterQuery q(store);
    if (!root) return q;
    Compiler compiler(store, nowMicros);
    auto matcher = std::make_shared<Matcher>(compiler.compile(*root));
    if (compiler.error) return *compiler.error;
    q.m_root = std::move(matcher);
    return q;
}

std::variant<FilterQuery, FilterError> FilterQuery::compile(std::string_view expression,
                                                            const EventStore& store, int64_t nowMicros) {
    ParsedFilter parsed = parseFilter(expression);
    if (parsed.error) return *parsed.error;
    return compile(parsed.root.get(), store, nowMicros);
}

bool FilterQuery::matches(RowId row) const {
    return !m_root || eval(*m_root, *m_store, row);
}

std::vector<RowId> FilterQuery::run(const std::atomic<bool>* cancel) const {
    std::span<const RowId> rows = m_store->timeOrder();
    if (m_root)
        if (auto narrowed = candidates(*m_root, *m_store)) rows = *narrowed;
    if (!m_root) return {rows.begin(), rows.end()};
    // A single exact indexed term is its postings list: nothing left to test.
    if (m_root->kind == Matcher::Kind::Field && !m_root->byPrefix && EventStore::isIndexed(m_root->field))
        return {rows.begin(), rows.end()};

    // Large scans run on every core over consecutive slices; the slices' results are joined in order.
    const size_t threads = sliceCount(rows.size());
    std::vector<std::vector<RowId>> parts(threads);
    std::atomic<bool> stopped{false};
    forEachSlice(rows.size(), threads, [&](size_t part, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            if ((i & 4095) == 0 && cancel && cancel->load(std::memory_order_relaxed)) {
                stopped = true;
                return;
            }
            if (eval(*m_root, *m_store, rows[i])) parts[part].push_back(rows[i]);
        }
    });
    if (stopped) return {};
    std::vector<RowId> out = std::move(parts[0]);
    for (size_t t = 1; t < threads; ++t)
        out.insert(out.end(), parts[t].begin(), parts[t].end());
    return out;
}

} // namespace caracal
