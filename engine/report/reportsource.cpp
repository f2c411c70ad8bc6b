#include "report/reportsource.h"

#include <QCoreApplication>

namespace ts {

std::optional<ReportSource> reportSourceFromFiles(const QStringList &paths, QString *error)
{
    if (paths.isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("ts::Report", "Give a result file, a sweep summary or several result files.");
        return std::nullopt;
    }
    if (paths.size() > 1) {
        std::optional<Comparison> comparison = compareResultFiles(paths, error);
        if (!comparison)
            return std::nullopt;
        return ReportSource(std::move(*comparison));
    }
    bool isSweep = false;
    std::optional<SweepResult> sweep = readSweepSummary(paths.first(), error, &isSweep);
    if (sweep)
        return ReportSource(std::move(*sweep));
    if (isSweep)
        return std::nullopt;
    std::optional<ResultDocument> document = documentFromFile(paths.first(), error);
    if (!document)
        return std::nullopt;
    return ReportSource(std::move(*document));
}

ReportContent reportContent(const ReportSource &source, const RatingThresholds &thresholds)
{
    if (const auto *document = std::get_if<ResultDocument>(&source))
        return runReportContent(*document, thresholds);
    if (const auto *sweep = std::get_if<SweepResult>(&source))
        return sweepReportContent(*sweep);
    return comparisonReportContent(std::get<Comparison>(source));
}

} // namespace ts
