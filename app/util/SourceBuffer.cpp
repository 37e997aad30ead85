#include "util/SourceBuffer.h"

#include <atomic>
#include <cerrno>
#include <csignal>
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

// A file can shrink while it is mapped; touching a page past its new end raises SIGBUS. The handler looks the
// address up among our mappings and, when it is one of them, maps a zero page there and marks the source, so
// the read completes with zeros. Faults elsewhere go to the previous handler (or the default: a crash, as
// before).
namespace {
constexpr int kGuardSlots = 256;
struct GuardSlot {
    std::atomic<uintptr_t> begin{0}, end{0};
    std::atomic<bool> truncated{false};
};
GuardSlot g_slots[kGuardSlots];
struct sigaction g_previous {};
std::atomic<bool> g_installed{false};

void onBus(int sig, siginfo_t* info, void* context) {
    const uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
    for (GuardSlot& slot : g_slots) {
        const uintptr_t b = slot.begin.load(std::memory_order_acquire),
                        e = slot.end.load(std::memory_order_acquire);
        if (b && addr >= b && addr < e) {
            const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
            void* at = reinterpret_cast<void*>(addr & ~(page - 1));
            if (mmap(at, page, PROT_READ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) {
                slot.truncated.store(true, std::memory_order_release);
                return; // the faulting read runs again and sees zeros
            }
        }
    }
    if (g_previous.sa_flags & SA_SIGINFO)
        g_previous.sa_sigaction(sig, info, context);
    else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN)
        g_previous.sa_handler(sig);
    else {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

int guard(const void* data, uint64_t size) {
    if (!g_installed.exchange(true)) {
        struct sigaction sa {};
        sa.sa_sigaction = onBus;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGBUS, &sa, &g_previous);
    }
    for (int i = 0; i < kGuardSlots; ++i) {
        uintptr_t expected = 0;
        if (g_slots[i].begin.compare_exchange_strong(expected, reinterpret_cast<uintptr_t>(data))) {
            g_slots[i].truncated = false;
            g_slots[i].end = reinterpret_cast<uintptr_t>(data) + size;
            return i;
        }
    }
    return -1; // more mappings than slots: unguarded, as before
}
} // namespace

bool SourceBuffer::truncated() const {
    return m_guardSlot >= 0 && g_slots[m_guardSlot].truncated.load();
}

SourceBuffer::~SourceBuffer() {
    if (m_map) munmap(m_map, m_mapSize);
    if (m_guardSlot >= 0) {
        g_slots[m_guardSlot].end = 0;
        g_slots[m_guardSlot].begin = 0;
    }
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
        buf->m_guardSlot = guard(map, size);
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

std::shared_ptr<SourceBuffer> SourceBuffer::growable(std::string name, uint64_t capacity,
                                                     std::string& error) {
    std::shared_ptr<SourceBuffer> buf(new SourceBuffer);
    buf->m_name = std::move(name);
    // Reserved, not committed: pages are backed only as the decoder writes them. The padding past the
    // capacity stays zero, so simdjson may read 64 bytes past any row.
    const uint64_t mapSize = capacity + kPadding;
    void* map =
        mmap(nullptr, mapSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) {
        error = buf->m_name + ": cannot reserve " + std::to_string(capacity >> 20) +
                " MB for the decompressed data: " + std::strerror(errno);
        return nullptr;
    }
    madvise(map, mapSize, MADV_HUGEPAGE); // fewer page faults on a gigabyte of decoded text
    buf->m_map = map;
    buf->m_mapSize = mapSize;
    buf->m_capacity = capacity;
    buf->m_data = static_cast<const char*>(map);
    buf->m_paddedLimit = capacity;
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
