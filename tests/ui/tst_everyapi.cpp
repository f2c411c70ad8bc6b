#include "backends/backendregistry.h"
#include "charts/chartview.h"
#include "charts/livecharts.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/loadform.h"
#include "forms/sweepform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "results/distributionsview.h"
#include "results/ratingpanel.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "views/metricselection.h"
#include "views/resultdocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

// The number at the end of the summary's line that starts with label; -1 without such a line.
double summaryValue(const QString &summary, const QString &label)
{
    for (const QString &line : summary.split(u'\n')) {
        if (line.startsWith(label)) {
            bool ok = false;
            const double value = line.mid(label.size()).trimmed().toDouble(&ok);
            return ok ? value : -1.0;
        }
    }
    return -1.0;
}

} // namespace

// Every API of the list, chosen in the target form and run against the built-in server from the
// window: all requests succeed, the summary has numbers, and the views show only the metrics
// the API's runs have (an embeddings run has no token timings).
class TestEveryApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_window = ts::test::showMainWindow(m_settings.get());
        QVERIFY(m_window);
    }

    void listNamesEveryApi()
    {
        QComboBox *box = m_window->configPanel()->targetForm()->backendBox();
        QCOMPARE(box->count(), int(ts::backends().size()));
        for (int i = 0; i < box->count(); ++i) {
            const ts::BackendInfo &info = ts::backends()[std::size_t(i)];
            QCOMPARE(box->itemData(i).toString(), info.name);
            QCOMPARE(box->itemText(i), info.translatedTitle());
            // Plain words, not the bare name of the flag.
            QVERIFY2(box->itemText(i) != info.name, qPrintable(info.name));
            const QString servers = box->itemData(i, Qt::ToolTipRole).toString();
            QCOMPARE(servers, info.translatedServers());
            QVERIFY2(servers.contains(u' '), qPrintable(info.name + QStringLiteral(": ") + servers));
        }
    }

    void runEveryApi_data()
    {
        QTest::addColumn<QString>("backend");
        for (const ts::BackendInfo &info : ts::backends())
            QTest::addRow("%s", qPrintable(info.name)) << info.name;
    }

    void runEveryApi()
    {
        QFETCH(QString, backend);
        ts::MainWindow *window = m_window.get();
        ts::ConfigPanel *form = window->configPanel();
        form->demoServerForm()->setChecked(true);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->sweepForm()->load(ts::SweepFormState());
        QComboBox *apis = form->targetForm()->backendBox();
        apis->setCurrentIndex(apis->findData(backend));
        QCOMPARE(apis->currentData().toString(), backend);
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        workload->inputLenBox()->setValue(32);
        workload->outputLenBox()->setValue(6);
        workload->rangeRatioBox()->setValue(0.0);
        workload->prefixLenBox()->setValue(0);
        ts::LoadForm *load = form->loadForm();
        load->setShape(ts::LoadShape::ConstantRate);
        load->numPromptsBox()->setValue(6);
        load->requestRateBox()->setValue(0);
        load->maxConcurrencyBox()->setValue(3);
        load->warmupsBox()->setValue(0);
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));

        QSignalSpy shown(window, &ts::MainWindow::documentShown);
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
        const ts::ResultDocument *doc = window->document();
        QVERIFY(doc);
        QVERIFY2(doc->run.error.isEmpty(), qPrintable(doc->run.error));
        QCOMPARE(doc->run.config.target.backend, backend);
        for (const ts::RequestRecord &r : doc->run.records)
            QVERIFY2(r.success, qPrintable(backend + QStringLiteral(": ") + r.error));
        QCOMPARE(doc->metrics.completed, 6);
        QCOMPARE(doc->metrics.failed, 0);
        QVERIFY(doc->metrics.e2elMs.mean > 0.0);

        const QString summary = window->summaryView()->summaryText();
        QVERIFY2(summaryValue(summary, QStringLiteral("Successful requests:")) == 6.0, qPrintable(summary));
        QVERIFY2(summaryValue(summary, QStringLiteral("Request throughput (req/s):")) > 0.0, qPrintable(summary));

        const ts::BackendInfo *info = ts::findBackend(backend);
        QVERIFY(info);
        const bool text = info->generatesText();
        QCOMPARE(summary.contains(QStringLiteral("Mean TTFT (ms)")), text);
        if (text) {
            QVERIFY(doc->metrics.totalOutputTokens > 0);
            QVERIFY2(summaryValue(summary, QStringLiteral("Mean TTFT (ms):")) > 0.0, qPrintable(summary));
            QVERIFY2(summaryValue(summary, QStringLiteral("Output token throughput (tok/s):")) > 0.0, qPrintable(summary));
        } else {
            QVERIFY2(summaryValue(summary, QStringLiteral("Input throughput (inputs/s):")) > 0.0, qPrintable(summary));
            QVERIFY2(summaryValue(summary, QStringLiteral("Mean E2EL (ms):")) > 0.0, qPrintable(summary));
        }
        // The views follow the same rule.
        ts::RatingPanel *rating = window->summaryView()->findChild<ts::RatingPanel *>();
        QVERIFY(rating);
        QCOMPARE(rating->rating(ts::RatingPanel::TtftMetric).has_value(), text);
        QVERIFY(rating->rating(ts::RatingPanel::SuccessMetric).has_value());
        const QList<ts::ChartView *> distributions = window->distributionsView()->chartViews();
        QCOMPARE(distributions.at(0)->isVisibleTo(window->distributionsView()), text);   // TTFT
        QVERIFY(distributions.at(3)->isVisibleTo(window->distributionsView()));           // E2EL
        QCOMPARE(window->summaryView()->sourceText().contains(QStringLiteral("embeddings")), !text);
        const QList<ts::ChartView *> live = window->liveCharts()->chartViews();
        QCOMPARE(live.at(0)->isVisibleTo(window->liveCharts()), text);   // TTFT over the run
        QVERIFY(live.at(1)->isVisibleTo(window->liveCharts()));          // request rate
    }

    void cleanupTestCase() { m_window.reset(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
    std::unique_ptr<ts::MainWindow> m_window;
};

QTEST_MAIN(TestEveryApi)
#include "tst_everyapi.moc"
