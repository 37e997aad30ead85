// A file of admin-audit rows (a list page, its CSV, an admin_audit_events export): the reader and the shape
// checks the loader uses. Every row read keeps a line inside the input; nothing crashes or recurses deeply.
#include "FuzzInput.h"
#include "load/AdminAudit.h"

#include <algorithm>

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::text(data, size);
    const AdminAuditRead read = readAdminAudit(text);
    if (read.events.size() > kMaxAdminEvents) __builtin_trap();
    const auto lines = static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
    for (const AdminEvent& e : read.events)
        if (e.line > lines) __builtin_trap();
    const std::string_view first = text.substr(0, text.find('\n'));
    (void)looksLikeAdminAuditCsv(first);
    (void)looksLikeAdminAuditRow(first);
    return 0;
}
