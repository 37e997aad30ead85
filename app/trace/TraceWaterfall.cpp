#include "trace/TraceWaterfall.h"

#include "present/EventPresentation.h"
#include "util/Timestamp.h"

#include <algorithm>
#include <cstdio>

namespace caracal {

namespace {
// Lanes read top to bottom in the order a request usually flows through Caracal.
int laneRank(Surface s) {
    switch (s) {
    case Surface::Sts:
        return 0;
    case Surface::Gateway:
        return 1;
    case Surface::Approvals:
        return 2;
    case Surface::Api:
        return 3;
    case Surface::Unknown:
        break;
    }
    return 4;
}
} // namespace

std::string waterfallDuration(int64_t micros) {
    char buf[48];
    const double m = double(micros);
    if (micros < 1000)
        std::snprintf(buf, sizeof buf, "%lld \u00b5s", static_cast<long long>(micros));
    else if (micros < 1000000)
        std::snprintf(buf, sizeof buf, "%.1f ms", m / 1e3);
    else if (micros < 60000000)
        std::snprintf(buf, sizeof buf, "%.1f s", m / 1e6);
    else if (micros < 3600000000LL)
        std::snprintf(buf, sizeof buf, "%.1f min", m / 6e7);
    else
        std::snprintf(buf, sizeof buf, "%.1f h", m / 3.6e9);
    return buf;
}

std::string TraceWaterfall::laneName(size_t lane) const {
    if (lane >= lanes.size()) return {};
    return lanes[lane] == Surface::Unknown ? std::string("Other") : std::string(surfaceName(lanes[lane]));
}

int TraceWaterfall::markOf(RowId row) const {
    for (size_t i = 0; i < marks.size(); ++i)
        if (marks[i].row == row) return int(i);
    return -1;
}

TraceWaterfall buildTraceWaterfall(const RequestTrace& trace, const EventStore& store) {
    TraceWaterfall w;
    w.finalDecision = trace.finalDecision;
    if (trace.steps.empty()) return w;
    w.startMicros = store.record(trace.steps.front().row).occurredAt;
    for (const TraceStep& s : trace.steps)
        if (std::find(w.lanes.begin(), w.lanes.end(), s.surface) == w.lanes.end())
            w.lanes.push_back(s.surface);
    std::stable_sort(w.lanes.begin(), w.lanes.end(),
                     [](Surface a, Surface b) { return laneRank(a) < laneRank(b); });
    auto laneOf = [&](Surface s) {
        return size_t(std::find(w.lanes.begin(), w.lanes.end(), s) - w.lanes.begin());
    };
    for (size_t i = 0; i < trace.steps.size(); ++i) {
        const TraceStep& s = trace.steps[i];
        const auto ev = store.event(s.row);
        WaterfallMark m;
        m.row = s.row;
        m.lane = laneOf(s.surface);
        m.atMicros = store.record(s.row).occurredAt - w.startMicros;
        m.decision = std::string(store.field(s.row, Field::Decision));
        m.label = eventLabel(store.field(s.row, Field::EventType), m.decision);
        m.eventId = store.eventId(s.row);
        m.joined = s.joined;
        m.hoverText = formatUtcMicros(store.record(s.row).occurredAt) + "  (" +
                      (i ? "+" + waterfallDuration(s.sincePreviousMicros) : std::string("start")) + ")\n[" +
                      w.laneName(m.lane) + "] " + m.label + " - " +
                      (m.decision.empty() ? "no decision" : m.decision) + "\n" +
                      eventSummary(ev, std::string(store.actorOf(s.row))) + "\nEvent " + m.eventId +
                      (s.joined ? " (found by its challenge id)" : "");
        if (auto code = denyReasonCode(ev)) m.hoverText += "\nReason: " + *code;
        w.durationMicros = std::max(w.durationMicros, m.atMicros);
        w.marks.push_back(std::move(m));
    }
    for (size_t i = 0; i + 1 < w.marks.size(); ++i)
        if (w.marks[i + 1].atMicros > w.marks[i].atMicros)
            w.gaps.push_back({i, w.marks[i].atMicros, w.marks[i + 1].atMicros,
                              "+" + waterfallDuration(w.marks[i + 1].atMicros - w.marks[i].atMicros)});
    auto offset = [&](RowId r) { return store.record(r).occurredAt - w.startMicros; };
    for (const StepUpFlow& f : trace.stepUps) {
        const std::optional<RowId> first = f.issued ? f.issued : f.decided ? f.decided : f.consumed;
        if (!first) continue;
        WaterfallSpan span;
        span.lane = laneOf(Surface::Approvals);
        span.challengeId = f.challengeId;
        span.state = f.state;
        span.startMicros = offset(*first);
        if (f.decided) span.decidedMicros = offset(*f.decided);
        const std::optional<RowId> last = f.consumed ? f.consumed : f.decided;
        span.open = !last;
        span.endMicros = last ? offset(*last) : w.durationMicros;
        w.spans.push_back(std::move(span));
    }
    return w;
}

} // namespace caracal
