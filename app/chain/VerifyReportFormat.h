#pragma once
// The verify report as the CLI contract's JSON and as terminal text. Neither ever holds the key.
#include "chain/ChainReport.h"

#include <nlohmann/json.hpp>
#include <string>

namespace caracal {

// `maxProblems` per zone (0: all); the rest are counted in "problems_omitted".
nlohmann::ordered_json reportToJson(const VerifyReport& report, size_t maxProblems = 0);
std::string reportToText(const VerifyReport& report, size_t maxProblems = 0);
// "zone Z", "admin chain of zone Z", "global admin chain".
std::string chainName(const ZoneVerdict& zone);

} // namespace caracal
