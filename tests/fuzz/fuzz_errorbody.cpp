// A server's error answer: the first line is "STATUS RETRY-AFTER" (both optional), the rest the body. Runs
// the error-body explainer (what a user pastes) and the remote error mapping (what the CLI and console show).
#include "FuzzInput.h"
#include "catalog/ErrorBodyExplainer.h"
#include "remote/RemoteError.h"

#include <charconv>

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in = fuzz::text(data, size);
    (void)explainErrorBody(in);
    auto [head, body] = fuzz::firstLine(in);
    int status = 500;
    const auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), status);
    std::string_view retryAfter;
    if (ec == std::errc() && end < head.data() + head.size()) retryAfter = head.substr(end - head.data() + 1);
    const int64_t now = 1794650000;
    if (const auto wait = parseRetryAfter(retryAfter, now);
        wait && (*wait < 0 || *wait > kMaxRetryAfterSeconds))
        __builtin_trap(); // the cap is the contract
    for (RemoteService service : {RemoteService::Api, RemoteService::Audit}) {
        const RemoteError e = remoteErrorFromHttp(service, status, body, retryAfter, now);
        if (e.retryAfterSeconds && (*e.retryAfterSeconds < 0 || *e.retryAfterSeconds > kMaxRetryAfterSeconds))
            __builtin_trap();
        (void)e.message;
    }
    return 0;
}
