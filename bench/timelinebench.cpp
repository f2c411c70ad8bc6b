// Paint time of the request timeline with 100,000 requests on a 1200×700 QImage: the whole
// run (rows aggregated per pixel line) and zoomed in (rows drawn one by one with their gaps).
// Not a test: it prints figures and asserts nothing about time.

#include "render/timelinepainter.h"
#include "views/timelinedata.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

using namespace ts;

namespace {

// A run at about 170 requests/s for 10 minutes: 2 % wait for a slot, 128 chunks each, one
// request in a hundred fails.
std::vector<RequestRecord> syntheticRun(int count)
{
    std::mt19937 random(42);
    std::exponential_distribution<double> arrival(170.0);
    std::uniform_real_distribution<double> ttft(0.03, 0.6);
    std::lognormal_distribution<double> gap(std::log(0.02), 0.5);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<RequestRecord> records(static_cast<std::size_t>(count));
    double t = 0.0;
    for (int i = 0; i < count; ++i) {
        RequestRecord &r = records[std::size_t(i)];
        t += arrival(random);
        r.index = i;
        r.queueTime = unit(random) < 0.02 ? unit(random) * 0.5 : 0.0;
        r.startTime = t + r.queueTime;
        r.ttft = ttft(random);
        r.itl.resize(127);
        r.latency = r.ttft;
        for (double &g : r.itl) {
            g = gap(random);
            r.latency += g;
        }
        r.contentChunks = 128;
        r.outputTokens = 128;
        r.success = unit(random) >= 0.01;
        if (!r.success)
            r.error = QStringLiteral("HTTP 503");
    }
    return records;
}

// This thread's CPU time: on a busy machine, wall time measures the other processes too.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Figures
{
    double median = 0.0;
    double max = 0.0;
    double cpuMedian = 0.0;
    double cpuMax = 0.0;
};

Figures measure(const TimelineData &data, const TimelineViewport &viewport, const TimelineStyle &style,
                QImage &image, int repeats)
{
    std::vector<double> ms, cpu;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = threadCpuMs();
        QPainter painter(&image);
        TimelinePainter::paint(&painter, QRectF(image.rect()), data, viewport, style);
        painter.end();
        cpu.push_back(threadCpuMs() - cpuStart);
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    return {ms[ms.size() / 2], ms.back(), cpu[cpu.size() / 2], cpu.back()};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const int count = 100000;
    const int repeats = 30;

    const std::vector<RequestRecord> records = syntheticRun(count);
    QElapsedTimer timer;
    timer.start();
    double cpuStart = threadCpuMs();
    TimelineData data(records);
    data.rowCount();    // builds the row order
    data.inFlight();
    const double buildMs = double(timer.nsecsElapsed()) / 1e6;
    const double buildCpuMs = threadCpuMs() - cpuStart;

    // Live: the same records arriving in batches of 100, the rows and the in-flight series
    // brought up to date after each (as the view's repaint timer does).
    timer.restart();
    cpuStart = threadCpuMs();
    TimelineData live;
    double worstBatchMs = 0.0;
    for (std::size_t i = 0; i < records.size(); i += 100) {
        const double batchStart = threadCpuMs();
        live.append(std::vector<RequestRecord>(records.begin() + std::ptrdiff_t(i),
                                               records.begin() + std::ptrdiff_t(std::min(i + 100, records.size()))));
        live.rowCount();
        live.rowAt(0);
        live.inFlight();
        worstBatchMs = std::max(worstBatchMs, threadCpuMs() - batchStart);
    }
    const double liveMs = double(timer.nsecsElapsed()) / 1e6;
    const double liveCpuMs = threadCpuMs() - cpuStart;

    TimelineStyle style;
    QImage image(1200, 700, QImage::Format_ARGB32_Premultiplied);
    const QRectF target(image.rect());
    const TimelineViewport whole = TimelinePainter::fitAll(target, data, style);
    // Zoomed in: 10 s of the middle of the run, 12 px rows, starting at the rows sent then.
    TimelineViewport zoomed = whole;
    const double middle = (data.timeBegin() + data.timeEnd()) / 2.0;
    zoomed.timeBegin = middle - 5.0;
    zoomed.timeEnd = middle + 5.0;
    zoomed.rowHeight = 12.0;
    zoomed.firstRow = count / 2.0;

    const Figures wholeFigures = measure(data, whole, style, image, repeats);
    const Figures zoomedFigures = measure(data, zoomed, style, image, repeats);

    std::printf("requests: %d (127 gaps each), run of %.0f s, at most %d in flight\n", count,
                data.timeEnd() - data.timeBegin(), data.maxInFlight());
    std::printf("(wall time / this thread's CPU time)\n");
    std::printf("build (rows in start order + in-flight series): %.1f / %.1f ms\n", buildMs, buildCpuMs);
    std::printf("live: 1000 batches of 100, rows and series after each: %.0f / %.0f ms in all, "
                "slowest batch %.2f ms CPU\n", liveMs, liveCpuMs, worstBatchMs);
    std::printf("paint 1200x700, whole run (%.4f px per row, aggregated): median %.1f / %.1f ms, max %.1f / %.1f ms\n",
                whole.rowHeight, wholeFigures.median, wholeFigures.cpuMedian, wholeFigures.max, wholeFigures.cpuMax);
    std::printf("paint 1200x700, zoomed in (10 s, 12 px rows): median %.1f / %.1f ms, max %.1f / %.1f ms\n",
                zoomedFigures.median, zoomedFigures.cpuMedian, zoomedFigures.max, zoomedFigures.cpuMax);
    return 0;
}
