// Renders the teaching views as a user sees them, for docs/screenshots: the start page, a live
// run on the classroom server in the timeline, a finished run with one request's anatomy, the
// glossary, the exercises, and a ramped-up run of a reasoning model in the live charts and the
// summary. Run it under a real X server (xvfb-run) or offscreen:
//   tokenstorm-screenshots OUT_DIR [en|zh_CN]
#include "charts/livecharts.h"
#include "exercises/exercisespanel.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "glossary/glossarydialog.h"
#include "glossary/glossarylauncher.h"
#include "i18n.h"
#include "mainwindow.h"
#include "results/summaryview.h"
#include "runpanel.h"
#include "settings.h"
#include "timeline/timelinetab.h"
#include "timeline/timelineview.h"
#include "views/resultdocument.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDir>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

bool save(QWidget *widget, const QDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    const bool ok = widget->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "could not write", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: tokenstorm-screenshots OUT_DIR [en|zh_CN]\n");
        return 2;
    }
    const QDir out(args.at(1));
    const QString language = args.size() > 2 ? args.at(2) : QStringLiteral("en");
    QDir().mkpath(out.path());
    QTemporaryDir settingsDir;
    ts::Settings settings(settingsDir.filePath(QStringLiteral("settings.ini")));
    ts::i18n::installTranslators(QLocale(language));

    ts::MainWindow window(&settings);
    window.setProperty("noDialogs", true);
    window.resize(1600, 1080);
    window.show();
    settle(500);
    const QString suffix = QLatin1Char('-') + language + QStringLiteral(".png");
    bool ok = save(&window, out, QStringLiteral("start-page") + suffix);

    // The classroom server: 12 requests, 6 at once against its 4 slots.
    ts::ConfigPanel *form = window.configPanel();
    form->demoServerForm()->setPreset(QStringLiteral("classroom"));
    form->workloadForm()->inputLenBox()->setValue(128);
    form->workloadForm()->outputLenBox()->setValue(16);
    form->loadForm()->numPromptsBox()->setValue(12);
    form->loadForm()->maxConcurrencyBox()->setValue(6);
    window.runPanel()->startButton()->click();
    window.tabs()->setCurrentWidget(window.timelineTab());
    settle(5500);
    window.tabs()->setCurrentWidget(window.timelineTab());
    settle(300);
    ok = save(&window, out, QStringLiteral("timeline-live") + suffix) && ok;
    if (!waitFor([&] { return window.document() != nullptr; }, 120000)) {
        std::fprintf(stderr, "the run did not finish\n");
        return 1;
    }
    // The request that waited longest for its first token, with its anatomy.
    const auto &records = window.document()->run.records;
    const auto longest = std::max_element(records.begin(), records.end(),
                                          [](const ts::RequestRecord &a, const ts::RequestRecord &b) { return a.ttft < b.ttft; });
    window.tabs()->setCurrentWidget(window.timelineTab());
    window.timelineTab()->showRequest(int(longest - records.begin()));
    settle(400);
    ok = save(&window, out, QStringLiteral("timeline-anatomy") + suffix) && ok;

    // Sized before it scrolls to the entry: a resize wraps the text anew.
    ts::GlossaryLauncher::instance()->showGlossary();
    if (ts::GlossaryDialog *dialog = ts::GlossaryLauncher::instance()->dialog()) {
        dialog->resize(760, 620);
        settle(300);
        ts::GlossaryLauncher::instance()->showMetric(ts::MetricId::Tpot);
        settle(300);
        ok = save(dialog, out, QStringLiteral("glossary") + suffix) && ok;
        dialog->close();
    }

    ts::ExercisesPanel *exercises = window.showExercises();
    window.tabs()->setCurrentWidget(window.timelineTab());
    settle(600);
    ok = save(&window, out, QStringLiteral("exercises") + suffix) && ok;
    if (auto *dock = qobject_cast<QDockWidget *>(exercises->parentWidget()))
        dock->close();

    // A reasoning model over the chat API, its request rate ramped up from 2 to 16 per second:
    // the live charts with the planned rate against the sent one, then the summary with its
    // reasoning block.
    form->demoServerForm()->setPreset(QStringLiteral("gpu-small"));
    form->demoServerForm()->setReasoningTokens(24);
    QComboBox *backend = form->targetForm()->backendBox();
    backend->setCurrentIndex(backend->findData(QStringLiteral("openai-chat")));
    form->workloadForm()->inputLenBox()->setValue(256);
    form->workloadForm()->outputLenBox()->setValue(96);
    form->loadForm()->setShape(ts::LoadShape::RampUp);
    form->loadForm()->rampStartBox()->setValue(2);
    form->loadForm()->rampEndBox()->setValue(16);
    form->loadForm()->numPromptsBox()->setValue(80);
    form->loadForm()->maxConcurrencyBox()->setValue(64);
    const ts::ResultDocument *classroomRun = window.document();
    window.runPanel()->startButton()->click();
    window.tabs()->setCurrentWidget(window.liveCharts());
    settle(6000);
    ok = save(&window, out, QStringLiteral("main-window-") + language + QStringLiteral("-running.png")) && ok;
    if (!waitFor([&] { return window.document() != nullptr && window.document() != classroomRun; }, 120000)) {
        std::fprintf(stderr, "the ramp-up run did not finish\n");
        return 1;
    }
    window.tabs()->setCurrentWidget(window.summaryView());
    settle(500);
    ok = save(&window, out, QStringLiteral("main-window-") + language + QStringLiteral("-results.png")) && ok;
    return ok ? 0 : 1;
}
