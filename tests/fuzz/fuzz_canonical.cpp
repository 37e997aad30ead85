// The literal-preserving jsonb canonicaliser (chain/JsonbCanonical, what the verifier hashes): an error is
// located inside the input, and canonical text is a fixed point. The first line also goes to the numeric
// text converter on its own.
#include "FuzzInput.h"
#include "chain/JsonbCanonical.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 18)) return 0;
    const std::string_view in = fuzz::text(data, size);
    JsonTextError error;
    const std::string once = canonicalJsonb(in, error);
    if (!error.message.empty()) {
        if (error.offset > in.size()) __builtin_trap();
    } else {
        JsonTextError again;
        if (canonicalJsonb(once, again) != once || !again.message.empty()) __builtin_trap();
    }
    std::string numeric;
    (void)appendNumericText(fuzz::firstLine(in).first, numeric);
    return 0;
}
