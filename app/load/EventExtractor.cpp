#include "load/EventExtractor.h"

#include "util/RawJson.h"
#include "util/Timestamp.h"

#include <cstring>

namespace caracal {

using namespace simdjson;

namespace {

// Go's time.Time{} as RFC 3339 ("0001-01-01T00:00:00Z"), in Unix microseconds.
constexpr int64_t kGoZeroTimeMicros = -62135596800LL * 1000000LL;

std::string quoted(std::string_view v) {
    std::string s = "\"";
    s.append(v.substr(0, 60));
    if (v.size() > 60) s += "...";
    return s + "\"";
}

const char* typeName(dom::element_type t) {
    switch (t) {
    case dom::element_type::ARRAY:
        return "an array";
    case dom::element_type::OBJECT:
        return "an object";
    case dom::element_type::STRING:
        return "a string";
    case dom::element_type::BOOL:
        return "a boolean";
    case dom::element_type::NULL_VALUE:
        return "null";
    default:
        return "a number";
    }
}

// The last member named `key`: encoding/json's choice among duplicates (simdjson's at_key takes the first).
bool lastMember(dom::element value, std::string_view key, dom::element& out) {
    dom::object object;
    if (value.get_object().get(object)) return false;
    bool found = false;
    for (auto field : object)
        if (field.key == key) out = field.value, found = true;
    return found;
}

bool lastString(dom::element value, std::string_view key, std::string_view& out) {
    dom::element member;
    return lastMember(value, key, member) && member.get_string().get(out) == SUCCESS;
}

} // namespace

std::string EventExtractor::describe(error_code e) {
    switch (e) {
    case DEPTH_ERROR:
        return "nested deeper than 1024 levels";
    case UTF8_ERROR:
        return "invalid UTF-8";
    case UNCLOSED_STRING:
        return "unterminated string (truncated line?)";
    case UNESCAPED_CHARS:
        return "raw control character inside a string";
    case INCOMPLETE_ARRAY_OR_OBJECT:
        return "truncated JSON: an object or array is not closed";
    case TAPE_ERROR:
        return "malformed JSON: a comma, colon, brace or bracket is missing or extra";
    case STRING_ERROR:
        return "malformed string escape";
    case NUMBER_ERROR:
        return "malformed number, or one beyond the range of a double (such as 1e999)";
    case T_ATOM_ERROR:
    case F_ATOM_ERROR:
    case N_ATOM_ERROR:
        return "malformed JSON: unknown literal (expected true, false or null)";
    case EMPTY:
        return "no JSON value";
    case CAPACITY:
        return "row too large (over 4 GiB)";
    case MEMALLOC:
        return "out of memory while parsing";
    default:
        return std::string("not valid JSON: ") + error_message(e);
    }
}

void EventExtractor::bad(uint32_t line, std::string reason) {
    m_out.badLines.push_back({0, line, std::move(reason)});
}

bool EventExtractor::parse(uint64_t offset, uint32_t length, dom::element& root, std::string& reason) {
    const char* p = m_out.source->data() + offset;
    error_code err;
    if (offset + length <= m_out.source->paddedLimit()) {
        err = m_parser.parse(p, length, false).get(root);
    } else {
        m_scratch = padded_string(p, length);
        err = m_parser.parse(m_scratch).get(root);
    }
    if (err) {
        if (const void* nul = std::memchr(p, '\0', length)) { // looked for only once the row failed
            reason = "NUL byte at column " + std::to_string(static_cast<const char*>(nul) - p + 1);
            return false;
        }
        reason = describe(err);
        // simdjson reports a cut-off row as a structure error; say what the user most likely has.
        if (err == TAPE_ERROR || err == INCOMPLETE_ARRAY_OR_OBJECT) {
            size_t depth = 0;
            bool inString = false;
            for (uint32_t i = 0; i < length; ++i) {
                const char c = p[i];
                if (inString) {
                    if (c == '\\')
                        ++i;
                    else if (c == '"')
                        inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    ++depth;
                } else if ((c == '}' || c == ']') && depth > 0) {
                    --depth;
                }
            }
            if (depth > 0 && !inString) reason = "truncated JSON: an object or array is not closed";
        }
        return false;
    }
    return true;
}

void EventExtractor::readRow(uint64_t offset, uint32_t length, uint32_t line, bool expandContainers) {
    dom::element root;
    std::string reason;
    if (!parse(offset, length, root, reason)) return bad(line, std::move(reason));

    if (root.type() == dom::element_type::ARRAY) {
        if (!expandContainers) return bad(line, "an array where an event object was expected");
        const std::string_view text(m_out.source->data() + offset, length);
        rawjson::forEachElement(text, [&](std::string_view item) {
            readRow(static_cast<uint64_t>(item.data() - m_out.source->data()),
                    static_cast<uint32_t>(item.size()), line, false);
        });
        return;
    }
    dom::object row;
    if (root.get_object().get(row)) {
        return bad(line, std::string("not a JSON object (found ") + typeName(root.type()) + ")");
    }

    // Keys are compared decoded and the last duplicate wins, as Caracal's Go consumer (encoding/json) reads
    // them; simdjson's row["Event"] would take the first, and the byte scanner in RawJson takes the last.
    dom::element wrapped, items, events;
    bool isSearchRow = false, hasId = false, hasItems = false, hasEvents = false;
    for (auto field : row) {
        if (field.key == "Event") {
            wrapped = field.value;
            isSearchRow = true;
        } else if (field.key == "id") {
            hasId = true;
        } else if (field.key == "items") {
            items = field.value;
            hasItems = true;
        } else if (field.key == "events") {
            events = field.value;
            hasEvents = true;
        }
    }
    const std::string_view containerKey = hasItems ? "items" : hasEvents ? "events" : "";
    const dom::element container = hasItems ? items : events;
    if (isSearchRow) {
        dom::object event;
        if (wrapped.get_object().get(event)) return bad(line, "\"Event\" is not an object");
        return readEvent(event, true, offset, length, line);
    }
    // A page of the API ({"items": ...}), of the audit service ({"events": ... | null}) or an explain trace.
    if (!hasId && !containerKey.empty()) {
        if (!expandContainers) return bad(line, "a page where an event object was expected");
        if (container.is_null()) return; // the audit service's empty page
        if (!container.is_array()) return bad(line, "\"" + std::string(containerKey) + "\" is not an array");
        const std::string_view text(m_out.source->data() + offset, length);
        // The byte scanner finds the same member: decoded keys, the last duplicate.
        const auto itemsText = rawjson::member(text, containerKey);
        if (!itemsText)
            return bad(line, "\"" + std::string(containerKey) + "\" could not be located in the row");
        rawjson::forEachElement(*itemsText, [&](std::string_view item) {
            readRow(static_cast<uint64_t>(item.data() - m_out.source->data()),
                    static_cast<uint32_t>(item.size()), line, false);
        });
        return;
    }
    std::string_view errorCode;
    if (row["id"].error() == NO_SUCH_FIELD && row["error"].get_string().get(errorCode) == SUCCESS)
        return bad(line,
                   "a Caracal error response (error " + quoted(errorCode) +
                       "), not an audit event: explain it with Help > Explain an error or caracal-trace "
                       "errors");
    readEvent(row, false, offset, length, line);
}

void EventExtractor::addTag(TagKind kind, std::string_view value) {
    if (value.empty()) return;
    m_out.tags.push_back(makeTag(kind, m_out.strings.intern(value)));
}

void EventExtractor::readEvent(dom::object event, bool searchRow, uint64_t offset, uint32_t length,
                               uint32_t line) {
    EventRecord rec;
    rec.offset = offset;
    rec.length = length;
    rec.line = line;
    rec.flags = searchRow ? SearchRow : 0;
    rec.tagsBegin = static_cast<uint32_t>(m_out.tags.size());

    std::string problem;
    dom::element firstDiagnostic;
    bool haveFirstDiagnostic = false;
    auto requireString = [&](std::string_view key, dom::element v, std::string_view& out) {
        if (v.get_string().get(out)) {
            problem = "\"" + std::string(key) + "\" is " + typeName(v.type()) + ", not a string";
            return false;
        }
        return true;
    };
    auto setField = [&](Field f, dom::element v) {
        std::string_view s;
        rec.field(f) = v.get_string().get(s) ? 0 : m_out.strings.intern(s);
    };

    // The last copy of a duplicated key wins (encoding/json); the ones read into tags are kept until the end
    // so that an earlier copy leaves nothing behind.
    dom::element idValue, zoneValue, timeValue, policies, diagnostics;
    bool haveId = false, haveZone = false, haveTime = false, havePolicies = false, haveDiagnostics = false;
    dom::object metadata;
    bool haveMetadata = false;
    for (auto field : event) {
        const std::string_view k = field.key;
        dom::element v = field.value;
        // Caracal's audit consumer refuses an event whose id, zone_id or occurred_at is empty, or whose time
        // is Go's zero time, so none of them is an event here either.
        if (k == "id") {
            idValue = v, haveId = true;
        } else if (k == "zone_id") {
            zoneValue = v, haveZone = true;
        } else if (k == "occurred_at") {
            timeValue = v, haveTime = true;
        } else if (k == "event_type") {
            setField(Field::EventType, v);
        } else if (k == "decision") {
            setField(Field::Decision, v);
        } else if (k == "request_id") {
            setField(Field::RequestId, v);
        } else if (k == "evaluation_status") {
            setField(Field::EvaluationStatus, v);
        } else if (k == "policy_set_id") {
            setField(Field::PolicySet, v);
        } else if (k == "policy_set_version_id") {
            setField(Field::PolicySetVersion, v);
        } else if (k == "manifest_sha") {
            setField(Field::ManifestSha, v);
        } else if (k == "metadata_json") {
            haveMetadata = v.get_object().get(metadata) == SUCCESS;
        } else if (k == "determining_policies_json") {
            policies = v, havePolicies = true;
        } else if (k == "diagnostics_json") {
            diagnostics = v, haveDiagnostics = true;
        }
    }
    // Checked once every key is read: the last copy of a duplicated key is the one that counts.
    std::string_view id, zone, occurred;
    if (!haveId) return bad(line, "missing \"id\"");
    if (!requireString("id", idValue, id)) return bad(line, problem);
    if (id.empty()) return bad(line, "\"id\" is empty (Caracal's audit consumer rejects such an event)");
    if (haveZone) {
        if (!requireString("zone_id", zoneValue, zone)) return bad(line, problem);
        // A CSV export has no zone column: its rows carry the file name's zone, or none (with a notice).
        if (zone.empty() && m_out.source->lineMap.empty())
            return bad(line, "\"zone_id\" is empty (Caracal's audit consumer rejects such an event)");
    } else if (!m_documentZone.empty()) { // an explain document's rows: the document's zone
        zone = m_documentZone;
        haveZone = true;
        ++m_zoneFilled;
    }
    if (!haveZone) return bad(line, "missing \"zone_id\"");
    if (haveTime) {
        if (!requireString("occurred_at", timeValue, occurred)) return bad(line, problem);
        if (occurred.empty())
            return bad(line, "\"occurred_at\" is empty (Caracal's audit consumer rejects such an event)");
        const auto t = parseRfc3339Micros(occurred);
        if (!t) return bad(line, "\"occurred_at\" is not an RFC 3339 time: " + quoted(occurred));
        if (*t == kGoZeroTimeMicros)
            return bad(line, "\"occurred_at\" is the zero time " + quoted(occurred) +
                                 " (an unset time; Caracal's audit consumer rejects such an event)");
        rec.occurredAt = *t;
    } else if (m_timeOptional) {
        rec.occurredAt = 0;
        haveTime = true;
        ++m_timeMissing;
    }
    if (!haveTime) return bad(line, "missing \"occurred_at\"");
    dom::array items;
    if (havePolicies && policies.get_array().get(items) == SUCCESS)
        for (dom::element item : items) {
            std::string_view name;
            if (lastString(item, "policy", name)) addTag(TagKind::Policy, name);
        }
    if (haveDiagnostics && diagnostics.get_array().get(items) == SUCCESS)
        for (dom::element item : items) {
            if (!haveFirstDiagnostic) firstDiagnostic = item, haveFirstDiagnostic = true;
            std::string_view code;
            if (lastString(item, "reason", code)) addTag(TagKind::Code, code);
        }

    rec.field(Field::Zone) = m_out.strings.intern(zone);
    const std::string_view status = m_out.strings.at(rec.field(Field::EvaluationStatus));
    if (!status.empty() && status != "complete" && status != "executed") addTag(TagKind::Code, status);
    const std::string_view metadataReason = haveMetadata ? readMetadata(metadata, rec) : std::string_view();
    // The deny reason, once per deny at load, so columns, filters and statistics never parse JSON for it.
    // The same rule as denyReasonCode (present/EventPresentation), which tst_presentation holds it to.
    if (m_out.strings.at(rec.field(Field::Decision)) == "deny") {
        std::string_view code = metadataReason;
        if (code.empty() && !status.empty() && status != "complete") code = status;
        if (code.empty() && haveFirstDiagnostic) lastString(firstDiagnostic, "reason", code);
        if (code.empty()) code = "policy_denied";
        rec.field(Field::DenyReason) = m_out.strings.intern(code);
    }
    rec.tagCount = static_cast<uint16_t>(std::min<size_t>(m_out.tags.size() - rec.tagsBegin, 0xffff));
    m_out.tags.resize(rec.tagsBegin + rec.tagCount);
    m_out.records.push_back(rec);
}

std::string_view EventExtractor::readMetadata(dom::object metadata, EventRecord& rec) {
    uint32_t alternateApp = 0; // client_id / app_id name the application on anomaly events
    // On control commands and operator approvals, "reason" is the operator's own words, not a code.
    const std::string_view type = m_out.strings.at(rec.field(Field::EventType));
    const bool freeTextReason = type == "control.invoke" || type == "step_up_decided";
    dom::element labels, errorKind, reason;
    bool haveLabels = false, haveErrorKind = false, haveReason = false;
    for (auto field : metadata) {
        const std::string_view k = field.key;
        std::string_view s;
        if (k == "agent_labels") {
            labels = field.value, haveLabels = true;
        } else if (k == "error_kind") {
            errorKind = field.value, haveErrorKind = true;
        } else if (k == "reason") {
            reason = field.value, haveReason = true;
        } else if (k == "application_id") {
            rec.field(Field::Application) = field.value.get_string().get(s) ? 0 : m_out.strings.intern(s);
        } else if (k == "client_id" || k == "app_id") {
            alternateApp = field.value.get_string().get(s) ? alternateApp : m_out.strings.intern(s);
        } else if (k == "application_name") {
            rec.field(Field::ApplicationName) = field.value.get_string().get(s) ? 0 : m_out.strings.intern(s);
        } else if (k == "agent_session_id") {
            rec.field(Field::Session) = field.value.get_string().get(s) ? 0 : m_out.strings.intern(s);
        } else if (k == "session_id") {
            rec.field(Field::AuthorityRecord) = field.value.get_string().get(s) ? 0 : m_out.strings.intern(s);
        } else if (k == "resource") {
            rec.field(Field::Resource) = field.value.get_string().get(s) ? 0 : m_out.strings.intern(s);
        }
    }
    std::string_view s;
    dom::array labelList;
    if (haveLabels && labels.get_array().get(labelList) == SUCCESS)
        for (dom::element label : labelList)
            if (label.get_string().get(s) == SUCCESS) addTag(TagKind::Label, s);
    if (haveErrorKind && errorKind.get_string().get(s) == SUCCESS) addTag(TagKind::Code, s);
    std::string_view reasonText;
    if (haveReason && reason.get_string().get(reasonText) == SUCCESS && !freeTextReason)
        addTag(TagKind::Code, reasonText);
    if (rec.field(Field::Application) == 0 && alternateApp) {
        rec.field(Field::Application) = alternateApp;
        rec.flags = static_cast<uint8_t>(rec.flags | ApplicationFromClientId);
    }
    return reasonText;
}

} // namespace caracal
