#pragma once
// The bytes of one input read front to back: a file, a FIFO or standard input ("-"), decompressed on the
// fly when its first bytes are a gzip, zstd or xz header (the magic decides, not the name). Used where a
// memory map cannot be: pipes, FIFOs and compressed exports. A damaged archive yields every byte before the
// damage, then stops with an error naming the compressed offset.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace caracal {

enum class Compression { None, Gzip, Zstd, Xz };
const char* compressionName(Compression c);
// From the first bytes of an input (at least 6 for xz).
Compression detectCompression(std::string_view head);

class InputStream {
  public:
    ~InputStream();
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;

    // Opens `path` ("-" is standard input). Null with `error` set when it cannot be opened.
    static std::unique_ptr<InputStream> open(const std::string& path, std::string& error);

    // Reads up to `capacity` decompressed bytes; 0 at the end or after an error (see error()).
    size_t read(char* out, size_t capacity);
    // Appends everything left to `out`, calling `progress` (compressed bytes so far) every few MB. False when
    // the input ended in an error; `out` then holds every byte before it.
    bool readAll(std::string& out, const std::function<void(uint64_t)>& progress = {});

    const std::string& name() const { return m_name; }
    Compression compression() const { return m_compression; }
    uint64_t compressedBytesRead() const { return m_rawRead; }
    // The size of the underlying file when it is a regular file, else 0.
    uint64_t knownSize() const { return m_knownSize; }
    const std::string& error() const { return m_error; }
    // The decompressed size when the stream says it up front (a zstd frame header usually does), else 0.
    uint64_t decompressedSizeHint() const;

  private:
    InputStream() = default;
    bool fill(); // reads more raw bytes into m_raw; false at the end of the input or on a read error
    size_t decode(char* out, size_t capacity);

    struct Decoder;
    std::string m_name;
    int m_fd = -1;
    bool m_ownsFd = false;
    Compression m_compression = Compression::None;
    std::string m_raw; // raw bytes read and not yet consumed: [m_rawPos, m_raw.size())
    size_t m_rawPos = 0;
    bool m_rawEnd = false;
    uint64_t m_rawRead = 0;
    uint64_t m_knownSize = 0;
    std::string m_error;
    bool m_finished = false;
    std::unique_ptr<Decoder> m_decoder;
};

} // namespace caracal
