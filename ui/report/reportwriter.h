#pragma once

#include "metrics/rating.h"
#include "report/reportsource.h"

#include <QByteArray>
#include <QRectF>
#include <QString>

#include <functional>
#include <optional>

class QPainter;

namespace ts {

// Draws a run's request timeline into a rectangle of the page or SVG (the timeline painter's
// overview). Reports without one leave the timeline out.
using ReportTimelinePainter = std::function<void(QPainter *painter, const QRectF &target, const ResultDocument &document)>;

// The timeline painter's whole-run overview, with vLLM's ITL thresholds (25 and 50 ms).
void paintTimelineOverview(QPainter *painter, const QRectF &target, const ResultDocument &document);

struct ReportOptions
{
    RatingThresholds thresholds;          // the user's, for a run's ratings
    ReportTimelinePainter paintTimeline = paintTimelineOverview;
};

enum class ReportFormat : quint8 { Html, Pdf };

// From the file name's suffix (.html, .htm, .pdf; any case); nullopt for anything else.
std::optional<ReportFormat> reportFormatForPath(const QString &path);

// Writes the report for source to path, HTML or PDF by the suffix, atomically: either the whole
// file is written or an existing one is left as it was. Texts are in the language installed
// now. Needs a QGuiApplication (fonts); on failure returns false and sets *error to a
// translated sentence naming the file.
bool writeReport(const ReportSource &source, const QString &path, QString *error = nullptr,
                 const ReportOptions &options = {});

// The parts, for callers that want the bytes.
QByteArray reportHtml(const ReportSource &source, const ReportOptions &options = {});
// A PDF of A4 pages, the charts as vector drawings and every text extractable.
QByteArray reportPdf(const ReportSource &source, const ReportOptions &options = {});

} // namespace ts
