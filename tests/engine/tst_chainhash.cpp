#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "chain/ChainHash.h"
#include "chain/Digest.h"
#include "chain/JsonbText.h"
#endif

#include <QTest>

using namespace caracal;

// Vectors from caracal.md section 8.2 (computed from Caracal's algorithm).
class ChainHashTest : public QObject {
    Q_OBJECT
    const std::string key = hexDecode("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    ChainInput eventA() {
        ChainInput a;
        a.id = "ev-1";
        a.zoneId = "zone1";
        a.eventType = "token_exchange";
        a.requestId = "req1";
        a.decision = "allow";
        a.policySetId = "ps-1";
        a.policySetVersionId = "psv-1";
        a.manifestSha = "abc123";
        a.evaluationStatus = "complete";
        a.occurredAtMicros = 1700000000000000LL;
        return a;
    }

  private slots:
    // Every byte value at every position: only 0-9 and a-f are digits (Caracal writes lowercase), and each
    // decodes to its nibble in the right half of the right byte.
    void hexDigestsDecodeExactly() {
        for (int position = 0; position < 64; ++position)
            for (int b = 0; b < 256; ++b) {
                std::string hex(64, '0');
                hex[size_t(position)] = char(b);
                const bool digit = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
                Digest32 d{};
                QCOMPARE(fromHex64(hex, d), digit);
                if (!digit) continue;
                const int nibble = b <= '9' ? b - '0' : b - 'a' + 10;
                for (int i = 0; i < 32; ++i)
                    QCOMPARE(int(d[size_t(i)]),
                             i == position / 2 ? (position % 2 ? nibble : nibble << 4) : 0);
            }
        Digest32 d{};
        QVERIFY(!fromHex64(std::string(63, 'a'), d));
        const std::string h = "0123456789abcdef00ff10fe" + std::string(40, '7');
        QVERIFY(fromHex64(h, d));
        QCOMPARE(toHex(d), h);
    }

    void keyDecodes() { QCOMPARE(key.size(), size_t(32)); }

    void eventAContentAndHmac() {
        const std::string content = contentSha256(eventA());
        QCOMPARE(content, std::string("d391d64daa8f05b312a097820baae8dd9a2486156d8af5a3491b2464232ba84c"));
        QCOMPARE(chainHmac(key, content, ""),
                 std::string("e5569c0dddf90524510e618b648a9bd124619bcd7b99647f09f4d0fe7c1b4e0b"));
    }

    void eventBChainsToA() {
        ChainInput b = eventA();
        b.id = "ev-2";
        b.requestId = "req2";
        b.policySetId = "";
        b.determiningPoliciesJsonb =
            jsonbText(nlohmann::json::parse("[{\"policy\":\"caracal-payments-mint\"}]"));
        b.diagnosticsJsonb = jsonbText(nlohmann::json::parse("[]"));
        b.metadataJsonb = jsonbText(
            nlohmann::json::parse("{\"application_id\":\"app-1\",\"resource\":\"resource://pipernet\"}"));
        b.occurredAtMicros = 1700000000123456LL;
        QCOMPARE(b.metadataJsonb,
                 std::string("{\"resource\": \"resource://pipernet\", \"application_id\": \"app-1\"}"));
        const std::string content = contentSha256(b);
        QCOMPARE(content, std::string("c30bfd570f16c3420bd39b125d2c2c22aac1f61e8fe2ae89590672b0ea090a1d"));
        QCOMPARE(chainHmac(key, content, contentSha256(eventA())),
                 std::string("e30dcc55853a5a79ea5763f2b92ecf385a159b417ae51367e72dbea3dc1fc85c"));
    }

    void noKeyMeansNoHmac() { QCOMPARE(chainHmac("", "abc", ""), std::string()); }

    void jsonbTextRules_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("keys by length then bytes") << "{\"bb\":1,\"a\":2,\"ab\":3}"
                                                   << "{\"a\": 2, \"ab\": 3, \"bb\": 1}";
        QTest::newRow("nested and arrays") << "{\"x\":[1,{\"zz\":true,\"y\":null}]}"
                                           << "{\"x\": [1, {\"y\": null, \"zz\": true}]}";
        QTest::newRow("empty containers") << "{\"a\":{},\"b\":[]}"
                                          << "{\"a\": {}, \"b\": []}";
        QTest::newRow("escapes") << "[\"a\\\"b\\\\c\\nd\\u0001/é\"]"
                                 << "[\"a\\\"b\\\\c\\nd\\u0001/\xC3\xA9\"]";
        QTest::newRow("duplicate key, last wins") << "{\"a\":1,\"a\":2}"
                                                  << "{\"a\": 2}";
    }
    void jsonbTextRules() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(jsonbText(nlohmann::json::parse(input.toStdString()))), expected);
    }

    void hexDecodeRejectsMalformed() {
        QVERIFY(hexDecode("abc").empty());
        QVERIFY(hexDecode("zz").empty());
        QCOMPARE(hexDecode(" 0a0b \n"), std::string("\x0a\x0b"));
    }
};

QTEST_GUILESS_MAIN(ChainHashTest)
#include "tst_chainhash.moc"
