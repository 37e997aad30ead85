#include "cli/CliCommon.h"

#include "input/InputPaths.h"
#include "input/InputStream.h"

#include <algorithm>
#include <unistd.h>

namespace caracal::cli {

void printError(const std::string& message) {
    std::fprintf(stderr, "caracal-trace: %s\n", message.c_str());
}

bool checkFormat(const QString& value, const QStringList& allowed) {
    if (allowed.contains(value)) return true;
    const QString choices = allowed.size() > 1
                                ? allowed.mid(0, allowed.size() - 1).join(", ") + " or " + allowed.last()
                                : allowed.value(0);
    printError("--format must be " + choices.toStdString() + ", not '" + value.toStdString() + "'");
    return false;
}

bool parseOptions(QCommandLineParser& parser, const QStringList& args, const char* usage, int& exit) {
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({"h", "help"}, "Show this help.");
    parser.addOption(help);
    if (!parser.parse(QStringList{"caracal-trace"} + args)) {
        printError(parser.errorText().toStdString() + " (see --help)");
        exit = UsageError;
        return false;
    }
    if (parser.isSet(help)) {
        std::fputs(usage, stdout);
        std::fputs("\n", stdout); // Qt's text below starts with its own "Options:" line
        std::fputs(parser.helpText().section('\n', 2).toStdString().c_str(), stdout);
        exit = Success;
        return false;
    }
    return true;
}

QStringList inputFiles(const QCommandLineParser& parser) {
    QStringList files = parser.positionalArguments();
    if (files.isEmpty() && !isatty(STDIN_FILENO)) files << "-";
    return files;
}

bool readInput(const std::string& path, std::string& bytes, std::string& error) {
    auto in = InputStream::open(path, error);
    if (!in) return false;
    if (!in->readAll(bytes)) {
        error = in->error();
        return false;
    }
    return true;
}

bool anyStreamInput(const QStringList& files) {
    return std::any_of(files.begin(), files.end(),
                       [](const QString& f) { return isStreamInput(f.toStdString()); });
}

bool loadReporting(EventStore& store, const QStringList& files, const LoadOptions& options) {
    std::vector<std::string> paths;
    for (const QString& f : files)
        paths.push_back(f.toStdString());
    loadIntoStore(store, paths, options);
    for (const std::string& error : store.loadErrors())
        printError(error);
    for (const std::string& notice : store.notices())
        printError(notice);
    std::string report;
    for (const BadLine& bad : store.badLines()) {
        report += store.source(bad.source).name();
        report += ':';
        report += std::to_string(bad.line);
        report += ": ";
        report += bad.reason;
        report += '\n';
    }
    std::fputs(report.c_str(), stderr);
    return store.loadErrors().empty();
}

} // namespace caracal::cli
