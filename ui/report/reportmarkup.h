#pragma once

#include "report/reportcontent.h"

#include <QString>

#include <functional>

namespace ts::reportmarkup {

// The report's HTML body, shared by the HTML file and the PDF's text document. Charts and the
// timeline become what `figure` returns for them (inline SVG, or a placeholder image that the
// PDF writer replaces by a vector drawing); a figure may be empty to leave it out.
// Charts are numbered in document order; the timeline gets -1.
using FigureMarkup = std::function<QString(int chartIndex, const ReportBlock &block)>;

QString body(const ReportContent &content, const FigureMarkup &figure, bool forTextDocument);

} // namespace ts::reportmarkup
