#include "session/BookmarkFile.h"

#include "session/ConsoleSession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace caracal::ui {

namespace {
QJsonObject readAll(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}
} // namespace

QString BookmarkFile::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/bookmarks.json";
}

QString BookmarkFile::sourceKey(const SessionSource& source) {
    if (source.isRemote()) {
        const RemoteConnection& c = *source.remote;
        QStringList zones;
        for (const auto& z : c.zones)
            zones << QString::fromStdString(z);
        zones.sort();
        return QString("%1:%2 %3")
            .arg(source.auditService ? "audit" : "api",
                 QString::fromStdString(source.auditService ? c.auditUrl : c.apiBase), zones.join(","));
    }
    QStringList files;
    for (const QString& f : source.files)
        files << QFileInfo(f).absoluteFilePath();
    files.sort();
    return files.isEmpty() ? QString() : "files:" + files.join("\n");
}

QList<Bookmark> BookmarkFile::load(const QString& key) const {
    QList<Bookmark> out;
    if (key.isEmpty()) return out;
    for (const QJsonValue& v : readAll(m_path).value("sources").toObject().value(key).toArray()) {
        const QJsonObject o = v.toObject();
        Bookmark b{o.value("zone").toString(), o.value("event_id").toString(), o.value("summary").toString(),
                   qint64(o.value("occurred_at_us").toDouble()), o.value("note").toString()};
        if (!b.eventId.isEmpty()) out << b;
    }
    return out;
}

std::optional<QString> BookmarkFile::save(const QString& key, const QList<Bookmark>& bookmarks) const {
    if (key.isEmpty()) return std::nullopt;
    QJsonObject root = readAll(m_path);
    QJsonObject sources = root.value("sources").toObject();
    QJsonArray list;
    for (const Bookmark& b : bookmarks)
        list.append(QJsonObject{{"zone", b.zone},
                                {"event_id", b.eventId},
                                {"summary", b.summary},
                                {"occurred_at_us", double(b.occurredAt)},
                                {"note", b.note}});
    if (list.isEmpty())
        sources.remove(key);
    else
        sources.insert(key, list);
    root.insert("sources", sources);
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path); // a crash while writing keeps the previous file whole
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 || !file.commit())
        return "Bookmarks could not be saved to " + m_path + ": " + file.errorString();
    return std::nullopt;
}

} // namespace caracal::ui
