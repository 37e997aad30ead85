#include "util/MetadataRedaction.h"

#include "util/RawMetadataRedaction.h"

#include <array>

namespace caracal {

bool isRedactedKey(std::string_view key) {
    static constexpr std::array<std::string_view, 17> keys = {
        "password",      "passwd",      "secret",  "token",         "access_token", "refresh_token",
        "id_token",      "api_key",     "apikey",  "authorization", "cookie",       "set_cookie",
        "client_secret", "private_key", "session", "session_id",    "assertion"};
    if (key.size() > 13) return false;
    char lower[16];
    for (size_t i = 0; i < key.size(); ++i)
        lower[i] = key[i] >= 'A' && key[i] <= 'Z' ? char(key[i] - 'A' + 'a') : key[i];
    const std::string_view k(lower, key.size());
    for (std::string_view name : keys)
        if (name == k) return true;
    return false;
}

size_t redactMetadata(nlohmann::ordered_json& value) {
    size_t count = 0;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (isRedactedKey(it.key())) {
                if (!(it.value().is_string() && it.value().get_ref<const std::string&>() == kRedactedValue))
                    ++count;
                it.value() = kRedactedValue;
            } else {
                count += redactMetadata(it.value());
            }
        }
    } else if (value.is_array()) {
        for (auto& item : value)
            count += redactMetadata(item);
    }
    return count;
}

nlohmann::ordered_json redactedEvent(const nlohmann::ordered_json& event) {
    nlohmann::ordered_json copy = event;
    if (auto it = copy.find("metadata_json"); it != copy.end()) redactMetadata(*it);
    return copy;
}

std::string eventTextToShare(std::string_view raw, bool redact) {
    if (!redact) return std::string(raw);
    std::string out;
    if (redactEventText(raw, out) != RawRedaction::Malformed) return out;
    // Text the raw scanner cannot follow is written again from a parsed copy: never shared unredacted.
    const auto event = nlohmann::ordered_json::parse(raw, nullptr, false);
    return event.is_object() ? redactedEvent(event).dump() : std::string();
}

} // namespace caracal
