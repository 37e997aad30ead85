// caracal-trace verify: Caracal's per-zone hash chains checked offline, from files or the audit service.
#include "chain/ChainRowReader.h"
#include "chain/ChainVerifier.h"
#include "chain/VerifyFiles.h"
#include "chain/VerifyReportFormat.h"
#include "cli/CliCommon.h"
#include "cli/LedgerSource.h"
#include "cli/RemoteSource.h"

#include <set>
#include <unistd.h>

namespace caracal::cli {

namespace {

const char* kVerifyUsage =
    "Usage: caracal-trace verify [--hmac-key-file F] [--zone Z]... [--format json|text] FILE...\n"
    "       caracal-trace verify --audit-url URL --zone Z [--token-file F] [--hmac-key-file F] [--format "
    "...]\n"
    "       caracal-trace verify --pg CONNINFO [--zone Z]... [--hmac-key-file F] [--format ...]\n"
    "Recomputes Caracal's per-zone hash chain: content_sha256 of every row, the link to the previous row,\n"
    "chain_seq gaps and duplicates and, with the key, chain_hmac. Inputs: audit-service search rows or "
    "pages,\n"
    "audit_events or admin_audit_events rows (JSON lines or CSV with the table's columns). The key is hex\n"
    "text as Caracal's AUDIT_HMAC_KEY, from --hmac-key-file or that environment variable, never an "
    "argument.\n"
    "Exit status: 0 every checked zone intact, 3 altered, broken or forged, 1 nothing carries chain fields,\n"
    "2 usage error or unreadable input.\n";

// A zone asked for but absent from the input is reported with no rows.
void addMissingZones(VerifyReport& report, const QStringList& zones) {
    std::set<std::string> wanted;
    for (const QString& z : zones)
        wanted.insert(z.toStdString());
    for (const std::string& z : wanted)
        if (!report.zone(z) && !report.zone(z, ChainTable::AdminAudit)) {
            ZoneVerdict empty;
            empty.zoneId = z;
            empty.source = "no rows of this zone in the input";
            report.zones.push_back(std::move(empty));
        }
}

// Pages every zone from the audit service through the shared client, reading each page as it arrives.
bool verifyRemote(const QCommandLineParser& parser, const RemoteOptions& remote, const QStringList& zones,
                  const std::string& key, VerifyReport& report) {
    RemoteConnection c;
    if (!remoteConnection(parser, remote, zones, c)) return false;
    if (c.auditUrl.empty()) {
        printError("verify reads a deployment only through --audit-url (the Caracal API's pages carry no "
                   "chain fields)");
        return false;
    }
    auto fetcher = makeFetcher(c);
    if (!fetcher) return false;
    ServerFilter everything;
    everything.params.emplace_back("since", "1970-01-01T00:00:00Z"); // the whole retained chain
    ChainVerifier verifier(!key.empty());
    ChainRowReader reader(key);
    bool ok = true;
    uint32_t page = 0;
    for (const std::string& zone : c.zones) {
        const auto sink = [&](const QByteArray& bytes, int index) {
            ChainBatch batch;
            verifier.setSourceName(page, zone + " page " + std::to_string(index));
            reader.readJson(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())),
                            {page++, 1}, batch);
            verifier.add(std::move(batch));
        };
        const auto progress = [&](int pages, size_t events) {
            std::fprintf(stderr, "\rcaracal-trace: %s: %d page(s), %zu rows", zone.c_str(), pages, events);
            std::fflush(stderr);
        };
        const ListResult r = listZone(*fetcher, zone, everything, true, sink, progress);
        std::fprintf(stderr, "\n");
        for (const auto& note : r.notes)
            std::fprintf(stderr, "caracal-trace: note: %s\n", note.c_str());
        if (r.capped)
            std::fprintf(
                stderr,
                "caracal-trace: note: %s stopped at the page cap: rows after chain_seq of the last page "
                "were not checked (raise --page-cap)\n",
                zone.c_str());
        if (r.error) {
            reportError(*r.error);
            ok = false;
        }
    }
    report = verifier.finish();
    return ok;
}

} // namespace

int runVerify(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption keyFile(
        "hmac-key-file", "The HMAC key (hex, as AUDIT_HMAC_KEY); default: that environment variable.", "F");
    const QCommandLineOption zone("zone", "Check only this zone (repeatable; required with --audit-url).",
                                  "Z");
    const QCommandLineOption format("format", "Output format: text (default) or json.", "json|text", "text");
    const QCommandLineOption maxProblems("max-problems", "List at most N problems per zone (0: all).", "N",
                                         "1000");
    RemoteOptions remote;
    parser.addOptions({keyFile, zone, format, maxProblems});
    parser.addOption(remote.auditUrl);
    parser.addOption(remote.tokenFile);
    parser.addOption(remote.pageCap);
    parser.addOption(remote.allowHttp);
    LedgerCliOptions ledger;
    ledger.addTo(parser);
    parser.addPositionalArgument("FILE", "Files with chain fields.", "FILE...");
    int exit = Success;
    if (!parseOptions(parser, args, kVerifyUsage, exit)) return exit;
    const QString fmt = parser.value(format);
    if (!checkFormat(fmt, {"json", "text"})) return UsageError;
    bool okNumber = false;
    const int limit = parser.value(maxProblems).toInt(&okNumber);
    if (!okNumber || limit < 0) {
        printError("--max-problems must be a whole number (0 lists all)");
        return UsageError;
    }
    const bool fromServer = parser.isSet(remote.auditUrl);
    const bool fromLedger = ledger.used(parser);
    if (fromLedger && (fromServer || !parser.positionalArguments().isEmpty())) {
        printError("--pg reads the ledger instead of FILEs or --audit-url: choose one source");
        return UsageError;
    }
    if (!fromServer && !fromLedger && parser.positionalArguments().isEmpty()) {
        printError("verify needs at least one FILE, --audit-url or --pg (see --help)");
        return UsageError;
    }

    const HmacKey key = loadHmacKey(parser.value(keyFile).toStdString(), true);
    if (!key.error.empty()) {
        printError(key.error);
        return UsageError;
    }
    if (!key.warning.empty()) std::fprintf(stderr, "caracal-trace: warning: %s\n", key.warning.c_str());

    VerifyReport report;
    bool readable = true;
    if (fromLedger) {
        if (!verifyFromLedger(parser, ledger, parser.values(zone), key.bytes, report)) return UsageError;
        addMissingZones(report, parser.values(zone));
    } else if (fromServer) {
        if (!verifyRemote(parser, remote, parser.values(zone), key.bytes, report)) return UsageError;
    } else {
        std::vector<std::string> paths;
        for (const QString& f : parser.positionalArguments())
            paths.push_back(f.toStdString());
        VerifyFilesOptions options;
        options.key = key.bytes;
        for (const QString& z : parser.values(zone))
            options.zones.push_back(z.toStdString());
        const bool tty = isatty(fileno(stderr));
        options.progress = [&](const VerifyProgress& p) {
            if (!tty || p.bytesTotal == 0) return;
            std::fprintf(stderr, "\rcaracal-trace: verifying %3d%% (%zu rows)",
                         static_cast<int>(100 * p.bytesDone / p.bytesTotal), p.rows);
            std::fflush(stderr);
        };
        std::vector<std::string> fileErrors;
        report = verifyFiles(paths, options, fileErrors);
        if (tty) std::fprintf(stderr, "\r%60s\r", "");
        for (const std::string& e : fileErrors)
            printError(e);
        readable = fileErrors.empty();
        addMissingZones(report, parser.values(zone));
    }
    for (const UnreadableRow& u : report.unreadable)
        std::fprintf(stderr, "caracal-trace: %s: %s\n", u.where.c_str(), u.message.c_str());

    Output out;
    if (fmt == "json")
        out.write(reportToJson(report, static_cast<size_t>(limit)).dump(2) + "\n");
    else
        out.write(reportToText(report, static_cast<size_t>(limit)));
    out.flush();
    if (!readable) return UsageError;
    switch (report.verdict()) {
    case Verdict::Intact:
        return Success;
    case Verdict::Tampered:
        return Tampered;
    case Verdict::Unverifiable:
        return NoMatch;
    }
    return UsageError;
}

} // namespace caracal::cli
