#include "charts/chartexport.h"

#include <QChart>
#include <QCoreApplication>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
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

bool writeAtomically(const QString &path, QString *error, const std::function<bool(QSaveFile &)> &write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QCoreApplication::translate("ts::ChartExport", "Could not write “%1”: %2").arg(path, file.errorString());
        return false;
    }
    if (!write(file) || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("ts::ChartExport", "Could not write “%1”: %2").arg(path, file.errorString());
        return false;
    }
    return true;
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
    return writeAtomically(path, error, [&image](QSaveFile &file) { return image.save(&file, "PNG"); });
}

bool saveChartSvg(QChart *chart, const QString &path, QSize size, QString *error)
{
    if (!chart || !chart->scene()) {
        if (error)
            *error = QCoreApplication::translate("ts::ChartExport", "The chart is not shown, so it cannot be saved.");
        return false;
    }
    return writeAtomically(path, error, [&](QSaveFile &file) {
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
    });
}

bool saveChart(QChart *chart, const QString &path, QSize size, QString *error)
{
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive))
        return saveChartSvg(chart, path, size, error);
    return saveChartPng(chart, path, size, error);
}

} // namespace ts
