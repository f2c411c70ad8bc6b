#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace ts::test {

// Writes bytes to path, replacing it; false when it could not.
inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace ts::test
