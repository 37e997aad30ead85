// SHA-256 and HMAC-SHA256 over row-sized messages: QCryptographicHash / QMessageAuthenticationCode against
// OpenSSL's libcrypto as app/chain/Digest uses it. Prints "name ms" lines for tests/bench/run.sh.
#include "chain/Digest.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    const int messages = argc > 1 ? std::atoi(argv[1]) : 200000;
    std::string row(1200, 'x'); // about one generated search row's hashed bytes
    for (size_t i = 0; i < row.size(); ++i)
        row[i] = static_cast<char>('a' + i % 26);
    const std::string key(32, 'k');
    auto time = [&](const char* name, auto&& fn) {
        const auto start = std::chrono::steady_clock::now();
        unsigned sink = 0;
        for (int i = 0; i < messages; ++i) {
            row[i % row.size()] ^= 1;
            sink += fn();
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s %.1f\n", name, ms);
        return sink;
    };
    unsigned sink = 0;
    sink += time("qt_sha256_ms", [&] {
        return static_cast<unsigned>(
            QCryptographicHash::hash(QByteArrayView(row.data(), qsizetype(row.size())),
                                     QCryptographicHash::Sha256)
                .at(0));
    });
    sink += time("openssl_sha256_ms", [&] { return static_cast<unsigned>(caracal::sha256(row)[0]); });
    const std::string link(129, 'a'); // content|prev: 64 + 1 + 64 hex digits
    const QByteArray qkey = QByteArray::fromStdString(key);
    sink += time("qt_hmac_ms", [&] {
        return static_cast<unsigned>(QMessageAuthenticationCode::hash(QByteArray::fromStdString(link), qkey,
                                                                      QCryptographicHash::Sha256)
                                         .at(0));
    });
    const caracal::HmacSha256 hmac(key);
    sink += time("openssl_hmac_ms", [&] { return static_cast<unsigned>(hmac.mac(link)[0]); });
    std::printf("messages %d\nsink %u\n", messages, sink & 1);
    return 0;
}
