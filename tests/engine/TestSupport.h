#pragma once
// Helpers shared by the engine suites: loading files or text into a store, and temporary files.
#include "EventGenerator.h"
#include "load/EventLoader.h"
#include "store/EventStore.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace caracal::test {

inline std::string dataPath(const std::string& name) {
    return std::string(CARACAL_TEST_DATA) + "/" + name;
}

inline std::unique_ptr<EventStore> load(const std::vector<std::string>& paths,
                                        const LoadOptions& options = {}) {
    auto store = std::make_unique<EventStore>();
    loadIntoStore(*store, paths, options);
    return store;
}

// Writes `bytes` to a file in `dir` and returns its path.
inline std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

// `count` generated plain events (deterministic for the seed), parsed.
inline std::vector<nlohmann::ordered_json> generatedEvents(uint64_t seed, uint64_t count) {
    gen::GeneratorOptions o;
    o.seed = seed;
    o.events = count;
    std::ostringstream out;
    gen::generate(o, out);
    std::vector<nlohmann::ordered_json> events;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);)
        events.push_back(nlohmann::ordered_json::parse(line));
    return events;
}

// A minimal valid event line.
inline std::string eventLine(const std::string& id, const std::string& zone = "zone-a",
                             const std::string& time = "2026-11-14T10:00:00Z",
                             const std::string& request = "req-1") {
    return "{\"id\":\"" + id + "\",\"zone_id\":\"" + zone +
           "\",\"event_type\":\"token_exchange\",\"request_id\":\"" + request +
           "\",\"decision\":\"allow\",\"evaluation_status\":\"complete\",\"determining_policies_json\":null,"
           "\"diagnostics_json\":null,\"occurred_at\":\"" +
           time + "\"}";
}

} // namespace caracal::test
