#include "core/savefile.h"

#include <QDir>
#include <QFile>
#include <QIODevice>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace ts;

class TestSaveFile : public QObject
{
    Q_OBJECT

private:
    static QByteArray contents(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void writesAndReplaces()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("result.json"));
        QString error;
        QVERIFY(saveFile(path, QByteArrayView("first"), &error));
        QVERIFY(saveFile(path, QByteArrayView("second"), &error));
        QCOMPARE(contents(path), QByteArray("second"));
        QVERIFY(error.isEmpty());
        // No temporary file is left beside it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("result.json") });
    }

    void aMissingFolderIsNamed()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("runs"));
        QString error;
        QVERIFY(!saveFile(QDir(folder).filePath(QStringLiteral("result.json")), QByteArrayView("x"), &error));
        QVERIFY2(error.contains(QStringLiteral("result.json")), qPrintable(error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(folder)), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(folder));
    }

    void aFolderInTheWayIsNamed()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("result.json")));
        QString error;
        QVERIFY(!saveFile(dir.filePath(QStringLiteral("result.json")), QByteArrayView("x"), &error));
        QVERIFY2(error.contains(QStringLiteral("folder")), qPrintable(error));
    }

    void aReadOnlyFolderGivesTheSystemsReason()
    {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only folders");
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        QString error;
        QVERIFY(!saveFile(dir.filePath(QStringLiteral("result.json")), QByteArrayView("x"), &error));
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY2(error.contains(QDir::toNativeSeparators(dir.path())), qPrintable(error));
    }

    void aFailedWriterKeepsThePreviousFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chart.svg"));
        QVERIFY(saveFile(path, QByteArrayView("old"), nullptr));
        QString error;
        const bool saved = saveFile(path, [](QIODevice &device, QString *reason) {
            device.write("half of a new ");
            *reason = QStringLiteral("the image could not be drawn");
            return false;
        }, &error);
        QVERIFY(!saved);
        QCOMPARE(contents(path), QByteArray("old"));
        QVERIFY2(error.contains(QStringLiteral("the image could not be drawn")), qPrintable(error));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("chart.svg") });
    }
};

QTEST_GUILESS_MAIN(TestSaveFile)
#include "tst_savefile.moc"
