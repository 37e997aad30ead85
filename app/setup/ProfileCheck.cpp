#include "setup/ProfileCheck.h"

#include "util/EditDistance.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QUrl>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <toml++/toml.h>

namespace caracal {

namespace {
const char* kPathWrong = "profile-issues/profile-path-wrong";
const char* kSecretRejected = "profile-issues/secret-file-rejected";
const char* kAppSecretRejected = "application-identity/secret-file-rejected";
const char* kCannotLoad = "profile-issues/sdk-cannot-load";

const std::vector<std::string>& knownKeys() {
    static const std::vector<std::string> keys = {"zone_url",
                                                  "sts_url",
                                                  "coordinator_url",
                                                  "gateway_url",
                                                  "zone_id",
                                                  "application_id",
                                                  "app_client_secret",
                                                  "app_client_secret_file",
                                                  "default_ttl_seconds",
                                                  "ttl_seconds",
                                                  "continue_on_failure",
                                                  "credentials",
                                                  "optional_credentials"};
    return keys;
}

std::optional<unsigned> modeOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return static_cast<unsigned>(st.st_mode);
}

std::string octal(unsigned mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
    return buf;
}

std::string quotedPath(const std::string& path) {
    return path.find_first_of(" '\"$`\\") == std::string::npos ? path : "'" + path + "'";
}

bool isLocalHost(const QString& host) {
    const QString h = host.toLower();
    return h == "localhost" || h == "127.0.0.1" || h == "::1" || h == "[::1]" || h.endsWith(".localhost");
}

struct Builder {
    std::vector<SetupCheck>& out;
    void add(std::string id, CheckStatus status, std::string message, std::string fix = {},
             std::vector<std::string> rows = {}, std::string action = {}) {
        out.push_back(
            {std::move(id), status, std::move(message), std::move(fix), std::move(rows), std::move(action)});
    }
};

// The secret file: exists, a regular file, owner-only, not empty. Its content never leaves this function.
void checkSecretFile(Builder& b, const std::string& given, const std::string& resolved,
                     const std::string& origin) {
    const std::vector<std::string> rows = {kSecretRejected, kAppSecretRejected};
    if (given.rfind("ws_", 0) == 0) {
        b.add(
            "secret_file.kind", CheckStatus::Fail,
            "The client-secret path " + given + " looks like a workload secret (ws_...); Caracal refuses it.",
            "Point app_client_secret_file at the application's client secret, not a workload secret.", rows);
        return;
    }
    const auto mode = modeOf(resolved);
    if (!mode) {
        b.add("secret_file.exists", CheckStatus::Fail,
              "The secret file " + resolved + " (" + origin + ") does not exist.",
              "Save the application's one-time client secret there, then run: chmod 600 " +
                  quotedPath(resolved) + ". If the secret is lost, create a new one in the Console.",
              rows);
        return;
    }
    if (!S_ISREG(*mode)) {
        b.add("secret_file.exists", CheckStatus::Fail, resolved + " (" + origin + ") is not a regular file.",
              "Point the secret path at the file holding the client secret.", rows);
        return;
    }
    b.add("secret_file.exists", CheckStatus::Pass,
          "The secret file " + resolved + " exists (" + origin + ").");
    if (*mode & 077)
        b.add("secret_file.mode", CheckStatus::Fail,
              "The secret file " + resolved + " has mode " + octal(*mode) +
                  ": others can read it, so Caracal refuses it.",
              "chmod 600 " + quotedPath(resolved), rows, "chmod600:" + resolved);
    else
        b.add("secret_file.mode", CheckStatus::Pass,
              "The secret file is readable by its owner only (" + octal(*mode) + ").");
    std::ifstream in(resolved, std::ios::binary);
    if (!in) {
        b.add("secret_file.content", CheckStatus::Fail,
              "The secret file " + resolved + " cannot be read by this user.",
              "Run the workload as the file's owner, or fix its owner: chown $(id -un) " +
                  quotedPath(resolved),
              rows);
        return;
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool blank = content.find_first_not_of(" \t\r\n") == std::string::npos;
    std::fill(content.begin(), content.end(), '\0'); // do not keep the secret around
    if (blank)
        b.add("secret_file.content", CheckStatus::Fail, "The secret file " + resolved + " is empty.",
              "Paste the application's client secret into it (one line).", rows);
    else
        b.add("secret_file.content", CheckStatus::Pass,
              "The secret file is not empty (its value is not shown).");
}
} // namespace

SetupEnvironment SetupEnvironment::current() {
    SetupEnvironment env;
    const QProcessEnvironment sys = QProcessEnvironment::systemEnvironment();
    for (const QString& key : sys.keys())
        if (key.startsWith("CARACAL_") || key == "XDG_CONFIG_HOME" || key == "NODE_ENV" || key == "HOME")
            env.vars[key.toStdString()] = sys.value(key).toStdString();
    env.home = QDir::homePath().toStdString();
    env.workingDirectory = QDir::currentPath().toStdString();
    return env;
}

std::string SetupEnvironment::get(const std::string& name) const {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
}

std::string caracalConfigDir(const SetupEnvironment& env) {
    if (!env.get("CARACAL_CONFIG_HOME").empty()) return env.get("CARACAL_CONFIG_HOME");
    if (!env.get("XDG_CONFIG_HOME").empty()) return env.get("XDG_CONFIG_HOME") + "/caracal";
    return env.home + "/.config/caracal";
}

std::string defaultClientSecretPath(const SetupEnvironment& env, const std::string& zoneId,
                                    const std::string& applicationId) {
    return caracalConfigDir(env) + "/runtime/" + safePathSegment(zoneId) + "/" +
           safePathSegment(applicationId) + "/client-secret";
}

std::string safePathSegment(const std::string& segment) {
    // As Caracal's SDK does it: trim, turn runs of unsafe characters into one "_", drop "_" at either end. A
    // loop, not std::regex_replace: libstdc++'s regex recurses per character and overflows the stack on a
    // long id.
    const size_t begin = segment.find_first_not_of(" \t\r\n");
    const size_t end = segment.find_last_not_of(" \t\r\n");
    std::string out;
    if (begin != std::string::npos) {
        bool inRun = false;
        for (const char c : segment.substr(begin, end - begin + 1)) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '.' || c == '_' || c == '-';
            if (ok)
                out += c;
            else if (!inRun)
                out += '_';
            inRun = !ok;
        }
    }
    const size_t first = out.find_first_not_of('_'), last = out.find_last_not_of('_');
    out = first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
    return out.empty() ? std::string("default") : out;
}

bool isProductionEnvironment(const SetupEnvironment& env) {
    // CARACAL_ENV decides when set; the TypeScript SDK falls back to NODE_ENV only when it is unset.
    if (env.vars.count("CARACAL_ENV")) return env.get("CARACAL_ENV") == "production";
    return env.get("NODE_ENV") == "production";
}

ProfileLocation locateProfile(const SetupEnvironment& env, const std::string& explicitPath) {
    ProfileLocation loc;
    if (!explicitPath.empty()) {
        loc = {explicitPath, "--profile", modeOf(explicitPath).has_value()};
    } else if (env.isSet("CARACAL_CONFIG")) {
        loc = {env.get("CARACAL_CONFIG"), "CARACAL_CONFIG", false};
        loc.exists = !loc.path.empty() && modeOf(loc.path).has_value();
    } else if (const std::string inDir = caracalConfigDir(env) + "/caracal.toml"; modeOf(inDir)) {
        loc = {inDir, "config directory", true};
    } else if (!env.get("CARACAL_ZONE_ID").empty()) {
        loc = {"", "environment", false};
    }
    return loc;
}

ProfileReport checkProfile(const SetupEnvironment& env, const std::string& explicitPath) {
    ProfileReport report;
    report.location = locateProfile(env, explicitPath);
    Builder b{report.checks};
    const ProfileLocation& loc = report.location;
    const std::string configDir = caracalConfigDir(env);

    if (loc.foundBy.empty()) {
        b.add("profile.location", CheckStatus::Fail,
              "No profile: CARACAL_CONFIG is not set, " + configDir +
                  "/caracal.toml does not exist, and "
                  "CARACAL_ZONE_ID is not set either.",
              "Point CARACAL_CONFIG at the profile guided setup wrote: export "
              "CARACAL_CONFIG=/path/to/caracal.toml",
              {"profile-issues/config-missing", "symptom/config-missing"},
              modeOf(configDir) ? "open-folder:" + configDir : std::string());
        return report;
    }
    if (loc.foundBy == "environment") {
        b.add("profile.location", CheckStatus::Pass,
              "No profile file; Caracal reads the environment (CARACAL_ZONE_ID is set).");
        report.zoneId = env.get("CARACAL_ZONE_ID");
        report.applicationId = env.get("CARACAL_APPLICATION_ID");
        if (report.applicationId.empty())
            b.add("profile.required", CheckStatus::Fail, "CARACAL_APPLICATION_ID is not set.",
                  "export CARACAL_APPLICATION_ID=<the application's id>", {"profile-issues/config-missing"});
        const bool inlineSecret = !env.get("CARACAL_APP_CLIENT_SECRET").empty();
        const std::string file = env.get("CARACAL_APP_CLIENT_SECRET_FILE");
        if (inlineSecret && !file.empty())
            b.add("profile.secret_source", CheckStatus::Fail,
                  "Both CARACAL_APP_CLIENT_SECRET and CARACAL_APP_CLIENT_SECRET_FILE are set.",
                  "Unset one of them.", {kSecretRejected});
        else if (!file.empty())
            checkSecretFile(b, file, file, "CARACAL_APP_CLIENT_SECRET_FILE");
        else if (!inlineSecret && env.get("CARACAL_BOOTSTRAP_TOKEN").empty())
            b.add("profile.secret_source", CheckStatus::Fail, "No client secret in the environment.",
                  "Set CARACAL_APP_CLIENT_SECRET_FILE to the secret file's path.",
                  {"application-identity/constructor-error"});
        if (env.get("CARACAL_RESOURCES").empty() && env.get("CARACAL_RESOURCES_FILE").empty())
            b.add(
                "profile.resources", CheckStatus::Warn,
                "No resource: CARACAL_RESOURCES is not set. The Go SDK accepts a configuration without one; "
                "the TypeScript SDK rejects it.",
                "export CARACAL_RESOURCES=resource://your-resource (a TypeScript workload needs it)",
                {kPathWrong});
        return report;
    }
    const std::string& path = loc.path;
    if (!loc.exists) {
        b.add("profile.location", CheckStatus::Fail,
              (loc.foundBy == "--profile" ? std::string("The profile path") : loc.foundBy) + " points at " +
                  (path.empty() ? "an empty path" : path) +
                  ", which does not exist (Caracal stops with \"profile not found\").",
              loc.foundBy == "--profile"
                  ? std::string(
                        "Check the path: it should be the caracal.toml guided setup wrote (its result view "
                        "shows where).")
                  : "Point CARACAL_CONFIG at the profile guided setup wrote: export "
                    "CARACAL_CONFIG=/path/to/caracal.toml",
              {kPathWrong, "profile-issues/config-missing"});
        return report;
    }
    b.add("profile.location", CheckStatus::Pass, "Found " + path + " through " + loc.foundBy + ".", {}, {},
          "open-folder:" + QFileInfo(QString::fromStdString(path)).absolutePath().toStdString());
    const unsigned mode = *modeOf(path);
    if (!S_ISREG(mode)) {
        b.add("profile.readable", CheckStatus::Fail, path + " is not a regular file.",
              "Point it at the TOML profile.", {kPathWrong});
        return report;
    }
    if (mode & 022)
        b.add("profile.mode", CheckStatus::Fail,
              "The profile " + path + " has mode " + octal(mode) +
                  ": others can change it, so Caracal refuses it.",
              "chmod go-w " + quotedPath(path), {kCannotLoad});
    else
        b.add("profile.mode", CheckStatus::Pass,
              "Only its owner can change the profile (" + octal(mode) + ").");

    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        b.add("profile.parse", CheckStatus::Fail,
              path + ":" + std::to_string(e.source().begin.line) + ":" +
                  std::to_string(e.source().begin.column) + ": " + std::string(e.description()),
              "Fix the TOML at that line and column.",
              {kCannotLoad, "application-identity/cannot-load-config"});
        return report;
    }
    b.add("profile.parse", CheckStatus::Pass, "The profile is valid TOML.");

    // Unknown keys are often typos of known ones.
    for (const auto& [key, value] : table) {
        const std::string k(key.str());
        if (std::find(knownKeys().begin(), knownKeys().end(), k) != knownKeys().end()) continue;
        std::string best;
        size_t bestDistance = 4;
        for (const auto& known : knownKeys())
            if (size_t d = editDistance(k, known);
                d < bestDistance || (k.size() > 2 && known.rfind(k, 0) == 0 && d < 8)) {
                bestDistance = std::min(d, bestDistance);
                best = known;
            }
        b.add("profile.keys", CheckStatus::Warn,
              "Unknown key " + k + " in the profile" +
                  (best.empty() ? "." : " (did you mean " + best + "?)."),
              best.empty() ? "Remove it." : "Rename it to " + best + ".", {kPathWrong});
    }

    auto text = [&](const char* key) -> std::optional<std::string> {
        if (const auto* v = table.get(key)) {
            if (auto s = v->value<std::string>()) return *s;
            return std::string("\x01"); // present but not a string
        }
        return std::nullopt;
    };
    std::vector<std::string> missing;
    for (const char* key : {"zone_id", "application_id"}) {
        const auto v = text(key);
        if (!v || v->empty() || *v == "\x01")
            missing.push_back(key);
        else
            (std::string(key) == "zone_id" ? report.zoneId : report.applicationId) = *v;
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing)
            list += (list.empty() ? "" : " and ") + m;
        b.add("profile.required", CheckStatus::Fail, "The profile lacks " + list + " (a non-empty string).",
              "Add " + list + " as guided setup showed them, e.g. zone_id = \"...\"", {kPathWrong});
    } else {
        b.add("profile.required", CheckStatus::Pass,
              "Zone " + report.zoneId + ", application " + report.applicationId + ".");
    }
    if (const auto* ttl = table.get("default_ttl_seconds")) {
        const auto n = ttl->value<int64_t>();
        if (!ttl->is_integer() || !n || *n <= 0)
            b.add("profile.ttl", CheckStatus::Fail, "default_ttl_seconds must be a positive integer.",
                  "Set default_ttl_seconds = 900 (or remove it).", {kCannotLoad});
    }

    // One client-secret source.
    const auto inlineSecret = text("app_client_secret");
    const auto secretFile = text("app_client_secret_file");
    if (inlineSecret && secretFile) {
        b.add("profile.secret_source", CheckStatus::Fail,
              "The profile sets both app_client_secret and app_client_secret_file; Caracal accepts only one.",
              "Keep app_client_secret_file and remove app_client_secret.", {kSecretRejected});
    } else if (inlineSecret) {
        if (mode & 077)
            b.add("profile.inline_secret_mode", CheckStatus::Fail,
                  "The profile holds the client secret inline but has mode " + octal(mode) +
                      "; it must be owner-only.",
                  "chmod 600 " + quotedPath(path) +
                      " (better: move the secret to a file and set app_client_secret_file)",
                  {kSecretRejected}, "chmod600:" + path);
        else
            b.add("profile.secret_source", CheckStatus::Pass,
                  "The client secret is inline and the profile is owner-only (its value is not shown).");
    } else if (secretFile) {
        if (*secretFile == "\x01" || secretFile->empty()) {
            b.add("profile.secret_source", CheckStatus::Fail,
                  "app_client_secret_file must be a non-empty string.",
                  "app_client_secret_file = \"/path/to/client-secret\"", {kSecretRejected});
        } else {
            std::string resolved = *secretFile;
            if (resolved.rfind("~/", 0) == 0) resolved = env.home + resolved.substr(1);
            if (!resolved.empty() && resolved[0] != '/' && resolved.rfind("ws_", 0) != 0) {
                resolved = env.workingDirectory + "/" + resolved;
                b.add("profile.secret_relative", CheckStatus::Warn,
                      "app_client_secret_file is relative; it is read from the directory the workload starts "
                      "in "
                      "(here: " +
                          resolved + ").",
                      "Use an absolute path so the profile works from any directory.", {kPathWrong});
            }
            checkSecretFile(b, *secretFile, resolved, "app_client_secret_file");
        }
    } else if (!report.zoneId.empty() && !report.applicationId.empty()) {
        const std::string def = defaultClientSecretPath(env, report.zoneId, report.applicationId);
        if (env.get("CARACAL_ENV") == "production" || env.get("NODE_ENV") == "production")
            b.add("profile.secret_source", CheckStatus::Fail,
                  "No client secret: the profile names none, and in production Caracal does not look at the "
                  "default "
                  "path.",
                  "Add app_client_secret_file = \"/path/to/client-secret\" to the profile.",
                  {kSecretRejected});
        else if (!modeOf(def))
            b.add("profile.secret_source", CheckStatus::Fail,
                  "No client secret: the profile names none and the default path " + def + " does not exist.",
                  "Save the client secret at " + def +
                      " (chmod 600), or add app_client_secret_file to the profile.",
                  {kSecretRejected, "application-identity/constructor-error"});
        else
            checkSecretFile(b, def, def, "the default path");
    }

    // At least one resource.
    for (const char* list : {"credentials", "optional_credentials"}) {
        const auto* node = table.get(list);
        if (!node) continue;
        const auto* arr = node->as_array();
        if (!arr) {
            b.add("profile.resources", CheckStatus::Fail,
                  std::string(list) + " must be an array of tables ([[" + list + "]]).",
                  "Write each as a [[" + std::string(list) + "]] block with resource = \"resource://...\"",
                  {kPathWrong});
            continue;
        }
        for (size_t i = 0; i < arr->size(); ++i) {
            const auto* entry = arr->get(i)->as_table();
            const auto resource = entry ? (*entry)["resource"].value<std::string>() : std::nullopt;
            if (entry)
                for (const auto& [key, value] : *entry) {
                    static const std::vector<std::string> credentialKeys = {
                        "env", "resource", "upstream_prefix", "credential_type", "on_failure"};
                    const std::string k(key.str());
                    if (std::find(credentialKeys.begin(), credentialKeys.end(), k) != credentialKeys.end())
                        continue;
                    const bool topLevel =
                        std::find(knownKeys().begin(), knownKeys().end(), k) != knownKeys().end();
                    b.add(
                        "profile.credentials_keys", CheckStatus::Warn,
                        k + " sits inside " + list + " entry " + std::to_string(i + 1) +
                            (topLevel ? ", so Caracal does not see it as a profile setting."
                                      : ", which knows no such key."),
                        topLevel
                            ? "Move " + k +
                                  " above the first [[credentials]] block: in TOML, keys before the "
                                  "first [[credentials]] belong to the profile, keys after it to the entry."
                            : "Remove it; an entry takes env, resource, upstream_prefix, credential_type and "
                              "on_failure.",
                        {kPathWrong});
                }
            if (!resource || resource->empty())
                b.add("profile.resources", CheckStatus::Fail,
                      std::string(list) + " entry " + std::to_string(i + 1) + " has no resource.",
                      "Add resource = \"resource://...\" (the identifier from guided setup).", {kPathWrong});
            else
                report.resources.push_back(*resource);
        }
    }
    if (report.resources.empty() && env.get("CARACAL_RESOURCES").empty() &&
        env.get("CARACAL_RESOURCES_FILE").empty())
        // The SDKs disagree here: Go builds a client without resources, TypeScript refuses to.
        b.add(
            "profile.resources", CheckStatus::Warn,
            "No resource: the profile has no [[credentials]] with a resource. The Go SDK accepts such a "
            "profile; the TypeScript SDK rejects it (it needs at least one resource).",
            "Add a [[credentials]] block with resource = \"resource://...\" (or set CARACAL_RESOURCES) if a "
            "TypeScript workload uses this profile.",
            {kPathWrong, "sts-403/resource-id"});
    else if (!report.resources.empty()) {
        std::string list;
        for (const auto& r : report.resources)
            list += (list.empty() ? "" : ", ") + r;
        b.add("profile.resources", CheckStatus::Pass, "Resources: " + list + ".");
    }

    // URLs: well formed. Plain http beyond this machine: the SDKs refuse it only in production, the workload
    // launcher (caracal run) always; CARACAL_ALLOW_INSECURE_CONFIG_URLS=true lifts both.
    const bool insecureAllowed = env.get("CARACAL_ALLOW_INSECURE_CONFIG_URLS") == "true";
    const bool production = isProductionEnvironment(env);
    for (const char* key : {"sts_url", "zone_url", "coordinator_url", "gateway_url"}) {
        const auto v = text(key);
        if (!v) continue;
        const QUrl url(QString::fromStdString(*v), QUrl::StrictMode);
        const std::string id = std::string("profile.") + key;
        if (*v == "\x01" || !url.isValid() || (url.scheme() != "http" && url.scheme() != "https") ||
            url.host().isEmpty()) {
            b.add(id, CheckStatus::Fail,
                  std::string(key) + " is not a valid http(s) URL" + (*v == "\x01" ? "." : ": " + *v),
                  std::string(key) + " = \"https://host:port\"", {kPathWrong});
            continue;
        }
        if (url.scheme() == "http" && !isLocalHost(url.host())) {
            const std::string host = url.host().toStdString();
            if (insecureAllowed)
                b.add(id, CheckStatus::Warn,
                      std::string(key) + " uses plain http to " + host +
                          "; accepted only because CARACAL_ALLOW_INSECURE_CONFIG_URLS=true.",
                      "Use https for anything beyond this machine.", {kPathWrong});
            else if (production)
                b.add(id, CheckStatus::Fail,
                      std::string(key) + " uses plain http to " + host +
                          ": in production (CARACAL_ENV, or NODE_ENV when CARACAL_ENV is unset) the SDKs and "
                          "caracal run refuse it.",
                      "Use https://" + host +
                          " (or, for a trusted test network only, export "
                          "CARACAL_ALLOW_INSECURE_CONFIG_URLS=true).",
                      {kPathWrong});
            else
                b.add(id, CheckStatus::Warn,
                      std::string(key) + " uses plain http to " + host +
                          ": the SDKs accept it outside production, but the workload launcher (caracal run) "
                          "refuses it unless CARACAL_ALLOW_INSECURE_CONFIG_URLS=true.",
                      "Use https://" + host + " before production, or before launching with caracal run.",
                      {kPathWrong});
            continue;
        }
        b.add(id, CheckStatus::Pass, std::string(key) + " " + *v + ".");
        const std::string service =
            std::string(key) == "zone_url" ? "sts" : std::string(key).substr(0, std::string(key).find('_'));
        if (std::string(key) != "zone_url" || !report.serviceUrls.count("sts"))
            report.serviceUrls[service] = *v;
    }
    return report;
}

} // namespace caracal
