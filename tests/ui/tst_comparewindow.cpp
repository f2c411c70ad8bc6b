#include "compare/comparecharts.h"
#include "compare/comparewindow.h"
#include "i18n.h"
#include "metrics/benchmarkmetrics.h"
#include "models/comparisonmodel.h"
#include "results/resultfile.h"
#include "results/resultjson.h"
#include "settings.h"

#include <QAbstractItemModelTester>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

namespace {

// A run of n requests whose latencies grow with slowdown, written as our detailed result file.
QString writeRun(const QString &path, int concurrency, double slowdown, QString *error)
{
    ts::RunResult run;
    run.config.target.backend = QStringLiteral("openai");
    run.config.target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8000"));
    run.config.target.model = QStringLiteral("test-model");
    run.config.tokenizerId = QStringLiteral("test-model");
    run.config.load.numPrompts = 40;
    run.config.load.maxConcurrency = concurrency;
    run.date = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5));
    run.requested = 40;
    for (int i = 0; i < 40; ++i) {
        ts::RequestRecord r;
        r.index = i;
        r.success = true;
        r.promptTokens = 100;
        r.outputTokens = 20;
        r.outputTokenSource = ts::TokenCountSource::Server;
        r.contentChunks = 20;
        r.startTime = 0.05 * i;
        r.ttft = slowdown * (0.05 + 0.002 * i);
        for (int k = 0; k < 19; ++k)
            r.itl.push_back(slowdown * (0.01 + 0.0001 * k));
        r.latency = r.ttft;
        for (double gap : r.itl)
            r.latency += gap;
        run.records.push_back(r);
    }
    run.duration = 0.05 * 39 + run.records.back().latency;
    const ts::BenchmarkMetrics metrics = ts::computeMetrics(run.records, run.duration, run.config.metrics);
    if (!ts::writeJsonFile(path, ts::toResultJson(run, metrics, true), error))
        return {};
    return path;
}

double jsonNumber(const QString &path, const char *key)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nan("");
    return QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String(key)).toDouble(std::nan(""));
}

} // namespace

// The Compare results window: two result files side by side, their differences in percent
// checked against the files themselves, the CSV export read back and one CDF line per file.
class TestCompareWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ts::i18n::installTranslators(QLocale(QLocale::English));
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
        QString error;
        m_fast = writeRun(m_dir.filePath(QStringLiteral("fast.json")), 10, 1.0, &error);
        QVERIFY2(!m_fast.isEmpty(), qPrintable(error));
        m_slow = writeRun(m_dir.filePath(QStringLiteral("slow.json")), 20, 1.5, &error);
        QVERIFY2(!m_slow.isEmpty(), qPrintable(error));
        m_window = std::make_unique<ts::CompareWindow>(m_settings.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_window->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase()
    {
        m_tester.reset();
        m_window.reset();
    }

    void showsTwoFilesSideBySide()
    {
        QSignalSpy changed(m_window.get(), &ts::CompareWindow::comparisonChanged);
        m_window->addFiles({ m_fast, m_slow });
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QCOMPARE(m_window->files().size(), 2);
        const ts::ComparisonModel *model = m_window->model();
        QCOMPARE(model->fileCount(), 2);
        // Label, [1], [2], [2] vs [1].
        QCOMPARE(model->columnCount(), 4);
        QVERIFY(model->headerData(1, Qt::Horizontal).toString().contains(QStringLiteral("fast.json")));
        QVERIFY(model->headerData(2, Qt::Horizontal).toString().contains(QStringLiteral("slow.json")));

        const int concurrency = model->rowOf(QStringLiteral("max_concurrency"), false);
        QVERIFY(concurrency >= 0);
        QCOMPARE(model->index(concurrency, model->valueColumn(0)).data().toString(), QStringLiteral("10"));
        QCOMPARE(model->index(concurrency, model->valueColumn(1)).data().toString(), QStringLiteral("20"));
        QVERIFY(model->index(concurrency, 0).data(ts::ComparisonModel::DiffersRole).toBool());
        const int modelRow = model->rowOf(QStringLiteral("model_id"), false);
        QVERIFY(modelRow >= 0);
        QVERIFY(!model->index(modelRow, 0).data(ts::ComparisonModel::DiffersRole).toBool());
        QVERIFY(model->index(0, 0).data(ts::ComparisonModel::SectionTitleRole).toBool());
    }

    void differencesMatchTheFiles_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("verdict");
        QTest::addRow("output throughput") << QStringLiteral("output_throughput") << int(ts::ComparisonModel::Worse);
        QTest::addRow("p99 ttft") << QStringLiteral("p99_ttft_ms") << int(ts::ComparisonModel::Worse);
        QTest::addRow("mean itl") << QStringLiteral("mean_itl_ms") << int(ts::ComparisonModel::Worse);
    }

    void differencesMatchTheFiles()
    {
        QFETCH(QString, key);
        QFETCH(int, verdict);
        const double first = jsonNumber(m_fast, key.toLatin1().constData());
        const double second = jsonNumber(m_slow, key.toLatin1().constData());
        QVERIFY(std::isfinite(first) && std::isfinite(second) && first != 0.0);
        const double expected = (second - first) / std::abs(first) * 100.0;

        const ts::ComparisonModel *model = m_window->model();
        const int row = model->rowOf(key);
        QVERIFY(row >= 0);
        const QModelIndex diff = model->index(row, model->diffColumn(1));
        QVERIFY(diff.data(ts::ComparisonModel::DiffPercentRole).isValid());
        QVERIFY2(std::abs(diff.data(ts::ComparisonModel::DiffPercentRole).toDouble() - expected) < 1e-6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(diff.data(ts::ComparisonModel::DiffPercentRole).toDouble()).arg(expected)));
        QCOMPARE(diff.data(ts::ComparisonModel::VerdictRole).toInt(), verdict);
        // Readable without colour: the direction and the judgement are in the text.
        const QString text = diff.data().toString();
        QVERIFY2(text.contains(expected > 0 ? QStringLiteral("▲") : QStringLiteral("▼")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("worse")), qPrintable(text));
        QVERIFY2(text.contains(QString::number(std::abs(expected), 'f', 1)), qPrintable(text));
        QVERIFY(diff.data(Qt::ForegroundRole).isValid());
    }

    void exportsCsv()
    {
        const QString path = m_dir.filePath(QStringLiteral("comparison.csv"));
        QString error;
        QVERIFY2(m_window->exportCsv(path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.first().trimmed(), QByteArray("section,key,label,fast.json,slow.json,slow.json vs fast.json (%)"));
        QByteArray throughput;
        for (const QByteArray &line : lines) {
            if (line.startsWith("metric,output_throughput,"))
                throughput = line.trimmed();
        }
        QVERIFY(!throughput.isEmpty());
        const QList<QByteArray> fields = throughput.split(',');
        const double first = jsonNumber(m_fast, "output_throughput");
        const double second = jsonNumber(m_slow, "output_throughput");
        QCOMPARE(fields.size(), 6);
        QCOMPARE(fields.at(3).toDouble(), first);
        QCOMPARE(fields.at(4).toDouble(), second);
        QVERIFY(std::abs(fields.at(5).toDouble() - (second - first) / first * 100.0) < 1e-6);
    }

    void overlaysOneCdfPerFile()
    {
        ts::CompareCharts *charts = m_window->charts();
        for (int m = 0; m < ts::CompareCharts::MetricCount; ++m) {
            const QList<QLineSeries *> series = charts->series(ts::CompareCharts::Metric(m));
            QCOMPARE(series.size(), 2);
            QVERIFY(series.at(0)->name().contains(QStringLiteral("fast.json")));
            QVERIFY(series.at(1)->name().contains(QStringLiteral("slow.json")));
            QVERIFY(series.at(0)->count() > 1);
            // A cumulative distribution ends at 100%.
            QCOMPARE(series.at(0)->points().constLast().y(), 100.0);
        }
        // The slower file's TTFT curve lies to the right: its median is higher.
        const QList<QLineSeries *> ttft = charts->series(ts::CompareCharts::Ttft);
        QVERIFY(ttft.at(1)->points().constLast().x() > ttft.at(0)->points().constLast().x());
        QCOMPARE(m_window->chartViews().size(), 4);
    }

    void saysWhenAFileHasNoPerRequestData()
    {
        const QString path = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/vllm/vllm-chat-summary.json");
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QSignalSpy changed(m_window.get(), &ts::CompareWindow::comparisonChanged);
        m_window->addFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QCOMPARE(m_window->model()->fileCount(), 3);
        QCOMPARE(m_window->charts()->series(ts::CompareCharts::Ttft).size(), 2);
        QVERIFY2(m_window->charts()->noteText().contains(QStringLiteral("vllm-chat-summary.json")), qPrintable(m_window->charts()->noteText()));
        changed.clear();
        m_window->removeFile(2);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QCOMPARE(m_window->model()->fileCount(), 2);
    }

    void anUnreadableFileIsReportedInPlainWords()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        QSignalSpy errors(m_window.get(), &ts::CompareWindow::errorShown);
        m_window->addFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QVERIFY(m_window->errorText().contains(QStringLiteral("broken.json")));
        QCOMPARE(m_window->files().size(), 2);
    }

    void removingLeavesOneFileWithoutDifferences()
    {
        QSignalSpy changed(m_window.get(), &ts::CompareWindow::comparisonChanged);
        m_window->removeFile(0);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QCOMPARE(m_window->model()->fileCount(), 1);
        QCOMPARE(m_window->model()->columnCount(), 2);
        QCOMPARE(m_window->charts()->series(ts::CompareCharts::Ttft).size(), 1);
    }

    void acceptsDroppedFiles()
    {
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(m_fast), QUrl::fromLocalFile(m_slow) });
        QSignalSpy changed(m_window.get(), &ts::CompareWindow::comparisonChanged);
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &drop);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        // slow.json was there already; only fast.json is added, after it.
        QCOMPARE(m_window->files().size(), 2);
        QVERIFY(m_window->files().at(1).endsWith(QStringLiteral("fast.json")));
        QCOMPARE(m_window->model()->fileCount(), 2);
    }

private:
    QTemporaryDir m_dir;
    QString m_fast, m_slow;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::CompareWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"
