#include "store/EventStore.h"

#include "util/RawJson.h"

#include <algorithm>

namespace caracal {

namespace {
constexpr Field kIndexed[4] = {Field::Zone, Field::RequestId, Field::EventType, Field::Decision};
}

void EventStore::reserve(size_t events) {
    m_records.reserve(events);
    m_tags.reserve(events * 3);
    m_strings.reserve(events + events / 2); // a request id per event or two, plus sessions and applications
}

std::unique_ptr<EventStore> EventStore::clone() const {
    auto copy = std::make_unique<EventStore>();
    copy->m_sources = m_sources;
    copy->m_records = m_records;
    copy->m_superseded = m_superseded;
    copy->m_supersededCount = m_supersededCount;
    copy->m_tags = m_tags;
    copy->m_badLines = m_badLines;
    copy->m_loadErrors = m_loadErrors;
    copy->m_notices = m_notices;
    copy->m_strings = StringInterner(m_strings);
    return copy;
}

void EventStore::addNotice(std::string message) {
    // Follow mode reads the same kind of page every few seconds; one notice of each is enough.
    if (std::find(m_notices.begin(), m_notices.end(), message) == m_notices.end())
        m_notices.push_back(std::move(message));
}

void EventStore::supersede(RowId row) {
    if (m_superseded.size() < m_records.size()) m_superseded.resize(m_records.size(), 0);
    if (!m_superseded[row]) ++m_supersededCount;
    m_superseded[row] = 1;
}

void EventStore::append(LoadBatch&& batch) {
    uint16_t sourceIndex = 0;
    auto it = std::find(m_sources.begin(), m_sources.end(), batch.source);
    if (it == m_sources.end()) {
        m_sources.push_back(batch.source);
        sourceIndex = static_cast<uint16_t>(m_sources.size() - 1);
    } else {
        sourceIndex = static_cast<uint16_t>(it - m_sources.begin());
    }
    const auto& lineMap = batch.source->lineMap;
    auto fileLine = [&](uint32_t relative) {
        const uint32_t line = batch.firstLine + relative - 1;
        return lineMap.empty() || line == 0 || line > lineMap.size() ? line : lineMap[line - 1];
    };

    // Local string ids to store ids; interning only what the batch used.
    std::vector<uint32_t> remap(batch.strings.size());
    for (uint32_t i = 0; i < remap.size(); ++i)
        remap[i] = m_strings.intern(batch.strings.at(i), batch.strings.hashOf(i));

    const uint32_t tagBase = static_cast<uint32_t>(m_tags.size());
    for (uint32_t tag : batch.tags)
        m_tags.push_back((tag & ~kTagIdMask) | remap[tag & kTagIdMask]);

    for (EventRecord rec : batch.records) {
        for (uint32_t& f : rec.fields)
            f = remap[f];
        rec.tagsBegin += tagBase;
        rec.source = sourceIndex;
        rec.line = fileLine(rec.line);
        m_records.push_back(rec);
    }
    for (BadLine& bad : batch.badLines) {
        bad.source = sourceIndex;
        bad.line = fileLine(bad.line);
        m_badLines.push_back(std::move(bad));
    }
}

bool EventStore::lessInTime(RowId a, RowId b) const {
    const EventRecord& ra = m_records[a];
    const EventRecord& rb = m_records[b];
    if (ra.occurredAt != rb.occurredAt) return ra.occurredAt < rb.occurredAt;
    // Same microsecond: rare, so the ids are read from the rows only here.
    const std::string ia = eventId(a), ib = eventId(b);
    if (ia != ib) return ia < ib;
    return a < b;
}

EventStore::Indexes EventStore::buildIndexes() const {
    Indexes ix;
    ix.timeOrder.resize(eventCount());
    for (RowId r = 0, i = 0; r < m_records.size(); ++r)
        if (!isSuperseded(r)) ix.timeOrder[i++] = r;
    // Inputs are mostly in time order already (exports, pages reversed); sort handles both.
    auto less = [&](RowId a, RowId b) { return lessInTime(a, b); };
    if (!std::is_sorted(ix.timeOrder.begin(), ix.timeOrder.end(), less))
        std::sort(ix.timeOrder.begin(), ix.timeOrder.end(), less);

    const size_t ids = m_strings.size();
    for (int slot = 0; slot < 4; ++slot) {
        Postings& p = ix.postings[slot];
        const int f = static_cast<int>(kIndexed[slot]);
        p.offsets.assign(ids + 1, 0);
        if (m_supersededCount == 0) { // the usual case: one sequential pass
            for (const EventRecord& rec : m_records)
                ++p.offsets[rec.fields[f] + 1];
        } else {
            for (RowId r : ix.timeOrder)
                ++p.offsets[m_records[r].fields[f] + 1];
        }
        for (size_t i = 1; i <= ids; ++i)
            p.offsets[i] += p.offsets[i - 1];
        p.rows.resize(ix.timeOrder.size());
        std::vector<uint32_t> fill(p.offsets.begin(), p.offsets.end() - 1);
        for (RowId r : ix.timeOrder)
            p.rows[fill[m_records[r].fields[f]]++] = r;
    }
    for (const EventRecord& rec : m_records)
        if (rec.field(Field::Application) && rec.field(Field::ApplicationName))
            ix.applicationNames.emplace(rec.field(Field::Application), rec.field(Field::ApplicationName));
    return ix;
}

std::string_view EventStore::applicationName(std::string_view applicationId) const {
    const uint32_t id = m_strings.find(applicationId);
    auto it = m_indexes.applicationNames.find(id);
    return it == m_indexes.applicationNames.end() ? std::string_view{} : m_strings.at(it->second);
}

std::string_view EventStore::actorOf(RowId row) const {
    const EventRecord& rec = m_records[row];
    if (rec.field(Field::ApplicationName)) return m_strings.at(rec.field(Field::ApplicationName));
    if (auto it = m_indexes.applicationNames.find(rec.field(Field::Application));
        it != m_indexes.applicationNames.end())
        return m_strings.at(it->second);
    return m_strings.at(rec.field(Field::Application));
}

void EventStore::adoptIndexes(Indexes&& indexes) {
    m_indexes = std::move(indexes);
}

void EventStore::finishLoading() {
    adoptIndexes(buildIndexes());
}

bool EventStore::isIndexed(Field f) {
    return std::find(std::begin(kIndexed), std::end(kIndexed), f) != std::end(kIndexed);
}

int EventStore::postingsSlot(Field f) const {
    for (int i = 0; i < 4; ++i)
        if (kIndexed[i] == f) return i;
    return -1;
}

std::span<const RowId> EventStore::rowsWith(Field f, uint32_t valueId) const {
    const int slot = postingsSlot(f);
    if (slot < 0) return {};
    const Postings& p = m_indexes.postings[slot];
    if (valueId + 1 >= p.offsets.size()) return {};
    return {p.rows.data() + p.offsets[valueId], p.offsets[valueId + 1] - p.offsets[valueId]};
}

std::span<const RowId> EventStore::rowsWith(Field f, std::string_view value) const {
    const uint32_t id = m_strings.find(value);
    return id == StringInterner::kMissing ? std::span<const RowId>{} : rowsWith(f, id);
}

std::vector<RowId> EventStore::rowsOfRequest(std::string_view zone, std::string_view requestId) const {
    std::vector<RowId> rows;
    for (RowId r : rowsWith(Field::RequestId, requestId)) // postings are in time order
        if (zone.empty() || field(r, Field::Zone) == zone) rows.push_back(r);
    return rows;
}

std::vector<std::pair<std::string_view, size_t>> EventStore::valueCounts(Field f) const {
    std::vector<std::pair<std::string_view, size_t>> out;
    const int slot = postingsSlot(f);
    if (slot < 0) return out;
    const Postings& p = m_indexes.postings[slot];
    for (uint32_t id = 0; id + 1 < p.offsets.size(); ++id)
        if (const size_t n = p.offsets[id + 1] - p.offsets[id]) out.emplace_back(m_strings.at(id), n);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
}

std::string_view EventStore::rowText(RowId row) const {
    const EventRecord& rec = m_records[row];
    return m_sources[rec.source]->bytes().substr(rec.offset, rec.length);
}

std::string EventStore::eventId(RowId row) const {
    std::string_view text = rowText(row);
    if (m_records[row].flags & SearchRow) text = rawjson::member(text, "Event").value_or(std::string_view{});
    const auto id = rawjson::member(text, "id");
    if (!id) return {};
    // The raw token is a JSON string; escapes are rare but legal.
    if (id->find('\\') == std::string_view::npos) return std::string(id->substr(1, id->size() - 2));
    return nlohmann::json::parse(*id).get<std::string>();
}

std::string EventStore::eventJson(RowId row) const {
    const std::string_view text = rowText(row);
    if (!(m_records[row].flags & SearchRow)) return std::string(text);
    const auto inner = rawjson::member(text, "Event");
    std::string out(rawjson::trim(*inner));
    out.pop_back(); // the closing brace; members are appended after the event's own
    bool empty = rawjson::trim(std::string_view(out).substr(1)).empty();
    rawjson::forEachMember(text, [&](std::string_view key, std::string_view value) {
        if (key == "Event") return true;
        out += empty ? "\"" : ",\"";
        out.append(key);
        out += "\":";
        out.append(value);
        empty = false;
        return true;
    });
    out += '}';
    return out;
}

nlohmann::ordered_json EventStore::event(RowId row) const {
    return nlohmann::ordered_json::parse(eventJson(row), nullptr, false);
}

} // namespace caracal
