#include "load/EventLoader.h"

#include "input/InputPaths.h"
#include "input/InputStream.h"
#include "load/AdminAudit.h"
#include "load/CsvExport.h"
#include "load/EventExtractor.h"
#include "store/EventStore.h"
#include "util/RawJson.h"
#include "util/TextFind.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unistd.h>

namespace caracal {

const char* shapeName(InputShape shape) {
    switch (shape) {
    case InputShape::Empty:
        return "empty";
    case InputShape::JsonLines:
        return "JSON lines";
    case InputShape::JsonDocument:
        return "JSON document";
    case InputShape::CsvExport:
        return "CSV export";
    }
    return "?";
}

bool isRawSearchable(std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
    });
}

InputShape detectShape(std::string_view bytes) {
    const std::string_view body = rawjson::trim(bytes.substr(bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0));
    if (body.empty()) return InputShape::Empty;
    const std::string_view firstLine = body.substr(0, body.find('\n'));
    if (body.front() == '[') return InputShape::JsonDocument;
    if (body.front() != '{')
        return csv::looksLikeExport(firstLine) ? InputShape::CsvExport : InputShape::JsonLines;
    // An object that does not end on its first line is a pretty-printed document.
    const std::string_view line = rawjson::trim(firstLine);
    return rawjson::skipValue(line, 0) == line.size() && line.back() == '}' ? InputShape::JsonLines
                                                                            : InputShape::JsonDocument;
}

namespace {

// Reads the rows of [begin, end) (whole lines) of a source into one batch.
void readLines(LoadBatch& batch, uint64_t begin, uint64_t end, const LoadOptions& options,
               const std::atomic<bool>* cancel) {
    EventExtractor extractor(batch);
    const char* data = batch.source->data();

    // Pre-pass: where the prefilter strings occur in this block.
    std::vector<uint64_t> hits;
    for (const std::string& needle : options.prefilter) {
        const std::string_view block(data + begin, end - begin);
        for (size_t at = 0; (at = findText(block, needle, false, at)) != std::string_view::npos; ++at)
            hits.push_back(begin + at);
    }
    std::sort(hits.begin(), hits.end());
    const bool filtering = !options.prefilter.empty();
    size_t nextHit = 0;

    uint32_t line = 0;
    uint64_t pos = begin;
    while (pos < end) {
        if ((line & 1023) == 0 && cancel && cancel->load(std::memory_order_relaxed)) break;
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', end - pos));
        const uint64_t lineEnd = nl ? static_cast<uint64_t>(nl - data) : end;
        ++line;
        uint64_t a = pos, b = lineEnd;
        while (a < b && (data[a] == ' ' || data[a] == '\t'))
            ++a;
        while (b > a && (data[b - 1] == '\r' || data[b - 1] == ' ' || data[b - 1] == '\t'))
            --b;
        pos = lineEnd + 1;
        if (a == b) continue; // blank lines separate nothing and are not errors
        if (b - a > 0xffffffffu) {
            batch.badLines.push_back({0, line, "line longer than 4 GiB"});
            continue;
        }
        if (filtering) {
            while (nextHit < hits.size() && hits[nextHit] < a)
                ++nextHit;
            const bool candidate = nextHit < hits.size() && hits[nextHit] < b;
            if (!candidate && data[a] == '{' && data[b - 1] == '}') continue;
        }
        extractor.readRow(a, static_cast<uint32_t>(b - a), line);
    }
    batch.lineCount = line;
    batch.bytesEnd = end;
}

// Block boundaries at line starts.
std::vector<std::pair<uint64_t, uint64_t>> splitBlocks(const SourceBuffer& src, uint64_t begin, uint64_t size,
                                                       size_t blockBytes) {
    std::vector<std::pair<uint64_t, uint64_t>> blocks;
    uint64_t pos = begin;
    while (pos < size) {
        uint64_t end = std::min<uint64_t>(pos + blockBytes, size);
        if (end < size) {
            const void* nl = std::memchr(src.data() + end, '\n', size - end);
            end = nl ? static_cast<uint64_t>(static_cast<const char*>(nl) - src.data()) + 1 : size;
        }
        blocks.emplace_back(pos, end);
        pos = end;
    }
    return blocks;
}

// Runs readLines over the blocks on worker threads and delivers batches in order on this thread.
// [begin, end) of the source (whole lines); `firstLine` is the line number at `begin` and moves past the
// range.
bool runBlocks(const std::shared_ptr<const SourceBuffer>& src, const LoadOptions& options,
               const LoadCallbacks& cb, LoadProgress& progress, uint64_t bytesBefore, uint64_t begin,
               uint64_t end, uint32_t& firstLine) {
    const auto blocks = splitBlocks(*src, begin, end, options.blockBytes);
    const unsigned threads = std::max(
        1u, std::min<unsigned>(options.threads ? options.threads : std::thread::hardware_concurrency(),
                               static_cast<unsigned>(blocks.size())));
    const size_t window = threads * 3; // batches in flight, bounding memory
    std::vector<std::optional<LoadBatch>> done(blocks.size());
    std::mutex mutex;
    std::condition_variable ready, space;
    size_t nextBlock = 0, delivered = 0;
    bool stop = false;

    auto worker = [&] {
        for (;;) {
            size_t index;
            {
                std::unique_lock lock(mutex);
                space.wait(lock, [&] {
                    return stop || nextBlock >= blocks.size() || nextBlock < delivered + window;
                });
                if (stop || nextBlock >= blocks.size()) return;
                index = nextBlock++;
            }
            LoadBatch batch;
            batch.source = src;
            readLines(batch, blocks[index].first, blocks[index].second, options, cb.cancel);
            std::lock_guard lock(mutex);
            done[index] = std::move(batch);
            ready.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i)
        pool.emplace_back(worker);

    bool cancelled = false;
    for (size_t i = 0; i < blocks.size(); ++i) {
        LoadBatch batch;
        {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return done[i].has_value(); });
            batch = std::move(*done[i]);
            done[i].reset();
            ++delivered;
            space.notify_all();
        }
        if (cb.cancel && cb.cancel->load()) {
            cancelled = true;
            break;
        }
        batch.firstLine = firstLine;
        firstLine += batch.lineCount;
        progress.events += batch.records.size();
        progress.badLines += batch.badLines.size();
        progress.bytesDone = bytesBefore + batch.bytesEnd;
        cb.batch(std::move(batch));
        if (cb.progress) cb.progress(progress);
    }
    {
        std::lock_guard lock(mutex);
        stop = true;
        space.notify_all();
    }
    for (auto& t : pool)
        t.join();
    return !cancelled;
}

bool runBlocks(const std::shared_ptr<const SourceBuffer>& src, const LoadOptions& options,
               const LoadCallbacks& cb, LoadProgress& progress, uint64_t bytesBefore) {
    uint32_t firstLine = 1;
    return runBlocks(src, options, cb, progress, bytesBefore, 0, src->size(), firstLine);
}

// Admin events (actor, action, entity) belong to another table, shown in their own window.
std::string adminAuditNotice(const std::string& what) {
    return what + " (admin events: actor, action, entity), not decision audit events. Open it with File > "
                  "Admin events (or caracal-trace verify for its chain); decision events are in the zone's "
                  "audit list or by-request pages.";
}

// What a whole-file JSON object is when it holds no audit events: a Caracal error body, or a page of the
// admin-audit list (who changed what, a different table). nullopt for anything that may hold events.
std::optional<std::string> describeNonEventDocument(simdjson::dom::element root) {
    std::string_view code;
    const bool hasEvents =
        root["items"].error() == simdjson::SUCCESS || root["events"].error() == simdjson::SUCCESS ||
        root["id"].error() == simdjson::SUCCESS || root["Event"].error() == simdjson::SUCCESS;
    if (!hasEvents && root["error"].get_string().get(code) == simdjson::SUCCESS) {
        std::string_view text;
        if (root["error_description"].get_string().get(text) != simdjson::SUCCESS &&
            root["message"].get_string().get(text) != simdjson::SUCCESS)
            text = {};
        std::string out = "a Caracal error response (error \"" + std::string(code) + "\"" +
                          (text.empty() ? std::string() : ": " + std::string(text.substr(0, 120))) +
                          "), not audit events. Explain it with Help > Explain an error, or caracal-trace "
                          "errors " +
                          std::string(code);
        std::string_view requestId;
        if (root["requestId"].get_string().get(requestId) == simdjson::SUCCESS && !requestId.empty())
            out += "; its requestId " + std::string(requestId) + " can be traced in the audit events";
        return out + ".";
    }
    simdjson::dom::array items;
    if (root["items"].get_array().get(items) == simdjson::SUCCESS && items.size() > 0) {
        simdjson::dom::element first = items.at(0).value_unsafe();
        if (first["actor_id"].error() == simdjson::SUCCESS && first["action"].error() == simdjson::SUCCESS &&
            first["event_type"].error() != simdjson::SUCCESS)
            return adminAuditNotice("a page of Caracal's admin-audit list");
    }
    return std::nullopt;
}

// A whole-file JSON document: validated once, then each item is read as a row. Returns false, delivering
// nothing, when the file is not one valid document (it may be JSON lines whose first line is broken).
bool readDocument(const std::shared_ptr<const SourceBuffer>& src, const LoadCallbacks& cb,
                  LoadProgress& progress, uint64_t bytesBefore) {
    LoadBatch batch;
    batch.source = src;
    EventExtractor extractor(batch);
    const std::string_view text = src->bytes();
    const size_t start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    const size_t end = text.find_last_not_of(" \t\r\n");
    const uint32_t firstLine =
        static_cast<uint32_t>(std::count(text.begin(), text.begin() + start, '\n')) + 1;

    // Items keep the line they start on.
    uint64_t countedTo = start;
    uint32_t line = firstLine;
    auto lineOf = [&](const char* p) {
        const uint64_t off = static_cast<uint64_t>(p - text.data());
        line += static_cast<uint32_t>(std::count(text.begin() + countedTo, text.begin() + off, '\n'));
        countedTo = off;
        return line;
    };

    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::padded_string copy;
    simdjson::error_code err;
    if (src->paddedLimit() >= src->size()) {
        err = parser.parse(text.data(), text.size(), false).get(root);
    } else {
        copy = simdjson::padded_string(text.data(), text.size());
        err = parser.parse(copy).get(root);
    }
    const std::string_view doc = text.substr(start, end - start + 1);
    if (err) return false;
    std::string_view docZone; // a saved explain response's zone, for its rows that lack one
    if (root.is_array()) {
        rawjson::forEachElement(doc, [&](std::string_view item) {
            extractor.readRow(static_cast<uint64_t>(item.data() - text.data()),
                              static_cast<uint32_t>(item.size()), lineOf(item.data()), false);
        });
    } else if (root.is_object()) {
        std::optional<std::string_view> items = rawjson::member(doc, "items");
        if (!items) items = rawjson::member(doc, "events");
        const bool savedExplain = rawjson::member(doc, "final_decision") && rawjson::member(doc, "denied");
        if (savedExplain && root["zone_id"].get_string().get(docZone) == simdjson::SUCCESS)
            extractor.setDocumentDefaults(std::string(docZone), true);
        if (auto what = describeNonEventDocument(root)) {
            // Not audit events at all: say what it is and where it belongs rather than "missing id".
            if (cb.notice) cb.notice(src->name() + ": " + *what);
        } else if (items && !rawjson::member(doc, "id") && !rawjson::member(doc, "Event")) {
            if (!rawjson::forEachElement(
                    *items,
                    [&](std::string_view item) {
                        extractor.readRow(static_cast<uint64_t>(item.data() - text.data()),
                                          static_cast<uint32_t>(item.size()), lineOf(item.data()), false);
                    }) &&
                *items != "null")
                batch.badLines.push_back({0, firstLine, "JSON document: the events list is not an array"});
        } else {
            extractor.readRow(static_cast<uint64_t>(doc.data() - text.data()),
                              static_cast<uint32_t>(doc.size()), firstLine, false);
        }
    } else {
        batch.badLines.push_back({0, firstLine, "JSON document is not an object or an array"});
    }
    if (cb.notice && (extractor.zoneFilled() || extractor.timeMissing()))
        cb.notice(src->name() + ": a saved explain response whose events lack fields: " +
                  (extractor.zoneFilled()
                       ? std::to_string(extractor.zoneFilled()) +
                             " without zone_id took the document's zone " + std::string(docZone)
                       : std::string()) +
                  (extractor.zoneFilled() && extractor.timeMissing() ? "; " : "") +
                  (extractor.timeMissing() ? std::to_string(extractor.timeMissing()) +
                                                 " without occurred_at are kept in file order with no time"
                                           : std::string()));
    batch.firstLine = 1;
    batch.lineCount = 0;
    batch.bytesEnd = src->size();
    progress.events += batch.records.size();
    progress.badLines += batch.badLines.size();
    progress.bytesDone = bytesBefore + src->size();
    cb.batch(std::move(batch));
    if (cb.progress) cb.progress(progress);
    return true;
}

} // namespace

namespace {

// Reads one source of any shape; `before` is the byte offset of the source within the whole load.
bool loadSource(const std::shared_ptr<SourceBuffer>& src, const LoadOptions& options, const LoadCallbacks& cb,
                LoadProgress& progress, uint64_t before) {
    const std::string& name = src->name();
    switch (detectShape(src->bytes())) {
    case InputShape::Empty:
        if (cb.notice) cb.notice(name + ": empty, no events");
        return true;
    case InputShape::JsonDocument:
        if (readDocument(src, cb, progress, before)) return true;
        if (cb.notice) cb.notice(name + ": not a single JSON document; reading it as JSON lines");
        return runBlocks(src, options, cb, progress, before);
    case InputShape::CsvExport: {
        const std::string zone = csv::zoneFromFileName(name);
        if (zone.empty() && cb.notice)
            cb.notice(name + ": a CSV export carries no zone_id and the file name does not give one "
                             "(audit-<zone>.csv); its events have an empty zone");
        csv::Converted converted = csv::toJsonLines(src->bytes(), zone);
        auto jsonl = SourceBuffer::fromBytes(name, std::move(converted.jsonLines));
        jsonl->lineMap = std::move(converted.lines);
        if (!converted.badRows.empty()) {
            LoadBatch bad; // carries file lines already; its empty source only names the file
            bad.source = SourceBuffer::fromBytes(name, {});
            for (auto& [line, reason] : converted.badRows)
                bad.badLines.push_back({0, line, reason});
            progress.badLines += bad.badLines.size();
            cb.batch(std::move(bad));
        }
        return runBlocks(jsonl, LoadOptions{{}, options.blockBytes, options.threads}, cb, progress, before);
    }
    case InputShape::JsonLines: {
        const std::string_view body = rawjson::trim(src->bytes());
        const std::string_view first = body.substr(0, body.find('\n'));
        if (looksLikeAdminAuditCsv(first) || (first.front() == '{' && looksLikeAdminAuditRow(first))) {
            if (cb.notice)
                cb.notice(name + ": " +
                          adminAuditNotice(first.front() == '{' ? "rows of Caracal's admin-audit table"
                                                                : "a CSV of Caracal's admin-audit list"));
            return true;
        }
        // A one-line file may be a whole document (an error body, a compact page): read it as one, so it can
        // say what it is.
        if (body.find('\n') == std::string_view::npos && readDocument(src, cb, progress, before)) return true;
        return runBlocks(src, options, cb, progress, before);
    }
    }
    return true;
}

} // namespace

bool loadBuffer(const std::shared_ptr<SourceBuffer>& source, const LoadOptions& options,
                const LoadCallbacks& cb) {
    LoadProgress progress;
    progress.fileCount = 1;
    progress.bytesTotal = source->size();
    return loadSource(source, options, cb, progress, 0);
}

namespace {

// Reads a JSON-lines stream keeping only the lines a request-id search can match (and lines that are not
// visibly one object, so that they are still reported), so `zcat big.gz | caracal-trace search
// --request-id R -` holds only the matches in memory. Other shapes are read whole. The kept lines' original
// numbers go into `lineMap`.
bool readStream(InputStream& in, const LoadOptions& options, std::string& out, std::vector<uint32_t>& lineMap,
                const std::function<void(uint64_t)>& progress) {
    if (options.prefilter.empty()) return in.readAll(out, progress);
    std::string carry;
    std::vector<char> chunk(4u << 20);
    bool decided = false, filtering = false;
    uint32_t line = 0;
    uint64_t reported = 0;
    // Like the mapped path: the needles are found with memmem over the whole buffer, then lines are cut with
    // memchr; only a line holding a hit (or not visibly one object) is kept.
    std::vector<size_t> hits;
    auto keepLines = [&](bool atEnd) {
        const char* data = carry.data();
        hits.clear();
        for (const std::string& needle : options.prefilter)
            for (size_t at = 0; (at = findText(carry, needle, false, at)) != std::string_view::npos; ++at)
                hits.push_back(at);
        std::sort(hits.begin(), hits.end());
        size_t pos = 0, nextHit = 0;
        for (;;) {
            const void* nlp = std::memchr(data + pos, '\n', carry.size() - pos);
            if (!nlp && !atEnd) break;
            const size_t end = nlp ? size_t(static_cast<const char*>(nlp) - data) : carry.size();
            if (end == pos && !nlp) break;
            ++line;
            while (nextHit < hits.size() && hits[nextHit] < pos)
                ++nextHit;
            const std::string_view l = rawjson::trim(std::string_view(data + pos, end - pos));
            const bool keep = !l.empty() && ((nextHit < hits.size() && hits[nextHit] < end) ||
                                             l.front() != '{' || l.back() != '}');
            if (keep) {
                out.append(l);
                out += '\n';
                lineMap.push_back(line);
            }
            pos = nlp ? end + 1 : carry.size();
        }
        carry.erase(0, pos);
    };
    for (;;) {
        const size_t n = in.read(chunk.data(), chunk.size());
        if (n == 0) break;
        if (!decided) {
            out.append(chunk.data(), n);
            if (out.size() < 64 * 1024 && out.find('\n') == std::string::npos) continue;
            decided = true;
            filtering = detectShape(out) == InputShape::JsonLines;
            if (!filtering) continue;
            carry.swap(out);
            out.clear();
        } else if (!filtering) {
            out.append(chunk.data(), n);
            continue;
        } else {
            carry.append(chunk.data(), n);
        }
        keepLines(false);
        if (progress && in.compressedBytesRead() - reported >= (8u << 20)) {
            reported = in.compressedBytesRead();
            progress(reported);
        }
    }
    if (filtering) keepLines(true);
    if (progress) progress(in.compressedBytesRead());
    return in.error().empty();
}

} // namespace

namespace {

// A compressed file or a pipe without a prefilter: a decoder thread fills a growable buffer while the blocks
// already complete are parsed on the other cores, so a .zst loads about as fast as the plain file. Returns
// false when cancelled; a damaged archive ends the input with `damage` set.
bool loadGrowing(InputStream& in, const LoadOptions& options, const LoadCallbacks& cb, LoadProgress& progress,
                 uint64_t before, std::string& damage) {
    // Address space for as much as this machine's memory could hold (only written pages cost anything): a
    // zstd frame's stated size may cover only the first of several frames.
    const uint64_t capacity = std::max({uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE)),
                                        in.decompressedSizeHint() + 1, in.knownSize() + 1});
    std::string error;
    auto buf = SourceBuffer::growable(in.name(), capacity, error);
    if (!buf) { // no such reservation allowed (strict overcommit): decode into memory first
        std::string bytes;
        if (!in.readAll(bytes)) damage = in.error();
        return loadSource(SourceBuffer::fromBytes(in.name(), std::move(bytes)), options, cb, progress,
                          before);
    }
    std::mutex mutex;
    std::condition_variable grew;
    std::atomic<uint64_t> written{0}, compressed{0};
    bool done = false, overflow = false;
    std::thread decoder([&] {
        char* out = buf->writable();
        uint64_t w = 0;
        while (!(cb.cancel && cb.cancel->load())) {
            const size_t room = static_cast<size_t>(std::min<uint64_t>(capacity - w, 4u << 20));
            if (room == 0) {
                char probe;
                overflow = in.read(&probe, 1) > 0;
                break;
            }
            const size_t n = in.read(out + w, room);
            if (n == 0) break;
            w += n;
            std::lock_guard lock(mutex);
            written.store(w, std::memory_order_release);
            compressed.store(in.compressedBytesRead(), std::memory_order_relaxed);
            grew.notify_all();
        }
        std::lock_guard lock(mutex);
        compressed.store(in.compressedBytesRead(), std::memory_order_relaxed);
        done = true;
        grew.notify_all();
    });
    // Waits until at least `need` bytes are decoded or the input ended; returns the decoded size.
    auto waitFor = [&](uint64_t need) {
        std::unique_lock lock(mutex);
        grew.wait(lock, [&] { return done || written.load() >= need; });
        return std::pair{written.load(), done};
    };
    LoadCallbacks local = cb; // progress in compressed bytes
    local.progress = [&](const LoadProgress& p) {
        LoadProgress q = p;
        q.bytesDone = before + compressed.load(std::memory_order_relaxed);
        if (cb.progress) cb.progress(q);
    };
    bool complete = true;
    auto [have, finished] = waitFor(64 * 1024);
    if (detectShape(std::string_view(buf->writable(), have)) != InputShape::JsonLines || have == 0) {
        // One document, a CSV export or nothing: read whole, then as a file would be.
        while (!finished)
            std::tie(have, finished) = waitFor(have + 1);
        decoder.join();
        buf->commit(have);
        complete = loadSource(buf, options, local, progress, before);
    } else {
        // JSON lines: segments ending at a newline, each at least 64 bytes before what the decoder is writing
        // (simdjson reads that far past a row), parsed while the decoder goes on.
        const uint64_t kSegment = uint64_t(options.blockBytes) * 8; // 64 MB by default
        uint64_t pos = 0, need = kSegment + 64;
        uint32_t firstLine = 1;
        for (;;) {
            std::tie(have, finished) = waitFor(need);
            uint64_t end = have;
            if (!finished) {
                const void* nl = memrchr(buf->writable() + pos, '\n', have - 64 - pos);
                if (!nl) { // a line longer than a segment: wait for its end
                    need = have + kSegment;
                    continue;
                }
                end = static_cast<uint64_t>(static_cast<const char*>(nl) - buf->writable()) + 1;
            }
            if (end > pos) {
                buf->commit(end);
                if (!runBlocks(buf, options, local, progress, before, pos, end, firstLine)) {
                    complete = false;
                    break;
                }
                pos = end;
            }
            need = pos + kSegment + 64;
            if (finished && pos >= have) break;
        }
        decoder.join();
        buf->commit(pos);
    }
    if (!in.error().empty())
        damage = in.error();
    else if (overflow)
        damage = in.name() + ": more than " + std::to_string(capacity >> 20) +
                 " MB decompressed, more than this machine's memory; the events before are kept";
    if (cb.progress) local.progress(progress);
    return complete;
}

} // namespace

bool loadFiles(const std::vector<std::string>& requested, const LoadOptions& options,
               const LoadCallbacks& cb) {
    const ExpandedInputs inputs = expandInputs(requested);
    if (cb.notice)
        for (const std::string& note : inputs.notes)
            cb.notice(note);
    const std::vector<std::string>& paths = inputs.paths;
    LoadProgress progress;
    progress.fileCount = paths.size();
    // Plain files are memory-mapped (the fast path); standard input, FIFOs and compressed files are read
    // front to back, decompressing on the fly.
    std::vector<std::shared_ptr<SourceBuffer>> sources(paths.size());
    std::vector<uint64_t> sizes(paths.size(), 0);
    for (size_t i = 0; i < paths.size(); ++i) {
        if (isStreamInput(paths[i])) continue;
        std::string error;
        sources[i] = SourceBuffer::mapFile(paths[i], error);
        if (!sources[i]) {
            if (cb.fileError) cb.fileError(error);
            continue;
        }
        sizes[i] = sources[i]->size();
        progress.bytesTotal += sizes[i];
        if (detectCompression(sources[i]->bytes().substr(0, 6)) != Compression::None) sources[i].reset();
    }
    uint64_t before = 0;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (cb.cancel && cb.cancel->load()) return false;
        progress.fileIndex = i;
        std::shared_ptr<SourceBuffer> src = sources[i];
        if (!src && (sizes[i] > 0 || isStreamInput(paths[i]))) {
            std::string error;
            auto in = InputStream::open(paths[i], error);
            if (!in) {
                if (cb.fileError) cb.fileError(error);
                continue;
            }
            if (options.prefilter.empty()) {
                std::string damage;
                if (!loadGrowing(*in, options, cb, progress, before, damage)) return false;
                if (!damage.empty() && cb.fileError) cb.fileError(damage);
                before += std::max(in->compressedBytesRead(), sizes[i]);
                progress.bytesDone = before;
                continue;
            }
            std::string bytes;
            std::vector<uint32_t> lineMap;
            const bool whole = readStream(*in, options, bytes, lineMap, [&](uint64_t compressed) {
                progress.bytesDone = before + compressed;
                if (cb.progress) cb.progress(progress);
            });
            if (!whole && cb.fileError) cb.fileError(in->error());
            src = SourceBuffer::fromBytes(in->name(), std::move(bytes));
            src->lineMap = std::move(lineMap);
            const uint64_t compressed = in->compressedBytesRead();
            // Progress stays in compressed bytes: parsing the decompressed text counts as done.
            LoadCallbacks local = cb;
            local.progress = [&](const LoadProgress& p) {
                LoadProgress q = p;
                q.bytesDone = before + compressed;
                if (cb.progress) cb.progress(q);
            };
            if (!loadSource(src, options, local, progress, before)) return false;
            before += std::max(compressed, sizes[i]);
            progress.bytesDone = before;
            continue;
        }
        if (!src) continue;
        if (!loadSource(src, options, cb, progress, before)) return false;
        before += src->size();
        progress.bytesDone = before;
    }
    return true;
}

bool loadIntoStore(EventStore& store, const std::vector<std::string>& paths, const LoadOptions& options,
                   const std::function<void(const LoadProgress&)>& progress,
                   const std::atomic<bool>* cancel) {
    LoadCallbacks cb;
    cb.batch = [&](LoadBatch&& batch) { store.append(std::move(batch)); };
    cb.progress = progress;
    cb.fileError = [&](const std::string& message) { store.addLoadError(message); };
    cb.notice = [&](const std::string& message) { store.addNotice(message); };
    cb.cancel = cancel;
    const bool complete = loadFiles(paths, options, cb);
    store.finishLoading();
    return complete;
}

} // namespace caracal
