#include "cli/CliCommon.h"
#include "setup/ProfileCheck.h"
#include "setup/ReadinessCheck.h"

#include <QFile>
#include <QStandardPaths>

namespace caracal::cli {

int runSetupCheck(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption profile("profile", "The profile to check (default: found as Caracal finds it).",
                                     "PATH");
    const QCommandLineOption statusJson("status-json", "A saved `caracal status --ready --json` output.",
                                        "FILE");
    const QCommandLineOption probe(
        "probe", "Probe each service's /ready URL (the profile's URLs or the local defaults).");
    const QCommandLineOption format("format", "Output: text (default) or json.", "json|text", "text");
    parser.addOptions({profile, statusJson, probe, format});
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace setup-check [--profile PATH] [--status-json FILE] [--probe] "
            "[--format json|text]\n"
            "Checks a first-run setup: readiness of each Caracal service and the profile with its secret "
            "file.\nWithout --status-json or --probe, readiness comes from `caracal status --ready --json` "
            "when a\n`caracal` program is on PATH. Exit 0 when nothing fails, 1 otherwise. Secret values are "
            "never printed.\n",
            exit))
        return exit;
    if (!checkFormat(parser.value(format), {"json", "text"})) return UsageError;
    if (!parser.positionalArguments().isEmpty()) {
        printError("setup-check takes no FILE arguments (see --help)");
        return UsageError;
    }
    if (parser.isSet(statusJson) && parser.isSet(probe)) {
        printError("choose one of --status-json and --probe");
        return UsageError;
    }

    const ProfileReport profileReport =
        checkProfile(SetupEnvironment::current(), parser.value(profile).toStdString());
    ReadinessReport readiness;
    std::vector<SetupCheck> checks;
    if (parser.isSet(statusJson)) {
        std::string bytes, error;
        if (!readInput(parser.value(statusJson).toStdString(), bytes, error)) {
            printError(error);
            return UsageError;
        }
        readiness = parseStatusJson(bytes, parser.value(statusJson).toStdString());
        checks = readinessChecks(readiness);
    } else if (parser.isSet(probe)) {
        checks = readinessChecks(probeReadiness(readinessTargets(profileReport.serviceUrls)));
    } else if (!QStandardPaths::findExecutable("caracal").isEmpty()) {
        checks = readinessChecks(runCaracalStatus());
    } else {
        checks.push_back({"readiness.source",
                          CheckStatus::Skip,
                          "Readiness not checked: no `caracal` program on PATH.",
                          "Give --status-json FILE (saved from `caracal status --ready --json`) or --probe.",
                          {"readiness-failures/service-not-ready"},
                          {}});
    }
    checks.insert(checks.end(), profileReport.checks.begin(), profileReport.checks.end());
    const bool ok = !anyFailed(checks);

    Output out;
    if (parser.value(format) == "json") {
        nlohmann::ordered_json j;
        j["ok"] = ok;
        const ProfileLocation& loc = profileReport.location;
        j["profile"] = {
            {"path", loc.path.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loc.path)},
            {"found_by",
             loc.foundBy.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loc.foundBy)}};
        j["checks"] = nlohmann::ordered_json::array();
        for (const auto& c : checks)
            j["checks"].push_back(checkToJson(c));
        out.write(j.dump(2) + "\n");
    } else {
        for (const auto& c : checks) {
            std::string status(checkStatusName(c.status));
            for (char& ch : status)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            out.write(status + std::string(6 - status.size(), ' ') + c.id + ": " + c.message + "\n");
            if (!c.fix.empty() && c.status != CheckStatus::Pass) out.write("      fix: " + c.fix + "\n");
            if (!c.rows.empty() && c.status != CheckStatus::Pass) {
                std::string rows;
                for (const auto& r : c.rows)
                    rows += (rows.empty() ? "" : ", ") + r;
                out.write("      see: " + rows + "\n");
            }
        }
        out.write(ok ? "\nNothing failed.\n" : "\nSome checks failed; each says its fix.\n");
    }
    return ok ? Success : NoMatch;
}

} // namespace caracal::cli
