#include "chain/ChainHash.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace caracal {

std::string contentSha256(const ChainInput& in) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const char sep = 0x1f;
    for (const std::string* part :
         {&in.id, &in.zoneId, &in.eventType, &in.requestId, &in.decision, &in.policySetId,
          &in.policySetVersionId, &in.manifestSha, &in.evaluationStatus, &in.determiningPoliciesJsonb,
          &in.diagnosticsJsonb, &in.metadataJsonb}) {
        hash.addData(QByteArrayView(part->data(), static_cast<qsizetype>(part->size())));
        hash.addData(QByteArrayView(&sep, 1));
    }
    const std::string nanos = std::to_string(in.occurredAtMicros) + "000";
    hash.addData(QByteArrayView(nanos.data(), static_cast<qsizetype>(nanos.size())));
    return hash.result().toHex().toStdString();
}

std::string chainHmac(const std::string& keyBytes, const std::string& content, const std::string& prev) {
    if (keyBytes.empty()) return {};
    const std::string message = content + "|" + prev;
    return QMessageAuthenticationCode::hash(QByteArray::fromStdString(message),
                                            QByteArray::fromStdString(keyBytes), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

std::string hexDecode(const std::string& hex) {
    QByteArray text = QByteArray::fromStdString(hex).trimmed();
    if (text.size() % 2 != 0) return {};
    for (char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
    return QByteArray::fromHex(text).toStdString();
}

} // namespace caracal
