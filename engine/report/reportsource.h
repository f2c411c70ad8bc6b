#pragma once

#include "compare/comparison.h"
#include "metrics/rating.h"
#include "report/reportcontent.h"
#include "sweep/sweepfiles.h"
#include "views/resultdocument.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace ts {

// What a report is about: one run, a sweep, or several results side by side.
using ReportSource = std::variant<ResultDocument, SweepResult, Comparison>;

// Reads report input files: one file is a sweep summary or a result (ours or vLLM's), several
// files a comparison. nullopt and *error (translated, naming the file) when one is unreadable.
std::optional<ReportSource> reportSourceFromFiles(const QStringList &paths, QString *error = nullptr);

// The content of the report, in the current language. Thresholds rate a run's headline metrics.
ReportContent runReportContent(const ResultDocument &document, const RatingThresholds &thresholds = {});
ReportContent sweepReportContent(const SweepResult &sweep);
ReportContent comparisonReportContent(const Comparison &comparison);
ReportContent reportContent(const ReportSource &source, const RatingThresholds &thresholds = {});

} // namespace ts
