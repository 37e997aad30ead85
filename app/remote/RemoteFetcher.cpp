#include "remote/RemoteFetcher.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace caracal {

RemoteFetcher::RemoteFetcher(RemoteConnection connection, QByteArray token)
    : m_connection(std::move(connection)), m_token(std::move(token)),
      m_nam(std::make_unique<QNetworkAccessManager>()) {
    m_nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    if (!m_connection.caFile.empty()) {
        m_caCertificates = QSslCertificate::fromPath(QString::fromStdString(m_connection.caFile), QSsl::Pem);
        if (m_caCertificates.isEmpty())
            m_caError = "the CA file " + m_connection.caFile + " holds no PEM certificate";
    }
}

RemoteFetcher::RemoteFetcher(RemoteFetcher&&) noexcept = default;

RemoteFetcher::~RemoteFetcher() {
    m_token.fill('\0');
}

std::string describeRequestForLog(const QUrl& url) {
    return "GET " + url.toString(QUrl::RemoveUserInfo).toStdString() +
           "\nAuthorization: Bearer [redacted]\nAccept: application/json";
}

bool RemoteFetcher::pause(int ms) {
    QEventLoop loop;
    QTimer done, poll;
    done.setSingleShot(true);
    QObject::connect(&done, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_cancel && m_cancel->load()) loop.quit();
    });
    done.start(ms);
    poll.start(20);
    loop.exec();
    return !(m_cancel && m_cancel->load());
}

RemoteResponse RemoteFetcher::attempt(const QUrl& url, RemoteService service) {
    RemoteResponse r;
    const std::string where = url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery).toStdString();
    if (!m_caError.empty()) {
        r.error = remoteNetworkError("config", m_caError, where);
        return r;
    }
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setRawHeader("Accept", "application/json, text/csv, text/plain");
    request.setTransferTimeout(m_connection.transferTimeoutMs);
    if (!m_connection.caFile.empty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_caCertificates);
        request.setSslConfiguration(ssl);
    }
    QNetworkReply* reply = m_nam->get(request);
    QEventLoop loop;
    bool cancelled = false, connectTimedOut = false, answered = false;
    QStringList tlsErrors;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::metaDataChanged, &loop, [&] { answered = true; });
    QObject::connect(reply, &QNetworkReply::sslErrors, &loop, [&](const QList<QSslError>& errors) {
        for (const QSslError& e : errors)
            tlsErrors << e.errorString(); // never ignored: the reply fails with them
    });
    QTimer poll, connectDeadline;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_cancel && m_cancel->load() && !reply->isFinished()) {
            cancelled = true;
            reply->abort();
        }
    });
    connectDeadline.setSingleShot(true);
    QObject::connect(&connectDeadline, &QTimer::timeout, &loop, [&] {
        if (!answered && !reply->isFinished()) {
            connectTimedOut = true;
            reply->abort();
        }
    });
    poll.start(20);
    connectDeadline.start(m_connection.connectTimeoutMs);
    if (!reply->isFinished()) loop.exec();

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (reply->isOpen()) r.body = reply->readAll();
    r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    r.contentDisposition = reply->rawHeader("Content-Disposition");
    if (cancelled) {
        r.error = remoteNetworkError("cancelled", "", where);
    } else if (status.isValid() && reply->error() != QNetworkReply::OperationCanceledError) {
        r.status = status.toInt();
        if (r.status < 200 || r.status >= 300)
            r.error = remoteErrorFromHttp(service, r.status, {r.body.constData(), size_t(r.body.size())},
                                          reply->rawHeader("Retry-After").toStdString(),
                                          QDateTime::currentSecsSinceEpoch());
        else if (reply->error() != QNetworkReply::NoError) // the connection broke mid-body
            r.error = remoteNetworkError(
                "network", "the answer was cut off (" + reply->errorString().toStdString() + ")", where);
    } else if (!tlsErrors.isEmpty()) {
        r.error = remoteNetworkError("tls", tlsErrors.join("; ").toStdString(), where);
    } else if (connectTimedOut || reply->error() == QNetworkReply::TimeoutError ||
               reply->error() == QNetworkReply::OperationCanceledError) {
        r.error = remoteNetworkError("timeout", reply->errorString().toStdString(), where);
    } else {
        r.error = remoteNetworkError("network", reply->errorString().toStdString(), where);
    }
    reply->deleteLater();
    return r;
}

RemoteResponse RemoteFetcher::get(const QUrl& url, RemoteService service) {
    RemoteResponse r;
    for (int attemptNo = 1;; ++attemptNo) {
        r = attempt(url, service);
        r.attempts = attemptNo;
        if (!r.error || !r.error->retryable || attemptNo >= m_connection.maxAttempts) return r;
        // Exponential backoff with full jitter, or what the server asked for.
        int64_t delay;
        if (r.error->retryAfterSeconds) { // parseRetryAfter already capped it; clamp again for other sources
            delay = std::clamp<int64_t>(*r.error->retryAfterSeconds, 0, kMaxRetryAfterSeconds) * 1000;
        } else {
            const int ceiling = std::min(30000, 500 << std::min(attemptNo - 1, 6));
            delay = std::uniform_int_distribution<int>(ceiling / 2, ceiling)(m_random);
        }
        delay = std::clamp<int64_t>(static_cast<int64_t>(double(delay) * m_pauseScale), 0,
                                    int64_t(kMaxRetryAfterSeconds) * 1000);
        if (m_onRetry) m_onRetry(*r.error, attemptNo, static_cast<int>(delay));
        if (!pause(static_cast<int>(delay))) {
            r.error = remoteNetworkError("cancelled", "", url.toString(QUrl::RemoveQuery).toStdString());
            return r;
        }
    }
}

} // namespace caracal
