#pragma once
// The timeline as `caracal-trace timeline` prints it: JSON (the contract) or aligned text.
#include "timeline/TimelineBuckets.h"

#include <nlohmann/json.hpp>
#include <string>

namespace caracal {

// {"bucket_seconds": n, "buckets": [{"start": "<RFC 3339 UTC>", "events": n, "decisions": {decision: n}}]}
// Lanes are summed: the CLI's --zone narrows, it does not split.
nlohmann::ordered_json timelineToJson(const Timeline& timeline);
// A header line, then one line per bucket: start, events, a count per decision value, and a bar.
std::string timelineToText(const Timeline& timeline);

} // namespace caracal
