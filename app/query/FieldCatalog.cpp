#include "query/FieldCatalog.h"

#include <array>

namespace caracal {

namespace {
constexpr std::array<FieldInfo, 23> kFields = {{
    {"@zone", "zone", Field::Zone},
    {"@request", "request", Field::RequestId},
    {"@event", "type", Field::EventType},
    {"@decision", "decision", Field::Decision},
    {"@actor", "app", std::nullopt},
    {"@reason", "deny_reason", Field::DenyReason, true},
    {"zone_id", "zone", Field::Zone, true},
    {"event_type", "type", Field::EventType, true},
    {"decision", "decision", Field::Decision, true},
    {"request_id", "request", Field::RequestId},
    {"evaluation_status", "status", Field::EvaluationStatus, true},
    {"application_id", "app", Field::Application, true},
    {"application_name", "app", Field::ApplicationName, true},
    {"agent_session_id", "session", Field::Session},
    {"session_id", "authority", Field::AuthorityRecord},
    {"resource", "resource", Field::Resource, true},
    {"agent_labels", "label", std::nullopt},
    {"reason", "reason", std::nullopt},
    {"error_kind", "reason", std::nullopt},
    {"policy_set_id", "policy", Field::PolicySet},
    {"policy_set_version_id", "policy", Field::PolicySetVersion},
    {"manifest_sha", "", Field::ManifestSha},
    {"determining_policies", "policy", std::nullopt},
}};
} // namespace

std::span<const FieldInfo> fieldCatalog() {
    return kFields;
}

std::string_view filterKeyOfColumn(std::string_view column) {
    for (const FieldInfo& f : kFields)
        if (f.column == column) return f.filterKey;
    return {};
}

std::optional<Field> storeFieldOfColumn(std::string_view column) {
    for (const FieldInfo& f : kFields)
        if (f.column == column) return f.storeField;
    return std::nullopt;
}

} // namespace caracal
