#include "chain/ChainHash.h"

#include "chain/Digest.h"

#include <QByteArray>

namespace caracal {

void appendContentMessage(std::string& out, const ChainInput& in) {
    for (const std::string* part :
         {&in.id, &in.zoneId, &in.eventType, &in.requestId, &in.decision, &in.policySetId,
          &in.policySetVersionId, &in.manifestSha, &in.evaluationStatus, &in.determiningPoliciesJsonb,
          &in.diagnosticsJsonb, &in.metadataJsonb}) {
        out += *part;
        out += '\x1f';
    }
    appendUnixNanos(out, in.occurredAtMicros);
}

void appendUnixNanos(std::string& out, int64_t micros) {
    out += std::to_string(static_cast<int64_t>(static_cast<uint64_t>(micros) * 1000u));
}

std::string contentSha256(const ChainInput& in) {
    std::string message;
    appendContentMessage(message, in);
    return toHex(sha256(message));
}

std::string chainHmac(const std::string& keyBytes, const std::string& content, const std::string& prev) {
    if (keyBytes.empty()) return {};
    return toHex(HmacSha256(keyBytes).mac(content + "|" + prev));
}

std::string hexDecode(const std::string& hex) {
    QByteArray text = QByteArray::fromStdString(hex).trimmed();
    if (text.size() % 2 != 0) return {};
    for (char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
    return QByteArray::fromHex(text).toStdString();
}

} // namespace caracal
