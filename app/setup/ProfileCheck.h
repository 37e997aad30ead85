#pragma once
// The Caracal profile, found as Caracal finds it (CARACAL_CONFIG, then <config dir>/caracal.toml, then the
// environment), parsed with toml++ and held to the SDK's rules: required keys, one client-secret source, at
// least one resource, well-formed URLs (plain http only to this machine unless allowed), file modes, and the
// secret file itself. Each failure names the exact fix. No secret value is ever put into a message.
#include "setup/SetupCheck.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caracal {

// The variables and home directory the rules read; tests pass their own.
struct SetupEnvironment {
    std::map<std::string, std::string> vars;
    std::string home;
    std::string workingDirectory;
    static SetupEnvironment current();
    std::string get(const std::string& name) const; // empty when unset
    bool isSet(const std::string& name) const { return vars.count(name) > 0; }
};

// $CARACAL_CONFIG_HOME, else $XDG_CONFIG_HOME/caracal, else ~/.config/caracal.
std::string caracalConfigDir(const SetupEnvironment& env);
// <config dir>/runtime/<zone>/<app>/client-secret, each segment made safe as Caracal's SDK does it.
std::string defaultClientSecretPath(const SetupEnvironment& env, const std::string& zoneId,
                                    const std::string& applicationId);
// Trimmed; runs of [^A-Za-z0-9._-] become "_"; leading and trailing "_" removed; empty -> "default"
// ("<zone-id>" -> "zone-id", "zone dev/1" -> "zone_dev_1").
std::string safePathSegment(const std::string& segment);
// CARACAL_ENV=production, or NODE_ENV=production when CARACAL_ENV is unset.
bool isProductionEnvironment(const SetupEnvironment& env);

struct ProfileLocation {
    std::string path;    // empty when Caracal would read the environment
    std::string foundBy; // "--profile", "CARACAL_CONFIG", "config directory", "environment", or "" (none)
    bool exists = false;
};
ProfileLocation locateProfile(const SetupEnvironment& env, const std::string& explicitPath = {});

struct ProfileReport {
    ProfileLocation location;
    std::vector<SetupCheck> checks;
    std::string zoneId, applicationId;
    std::vector<std::string> resources;
    std::map<std::string, std::string> serviceUrls; // sts, gateway, coordinator: for readiness probing
};
ProfileReport checkProfile(const SetupEnvironment& env, const std::string& explicitPath = {});

} // namespace caracal
