#pragma once

#include <QSize>
#include <QString>

QT_FORWARD_DECLARE_CLASS(QChart)

namespace ts {

// A size that reads well on an A4 page or a slide.
inline constexpr QSize reportChartSize { 1600, 1000 };

// Renders chart at size (independent of its size on screen, with text scaled to match) and
// writes it atomically.
// On failure returns false and sets *error to a translated sentence naming the file.
bool saveChartPng(QChart *chart, const QString &path, QSize size = reportChartSize, QString *error = nullptr);
bool saveChartSvg(QChart *chart, const QString &path, QSize size = reportChartSize, QString *error = nullptr);
// Picks the format from the file name's suffix (".svg", anything else PNG).
bool saveChart(QChart *chart, const QString &path, QSize size = reportChartSize, QString *error = nullptr);

} // namespace ts
