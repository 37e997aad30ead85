// Free text over raw event bytes: the first line is the needle, the rest the haystack. The vectorised scan
// must agree with a plain search, and decoding escapes around hits must stay inside the haystack.
#include "FuzzInput.h"
#include "query/TextSearch.h"

#include <algorithm>
#include <cctype>
#include <string>

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto [needle, hay] = fuzz::firstLine(fuzz::text(data, size));
    const bool fold = std::none_of(needle.begin(), needle.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    std::string lowered(hay);
    if (fold)
        for (char& c : lowered)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    const size_t found = findText(hay, needle, fold);
    if (found != lowered.find(needle)) __builtin_trap();
    if (!needle.empty()) {
        const JsonTextNeedle text(needle);
        // Whatever the decoded search adds, it never loses a match as typed.
        if (found != std::string_view::npos && !text.foundIn(hay)) __builtin_trap();
    }
    return 0;
}
