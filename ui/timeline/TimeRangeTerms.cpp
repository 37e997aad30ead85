#include "timeline/TimeRangeTerms.h"

#include "timeline/TimelineBuckets.h"

#include <QRegularExpression>

namespace caracal::ui {

QString withTimeRange(const QString& filter, qint64 startSeconds, qint64 endSeconds) {
    // A whole word since:VALUE or until:VALUE (VALUE quoted or not), with space or an end on both sides.
    static const QRegularExpression term(R"re((^|\s)(since|until):("[^"]*"|[^\s()"]+)(?=\s|$))re",
                                         QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression orBefore(R"((^|\s)OR\s*$)"), orAfter(R"(^\s*OR(\s|$))");
    QString out = filter;
    // From the end, so earlier offsets stay valid while removing.
    QList<QRegularExpressionMatch> matches;
    for (auto it = term.globalMatch(filter); it.hasNext();)
        matches.append(it.next());
    for (auto m = matches.rbegin(); m != matches.rend(); ++m) {
        const qsizetype begin = m->capturedStart(2), end = m->capturedEnd(0);
        const QString before = out.left(begin), after = out.mid(end);
        if (orBefore.match(before).hasMatch() || orAfter.match(after).hasMatch()) continue;
        // Inside a group when more "(" than ")" precede it.
        if (before.count('(') > before.count(')')) continue;
        out = before + after;
    }
    out = out.simplified();
    const QString range = QString("since:%1 until:%2")
                              .arg(QString::fromStdString(formatUtcSeconds(startSeconds)),
                                   QString::fromStdString(formatUtcSeconds(endSeconds)));
    return out.isEmpty() ? range : out + " " + range;
}

} // namespace caracal::ui
