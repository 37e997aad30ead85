#pragma once
// How an event reads to a person, after Caracal's web console: a label per event type, a one-line narrative,
// the tone of a decision, the actor, and the deny reason behind a deny.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace caracal {

enum class Tone { Success, Danger, Warning, Muted };

// allow, approved, consumed: success; deny, rejected: danger; pending, partial: warning; anything else:
// muted.
Tone decisionTone(std::string_view decision);
// "Token issued", "Token denied", "Resource call", "Approval requested", ...; unknown types in words.
std::string eventLabel(std::string_view eventType, std::string_view decision);
// The application's name, else its id (client_id / app_id on anomalies), else the command's subject.
std::string actorName(const nlohmann::ordered_json& event);
// One sentence saying what happened. `knownActor` names the actor when the event itself carries only an id.
std::string eventSummary(const nlohmann::ordered_json& event, const std::string& knownActor = {});
// The deny reason of a deny event (nullopt for any other decision), by the rule of Caracal's deny reason box
// extended to every event type: metadata_json.reason when a non-empty string, else evaluation_status when
// non-empty and not "complete", else the first diagnostics_json item's reason, else policy_denied. The loader
// keeps the same code in the record (Field::DenyReason), so views never parse JSON for it.
std::optional<std::string> denyReasonCode(const nlohmann::ordered_json& event);

} // namespace caracal
