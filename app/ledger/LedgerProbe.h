#pragma once
// "Test connection" for the ledger: each step said on its own, so a user sees which one fails: the server
// answers, the login is accepted, the session is read-only, and how many rows each zone shows this role.
#include "ledger/LedgerConnection.h"

#include <map>

namespace caracal {

struct LedgerProbe {
    bool reachable = false;     // the server answered (even if it then refused the login)
    bool authenticated = false; // the login was accepted
    bool readOnly = false;      // the session refuses writes
    bool tls = false;
    std::string user, zone;
    std::map<std::string, uint64_t> rowsPerZone;
    std::string problem;         // the first failure, as a message to act on; empty when everything worked
    std::string summary() const; // one line per step, for the dialog
};

LedgerProbe probeLedger(const LedgerOptions& options);

} // namespace caracal
