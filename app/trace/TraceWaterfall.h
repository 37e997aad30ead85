#pragma once
// A request trace laid out as a picture of time, as Jaeger draws a trace: one lane per surface that produced
// events (STS, Gateway, Approvals, API), each event a mark at its offset from the request's first event, a
// step-up hold a span from issued through decided to consumed, the gaps between consecutive events with their
// duration, and the final decision at the end. Only numbers and text: the console paints it, a test reads it.
#include "trace/RequestTrace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace caracal {

struct WaterfallMark {
    RowId row = 0;
    size_t lane = 0;      // index into TraceWaterfall::lanes
    int64_t atMicros = 0; // offset from the first event
    std::string label;    // "Token issued", "Resource call", ...
    std::string decision; // the event's decision, for its colour
    std::string eventId;
    bool joined = false;   // found through its challenge id, not its request id
    std::string hoverText; // what a pointer over the mark is told
};

struct WaterfallSpan { // a step-up hold
    size_t lane = 0;
    int64_t startMicros = 0, endMicros = 0;
    int64_t decidedMicros = -1; // -1: no decision loaded
    std::string challengeId, state;
    bool open = false; // never decided nor consumed: drawn to the end of the axis
};

struct WaterfallGap { // between marks[from] and marks[from + 1]
    size_t from = 0;
    int64_t fromMicros = 0, toMicros = 0;
    std::string label; // "+1.2 s"
};

struct TraceWaterfall {
    int64_t startMicros = 0;          // the first event's time (UTC microseconds)
    int64_t durationMicros = 0;       // last event minus first
    std::vector<Surface> lanes;       // STS, Gateway, Approvals, API, then others, those with events only
    std::vector<WaterfallMark> marks; // time order, as the trace's steps
    std::vector<WaterfallSpan> spans;
    std::vector<WaterfallGap> gaps; // only between marks at different times
    std::string finalDecision;
    std::string laneName(size_t lane) const;
    // The mark of a row, or -1.
    int markOf(RowId row) const;
};

TraceWaterfall buildTraceWaterfall(const RequestTrace& trace, const EventStore& store);

// "850 µs", "12.5 ms", "3.2 s", "4.0 min", "2.5 h": a duration as the waterfall labels it.
std::string waterfallDuration(int64_t micros);

} // namespace caracal
