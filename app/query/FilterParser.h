#pragma once
// The filter language shared by the console's filter bar and `caracal-trace --filter`:
//   zone:Z request:R type:token_* decision:deny status:S app:A session:S authority:A resource:R label:L
//   reason:R policy:P since:15m until:2026-11-14T10:00:00Z  "free text"  -negation  a OR b  (grouping)
// Terms side by side must all match (AND). Values ending in * match by prefix.
// Limits (a limit reached is an error at its column, never a crash): an expression is at most
// kMaxFilterLength bytes, and groups "( )" and negations ("-", NOT) nest at most kMaxFilterNesting deep.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caracal {

constexpr size_t kMaxFilterLength = 8192;
constexpr size_t kMaxFilterNesting = 64;

enum class FilterKey {
    Text,
    Zone,
    Request,
    Type,
    Decision,
    Status,
    App,
    Session,
    Authority,
    Resource,
    Label,
    Reason,
    DenyReason, // the deny reason by the console's rule (Field::DenyReason): deny events only
    Policy,
    Since,
    Until
};

struct FilterNode {
    enum class Kind { And, Or, Not, Term };
    Kind kind = Kind::Term;
    FilterKey key = FilterKey::Text;
    std::string value;
    bool prefix = false; // value ended in '*'
    size_t position = 0; // 0-based offset in the expression, for messages
    std::vector<std::unique_ptr<FilterNode>> children;

    static std::unique_ptr<FilterNode> term(FilterKey key, std::string value, size_t position = 0);
    static std::unique_ptr<FilterNode> group(Kind kind, std::vector<std::unique_ptr<FilterNode>> children);
};

struct FilterError {
    size_t position = 0; // 0-based
    std::string message; // says what was expected
    std::string text() const { return "column " + std::to_string(position + 1) + ": " + message; }
};

struct ParsedFilter {
    std::unique_ptr<FilterNode> root; // null for an empty expression (matches everything)
    std::optional<FilterError> error;
};

ParsedFilter parseFilter(std::string_view expression);

// Field names the language knows, for completion and messages.
const std::vector<std::string_view>& filterFieldNames();
std::optional<FilterKey> filterKeyFromName(std::string_view name);
std::string_view filterKeyName(FilterKey key);

} // namespace caracal
