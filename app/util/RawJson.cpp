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
        if (k == key) found = v; // the last duplicate wins, as in PostgreSQL jsonb
        return true;
    });
    return found;
}

} // namespace caracal::rawjson
