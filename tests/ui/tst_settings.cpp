#include "forms/formstate.h"
#include "settings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using ts::Settings;
using K = Settings::Key;

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void defaultsComeFromTheTable_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<QVariant>("expected");
        QTest::addRow("demo server on") << int(K::DemoServerEnabled) << QVariant(true);
        QTest::addRow("demo preset") << int(K::DemoServerPreset) << QVariant(QStringLiteral("gpu-fast"));
        QTest::addRow("backend") << int(K::Backend) << QVariant(QStringLiteral("openai"));
        QTest::addRow("ttft excellent") << int(K::RatingTtftExcellentMs) << QVariant(100.0);
        QTest::addRow("success good") << int(K::RatingSuccessGood) << QVariant(95.0);
    }

    void defaultsComeFromTheTable()
    {
        QFETCH(int, key);
        QFETCH(QVariant, expected);
        Settings s(m_dir.filePath(QStringLiteral("defaults.ini")));
        QCOMPARE(s.get(K(key)), expected);
        QCOMPARE(Settings::defaultValue(K(key)), expected);
    }

    void everyKeyHasAUniqueName()
    {
        QSet<QString> names;
        for (int k = 0; k < int(K::KeyCount); ++k) {
            const QString name = Settings::keyName(K(k));
            QVERIFY2(!name.isEmpty(), qPrintable(QString::number(k)));
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
        }
    }

    void setEmitsOnlyOnChange()
    {
        Settings s(m_dir.filePath(QStringLiteral("change.ini")));
        QSignalSpy spy(&s, &Settings::changed);
        s.set(K::NumPrompts, 42);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), K::NumPrompts);
        s.set(K::NumPrompts, 42);
        QCOMPARE(spy.count(), 1);
        s.reset(K::NumPrompts);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(s.intValue(K::NumPrompts), Settings::defaultValue(K::NumPrompts).toInt());
    }

    void valuesPersistWithTheirTypes()
    {
        const QString path = m_dir.filePath(QStringLiteral("persist.ini"));
        {
            Settings s(path);
            s.set(K::RequestRate, 12.5);
            s.set(K::DemoServerEnabled, false);
            s.set(K::WindowGeometry, QByteArray("\x01\x02\x03", 3));
            s.sync();
        }
        Settings s(path);
        QCOMPARE(s.get(K::RequestRate).metaType(), QMetaType::fromType<double>());
        QCOMPARE(s.doubleValue(K::RequestRate), 12.5);
        QCOMPARE(s.get(K::DemoServerEnabled).metaType(), QMetaType::fromType<bool>());
        QCOMPARE(s.boolValue(K::DemoServerEnabled), false);
        QCOMPARE(s.bytesValue(K::WindowGeometry), QByteArray("\x01\x02\x03", 3));
    }

    void formStateRoundTripsWithoutSecrets()
    {
        const QString path = m_dir.filePath(QStringLiteral("form.ini"));
        ts::FormState in;
        in.demoServer = false;
        in.demoPreset = QStringLiteral("cpu-small");
        in.config.target.backend = QStringLiteral("openai-chat");
        in.config.target.baseUrl = QUrl(QStringLiteral("http://admin:pa55word@10.0.0.5:8080"));
        in.config.target.endpoint = QStringLiteral("/v1/chat/completions");
        in.config.target.model = QStringLiteral("qwen");
        in.config.target.apiKey = QStringLiteral("sk-never-stored");
        in.headersText = QStringLiteral("Authorization: Bearer tok-never-stored");
        in.config.random.inputLen = 300;
        in.config.random.rangeRatio = 0.25;
        in.config.load.numPrompts = 77;
        in.config.load.requestRate = std::numeric_limits<double>::infinity();
        in.config.load.maxConcurrency = 8;
        in.config.metrics.goodputTtftMs = 250.0;
        {
            Settings s(path);
            ts::storeFormState(s, in);
            s.sync();
        }
        Settings s(path);
        const ts::FormState out = ts::loadFormState(s);
        QCOMPARE(out.demoServer, false);
        QCOMPARE(out.demoPreset, in.demoPreset);
        QCOMPARE(out.config.target.backend, in.config.target.backend);
        // The address without its user name and password.
        QCOMPARE(out.config.target.baseUrl, QUrl(QStringLiteral("http://10.0.0.5:8080")));
        QCOMPARE(out.config.target.model, in.config.target.model);
        QVERIFY(out.config.target.apiKey.isEmpty());
        QVERIFY(out.headersText.isEmpty());
        QVERIFY(out.config.target.headers.isEmpty());
        QCOMPARE(out.config.random.inputLen, 300);
        QCOMPARE(out.config.random.rangeRatio, 0.25);
        QCOMPARE(out.config.load.numPrompts, 77);
        QVERIFY(!out.config.load.hasFiniteRate());
        QCOMPARE(out.config.load.maxConcurrency, 8);
        QCOMPARE(out.config.metrics.goodputTtftMs, std::optional<double>(250.0));
        QVERIFY(!out.config.metrics.goodputTpotMs);

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains("sk-never-stored"));
        QVERIFY(!written.contains("tok-never-stored"));
        QVERIFY(!written.contains("pa55word"));
        QVERIFY(!written.contains("admin"));
    }

    void headersParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("count");   // -1: rejected
        QTest::addRow("empty") << QString() << 0;
        QTest::addRow("two with blank line") << QStringLiteral("A: 1\n\nB-C: two words") << 2;
        QTest::addRow("no colon") << QStringLiteral("Authorization Bearer x") << -1;
        QTest::addRow("space in name") << QStringLiteral("Bad Name: 1") << -1;
        QTest::addRow("empty value") << QStringLiteral("X-Empty:") << 1;
    }

    void headersParse()
    {
        QFETCH(QString, text);
        QFETCH(int, count);
        QString error;
        const auto headers = ts::parseHeaders(text, &error);
        if (count < 0) {
            QVERIFY(!headers);
            QVERIFY(!error.isEmpty());
        } else {
            QVERIFY(headers);
            QCOMPARE(headers->size(), count);
        }
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
