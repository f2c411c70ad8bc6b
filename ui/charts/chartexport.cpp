#include "charts/chartexport.h"

#include "core/savefile.h"

#include <QChart>
#include <QCoreApplication>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QTextDocumentFragment>

#include <functional>

namespace ts {

namespace {

// Lays the chart out at half the size and paints it scaled up, so that text and lines keep
// their proportions on a large image (as on a high-density screen), then restores its
// on-screen geometry.
void renderAt(QChart *chart, QSize size, QPainter &painter)
{
    const QRectF oldGeometry = chart->geometry();
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size) / 2.0));
    if (chart->layout())
        chart->layout()->activate();
    const QRectF source = chart->mapRectToScene(chart->rect());
    chart->scene()->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), source, Qt::IgnoreAspectRatio);
    chart->setGeometry(oldGeometry);
    if (chart->layout())
        chart->layout()->activate();
}

} // namespace

bool saveChartPng(QChart *chart, const QString &path, QSize size, QString *error)
{
    if (!chart || !chart->scene()) {
        if (error)
            *error = QCoreApplication::translate("ts::ChartExport", "The chart is not shown, so it cannot be saved.");
        return false;
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        renderAt(chart, size, painter);
    }
    return saveFile(path, [&image](QIODevice &file, QString *) { return image.save(&file, "PNG"); }, error);
}

bool saveChartSvg(QChart *chart, const QString &path, QSize size, QString *error)
{
    if (!chart || !chart->scene()) {
        if (error)
            *error = QCoreApplication::translate("ts::ChartExport", "The chart is not shown, so it cannot be saved.");
        return false;
    }
    return saveFile(path, [&](QIODevice &file, QString *) {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(QTextDocumentFragment::fromHtml(chart->title()).toPlainText());
        generator.setDescription(QStringLiteral("Tokenstorm"));
        QPainter painter;
        if (!painter.begin(&generator))
            return false;
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        renderAt(chart, size, painter);
        return painter.end();
    }, error);
}

bool saveChart(QChart *chart, const QString &path, QSize size, QString *error)
{
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive))
        return saveChartSvg(chart, path, size, error);
    return saveChartPng(chart, path, size, error);
}

} // namespace ts
