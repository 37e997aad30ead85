// The chain verifier's row reader and chain checks: each input line is a row (a Go search row, a jsonb
// dump row, a page), read with an HMAC key, then every chain is ordered and linked. An odd first byte runs
// the verifier in ordered mode (the ledger's: rows linked as they arrive, out-of-order rows counted).
#include "FuzzInput.h"
#include "chain/ChainRowReader.h"
#include "chain/ChainVerifier.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 18)) return 0;
    std::string_view in = fuzz::text(data, size);
    ChainRowReader reader("0123456789abcdef0123456789abcdef");
    ChainVerifier verifier(true);
    verifier.setOrdered(size > 0 && (data[0] & 1));
    verifier.setSourceName(0, "fuzz.jsonl");
    uint32_t index = 0;
    while (!in.empty() && index < 256) {
        auto [line, rest] = fuzz::firstLine(in);
        ChainBatch batch;
        reader.readJson(line, RowPlace{0, index++}, batch);
        verifier.add(std::move(batch));
        in = rest;
    }
    (void)verifier.finish();
    return 0;
}
