#pragma once
// Free text found in raw event bytes the way a user reads the event. Events arrive in several encodings of
// the same string: JSON's required escapes (\" \\), Go's HTML-safe escapes (& < > as \u0026 \u003c \u003e,
// U+2028 as \u2028), ASCII-only writers (é as \u00e9, emoji as surrogate pairs), \/ for /, upper- or
// lower-case hex, and any mix of these inside one string. A needle matches the raw bytes as typed or the
// decoded text of the string, whatever escapes were used where.
//
// The common search (no character any writer escapes) is one vectorised scan. A needle with such characters
// scans for its longest run of plain characters and decodes escapes only around those hits.
#include "util/TextFind.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// Case-insensitive when the needle has no capital letter (smart case), exact otherwise.
bool containsText(std::string_view haystack, std::string_view needle);

class JsonTextNeedle {
  public:
    explicit JsonTextNeedle(std::string_view text);

    // Whether the text occurs in `rawJson` as typed, or in one of its strings once their escapes are decoded.
    bool foundIn(std::string_view rawJson) const;
    const std::string& text() const { return m_text; }

  private:
    struct Unit {
        uint32_t codePoint;     // what an escape must decode to (ASCII letters lower-cased when folding)
        uint32_t begin, length; // its bytes in m_text, compared when the haystack has it unescaped
    };
    bool forwardAt(std::string_view hay, size_t at, size_t firstUnit) const;
    bool backwardTo(std::string_view hay, size_t end, size_t unitCount) const;

    std::string m_text;
    bool m_fold = false;
    std::vector<Unit> m_units;
    // The longest run of units no writer escapes: [m_coreUnit, m_coreUnit + m_coreUnits), its bytes m_core.
    size_t m_coreUnit = 0, m_coreUnits = 0;
    std::string m_core;
    bool m_plain = true; // no unit a writer escapes: the raw scan alone decides
};

} // namespace caracal
