#include "report/reportwriter.h"

#include "core/savefile.h"
#include "i18n.h"
#include "render/chartpainter.h"
#include "render/timelinepainter.h"
#include "report/reportmarkup.h"
#include "views/timelinedata.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QSvgGenerator>

namespace ts {

void paintTimelineOverview(QPainter *painter, const QRectF &target, const ResultDocument &document)
{
    // Laid out at a fixed logical width with text in pixels, as the charts are, then scaled to
    // target: the text keeps its size against the drawing on a 1200 dpi PDF page and in an SVG.
    const QSizeF logical(1000.0, 1000.0 * target.height() / std::max(1.0, target.width()));
    TimelineStyle style;
    style.font.setPixelSize(11);
    painter->save();
    painter->translate(target.topLeft());
    painter->scale(target.width() / logical.width(), target.height() / logical.height());
    paintOverview(painter, QRectF(QPointF(0, 0), logical), TimelineData::fromDocument(document), style);
    painter->restore();
}

namespace {

constexpr QSize TimelineSize(720, 300);

const char *const Css = R"(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif;
       color: #222; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { margin-bottom: 0.1em; }
.subtitle { color: #555; margin-top: 0; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
thead th { background: #f1f3f5; }
th[scope=row] { background: #fafafa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.warning { background: #fff3c4; border-left: 4px solid #e0a800; padding: 0.5em 0.8em; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; display: block; }
@media print {
  body { max-width: none; margin: 0; }
  figure, table, pre { break-inside: avoid; }
  h2 { break-after: avoid; }
}
)";

// An SVG document as an element to put inline in HTML: no XML prolog, no namespace URIs (the
// HTML parser puts <svg> in its namespace), a viewBox that scales with the page.
QString inlineSvg(const QByteArray &svg, const QSize &size, const QString &label)
{
    QString text = QString::fromUtf8(svg);
    const qsizetype start = text.indexOf(QLatin1String("<svg"));
    const qsizetype tagEnd = start < 0 ? -1 : text.indexOf(u'>', start);
    if (tagEnd < 0)
        return {};
    return QStringLiteral("<svg viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"%3\">")
               .arg(size.width())
               .arg(size.height())
               .arg(label.toHtmlEscaped())
        + text.mid(tagEnd + 1);
}

QByteArray timelineSvg(const ReportTimelinePainter &paintTimeline, const ResultDocument &document)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(TimelineSize);
    generator.setViewBox(QRect(QPoint(0, 0), TimelineSize));
    QPainter painter(&generator);
    paintTimeline(&painter, QRectF(QPointF(0, 0), TimelineSize), document);
    painter.end();
    return buffer.data();
}

QString htmlLanguage()
{
    return i18n::currentLanguage().startsWith(QLatin1String("zh")) ? QStringLiteral("zh-CN") : QStringLiteral("en");
}

} // namespace

std::optional<ReportFormat> reportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return ReportFormat::Html;
    if (suffix == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    return std::nullopt;
}

QByteArray reportHtml(const ReportSource &source, const ReportOptions &options)
{
    const ReportContent content = reportContent(source, options.thresholds);
    const ResultDocument *document = std::get_if<ResultDocument>(&source);
    const auto figure = [&](int, const ReportBlock &block) -> QString {
        if (block.kind == ReportBlock::Timeline) {
            if (!document || !options.paintTimeline)
                return {};
            return QStringLiteral("<figure>") + inlineSvg(timelineSvg(options.paintTimeline, *document), TimelineSize, block.text)
                + QStringLiteral("</figure>");
        }
        return QStringLiteral("<figure>") + inlineSvg(ChartPainter::svg(block.chart), ChartPainter::logicalSize(), block.chart.title)
            + QStringLiteral("</figure>");
    };
    const QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"") + htmlLanguage()
        + QStringLiteral("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        + QString(content.title + QStringLiteral(" — ") + content.subtitle).toHtmlEscaped() + QStringLiteral("</title>\n<style>")
        + QLatin1String(Css) + QStringLiteral("</style>\n</head>\n<body>\n") + reportmarkup::body(content, figure, false)
        + QStringLiteral("\n</body>\n</html>\n");
    return html.toUtf8();
}

bool writeReport(const ReportSource &source, const QString &path, QString *error, const ReportOptions &options)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const std::optional<ReportFormat> format = reportFormatForPath(path);
    if (!format)
        return fail(QCoreApplication::translate("ts::ReportWriter", "Cannot write a report to %1: the name must end in .html or .pdf.")
                        .arg(QFileInfo(path).fileName()));
    const QByteArray bytes = *format == ReportFormat::Html ? reportHtml(source, options) : reportPdf(source, options);
    if (bytes.isEmpty())
        return fail(QCoreApplication::translate("ts::ReportWriter", "Could not make the report %1.").arg(QFileInfo(path).fileName()));
    return saveFile(path, bytes, error);
}

} // namespace ts
