#include "SourceBuffer.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace caracal {

namespace {
constexpr uint64_t kPadding = 64;

const char* fileKind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "not a regular file";
}
} // namespace

SourceBuffer::~SourceBuffer() {
    if (m_map) munmap(m_map, m_mapSize);
}

std::shared_ptr<SourceBuffer> SourceBuffer::mapFile(const std::string& path, std::string& error) {
    // O_NONBLOCK so that opening a FIFO never waits for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = path + ": cannot open: " + std::strerror(errno);
        return nullptr;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        error = path + ": cannot read: " + std::strerror(errno);
        ::close(fd);
        return nullptr;
    }
    if (!S_ISREG(st.st_mode)) {
        error = path + ": cannot read: " + fileKind(st.st_mode) + ", not a file";
        ::close(fd);
        return nullptr;
    }
    std::shared_ptr<SourceBuffer> buf(new SourceBuffer);
    buf->m_name = path;
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > 0) {
        const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
        void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            error = path + ": cannot map: " + std::strerror(errno);
            ::close(fd);
            return nullptr;
        }
        madvise(map, size, MADV_SEQUENTIAL);
        buf->m_map = map;
        buf->m_mapSize = size;
        buf->m_data = static_cast<const char*>(map);
        buf->m_size = size;
        // Bytes up to the end of the last mapped page are readable (zero-filled).
        const uint64_t readable = (size + page - 1) / page * page;
        buf->m_paddedLimit =
            readable >= size + kPadding ? size : (readable > kPadding ? readable - kPadding : 0);
    }
    ::close(fd);
    return buf;
}

std::shared_ptr<SourceBuffer> SourceBuffer::fromBytes(std::string name, std::string bytes) {
    std::shared_ptr<SourceBuffer> buf(new SourceBuffer);
    buf->m_name = std::move(name);
    buf->m_owned = std::move(bytes);
    const size_t size = buf->m_owned.size();
    buf->m_owned.append(kPadding, '\0');
    buf->m_data = buf->m_owned.data();
    buf->m_size = size;
    buf->m_paddedLimit = size;
    return buf;
}

} // namespace caracal
