#include "input/InputStream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace caracal {

namespace {
constexpr size_t kRawChunk = 1 << 20;
}

const char* compressionName(Compression c) {
    switch (c) {
    case Compression::Gzip:
        return "gzip";
    case Compression::Zstd:
        return "zstd";
    case Compression::Xz:
        return "xz";
    case Compression::None:
        break;
    }
    return "plain";
}

Compression detectCompression(std::string_view h) {
    if (h.size() >= 2 && h[0] == '\x1f' && h[1] == '\x8b') return Compression::Gzip;
    if (h.size() >= 4 && h.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) return Compression::Zstd;
    if (h.size() >= 6 && h.substr(0, 6) == std::string_view("\xfd"
                                                            "7zXZ\0",
                                                            6))
        return Compression::Xz;
    return Compression::None;
}

struct InputStream::Decoder {
    z_stream zlib{};
    bool zlibReady = false;
    ZSTD_DStream* zstd = nullptr;
    size_t zstdLast = 0; // 0 once a frame is complete
    lzma_stream xz = LZMA_STREAM_INIT;
    bool xzReady = false;
    ~Decoder() {
        if (zlibReady) inflateEnd(&zlib);
        if (zstd) ZSTD_freeDStream(zstd);
        if (xzReady) lzma_end(&xz);
    }
};

InputStream::~InputStream() {
    if (m_ownsFd && m_fd >= 0) ::close(m_fd);
}

std::unique_ptr<InputStream> InputStream::open(const std::string& path, std::string& error) {
    std::unique_ptr<InputStream> s(new InputStream);
    s->m_name = path == "-" ? std::string("standard input") : path;
    if (path == "-") {
        s->m_fd = 0;
    } else {
        s->m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (s->m_fd < 0) {
            error = path + ": cannot open: " + std::strerror(errno);
            return nullptr;
        }
        s->m_ownsFd = true;
    }
    struct stat st {};
    if (fstat(s->m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error = path + ": is a directory";
            return nullptr;
        }
        if (S_ISREG(st.st_mode)) s->m_knownSize = static_cast<uint64_t>(st.st_size);
        // A pipe's default 64 KB buffer costs a context switch per 64 KB: ask for the largest the system
        // grants an unprivileged reader (1 MB by default). Best effort; a refusal changes nothing.
        if (S_ISFIFO(st.st_mode)) (void)fcntl(s->m_fd, F_SETPIPE_SZ, 1 << 20);
    }
    // The magic decides: read until 6 bytes are known (or the input ends).
    while (s->m_raw.size() < 6 && s->fill()) {
    }
    if (!s->m_error.empty()) {
        error = s->m_error;
        return nullptr;
    }
    s->m_compression = detectCompression(s->m_raw);
    s->m_decoder = std::make_unique<Decoder>();
    Decoder& d = *s->m_decoder;
    switch (s->m_compression) {
    case Compression::Gzip:
        if (inflateInit2(&d.zlib, 15 + 16) != Z_OK) error = path + ": cannot start gzip decoding";
        d.zlibReady = error.empty();
        break;
    case Compression::Zstd:
        d.zstd = ZSTD_createDStream();
        if (!d.zstd || ZSTD_isError(ZSTD_initDStream(d.zstd))) error = path + ": cannot start zstd decoding";
        break;
    case Compression::Xz:
        if (lzma_stream_decoder(&d.xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            error = path + ": cannot start xz decoding";
        d.xzReady = error.empty();
        break;
    case Compression::None:
        break;
    }
    if (!error.empty()) return nullptr;
    return s;
}

bool InputStream::fill() {
    if (m_rawEnd) return false;
    if (m_rawPos > 0 && m_rawPos == m_raw.size()) {
        m_raw.clear();
        m_rawPos = 0;
    }
    // A pipe hands out at most its buffer (64 KB) per read: gather up to a chunk, or to the end.
    const size_t old = m_raw.size();
    m_raw.resize(old + kRawChunk);
    size_t got = 0;
    while (got < kRawChunk) {
        const ssize_t n = ::read(m_fd, m_raw.data() + old + got, kRawChunk - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            m_error = m_name + ": read failed at byte " + std::to_string(m_rawRead + got) + ": " +
                      std::strerror(errno);
        if (n <= 0) {
            m_rawEnd = true;
            break;
        }
        got += size_t(n);
    }
    m_raw.resize(old + got);
    m_rawRead += got;
    return got > 0;
}

size_t InputStream::read(char* out, size_t capacity) {
    if (m_finished || capacity == 0) return 0;
    const size_t n = decode(out, capacity);
    if (n == 0) m_finished = true;
    return n;
}

size_t InputStream::decode(char* out, size_t capacity) {
    Decoder& d = *m_decoder;
    // Compressed offset of the next unconsumed raw byte, for messages.
    auto consumedAt = [&] { return m_rawRead - (m_raw.size() - m_rawPos); };
    auto damaged = [&](const std::string& what) {
        m_error = m_name + ": damaged " + compressionName(m_compression) + " data at compressed byte " +
                  std::to_string(consumedAt()) + " (" + what + "); the events before it are kept";
        return size_t(0);
    };
    auto cutOff = [&] {
        m_error = m_name + ": the " + std::string(compressionName(m_compression)) +
                  " stream is cut off at compressed byte " + std::to_string(m_rawRead) +
                  "; the events before it are kept";
        return size_t(0);
    };
    for (;;) {
        if (m_rawPos == m_raw.size() && !fill()) {
            if (!m_error.empty()) return 0;
            // The end of the input: only a complete stream ends cleanly.
            switch (m_compression) {
            case Compression::None:
                return 0;
            case Compression::Gzip:
                return d.zlib.total_in == 0 && d.zlib.total_out == 0 ? 0 : cutOff();
            case Compression::Zstd:
                return d.zstdLast == 0 ? 0 : cutOff();
            case Compression::Xz:
                break; // LZMA_FINISH below tells a complete stream from a cut one
            }
        }
        const char* in = m_raw.data() + m_rawPos;
        const size_t avail = m_raw.size() - m_rawPos;
        switch (m_compression) {
        case Compression::None: {
            const size_t n = std::min(avail, capacity);
            std::memcpy(out, in, n);
            m_rawPos += n;
            return n;
        }
        case Compression::Gzip: {
            d.zlib.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
            d.zlib.avail_in = static_cast<uInt>(std::min<size_t>(avail, UINT32_MAX));
            d.zlib.next_out = reinterpret_cast<Bytef*>(out);
            d.zlib.avail_out = static_cast<uInt>(std::min<size_t>(capacity, UINT32_MAX));
            const int rc = inflate(&d.zlib, Z_NO_FLUSH);
            m_rawPos += avail - d.zlib.avail_in;
            const size_t produced = std::min<size_t>(capacity, UINT32_MAX) - d.zlib.avail_out;
            if (rc == Z_STREAM_END) {
                // Another member may follow (cat a.gz b.gz); a clean end otherwise.
                inflateReset(&d.zlib);
                d.zlib.total_in = d.zlib.total_out = 0;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                if (produced) return produced; // deliver what came before; the error is met again next call
                return damaged(d.zlib.msg ? std::string(d.zlib.msg) : "zlib error " + std::to_string(rc));
            }
            if (produced) return produced;
            break;
        }
        case Compression::Zstd: {
            ZSTD_inBuffer ib{in, avail, 0};
            ZSTD_outBuffer ob{out, capacity, 0};
            const size_t rc = ZSTD_decompressStream(d.zstd, &ob, &ib);
            if (ZSTD_isError(rc)) {
                if (ob.pos) return ob.pos;
                return damaged(ZSTD_getErrorName(rc));
            }
            m_rawPos += ib.pos;
            d.zstdLast = rc;
            if (ob.pos) return ob.pos;
            break;
        }
        case Compression::Xz: {
            d.xz.next_in = reinterpret_cast<const uint8_t*>(in);
            d.xz.avail_in = avail;
            d.xz.next_out = reinterpret_cast<uint8_t*>(out);
            d.xz.avail_out = capacity;
            const lzma_ret rc = lzma_code(&d.xz, m_rawEnd && avail == 0 ? LZMA_FINISH : LZMA_RUN);
            m_rawPos += avail - d.xz.avail_in;
            const size_t produced = capacity - d.xz.avail_out;
            if (rc == LZMA_STREAM_END) return produced;
            if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
                if (produced) return produced;
                return rc == LZMA_DATA_ERROR || rc == LZMA_FORMAT_ERROR || rc == LZMA_OPTIONS_ERROR
                           ? damaged("corrupt xz data")
                           : damaged("xz error " + std::to_string(int(rc)));
            }
            if (produced) return produced;
            if (m_rawEnd && avail == 0) return rc == LZMA_BUF_ERROR ? cutOff() : 0;
            break;
        }
        }
    }
}

uint64_t InputStream::decompressedSizeHint() const {
    if (m_compression != Compression::Zstd || m_rawPos != 0) return 0;
    const unsigned long long frame = ZSTD_getFrameContentSize(m_raw.data(), m_raw.size());
    return frame == ZSTD_CONTENTSIZE_UNKNOWN || frame == ZSTD_CONTENTSIZE_ERROR ? 0 : frame;
}

bool InputStream::readAll(std::string& out, const std::function<void(uint64_t)>& progress) {
    size_t used = out.size();
    // A first guess at the decompressed size: the frame header's for zstd, the file's for plain bytes.
    uint64_t guess = m_knownSize;
    if (m_compression == Compression::Zstd) {
        const unsigned long long frame =
            ZSTD_getFrameContentSize(m_raw.data() + m_rawPos, m_raw.size() - m_rawPos);
        if (frame != ZSTD_CONTENTSIZE_UNKNOWN && frame != ZSTD_CONTENTSIZE_ERROR) guess = frame;
    } else if (m_compression != Compression::None) {
        guess = m_knownSize * 4;
    }
    if (guess) out.reserve(used + std::min<uint64_t>(guess, uint64_t(64) << 30) + 1);
    uint64_t reported = 0;
    for (;;) {
        if (out.size() - used < kRawChunk) // grow into the reserved capacity; zero-filled once
            out.resize(std::max<size_t>(used + 4 * kRawChunk, std::min(out.capacity(), used + (64u << 20))));
        const size_t n = read(out.data() + used, out.size() - used);
        if (n == 0) break;
        used += n;
        if (progress && m_rawRead - reported >= (8u << 20)) {
            reported = m_rawRead;
            progress(m_rawRead);
        }
    }
    out.resize(used);
    if (progress) progress(m_rawRead);
    return m_error.empty();
}

} // namespace caracal
