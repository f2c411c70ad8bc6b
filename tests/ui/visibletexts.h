#pragma once

#include <QStringList>

class QWidget;

// Every text a user can see on window and its menus: labels, buttons, group titles, tab
// names, shown combo and spin box texts, placeholders of empty fields, table headers, chart
// titles, axis titles and legends. Each entry is prefixed with the widget's class for
// failure messages.
QStringList visibleTexts(QWidget *window);

// Words of at least two Latin letters in text that are not on the allowed list (units,
// metric acronyms, product names) once URLs, paths and file names are removed. alsoAllowed
// adds words of user data on screen, such as a model's name.
QStringList englishWords(const QString &text, const QStringList &alsoAllowed = {});
