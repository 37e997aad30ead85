#include "query/TextSearch.h"

#include <cstring>

namespace caracal {

namespace {

bool hasCapital(std::string_view s) {
    for (char c : s)
        if (c >= 'A' && c <= 'Z') return true;
    return false;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool hex4(std::string_view s, size_t at, uint32_t& v) {
    if (at + 4 > s.size()) return false;
    v = 0;
    for (size_t k = at; k < at + 4; ++k) {
        const int h = hexValue(s[k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<uint32_t>(h);
    }
    return true;
}

// Whether the byte at `i` starts an escape rather than ending one: an even run of backslashes before it.
bool escapeStartsAt(std::string_view s, size_t i) {
    size_t j = i;
    while (j > 0 && s[j - 1] == '\\')
        --j;
    return (i - j) % 2 == 0;
}

uint32_t shortEscape(char e) {
    switch (e) {
    case '"':
    case '\\':
    case '/':
        return static_cast<unsigned char>(e);
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

bool isSurrogate(uint32_t cp, bool high) {
    return high ? cp >= 0xD800 && cp <= 0xDBFF : cp >= 0xDC00 && cp <= 0xDFFF;
}

// The escape starting at s[q] (a backslash): its code point and length, or false when it is not one.
bool escapeAt(std::string_view s, size_t q, uint32_t& cp, size_t& length) {
    if (q + 1 >= s.size()) return false;
    if (s[q + 1] != 'u') {
        cp = shortEscape(s[q + 1]);
        length = 2;
        return cp != 0;
    }
    if (!hex4(s, q + 2, cp)) return false;
    length = 6;
    uint32_t low = 0;
    if (isSurrogate(cp, true) && q + 7 < s.size() && s[q + 6] == '\\' && s[q + 7] == 'u' &&
        hex4(s, q + 8, low) && isSurrogate(low, false)) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        length = 12;
    }
    return true;
}

// A \uXXXX escape ending at s[end): its code point and start, or false.
bool unicodeEscapeEndingAt(std::string_view s, size_t end, uint32_t& cp, size_t& begin) {
    if (end < 6 || s[end - 6] != '\\' || s[end - 5] != 'u' || !hex4(s, end - 4, cp) ||
        !escapeStartsAt(s, end - 6))
        return false;
    begin = end - 6;
    uint32_t high = 0;
    if (isSurrogate(cp, false) && begin >= 6 && s[begin - 6] == '\\' && s[begin - 5] == 'u' &&
        hex4(s, begin - 4, high) && isSurrogate(high, true) && escapeStartsAt(s, begin - 6)) {
        cp = 0x10000 + ((high - 0xD800) << 10) + (cp - 0xDC00);
        begin -= 6;
    }
    return true;
}

// Characters some JSON writer escapes: JSON's required ones, Go's HTML-safe set, '/', and everything outside
// printable ASCII (ASCII-only writers).
bool someWriterEscapes(uint32_t cp) {
    return cp == '"' || cp == '\\' || cp == '&' || cp == '<' || cp == '>' || cp == '/' || cp < 0x20 ||
           cp >= 0x7F;
}

constexpr uint32_t kNoCodePoint = 0xFFFFFFFFu; // a byte that is not UTF-8: matched only as that byte

} // namespace

bool containsText(std::string_view hay, std::string_view needle) {
    return findText(hay, needle, !hasCapital(needle)) != std::string_view::npos;
}

JsonTextNeedle::JsonTextNeedle(std::string_view text) : m_text(text), m_fold(!hasCapital(text)) {
    // Units are the needle's characters (UTF-8 decoded); a byte that is not UTF-8 stands alone.
    for (size_t i = 0; i < m_text.size();) {
        const auto c = static_cast<unsigned char>(m_text[i]);
        size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        uint32_t cp = c < 0x80 ? c : length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
        if (length == 0 || i + length > m_text.size()) {
            length = 1;
            cp = kNoCodePoint;
        } else {
            for (size_t k = 1; k < length; ++k) {
                const auto cont = static_cast<unsigned char>(m_text[i + k]);
                if ((cont >> 6) != 2) {
                    length = 1;
                    cp = kNoCodePoint;
                    break;
                }
                cp = (cp << 6) | (cont & 0x3F);
            }
        }
        m_units.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(length)});
        i += length;
    }
    size_t runStart = 0;
    for (size_t k = 0; k <= m_units.size(); ++k) {
        if (k < m_units.size() && !someWriterEscapes(m_units[k].codePoint)) continue;
        if (k < m_units.size()) m_plain = false;
        if (k - runStart > m_coreUnits) {
            m_coreUnit = runStart;
            m_coreUnits = k - runStart;
        }
        runStart = k + 1;
    }
    if (m_coreUnits > 0) {
        const size_t begin = m_units[m_coreUnit].begin;
        const Unit& lastUnit = m_units[m_coreUnit + m_coreUnits - 1];
        m_core = m_text.substr(begin, lastUnit.begin + lastUnit.length - begin);
    }
}

bool JsonTextNeedle::foundIn(std::string_view hay) const {
    if (findText(hay, m_text, m_fold) != std::string_view::npos) return true; // as typed, raw
    if (m_plain) return false;
    if (m_core.empty()) {
        // Every character may be escaped (a needle such as "&" or "<>"): try where one could begin.
        const auto first = static_cast<unsigned char>(m_text[m_units[0].begin]);
        for (size_t q = 0; q < hay.size(); ++q)
            if ((hay[q] == '\\' || foldedByte(static_cast<unsigned char>(hay[q]), m_fold) == first) &&
                escapeStartsAt(hay, q) && forwardAt(hay, q, 0))
                return true;
        return false;
    }
    for (size_t p = 0; (p = findText(hay, m_core, m_fold, p)) != std::string_view::npos; ++p)
        if (escapeStartsAt(hay, p) && forwardAt(hay, p + m_core.size(), m_coreUnit + m_coreUnits) &&
            backwardTo(hay, p, m_coreUnit))
            return true;
    return false;
}

bool JsonTextNeedle::forwardAt(std::string_view hay, size_t q, size_t unit) const {
    for (; unit < m_units.size(); ++unit) {
        const Unit& u = m_units[unit];
        if (q >= hay.size()) return false;
        if (hay[q] == '\\') {
            uint32_t cp = 0;
            size_t length = 0;
            if (!escapeAt(hay, q, cp, length)) return false;
            if (cp < 0x80) cp = foldedByte(static_cast<unsigned char>(cp), m_fold);
            if (cp != u.codePoint) return false;
            q += length;
            continue;
        }
        // A raw quote ends the string; a raw backslash was an escape above.
        if (u.codePoint == '"' || q + u.length > hay.size() ||
            !bytesEqualAt(hay.data() + q, std::string_view(m_text).substr(u.begin, u.length), m_fold))
            return false;
        q += u.length;
    }
    return true;
}

bool JsonTextNeedle::backwardTo(std::string_view hay, size_t end, size_t unitCount) const {
    for (size_t k = unitCount; k-- > 0;) {
        const Unit& u = m_units[k];
        uint32_t cp = 0;
        size_t begin = 0;
        if (unicodeEscapeEndingAt(hay, end, cp, begin)) {
            // The last bytes are a \u escape, so the character is that escape, nothing else.
        } else if (end >= 2 && hay[end - 2] == '\\' && escapeStartsAt(hay, end - 2)) {
            cp = shortEscape(hay[end - 1]);
            if (cp == 0) return false;
            begin = end - 2;
        } else {
            if (u.codePoint == '"' || u.codePoint == '\\' || end < u.length ||
                !bytesEqualAt(hay.data() + end - u.length, std::string_view(m_text).substr(u.begin, u.length),
                              m_fold))
                return false;
            end -= u.length;
            continue;
        }
        if (cp < 0x80) cp = foldedByte(static_cast<unsigned char>(cp), m_fold);
        if (cp != u.codePoint) return false;
        end = begin;
    }
    return true;
}

} // namespace caracal
