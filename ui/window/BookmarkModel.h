#pragma once
// The bookmarks of the open source as a table: time, event, zone and an editable note. A bookmark whose
// event is not in the loaded data (another file now, a deployment's older page) stays listed, greyed.
#include "session/BookmarkFile.h"
#include "store/EventRecord.h"

#include <QAbstractTableModel>
#include <optional>
#include <vector>

namespace caracal::ui {

class BookmarkModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        EventColumn,
        NoteColumn,
        TimeColumn,
        ZoneColumn,
        ColumnCount
    }; // the note early: docks are narrow
    enum Role { LoadedRole = Qt::UserRole + 1 };

    explicit BookmarkModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    void setBookmarks(QList<Bookmark> bookmarks);
    const QList<Bookmark>& bookmarks() const { return m_bookmarks; }
    // Which row of the store each bookmark's event is (none when not loaded), in list order.
    void setResolved(std::vector<std::optional<RowId>> rows);
    std::optional<RowId> rowOf(int bookmark) const;
    int indexOf(const QString& zone, const QString& eventId) const;
    void add(const Bookmark& bookmark, RowId row);
    void remove(int bookmark);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  signals:
    void edited(); // a note changed: the list is saved

  private:
    QList<Bookmark> m_bookmarks;
    std::vector<std::optional<RowId>> m_rows;
};

} // namespace caracal::ui
