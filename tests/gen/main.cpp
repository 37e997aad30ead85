// caracal-gen: writes deterministic, realistic Caracal audit events for tests, the bundled sample and
// benchmarks.
#include "EventGenerator.h"
#include "chain/ChainHash.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {
int usage(int code) {
    std::fputs("Usage: caracal-gen [--seed N] [--events N] [--zones N] [--max-gap-ms N] [--day-shape]\n"
               "                   [--format plain|search]\n"
               "                   [--hmac-key-file FILE] [-o FILE]\n"
               "  plain   one audit event object per line (as producers emit them)\n"
               "  --day-shape  spread the events over one day, busy by day and quiet at night,\n"
               "               with the rare cases through it (the bundled sample)\n"
               "  search  Go audit-search rows with ContentSHA256/PrevContentSHA256/ChainHMAC/ChainSeq\n"
               "The HMAC key file holds the hex key (at least 32 bytes), as AUDIT_HMAC_KEY does.\n",
               code ? stderr : stdout);
    return code;
}
} // namespace

int main(int argc, char** argv) {
    caracal::gen::GeneratorOptions opt;
    std::string output;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "caracal-gen: %s needs a value\n", a.c_str());
                std::exit(usage(2));
            }
            return argv[++i];
        };
        try {
            if (a == "--seed")
                opt.seed = std::stoull(value());
            else if (a == "--events")
                opt.events = std::stoull(value());
            else if (a == "--zones")
                opt.zones = std::stoi(value());
            else if (a == "--day-shape")
                opt.dayShape = true;
            else if (a == "--max-gap-ms")
                opt.maxGapMicros = std::stoll(value()) * 1000;
            else if (a == "--format") {
                const std::string f = value();
                if (f != "plain" && f != "search") return usage(2);
                opt.searchRows = f == "search";
            } else if (a == "--hmac-key-file") {
                std::ifstream in(value());
                std::string hex((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                opt.hmacKey = caracal::hexDecode(hex);
                if (opt.hmacKey.size() < 32) {
                    std::fputs("caracal-gen: the HMAC key file must hold at least 32 bytes as hex\n", stderr);
                    return 2;
                }
            } else if (a == "-o" || a == "--output")
                output = value();
            else if (a == "-h" || a == "--help")
                return usage(0);
            else {
                std::fprintf(stderr, "caracal-gen: unknown option %s\n", a.c_str());
                return usage(2);
            }
        } catch (const std::exception&) {
            std::fprintf(stderr, "caracal-gen: %s needs a number\n", a.c_str());
            return 2;
        }
    }
    std::ofstream file;
    if (!output.empty()) {
        file.open(output, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::fprintf(stderr, "caracal-gen: cannot write %s: %s\n", output.c_str(), std::strerror(errno));
            return 2;
        }
    }
    std::ostream& out = output.empty() ? std::cout : file;
    std::ios::sync_with_stdio(false);
    caracal::gen::generate(opt, out);
    out.flush();
    return out ? 0 : 2;
}
