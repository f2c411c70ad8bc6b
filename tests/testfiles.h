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

// The bytes of a file under tests/data (TOKENSTORM_TEST_DATA, set by ctest); empty when it
// cannot be read.
inline QByteArray readTestData(const QString &relativePath)
{
    QFile file(qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + relativePath);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A recorded server reply under tests/data/backends/; a test cannot go on without it.
inline QByteArray backendReply(const QString &name)
{
    const QByteArray bytes = readTestData(QStringLiteral("backends/") + name);
    if (bytes.isEmpty())
        qFatal("missing recorded reply %s", qPrintable(name));
    return bytes;
}

} // namespace ts::test
