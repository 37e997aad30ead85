// A typed filter: the parser, then the compiler and a run over a small fixed store (so relative times,
// prefixes and free text all execute). The first line of the input is the filter.
#include "FuzzInput.h"
#include "load/EventLoader.h"
#include "query/FilterParser.h"
#include "query/FilterQuery.h"
#include "store/EventStore.h"
#include "util/SourceBuffer.h"

#include <variant>

using namespace caracal;

namespace {
const EventStore& smallStore() {
    static EventStore* store = [] {
        auto* s = new EventStore;
        const std::string lines =
            R"({"id":"e1","zone_id":"z1","occurred_at":"2026-11-14T10:00:00Z","event_type":"token_exchange","decision":"deny","request_id":"r1","evaluation_status":"scope_mismatch","metadata_json":{"application_id":"app-1","resource":"resource://x","agent_labels":["l1"]}})"
            "\n"
            R"({"id":"e2","zone_id":"z2","occurred_at":"2026-11-14T10:00:01.5Z","event_type":"gateway_request","decision":"allow","request_id":"r2","determining_policies_json":[{"policy":"p"}]})"
            "\n";
        LoadCallbacks cb;
        cb.batch = [&](LoadBatch&& b) { s->append(std::move(b)); };
        LoadOptions o;
        o.threads = 1;
        loadBuffer(SourceBuffer::fromBytes("fixed", lines), o, cb);
        s->finishLoading();
        return s;
    }();
    return *store;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view expression = fuzz::text(data, size);
    const ParsedFilter parsed = parseFilter(expression);
    if (parsed.error) {
        // A located error: the column is inside the expression (or just past its end).
        if (parsed.error->position > expression.size()) __builtin_trap();
        (void)parsed.error->text();
        return 0;
    }
    const int64_t now = 1794650000000000; // fixed, so a run is reproducible
    auto compiled = FilterQuery::compile(parsed.root.get(), smallStore(), now);
    if (auto* q = std::get_if<FilterQuery>(&compiled)) (void)q->run();
    return 0;
}
