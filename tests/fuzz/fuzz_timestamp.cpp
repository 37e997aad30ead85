// Times: RFC 3339 as events carry it, and the filter's since:/until: forms. A parsed time must format and
// parse back to itself.
#include "FuzzInput.h"
#include "query/FilterQuery.h"
#include "util/Timestamp.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in = fuzz::text(data, size);
    if (const auto t = parseRfc3339Micros(in)) {
        const std::string formatted = formatUtcMicros(*t);
        if (parseRfc3339Micros(formatted) != t) __builtin_trap();
    }
    (void)parseFilterTime(in, 1794650000000000);
    (void)parseFilterTime(in, 0);
    return 0;
}
