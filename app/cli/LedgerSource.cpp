#include "cli/LedgerSource.h"

#include "cli/CliCommon.h"
#include "ledger/LedgerLoad.h"
#include "ledger/LedgerSearch.h"
#include "ledger/LedgerStats.h"
#include "ledger/LedgerVerify.h"
#include "load/EventLoader.h"
#include "query/FilterQuery.h"
#include "trace/RequestTrace.h"
#include "util/SourceBuffer.h"

#include <QDateTime>
#include <algorithm>
#include <csignal>
#include <unistd.h>

namespace caracal::cli {

namespace {

std::atomic<bool> g_cancel{false};

// Ctrl-C stops reading between rows; what was read is reported as incomplete.
void catchInterrupt() {
    std::signal(SIGINT, [](int) { g_cancel = true; });
    std::signal(SIGTERM, [](int) { g_cancel = true; });
}

bool openLedger(const QCommandLineParser& parser, const LedgerCliOptions& options, const QStringList& zones,
                LedgerConnection& connection) {
    bool ok = false;
    const double seconds = parser.value(options.statementTimeout).toDouble(&ok);
    if (!ok || seconds < 0) {
        printError("--statement-timeout must be a number of seconds (0: the server's default)");
        return false;
    }
    for (const QString& z : zones)
        if (z.isEmpty()) {
            printError("--zone needs a non-empty value");
            return false;
        }
    LedgerOptions o;
    o.conninfo = parser.value(options.pg).toStdString();
    // One zone: row-level security itself narrows the session to it; otherwise every zone ("*").
    if (zones.size() == 1) o.zone = zones.front().toStdString();
    o.statementTimeoutMs = static_cast<int>(std::min(seconds * 1000, 2e9));
    std::string error;
    if (!connection.open(o, error)) {
        printError(error);
        return false;
    }
    connection.watchCancel(&g_cancel); // Ctrl-C also stops a statement that waits on the server
    return true;
}

// zone:A OR zone:B ... (null for no zones).
std::unique_ptr<FilterNode> zoneFilter(const QStringList& zones) {
    std::vector<std::unique_ptr<FilterNode>> anyZone;
    for (const QString& z : zones)
        anyZone.push_back(FilterNode::term(FilterKey::Zone, z.toStdString()));
    if (anyZone.empty()) return nullptr;
    if (anyZone.size() == 1) return std::move(anyZone.front());
    return FilterNode::group(FilterNode::Kind::Or, std::move(anyZone));
}

void sayWhyEmpty(LedgerConnection& c) {
    std::fprintf(stderr, "caracal-trace: note: %s\n", c.whyNothingVisible().c_str());
}

} // namespace

int searchLedger(const QCommandLineParser& parser, const LedgerCliOptions& options, const QStringList& zones,
                 const FilterNode* root, size_t maxRows, const PrintRows& print) {
    const int64_t now = QDateTime::currentMSecsSinceEpoch() * 1000;
    if (auto compiled = compileLedgerFilter(root, now); auto* e = std::get_if<FilterError>(&compiled)) {
        printError("--filter: " + e->text());
        return UsageError;
    } else if (const auto local = describeLocalPart(std::get<LedgerFilter>(compiled)); !local.empty()) {
        std::fprintf(stderr, "caracal-trace: note: %s\n", local.c_str());
    }
    LedgerConnection connection;
    if (!openLedger(parser, options, zones, connection)) return UsageError;
    catchInterrupt();
    LedgerReadOptions read;
    read.cancel = &g_cancel;
    bool first = true;
    const LedgerSearchResult r = searchLedgerEvents(connection, root, now, read, maxRows,
                                                    [&](const EventStore& page, const auto& rows) {
                                                        print(page, rows, first);
                                                        first = false;
                                                    });
    if (r.filterError) {
        printError("--filter: " + r.filterError->text());
        return UsageError;
    }
    if (!r.read.error.empty()) {
        printError(r.read.error);
        printError(std::to_string(r.matched) + " event(s) were printed before the failure; the output is "
                                               "incomplete");
        return UsageError;
    }
    if (r.read.cancelled) {
        printError("interrupted: the output is incomplete");
        return UsageError;
    }
    if (r.matched == 0) {
        std::string e;
        const auto visible = countLedgerEvents(connection, LedgerFilter{}, e);
        if (visible && *visible == 0) sayWhyEmpty(connection);
        return NoMatch;
    }
    return Success;
}

int statsLedger(const QCommandLineParser& parser, const LedgerCliOptions& options, const QStringList& zones,
                bool json) {
    LedgerConnection connection;
    if (!openLedger(parser, options, zones, connection)) return UsageError;
    auto zonesOnly = zoneFilter(zones);
    auto compiled = compileLedgerFilter(zonesOnly.get(), 0);
    std::string error;
    const auto stats = ledgerStats(connection, std::get<LedgerFilter>(compiled), error);
    if (!stats) {
        printError(error);
        return UsageError;
    }
    Output out;
    out.write(json ? statsToJson(*stats).dump() + "\n" : statsToText(*stats, 1));
    out.flush();
    if (stats->events == 0) {
        sayWhyEmpty(connection);
        return NoMatch;
    }
    return Success;
}

int loadLedgerRequest(const QCommandLineParser& parser, const LedgerCliOptions& options,
                      const std::string& requestId, EventStore& store, std::string& zone) {
    const QStringList zones = zone.empty() ? QStringList() : QStringList{QString::fromStdString(zone)};
    LedgerConnection connection;
    if (!openLedger(parser, options, zones, connection)) return UsageError;
    auto load = [&](const std::vector<std::string>& ids) {
        std::vector<std::unique_ptr<FilterNode>> anyId;
        for (const std::string& id : ids)
            anyId.push_back(FilterNode::term(FilterKey::Request, id));
        auto root = anyId.size() == 1 ? std::move(anyId.front())
                                      : FilterNode::group(FilterNode::Kind::Or, std::move(anyId));
        if (!zone.empty()) {
            std::vector<std::unique_ptr<FilterNode>> both;
            both.push_back(std::move(root));
            both.push_back(FilterNode::term(FilterKey::Zone, zone));
            root = FilterNode::group(FilterNode::Kind::And, std::move(both));
        }
        const LedgerReadResult r = loadLedgerEvents(
            store, connection, std::get<LedgerFilter>(compileLedgerFilter(root.get(), 0)), {});
        if (!r.error.empty()) printError(r.error);
        return r.error.empty();
    };
    if (!load({requestId})) return UsageError;
    store.finishLoading();
    // Approval decisions are stored under their challenge ids: read those rows too.
    std::vector<std::string> challenges;
    for (RowId r : store.rowsWith(Field::RequestId, requestId)) {
        const auto ev = store.event(r);
        if (ev.contains("metadata_json") && ev["metadata_json"].is_object() &&
            ev["metadata_json"].contains("challenge_id") && ev["metadata_json"]["challenge_id"].is_string())
            challenges.push_back(ev["metadata_json"]["challenge_id"].get<std::string>());
    }
    std::sort(challenges.begin(), challenges.end());
    challenges.erase(std::unique(challenges.begin(), challenges.end()), challenges.end());
    challenges.erase(std::remove(challenges.begin(), challenges.end(), requestId), challenges.end());
    if (!challenges.empty()) {
        if (!load(challenges)) return UsageError;
        store.finishLoading();
    }
    std::vector<std::string> found = zonesOfRequest(store, requestId);
    if (found.empty()) {
        printError("request " + requestId + " is not in the ledger" +
                   (zone.empty() ? "" : " in zone " + zone));
        if (store.size() == 0 && connection.isOpen()) {
            std::string e;
            const auto visible = countLedgerEvents(connection, LedgerFilter{}, e);
            if (visible && *visible == 0) sayWhyEmpty(connection);
        }
        return NoMatch;
    }
    if (found.size() > 1) {
        std::string list;
        for (const auto& z : found)
            list += (list.empty() ? "" : ", ") + z;
        printError("request " + requestId + " is in several zones (" + list + "); choose one with --zone");
        return UsageError;
    }
    zone = found.front();
    return Success;
}

bool verifyFromLedger(const QCommandLineParser& parser, const LedgerCliOptions& options,
                      const QStringList& zones, const std::string& key, VerifyReport& report) {
    LedgerConnection connection;
    if (!openLedger(parser, options, zones, connection)) return false;
    catchInterrupt();
    LedgerVerifyOptions o;
    o.key = key;
    for (const QString& z : zones)
        o.zones.push_back(z.toStdString());
    o.cancel = &g_cancel;
    const bool tty = isatty(fileno(stderr));
    o.progress = [&](size_t rows) {
        if (!tty) return;
        std::fprintf(stderr, "\rcaracal-trace: verifying the ledger (%zu rows)", rows);
        std::fflush(stderr);
    };
    std::string error;
    const bool ok = verifyLedger(connection, o, report, error);
    if (tty) std::fprintf(stderr, "\r%60s\r", "");
    if (!ok) {
        printError(error);
        printError("the ledger was not read to the end: no verdict");
        return false;
    }
    bool any = false;
    for (const ZoneVerdict& z : report.zones)
        any = any || z.verified();
    if (!any) sayWhyEmpty(connection);
    return true;
}

} // namespace caracal::cli
