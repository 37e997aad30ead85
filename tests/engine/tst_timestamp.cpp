#ifndef Q_MOC_RUN // moc need not parse the engine and its third-party headers
#include "util/Timestamp.h"
#endif

#include <QTest>

using namespace caracal;

class TimestampTest : public QObject {
    Q_OBJECT
  private slots:
    void parsesValidForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qlonglong>("micros");
        QTest::newRow("Z, no fraction") << "2023-11-14T22:13:20Z" << 1700000000000000LL;
        QTest::newRow("microseconds") << "2023-11-14T22:13:20.123456Z" << 1700000000123456LL;
        QTest::newRow("milliseconds") << "2023-11-14T22:13:20.123Z" << 1700000000123000LL;
        QTest::newRow("nanoseconds truncate") << "2023-11-14T22:13:20.123456789Z" << 1700000000123456LL;
        QTest::newRow("offset") << "2023-11-15T00:13:20+02:00" << 1700000000000000LL;
        QTest::newRow("negative offset") << "2023-11-14T21:13:20.5-01:00" << 1700000000500000LL;
        QTest::newRow("lower-case t and z") << "2023-11-14t22:13:20z" << 1700000000000000LL;
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << 1709164800000000LL;
        QTest::newRow("before epoch") << "1969-12-31T23:59:59.5Z" << -500000LL;
    }
    void parsesValidForms() {
        QFETCH(QString, text);
        QFETCH(qlonglong, micros);
        const auto parsed = parseRfc3339Micros(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, micros);
    }

    void rejectsInvalid_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad :
             {"", "2023-11-14", "2023-11-14T22:13:20", "2023-13-14T22:13:20Z", "2023-02-29T00:00:00Z",
              "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20.1234567890Z",
              "2023-11-14T22:13:20Zjunk", "yesterday", "2023-11-14T22:13:20+0200", "2023/11/14T22:13:20Z"})
            QTest::newRow(bad) << QString(bad);
    }
    void rejectsInvalid() {
        QFETCH(QString, text);
        QVERIFY(!parseRfc3339Micros(text.toStdString()).has_value());
    }

    void formatsUtcWithMicroseconds() {
        QCOMPARE(QString::fromStdString(formatUtcMicros(1700000000123456LL)), "2023-11-14T22:13:20.123456Z");
        QCOMPARE(QString::fromStdString(formatUtcMicros(-500000LL)), "1969-12-31T23:59:59.500000Z");
        const int64_t t = *parseRfc3339Micros("2026-11-14T00:10:46.050346Z");
        QCOMPARE(QString::fromStdString(formatUtcMicros(t)), "2026-11-14T00:10:46.050346Z");
    }
};

QTEST_GUILESS_MAIN(TimestampTest)
#include "tst_timestamp.moc"
