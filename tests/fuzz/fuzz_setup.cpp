// Setup inputs a user points the checks at: the first byte picks the reader, the rest is its input.
//   'p' a Caracal profile (TOML, written to a private temporary file as the check reads files);
//   'r' the saved output of `caracal status --ready --json`;
//   'd' a readiness endpoint's answer (first line: the HTTP status).
#include "FuzzInput.h"
#include "setup/ProfileCheck.h"
#include "setup/ReadinessCheck.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace caracal;

namespace {
void profile(std::string_view toml) {
    char dir[] = "/tmp/caracal-fuzz-XXXXXX";
    if (!mkdtemp(dir)) return;
    const std::string path = std::string(dir) + "/caracal.toml";
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(toml.data(), 1, toml.size(), f);
        std::fclose(f);
        chmod(path.c_str(), 0600);
        SetupEnvironment env;
        env.home = dir;
        env.workingDirectory = dir;
        env.vars["CARACAL_CONFIG_HOME"] = dir;
        const ProfileReport report = checkProfile(env, path);
        (void)readinessChecks(ReadinessReport{});
        (void)report;
    }
    std::remove(path.c_str());
    rmdir(dir);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > (1u << 18)) return 0;
    const std::string_view in = fuzz::text(data, size).substr(1);
    switch (data[0]) {
    case 'p':
        profile(in);
        break;
    case 'r': {
        const ReadinessReport report = parseStatusJson(in, "status.json");
        (void)readinessChecks(report);
        break;
    }
    case 'd': {
        auto [head, body] = fuzz::firstLine(in);
        int status = 503;
        std::from_chars(head.data(), head.data() + head.size(), status);
        (void)readinessDetail(status, body);
        break;
    }
    default:
        break;
    }
    return 0;
}
