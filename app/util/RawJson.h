#pragma once
// Byte-exact navigation of JSON text that a validating parser has already accepted. Used to keep every
// event's own bytes (numbers, key order and escapes as the producer wrote them) without copying or
// re-serialising.
#include <functional>
#include <optional>
#include <string_view>

namespace caracal::rawjson {

// Position just past the value starting at `pos` (after leading whitespace). The text must be valid JSON.
size_t skipValue(std::string_view text, size_t pos);

// Calls fn(rawKey, rawValue) for each member of a top-level object. rawKey excludes the quotes but keeps any
// escapes; rawValue is the exact value text. Returns false when `object` is not an object. fn returns false
// to stop.
bool forEachMember(std::string_view object,
                   const std::function<bool(std::string_view key, std::string_view value)>& fn);

// Calls fn(rawElement) for each element of a top-level array. Returns false when `array` is not an array.
bool forEachElement(std::string_view array, const std::function<void(std::string_view)>& fn);

// Exact text of a top-level member's value, if present.
std::optional<std::string_view> member(std::string_view object, std::string_view key);

std::string_view trim(std::string_view s);

} // namespace caracal::rawjson
