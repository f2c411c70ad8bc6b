#pragma once

#include "core/requestrecord.h"

#include <QString>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace ts {

struct ResultDocument;

// A request still streaming, as a poll of the running benchmark sees it. Times are seconds:
// startTime and queueTime on the run's axis like a record's, firstContent after the send
// (like ttft), -1 while no content has arrived.
struct OpenRequest
{
    int index = -1;             // position in the workload (RequestRecord::index)
    double startTime = 0.0;
    double queueTime = 0.0;
    double firstContent = -1.0;
    int chunks = 0;             // content chunks received so far
};

// The order of the timeline's rows. Ties keep the order in which the records came.
enum class TimelineOrder : std::uint8_t {
    Start,      // when the request was sent
    Ttft,       // fastest first token first; failed requests without one last
    E2el,       // shortest end-to-end latency first
};

// The part of a record the timeline draws, kept compact so that 100,000 rows stay cheap.
struct TimelineRequest
{
    double startTime = 0.0;     // sent, on the run's axis
    double queueTime = 0.0;     // waited for a slot before startTime
    double ttft = 0.0;          // after the send
    double latency = 0.0;       // E2EL, after the send
    std::uint32_t firstGap = 0; // into the data's gap array
    std::uint32_t gapCount = 0;
    int index = -1;             // position in the workload
    int outputTokens = 0;
    int chunks = 0;
    bool success = false;

    double released() const { return startTime - queueTime; }
    double firstToken() const { return startTime + ttft; }
    double end() const { return startTime + latency; }
    // A failed request may have no first token at all.
    bool hasFirstToken() const { return chunks > 0; }
};

// How many requests were in flight from time on, until the next step.
struct InFlightStep
{
    double time = 0.0;
    int count = 0;
};

// What a timeline hit: a finished record (its position in the records given) or an open
// request (its position in the list of setOpenRequests()); both -1 when nothing is there.
struct TimelineHit
{
    int record = -1;
    int open = -1;
    bool isNone() const { return record < 0 && open < 0; }
};

// The data behind the request timeline, without widgets: one row per request on the run's
// time axis, in a chosen order, with the in-flight count over time. Records arrive at once
// (a result) or in batches (a live run); orders and the in-flight series are brought up to
// date when next asked for, by merging what came since, so a repaint never costs a full sort.
class TimelineData
{
public:
    TimelineData() = default;
    // hasSendTimes false: the records do not know when they were sent (vLLM's files); every
    // request is then drawn from zero (alignedAtZero()).
    explicit TimelineData(const std::vector<RequestRecord> &records, bool hasSendTimes = true);
    // The records of a result; files without start_times are aligned at zero.
    static TimelineData fromDocument(const ResultDocument &document);

    void clear();
    // Records finished since the last call, indexed after the ones already here.
    void append(const std::vector<RequestRecord> &records);
    // Replaces the requests still in flight; they are drawn up to now. An open request whose
    // record has already arrived is left out.
    void setOpenRequests(std::vector<OpenRequest> open, double now);
    void setHighlighted(const std::vector<int> &recordIndices);
    // How far a live run has come: the time axis reaches at least here.
    void setNow(double now) { m_now = now; }

    bool alignedAtZero() const { return m_alignedAtZero; }
    int recordCount() const { return int(m_requests.size()); }
    int openCount() const { return int(m_open.size()); }
    const TimelineRequest &request(int record) const { return m_requests[std::size_t(record)]; }
    // Gaps between the record's chunks, in seconds.
    std::span<const float> gaps(int record) const;
    QString error(int record) const;
    const OpenRequest &open(int k) const { return m_open[std::size_t(k)]; }
    double now() const { return m_now; }
    bool isHighlighted(int record) const;
    int highlightedCount() const { return m_highlightedCount; }

    // The time the rows span: the first release to the last end (or now, while running).
    double timeBegin() const;
    double timeEnd() const;

    TimelineOrder order() const { return m_order; }
    void setOrder(TimelineOrder order);
    int rowCount() const { return recordCount() + openCount(); }
    // What the row shows: record >= 0, or open >= 0.
    TimelineHit rowAt(int row) const;
    int rowOfRecord(int record) const;
    // The request drawn on row at time, within slack seconds of its bar; none when the time is
    // outside it.
    TimelineHit hitTest(int row, double time, double slack = 0.0) const;

    // Steps of the in-flight count (sent, not finished), open requests included; empty when
    // aligned at zero, where the count over time means nothing.
    const std::vector<InFlightStep> &inFlight() const;
    int maxInFlight() const;
    int inFlightAt(double time) const;

    // The records whose value of metric is at or above its percentile (0-100) among the
    // successful ones: those that make a p99, for instance. Start orders make no sense here
    // and give none.
    std::vector<int> slowest(TimelineOrder metric, double percentile) const;

private:
    double sortKey(int record) const;
    bool before(int a, int b) const;
    void mergeSorted(std::size_t from) const;
    void ensureRows() const;
    void ensureInFlight() const;

    std::vector<TimelineRequest> m_requests;
    std::vector<float> m_gaps;
    std::vector<std::pair<int, QString>> m_errors;   // (record, error) in record order
    std::vector<OpenRequest> m_open;
    std::vector<std::uint8_t> m_highlighted;
    std::vector<bool> m_finishedIndex;      // by workload index: its record has arrived
    int m_highlightedCount = 0;
    double m_now = 0.0;
    double m_recordsEnd = 0.0;
    double m_recordsBegin = 0.0;
    bool m_alignedAtZero = false;
    TimelineOrder m_order = TimelineOrder::Start;

    // Brought up to date lazily: m_sorted holds the first m_sortedCount records in order.
    mutable std::vector<int> m_sorted;
    mutable std::size_t m_sortedCount = 0;
    mutable std::vector<int> m_rows;        // >= 0 a record, < 0 the open request -row - 1
    mutable std::vector<int> m_rowOfRecord;
    mutable bool m_rowsDirty = true;
    // (time, +1/-1) of the records so far, sorted by time, ends before starts at a tie.
    mutable std::vector<std::pair<double, int>> m_events;
    mutable std::size_t m_eventCount = 0;
    mutable std::vector<InFlightStep> m_inFlight;
    mutable int m_maxInFlight = 0;
    mutable bool m_inFlightDirty = true;
};

} // namespace ts
