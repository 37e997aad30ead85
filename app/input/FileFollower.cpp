#include "input/FileFollower.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace caracal {

FileFollower::~FileFollower() {
    if (m_fd >= 0) ::close(m_fd);
}

bool FileFollower::reopen(std::string& error) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (m_fd < 0) {
        error = m_path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    struct stat st {};
    fstat(m_fd, &st);
    m_dev = static_cast<uint64_t>(st.st_dev);
    m_inode = static_cast<uint64_t>(st.st_ino);
    m_offset = 0;
    m_partial.clear();
    m_nextLine = 1;
    return true;
}

bool FileFollower::resumeAt(uint64_t offset, uint32_t nextLine, std::string& error) {
    if (!reopen(error)) return false;
    struct stat st {};
    if (fstat(m_fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < offset) {
        error = m_path + ": shorter than what was loaded (truncated or replaced)";
        return false;
    }
    m_offset = offset;
    m_nextLine = nextLine;
    return true;
}

void FileFollower::rewindTo(uint64_t offset, uint32_t nextLine) {
    m_offset = std::min(offset, m_offset);
    m_nextLine = std::min(nextLine, m_nextLine);
    m_partial.clear();
}

FileFollower::Update FileFollower::poll() {
    Update u;
    if (m_fd < 0 && !reopen(u.error)) return u;
    struct stat atPath {};
    if (stat(m_path.c_str(), &atPath) == 0 &&
        (static_cast<uint64_t>(atPath.st_ino) != m_inode || static_cast<uint64_t>(atPath.st_dev) != m_dev)) {
        if (!reopen(u.error)) return u;
        u.restart = Restart::Rotated;
    }
    struct stat st {};
    if (fstat(m_fd, &st) != 0) {
        u.error = m_path + ": cannot read: " + std::strerror(errno);
        return u;
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size < m_offset + m_partial.size()) { // shrank under us: start again from the top
        m_offset = 0;
        m_partial.clear();
        m_nextLine = 1;
        if (u.restart == Restart::None) u.restart = Restart::Truncated;
    }
    u.firstLine = m_nextLine;
    std::string buf(1 << 20, '\0');
    uint64_t at = m_offset + m_partial.size();
    std::string fresh = std::move(m_partial);
    m_partial.clear();
    while (at < size) {
        const ssize_t n = pread(m_fd, buf.data(), std::min<uint64_t>(buf.size(), size - at), off_t(at));
        if (n <= 0) break;
        fresh.append(buf.data(), size_t(n));
        at += uint64_t(n);
    }
    const size_t lastNl = fresh.rfind('\n');
    if (lastNl == std::string::npos) {
        m_partial = std::move(fresh);
        return u;
    }
    m_partial = fresh.substr(lastNl + 1);
    fresh.resize(lastNl + 1);
    for (char c : fresh)
        if (c == '\n') ++m_nextLine;
    m_offset += fresh.size();
    u.lines = std::move(fresh);
    return u;
}

} // namespace caracal
