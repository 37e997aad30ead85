#pragma once
// When follow mode polls next: every interval while the server answers, backing off while it fails (the
// interval doubled per failure in a row, with jitter, at most five minutes (or one interval when longer), or
// what Retry-After asks), and not at all while paused. Pure logic, so the rules are tested without waiting.
#include <optional>
#include <string>

namespace caracal {

class FollowSchedule {
  public:
    static constexpr int kMaxBackoffMs = 5 * 60 * 1000;

    explicit FollowSchedule(int intervalMs = 10000) : m_intervalMs(intervalMs) {}
    void setIntervalMs(int ms) { m_intervalMs = ms < 1000 ? 1000 : ms; }
    int intervalMs() const { return m_intervalMs; }

    void succeeded();
    void failed(const std::string& reason, std::optional<int> retryAfterSeconds = std::nullopt);
    int failures() const { return m_failures; }
    const std::string& lastFailure() const { return m_lastFailure; }

    // The wait before the next poll; `jitter` in [0, 1) spreads retries of many consoles (0.5: none).
    int nextDelayMs(double jitter) const;

    void setPaused(bool paused) { m_paused = paused; }
    bool paused() const { return m_paused; }

  private:
    int m_intervalMs;
    int m_failures = 0;
    std::optional<int> m_retryAfterSeconds;
    std::string m_lastFailure;
    bool m_paused = false;
};

} // namespace caracal
