#include "charts/chartview.h"
#include "charts/livecharts.h"
#include "compare/comparison.h"
#include "glossary/glossarydialog.h"
#include "glossary/glossarylauncher.h"
#include "i18n.h"
#include "models/comparisonmodel.h"
#include "models/requesttablemodel.h"
#include "models/sweeplevelmodel.h"
#include "results/distributionsview.h"
#include "results/ratingpanel.h"
#include "results/summaryview.h"
#include "settings.h"
#include "views/glossary.h"
#include "views/resultdocument.h"
#include "records.h"

#include <QApplication>
#include <QChart>
#include <QHelpEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolTip>

using namespace ts;

namespace {

using ts::test::succeeded;

RunResult smallRun()
{
    RunResult run;
    run.records = { succeeded(0, 0.0, 0.10, { 0.05, 0.05 }, 0.30, 3), succeeded(1, 0.5, 0.20, { 0.40 }, 0.60, 2),
                    succeeded(2, 1.0, 0.05, { 0.02 }, 0.07, 2) };
    run.duration = 2.0;
    run.requested = 3;
    run.config.metrics.percentileMetrics = { QStringLiteral("ttft"), QStringLiteral("tpot"), QStringLiteral("itl"),
                                             QStringLiteral("e2el") };
    run.config.metrics.percentiles = { 50.0, 99.0 };
    return run;
}

// The middle of the summary line that starts with label, in viewport coordinates.
QPoint linePosition(QPlainTextEdit *edit, const QString &label)
{
    for (QTextBlock b = edit->document()->begin(); b.isValid(); b = b.next()) {
        if (b.text().startsWith(label)) {
            QTextCursor cursor(b);
            cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, 5);
            return edit->cursorRect(cursor).center();
        }
    }
    return QPoint(-1, -1);
}

QString toolTipAt(QWidget *viewport, QPoint pos)
{
    // hideText() fades the tip out on a timer: wait until it is gone, so no stale text reads.
    QToolTip::hideText();
    if (!QTest::qWaitFor([] { return !QToolTip::isVisible(); }, 5000))
        return QStringLiteral("(a tooltip did not hide)");
    QHelpEvent help(QEvent::ToolTip, pos, viewport->mapToGlobal(pos));
    QCoreApplication::sendEvent(viewport, &help);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

} // namespace

class TestGlossaryUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("settings.ini")));
    }

    void summaryLinesExplainTheirMetric()
    {
        SummaryView view(m_settings.get());
        const ResultDocument doc = documentFromRun(smallRun());
        view.setDocument(&doc);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QWidget *viewport = view.summaryEdit()->viewport();

        const QPoint p99 = linePosition(view.summaryEdit(), QStringLiteral("P99 TTFT (ms):"));
        QVERIFY(viewport->rect().contains(p99));
        QCOMPARE(view.metricAt(p99), (MetricValue { MetricId::Ttft, Statistic::Percentile, 99.0 }));
        QVERIFY(toolTipAt(viewport, p99).startsWith(glossaryEntry(MetricId::Ttft).shortTip));

        const QPoint rate = linePosition(view.summaryEdit(), QStringLiteral("Request throughput"));
        QVERIFY(toolTipAt(viewport, rate).startsWith(glossaryEntry(MetricId::RequestThroughput).shortTip));
        const QPoint itl = linePosition(view.summaryEdit(), QStringLiteral("Median ITL"));
        QVERIFY(toolTipAt(viewport, itl).startsWith(glossaryEntry(MetricId::Itl).shortTip));

        // The banner names no metric and has no tooltip.
        const QPoint banner = linePosition(view.summaryEdit(), QStringLiteral("====="));
        QVERIFY(!view.metricAt(banner));
        QVERIFY(toolTipAt(viewport, banner).isEmpty());
    }

    void clickingASummaryLineNamesItsMetric()
    {
        SummaryView view(m_settings.get());
        const ResultDocument doc = documentFromRun(smallRun());
        view.setDocument(&doc);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy clicked(&view, &SummaryView::metricClicked);
        QWidget *viewport = view.summaryEdit()->viewport();

        QTest::mouseClick(viewport, Qt::LeftButton, {}, linePosition(view.summaryEdit(), QStringLiteral("P99 E2EL")));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.at(0).at(0).value<MetricId>(), MetricId::E2el);
        QCOMPARE(clicked.at(0).at(1).value<Statistic>(), Statistic::Percentile);
        QCOMPARE(clicked.at(0).at(2).toDouble(), 99.0);

        QTest::mouseClick(viewport, Qt::LeftButton, {}, linePosition(view.summaryEdit(), QStringLiteral("Mean TPOT")));
        QCOMPARE(clicked.size(), 2);
        QCOMPARE(clicked.at(1).at(0).value<MetricId>(), MetricId::Tpot);
        QCOMPARE(clicked.at(1).at(1).value<Statistic>(), Statistic::Mean);

        // Clicking the banner picks nothing.
        QTest::mouseClick(viewport, Qt::LeftButton, {}, linePosition(view.summaryEdit(), QStringLiteral("=====")));
        QCOMPARE(clicked.size(), 2);
    }

    void ratingNamesHaveTipsAndButtons()
    {
        RatingPanel panel(m_settings.get());
        const std::pair<RatingPanel::Metric, MetricId> rated[] = {
            { RatingPanel::TtftMetric, MetricId::Ttft },
            { RatingPanel::TpotMetric, MetricId::Tpot },
            { RatingPanel::ThroughputMetric, MetricId::RequestThroughput },
            { RatingPanel::SuccessMetric, MetricId::SuccessRate },
        };
        const QList<QLabel *> labels = panel.findChildren<QLabel *>();
        for (const auto &[metric, id] : rated) {
            const QString tip = glossaryEntry(id).shortTip;
            QVERIFY2(std::any_of(labels.begin(), labels.end(), [&](QLabel *l) { return l->toolTip() == tip; }),
                     qPrintable(glossaryAnchor(id)));
            auto *button = panel.findChild<GlossaryButton *>(QStringLiteral("glossary-") + glossaryAnchor(id));
            QVERIFY2(button, qPrintable(glossaryAnchor(id)));
            QCOMPARE(button->metric(), std::optional<MetricId>(id));
            QVERIFY(button->toolTip().contains(glossaryEntry(id).name));
        }
    }

    void questionMarkOpensTheDialogAtTheMetric()
    {
        RatingPanel panel(m_settings.get());
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        GlossaryLauncher *launcher = GlossaryLauncher::instance();
        QSignalSpy requested(launcher, &GlossaryLauncher::glossaryRequested);

        auto *button = panel.findChild<QToolButton *>(QStringLiteral("glossary-success-rate"));
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(0).value<MetricId>(), MetricId::SuccessRate);
        GlossaryDialog *dialog = launcher->dialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QCOMPARE(dialog->currentAnchor(), QStringLiteral("success-rate"));
        QVERIFY(QTest::qWaitForWindowExposed(dialog));

        // Scrolling follows the anchor: the last entry lies further down than the first.
        dialog->showMetric(MetricId::Ttft);
        const int ttft = dialog->browser()->verticalScrollBar()->value();
        dialog->showMetric(MetricId::RequestRate);
        const int rate = dialog->browser()->verticalScrollBar()->value();
        QVERIFY2(rate > ttft, qPrintable(QStringLiteral("%1 vs %2").arg(rate).arg(ttft)));

        // The summary's "?" opens the page at its top.
        SummaryView view(m_settings.get());
        auto *all = view.findChild<QToolButton *>(QStringLiteral("glossary-all"));
        QVERIFY(all);
        QTest::mouseClick(all, Qt::LeftButton);
        QCOMPARE(launcher->dialog(), dialog);
        QVERIFY(dialog->currentAnchor().isEmpty());
        QCOMPARE(dialog->browser()->verticalScrollBar()->value(), 0);
        dialog->close();
    }

    void chartsExplainTheirMetric()
    {
        DistributionsView distributions;
        const QList<ChartView *> views = distributions.chartViews();
        const MetricId ids[] = { MetricId::Ttft, MetricId::Tpot, MetricId::Itl, MetricId::E2el };
        QCOMPARE(views.size(), 4);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(views[i]->chart()->toolTip(), glossaryEntry(ids[i]).shortTip);

        LiveCharts live;
        for (ChartView *view : live.chartViews())
            QVERIFY(!view->chart()->toolTip().isEmpty());
        QCOMPARE(live.chartViews().constFirst()->chart()->toolTip(), glossaryEntry(MetricId::Ttft).shortTip);
    }

    void tableHeadersExplainTheirMetric()
    {
        RequestTableModel requests;
        QCOMPARE(requests.headerData(RequestTableModel::OutputTokensColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 glossaryEntry(MetricId::OutputTokens).shortTip);
        for (int c : { RequestTableModel::TtftColumn, RequestTableModel::TpotColumn, RequestTableModel::ItlColumn,
                       RequestTableModel::E2elColumn, RequestTableModel::QueueColumn, RequestTableModel::InputTokensColumn })
            QVERIFY(!requests.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());

        SweepLevelModel sweep;
        QCOMPARE(sweep.headerData(SweepLevelModel::TtftP99Column, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 glossaryEntry(MetricId::Ttft).shortTip);
        QCOMPARE(sweep.headerData(SweepLevelModel::LevelColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 glossaryEntry(MetricId::MaxConcurrency).shortTip);
        for (int c = 0; c < SweepLevelModel::ColumnCount; ++c) {
            if (c != SweepLevelModel::RequestsColumn && c != SweepLevelModel::StatusColumn)
                QVERIFY2(!sweep.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(), qPrintable(QString::number(c)));
        }

        const QString file = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/vllm/vllm-completions-detailed.json");
        QString error;
        const std::optional<Comparison> comparison = compareResultFiles({ file, file }, &error);
        QVERIFY2(comparison, qPrintable(error));
        ComparisonModel model;
        model.setComparison(std::make_shared<const Comparison>(*comparison));
        const int row = model.rowOf(QStringLiteral("p99_ttft_ms"));
        QVERIFY(row >= 0);
        QVERIFY(model.index(row, ComparisonModel::LabelColumn).data(Qt::ToolTipRole).toString()
                    .contains(glossaryEntry(MetricId::Ttft).shortTip));
    }

    // Fails until the zh_CN translation has the glossary's strings: they are translated
    // after the English source is written.
    void chineseGlossaryHasNoEnglishLeft()
    {
        const std::vector<GlossaryEntry> english = glossaryEntries();
        QCOMPARE(i18n::installTranslators(QLocale(QLocale::Chinese, QLocale::China)), QStringLiteral("zh_CN"));
        const std::vector<GlossaryEntry> chinese = glossaryEntries();
        i18n::installTranslators(QLocale(QLocale::English, QLocale::UnitedStates));
        static const QRegularExpression han(QStringLiteral("\\p{Han}"));
        QStringList untranslated;
        for (std::size_t i = 0; i < chinese.size(); ++i) {
            const GlossaryEntry &zh = chinese[i];
            const GlossaryEntry &en = english[i];
            const std::pair<const QString *, const QString *> fields[] = {
                { &zh.name, &en.name },           { &zh.shortTip, &en.shortTip },
                { &zh.measures, &en.measures },   { &zh.formula, &en.formula },
                { &zh.whyItMatters, &en.whyItMatters }, { &zh.thresholds, &en.thresholds },
                { &zh.whatMovesIt, &en.whatMovesIt },
            };
            for (const auto &[translated, source] : fields) {
                if (!translated->contains(han) || *translated == *source)
                    untranslated << zh.anchor + QStringLiteral(": ") + *source;
            }
        }
        QVERIFY2(untranslated.isEmpty(), qPrintable(QStringLiteral("%1 fields untranslated, e.g. %2")
                                                        .arg(untranslated.size())
                                                        .arg(untranslated.value(0))));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
};

QTEST_MAIN(TestGlossaryUi)
#include "tst_glossaryui.moc"
