#include "chain/JsonbCanonical.h"

#include "chain/JsonbText.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace caracal {

namespace {

// Index of the first byte in [pos, size) that ends a plain run in a string: '"', '\\' or a control byte.
size_t plainRunEnd(const char* data, size_t pos, size_t size) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
    while (pos + 16 <= size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                         _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
        const int mask = _mm_movemask_epi8(hit);
        if (mask) return pos + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        pos += 16;
    }
#endif
    while (pos < size) {
        const unsigned char c = static_cast<unsigned char>(data[pos]);
        if (c == '"' || c == '\\' || c < 0x20) break;
        ++pos;
    }
    return pos;
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// One decoded character as PostgreSQL's escape_json writes it.
void appendJsonbChar(std::string& out, uint32_t cp) {
    if (cp >= 0x20 && cp != '"' && cp != '\\') {
        appendUtf8(out, cp);
        return;
    }
    // The shared escape table: escape the character as a one-character string, then drop the quotes.
    const size_t at = out.size();
    appendJsonbString(out, std::string(1, static_cast<char>(cp)));
    out.erase(at, 1);
    out.pop_back();
}

std::string describeChar(char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02x", u);
        return std::string("byte ") + buf;
    }
    return std::string("'") + c + "'";
}

} // namespace

namespace {

enum class NumericResult { Ok, Syntax, Range };

NumericResult numericText(std::string_view s, std::string& out) {
    size_t i = 0;
    const bool negative = i < s.size() && s[i] == '-';
    if (negative) ++i;
    const size_t intBegin = i;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    const std::string_view intDigits = s.substr(intBegin, i - intBegin);
    if (intDigits.empty() || (intDigits.size() > 1 && intDigits[0] == '0')) return NumericResult::Syntax;
    std::string_view fracDigits;
    if (i < s.size() && s[i] == '.') {
        const size_t b = ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        fracDigits = s.substr(b, i - b);
        if (fracDigits.empty()) return NumericResult::Syntax;
    }
    int64_t exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) expNegative = s[i++] == '-';
        const size_t b = i;
        while (i < s.size() && isDigit(s[i])) {
            if (exponent <= 100000000)
                exponent = exponent * 10 + (s[i] - '0'); // saturates, far past the range
            ++i;
        }
        if (i == b) return NumericResult::Syntax;
        if (expNegative) exponent = -exponent;
    }
    if (i != s.size()) return NumericResult::Syntax;
    if (exponent == 0 && fracDigits.empty()) { // the common case: an integer, already numeric text
        if (negative && intDigits != "0") out += '-';
        out.append(intDigits); // "12e0" is 12
        return NumericResult::Ok;
    }
    // Digits d0 d1 ... with the decimal point after `point` of them; `scale` digits shown after it.
    const int64_t intLen = static_cast<int64_t>(intDigits.size());
    const int64_t len = intLen + static_cast<int64_t>(fracDigits.size());
    const int64_t point = intLen + exponent;
    const int64_t scale = std::max<int64_t>(0, static_cast<int64_t>(fracDigits.size()) - exponent);
    auto digit = [&](int64_t k) -> char {
        if (k < 0 || k >= len) return '0';
        return k < intLen ? intDigits[static_cast<size_t>(k)] : fracDigits[static_cast<size_t>(k - intLen)];
    };
    bool zero = true;
    int64_t firstNonZero = 0;
    for (; firstNonZero < len && zero; ++firstNonZero)
        zero = digit(firstNonZero) == '0';
    --firstNonZero;
    // PostgreSQL's numeric: "value overflows numeric format" past 16383 digits after the point, or (for a
    // value that is not zero) 131072 before it.
    if (scale > kMaxNumericScale || (!zero && point - firstNonZero > kMaxNumericIntegerDigits))
        return NumericResult::Range;
    if (negative && !zero) out += '-';
    // Integer part without leading zeros ("0" when there is none).
    int64_t first = 0;
    while (first < point && digit(first) == '0')
        ++first;
    if (first >= point)
        out += '0';
    else
        for (int64_t k = first; k < point; ++k)
            out += digit(k);
    if (scale > 0) {
        out += '.';
        for (int64_t k = point; k < point + scale; ++k)
            out += digit(k);
    }
    return NumericResult::Ok;
}

} // namespace

bool appendNumericText(std::string_view literal, std::string& out) {
    return numericText(literal, out) == NumericResult::Ok;
}

bool JsonCursor::fail(size_t at, std::string message) {
    if (m_error.message.empty()) {
        m_error.offset = at;
        m_error.message = std::move(message);
    }
    return false;
}

void JsonCursor::reset(std::string_view text) {
    m_text = text;
    m_pos = 0;
    m_error = {};
    m_keys.clear();
    m_members.clear();
    m_first.clear();
}

bool JsonCursor::consume(char c) {
    if (peek() != c) return false;
    ++m_pos;
    return true;
}

bool JsonCursor::stringToken(std::string* decoded, std::string* jsonb) {
    const size_t start = m_pos;
    const char* data = m_text.data();
    const size_t size = m_text.size();
    // Most strings hold no escape: their token is already jsonb text, copied at once.
    if (const size_t end = plainRunEnd(data, start + 1, size); end < size && data[end] == '"') {
        if (decoded) decoded->append(data + start + 1, end - start - 1);
        if (jsonb) jsonb->append(data + start, end - start + 1);
        m_pos = end + 1;
        return true;
    }
    ++m_pos; // the opening quote
    if (jsonb) *jsonb += '"';
    for (;;) {
        // Copy a run of plain bytes at once: they are the same decoded and in jsonb text.
        const size_t run = plainRunEnd(data, m_pos, size);
        if (run > m_pos) {
            if (decoded) decoded->append(data + m_pos, run - m_pos);
            if (jsonb) jsonb->append(data + m_pos, run - m_pos);
            m_pos = run;
        }
        if (m_pos >= size) return fail(start, "a string that never ends (no closing quote)");
        const char c = data[m_pos];
        if (c == '"') {
            ++m_pos;
            if (jsonb) *jsonb += '"';
            return true;
        }
        if (c != '\\')
            return fail(m_pos, "a raw control character (" + describeChar(c) +
                                   ") inside a string; JSON needs it escaped");
        if (m_pos + 1 >= size) return fail(m_pos, "a string ends inside an escape");
        const char e = data[m_pos + 1];
        uint32_t cp = 0;
        switch (e) {
        case '"':
            cp = '"';
            break;
        case '\\':
            cp = '\\';
            break;
        case '/':
            cp = '/';
            break;
        case 'b':
            cp = '\b';
            break;
        case 'f':
            cp = '\f';
            break;
        case 'n':
            cp = '\n';
            break;
        case 'r':
            cp = '\r';
            break;
        case 't':
            cp = '\t';
            break;
        case 'u': {
            auto hex4 = [&](size_t at, uint32_t& v) {
                if (at + 4 > size) return false;
                v = 0;
                for (size_t k = at; k < at + 4; ++k) {
                    const int h = hexValue(data[k]);
                    if (h < 0) return false;
                    v = v * 16 + static_cast<uint32_t>(h);
                }
                return true;
            };
            if (!hex4(m_pos + 2, cp)) return fail(m_pos, "\\u must be followed by four hex digits");
            // PostgreSQL's own limits apply only to text being converted; skipping validates JSON alone.
            if (cp == 0 && jsonb)
                return fail(m_pos, "\\u0000 cannot be stored in PostgreSQL jsonb (Caracal strips NUL before "
                                   "insert, so a hashed value never holds it)");
            if (cp >= 0xDC00 && cp <= 0xDFFF && jsonb)
                return fail(m_pos, "a lone low surrogate \\u escape (PostgreSQL rejects it)");
            if (cp >= 0xD800 && cp <= 0xDBFF && jsonb) {
                uint32_t low = 0;
                if (m_pos + 7 >= size || data[m_pos + 6] != '\\' || data[m_pos + 7] != 'u' ||
                    !hex4(m_pos + 8, low) || low < 0xDC00 || low > 0xDFFF)
                    return fail(m_pos, "a high surrogate \\u escape without its low half (PostgreSQL "
                                       "rejects it)");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                m_pos += 6;
            }
            m_pos += 4;
            break;
        }
        default:
            return fail(m_pos, "an unknown escape \\" + std::string(1, e));
        }
        m_pos += 2;
        if (decoded) appendUtf8(*decoded, cp);
        if (jsonb) appendJsonbChar(*jsonb, cp);
    }
}

bool JsonCursor::number(std::string* out) {
    const size_t start = m_pos;
    const char* data = m_text.data();
    const size_t size = m_text.size();
    size_t i = m_pos;
    bool plainInteger = true;
    if (i < size && data[i] == '-') ++i;
    while (i < size) {
        const char c = data[i];
        if (isDigit(c)) {
            ++i;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
            plainInteger = false;
            ++i;
        } else {
            break;
        }
    }
    const std::string_view literal = m_text.substr(start, i - start);
    m_pos = i;
    // Integers without a leading zero or "-0" are already numeric text.
    if (plainInteger && !literal.empty() && literal != "-" && literal[literal[0] == '-'] != '0') {
        if (out) out->append(literal);
        return true;
    }
    std::string scratch;
    std::string shown(literal.substr(0, 40)); // built by appending: GCC 12 misreads "'" + std::string(...)
    switch (numericText(literal, out ? *out : scratch)) {
    case NumericResult::Ok:
        return true;
    case NumericResult::Syntax:
        shown.insert(shown.begin(), '\'');
        shown.append("' is not a JSON number");
        return fail(start, shown);
    case NumericResult::Range:
        if (!out) return true; // valid JSON; only PostgreSQL refuses it
        break;
    }
    return fail(start,
                "the number " + std::string(literal.substr(0, 40)) +
                    " is beyond PostgreSQL numeric's range (131072 digits before the point, 16383 after)");
}

bool JsonCursor::literal(std::string_view word, std::string* out) {
    if (m_text.substr(m_pos, word.size()) != word) {
        return fail(m_pos, "unexpected " + describeChar(m_text[m_pos]) + " (expected a JSON value)");
    }
    m_pos += word.size();
    if (out) out->append(word);
    return true;
}

bool JsonCursor::value(std::string* out, int depth) {
    skipSpace();
    if (m_pos >= m_text.size()) return fail(m_pos, "a value was expected but the text ended");
    const char c = m_text[m_pos];
    switch (c) {
    case '"':
        return stringToken(nullptr, out);
    case 't':
        return literal("true", out);
    case 'f':
        return literal("false", out);
    case 'n':
        return literal("null", out);
    case '[': {
        if (depth >= kMaxJsonbDepth)
            return fail(m_pos, "nesting deeper than " + std::to_string(kMaxJsonbDepth) + " levels");
        ++m_pos;
        if (out) *out += '[';
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
            if (out) *out += ']';
            return true;
        }
        for (bool first = true;; first = false) {
            if (!first && out) out->append(", ", 2);
            if (!value(out, depth + 1)) return false;
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
                if (out) *out += ']';
                return true;
            }
            return fail(m_pos, m_pos < m_text.size()
                                   ? "expected ',' or ']' in an array, found " + describeChar(m_text[m_pos])
                                   : "an array that never ends");
        }
    }
    case '{': {
        if (depth >= kMaxJsonbDepth)
            return fail(m_pos, "nesting deeper than " + std::to_string(kMaxJsonbDepth) + " levels");
        const size_t objectStart = out ? out->size() : 0;
        ++m_pos;
        if (out) *out += '{';
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            if (out) *out += '}';
            return true;
        }
        const size_t base = m_members.size();
        const size_t keyBase = m_keys.size();
        bool ordered = true;
        for (;;) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                return fail(m_pos, m_pos < m_text.size() ? "expected a key (a string) in an object, found " +
                                                               describeChar(m_text[m_pos])
                                                         : "an object that never ends");
            if (out && m_members.size() > base) out->append(", ", 2);
            Member m{m_keys.size(), 0, out ? out->size() : 0, 0};
            if (!stringToken(out ? &m_keys : nullptr, out)) return false;
            m.keyEnd = m_keys.size();
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                return fail(m_pos, "expected ':' after an object key");
            ++m_pos;
            if (out) out->append(": ", 2);
            if (!value(out, depth + 1)) return false;
            if (out) {
                m.textEnd = out->size();
                if (m_members.size() > base && ordered) {
                    const Member& prev = m_members.back();
                    const std::string_view a(m_keys.data() + prev.keyBegin, prev.keyEnd - prev.keyBegin);
                    const std::string_view b(m_keys.data() + m.keyBegin, m.keyEnd - m.keyBegin);
                    ordered = a.size() != b.size() ? a.size() < b.size() : a < b;
                }
                m_members.push_back(m);
            }
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                break;
            }
            m_members.resize(base);
            m_keys.resize(keyBase);
            return fail(m_pos, m_pos < m_text.size()
                                   ? "expected ',' or '}' in an object, found " + describeChar(m_text[m_pos])
                                   : "an object that never ends");
        }
        if (out && !ordered) {
            // jsonb order: keys by length, then bytes; of equal keys the last one written wins.
            std::vector<size_t> order(m_members.size() - base);
            std::iota(order.begin(), order.end(), base);
            auto key = [&](size_t i) {
                return std::string_view(m_keys.data() + m_members[i].keyBegin,
                                        m_members[i].keyEnd - m_members[i].keyBegin);
            };
            std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
                const std::string_view a = key(x), b = key(y);
                return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
            m_scratch.clear();
            for (size_t k = 0; k < order.size(); ++k) {
                if (k + 1 < order.size() && key(order[k]) == key(order[k + 1])) continue;
                if (!m_scratch.empty()) m_scratch.append(", ", 2);
                const Member& m = m_members[order[k]];
                m_scratch.append(*out, m.textBegin, m.textEnd - m.textBegin);
            }
            out->resize(objectStart + 1);
            out->append(m_scratch);
        }
        m_members.resize(base);
        m_keys.resize(keyBase);
        if (out) *out += '}';
        return true;
    }
    default:
        if (c == '-' || isDigit(c)) return number(out);
        return fail(m_pos, "unexpected " + describeChar(c) + " (expected a JSON value)");
    }
}

bool JsonCursor::beginObject() {
    if (peek() != '{') return fail(m_pos, "expected a JSON object");
    ++m_pos;
    m_first.push_back(true);
    return true;
}

bool JsonCursor::nextMember(std::string_view& key) {
    if (failed() || m_first.empty()) return false;
    const char c = peek();
    if (c == '}') {
        ++m_pos;
        m_first.pop_back();
        return false;
    }
    if (!m_first.back()) {
        if (c != ',')
            return fail(m_pos, m_pos < m_text.size()
                                   ? "expected ',' or '}' in an object, found " + describeChar(m_text[m_pos])
                                   : "an object that never ends");
        ++m_pos;
    }
    m_first.back() = false;
    if (peek() != '"')
        return fail(m_pos, m_pos < m_text.size() ? "expected a key (a string) in an object, found " +
                                                       describeChar(m_text[m_pos])
                                                 : "an object that never ends");
    if (!readStringView(key, m_keyScratch)) return false;
    if (peek() != ':') return fail(m_pos, "expected ':' after the key \"" + std::string(key) + "\"");
    ++m_pos;
    return true;
}

bool JsonCursor::beginArray() {
    if (peek() != '[') return fail(m_pos, "expected a JSON array");
    ++m_pos;
    m_first.push_back(true);
    return true;
}

bool JsonCursor::nextElement() {
    if (failed() || m_first.empty()) return false;
    const char c = peek();
    if (c == ']') {
        ++m_pos;
        m_first.pop_back();
        return false;
    }
    if (!m_first.back()) {
        if (c != ',')
            return fail(m_pos, m_pos < m_text.size()
                                   ? "expected ',' or ']' in an array, found " + describeChar(m_text[m_pos])
                                   : "an array that never ends");
        ++m_pos;
    }
    m_first.back() = false;
    return true;
}

bool JsonCursor::readString(std::string& out) {
    if (peek() != '"') return fail(m_pos, "expected a string");
    out.clear();
    return stringToken(&out, nullptr);
}

bool JsonCursor::readStringView(std::string_view& out, std::string& scratch) {
    if (peek() != '"') return fail(m_pos, "expected a string");
    const size_t begin = m_pos + 1;
    const size_t run = plainRunEnd(m_text.data(), begin, m_text.size());
    if (run < m_text.size() && m_text[run] == '"') { // no escape, no control character: the bytes as they are
        out = m_text.substr(begin, run - begin);
        m_pos = run + 1;
        return true;
    }
    scratch.clear();
    if (!stringToken(&scratch, nullptr)) return false;
    out = scratch;
    return true;
}

bool JsonCursor::readNullableString(std::string& out) {
    if (isNull()) {
        out.clear();
        return true;
    }
    return readString(out);
}

bool JsonCursor::isNull() {
    if (peek() == 'n' && m_text.substr(m_pos, 4) == "null") {
        m_pos += 4;
        return true;
    }
    return false;
}

bool JsonCursor::readCanonical(std::string& out) {
    m_members.clear(); // an earlier failed value may have left its members
    m_keys.clear();
    return value(&out, 0);
}

bool JsonCursor::skipValue() {
    return value(nullptr, 0);
}

void JsonCursor::clearError() {
    m_error = {};
}

bool JsonCursor::readRaw(std::string_view& raw) {
    skipSpace();
    const size_t b = m_pos;
    if (!skipValue()) return false;
    raw = m_text.substr(b, m_pos - b);
    return true;
}

bool JsonCursor::readInt64(int64_t& out) {
    const char c = peek();
    const size_t start = m_pos;
    std::string_view digits;
    if (c == '"') {
        std::string s;
        if (!readString(s)) return false;
        m_scratch = s;
        digits = m_scratch;
    } else {
        if (!readRaw(digits)) return false;
    }
    const bool negative = !digits.empty() && digits[0] == '-';
    const std::string_view body = digits.substr(negative);
    if (body.empty() || body.size() > 18 || !std::all_of(body.begin(), body.end(), isDigit))
        return fail(start, "expected an integer, found " + std::string(digits.substr(0, 40)));
    int64_t v = 0;
    for (char d : body)
        v = v * 10 + (d - '0');
    out = negative ? -v : v;
    return true;
}

bool appendCanonicalJsonb(std::string_view json, std::string& out, JsonTextError& error) {
    JsonCursor cursor(json);
    if (!cursor.readCanonical(out) || !cursor.atEnd()) {
        if (!cursor.failed()) cursor.fail(cursor.pos(), "more text after the JSON value");
        error = cursor.error();
        return false;
    }
    return true;
}

std::string canonicalJsonb(std::string_view json, JsonTextError& error) {
    std::string out;
    if (!appendCanonicalJsonb(json, out, error)) return {};
    return out;
}

} // namespace caracal
