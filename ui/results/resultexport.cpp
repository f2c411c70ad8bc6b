#include "results/resultexport.h"

#include "charts/chartexport.h"
#include "charts/exportable.h"
#include "results/csv.h"
#include "views/resultdocument.h"
#include "results/resultfile.h"

#include <QCoreApplication>
#include <QDir>

namespace ts {

bool saveResultJson(const ResultDocument &document, const QString &path, QString *error)
{
    return writeJsonFile(path, document.toJson(), error);
}

bool saveRequestsCsv(const ResultDocument &document, const QString &path, QString *error)
{
    return writeRequestsCsv(path, document.run.records, error);
}

bool saveSummaryCsv(const ResultDocument &document, const QString &path, QString *error)
{
    return writeSummaryCsv(path, document.run, document.metrics, error);
}

QString reportFileFilter()
{
    return QCoreApplication::translate("ts::ResultExport", "HTML report (*.html);;PDF report (*.pdf)");
}

bool saveCharts(const QList<const Exportable *> &pictures, const QString &directory, int *written, QString *error)
{
    int count = 0;
    const QDir dir(directory);
    for (const Exportable *picture : pictures) {
        for (const char *suffix : { ".png", ".svg" }) {
            const QString path = dir.filePath(picture->exportName() + QLatin1String(suffix));
            if (!picture->saveImage(path, reportChartSize, error)) {
                if (written)
                    *written = count;
                return false;
            }
            ++count;
        }
    }
    if (written)
        *written = count;
    return true;
}

} // namespace ts
