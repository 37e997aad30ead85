#include "chain/VerifyFiles.h"

#include "chain/ChainHash.h"
#include "chain/ChainVerifier.h"
#include "util/SourceBuffer.h"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <thread>

namespace caracal {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Line numbers in a batch are relative to its block until it is merged.
void shiftLines(ChainBatch& b, uint32_t by) {
    for (ChainRows& c : b.chains) {
        for (ChainLink& l : c.links)
            l.row.index += by;
        for (ChainProblem& p : c.problems)
            p.row.index += by;
        c.firstWithoutChainRow.index += by;
    }
    for (UnreadableRow& u : b.unreadable)
        u.row.index += by;
}

struct Block {
    uint64_t begin, end;
};

std::vector<Block> splitBlocks(std::string_view bytes, size_t blockBytes) {
    std::vector<Block> blocks;
    uint64_t pos = 0;
    while (pos < bytes.size()) {
        uint64_t end = std::min<uint64_t>(pos + blockBytes, bytes.size());
        if (end < bytes.size()) {
            const void* nl = std::memchr(bytes.data() + end, '\n', bytes.size() - end);
            end = nl ? static_cast<uint64_t>(static_cast<const char*>(nl) - bytes.data()) + 1 : bytes.size();
        }
        blocks.push_back({pos, end});
        pos = end;
    }
    return blocks;
}

// Reads the lines of one block; returns the number of lines.
uint32_t readLines(ChainRowReader& reader, std::string_view bytes, Block block, uint32_t source,
                   ChainBatch& out, const std::atomic<bool>* cancel) {
    uint32_t line = 0;
    uint64_t pos = block.begin;
    while (pos < block.end) {
        if ((line & 1023) == 0 && cancel && cancel->load(std::memory_order_relaxed)) break;
        const char* nl = static_cast<const char*>(std::memchr(bytes.data() + pos, '\n', block.end - pos));
        const uint64_t lineEnd = nl ? static_cast<uint64_t>(nl - bytes.data()) : block.end;
        ++line;
        const std::string_view text = trimmed(bytes.substr(pos, lineEnd - pos));
        pos = lineEnd + 1;
        if (!text.empty()) reader.readJson(text, {source, line}, out);
    }
    return line;
}

bool lineIsWholeValue(std::string_view firstLine) {
    JsonCursor c(trimmed(firstLine));
    return c.skipValue() && c.atEnd();
}

} // namespace

bool forEachCsvRecord(
    std::string_view text,
    const std::function<void(const std::vector<std::string>&, const std::vector<bool>&, uint32_t)>& fn,
    std::string& error) {
    std::vector<std::string> fields;
    std::vector<bool> quoted;
    size_t i = 0;
    uint32_t line = 1;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < text.size()) {
        const uint32_t recordLine = line;
        fields.clear();
        quoted.clear();
        for (;;) {
            std::string field;
            bool q = false;
            if (i < text.size() && text[i] == '"') {
                q = true;
                const size_t start = i++;
                for (;;) {
                    if (i >= text.size()) {
                        error = "line " + std::to_string(recordLine) + ": a quoted field (from byte " +
                                std::to_string(start + 1) + ") never ends";
                        return false;
                    }
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                    ++i;
                }
            }
            while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                field += text[i++];
            fields.push_back(std::move(field));
            quoted.push_back(q);
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            if (i < text.size() && text[i] == '\r') ++i;
            if (i < text.size() && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        if (!(fields.size() == 1 && fields[0].empty() && !quoted[0])) fn(fields, quoted, recordLine);
    }
    return true;
}

VerifyReport verifyFiles(const std::vector<std::string>& paths, const VerifyFilesOptions& options,
                         std::vector<std::string>& fileErrors) {
    ChainVerifier verifier(!options.key.empty());
    verifier.setZoneFilter(options.zones);
    VerifyProgress progress;
    std::vector<std::shared_ptr<SourceBuffer>> sources;
    for (const std::string& path : paths) {
        std::string error;
        auto src = SourceBuffer::mapFile(path, error);
        if (!src) {
            fileErrors.push_back(error);
            sources.push_back(nullptr);
            continue;
        }
        progress.bytesTotal += src->size();
        sources.push_back(std::move(src));
    }
    const unsigned cores =
        options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    uint64_t bytesBefore = 0;
    for (uint32_t s = 0; s < sources.size(); ++s) {
        if (options.cancel && options.cancel->load()) break;
        const auto& src = sources[s];
        if (!src) continue;
        verifier.setSourceName(s, paths[s]);
        const std::string_view bytes = src->bytes();
        const std::string_view body = trimmed(bytes);
        if (body.empty()) {
            bytesBefore += bytes.size();
            continue;
        }
        const std::string_view firstLine = body.substr(0, body.find('\n'));
        if (body.front() != '{' && body.front() != '[') {
            // A CSV export of audit_events or admin_audit_events: one pass, header first.
            ChainRowReader reader(options.key);
            ChainBatch batch;
            std::vector<std::string> header;
            std::string error;
            const bool ok = forEachCsvRecord(
                bytes,
                [&](const std::vector<std::string>& fields, const std::vector<bool>& quoted, uint32_t line) {
                    if (header.empty()) {
                        header = fields;
                        return;
                    }
                    reader.readCsv(header, fields, quoted, {s, line}, batch);
                },
                error);
            if (!ok) fileErrors.push_back(paths[s] + ": " + error);
            if (std::find(header.begin(), header.end(), "id") == header.end())
                fileErrors.push_back(
                    paths[s] + ": neither JSON nor a CSV export with an id column (the table's columns)");
            progress.rows += batch.rows;
            verifier.add(std::move(batch));
        } else if (body.front() == '[' || !lineIsWholeValue(firstLine)) {
            // One JSON document: a saved page, an array of rows, a pretty-printed object.
            ChainRowReader reader(options.key);
            ChainBatch batch;
            reader.readJson(body, {s, 1}, batch);
            progress.rows += batch.rows;
            verifier.add(std::move(batch));
        } else {
            // JSON lines: blocks on every core, merged in order.
            const auto blocks = splitBlocks(bytes, options.blockBytes);
            const unsigned threads =
                std::max(1u, std::min<unsigned>(cores, static_cast<unsigned>(blocks.size())));
            const size_t window = threads * 3;
            std::vector<std::optional<std::pair<ChainBatch, uint32_t>>> done(blocks.size());
            std::mutex mutex;
            std::condition_variable ready, space;
            size_t nextBlock = 0, delivered = 0;
            bool stop = false;
            auto worker = [&] {
                ChainRowReader reader(options.key);
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
                    ChainBatch batch;
                    const uint32_t lines = readLines(reader, bytes, blocks[index], s, batch, options.cancel);
                    std::lock_guard lock(mutex);
                    done[index].emplace(std::move(batch), lines);
                    ready.notify_all();
                }
            };
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < threads; ++t)
                pool.emplace_back(worker);
            uint32_t lineBase = 0;
            for (size_t i = 0; i < blocks.size(); ++i) {
                std::pair<ChainBatch, uint32_t> result;
                {
                    std::unique_lock lock(mutex);
                    ready.wait(lock, [&] { return done[i].has_value(); });
                    result = std::move(*done[i]);
                    done[i].reset();
                    ++delivered;
                    space.notify_all();
                }
                if (options.cancel && options.cancel->load()) break;
                shiftLines(result.first, lineBase);
                lineBase += result.second;
                progress.rows += result.first.rows;
                verifier.add(std::move(result.first));
                progress.bytesDone = bytesBefore + blocks[i].end;
                if (options.progress) options.progress(progress);
            }
            {
                std::lock_guard lock(mutex);
                stop = true;
                space.notify_all();
            }
            for (auto& t : pool)
                t.join();
        }
        bytesBefore += bytes.size();
        progress.bytesDone = bytesBefore;
        if (options.progress) options.progress(progress);
    }
    VerifyReport report = verifier.finish(options.cancel);
    if (options.cancel && options.cancel->load()) report.cancelled = true;
    return report;
}

HmacKey loadHmacKey(const std::string& keyFile, bool useEnvironment) {
    HmacKey key;
    std::string hex;
    if (!keyFile.empty()) {
        key.origin = "key file " + keyFile;
        std::ifstream in(keyFile, std::ios::binary);
        if (!in) {
            key.error = "cannot read the key file " + keyFile + ": " + std::strerror(errno);
            return key;
        }
        std::ostringstream text;
        text << in.rdbuf();
        hex = text.str();
        struct stat st {};
        if (::stat(keyFile.c_str(), &st) == 0 && (st.st_mode & 044))
            key.warning =
                "the key file " + keyFile + " is readable by " +
                ((st.st_mode & 004) ? std::string("everyone on this machine") : std::string("its group")) +
                "; restrict it with: chmod 600 " + keyFile;
    } else if (useEnvironment) {
        const char* env = std::getenv("AUDIT_HMAC_KEY");
        if (!env || !*env) return key;
        key.origin = "AUDIT_HMAC_KEY";
        hex = env;
    } else {
        return key;
    }
    key.bytes = hexDecode(hex);
    if (key.bytes.empty())
        key.error = "the " + key.origin +
                    " does not hold a hex key (Caracal's AUDIT_HMAC_KEY is hex text, at least 64 digits)";
    return key;
}

} // namespace caracal

namespace caracal {

VerifyReport verifyRows(size_t count, const std::function<std::string_view(size_t)>& rowText,
                        const VerifyRowsOptions& options) {
    const unsigned threads =
        std::max(1u, options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency()));
    const size_t chunk = 16384;
    const size_t chunks = (count + chunk - 1) / chunk;
    std::vector<ChainBatch> done(chunks);
    std::atomic<size_t> next{0}, rowsDone{0};
    auto worker = [&] {
        ChainRowReader reader(options.key);
        for (size_t c; (c = next++) < chunks;) {
            if (options.cancel && options.cancel->load()) return;
            const size_t end = std::min(count, (c + 1) * chunk);
            for (size_t i = c * chunk; i < end; ++i)
                if (const std::string_view text = rowText(i); !text.empty()) // empty: a row to leave out
                    reader.readJson(text, {0, static_cast<uint32_t>(i)}, done[c]);
            const size_t d = rowsDone += end - c * chunk;
            if (options.progress) options.progress(d, count);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    ChainVerifier verifier(!options.key.empty());
    for (ChainBatch& b : done)
        verifier.add(std::move(b));
    VerifyReport report = verifier.finish(options.cancel);
    if (options.cancel && options.cancel->load()) report.cancelled = true;
    return report;
}

} // namespace caracal
