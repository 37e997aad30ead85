#pragma once
// Where bookmarks live between runs: one small JSON file under the application's data folder
// (QStandardPaths::AppDataLocation), with a list per source. A source is named by what was opened (the
// sorted file paths, or the deployment's address and zones), so the same export opened again finds its
// bookmarks. A bookmark names its event by zone and event id, never by row, and keeps only what the list
// shows (time, a short label, the user's note): no metadata value reaches the file.
#include <QList>
#include <QString>
#include <optional>

namespace caracal::ui {

struct SessionSource;

struct Bookmark {
    QString zone, eventId;
    QString summary;       // the event's label and request id, shown while the event is not loaded
    qint64 occurredAt = 0; // microseconds since the epoch, UTC
    QString note;
};

class BookmarkFile {
  public:
    explicit BookmarkFile(QString path = defaultPath()) : m_path(std::move(path)) {}
    static QString defaultPath();
    // The key bookmarks of this source are kept under; empty when nothing is open.
    static QString sourceKey(const SessionSource& source);

    QList<Bookmark> load(const QString& key) const;
    // Replaces the source's list (other sources' stay); the error text when the file cannot be written.
    std::optional<QString> save(const QString& key, const QList<Bookmark>& bookmarks) const;
    const QString& path() const { return m_path; }

  private:
    QString m_path;
};

} // namespace caracal::ui
