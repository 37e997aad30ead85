#pragma once
// The bytes of one loaded input: a read-only memory map of a file, or an owned buffer (a converted CSV
// export, a page received from a server). Records point into it; it lives as long as the store that holds it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

// Where an input came from: the Caracal API cuts times to the millisecond and shows authority records as
// "[redacted]"; the audit service and file exports keep both.
enum class SourceOrigin : uint8_t { File, CaracalApi, AuditService };

class SourceBuffer {
  public:
    ~SourceBuffer();
    SourceBuffer(const SourceBuffer&) = delete;
    SourceBuffer& operator=(const SourceBuffer&) = delete;

    // Maps `path`. On failure returns null and sets `error` to a message naming the path and the cause.
    static std::shared_ptr<SourceBuffer> mapFile(const std::string& path, std::string& error);
    static std::shared_ptr<SourceBuffer> fromBytes(std::string name, std::string bytes);
    // An empty anonymous mapping of `capacity` bytes that a decoder fills front to back while the loader
    // parses what is already there (a compressed export or a pipe): rows are read in place, like a mapped
    // file. Null with `error` set when the address space cannot be reserved.
    static std::shared_ptr<SourceBuffer> growable(std::string name, uint64_t capacity, std::string& error);
    // Growable buffers only: where the decoder writes, how much it may write, and the size readers see.
    char* writable() { return m_map ? static_cast<char*>(m_map) : nullptr; }
    uint64_t capacity() const { return m_capacity; }
    void commit(uint64_t size) { m_size.store(size, std::memory_order_release); }

    const std::string& name() const { return m_name; }
    std::string_view bytes() const { return {m_data, size()}; }
    const char* data() const { return m_data; }
    uint64_t size() const { return m_size.load(std::memory_order_acquire); }
    // simdjson reads up to 64 bytes past a value; rows ending before this offset can be parsed in place.
    uint64_t paddedLimit() const { return m_paddedLimit; }

    // For converted inputs (CSV): the original line of each converted line, 1-based; empty when lines map
    // 1:1.
    std::vector<uint32_t> lineMap;
    SourceOrigin origin = SourceOrigin::File;

    // True once a read found the file shorter than when it was mapped (truncated or replaced while open). The
    // bytes past the new end read as zeros instead of killing the process; the data should be reloaded.
    bool truncated() const;

  private:
    SourceBuffer() = default;
    std::string m_name;
    const char* m_data = "";
    std::atomic<uint64_t> m_size{0}; // grows while a growable buffer is filled and read
    uint64_t m_paddedLimit = 0;
    uint64_t m_capacity = 0;
    void* m_map = nullptr;
    uint64_t m_mapSize = 0;
    std::string m_owned;
    int m_guardSlot = -1;
};

} // namespace caracal
