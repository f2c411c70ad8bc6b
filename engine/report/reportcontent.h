#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace ts {

// What a report says, before it is HTML or PDF: sections of paragraphs, tables and charts.
// Every text is in the language active when the content was built.

// One series of a chart. Bars are centred on their x (histogram bins, sweep levels); grouped
// bars use x = category index.
struct ChartSeries
{
    enum Kind : quint8 { Bars, Line, Scatter };
    Kind kind = Line;
    QString name;                 // legend entry; empty: not in the legend
    QList<QPointF> points;
    bool rightAxis = false;       // plotted against the second y axis
    double barWidth = 0.0;        // Bars: width in x units (0: from the spacing of the points)
    int colorIndex = 0;           // into the chart painter's series colours
};

// A chart as data: the chart painter (ui/render/chartpainter.h) draws it.
struct ChartSpec
{
    QString title;
    QString xLabel;
    QString yLabel;
    QString y2Label;              // empty: no second axis
    std::vector<ChartSeries> series;
    QStringList categories;       // when set, the x axis names category i at x = i
    std::optional<double> markerX;   // a vertical line, e.g. the knee of a sweep
    QString markerLabel;
    bool logX = false;            // sweep levels doubling: equal steps per doubling
};

struct ReportTable
{
    QStringList header;           // empty for a key/value table
    QList<QStringList> rows;
    bool numeric = false;         // right-align every column after the first
};

struct ReportBlock
{
    enum Kind : quint8 {
        Paragraph,     // text: plain
        RichParagraph, // text: may hold <b> and <i>, nothing else
        Warning,       // text: plain, shown as a warning
        Preformatted,  // text: monospaced as is (the console summary)
        Table,
        Chart,
        Timeline,      // the run's request timeline, drawn by ReportOptions::paintTimeline
    };
    Kind kind = Paragraph;
    QString text;
    ReportTable table;
    ChartSpec chart;
};

struct ReportSection
{
    QString title;
    std::vector<ReportBlock> blocks;

    void addParagraph(const QString &text) { blocks.push_back({ ReportBlock::Paragraph, text, {}, {} }); }
    void addRich(const QString &text) { blocks.push_back({ ReportBlock::RichParagraph, text, {}, {} }); }
    void addWarning(const QString &text) { blocks.push_back({ ReportBlock::Warning, text, {}, {} }); }
    void addPreformatted(const QString &text) { blocks.push_back({ ReportBlock::Preformatted, text, {}, {} }); }
    void addTable(ReportTable table) { blocks.push_back({ ReportBlock::Table, {}, std::move(table), {} }); }
    void addChart(ChartSpec chart) { blocks.push_back({ ReportBlock::Chart, {}, {}, std::move(chart) }); }
};

struct ReportContent
{
    QString title;
    QString subtitle;             // what and when, one line
    std::vector<ReportSection> sections;
};

} // namespace ts
