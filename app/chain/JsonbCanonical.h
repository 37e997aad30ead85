#pragma once
// JSON text to PostgreSQL jsonb text, straight from the bytes: the value Caracal hashed is `$1::jsonb::text`,
// and every number literal must survive (1.50 stays 1.50, 1e2 becomes 100, 20-digit integers stay exact), so
// no double-based parser is involved. Also decodes JSON strings for the row readers.
//
// Limits (each a located error, never a crash): nesting deeper than kMaxJsonbDepth, a number beyond
// PostgreSQL numeric's range (more than 131072 digits before the point or 16383 after, once its exponent is
// expanded: PostgreSQL rejects it too), \u0000 (PostgreSQL cannot store it), a lone UTF-16 surrogate,
// raw control characters in strings, anything that is not JSON. UTF-8 is passed through unchecked.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

constexpr int kMaxJsonbDepth = 512;
constexpr int64_t kMaxNumericIntegerDigits = 131072, kMaxNumericScale = 16383;

struct JsonTextError {
    size_t offset = 0; // byte offset in the input where the problem is
    std::string message;
};

// Appends the jsonb text of the one JSON value in `json` (whitespace around it allowed) to `out`. On error
// returns false, fills `error` and leaves `out` with unspecified extra bytes.
bool appendCanonicalJsonb(std::string_view json, std::string& out, JsonTextError& error);

// Convenience: the jsonb text, or an empty string and `error` set.
std::string canonicalJsonb(std::string_view json, JsonTextError& error);

// PostgreSQL numeric text of a JSON number literal (e.g. "1E+3" -> "1000", "-0" -> "0", "1.0e-2" -> "0.010").
// False when `literal` is not a JSON number or is beyond numeric's range.
bool appendNumericText(std::string_view literal, std::string& out);

// A small cursor over JSON text for the row readers: they walk objects member by member and decode only the
// fields they need; everything else is validated and skipped.
class JsonCursor {
  public:
    explicit JsonCursor(std::string_view text = {}) : m_text(text) {}
    // Reads other text, keeping the buffers (one cursor per worker, not per row).
    void reset(std::string_view text);

    size_t pos() const { return m_pos; }
    void setPos(size_t p) { m_pos = p; }
    std::string_view text() const { return m_text; }
    void skipSpace() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
            ++m_pos;
        }
    }
    bool atEnd() {
        skipSpace();
        return m_pos >= m_text.size();
    }
    // The next non-space byte, or 0 at the end.
    char peek() {
        skipSpace();
        return m_pos < m_text.size() ? m_text[m_pos] : '\0';
    }
    bool consume(char c);

    // Object walking: after beginObject(), call nextMember(key) until it returns false (then check
    // failed()). Each member's value must be read or skipped before the next call. `key` points into the
    // text, or (when it holds escapes) into the cursor, until the next call.
    bool beginObject();
    bool nextMember(std::string_view& key);
    bool beginArray();
    bool nextElement();

    bool readString(std::string& out); // a JSON string, decoded to UTF-8
    // The same without a copy when the string has no escape: `out` points into the text, else into `scratch`.
    bool readStringView(std::string_view& out, std::string& scratch);
    bool readCanonical(std::string& out);      // any value, appended as jsonb text
    bool skipValue();                          // any value, validated as JSON (PostgreSQL's limits aside)
    bool readRaw(std::string_view& raw);       // any value, validated; its exact bytes
    bool readInt64(int64_t& out);              // an integer number (or a string holding one)
    bool readNullableString(std::string& out); // a string, or null read as ""
    bool isNull();                             // consumes a null literal when one is next

    bool failed() const { return !m_error.message.empty(); }
    const JsonTextError& error() const { return m_error; }
    bool fail(size_t at, std::string message);
    // After a value that only PostgreSQL refuses (\u0000, an exponent out of range): go on reading.
    void clearError();

  private:
    bool value(std::string* out, int depth);
    bool stringToken(std::string* decoded, std::string* jsonb);
    bool number(std::string* out);
    bool literal(std::string_view word, std::string* out);

    std::string_view m_text;
    size_t m_pos = 0;
    JsonTextError m_error;
    // Object members being sorted, a stack shared by all nesting levels (no allocation per object).
    struct Member {
        size_t keyBegin, keyEnd;   // decoded key in m_keys
        size_t textBegin, textEnd; // `"key": value` in the output
    };
    std::string m_keys;
    std::vector<Member> m_members;
    std::string m_scratch, m_keyScratch;
    std::vector<bool> m_first; // per walked container: no member read yet
};

} // namespace caracal
