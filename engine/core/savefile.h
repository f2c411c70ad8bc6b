#pragma once

#include <QByteArrayView>
#include <QString>

#include <functional>

class QIODevice;

namespace ts {

// The one way Tokenstorm writes a file: into a temporary file beside it, renamed over the
// target only once everything was written, so a crash, a full disk or a failed export never
// leaves a half-written result and never destroys the previous one.
//
// On failure returns false and sets *error (when given) to one translated sentence naming the
// file, its folder and the reason, e.g. "Could not write result.json in /data/runs: the folder
// does not exist."
bool saveFile(const QString &path, QByteArrayView bytes, QString *error);

// The same for content produced by a writer (an image, an SVG, a PDF): it writes to the device
// and returns false, with *reason set when it knows one, if it could not.
using DeviceWriter = std::function<bool(QIODevice &device, QString *reason)>;
bool saveFile(const QString &path, const DeviceWriter &write, QString *error);

// The sentence saveFile() uses, for writers that fail before they reach a file.
QString writeErrorText(const QString &path, const QString &reason);

} // namespace ts
