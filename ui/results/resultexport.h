#pragma once

#include <QList>
#include <QString>

namespace ts {

class Exportable;
struct ResultDocument;

// Writers for the File menu. Every file is written atomically; on failure they return false
// and set *error to a translated sentence naming the file.
bool saveResultJson(const ResultDocument &document, const QString &path, QString *error);
bool saveRequestsCsv(const ResultDocument &document, const QString &path, QString *error);
bool saveSummaryCsv(const ResultDocument &document, const QString &path, QString *error);
// The save dialog's filter for reports: HTML or PDF.
QString reportFileFilter();
// Each picture as <exportName>.png and <exportName>.svg in directory; *written counts the files.
bool saveCharts(const QList<const Exportable *> &pictures, const QString &directory, int *written, QString *error);

} // namespace ts
