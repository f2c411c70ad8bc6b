#include "core/savefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace ts {

QString writeErrorText(const QString &path, const QString &reason)
{
    const QFileInfo info(path);
    return QCoreApplication::translate("ts::SaveFile", "Could not write %1 in %2: %3.")
        .arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath()), reason);
}

bool saveFile(const QString &path, const DeviceWriter &write, QString *error)
{
    const auto fail = [&](QString reason) {
        if (error)
            *error = writeErrorText(path, reason);
        return false;
    };
    const QFileInfo info(path);
    if (!info.absoluteDir().exists())
        return fail(QCoreApplication::translate("ts::SaveFile", "the folder does not exist"));
    if (info.isDir())
        return fail(QCoreApplication::translate("ts::SaveFile", "a folder has that name"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    QString reason;
    if (!write(file, &reason)) {
        file.cancelWriting();
        return fail(reason.isEmpty() ? file.errorString() : reason);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

bool saveFile(const QString &path, QByteArrayView bytes, QString *error)
{
    return saveFile(path, [bytes](QIODevice &device, QString *) {
        return device.write(bytes.data(), bytes.size()) == bytes.size();
    }, error);
}

} // namespace ts
