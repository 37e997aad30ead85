#pragma once
// Byte-exact navigation of JSON text that a validating parser has already accepted. Used to keep every
// event's own bytes (numbers, key order and escapes as the producer wrote them) without copying or
// re-serialising.
#include <functional>
#include <optional>
#include <string_view>

namespace caracal::rawjson {

// The deepest nesting of objects and arrays the engine accepts anywhere (simdjson's default, too).
constexpr size_t kMaxDepth = 1024;

// Offset of the bracket that opens level maxDepth + 1, or npos when the text never nests that deep.
size_t depthExceededAt(std::string_view text, size_t maxDepth = kMaxDepth);

// The text of a JSON string's contents (between the quotes) with escapes decoded as Go's encoding/json
// decodes them: \uXXXX pairs become UTF-8, a lone surrogate becomes U+FFFD.
std::string unescape(std::string_view rawContents);

// Whether a raw key (escapes as written) names `key` once decoded: "\u0069d" is "id".
bool keyIs(std::string_view rawKey, std::string_view key);

// Position just past the value starting at `pos` (after leading whitespace). The text must be valid JSON.
size_t skipValue(std::string_view text, size_t pos);

// Calls fn(rawKey, rawValue) for each member of a top-level object. rawKey excludes the quotes but keeps any
// escapes; rawValue is the exact value text. Returns false when `object` is not an object. fn returns false
// to stop.
bool forEachMember(std::string_view object,
                   const std::function<bool(std::string_view key, std::string_view value)>& fn);

// Calls fn(rawElement) for each element of a top-level array. Returns false when `array` is not an array.
bool forEachElement(std::string_view array, const std::function<void(std::string_view)>& fn);

// Exact text of a top-level member's value, if present. Keys compare decoded, and the last duplicate wins,
// as Caracal's Go consumer (encoding/json) and PostgreSQL's jsonb read them.
std::optional<std::string_view> member(std::string_view object, std::string_view key);

std::string_view trim(std::string_view s);

} // namespace caracal::rawjson
