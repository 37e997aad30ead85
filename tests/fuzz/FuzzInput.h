#pragma once
// Shared by the harnesses: the libFuzzer entry point's signature and ways to cut one input into parts.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace caracal::fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits at the first newline: (before, after). A harness that needs a header line and a body uses this, so
// a plain corpus file (a body with a one-line prefix) stays readable.
inline std::pair<std::string_view, std::string_view> firstLine(std::string_view in) {
    const size_t nl = in.find('\n');
    if (nl == std::string_view::npos) return {in, {}};
    return {in.substr(0, nl), in.substr(nl + 1)};
}

} // namespace caracal::fuzz
