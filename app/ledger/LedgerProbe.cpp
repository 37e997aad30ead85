#include "ledger/LedgerProbe.h"

#include "ledger/LedgerStats.h"

#include <libpq-fe.h>

namespace caracal {

LedgerProbe probeLedger(const LedgerOptions& options) {
    LedgerProbe p;
    if (auto refused = refuseConnectionString(options.conninfo)) {
        p.problem = *refused;
        return p;
    }
    // PQping tells "no server" from "the server refused us" without logging in.
    const char* keys[] = {"dbname", nullptr};
    const char* values[] = {options.conninfo.c_str(), nullptr};
    const PGPing ping = PQpingParams(keys, values, 1);
    p.reachable = ping == PQPING_OK || ping == PQPING_REJECT;
    LedgerConnection c;
    std::string error;
    if (!c.open(options, error)) {
        p.problem = error;
        return p;
    }
    p.reachable = true;
    p.authenticated = true;
    p.user = c.user();
    p.zone = c.zone();
    p.tls = c.usesTls();
    LedgerResult r = c.query("SELECT current_setting('transaction_read_only')", {}, error);
    p.readOnly = r && ledgerValue(r.get(), 0, 0) == "on";
    if (!p.readOnly) {
        p.problem = "the session could not be made read-only";
        return p;
    }
    auto counts = ledgerZoneCounts(c, error);
    if (!counts) {
        p.problem = error;
        return p;
    }
    p.rowsPerZone = std::move(*counts);
    if (p.rowsPerZone.empty()) p.problem = c.whyNothingVisible();
    return p;
}

std::string LedgerProbe::summary() const {
    auto mark = [](bool ok) { return ok ? "ok" : "no"; };
    std::string s = std::string("Reachable: ") + mark(reachable) + "\nAuthenticated: " + mark(authenticated) +
                    (authenticated ? " (as " + user + (tls ? ", TLS)" : ", no TLS)") : std::string()) +
                    "\nRead-only session: " + mark(readOnly) + "\n";
    if (authenticated && readOnly) {
        s += "Rows visible per zone (caracal.zone_id = " + zone + "):";
        if (rowsPerZone.empty()) s += " none";
        for (const auto& [z, n] : rowsPerZone)
            s += "\n  " + z + ": " + std::to_string(n);
        s += "\n";
    }
    if (!problem.empty()) s += "Problem: " + problem + "\n";
    return s;
}

} // namespace caracal
