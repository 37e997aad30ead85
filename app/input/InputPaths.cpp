#include "input/InputPaths.h"

#include "input/InputStream.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sys/stat.h>

namespace caracal {

namespace {

// The first bytes of a file, enough to recognise compression, JSON or a CSV header line.
std::string head(const std::string& path) {
    std::string bytes(4096, '\0');
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return {};
    bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
    std::fclose(f);
    return bytes;
}

bool looksLikeAuditInput(const std::string& bytes) {
    if (detectCompression(bytes) != Compression::None) return true;
    std::string_view b = bytes;
    if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
    const size_t first = b.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return false;
    if (b[first] == '{' || b[first] == '[') return true;
    // A CSV export's header names its id column first among known fields; "id," at the start is enough here.
    const std::string_view line = b.substr(first, b.find('\n', first) - first);
    return line.substr(0, 3) == "id," || line.find(",id,") != std::string_view::npos ||
           line.find(",occurred_at") != std::string_view::npos;
}

} // namespace

bool isStreamInput(const std::string& path) {
    if (path == "-") return true;
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

ExpandedInputs expandInputs(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    ExpandedInputs out;
    for (const std::string& p : paths) {
        std::error_code ec;
        if (p == "-" || !fs::is_directory(p, ec)) {
            out.paths.push_back(p);
            continue;
        }
        std::vector<std::string> files;
        for (const auto& entry : fs::directory_iterator(p, ec)) {
            const std::string name = entry.path().filename().string();
            if (!name.empty() && name[0] == '.') continue; // hidden files and editors' swap files
            std::error_code typeEc;
            if (entry.is_regular_file(typeEc)) files.push_back(entry.path().string());
        }
        if (ec) {
            out.notes.push_back(p + ": cannot list the folder: " + ec.message());
            continue;
        }
        std::sort(files.begin(), files.end());
        size_t taken = 0;
        for (const std::string& f : files) {
            if (looksLikeAuditInput(head(f))) {
                out.paths.push_back(f);
                ++taken;
            } else {
                out.notes.push_back(f +
                                    ": skipped, not an audit file (not JSON, a CSV export or compressed)");
            }
        }
        if (taken == 0) out.notes.push_back(p + ": the folder holds no audit files");
    }
    return out;
}

} // namespace caracal
