#pragma once
// Type-checked reads of nlohmann JSON values from untrusted input. nlohmann's value(key, default) throws when
// the member exists with another type (or the value is not an object); these return the fallback instead.
#include "util/RawJson.h"

#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace caracal::jsonfield {

// The member's string, or `fallback` when `object` is not an object, lacks the key or holds another type.
template <class J> std::string text(const J& object, std::string_view key, std::string fallback = {}) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(std::string(key));
    return it != object.end() && it->is_string() ? it->template get<std::string>() : fallback;
}

// The member's integer when it is a JSON integer within [lo, hi]; nullopt otherwise.
template <class J>
std::optional<int64_t> integer(const J& object, std::string_view key,
                               int64_t lo = std::numeric_limits<int64_t>::min(),
                               int64_t hi = std::numeric_limits<int64_t>::max()) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(std::string(key));
    if (it == object.end()) return std::nullopt;
    if (it->is_number_unsigned()) {
        const uint64_t u = it->template get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
        const int64_t v = static_cast<int64_t>(u);
        return v >= lo && v <= hi ? std::optional<int64_t>(v) : std::nullopt;
    }
    if (!it->is_number_integer()) return std::nullopt;
    const int64_t v = it->template get<int64_t>();
    return v >= lo && v <= hi ? std::optional<int64_t>(v) : std::nullopt;
}

// A value that is an integer within int's range, for fields stored as int.
template <class J> std::optional<int> intValue(const J& v) {
    if (v.is_number_unsigned()) {
        const uint64_t u = v.template get<uint64_t>();
        return u <= static_cast<uint64_t>(std::numeric_limits<int>::max()) ? std::optional<int>(int(u))
                                                                           : std::nullopt;
    }
    if (!v.is_number_integer()) return std::nullopt;
    const int64_t i = v.template get<int64_t>();
    return i >= std::numeric_limits<int>::min() && i <= std::numeric_limits<int>::max()
               ? std::optional<int>(int(i))
               : std::nullopt;
}

// Parses untrusted JSON text: nesting past rawjson::kMaxDepth, a number beyond a double's range (1e999) or
// any syntax error leaves `error` set (with the byte offset) and returns a discarded value; never throws.
template <class J> J parse(std::string_view text, std::string& error) {
    error.clear();
    if (const size_t at = rawjson::depthExceededAt(text, rawjson::kMaxDepth); at != std::string_view::npos) {
        error = "nested deeper than " + std::to_string(rawjson::kMaxDepth) + " levels at byte " +
                std::to_string(at + 1);
        return J(J::value_t::discarded);
    }
    try {
        return J::parse(text);
    } catch (const std::exception& e) { // parse_error, and out_of_range for numbers beyond a double
        error = e.what();
        if (const size_t cut = error.find("] ");
            error.rfind("[json.exception.", 0) == 0 && cut != std::string::npos)
            error.erase(0, cut + 2);
        // nlohmann names an out-of-range number ("number overflow parsing '1e999'") but not where it is.
        if (const size_t open = error.find(" parsing '");
            error.rfind("number overflow", 0) == 0 && open != std::string::npos) {
            const std::string literal = error.substr(open + 10, error.size() - open - 11);
            if (const size_t at = text.find(literal); !literal.empty() && at != std::string_view::npos)
                error += " at byte " + std::to_string(at + 1) + " (beyond the range of a double)";
        }
        return J(J::value_t::discarded);
    }
}

} // namespace caracal::jsonfield
