#pragma once
// One GET against a Caracal server with the admin token, certificate checks (a custom CA may be added; errors
// are never ignored), connect and transfer timeouts, retries with exponential backoff and jitter on what a
// retry can fix (honouring Retry-After), and a cancel flag that aborts the request in flight. Blocks the
// calling thread in a local event loop, so a CLI, a test or a worker thread can use it alike. The token is
// only ever placed in the Authorization header; nothing here logs it.
#include "remote/RemoteConnection.h"
#include "remote/RemoteError.h"

#include <QByteArray>
#include <QSslCertificate>
#include <QUrl>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <random>

class QNetworkAccessManager;

namespace caracal {

struct RemoteResponse {
    int status = 0;
    QByteArray body;
    QByteArray contentType, contentDisposition;
    int attempts = 0;
    std::optional<RemoteError> error; // set when the request did not end in a 2xx answer
};

class RemoteFetcher {
  public:
    RemoteFetcher(RemoteConnection connection, QByteArray token);
    RemoteFetcher(RemoteFetcher&&) noexcept;
    ~RemoteFetcher();

    void setCancel(const std::atomic<bool>* cancel) { m_cancel = cancel; }
    // Called before each retry with the error and the pause chosen.
    void onRetry(std::function<void(const RemoteError&, int attempt, int delayMs)> f) {
        m_onRetry = std::move(f);
    }
    // Multiplies every pause (tests use a small factor so retries do not take seconds).
    void setPauseScale(double scale) { m_pauseScale = scale; }

    RemoteResponse get(const QUrl& url, RemoteService service);
    const RemoteConnection& connection() const { return m_connection; }

  private:
    RemoteResponse attempt(const QUrl& url, RemoteService service);
    bool pause(int ms); // false when cancelled meanwhile

    RemoteConnection m_connection;
    QByteArray m_token;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    const std::atomic<bool>* m_cancel = nullptr;
    std::function<void(const RemoteError&, int, int)> m_onRetry;
    double m_pauseScale = 1.0;
    std::mt19937 m_random{std::random_device{}()};
    std::string m_caError;
    QList<QSslCertificate> m_caCertificates; // read once from the CA file
};

// "Authorization: Bearer [redacted]" and the other headers of a request, for debug output.
std::string describeRequestForLog(const QUrl& url);

} // namespace caracal
