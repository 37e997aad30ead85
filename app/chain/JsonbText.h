#pragma once
// PostgreSQL's jsonb text output, the bytes Caracal hashes into content_sha256: object keys sorted by length
// then bytewise, ", " and ": " separators, PostgreSQL's string escapes, non-ASCII kept raw.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// A JSON string literal as PostgreSQL's jsonb text writes it (also valid JSON for any other reader).
void appendJsonbString(std::string& out, std::string_view s);

// Keys in jsonb order: by byte length, then bytewise.
inline bool jsonbKeyLess(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// Numbers print as nlohmann holds them (integers exactly; floats in shortest form). Callers that must keep a
// producer's literal (1.50) need a literal-preserving parse first.
template <class Json>
void appendJsonb(std::string& out, const Json& v, const char* itemSep = ", ", const char* keySep = ": ") {
    if (v.is_object()) {
        std::vector<const std::string*> keys;
        for (auto it = v.begin(); it != v.end(); ++it)
            keys.push_back(&it.key());
        std::sort(keys.begin(), keys.end(),
                  [](const std::string* a, const std::string* b) { return jsonbKeyLess(*a, *b); });
        out += '{';
        for (size_t i = 0; i < keys.size(); ++i) {
            if (i) out += itemSep;
            appendJsonbString(out, *keys[i]);
            out += keySep;
            appendJsonb(out, v.at(*keys[i]), itemSep, keySep);
        }
        out += '}';
    } else if (v.is_array()) {
        out += '[';
        for (size_t i = 0; i < v.size(); ++i) {
            if (i) out += itemSep;
            appendJsonb(out, v[i], itemSep, keySep);
        }
        out += ']';
    } else if (v.is_string()) {
        appendJsonbString(out, v.template get_ref<const typename Json::string_t&>());
    } else {
        out += v.dump();
    }
}

template <class Json> std::string jsonbText(const Json& value) {
    std::string out;
    appendJsonb(out, value);
    return out;
}

// jsonbText, or "null" for a null / absent value, as the hash input wants it.
template <class Json> std::string jsonbTextOrNull(const Json* value) {
    return !value || value->is_null() ? std::string("null") : jsonbText(*value);
}

} // namespace caracal
