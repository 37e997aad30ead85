#include "util/RawMetadataRedaction.h"

#include "util/MetadataRedaction.h"
#include "util/RawJson.h"

#include <cstring>
#include <vector>

namespace caracal {

namespace {

// A tolerant, bounds-checked walk over JSON text. It does not validate everything a parser would (events in a
// store were validated when loaded); it only has to find value boundaries without ever reading past the end
// and to give up on text it cannot follow.
class Scanner {
  public:
    Scanner(std::string_view text, std::vector<std::pair<size_t, size_t>>& spans) : t(text), m_spans(spans) {}

    // The top-level event object: only metadata_json members are looked into.
    bool event() {
        skipSpace();
        if (!object(0, Mode::Event)) return false;
        skipSpace();
        return p == t.size();
    }

  private:
    enum class Mode { Skip, Event, Metadata };

    void skipSpace() {
        while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
            ++p;
    }

    // At an opening quote: moves past the closing one; [begin, end) are the raw contents.
    bool string(size_t& begin, size_t& end) {
        if (p >= t.size() || t[p] != '"') return false;
        begin = ++p;
        while (p < t.size()) {
            // memchr finds the next quote quickly; a backslash before it may escape it.
            const void* q = std::memchr(t.data() + p, '"', t.size() - p);
            if (!q) return false;
            const size_t quote = size_t(static_cast<const char*>(q) - t.data());
            size_t backslashes = 0;
            while (quote - backslashes > begin && t[quote - backslashes - 1] == '\\')
                ++backslashes;
            p = quote + 1;
            if (backslashes % 2 == 0) {
                end = quote;
                return true;
            }
        }
        return false;
    }

    bool scalar() {
        const size_t start = p;
        while (p < t.size()) {
            const char c = t[p];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
            if (c == '"' || c == '{' || c == '[' || c == ':') return false;
            ++p;
        }
        return p > start;
    }

    bool value(size_t depth, Mode mode) {
        skipSpace();
        if (p >= t.size()) return false;
        const char c = t[p];
        if (c == '{') return object(depth + 1, mode);
        if (c == '[') return array(depth + 1, mode);
        if (c == '"') {
            size_t b, e;
            return string(b, e);
        }
        return scalar();
    }

    bool array(size_t depth, Mode mode) {
        if (depth > rawjson::kMaxDepth) return false;
        ++p; // '['
        skipSpace();
        if (p < t.size() && t[p] == ']') {
            ++p;
            return true;
        }
        while (true) {
            if (!value(depth, mode)) return false;
            skipSpace();
            if (p >= t.size()) return false;
            if (t[p] == ']') {
                ++p;
                return true;
            }
            if (t[p] != ',') return false;
            ++p;
        }
    }

    bool object(size_t depth, Mode mode) {
        if (depth > rawjson::kMaxDepth || p >= t.size() || t[p] != '{') return false;
        ++p;
        skipSpace();
        if (p < t.size() && t[p] == '}') {
            ++p;
            return true;
        }
        while (true) {
            skipSpace();
            size_t kb, ke;
            if (!string(kb, ke)) return false;
            skipSpace();
            if (p >= t.size() || t[p] != ':') return false;
            ++p;
            skipSpace();
            const std::string_view rawKey = t.substr(kb, ke - kb);
            if (mode == Mode::Event) {
                if (!value(depth, rawjson::keyIs(rawKey, "metadata_json") ? Mode::Metadata : Mode::Skip))
                    return false;
            } else if (mode == Mode::Metadata && isSecretKey(rawKey)) {
                const size_t start = p;
                if (!value(depth, Mode::Skip)) return false;
                if (!isRedactedMarker(t.substr(start, p - start))) m_spans.emplace_back(start, p);
            } else if (!value(depth, mode)) {
                return false;
            }
            skipSpace();
            if (p >= t.size()) return false;
            if (t[p] == '}') {
                ++p;
                return true;
            }
            if (t[p] != ',') return false;
            ++p;
        }
    }

    static bool isSecretKey(std::string_view rawKey) {
        if (rawKey.find('\\') == std::string_view::npos) return isRedactedKey(rawKey);
        return isRedactedKey(rawjson::unescape(rawKey));
    }

    // A value that already says "[redacted]" (however its characters are escaped) needs no replacing.
    static bool isRedactedMarker(std::string_view value) {
        if (value.size() < 2 || value.front() != '"' || value.back() != '"') return false;
        const std::string_view contents = value.substr(1, value.size() - 2);
        if (contents.find('\\') == std::string_view::npos) return contents == kRedactedValue;
        return rawjson::unescape(contents) == kRedactedValue;
    }

    std::string_view t;
    size_t p = 0;
    std::vector<std::pair<size_t, size_t>>& m_spans;
};

} // namespace

RawRedaction redactEventText(std::string_view event, std::string& out) {
    // Most events carry no secret: the spans stay empty and the bytes are copied once.
    thread_local std::vector<std::pair<size_t, size_t>> spans;
    spans.clear();
    if (!Scanner(event, spans).event()) return RawRedaction::Malformed;
    if (spans.empty()) {
        out.append(event);
        return RawRedaction::Unchanged;
    }
    size_t from = 0;
    for (const auto& [begin, end] : spans) {
        out.append(event.substr(from, begin - from));
        out += '"';
        out += kRedactedValue;
        out += '"';
        from = end;
    }
    out.append(event.substr(from));
    return RawRedaction::Redacted;
}

} // namespace caracal
