#pragma once
// Follows a growing local file as `tail -f` does: each poll returns the complete lines appended since the
// last one; a partial last line waits for its newline. A file that shrank (truncated) or was replaced
// (rotated: another inode at the path) is read again from its start, and the poll says which happened.
#include <cstdint>
#include <string>

namespace caracal {

class FileFollower {
  public:
    explicit FileFollower(std::string path) : m_path(std::move(path)) {}
    ~FileFollower();
    FileFollower(const FileFollower&) = delete;
    FileFollower& operator=(const FileFollower&) = delete;

    enum class Restart { None, Truncated, Rotated };
    struct Update {
        std::string lines;      // complete lines, each ending in '\n'
        uint32_t firstLine = 1; // file line number of the first of them
        Restart restart = Restart::None;
        std::string error; // the file cannot be read (it may come back: polling goes on)
    };
    Update poll();
    // Starts following after the first `offset` bytes (up to just past a complete line whose successor is
    // file line `nextLine`), for a file whose start is already loaded, or goes back there when what was
    // read since could not be used. False with `error` when the file cannot be opened or is now shorter.
    bool resumeAt(uint64_t offset, uint32_t nextLine, std::string& error);
    // Reads again from an earlier offset() / nextLine() of the same open file (what was read since is
    // wanted again); a rotation since is still seen by the next poll.
    void rewindTo(uint64_t offset, uint32_t nextLine);

    const std::string& path() const { return m_path; }
    uint64_t offset() const { return m_offset; } // bytes consumed as complete lines
    uint32_t nextLine() const { return m_nextLine; }

  private:
    bool reopen(std::string& error);

    std::string m_path;
    int m_fd = -1;
    uint64_t m_dev = 0, m_inode = 0;
    uint64_t m_offset = 0;   // file offset just past the last complete line returned
    std::string m_partial;   // bytes after it already read
    uint32_t m_nextLine = 1; // file line number of the next complete line
};

} // namespace caracal
