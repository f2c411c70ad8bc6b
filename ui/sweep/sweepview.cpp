#include "sweep/sweepview.h"

#include "charts/chartview.h"
#include "core/savefile.h"
#include "models/sweeplevelmodel.h"
#include "results/resultfile.h"
#include "sweep/sweepcharts.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ts {

SweepView::SweepView(QWidget *parent)
    : ResultTab(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_headline = new QLabel(this);
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_save = new QPushButton(this);
    m_save->setEnabled(false);
    top->addWidget(m_headline, 1);
    top->addWidget(m_save, 0, Qt::AlignTop);
    layout->addLayout(top);

    m_verdict = new QLabel(this);
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setFrameShape(QFrame::StyledPanel);
    m_verdict->setMargin(8);
    m_verdict->setAutoFillBackground(true);
    QPalette palette = m_verdict->palette();
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf7, 0xfb));
    palette.setColor(QPalette::WindowText, QColor(0x21, 0x21, 0x21));
    m_verdict->setPalette(palette);
    layout->addWidget(m_verdict);

    m_charts = new SweepCharts;
    m_model = new SweepLevelModel(this);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_charts);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    // Room for the header and about six levels before the table scrolls.
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 7 + 8);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    connect(m_charts, &SweepCharts::exportRequested, this, &SweepView::exportRequested);
    connect(m_save, &QPushButton::clicked, this, &SweepView::saveRequested);
    retranslateUi();
}

QList<ChartView *> SweepView::chartViews() const
{
    return m_charts->chartViews();
}

QString SweepView::title() const
{
    return tr("Sweep");
}

QList<const Exportable *> SweepView::exportables() const
{
    return hasLevels() ? exportablesOf(chartViews()) : QList<const Exportable *>();
}

void SweepView::startSweep(const SweepConfig &config)
{
    m_config = config;
    m_levels.clear();
    m_result.reset();
    m_running = true;
    m_hasSweep = true;
    m_currentIndex = -1;
    m_levelCount = int(config.levels.size());
    m_model->clear();
    m_model->setMode(config.mode);
    m_charts->setPlan(config.mode, config.levels, config.rules);
    refresh();
}

void SweepView::levelStarted(int index, int levelCount, double level, int numPrompts)
{
    m_currentIndex = index;
    m_levelCount = levelCount;
    m_currentLevel = level;
    m_currentPrompts = numPrompts;
    retranslateUi();
}

void SweepView::addLevel(const SweepLevelResult &level)
{
    m_levels.push_back(level);
    m_levels.back().run.records = {};
    m_model->addLevel(level);
    refresh();
}

void SweepView::finishSweep(const SweepResult &result)
{
    m_running = false;
    m_hasSweep = true;
    m_config = result.config;
    m_result = result;
    // The result is the authority: a level may have arrived only with it.
    m_levels = result.levels;
    for (SweepLevelResult &l : m_levels)
        l.run.records = {};
    m_model->setMode(result.config.mode);
    m_model->setLevels(m_levels);
    refresh();
}

void SweepView::showResult(const SweepResult &result)
{
    m_charts->setPlan(result.config.mode, result.config.levels, result.config.rules);
    finishSweep(result);
}

SweepVerdict SweepView::verdict() const
{
    if (m_result && !m_running)
        return m_result->verdict;
    return computeVerdict(m_config, m_levels, false);
}

void SweepView::refresh()
{
    const SweepVerdict v = verdict();
    // While levels are still to come, a knee is not final; the charts show it as far as known.
    m_model->setMarks(m_running ? std::optional<double>() : v.maxStableLevel, v.kneeLevel);
    SweepVerdict marks = v;
    if (m_running) {
        marks = SweepVerdict();
        marks.mode = v.mode;
        marks.kneeLevel = v.kneeLevel;
    }
    m_charts->setLevels(m_levels, marks);
    m_save->setEnabled(m_result && !m_running && m_result->error.isEmpty() && !m_result->levels.empty());
    retranslateUi();
}

QString SweepView::verdictText() const
{
    if (!m_result || m_running || !m_result->error.isEmpty())
        return {};
    return sweepVerdictText(m_config, m_levels, m_result->verdict);
}

QString SweepView::headlineText() const
{
    return m_headline->text();
}

QString SweepView::suggestedFileName() const
{
    if (m_result && !m_result->summaryFile.isEmpty())
        return QFileInfo(m_result->summaryFile).fileName();
    const QDateTime date = m_result && m_result->date.isValid() ? m_result->date : QDateTime::currentDateTime();
    return sweepSummaryBaseName(m_config, date) + QStringLiteral(".json");
}

bool SweepView::saveSummary(const QString &jsonPath, QString *error) const
{
    if (!m_result || m_running) {
        if (error)
            *error = tr("There is no finished sweep to save.");
        return false;
    }
    SweepResult result = *m_result;
    result.verdictText = verdictText();
    if (!writeJsonFile(jsonPath, sweepSummaryJson(result), error))
        return false;
    const QFileInfo info(jsonPath);
    const QString csvPath = info.dir().filePath(info.completeBaseName() + QStringLiteral(".csv"));
    return saveFile(csvPath, sweepCsv(result), error);
}

void SweepView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate();
    }
    ResultTab::changeEvent(event);
}

void SweepView::retranslateUi()
{
    m_save->setText(tr("Save summary (JSON and CSV)…"));
    m_save->setToolTip(tr("The sweep's summary JSON, with the verdict and one entry per level, and a CSV with one row per level, as the command line writes them."));
    m_table->setToolTip(tr("One row per level. The highest stable level is shaded; the verdict column names the rule a level broke."));

    const bool rate = m_config.mode == SweepMode::RequestRate;
    const QString kind = rate ? tr("Request-rate sweep") : tr("Concurrency sweep");
    const QString model = m_config.base.target.model.isEmpty() ? tr("unknown model") : m_config.base.target.model;
    QString headline;
    QString body;
    if (!m_hasSweep) {
        headline = tr("No sweep yet. Under “Sweep” in the form, choose a concurrency or request-rate sweep and press Start, or open a sweep summary (File ▸ Open result).");
        body = tr("A sweep runs the test at rising concurrency, level by level, until the server stops keeping up. It then says how many requests at once the server holds, where its throughput peaks and where the knee is: the level beyond which more load adds waiting rather than throughput.");
    } else if (m_running) {
        headline = kind + QStringLiteral(" – ") + tr("model %1").arg(model) + QStringLiteral(". ");
        if (m_currentIndex >= 0)
            headline += tr("Level %1 of %2 is running: %3, %n request(s).", nullptr, m_currentPrompts)
                            .arg(m_currentIndex + 1)
                            .arg(m_levelCount)
                            .arg(sweepLevelPhrase(m_config.mode, m_currentLevel));
        else
            headline += tr("Preparing…");
        body = tr("The verdict follows when the sweep ends. The charts and the table fill in as each level finishes; the Live tab shows the running level.");
    } else if (m_result && !m_result->error.isEmpty()) {
        headline = kind + QStringLiteral(" – ") + tr("model %1").arg(model) + QStringLiteral(".");
        body = QStringLiteral("<p style=\"color:#b71c1c\">") + m_result->error.toHtmlEscaped() + QStringLiteral("</p>");
    } else {
        const QString date = m_result && m_result->date.isValid() ? QLocale().toString(m_result->date, QLocale::ShortFormat) : tr("unknown date");
        if (m_result && !m_result->summaryFile.isEmpty())
            headline = tr("%1 – model %2, %3. Summary: %4").arg(kind, model, date, QDir::toNativeSeparators(m_result->summaryFile));
        else
            headline = tr("%1 – model %2, %3.").arg(kind, model, date);
        headline += QLatin1Char(' ') + tr("%n level(s) measured.", nullptr, int(m_levels.size()));
        const QStringList lines = verdictText().split(u'\n', Qt::SkipEmptyParts);
        for (int i = 0; i < lines.size(); ++i) {
            // The first two lines answer the question: how far, and why no further.
            if (i == 0)
                body += QStringLiteral("<p style=\"font-size:large\"><b>") + lines.at(i).toHtmlEscaped() + QStringLiteral("</b></p>");
            else if (i == 1)
                body += QStringLiteral("<p><b>") + lines.at(i).toHtmlEscaped() + QStringLiteral("</b></p>");
            else
                body += QStringLiteral("<p>") + lines.at(i).toHtmlEscaped() + QStringLiteral("</p>");
        }
    }
    m_headline->setText(headline);
    m_verdict->setText(body);
}

} // namespace ts
