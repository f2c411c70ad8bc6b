#include "forms/datasetpreview.h"

#include "charts/distributionchart.h"
#include "views/distributiondata.h"
#include "models/promptpreviewmodel.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include <qcoro/qcorofuture.h>

namespace ts {

// One load: what it reads, and what the worker and the GUI thread share while it runs.
struct DatasetPreview::Job
{
    DatasetConfig config;
    QString tokenizerPath;
    std::shared_ptr<const Tokenizer> tokenizer;   // already loaded for tokenizerPath, or null
    std::atomic<bool> cancelled { false };
    // The last progress posted, so the GUI gets at most one event per percent.
    int postedPercent = -1;
    qint64 postedTotal = -1;
};

struct DatasetPreview::Loaded
{
    bool ok = false;
    QString error;
    std::shared_ptr<const Tokenizer> tokenizer;
    QString tokenizerProblem;
    std::vector<PromptSpec> first;
    DatasetSummary summary;
    Distribution input;
    Distribution output;
    int conversations = 0;
    bool lengthsEstimated = false;
    QStringList warnings;
};

namespace {

Distribution lengths(const std::vector<PromptSpec> &prompts, bool input)
{
    std::vector<double> values;
    values.reserve(prompts.size());
    for (const PromptSpec &p : prompts)
        values.push_back(input ? p.promptTokens : p.expectedOutputTokens);
    return makeDistribution(std::move(values), DatasetPreview::HistogramBins);
}

QString lengthLine(const QString &label, const LengthHistogram &h)
{
    const QLocale locale;
    return QCoreApplication::translate("ts::DatasetPreview", "%1: mean %2 tokens (%3 to %4)")
        .arg(label, locale.toString(h.mean, 'f', 1), locale.toString(h.minimum), locale.toString(h.maximum));
}

} // namespace

DatasetPreview::DatasetPreview(QWidget *parent)
    : QWidget(parent)
{
    qRegisterMetaType<ts::DatasetPreview::Status>();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_count = new QLabel(this);
    m_count->setWordWrap(true);
    layout->addWidget(m_count);
    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_cancel = new QPushButton(this);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    m_notes->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_notes);

    m_details = new QWidget(this);
    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(0, 0, 0, 0);
    m_model = new PromptPreviewModel(this);
    m_table = new QTableView(m_details);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(PromptPreviewModel::PromptColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(PromptPreviewModel::InputTokensColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PromptPreviewModel::OutputTokensColumn, QHeaderView::ResizeToContents);
    m_table->setMinimumHeight(120);
    details->addWidget(m_table);
    auto *charts = new QHBoxLayout;
    m_inputChart = new DistributionChart(m_details);
    m_outputChart = new DistributionChart(m_details);
    m_inputChart->setExportName(QStringLiteral("dataset-input-lengths"));
    m_outputChart->setExportName(QStringLiteral("dataset-output-lengths"));
    for (DistributionChart *chart : { m_inputChart, m_outputChart }) {
        chart->setMinimumHeight(180);
        // The form's column is only as wide as its fields; a chart's own minimum (axes, titles)
        // would push the form past its scroll area, which never scrolls sideways.
        chart->setMinimumWidth(140);
        chart->setUnit(DistributionChart::Unit::Tokens);
        charts->addWidget(chart);
    }
    details->addLayout(charts);
    layout->addWidget(m_details);

    m_delay.setSingleShot(true);
    m_delay.setInterval(300);
    connect(&m_delay, &QTimer::timeout, this, &DatasetPreview::startLoad);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        cancelLoad();
        setStatus(Status::Empty);
        m_notes->setText(tr("Preview cancelled. Change the file or its settings to load it again."));
    });
    setStatus(Status::Empty);
    retranslateUi();
}

DatasetPreview::~DatasetPreview()
{
    // A worker still reading stops at its next progress report; it holds the job, not us.
    cancelLoad();
}

void DatasetPreview::setSource(const DatasetConfig &config, const QString &tokenizerPath, bool multiTurn)
{
    const bool same = m_hasSource && config.name == m_config.name && config.path == m_config.path
        && config.numPrompts == m_config.numPrompts && config.seed == m_config.seed
        && config.chatBackend == m_config.chatBackend && tokenizerPath == m_tokenizerPath
        && config.sharegptOutputLen == m_config.sharegptOutputLen && multiTurn == m_multiTurn;
    if (same)
        return;
    m_config = config;
    m_multiTurn = multiTurn;
    m_tokenizerPath = tokenizerPath;
    m_hasSource = true;
    cancelLoad();
    // An error of the old source says nothing about the new one.
    setError(QString());
    m_delay.start();
}

void DatasetPreview::clear()
{
    m_hasSource = false;
    m_delay.stop();
    cancelLoad();
    setError(QString());
    m_summary = DatasetSummary();
    m_warnings.clear();
    m_model->clear();
    setStatus(Status::Empty);
}

void DatasetPreview::cancelLoad()
{
    if (m_job)
        m_job->cancelled = true;
    m_job.reset();
}

void DatasetPreview::startLoad()
{
    if (!m_hasSource || m_config.path.isEmpty())
        return;
    auto job = std::make_shared<Job>();
    job->config = m_config;
    job->tokenizerPath = m_tokenizerPath;
    if (!m_tokenizerPath.isEmpty() && m_tokenizerPath == m_loadedTokenizerPath)
        job->tokenizer = m_tokenizer;
    m_job = job;
    m_progress->setValue(0);
    setStatus(Status::Loading);
    load(std::move(job));
}

QCoro::Task<> DatasetPreview::load(std::shared_ptr<Job> job)
{
    QPointer<DatasetPreview> self(this);
    const bool multiTurn = m_multiTurn;
    auto work = [job, self, multiTurn] {
        Loaded l;
        l.tokenizer = job->tokenizer;
        if (!job->tokenizerPath.isEmpty() && !l.tokenizer) {
            QString why;
            l.tokenizer = Tokenizer::load(job->tokenizerPath, &why);
            if (!l.tokenizer)
                l.tokenizerProblem = why;
        }
        // Called on this worker thread. The GUI hears of it through the application object,
        // which outlives every widget; the guard is checked over there.
        const DatasetProgress progress = [job, self](qint64 done, qint64 total) {
            if (job->cancelled)
                return false;
            const int percent = total > 0 ? int(std::min<qint64>(100, done * 100 / total)) : 0;
            if (percent != job->postedPercent || total != job->postedTotal) {
                job->postedPercent = percent;
                job->postedTotal = total;
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [self, job, done, total] {
                        if (self && self->m_job == job)
                            self->onProgress(done, total);
                    },
                    Qt::QueuedConnection);
            }
            return true;
        };
        std::vector<PromptSpec> prompts;
        if (multiTurn) {
            std::optional<std::vector<ConversationScript>> scripts
                = loadConversations(job->config, l.tokenizer.get(), &l.error, progress);
            if (!scripts)
                return l;
            l.conversations = int(scripts->size());
            for (ConversationScript &s : *scripts) {
                for (PromptSpec &turn : s.turns)
                    prompts.push_back(std::move(turn));
            }
            l.lengthsEstimated = !l.tokenizer;
        } else {
            std::optional<DatasetResult> result = loadDataset(job->config, l.tokenizer.get(), &l.error, progress);
            if (!result)
                return l;
            prompts = std::move(result->prompts);
            l.lengthsEstimated = result->lengthsEstimated;
            l.warnings = result->warnings;
        }
        l.ok = true;
        l.summary = summarizePrompts(prompts, DatasetPreview::HistogramBins);
        l.input = lengths(prompts, true);
        l.output = lengths(prompts, false);
        prompts.resize(std::min<std::size_t>(prompts.size(), DatasetPreview::ShownPrompts));
        l.first = std::move(prompts);
        return l;
    };
    // A named future: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<Loaded> future = QtConcurrent::run(work);
    Loaded loaded = co_await future;
    if (!self || m_job != job)
        co_return;   // cancelled, or a newer source took over
    m_job.reset();
    if (loaded.tokenizer) {
        m_tokenizer = loaded.tokenizer;
        m_loadedTokenizerPath = job->tokenizerPath;
    }
    showLoaded(loaded);
}

void DatasetPreview::onProgress(qint64 done, qint64 total)
{
    m_progress->setValue(total > 0 ? int(std::min<qint64>(1000, done * 1000 / total)) : 0);
    Q_EMIT progressed(done, total);
}

void DatasetPreview::showLoaded(Loaded &loaded)
{
    m_warnings = loaded.warnings;
    if (!loaded.tokenizerProblem.isEmpty())
        m_warnings.prepend(tr("The tokenizer cannot be used, so lengths are estimated: %1").arg(loaded.tokenizerProblem));
    if (!loaded.ok) {
        m_summary = DatasetSummary();
        m_model->clear();
        setError(loaded.error);
        setStatus(Status::Failed);
        return;
    }
    m_summary = loaded.summary;
    m_conversations = loaded.conversations;
    m_lengthsEstimated = loaded.lengthsEstimated;
    m_model->setPrompts(std::move(loaded.first));
    m_inputChart->setDistribution(loaded.input);
    m_outputChart->setDistribution(loaded.output);
    setError(QString());
    setStatus(Status::Ready);
}

void DatasetPreview::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged(error);
}

void DatasetPreview::setStatus(Status status)
{
    m_status = status;
    m_progress->setVisible(status == Status::Loading);
    m_cancel->setVisible(status == Status::Loading);
    m_details->setVisible(status == Status::Ready);
    retranslateUi();
    Q_EMIT statusChanged(status);
}

void DatasetPreview::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // The engine's sentences were written in the old language: read the file again.
        if (m_hasSource && (m_status == Status::Failed || !m_warnings.isEmpty())) {
            cancelLoad();
            m_delay.start();
        }
    }
    QWidget::changeEvent(event);
}

void DatasetPreview::retranslateUi()
{
    m_cancel->setText(tr("Cancel"));
    m_model->retranslate();
    m_inputChart->setTitles(tr("Input lengths"), tr("Input tokens"));
    m_outputChart->setTitles(tr("Output lengths"), tr("Output tokens"));
    const QLocale locale;
    switch (m_status) {
    case Status::Empty:
        m_count->clear();
        m_notes->clear();
        return;
    case Status::Loading:
        m_count->setText(tr("Reading the dataset…"));
        m_notes->clear();
        return;
    case Status::Failed:
        m_count->setText(tr("The dataset cannot be used."));
        m_notes->setText(m_warnings.join(u'\n'));
        return;
    case Status::Ready:
        break;
    }
    QString count = m_conversations > 0
        ? tr("%1 conversations, %n turns in all.", nullptr, m_summary.count).arg(locale.toString(m_conversations))
        : tr("%n prompt(s) will be sent.", nullptr, m_summary.count);
    if (m_summary.count > 0)
        count += u'\n' + lengthLine(tr("Input"), m_summary.input) + u'\n' + lengthLine(tr("Output"), m_summary.output);
    m_count->setText(count);
    QStringList notes = m_warnings;
    if (m_lengthsEstimated && notes.isEmpty())
        notes.append(tr("Lengths are estimates; choose a tokenizer for exact counts."));
    m_notes->setText(notes.join(u'\n'));
}

} // namespace ts
