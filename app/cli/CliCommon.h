#pragma once
// Shared plumbing of caracal-trace subcommands: exit codes, option parsing, loading with bad-line reports.
#include "load/EventLoader.h"
#include "store/EventStore.h"

#include <QCommandLineParser>
#include <QStringList>
#include <cstdio>
#include <string>

namespace caracal::cli {

enum Exit { Success = 0, NoMatch = 1, UsageError = 2, Tampered = 3 };

// Parses `args` (without the program and subcommand names). Prints --help and returns Success through `exit`,
// or prints the problem and returns UsageError. Returns true when the command should run.
bool parseOptions(QCommandLineParser& parser, const QStringList& args, const char* usage, int& exit);
void printError(const std::string& message);
// True when `value` is one of `allowed`; otherwise says so on stderr.
bool checkFormat(const QString& value, const QStringList& allowed);

// The FILE arguments, or "-" (standard input) when there are none and standard input is not a terminal
// (`zcat export.gz | caracal-trace stats`).
QStringList inputFiles(const QCommandLineParser& parser);
// Reads one whole input (a file, "-", a FIFO; gzip, zstd and xz decoded). False with `error` set otherwise.
bool readInput(const std::string& path, std::string& bytes, std::string& error);
// True when any of `files` can be read only once (standard input, a FIFO).
bool anyStreamInput(const QStringList& files);

// Loads files into the store, printing each unreadable input and each bad line ("FILE:LINE: reason") on
// stderr. Returns false when an input could not be read at all.
bool loadReporting(EventStore& store, const QStringList& files, const LoadOptions& options = {});

// Buffered stdout for large outputs.
class Output {
  public:
    ~Output() { flush(); }
    void write(std::string_view s) {
        m_buffer.append(s);
        if (m_buffer.size() > (1u << 20)) flush();
    }
    void flush() {
        std::fwrite(m_buffer.data(), 1, m_buffer.size(), stdout);
        std::fflush(stdout);
        m_buffer.clear();
    }

  private:
    std::string m_buffer;
};

int runSearch(const QStringList& args);
int runStats(const QStringList& args);
int runErrors(const QStringList& args);
int runExplain(const QStringList& args);
int runGraph(const QStringList& args);
int runSetupCheck(const QStringList& args);
int runVerify(const QStringList& args);
int runTimeline(const QStringList& args);

} // namespace caracal::cli
