#include "i18n.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    QString translation;
    QString type;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    bool numerus = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = Message();
            current.context = context;
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!numerus) {
                current.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                messages << current;
            }
        } else if (name == QLatin1String("numerusform")) {
            // Each plural form is checked on its own: each must keep the source's placeholders.
            current.translation = xml.readElementText();
            messages << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?\\d+"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured().remove(u'L');
    found.sort();
    return found;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tsFilesAreComplete_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addRow("zh_CN") << QStringLiteral("tokenstorm_zh_CN.ts");
        QTest::addRow("en") << QStringLiteral("tokenstorm_en.ts");
    }

    void tsFilesAreComplete()
    {
        QFETCH(QString, file);
        QString error;
        const QList<Message> messages = readTs(QStringLiteral(TOKENSTORM_TRANSLATIONS_DIR "/") + file, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 100);
        QSet<QString> contexts;
        for (const Message &m : messages) {
            contexts.insert(m.context);
            const QString where = m.context + QStringLiteral(": ") + m.source;
            QVERIFY2(m.type.isEmpty(), qPrintable(QStringLiteral("%1 (%2)").arg(where, m.type)));
            QVERIFY2(!m.translation.isEmpty(), qPrintable(where));
            // Every %1, %2 ... of the source must survive the translation.
            QVERIFY2(placeholders(m.translation) == placeholders(m.source), qPrintable(where));
        }
        // The engine's and the CLI's strings are in the same file as the GUI's.
        for (const char *context : { "ts::BenchmarkConfig", "ts::BenchmarkRunner", "ts::cli::Run", "ts::MainWindow",
                                     "ts::LiveCharts", "ts::Rating" })
            QVERIFY2(contexts.contains(QLatin1String(context)), context);
    }

    void chineseTranslationIsChinese()
    {
        QString error;
        const QList<Message> messages = readTs(QStringLiteral(TOKENSTORM_TRANSLATIONS_DIR "/tokenstorm_zh_CN.ts"), &error);
        static const QRegularExpression han(QStringLiteral("\\p{Han}"));
        static const QRegularExpression letters(QStringLiteral("[A-Za-z][a-z]{3,}"));
        for (const Message &m : messages) {
            // Strings with words in them get Chinese words; codes and units may stay as they are.
            if (m.source.contains(letters) && m.source.contains(u' '))
                QVERIFY2(m.translation.contains(han), qPrintable(m.context + QStringLiteral(": ") + m.source));
        }
    }

    void switchesAtRuntime()
    {
        QCOMPARE(ts::i18n::installTranslators(QLocale(QLocale::Chinese, QLocale::China)), QStringLiteral("zh_CN"));
        QCOMPARE(ts::i18n::currentLanguage(), QStringLiteral("zh_CN"));
        const QString chinese = QCoreApplication::translate("ts::RunPanel", "Start");
        QVERIFY(chinese != QLatin1String("Start"));
        // Qt's own strings come along (standard dialog buttons).
        QVERIFY(QCoreApplication::translate("QPlatformTheme", "Cancel") != QLatin1String("Cancel"));
        // The engine's strings too.
        QVERIFY(QCoreApplication::translate("ts::Rating", "Excellent") != QLatin1String("Excellent"));

        QCOMPARE(ts::i18n::installTranslators(QLocale(QLocale::German, QLocale::Germany)), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("ts::RunPanel", "Start"), QStringLiteral("Start"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
        QCOMPARE(ts::i18n::installTranslators(QLocale(QLocale::Chinese, QLocale::Taiwan)), QStringLiteral("zh_CN"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
