#pragma once
// The bytes of one loaded input: a read-only memory map of a file, or an owned buffer (a converted CSV
// export, a page received from a server). Records point into it; it lives as long as the store that holds it.
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

    const std::string& name() const { return m_name; }
    std::string_view bytes() const { return {m_data, m_size}; }
    const char* data() const { return m_data; }
    uint64_t size() const { return m_size; }
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
    uint64_t m_size = 0;
    uint64_t m_paddedLimit = 0;
    void* m_map = nullptr;
    uint64_t m_mapSize = 0;
    std::string m_owned;
    int m_guardSlot = -1;
};

} // namespace caracal
