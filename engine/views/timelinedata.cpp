#include "views/timelinedata.h"

#include "views/resultdocument.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts {

namespace {

constexpr double Unknown = std::numeric_limits<double>::infinity();

} // namespace

TimelineData::TimelineData(const std::vector<RequestRecord> &records, bool hasSendTimes)
    : m_alignedAtZero(!hasSendTimes)
{
    append(records);
}

TimelineData TimelineData::fromDocument(const ResultDocument &document)
{
    // Our runs and our files know when each request was sent; vLLM's files do not (the reader
    // leaves every startTime at 0 then).
    const bool hasSendTimes = !document.fileJson || document.fileJson->contains("start_times");
    return TimelineData(document.run.records, hasSendTimes);
}

void TimelineData::clear()
{
    const bool aligned = m_alignedAtZero;
    *this = TimelineData();
    m_alignedAtZero = aligned;
}

void TimelineData::append(const std::vector<RequestRecord> &records)
{
    if (records.empty())
        return;
    const bool wasEmpty = m_requests.empty();
    m_requests.reserve(m_requests.size() + records.size());
    for (const RequestRecord &r : records) {
        TimelineRequest t;
        t.startTime = m_alignedAtZero ? 0.0 : r.startTime;
        t.queueTime = m_alignedAtZero ? 0.0 : std::max(0.0, r.queueTime);
        t.ttft = r.ttft;
        t.latency = std::max(r.latency, 0.0);
        t.firstGap = std::uint32_t(m_gaps.size());
        t.gapCount = std::uint32_t(r.itl.size());
        t.index = r.index;
        t.outputTokens = r.outputTokens;
        t.chunks = r.contentChunks > 0 ? r.contentChunks : (r.ttft > 0.0 ? int(r.itl.size()) + 1 : 0);
        t.success = r.success;
        for (double gap : r.itl)
            m_gaps.push_back(float(gap));
        if (!r.error.isEmpty())
            m_errors.emplace_back(int(m_requests.size()), r.error);
        if (r.index >= 0) {
            if (std::size_t(r.index) >= m_finishedIndex.size())
                m_finishedIndex.resize(std::size_t(r.index) + 1, false);
            m_finishedIndex[std::size_t(r.index)] = true;
        }
        m_recordsBegin = wasEmpty && m_requests.empty() ? t.released() : std::min(m_recordsBegin, t.released());
        m_recordsEnd = std::max(m_recordsEnd, t.end());
        m_requests.push_back(t);
    }
    m_highlighted.resize(m_requests.size(), 0);
    // The open list may still hold requests that have just finished.
    std::erase_if(m_open, [this](const OpenRequest &o) {
        return o.index >= 0 && std::size_t(o.index) < m_finishedIndex.size() && m_finishedIndex[std::size_t(o.index)];
    });
    m_rowsDirty = true;
    m_inFlightDirty = true;
}

void TimelineData::setOpenRequests(std::vector<OpenRequest> open, double now)
{
    std::erase_if(open, [this](const OpenRequest &o) {
        return o.index >= 0 && std::size_t(o.index) < m_finishedIndex.size() && m_finishedIndex[std::size_t(o.index)];
    });
    std::stable_sort(open.begin(), open.end(), [](const OpenRequest &a, const OpenRequest &b) {
        return a.startTime < b.startTime;
    });
    m_open = std::move(open);
    m_now = now;
    m_rowsDirty = true;
    m_inFlightDirty = true;
}

void TimelineData::setHighlighted(const std::vector<int> &recordIndices)
{
    std::fill(m_highlighted.begin(), m_highlighted.end(), 0);
    m_highlightedCount = 0;
    for (int record : recordIndices) {
        if (record >= 0 && record < recordCount() && !m_highlighted[std::size_t(record)]) {
            m_highlighted[std::size_t(record)] = 1;
            ++m_highlightedCount;
        }
    }
}

std::span<const float> TimelineData::gaps(int record) const
{
    const TimelineRequest &r = request(record);
    return std::span<const float>(m_gaps).subspan(r.firstGap, r.gapCount);
}

QString TimelineData::error(int record) const
{
    const auto it = std::lower_bound(m_errors.begin(), m_errors.end(), record,
                                     [](const std::pair<int, QString> &e, int r) { return e.first < r; });
    return it != m_errors.end() && it->first == record ? it->second : QString();
}

bool TimelineData::isHighlighted(int record) const
{
    return record >= 0 && std::size_t(record) < m_highlighted.size() && m_highlighted[std::size_t(record)];
}

double TimelineData::timeBegin() const
{
    double begin = m_requests.empty() ? 0.0 : std::min(0.0, m_recordsBegin);
    for (const OpenRequest &o : m_open)
        begin = std::min(begin, o.startTime - o.queueTime);
    return begin;
}

double TimelineData::timeEnd() const
{
    return std::max(m_recordsEnd, m_now);
}

void TimelineData::setOrder(TimelineOrder order)
{
    if (order == m_order)
        return;
    m_order = order;
    m_sorted.clear();
    m_sortedCount = 0;
    m_rowsDirty = true;
}

double TimelineData::sortKey(int record) const
{
    const TimelineRequest &r = request(record);
    switch (m_order) {
    case TimelineOrder::Start:
        return r.startTime;
    case TimelineOrder::Ttft:
        return r.hasFirstToken() ? r.ttft : Unknown;
    case TimelineOrder::E2el:
        return r.latency;
    }
    return 0.0;
}

bool TimelineData::before(int a, int b) const
{
    const double ka = sortKey(a);
    const double kb = sortKey(b);
    return ka < kb || (ka == kb && a < b);
}

void TimelineData::mergeSorted(std::size_t from) const
{
    // The new records sorted among themselves, then merged in one pass: O(n + k log k).
    const auto mid = m_sorted.begin() + std::ptrdiff_t(from);
    std::sort(mid, m_sorted.end(), [this](int a, int b) { return before(a, b); });
    std::inplace_merge(m_sorted.begin(), mid, m_sorted.end(), [this](int a, int b) { return before(a, b); });
}

void TimelineData::ensureRows() const
{
    if (!m_rowsDirty)
        return;
    if (m_sortedCount < m_requests.size()) {
        const std::size_t from = m_sorted.size();
        for (std::size_t i = m_sortedCount; i < m_requests.size(); ++i)
            m_sorted.push_back(int(i));
        mergeSorted(from);
        m_sortedCount = m_requests.size();
    }
    m_rows.clear();
    m_rows.reserve(m_sorted.size() + m_open.size());
    if (m_order == TimelineOrder::Start) {
        // Open requests (already in start order) go among the records by their send time.
        std::size_t k = 0;
        for (int record : m_sorted) {
            while (k < m_open.size() && m_open[k].startTime < request(record).startTime)
                m_rows.push_back(-int(k++) - 1);
            m_rows.push_back(record);
        }
        while (k < m_open.size())
            m_rows.push_back(-int(k++) - 1);
    } else {
        // Their TTFT or E2EL is not known yet.
        m_rows = m_sorted;
        for (std::size_t k = 0; k < m_open.size(); ++k)
            m_rows.push_back(-int(k) - 1);
    }
    m_rowOfRecord.assign(m_requests.size(), -1);
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row] >= 0)
            m_rowOfRecord[std::size_t(m_rows[row])] = int(row);
    }
    m_rowsDirty = false;
}

TimelineHit TimelineData::rowAt(int row) const
{
    ensureRows();
    if (row < 0 || std::size_t(row) >= m_rows.size())
        return {};
    const int v = m_rows[std::size_t(row)];
    return v >= 0 ? TimelineHit{v, -1} : TimelineHit{-1, -v - 1};
}

int TimelineData::rowOfRecord(int record) const
{
    ensureRows();
    return record >= 0 && std::size_t(record) < m_rowOfRecord.size() ? m_rowOfRecord[std::size_t(record)] : -1;
}

TimelineHit TimelineData::hitTest(int row, double time, double slack) const
{
    const TimelineHit hit = rowAt(row);
    double begin = 0.0;
    double end = 0.0;
    if (hit.record >= 0) {
        begin = request(hit.record).released();
        end = request(hit.record).end();
    } else if (hit.open >= 0) {
        begin = open(hit.open).startTime - open(hit.open).queueTime;
        end = m_now;
    } else {
        return {};
    }
    return time >= begin - slack && time <= end + slack ? hit : TimelineHit{};
}

void TimelineData::ensureInFlight() const
{
    if (!m_inFlightDirty)
        return;
    m_inFlightDirty = false;
    m_inFlight.clear();
    m_maxInFlight = 0;
    if (m_alignedAtZero)
        return;
    // An end and a start at the same instant must not count as two at once.
    const auto earlier = [](const std::pair<double, int> &a, const std::pair<double, int> &b) {
        return a.first < b.first || (a.first == b.first && a.second < b.second);
    };
    if (m_eventCount < m_requests.size()) {
        const std::size_t from = m_events.size();
        for (std::size_t i = m_eventCount; i < m_requests.size(); ++i) {
            m_events.emplace_back(m_requests[i].startTime, +1);
            m_events.emplace_back(m_requests[i].end(), -1);
        }
        const auto mid = m_events.begin() + std::ptrdiff_t(from);
        std::sort(mid, m_events.end(), earlier);
        std::inplace_merge(m_events.begin(), mid, m_events.end(), earlier);
        m_eventCount = m_requests.size();
    }
    // Open requests only start (they are few: at most the concurrency).
    std::vector<std::pair<double, int>> opens;
    opens.reserve(m_open.size());
    for (const OpenRequest &o : m_open)
        opens.emplace_back(o.startTime, +1);
    std::sort(opens.begin(), opens.end(), earlier);

    m_inFlight.reserve(m_events.size() + opens.size() + 1);
    m_inFlight.push_back({std::min(0.0, timeBegin()), 0});
    int count = 0;
    const auto step = [&](const std::pair<double, int> &e) {
        count += e.second;
        if (m_inFlight.back().time == e.first)
            m_inFlight.back().count = count;
        else
            m_inFlight.push_back({e.first, count});
        if (m_inFlight.size() >= 2 && m_inFlight[m_inFlight.size() - 2].count == count)
            m_inFlight.pop_back();
        m_maxInFlight = std::max(m_maxInFlight, count);
    };
    std::size_t i = 0;
    std::size_t k = 0;
    while (i < m_events.size() || k < opens.size()) {
        if (k == opens.size() || (i < m_events.size() && earlier(m_events[i], opens[k])))
            step(m_events[i++]);
        else
            step(opens[k++]);
    }
}

const std::vector<InFlightStep> &TimelineData::inFlight() const
{
    ensureInFlight();
    return m_inFlight;
}

int TimelineData::maxInFlight() const
{
    ensureInFlight();
    return m_maxInFlight;
}

int TimelineData::inFlightAt(double time) const
{
    const std::vector<InFlightStep> &steps = inFlight();
    const auto it = std::upper_bound(steps.begin(), steps.end(), time,
                                     [](double t, const InFlightStep &s) { return t < s.time; });
    return it == steps.begin() ? 0 : std::prev(it)->count;
}

std::vector<int> TimelineData::slowest(TimelineOrder metric, double percentile) const
{
    if (metric == TimelineOrder::Start)
        return {};
    std::vector<double> values;
    for (const TimelineRequest &r : m_requests) {
        if (r.success)
            values.push_back(metric == TimelineOrder::Ttft ? r.ttft : r.latency);
    }
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    // The same linear interpolation as the metrics' percentiles (numpy's default).
    const double rank = std::clamp(percentile, 0.0, 100.0) / 100.0 * double(values.size() - 1);
    const auto lower = std::size_t(std::floor(rank));
    const std::size_t upper = std::min(lower + 1, values.size() - 1);
    const double threshold = values[lower] + (values[upper] - values[lower]) * (rank - double(lower));
    std::vector<int> result;
    for (std::size_t i = 0; i < m_requests.size(); ++i) {
        const TimelineRequest &r = m_requests[i];
        if (r.success && (metric == TimelineOrder::Ttft ? r.ttft : r.latency) >= threshold)
            result.push_back(int(i));
    }
    return result;
}

} // namespace ts
