#pragma once
// Writes realistic Caracal audit events shaped as the producers in caracal.md sections 1.5 to 1.8 emit them:
// STS exchanges paired with Gateway calls under one request id, one exchange event per resource, step-up
// flows (the decision stored under the challenge id), every deny reason and deny status, policy engine
// errors, delegation chains of 1 to 4 hops, anomalies, control commands (id == request_id) and credential
// reveals. Deterministic for a seed. Output is plain events or Go audit-search rows with the per-zone hash
// chain.
#include <cstdint>
#include <ostream>
#include <string>

namespace caracal::gen {

struct GeneratorOptions {
    uint64_t seed = 1;
    uint64_t events = 1000;
    int zones = 3;
    bool searchRows = false;       // Go audit-search rows with chain fields instead of plain events
    std::string hmacKey;           // raw key bytes for chain_hmac; empty leaves ChainHMAC ""
    int64_t startMicros = 0;       // first event time; 0 = 2026-11-14T00:00:00Z
    int64_t maxGapMicros = 300000; // requests start 2 ms .. this far apart
    // Shape the run like a day of real traffic: the events span 24 hours, busy in the working day and
    // quiet at night, and the rare cases (every deny reason and status, step-ups, anomalies) are spread
    // through it instead of coming first. maxGapMicros is then ignored.
    bool dayShape = false;
};

// Writes exactly options.events lines. Returns the number written.
uint64_t generate(const GeneratorOptions& options, std::ostream& out);

} // namespace caracal::gen
