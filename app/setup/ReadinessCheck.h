#pragma once
// Is each Caracal service ready? Read from a saved `caracal status --ready --json`, from running that
// command, or by probing each service's /ready URL the way Caracal does (1.5 s, the same "detail" text), then
// turned into checks linked to the Readiness Failures rows.
#include "setup/SetupCheck.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

struct ServiceReadiness {
    std::string name;
    int port = 0;
    std::string url;
    bool ok = false;
    std::string detail; // "200", "503 sts_unreachable", "timeout", "unreachable"
};

struct ReadinessReport {
    std::string source; // where the answers came from, for the reader
    std::vector<ServiceReadiness> services;
    std::optional<std::string> error; // the source itself failed (unreadable file, bad JSON, no program)
};

// api 3000, sts 8080, gateway 8081, audit 9090, coordinator 4000: the local stack's defaults.
const std::vector<std::pair<std::string, int>>& caracalServices();

ReadinessReport parseStatusJson(std::string_view text, const std::string& sourceName);
// Runs `caracal status --ready --json` when a `caracal` program is on PATH.
ReadinessReport runCaracalStatus(int timeoutMs = 20000);

// The /ready URL of each service: the profile's base URLs where it gives them (keys sts, gateway,
// coordinator, api, audit), the local defaults otherwise.
std::vector<ServiceReadiness> readinessTargets(const std::map<std::string, std::string>& baseUrls = {});
// Probes every target at once; each gets Caracal's detail. Blocks; callable from any thread.
ReadinessReport probeReadiness(std::vector<ServiceReadiness> targets, int timeoutMs = 1500);
// Caracal's detail for an HTTP answer: "<status>" when 2xx, else "<status> <reason>" where the reason is the
// body's JSON reason, error or detail, or its first line (at most 120 characters).
std::string readinessDetail(int httpStatus, std::string_view body);

std::vector<SetupCheck> readinessChecks(const ReadinessReport& report);

} // namespace caracal
