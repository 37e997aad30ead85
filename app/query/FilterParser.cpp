#include "query/FilterParser.h"

#include <algorithm>
#include <cctype>

namespace caracal {

namespace {

struct NamedKey {
    std::string_view name;
    FilterKey key;
};
// Canonical names first; the rest are aliases spelled as Caracal's wire fields.
constexpr NamedKey kKeys[] = {{"zone", FilterKey::Zone},          {"request", FilterKey::Request},
                              {"type", FilterKey::Type},          {"decision", FilterKey::Decision},
                              {"status", FilterKey::Status},      {"app", FilterKey::App},
                              {"session", FilterKey::Session},    {"authority", FilterKey::Authority},
                              {"resource", FilterKey::Resource},  {"label", FilterKey::Label},
                              {"reason", FilterKey::Reason},      {"deny_reason", FilterKey::DenyReason},
                              {"policy", FilterKey::Policy},      {"since", FilterKey::Since},
                              {"until", FilterKey::Until},        {"zone_id", FilterKey::Zone},
                              {"request_id", FilterKey::Request}, {"event_type", FilterKey::Type},
                              {"application", FilterKey::App},    {"evaluation_status", FilterKey::Status}};
constexpr size_t kCanonicalKeys = 15;

class Parser {
  public:
    explicit Parser(std::string_view text) : m_text(text) {}

    ParsedFilter run() {
        ParsedFilter out;
        if (m_text.size() > kMaxFilterLength) {
            out.error = FilterError{kMaxFilterLength, "the filter is longer than " +
                                                          std::to_string(kMaxFilterLength) + " bytes"};
            return out;
        }
        skipSpace();
        if (m_pos >= m_text.size()) return out;
        out.root = parseOr();
        if (!m_error && m_pos < m_text.size()) {
            if (m_text[m_pos] == ')')
                fail(m_pos, "unexpected \")\" with no matching \"(\"");
            else
                fail(m_pos, "expected a term");
        }
        if (m_error) {
            out.root.reset();
            out.error = m_error;
        }
        return out;
    }

  private:
    void skipSpace() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    void fail(size_t pos, std::string message) {
        if (!m_error) m_error = FilterError{pos, std::move(message)};
    }
    bool atKeyword(std::string_view word) const {
        if (m_text.substr(m_pos, word.size()) != word) return false;
        const size_t end = m_pos + word.size();
        return end >= m_text.size() || std::isspace(static_cast<unsigned char>(m_text[end])) ||
               m_text[end] == '(' || m_text[end] == '"';
    }
    bool atTermEnd() const { return m_pos >= m_text.size() || m_text[m_pos] == ')' || atKeyword("OR"); }

    std::unique_ptr<FilterNode> parseOr() {
        std::vector<std::unique_ptr<FilterNode>> parts;
        parts.push_back(parseAnd());
        while (!m_error && atKeyword("OR")) {
            const size_t at = m_pos;
            m_pos += 2;
            skipSpace();
            if (atTermEnd()) {
                fail(at, "expected a term after OR");
                break;
            }
            parts.push_back(parseAnd());
        }
        return parts.size() == 1 ? std::move(parts.front())
                                 : FilterNode::group(FilterNode::Kind::Or, std::move(parts));
    }

    std::unique_ptr<FilterNode> parseAnd() {
        std::vector<std::unique_ptr<FilterNode>> parts;
        while (!m_error) {
            skipSpace();
            if (atKeyword("AND")) {
                m_pos += 3;
                skipSpace();
                if (atTermEnd()) fail(m_pos, "expected a term after AND");
                continue;
            }
            if (atTermEnd()) break;
            parts.push_back(parseUnary());
        }
        if (parts.empty()) {
            fail(m_pos, m_pos < m_text.size() && m_text[m_pos] == ')' ? "expected a term before \")\""
                                                                      : "expected a term");
            return nullptr;
        }
        return parts.size() == 1 ? std::move(parts.front())
                                 : FilterNode::group(FilterNode::Kind::And, std::move(parts));
    }

    // Bounds the recursion of parseUnary: one level per "(", "-" or NOT.
    struct Nesting {
        explicit Nesting(size_t& depth) : m_depth(++depth) {}
        ~Nesting() { --m_depth; }
        size_t& m_depth;
    };

    std::unique_ptr<FilterNode> parseUnary() {
        const size_t at = m_pos;
        const bool opens = m_text[m_pos] == '-' || m_text[m_pos] == '(' || atKeyword("NOT");
        const Nesting nesting(m_depth);
        if (opens && m_depth > kMaxFilterNesting) {
            fail(at,
                 "groups and negations nest deeper than " + std::to_string(kMaxFilterNesting) + " levels");
            return nullptr;
        }
        if (m_text[m_pos] == '-' || atKeyword("NOT")) {
            const bool dash = m_text[m_pos] == '-';
            m_pos += dash ? 1 : 3;
            if (dash && (atTermEnd() || std::isspace(static_cast<unsigned char>(m_text[m_pos])))) {
                fail(at, "expected a term right after \"-\"");
                return nullptr;
            }
            skipSpace();
            if (atTermEnd()) {
                fail(at, "expected a term after NOT");
                return nullptr;
            }
            std::vector<std::unique_ptr<FilterNode>> inner;
            inner.push_back(parseUnary());
            auto node = FilterNode::group(FilterNode::Kind::Not, std::move(inner));
            node->position = at;
            return node;
        }
        if (m_text[m_pos] == '(') {
            ++m_pos;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ')') {
                fail(m_pos, "expected a term inside \"( )\"");
                return nullptr;
            }
            auto inner = parseOr();
            skipSpace();
            if (!m_error && (m_pos >= m_text.size() || m_text[m_pos] != ')'))
                fail(m_pos, "expected \")\" to close the \"(\" at column " + std::to_string(at + 1));
            ++m_pos;
            return inner;
        }
        return parseTerm();
    }

    // Reads a bare word or a quoted string starting at m_pos.
    std::optional<std::string> readValue(bool& quoted) {
        quoted = false;
        std::string value;
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            const size_t open = m_pos++;
            quoted = true;
            while (m_pos < m_text.size() && m_text[m_pos] != '"') {
                if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) ++m_pos;
                value += m_text[m_pos++];
            }
            if (m_pos >= m_text.size()) {
                fail(open, "unterminated quote: expected a closing \"");
                return std::nullopt;
            }
            ++m_pos;
            return value;
        }
        while (m_pos < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[m_pos])) &&
               m_text[m_pos] != '(' && m_text[m_pos] != ')' && m_text[m_pos] != '"')
            value += m_text[m_pos++];
        return value;
    }

    std::unique_ptr<FilterNode> parseTerm() {
        const size_t at = m_pos;
        // field:value when the word before ':' names a field; resource://x typed bare is free text.
        size_t colon = at;
        while (colon < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[colon])) || m_text[colon] == '_'))
            ++colon;
        if (colon > at && colon < m_text.size() && m_text[colon] == ':' && m_text.substr(colon, 3) != "://") {
            const std::string_view name = m_text.substr(at, colon - at);
            const auto key = filterKeyFromName(name);
            const bool looksLikeField = std::all_of(name.begin(), name.end(), [](char c) {
                return std::islower(static_cast<unsigned char>(c)) || c == '_';
            });
            if (!key && looksLikeField) {
                std::string known;
                for (size_t i = 0; i < kCanonicalKeys; ++i)
                    known += (i ? ", " : "") + std::string(kKeys[i].name);
                fail(at, "unknown field \"" + std::string(name) + "\"; expected one of " + known);
                return nullptr;
            }
            if (key) {
                m_pos = colon + 1;
                bool quoted = false;
                auto value = readValue(quoted);
                if (!value) return nullptr;
                if (value->empty() && !quoted) {
                    fail(m_pos, "expected a value after \"" + std::string(name) + ":\"");
                    return nullptr;
                }
                return makeTerm(*key, std::move(*value), quoted, at);
            }
        }
        bool quoted = false;
        auto value = readValue(quoted);
        if (!value) return nullptr;
        if (value->empty() && !quoted) {
            fail(at, "expected a term");
            return nullptr;
        }
        auto node = FilterNode::term(FilterKey::Text, std::move(*value), at);
        return node;
    }

    std::unique_ptr<FilterNode> makeTerm(FilterKey key, std::string value, bool quoted, size_t at) {
        auto node = FilterNode::term(key, std::move(value), at);
        if (!quoted && node->value.size() > 1 && node->value.back() == '*' && key != FilterKey::Since &&
            key != FilterKey::Until) {
            node->value.pop_back();
            node->prefix = true;
        }
        return node;
    }

    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_depth = 0;
    std::optional<FilterError> m_error;
};

} // namespace

std::unique_ptr<FilterNode> FilterNode::term(FilterKey key, std::string value, size_t position) {
    auto node = std::make_unique<FilterNode>();
    node->key = key;
    node->value = std::move(value);
    node->position = position;
    return node;
}

std::unique_ptr<FilterNode> FilterNode::group(Kind kind, std::vector<std::unique_ptr<FilterNode>> children) {
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    if (!children.empty() && children.front()) node->position = children.front()->position;
    node->children = std::move(children);
    return node;
}

ParsedFilter parseFilter(std::string_view expression) {
    return Parser(expression).run();
}

const std::vector<std::string_view>& filterFieldNames() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (size_t i = 0; i < kCanonicalKeys; ++i)
            v.push_back(kKeys[i].name);
        return v;
    }();
    return names;
}

std::optional<FilterKey> filterKeyFromName(std::string_view name) {
    for (const auto& k : kKeys)
        if (k.name == name) return k.key;
    return std::nullopt;
}

std::string_view filterKeyName(FilterKey key) {
    for (const auto& k : kKeys)
        if (k.key == key) return k.name;
    return "text";
}

} // namespace caracal
