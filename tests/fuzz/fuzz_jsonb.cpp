// The jsonb text canonicaliser (the bytes Caracal hashes): any JSON the engine accepts must canonicalise, and
// canonical text must be a fixed point (parsing it and canonicalising again gives the same bytes).
#include "FuzzInput.h"
#include "chain/ChainHash.h"
#include "chain/JsonbText.h"
#include "util/JsonField.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 18)) return 0;
    std::string error;
    const auto value = jsonfield::parse<nlohmann::ordered_json>(fuzz::text(data, size), error);
    if (value.is_discarded()) return 0;
    const std::string once = jsonbText(value);
    const auto again = jsonfield::parse<nlohmann::ordered_json>(once, error);
    if (again.is_discarded() || jsonbText(again) != once) __builtin_trap();
    ChainInput in;
    in.metadataJsonb = once;
    (void)contentSha256(in);
    return 0;
}
