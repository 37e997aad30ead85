#include "remote/FollowSchedule.h"

#include "remote/RemoteError.h"

#include <algorithm>
#include <cstdint>

namespace caracal {

void FollowSchedule::succeeded() {
    m_failures = 0;
    m_retryAfterSeconds.reset();
    m_lastFailure.clear();
}

void FollowSchedule::failed(const std::string& reason, std::optional<int> retryAfterSeconds) {
    ++m_failures;
    m_retryAfterSeconds = retryAfterSeconds;
    m_lastFailure = reason;
}

int FollowSchedule::nextDelayMs(double jitter) const {
    if (m_failures == 0) return m_intervalMs;
    const int64_t cap = std::max<int64_t>(kMaxBackoffMs, m_intervalMs);
    const int64_t backoff = std::min<int64_t>(cap, int64_t(m_intervalMs) << std::min(m_failures, 16));
    // +-25 % around the backoff, never below the interval.
    const int64_t spread = int64_t(double(backoff) * (0.75 + 0.5 * std::clamp(jitter, 0.0, 1.0)));
    int64_t delay = std::clamp<int64_t>(spread, m_intervalMs, cap);
    if (m_retryAfterSeconds)
        delay = std::max<int64_t>(delay,
                                  std::clamp<int64_t>(*m_retryAfterSeconds, 0, kMaxRetryAfterSeconds) * 1000);
    return int(delay);
}

} // namespace caracal
