#pragma once
// A parsed filter compiled against one store: field terms become interned-id comparisons, relative times
// become instants, and the narrowest indexed term picks the candidate rows, so a request-id filter touches
// only its rows.
#include "query/FilterParser.h"
#include "store/EventStore.h"

#include <atomic>
#include <memory>
#include <variant>
#include <vector>

namespace caracal {

class FilterQuery {
  public:
    // Compiles `root` (null matches everything). Relative times ("15m", "now") are taken from nowMicros.
    static std::variant<FilterQuery, FilterError> compile(const FilterNode* root, const EventStore& store,
                                                          int64_t nowMicros);
    // Parses and compiles in one step.
    static std::variant<FilterQuery, FilterError> compile(std::string_view expression,
                                                          const EventStore& store, int64_t nowMicros);

    bool matches(RowId row) const;
    // Matching rows ordered by occurred_at, then id. Returns an empty list when cancelled.
    std::vector<RowId> run(const std::atomic<bool>* cancel = nullptr) const;

    struct Matcher;

  private:
    explicit FilterQuery(const EventStore& store) : m_store(&store) {}
    const EventStore* m_store;
    std::shared_ptr<const Matcher> m_root; // null: everything
};

// How far back a relative time (since:15m) may reach: 100 years of 366 days. Past it, parseFilterTime fails.
constexpr int64_t kMaxRelativeFilterSeconds = int64_t(100) * 366 * 86400;

// "now", "15m" / "2h" / "7d" / "1w" / "30s" ago, RFC 3339, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" (UTC).

std::optional<int64_t> parseFilterTime(std::string_view text, int64_t nowMicros);

} // namespace caracal
