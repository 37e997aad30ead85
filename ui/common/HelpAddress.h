#pragma once
// Addresses of the troubleshooting browser, in one place: "code:X" for an error code, "row:table/key" for a
// troubleshooting row. Links in the detail pane, the trace, the wizard and the graph carry these.
#include <QString>

namespace caracal::ui {

struct HelpAddress {
    enum class Kind { None, Code, Row };
    Kind kind = Kind::None;
    QString value; // the code, or "table/key"
};

inline QString helpAddressOfCode(const QString& code) {
    return "code:" + code;
}
inline QString helpAddressOfRow(const QString& tableAndKey) {
    return "row:" + tableAndKey;
}
inline HelpAddress parseHelpAddress(const QString& address) {
    if (address.startsWith(QLatin1String("code:"))) return {HelpAddress::Kind::Code, address.mid(5)};
    if (address.startsWith(QLatin1String("row:"))) return {HelpAddress::Kind::Row, address.mid(4)};
    return {};
}
inline bool isHelpAddress(const QString& address) {
    return parseHelpAddress(address).kind != HelpAddress::Kind::None;
}

} // namespace caracal::ui
