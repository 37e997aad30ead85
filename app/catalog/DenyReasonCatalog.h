#pragma once
// Deny reasons with a label and a hint, from resources/catalog/deny-reasons.json (compiled in): the 37 codes
// Caracal's web console labels and the four STS statuses it leaves unlabelled.
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

struct DenyReason {
    std::string code, label, hint;
    bool webConsole = false; // the web console labels it too
};

class DenyReasonCatalog {
  public:
    static const DenyReasonCatalog& instance();
    // Parses catalog JSON text; `error` is set when it is not a valid catalog.
    static DenyReasonCatalog fromJson(std::string_view text, std::string& error);

    const DenyReason* find(std::string_view code) const;
    // The catalog label, or the code in words when the catalog does not know it.
    std::string label(std::string_view code) const;
    const std::vector<DenyReason>& all() const { return m_reasons; }

  private:
    std::vector<DenyReason> m_reasons;
};

// "approval_policy_changed" -> "Approval policy changed".
std::string humanizeCode(std::string_view code);

} // namespace caracal
