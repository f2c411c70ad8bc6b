#include "charts/chartview.h"
#include "charts/livecharts.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/fieldfeedback.h"
#include "forms/formstate.h"
#include "forms/loadform.h"
#include "forms/sweepform.h"
#include "forms/workloadform.h"
#include "load/arrivals.h"
#include "mainwindow.h"
#include "results/resultfile.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "views/resultdocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>

using ts::LoadShape;
using ts::RampUpStrategy;

Q_DECLARE_METATYPE(ts::LoadConfig)

namespace {

ts::LoadConfig rampLoad(RampUpStrategy strategy, int start, int end)
{
    ts::LoadConfig l;
    l.numPrompts = 40;
    l.rampUpStrategy = strategy;
    l.rampUpStartRps = start;
    l.rampUpEndRps = end;
    l.maxConcurrency = 8;
    return l;
}

ts::LoadConfig timedLoad(double seconds, bool cancel)
{
    ts::LoadConfig l;
    l.numPrompts = 30;
    l.requestRate = 5.0;
    l.durationS = seconds;
    l.durationCancel = cancel;
    return l;
}

QLineSeries *seriesNamed(const ts::LiveCharts &charts, const QString &name)
{
    for (ts::ChartView *view : charts.chartViews()) {
        for (QAbstractSeries *s : view->chart()->series()) {
            if (s->name() == name)
                return qobject_cast<QLineSeries *>(s);
        }
    }
    return nullptr;
}

} // namespace

// The load shapes in the window: the form's fields and their round trip through the settings,
// the engine's sentence at the fields, the planned rate against the sent rate in the live chart,
// and the shape in the summary of a run and of a file.
class TestLoadShape : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
    }

    void formAndSettingsKeepTheShape_data()
    {
        QTest::addColumn<ts::LoadConfig>("load");
        QTest::addColumn<int>("shape");
        ts::LoadConfig constant;
        constant.numPrompts = 120;
        constant.requestRate = 12.0;
        QTest::addRow("constant rate") << constant << int(LoadShape::ConstantRate);
        QTest::addRow("linear ramp") << rampLoad(RampUpStrategy::Linear, 2, 30) << int(LoadShape::RampUp);
        QTest::addRow("exponential ramp") << rampLoad(RampUpStrategy::Exponential, 1, 64) << int(LoadShape::RampUp);
        QTest::addRow("timed, drained") << timedLoad(45, false) << int(LoadShape::TimeLimit);
        QTest::addRow("timed, cancelled") << timedLoad(90, true) << int(LoadShape::TimeLimit);
    }

    void formAndSettingsKeepTheShape()
    {
        QFETCH(ts::LoadConfig, load);
        QFETCH(int, shape);
        ts::LoadForm form;
        ts::BenchmarkConfig in;
        in.load = load;
        form.load(in);
        QCOMPARE(int(form.shape()), shape);
        QVERIFY2(form.validate(false, false).isEmpty(), qPrintable(form.validate(false, false)));

        ts::FormState state;
        form.apply(state.config);
        const ts::LoadConfig &out = state.config.load;
        QCOMPARE(out.rampUpStrategy, load.rampUpStrategy);
        QCOMPARE(out.rampUpStartRps, load.rampUpStartRps);
        QCOMPARE(out.rampUpEndRps, load.rampUpEndRps);
        QCOMPARE(out.durationS, load.durationS);
        QCOMPARE(out.durationCancel, load.durationCancel);
        QCOMPARE(out.hasFiniteRate(), !load.hasRampUp());
        QVERIFY2(ts::validationError(state.config).isEmpty(), qPrintable(ts::validationError(state.config)));

        ts::storeFormState(*m_settings, state);
        const ts::LoadConfig back = ts::loadFormState(*m_settings).config.load;
        QCOMPARE(back.rampUpStrategy, load.rampUpStrategy);
        QCOMPARE(back.rampUpStartRps, load.rampUpStartRps);
        QCOMPARE(back.rampUpEndRps, load.rampUpEndRps);
        QCOMPARE(back.durationS, load.durationS);
        QCOMPARE(back.durationCancel, load.durationCancel);
        QCOMPARE(back.requestRate, out.requestRate);
    }

    void fieldsShowTheEngineSentence()
    {
        ts::LoadForm form;
        form.setShape(LoadShape::RampUp);
        form.rampStartBox()->setValue(30);
        form.rampEndBox()->setValue(10);
        const QString error = form.validate(false, false);
        ts::BenchmarkConfig config;
        form.apply(config);
        QVERIFY(!error.isEmpty());
        QCOMPARE(error, ts::validationError(config));
        QCOMPARE(form.shapeMessage()->message(), error);
        QVERIFY(form.rampStartBox()->property("invalid").toBool());

        form.rampStrategyBox()->setCurrentIndex(form.rampStrategyBox()->findData(QStringLiteral("exponential")));
        form.rampStartBox()->setValue(0);
        const QString fromZero = form.validate(false, false);
        QVERIFY(!fromZero.isEmpty() && fromZero != error);

        form.rampStartBox()->setValue(1);
        QCOMPARE(form.validate(false, false), QString());
        QCOMPARE(form.shapeMessage()->message(), QString());
        QVERIFY(!form.rampStartBox()->property("invalid").toBool());
        // A sweep sets each level's rate, so it refuses a ramp.
        QVERIFY(!form.validate(false, true).isEmpty());
        QVERIFY(form.shapeBox()->property("invalid").toBool());

        // A timed run at an infinite rate without a concurrency limit would release endless requests.
        form.setShape(LoadShape::TimeLimit);
        form.requestRateBox()->setValue(0);
        form.maxConcurrencyBox()->setValue(0);
        const QString endless = form.validate(false, false);
        QVERIFY(!endless.isEmpty());
        QVERIFY(form.durationBox()->property("invalid").toBool());
        QVERIFY(!form.validate(true, false).isEmpty());
        form.maxConcurrencyBox()->setValue(4);
        QCOMPARE(form.validate(false, false), QString());
        // Multi-turn runs cannot be timed.
        QVERIFY(!form.validate(true, false).isEmpty());
    }

    void liveChartDrawsThePlannedRamp()
    {
        ts::LiveCharts charts;
        charts.resize(1000, 800);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        charts.startRun();
        const ts::LoadConfig load = rampLoad(RampUpStrategy::Linear, 3, 33);
        charts.setLoadPlan(load);
        QLineSeries *planned = seriesNamed(charts, QStringLiteral("Planned"));
        QVERIFY(planned);
        QCOMPARE(planned->points(), charts.data().targetRate());
        const std::vector<double> times = ts::arrivalTimes(load, load.numPrompts);
        QCOMPARE(planned->count(), load.numPrompts);
        QCOMPARE(planned->points().last(), QPointF(times.back(), 33.0));

        ts::RunProgress p;
        p.total = load.numPrompts;
        for (int i = 0; i <= 20; ++i) {
            p.elapsed = i * 0.1;
            p.sent = i;
            charts.addProgress(p);
            QTest::qWait(10);
        }
        charts.finishRun();
        QLineSeries *sent = seriesNamed(charts, QStringLiteral("Sent/s"));
        QVERIFY(sent);
        QVERIFY(sent->count() > 0);
        QCOMPARE(qRound(sent->points().last().y()), 10);

        // A new run without a plan shows none.
        charts.startRun();
        QCOMPARE(planned->count(), 0);
    }

    void rampRunFromTheWindow()
    {
        auto window = ts::test::showMainWindow(m_settings.get());
        QVERIFY(window);
        ts::ConfigPanel *form = window->configPanel();
        form->demoServerForm()->setChecked(true);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->sweepForm()->load(ts::SweepFormState());
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        workload->inputLenBox()->setValue(32);
        workload->outputLenBox()->setValue(4);
        ts::LoadForm *load = form->loadForm();
        load->setShape(LoadShape::RampUp);
        load->rampStrategyBox()->setCurrentIndex(load->rampStrategyBox()->findData(QStringLiteral("linear")));
        load->rampStartBox()->setValue(20);
        load->rampEndBox()->setValue(80);
        load->numPromptsBox()->setValue(30);
        load->maxConcurrencyBox()->setValue(0);
        load->warmupsBox()->setValue(0);
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));

        QSignalSpy shown(window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
        const ts::ResultDocument *doc = window->document();
        QVERIFY(doc);
        QVERIFY2(doc->run.error.isEmpty(), qPrintable(doc->run.error));
        QCOMPARE(doc->run.config.load.rampUpStrategy, RampUpStrategy::Linear);
        QCOMPARE(doc->run.config.load.rampUpEndRps, std::optional<int>(80));
        QCOMPARE(doc->metrics.completed, 30);

        const ts::LiveData &live = window->liveCharts()->data();
        QCOMPARE(live.targetRate().size(), qsizetype(30));
        QCOMPARE(live.targetRate().first().y(), 20.0);
        QCOMPARE(live.targetRate().last().y(), 80.0);
        QCOMPARE(window->liveCharts()->data().lastProgress().sent, 30);
        QVERIFY(window->summaryView()->sourceText().contains(QStringLiteral("ramp up from 20 to 80 req/s, linear")));
    }

    void summaryOfATimedResultFile()
    {
        ts::RunResult run;
        run.config.load = timedLoad(30, true);
        run.config.target.model = QStringLiteral("m");
        run.date = QDateTime::currentDateTime();
        for (int i = 0; i < 3; ++i) {
            ts::RequestRecord r;
            r.index = i;
            r.success = true;
            r.startTime = i * 0.2;
            r.ttft = 0.05;
            r.itl = { 0.01, 0.01 };
            r.latency = 0.07;
            r.outputTokens = 3;
            r.contentChunks = 3;
            r.promptTokens = 10;
            run.records.push_back(r);
        }
        run.duration = 1.0;
        run.requested = 3;
        const ts::ResultDocument fromRun = ts::documentFromRun(run);
        const QString path = m_dir.filePath(QStringLiteral("timed.json"));
        QString error;
        QVERIFY2(ts::writeJsonFile(path, fromRun.toJson(), &error), qPrintable(error));

        std::optional<ts::ResultDocument> doc = ts::documentFromFile(path, &error);
        QVERIFY2(doc, qPrintable(error));
        QCOMPARE(doc->run.config.load.durationS, 30.0);
        QVERIFY(doc->run.config.load.durationCancel);
        QVERIFY(!doc->run.config.load.hasRampUp());

        ts::SummaryView view(m_settings.get());
        view.setDocument(&*doc);
        QVERIFY2(view.sourceText().contains(QStringLiteral("Limited to 30 s; requests still running then were cancelled.")),
                 qPrintable(view.sourceText()));
        QVERIFY(view.sourceText().contains(QStringLiteral("Load: 5 req/s.")));
        view.setDocument(nullptr);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ts::Settings> m_settings;
};

QTEST_MAIN(TestLoadShape)
#include "tst_loadshape.moc"
