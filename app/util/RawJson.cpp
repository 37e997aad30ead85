#include "util/RawJson.h"

namespace caracal::rawjson {

namespace {
bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
size_t skipSpace(std::string_view t, size_t p) {
    while (p < t.size() && isSpace(t[p]))
        ++p;
    return p;
}
size_t skipString(std::string_view t, size_t p) { // p at the opening quote
    for (++p; p < t.size(); ++p) {
        if (t[p] == '\\')
            ++p;
        else if (t[p] == '"')
            return p + 1;
    }
    return t.size();
}
} // namespace

size_t depthExceededAt(std::string_view t, size_t maxDepth) {
    size_t depth = 0;
    for (size_t p = 0; p < t.size(); ++p) {
        const char c = t[p];
        if (c == '"') {
            p = skipString(t, p) - 1;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth) return p;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
// The code unit of "\uXXXX" at s[p] (p at the backslash), or -1.
long hex4(std::string_view s, size_t p) {
    if (p + 6 > s.size() || s[p] != '\\' || s[p + 1] != 'u') return -1;
    long v = 0;
    for (size_t i = p + 2; i < p + 6; ++i) {
        const int h = hexValue(s[i]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}
void appendUtf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}
} // namespace

std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t p = 0; p < s.size(); ++p) {
        if (s[p] != '\\' || p + 1 >= s.size()) {
            out += s[p];
            continue;
        }
        const char e = s[++p];
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            long cu = hex4(s, p - 1);
            if (cu < 0) { // not valid JSON; keep the text as written
                out += "\\u";
                break;
            }
            p += 4;
            unsigned long cp = static_cast<unsigned long>(cu);
            if (cu >= 0xD800 && cu < 0xDC00) {
                const long low = hex4(s, p + 1);
                if (low >= 0xDC00 && low < 0xE000) {
                    cp = 0x10000 + ((static_cast<unsigned long>(cu) - 0xD800) << 10) +
                         (static_cast<unsigned long>(low) - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cu >= 0xDC00 && cu < 0xE000) {
                cp = 0xFFFD;
            }
            appendUtf8(out, cp);
            break;
        }
        default: // \" \\ \/
            out += e;
        }
    }
    return out;
}

bool keyIs(std::string_view rawKey, std::string_view key) {
    if (rawKey.find('\\') == std::string_view::npos) return rawKey == key;
    return unescape(rawKey) == key;
}

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && isSpace(s[b]))
        ++b;
    while (e > b && isSpace(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

size_t skipValue(std::string_view t, size_t p) {
    p = skipSpace(t, p);
    if (p >= t.size()) return p;
    if (t[p] == '"') return skipString(t, p);
    if (t[p] == '{' || t[p] == '[') {
        // Iterative: nesting depth is bounded only by the validating parser.
        size_t depth = 0;
        for (; p < t.size(); ++p) {
            const char c = t[p];
            if (c == '"') {
                p = skipString(t, p) - 1;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) return p + 1;
            }
        }
        return t.size();
    }
    while (p < t.size() && t[p] != ',' && t[p] != '}' && t[p] != ']' && !isSpace(t[p]))
        ++p;
    return p;
}

bool forEachMember(std::string_view o, const std::function<bool(std::string_view, std::string_view)>& fn) {
    size_t p = skipSpace(o, 0);
    if (p >= o.size() || o[p] != '{') return false;
    p = skipSpace(o, p + 1);
    while (p < o.size() && o[p] == '"') {
        const size_t keyEnd = skipString(o, p);
        const std::string_view key = o.substr(p + 1, keyEnd - p - 2);
        p = skipSpace(o, keyEnd);
        if (p >= o.size() || o[p] != ':') return true;
        const size_t valueStart = skipSpace(o, p + 1);
        const size_t valueEnd = skipValue(o, valueStart);
        if (!fn(key, o.substr(valueStart, valueEnd - valueStart))) return true;
        p = skipSpace(o, valueEnd);
        if (p < o.size() && o[p] == ',')
            p = skipSpace(o, p + 1);
        else
            break;
    }
    return true;
}

bool forEachElement(std::string_view a, const std::function<void(std::string_view)>& fn) {
    size_t p = skipSpace(a, 0);
    if (p >= a.size() || a[p] != '[') return false;
    p = skipSpace(a, p + 1);
    while (p < a.size() && a[p] != ']') {
        const size_t end = skipValue(a, p);
        fn(a.substr(p, end - p));
        p = skipSpace(a, end);
        if (p < a.size() && a[p] == ',')
            p = skipSpace(a, p + 1);
        else
            break;
    }
    return true;
}

std::optional<std::string_view> member(std::string_view object, std::string_view key) {
    std::optional<std::string_view> found;
    forEachMember(object, [&](std::string_view k, std::string_view v) {
        if (keyIs(k, key)) found = v; // the last duplicate wins, as in encoding/json and jsonb
        return true;
    });
    return found;
}

} // namespace caracal::rawjson
