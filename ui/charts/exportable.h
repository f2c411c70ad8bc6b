#pragma once

#include <QSize>
#include <QString>

namespace ts {

// A picture the user can save: a chart, the timeline. "Save all charts" and each view's
// context menu go through this, whatever draws the picture.
class Exportable
{
public:
    virtual ~Exportable() = default;
    // The file name a save dialog proposes, without suffix (e.g. "ttft-live").
    virtual QString exportName() const = 0;
    // Renders at size and writes path atomically, SVG for a ".svg" suffix, else PNG. On
    // failure returns false and sets *error to a translated sentence naming the file.
    virtual bool saveImage(const QString &path, QSize size, QString *error) const = 0;
};

} // namespace ts
