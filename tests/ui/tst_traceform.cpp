#include "charts/livecharts.h"
#include "forms/configpanel.h"
#include "forms/datasetpreview.h"
#include "forms/demoserverform.h"
#include "forms/fieldfeedback.h"
#include "forms/formstate.h"
#include "forms/loadform.h"
#include "forms/sweepform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "mainwindow.h"
#include "results/resultfile.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "shownwindow.h"
#include "views/resultdocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>

using ts::LoadShape;

namespace {

// Six requests over 1.1 s of trace time; at scale 0.5 all go out within the first 0.6 s.
const char TraceLines[] = R"({"timestamp": 0, "input_length": 40, "output_length": 4, "hash_ids": [1]}
{"timestamp": 0, "input_length": 30, "output_length": 3, "hash_ids": [1]}
{"timestamp": 200, "input_length": 50, "output_length": 4, "hash_ids": [2]}
{"timestamp": 400, "input_length": 20, "output_length": 2}
{"timestamp": 1000, "input_length": 40, "output_length": 4, "hash_ids": [1]}
{"timestamp": 1100, "input_length": 10, "output_length": 2}
)";

bool shapeOffered(ts::LoadForm &form, LoadShape shape)
{
    auto *model = qobject_cast<QStandardItemModel *>(form.shapeBox()->model());
    const int row = form.shapeBox()->findData(int(shape));
    return model && row >= 0 && model->item(row)->isEnabled();
}

} // namespace

// Replaying a trace from the window: the dataset's title and file field, the load form's trace
// shape with its time scale and "all records", the settings round trip, the preview of the
// file, and a run whose live chart plans the trace's own rate.
class TestTraceForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<ts::Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_trace = m_dir.filePath(QStringLiteral("trace.jsonl"));
        QFile file(m_trace);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(TraceLines);
    }

    void datasetHasAPlainTitle()
    {
        QCOMPARE(ts::WorkloadForm::datasetTitle(QStringLiteral("mooncake")), QStringLiteral("Trace replay (Mooncake JSONL)"));
        QVERIFY(ts::datasetNeedsFile(QStringLiteral("mooncake")));
    }

    void traceDatasetSwitchesTheShape()
    {
        ts::ConfigPanel panel;
        ts::WorkloadForm *workload = panel.workloadForm();
        ts::LoadForm *load = panel.loadForm();
        load->numPromptsBox()->setValue(120);
        load->requestRateBox()->setValue(8);
        QVERIFY(!shapeOffered(*load, LoadShape::TraceReplay));

        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("mooncake")));
        QCOMPARE(load->shape(), LoadShape::TraceReplay);
        QVERIFY(shapeOffered(*load, LoadShape::TraceReplay));
        for (LoadShape other : { LoadShape::ConstantRate, LoadShape::RampUp, LoadShape::TimeLimit })
            QVERIFY(!shapeOffered(*load, other));
        QCOMPARE(load->numPromptsBox()->value(), 0);
        QCOMPARE(load->numPromptsBox()->text(), QStringLiteral("all records"));
        QVERIFY(load->traceScaleBox()->isVisibleTo(load));
        QVERIFY(!load->requestRateBox()->isVisibleTo(load));
        QVERIFY(!load->burstinessBox()->isEnabled());

        load->traceScaleBox()->setValue(0.5);
        const ts::FormState state = panel.state();
        QCOMPARE(state.config.datasetName, QStringLiteral("mooncake"));
        QCOMPARE(state.config.load.numPrompts, 0);
        QCOMPARE(state.config.load.traceTimeScale, 0.5);
        QVERIFY(!state.config.load.hasFiniteRate());
        QCOMPARE(ts::datasetConfigOf(state).numPrompts, 0);
        QCOMPARE(load->validate(false, false), QString());

        // Back to random prompts: the count and a shape that needs a rate return.
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("random")));
        QCOMPARE(load->shape(), LoadShape::ConstantRate);
        QVERIFY(!shapeOffered(*load, LoadShape::TraceReplay));
        QCOMPARE(load->numPromptsBox()->value(), 120);
        QCOMPARE(load->numPromptsBox()->minimum(), 1);
        QVERIFY(load->requestRateBox()->isVisibleTo(load));
        QCOMPARE(panel.state().config.load.requestRate, 8.0);
    }

    void engineSentenceAtTheFields()
    {
        ts::LoadForm form;
        ts::BenchmarkConfig trace;
        trace.datasetName = QStringLiteral("mooncake");
        trace.load.numPrompts = 0;
        form.load(trace);
        QCOMPARE(form.shape(), LoadShape::TraceReplay);
        // A shape the list does not offer with a trace, set anyway: the engine's words say why.
        form.setShape(LoadShape::RampUp);
        const QString ramp = form.validate(false, false);
        QVERIFY(!ramp.isEmpty());
        QCOMPARE(form.shapeMessage()->message(), ramp);
        QVERIFY(form.rampStartBox()->property("invalid").toBool());
        form.setShape(LoadShape::TraceReplay);
        QCOMPARE(form.validate(false, false), QString());
        // A sweep sets a rate per level, which a trace refuses.
        QVERIFY(!form.validate(false, true).isEmpty());
    }

    void settingsKeepTheTrace()
    {
        ts::FormState state;
        state.config.datasetName = QStringLiteral("mooncake");
        state.datasetPath = m_trace;
        state.config.load.numPrompts = 0;
        state.config.load.traceTimeScale = 0.25;
        ts::storeFormState(*m_settings, state);
        const ts::FormState back = ts::loadFormState(*m_settings);
        QCOMPARE(back.config.datasetName, QStringLiteral("mooncake"));
        QCOMPARE(back.datasetPath, m_trace);
        QCOMPARE(back.config.load.numPrompts, 0);
        QCOMPARE(back.config.load.traceTimeScale, 0.25);

        ts::ConfigPanel panel;
        panel.setState(back);
        QCOMPARE(panel.loadForm()->shape(), LoadShape::TraceReplay);
        QCOMPARE(panel.loadForm()->traceScaleBox()->value(), 0.25);
        QCOMPARE(panel.state().config.load.numPrompts, 0);
        QCOMPARE(panel.state().config.load.traceTimeScale, 0.25);
    }

    void replayFromTheWindow()
    {
        auto window = ts::test::showMainWindow(m_settings.get());
        QVERIFY(window);
        ts::ConfigPanel *form = window->configPanel();
        form->demoServerForm()->setChecked(true);
        form->demoServerForm()->setPreset(QStringLiteral("fixed"));
        form->sweepForm()->load(ts::SweepFormState());
        QComboBox *apis = form->targetForm()->backendBox();
        apis->setCurrentIndex(apis->findData(QStringLiteral("openai")));
        ts::WorkloadForm *workload = form->workloadForm();
        workload->datasetBox()->setCurrentIndex(workload->datasetBox()->findData(QStringLiteral("mooncake")));
        workload->datasetPathEdit()->setText(m_trace);
        ts::LoadForm *load = form->loadForm();
        QCOMPARE(load->shape(), LoadShape::TraceReplay);
        load->numPromptsBox()->setValue(0);
        load->traceScaleBox()->setValue(0.5);
        load->maxConcurrencyBox()->setValue(0);
        load->warmupsBox()->setValue(0);

        // The preview reads the trace as the run will.
        QTRY_COMPARE_WITH_TIMEOUT(workload->preview()->status(), ts::DatasetPreview::Status::Ready, 20000);
        QCOMPARE(workload->preview()->summary().count, 6);
        QVERIFY2(form->validate().isEmpty(), qPrintable(form->validate()));

        QSignalSpy shown(window.get(), &ts::MainWindow::documentShown);
        QTest::mouseClick(window->runPanel()->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
        const ts::ResultDocument *doc = window->document();
        QVERIFY(doc);
        QVERIFY2(doc->run.error.isEmpty(), qPrintable(doc->run.error));
        QCOMPARE(doc->metrics.completed, 6);
        QCOMPARE(doc->run.config.load.traceTimeScale, 0.5);

        // Six sends planned within the first second.
        const QList<QPointF> planned { { 0.0, 6.0 }, { 1.0, 6.0 } };
        QCOMPARE(window->liveCharts()->data().targetRate(), planned);
        QVERIFY2(window->summaryView()->sourceText().contains(QStringLiteral("trace replayed at its recorded times × 0.5")),
                 qPrintable(window->summaryView()->sourceText()));

        // The result file read back says the same.
        const QString path = m_dir.filePath(QStringLiteral("trace-result.json"));
        QString error;
        QVERIFY2(ts::writeJsonFile(path, doc->toJson(), &error), qPrintable(error));
        std::optional<ts::ResultDocument> file = ts::documentFromFile(path, &error);
        QVERIFY2(file, qPrintable(error));
        QCOMPARE(file->run.config.datasetName, QStringLiteral("mooncake"));
        QCOMPARE(file->run.config.load.traceTimeScale, 0.5);
        ts::SummaryView view(m_settings.get());
        view.setDocument(&*file);
        QVERIFY2(view.sourceText().contains(QStringLiteral("trace replayed at its recorded times × 0.5")), qPrintable(view.sourceText()));
        view.setDocument(nullptr);
    }

private:
    QTemporaryDir m_dir;
    QString m_trace;
    std::unique_ptr<ts::Settings> m_settings;
};

QTEST_MAIN(TestTraceForm)
#include "tst_traceform.moc"
