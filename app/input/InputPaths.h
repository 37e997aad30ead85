#pragma once
// What a path on a command line or in an open dialog stands for: a file, standard input ("-"), a FIFO, or a
// folder whose audit files are read in name order (a folder of hourly exports). A file in a folder is taken
// when it looks like an audit input: compressed (gzip, zstd, xz), JSON (starts with '{' or '['), or a CSV
// export header; anything else is skipped with a note.
#include <string>
#include <vector>

namespace caracal {

struct ExpandedInputs {
    std::vector<std::string> paths;
    std::vector<std::string> notes; // skipped files, empty folders
};

ExpandedInputs expandInputs(const std::vector<std::string>& paths);

// True for "-" and for paths that are not regular files (FIFOs, character devices such as /dev/stdin): inputs
// that can only be read once, front to back.
bool isStreamInput(const std::string& path);

} // namespace caracal
