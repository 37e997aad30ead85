// Turns Go audit-search rows (caracal-gen --format search: events with their chain fields) into the CSV that
// `COPY audit_events (...) FROM STDIN WITH CSV` loads, with each JSON field as PostgreSQL's jsonb text (the
// text the content hashes were computed over), so the ledger in the benchmark verifies intact.
//   caracal-ledger-bench SEARCH_ROWS.jsonl > rows.csv
#include "chain/JsonbCanonical.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

void field(std::string& out, const std::string& s) {
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: caracal-ledger-bench SEARCH_ROWS.jsonl > rows.csv\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::string line, out;
    size_t rows = 0;
    for (; std::getline(in, line); ++rows) {
        const auto row = nlohmann::ordered_json::parse(line);
        const auto& e = row["Event"];
        out.clear();
        for (const char* k : {"id", "zone_id", "event_type", "request_id", "decision", "policy_set_id",
                              "policy_set_version_id", "manifest_sha", "evaluation_status"}) {
            field(out, e.value(k, std::string()));
            out += ',';
        }
        for (const char* k : {"determining_policies_json", "diagnostics_json", "metadata_json"}) {
            if (e.contains(k) && !e[k].is_null()) {
                caracal::JsonTextError error;
                field(out, caracal::canonicalJsonb(e[k].dump(), error));
            }
            out += ',';
        }
        field(out, e["occurred_at"].get<std::string>());
        out += ',';
        field(out, row.value("ContentSHA256", std::string()));
        out += ',';
        const std::string prev = row.value("PrevContentSHA256", std::string());
        if (!prev.empty()) field(out, prev); // NULL for the first row of a zone, as Caracal stores it
        out += ',';
        field(out, row.value("ChainHMAC", std::string()));
        out += ',' + std::to_string(row.value("ChainSeq", int64_t(0))) + '\n';
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    std::fprintf(stderr, "%zu rows\n", rows);
    return 0;
}
