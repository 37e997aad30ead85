#include "catalog/TroubleshootingCatalog.h"
#include "cli/CliCommon.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace caracal::cli {

namespace {

nlohmann::ordered_json rowsJson(const std::vector<RowRef>& rows) {
    auto out = nlohmann::ordered_json::array();
    for (const RowRef& r : rows)
        out.push_back({{"table", r.table->key},
                       {"key", r.row->key},
                       {"symptom_or_check", r.checkText()},
                       {"fix", r.fixText()}});
    return out;
}

nlohmann::ordered_json servicesJson(const std::vector<EmittedSource>& sources) {
    auto out = nlohmann::ordered_json::array();
    for (const EmittedSource& s : sources)
        out.push_back({{"service", s.service},
                       {"source", serviceDisplayName(s.service)},
                       {"http_status", s.httpStatus},
                       {"where", s.where},
                       {"meaning", s.meaning},
                       {"first_check", s.firstCheck}});
    return out;
}

// The rows a resolution points at: the documented code's, then each emitting service's, once each.
std::vector<RowRef> resolutionRows(const TroubleshootingCatalog& catalog,
                                   const std::vector<std::string>& refs,
                                   const std::vector<EmittedSource>& sources) {
    std::vector<std::string> all = refs;
    for (const auto& s : sources)
        for (const auto& ref : s.related)
            if (std::find(all.begin(), all.end(), ref) == all.end()) all.push_back(ref);
    std::vector<RowRef> rows;
    for (const std::string& ref : all)
        for (const RowRef& row : catalog.rows(ref))
            if (std::none_of(rows.begin(), rows.end(),
                             [&](const RowRef& r) { return r.table == row.table && r.row == row.row; }))
                rows.push_back(row);
    return rows;
}

// The object `errors CODE --format json` prints.
nlohmann::ordered_json describe(const TroubleshootingCatalog& catalog, const std::string& query,
                                const CodeResolution& r) {
    nlohmann::ordered_json j;
    j["code"] = r.canonical();
    j["alias_of"] = r.aliasOf.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.aliasOf);
    j["query"] = query;
    if (!r.templateCode.empty()) j["template"] = r.templateCode;
    const std::vector<EmittedSource>& sources = r.services();
    if (r.entry) {
        const ErrorCodeEntry& e = *r.entry;
        j["kind"] = "error";
        j["meaning"] = e.meaning;
        j["likely_source"] = e.likelySource;
        j["first_check"] = e.firstCheck;
        j["http_status"] = e.httpStatus;
        j["rows"] = rowsJson(resolutionRows(catalog, e.related, sources));
        j["group"] = e.group;
        j["in_seed_table"] = e.inSeedTable;
        j["in_current_table"] = e.inCurrentTable;
        if (!r.aliasNote.empty()) j["alias_note"] = r.aliasNote;
        j["doc_url"] = e.docUrl;
    } else {
        const DenyReason& d = *r.denyReason;
        j["kind"] = "deny_reason";
        j["meaning"] = d.label;
        j["likely_source"] = "STS policy decision or exchange status";
        j["first_check"] = d.hint;
        j["http_status"] = {"STS 403"};
        j["rows"] = rowsJson(resolutionRows(catalog, {"sts-403"}, sources));
    }
    j["services"] = servicesJson(sources);
    return j;
}

std::string text(const nlohmann::ordered_json& j) {
    std::string out =
        j["code"].get<std::string>() + "  (" + (j["kind"] == "error" ? "error code" : "deny reason") + ")\n";
    if (!j["alias_of"].is_null())
        out += "  " + j["query"].get<std::string>() + " is an alias of " + j["alias_of"].get<std::string>() +
               "\n";
    if (j.contains("template"))
        out += "  " + j["query"].get<std::string>() + " is an instance of " +
               j["template"].get<std::string>() + "\n";
    const bool perService = j["services"].size() > 1 && j.value("group", "") == "emitted";
    out +=
        "  Meaning:       " +
        (perService ? std::string("differs per service (see Emitted by)") : j["meaning"].get<std::string>()) +
        "\n";
    out += "  Likely source: " + j["likely_source"].get<std::string>() + "\n";
    out += "  First check:   " + j["first_check"].get<std::string>() + "\n";
    if (!j["http_status"].empty()) {
        std::string statuses;
        for (const auto& s : j["http_status"])
            statuses += (statuses.empty() ? "" : ", ") + s.get<std::string>();
        out += "  HTTP status:   " + statuses + "\n";
    }
    if (!j["services"].empty()) {
        out += "  Emitted by:\n";
        for (const auto& s : j["services"]) {
            const std::string status = s["http_status"].get<std::string>();
            out += "    " + s["source"].get<std::string>() +
                   (status.empty() ? "" : " (HTTP " + status + ")") + ", " + s["where"].get<std::string>() +
                   "\n";
            out += "      Meaning:     " + s["meaning"].get<std::string>() + "\n";
            out += "      First check: " + s["first_check"].get<std::string>() + "\n";
        }
    }
    if (!j["rows"].empty()) {
        out += "  Troubleshooting rows:\n";
        for (const auto& r : j["rows"])
            out += "    [" + r["table"].get<std::string>() + "/" + r["key"].get<std::string>() + "] " +
                   r["symptom_or_check"].get<std::string>() + " -> " + r["fix"].get<std::string>() + "\n";
    }
    return out;
}

} // namespace

int runErrors(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption format("format", "Output format: text (default) or json.", "json|text", "text");
    parser.addOption(format);
    parser.addPositionalArgument("CODE", "An error code, alias or deny reason (omit to list them all).",
                                 "[CODE]");
    int exit = Success;
    if (!parseOptions(
            parser, args,
            "Usage: caracal-trace errors [CODE] [--format json|text]\n"
            "Explains an error code or deny reason: meaning, likely source, first check, HTTP status and\n"
            "the troubleshooting rows to read. Without CODE, lists every code.\n",
            exit))
        return exit;
    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"json", "text"})) return UsageError;
    if (parser.positionalArguments().size() > 1) {
        printError("errors takes at most one CODE (see --help)");
        return UsageError;
    }
    const auto& catalog = TroubleshootingCatalog::instance();
    Output out;
    if (parser.positionalArguments().isEmpty()) {
        if (fmt == "json") {
            auto all = nlohmann::ordered_json::array();
            for (const auto& e : catalog.codes())
                all.push_back(describe(catalog, e.code, catalog.resolve(e.code)));
            for (const auto& d : DenyReasonCatalog::instance().all())
                if (!catalog.findCode(d.code))
                    all.push_back(describe(catalog, d.code, catalog.resolve(d.code)));
            for (const auto& [alias, target] : catalog.aliases())
                all.push_back(describe(catalog, alias, catalog.resolve(alias)));
            out.write(all.dump(2) + "\n");
        } else {
            std::string group;
            for (const auto& e : catalog.codes()) {
                if (e.group != group) out.write("\n" + (group = e.group) + ":\n");
                std::string services;
                for (const auto& source : e.emitted)
                    if (services.find(source.service) == std::string::npos)
                        services += (services.empty() ? "" : ", ") + source.service;
                const bool perService =
                    e.group == "emitted" && e.emitted.size() > 1 && e.meaning.rfind("Sent by ", 0) == 0;
                out.write("  " + e.code + std::string(e.code.size() < 38 ? 38 - e.code.size() : 1, ' ') +
                          (perService ? "differs per service (" + services + ")" : e.meaning) + "\n");
            }
            out.write("\naliases:\n");
            for (const auto& [alias, target] : catalog.aliases())
                out.write("  " + alias + std::string(alias.size() < 38 ? 38 - alias.size() : 1, ' ') + "-> " +
                          target.first + "\n");
            out.write("\ndeny reasons:\n");
            for (const auto& d : DenyReasonCatalog::instance().all())
                out.write("  " + d.code + std::string(d.code.size() < 38 ? 38 - d.code.size() : 1, ' ') +
                          d.label + "\n");
        }
        return Success;
    }
    const std::string code = parser.positionalArguments().first().trimmed().toStdString();
    const CodeResolution r = catalog.resolve(code);
    if (!r) {
        std::string near;
        for (const auto& n : catalog.nearest(code))
            near += (near.empty() ? "" : ", ") + n;
        printError("unknown code '" + code + "'; nearest known codes: " + near);
        return NoMatch;
    }
    const auto j = describe(catalog, code, r);
    out.write(fmt == "json" ? j.dump(2) + "\n" : text(j));
    return Success;
}

} // namespace caracal::cli
