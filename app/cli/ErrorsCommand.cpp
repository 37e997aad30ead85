#include "catalog/TroubleshootingCatalog.h"
#include "cli/CliCommon.h"

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

// The object `errors CODE --format json` prints.
nlohmann::ordered_json describe(const TroubleshootingCatalog& catalog, const std::string& query,
                                const CodeResolution& r) {
    nlohmann::ordered_json j;
    j["code"] = r.canonical();
    j["alias_of"] = r.aliasOf.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.aliasOf);
    j["query"] = query;
    if (r.entry) {
        const ErrorCodeEntry& e = *r.entry;
        j["kind"] = "error";
        j["meaning"] = e.meaning;
        j["likely_source"] = e.likelySource;
        j["first_check"] = e.firstCheck;
        j["http_status"] = e.httpStatus;
        std::vector<RowRef> rows;
        for (const std::string& ref : e.related)
            for (const RowRef& row : catalog.rows(ref))
                rows.push_back(row);
        j["rows"] = rowsJson(rows);
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
        j["rows"] = rowsJson(catalog.rows("sts-403"));
    }
    return j;
}

std::string text(const nlohmann::ordered_json& j) {
    std::string out =
        j["code"].get<std::string>() + "  (" + (j["kind"] == "error" ? "error code" : "deny reason") + ")\n";
    if (!j["alias_of"].is_null())
        out += "  " + j["query"].get<std::string>() + " is an alias of " + j["alias_of"].get<std::string>() +
               "\n";
    out += "  Meaning:       " + j["meaning"].get<std::string>() + "\n";
    out += "  Likely source: " + j["likely_source"].get<std::string>() + "\n";
    out += "  First check:   " + j["first_check"].get<std::string>() + "\n";
    if (!j["http_status"].empty()) {
        std::string statuses;
        for (const auto& s : j["http_status"])
            statuses += (statuses.empty() ? "" : ", ") + s.get<std::string>();
        out += "  HTTP status:   " + statuses + "\n";
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
            out.write(all.dump(2) + "\n");
        } else {
            std::string group;
            for (const auto& e : catalog.codes()) {
                if (e.group != group) out.write("\n" + (group = e.group) + ":\n");
                out.write("  " + e.code + std::string(e.code.size() < 38 ? 38 - e.code.size() : 1, ' ') +
                          e.meaning + "\n");
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
