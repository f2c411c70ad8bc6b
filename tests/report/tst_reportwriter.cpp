#include "i18n.h"
#include "metrics/ratinghints.h"
#include "report/reportwriter.h"

#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace ts;

namespace {

QString dataFile(const QString &name)
{
    return qEnvironmentVariable("TOKENSTORM_TEST_DATA") + u'/' + name;
}

ReportSource source(const QStringList &names)
{
    QStringList paths;
    for (const QString &name : names)
        paths << (QFileInfo(name).isAbsolute() ? name : dataFile(name));
    QString error;
    std::optional<ReportSource> s = reportSourceFromFiles(paths, &error);
    if (!s)
        qFatal("%s", qPrintable(error));
    return std::move(*s);
}

struct PdfText
{
    int pages = 0;
    QString text;
};

// What a reader of the PDF gets: poppler's page count and extracted text.
PdfText readPdf(const QString &path)
{
    PdfText result;
    QProcess info;
    info.start(QStringLiteral("pdfinfo"), { path });
    info.waitForFinished();
    for (const QString &line : QString::fromUtf8(info.readAllStandardOutput()).split(u'\n')) {
        if (line.startsWith(QLatin1String("Pages:")))
            result.pages = line.mid(6).trimmed().toInt();
    }
    QProcess text;
    text.start(QStringLiteral("pdftotext"), { QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-") });
    text.waitForFinished();
    result.text = QString::fromUtf8(text.readAllStandardOutput());
    return result;
}

// A copy of vLLM's detailed file under a Chinese model name.
QString chineseModelFile(const QTemporaryDir &dir, const QString &model)
{
    QFile in(dataFile(QStringLiteral("vllm/vllm-completions-detailed.json")));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(in.readAll().toStdString());
    json["model_id"] = model.toStdString();
    const QString path = dir.filePath(QStringLiteral("zh.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(QByteArray::fromStdString(json.dump()));
    return path;
}

} // namespace

class TestReportWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanupTestCase();
    void html_data();
    void html();
    void pdf_data();
    void pdf();
    void chinesePdfKeepsItsText();
    void timelineHook();
    void errorsNameTheFile();

private:
    QTemporaryDir m_dir;
};

void TestReportWriter::init()
{
    i18n::installTranslators(QLocale(QStringLiteral("en")));
}

void TestReportWriter::cleanupTestCase()
{
    i18n::installTranslators(QLocale(QStringLiteral("en")));
}

void TestReportWriter::html_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("charts");
    QTest::addRow("our run") << QStringList { QStringLiteral("report/run.json") } << QStringLiteral("report-sim") << 6;
    QTest::addRow("vLLM run") << QStringList { QStringLiteral("vllm/vllm-completions-detailed.json") } << QStringLiteral("tiny") << 5;
    QTest::addRow("sweep") << QStringList { QStringLiteral("report/sweep-summary.json") } << QStringLiteral("report-sim") << 2;
    QTest::addRow("comparison") << QStringList { QStringLiteral("report/run.json"), QStringLiteral("vllm/vllm-completions-detailed.json") }
                                << QStringLiteral("tiny") << 2;
}

void TestReportWriter::html()
{
    QFETCH(QStringList, files);
    QFETCH(QString, model);
    QFETCH(int, charts);
    const QString path = m_dir.filePath(QStringLiteral("r.html"));
    QString error;
    QVERIFY2(writeReport(source(files), path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>\n<html lang=\"en\">")));
    QVERIFY(html.contains(QLatin1String("<meta charset=\"utf-8\">")));
    QCOMPARE(int(html.count(QLatin1String("<svg "))), charts);
    QVERIFY(html.contains(model));
    QVERIFY(html.contains(QLatin1String("TTFT")));
    // Self-contained: nothing to fetch, not even the SVG namespaces' addresses.
    for (const char *reference : { "http://", "https://", "src=", "href=", "url(", "@import", "<link", "<script" })
        QVERIFY2(!html.contains(QLatin1String(reference), Qt::CaseInsensitive), reference);
}

void TestReportWriter::pdf_data()
{
    html_data();
}

void TestReportWriter::pdf()
{
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed");
    QFETCH(QStringList, files);
    QFETCH(QString, model);
    const QString path = m_dir.filePath(QStringLiteral("r.pdf"));
    QString error;
    QVERIFY2(writeReport(source(files), path, &error), qPrintable(error));
    const PdfText pdf = readPdf(path);
    QVERIFY2(pdf.pages > 1, qPrintable(QString::number(pdf.pages)));
    QVERIFY(pdf.text.contains(QLatin1String("TTFT")));
    QVERIFY(pdf.text.contains(model));
    QVERIFY(pdf.text.contains(QStringLiteral("Page 1 of %1").arg(pdf.pages)));
}

// Chinese text must come out of the PDF as the characters it was: "首" (U+9996), not the
// Kangxi radical "⾸" that some CJK fonts draw with the same glyph.
void TestReportWriter::chinesePdfKeepsItsText()
{
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed");
    const QString model = QStringLiteral("通义千问-首发版");
    const QString input = chineseModelFile(m_dir, model);
    QVERIFY(!input.isEmpty());
    QCOMPARE(i18n::installTranslators(QLocale(QStringLiteral("zh_CN"))), QStringLiteral("zh_CN"));
    const ReportSource s = source({ input });
    // Whatever the translations hold today: the rating's name as the report shows it.
    const HeadlineRatings ratings = rateHeadlineMetrics(std::get<ResultDocument>(s).metrics, {});
    QVERIFY(ratings.ttft);
    const QString ratingText = ratingName(*ratings.ttft);

    const QString pdfPath = m_dir.filePath(QStringLiteral("zh.pdf"));
    QString error;
    QVERIFY2(writeReport(s, pdfPath, &error), qPrintable(error));
    const PdfText pdf = readPdf(pdfPath);
    QVERIFY2(pdf.text.contains(model), qPrintable(pdf.text.left(400)));
    QVERIFY(pdf.text.contains(QStringLiteral("首")));
    QVERIFY2(pdf.text.contains(ratingText), qPrintable(ratingText));

    const QString htmlPath = m_dir.filePath(QStringLiteral("zh.html"));
    QVERIFY2(writeReport(s, htmlPath, &error), qPrintable(error));
    QFile file(htmlPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    QVERIFY(html.contains(QLatin1String("<html lang=\"zh-CN\">")));
    QVERIFY(html.contains(model));
    QVERIFY(html.contains(ratingText));
}

void TestReportWriter::timelineHook()
{
    int calls = 0;
    ReportOptions options;
    options.paintTimeline = [&calls](QPainter *painter, const QRectF &target, const ResultDocument &document) {
        ++calls;
        QVERIFY(target.width() > target.height());
        painter->drawText(target, Qt::AlignCenter, QStringLiteral("timeline of %1 requests").arg(document.run.records.size()));
    };
    const ReportSource s = source({ QStringLiteral("report/run.json") });
    const QString html = QString::fromUtf8(reportHtml(s, options));
    QCOMPARE(calls, 1);
    QVERIFY(html.contains(QLatin1String("timeline of ")));
    QCOMPARE(int(html.count(QLatin1String("<svg "))), 6);
    QVERIFY(!reportPdf(s, options).isEmpty());
    QVERIFY(calls >= 2);
    // Sweeps and comparisons have no timeline.
    calls = 0;
    reportHtml(source({ QStringLiteral("report/sweep-summary.json") }), options);
    QCOMPARE(calls, 0);
}

void TestReportWriter::errorsNameTheFile()
{
    const ReportSource s = source({ QStringLiteral("vllm/vllm-completions-detailed.json") });
    QString error;
    QVERIFY(!writeReport(s, m_dir.filePath(QStringLiteral("report.docx")), &error));
    QVERIFY2(error.contains(QLatin1String("report.docx")), qPrintable(error));
    error.clear();
    QVERIFY(!writeReport(s, m_dir.filePath(QStringLiteral("missing-dir/report.pdf")), &error));
    QVERIFY2(error.contains(QLatin1String("report.pdf")), qPrintable(error));
}

QTEST_MAIN(TestReportWriter)
#include "tst_reportwriter.moc"
