#pragma once
// Reads an error as a user pastes it: Caracal's JSON shape {"error", "error_description", "requestId",
// "details"}, or the plain text some services answer with (the audit service's "unauthorized", Go's "404 page
// not found").
#include "catalog/TroubleshootingCatalog.h"

#include <string>
#include <string_view>

namespace caracal {

struct ExplainedError {
    std::string code;        // as written in the body ("" when none was recognised)
    std::string description; // error_description, or the text itself
    std::string requestId;   // requestId / request_id, at the top or in details, when present
    std::string surface;     // who most likely answered
    CodeResolution resolution;
    std::string problem; // set when nothing could be recognised
};

ExplainedError explainErrorBody(std::string_view body,
                                const TroubleshootingCatalog& catalog = TroubleshootingCatalog::instance());

} // namespace caracal
