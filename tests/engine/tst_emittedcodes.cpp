// Every code Caracal emits (tests/data/emitted-error-codes.tsv, one row per code and service) resolves in the
// catalog and in `caracal-trace errors`, with that service's status, meaning, first check and rows.
#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "TestSupport.h"
#include "catalog/ErrorBodyExplainer.h"
#include "catalog/TroubleshootingCatalog.h"
#endif

#include <QProcess>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace caracal;
using namespace caracal::test;

namespace {
struct TableRow {
    std::string code, service, status, where, condition;
};

std::vector<TableRow> emittedTable() {
    std::ifstream in(dataPath("emitted-error-codes.tsv"));
    std::vector<TableRow> rows;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t'))
            cells.push_back(cell);
        if (cells.size() >= 5) rows.push_back({cells[0], cells[1], cells[2], cells[3], cells[4]});
    }
    return rows;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

nlohmann::json runErrors(const QStringList& args, int& exitCode, QByteArray* err = nullptr) {
    QProcess p;
    p.start(CARACAL_TRACE_BIN, QStringList{"errors"} + args);
    p.waitForFinished(60000);
    exitCode = p.exitCode();
    if (err) *err = p.readAllStandardError();
    return nlohmann::json::parse(p.readAllStandardOutput().toStdString(), nullptr, false);
}
} // namespace

class EmittedCodesTest : public QObject {
    Q_OBJECT
    const TroubleshootingCatalog& catalog = TroubleshootingCatalog::instance();

  private slots:
    void tableIsComplete() {
        const auto rows = emittedTable();
        std::set<std::string> codes;
        for (const auto& r : rows)
            codes.insert(r.code);
        QCOMPARE(rows.size(), size_t(486));
        QCOMPARE(codes.size(), size_t(404));
        QCOMPARE(catalog.emittedCodes().size(), size_t(404));
    }

    // Table-driven: each (code, service) row resolves, with that service's own help.
    void everyRowResolvesInTheCatalog() {
        for (const auto& row : emittedTable()) {
            const std::string what = row.code + " (" + row.service + ")";
            const CodeResolution r = catalog.resolve(row.code);
            QVERIFY2(r, what.c_str());
            QVERIFY2(r.emitted && r.emitted->code == row.code, what.c_str());
            const EmittedSource* source = nullptr;
            for (const auto& s : r.emitted->sources)
                if (s.service == row.service) source = &s;
            QVERIFY2(source, what.c_str());
            QCOMPARE(source->httpStatus, row.status);
            QCOMPARE(source->where, row.where);
            // Our own words: not the table's sentence, and specific to the code.
            QVERIFY2(source->meaning.size() > 20 && source->firstCheck.size() > 10, what.c_str());
            QVERIFY2(source->meaning != row.condition && source->firstCheck != row.condition, what.c_str());
            const std::string condition = lower(row.condition);
            QVERIFY2(condition.size() < 20 ||
                         (lower(source->meaning).find(condition) == std::string::npos &&
                          lower(source->firstCheck).find(condition) == std::string::npos),
                     what.c_str());
            QVERIFY2(!source->related.empty(), what.c_str());
            for (const auto& ref : source->related)
                QVERIFY2(!catalog.rows(ref).empty(), (what + " -> " + ref).c_str());
        }
    }

    // Different services, different help: no two services of one code share a meaning unless the code is a
    // shared constant re-raised by an SDK.
    void multiServiceCodesSayWhichService() {
        const CodeResolution r = catalog.resolve("unauthorized");
        QVERIFY(r.entry && r.emitted);
        std::set<std::string> services, meanings;
        for (const auto& s : r.emitted->sources) {
            services.insert(s.service);
            meanings.insert(s.meaning);
        }
        QCOMPARE(services,
                 (std::set<std::string>{"api", "audit", "control", "coordinator", "gateway", "sdk", "sts"}));
        QCOMPARE(meanings.size(), services.size());
        QVERIFY(r.meaningDiffersPerService());
        QCOMPARE(r.services().size(), r.emitted->sources.size());
        QVERIFY(r.entry->meaning.find("Control endpoint:") != std::string::npos);
        QVERIFY(r.entry->likelySource.find("Audit service") != std::string::npos);
        // A documented code keeps its documented row and gains its emitters.
        const CodeResolution access = catalog.resolve("access_denied");
        QCOMPARE(access.entry->group, std::string("well_known"));
        QCOMPARE(access.entry->emitted.size(), size_t(5));
        QVERIFY(!access.meaningDiffersPerService()); // a documented meaning stands for all of them
    }

    void templatesResolveByPrefix() {
        for (const auto& [concrete, tmpl] : std::vector<std::pair<std::string, std::string>>{
                 {"json_parse_error:required fields missing (id, zone_id, occurred_at)",
                  "json_parse_error:<err>"},
                 {"json_parse_error", "json_parse_error:<err>"},
                 {"invalid_credential_env:CARACAL_PIPERNET_TOKEN", "invalid_credential_env:<env>"},
                 {"pg_permanent_error:duplicate key", "pg_permanent_error:<err>"},
                 {"forbidden_builtin:http.send", "forbidden_builtin:<builtin>"},
                 {"approval_pending", "approval_<state>"}}) {
            const CodeResolution r = catalog.resolve(concrete);
            QVERIFY2(r && r.entry, concrete.c_str());
            QCOMPARE(r.templateCode, tmpl);
            QCOMPARE(r.entry->code, tmpl);
        }
        // The exact code wins over the template, and a template is not a catch-all.
        QCOMPARE(catalog.resolve("invalid_credential_env").emitted->code,
                 std::string("invalid_credential_env"));
        QCOMPARE(catalog.resolve("approval_rejected").emitted->code, std::string("approval_rejected"));
        QVERIFY(!catalog.resolve("approval_not_a_state_at_all"));
        QVERIFY(!catalog.resolve("json_parse_errors"));
    }

    void suggestionsFindRealNeighbours() {
        auto nearest = [&](const std::string& code) { return catalog.nearest(code); };
        QCOMPARE(nearest("unauthorised").front(), std::string("unauthorized"));
        for (const auto& n : nearest("unauthorised"))
            QVERIFY2(n != "no_provider" && n != "outbox_dead" && n != "build_failed", n.c_str());
        QCOMPARE(nearest("admin_token_readonly").front(), std::string("admin_token_read_only"));
        const auto replay = nearest("token_replayed");
        QVERIFY(std::find(replay.begin(), replay.end(), "token_replay") != replay.end());
        const auto policy = nearest("policy_set_missing");
        QVERIFY(std::any_of(policy.begin(), policy.end(),
                            [](const std::string& c) { return c.rfind("policy_set", 0) == 0; }));
        QCOMPARE(nearest("acess_denied").front(), std::string("access_denied"));
    }

    void errorBodiesOfEmittedCodesResolve() {
        const auto e = explainErrorBody(R"({"error":"idempotency_key_invalid"})");
        QVERIFY(e.resolution && e.problem.empty());
        QCOMPARE(e.surface, std::string("Coordinator"));
        const auto audit = explainErrorBody("unauthorized\n");
        QCOMPARE(audit.code, std::string("unauthorized"));
        QVERIFY(audit.surface.find("Audit service") != std::string::npos);
    }

    // The CLI: the codes the issue named exit 0; the full list carries every code of the table.
    void errorsCommandKnowsEveryCode() {
        int exit = -1;
        for (const char* code : {"admin_token_read_only", "application_name_taken", "idempotency_key_invalid",
                                 "approval_not_decidable", "policy_set_not_found", "unauthorized",
                                 "token_replay", "control_disabled", "missing_scope", "no_matching_policy"}) {
            const auto j = runErrors({code, "--format", "json"}, exit);
            QVERIFY2(exit == 0, code);
            QVERIFY2(!j["rows"].empty() && !j["first_check"].get<std::string>().empty(), code);
            // Only the test-only code has no emitting service.
            QVERIFY2(j["services"].empty() == (std::string(code) == "no_matching_policy"), code);
        }
        const auto testOnly = runErrors({"no_matching_policy", "--format", "json"}, exit);
        QVERIFY(testOnly["meaning"].get<std::string>().find("no_rule_matched") != std::string::npos);
        const auto control = runErrors({"unauthorized", "--format", "json"}, exit);
        QCOMPARE(control["services"].size(), size_t(7));
        const auto list = runErrors({"--format", "json"}, exit);
        QCOMPARE(exit, 0);
        std::map<std::string, std::set<std::string>> listed;
        for (const auto& item : list)
            for (const auto& s : item["services"])
                listed[item["query"].get<std::string>()].insert(s["service"].get<std::string>());
        for (const auto& row : emittedTable())
            QVERIFY2(listed[row.code].count(row.service), (row.code + " (" + row.service + ")").c_str());
        QByteArray err;
        runErrors({"json_parse_error:unexpected end of JSON input"}, exit, &err);
        QCOMPARE(exit, 0);
        runErrors({"unauthorised"}, exit, &err);
        QCOMPARE(exit, 1);
        QVERIFY2(err.contains("nearest known codes: unauthorized"), err.constData());
    }
};

QTEST_GUILESS_MAIN(EmittedCodesTest)
#include "tst_emittedcodes.moc"
