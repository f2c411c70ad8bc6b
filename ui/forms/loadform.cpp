#include "forms/loadform.h"

#include "forms/fieldfeedback.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStandardItemModel>

#include <algorithm>
#include <limits>

namespace ts {

namespace {

std::optional<double> slo(const QDoubleSpinBox *box)
{
    return box->value() > 0 ? std::optional<double>(box->value()) : std::nullopt;
}

} // namespace

LoadForm::LoadForm(QWidget *parent)
    : QGroupBox(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_shape = addCombo();
    for (LoadShape shape : { LoadShape::ConstantRate, LoadShape::RampUp, LoadShape::TimeLimit, LoadShape::TraceReplay })
        m_shape->addItem(QString(), int(shape));
    m_numPrompts = addInt(1, 10'000'000);
    m_rate = addDouble(0.0, 1'000'000.0, 2);
    m_rampStrategy = addCombo();
    for (RampUpStrategy strategy : { RampUpStrategy::Linear, RampUpStrategy::Exponential })
        m_rampStrategy->addItem(QString(), rampUpStrategyName(strategy));
    // Whole requests per second, as vLLM takes them.
    m_rampStart = addInt(0, 1'000'000);
    m_rampEnd = addInt(0, 1'000'000);
    m_rampStart->setValue(1);
    m_rampEnd->setValue(20);
    m_duration = addDouble(1.0, 7.0 * 86'400.0, 0);
    m_duration->setValue(60.0);
    m_durationEnd = addCombo();
    m_durationEnd->addItem(QString(), false);
    m_durationEnd->addItem(QString(), true);
    m_traceScale = addDouble(0.01, 1000.0, 2);
    m_traceScale->setSingleStep(0.1);
    m_traceScale->setValue(1.0);
    m_shapeMessage = new FieldMessage(this);
    m_layout->addRow(m_shapeMessage);
    m_burstiness = addDouble(0.01, 1000.0, 2);
    m_burstiness->setSingleStep(0.1);
    m_concurrency = addInt(0, 1'000'000);
    m_warmups = addInt(0, 100'000);
    m_timeout = addDouble(0.0, 86'400.0, 0);
    m_seed = addInt(0, std::numeric_limits<int>::max());
    m_seed->setGroupSeparatorShown(false);
    m_goodputTitle = new QLabel(this);
    m_goodputTitle->setWordWrap(true);
    m_layout->addRow(m_goodputTitle);
    m_goodputTtft = addDouble(0.0, 3'600'000.0, 0);
    m_goodputTpot = addDouble(0.0, 3'600'000.0, 0);
    m_goodputE2el = addDouble(0.0, 3'600'000.0, 0);

    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &LoadForm::updateRows);
    connect(m_shape, &QComboBox::currentIndexChanged, this, &LoadForm::updateRows);
    m_countBeforeTrace = m_numPrompts->value();
    updateShapeChoices();
    retranslateUi();
}

QComboBox *LoadForm::addCombo()
{
    auto *box = new QComboBox(this);
    connect(box, &QComboBox::currentIndexChanged, this, &LoadForm::changed);
    addFormRow(m_layout, box);
    return box;
}

LoadShape LoadForm::shape() const
{
    return LoadShape(m_shape->currentData().toInt());
}

void LoadForm::setShape(LoadShape shape)
{
    m_shape->setCurrentIndex(m_shape->findData(int(shape)));
}

void LoadForm::setTraceDataset(bool trace)
{
    if (trace == m_traceDataset)
        return;
    m_traceDataset = trace;
    if (trace) {
        m_countBeforeTrace = m_numPrompts->value();
        updateShapeChoices();
        setShape(LoadShape::TraceReplay);
        updateRows();
        m_numPrompts->setValue(0);
    } else {
        updateShapeChoices();
        if (shape() == LoadShape::TraceReplay)
            setShape(LoadShape::ConstantRate);
        updateRows();
        m_numPrompts->setValue(std::max(1, m_countBeforeTrace));
    }
}

void LoadForm::updateShapeChoices()
{
    // A trace's own times exclude every other shape, as the engine says; the others need a rate.
    auto *model = qobject_cast<QStandardItemModel *>(m_shape->model());
    for (int i = 0; i < m_shape->count(); ++i) {
        const bool traceItem = LoadShape(m_shape->itemData(i).toInt()) == LoadShape::TraceReplay;
        if (QStandardItem *item = model ? model->item(i) : nullptr)
            item->setEnabled(traceItem == m_traceDataset);
    }
}

void LoadForm::updateRows()
{
    const LoadShape s = shape();
    const bool trace = s == LoadShape::TraceReplay;
    m_layout->setRowVisible(m_rate, s != LoadShape::RampUp && !trace);
    m_layout->setRowVisible(m_traceScale, trace);
    // 0 takes every record of the trace; any other run sends at least one request.
    m_numPrompts->setMinimum(trace ? 0 : 1);
    m_numPrompts->setSpecialValueText(trace ? tr("all records") : QString());
    for (QWidget *w : std::initializer_list<QWidget *> { m_rampStrategy, m_rampStart, m_rampEnd })
        m_layout->setRowVisible(w, s == LoadShape::RampUp);
    for (QWidget *w : std::initializer_list<QWidget *> { m_duration, m_durationEnd })
        m_layout->setRowVisible(w, s == LoadShape::TimeLimit);
    // Burstiness shapes the gaps between arrivals; with an infinite rate there are none.
    m_burstiness->setEnabled(!trace && (s == LoadShape::RampUp || m_rate->value() > 0));
    // A timed run cycles through its prompts, so the count is how many different ones there are.
    setFormLabel(m_layout, m_numPrompts, s == LoadShape::TimeLimit ? tr("Prompts") : tr("Requests"));
}

QDoubleSpinBox *LoadForm::addDouble(double min, double max, int decimals)
{
    auto *box = new QDoubleSpinBox(this);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setGroupSeparatorShown(true);
    box->setAccelerated(true);
    connect(box, &QDoubleSpinBox::valueChanged, this, &LoadForm::changed);
    addFormRow(m_layout, box);
    return box;
}

QSpinBox *LoadForm::addInt(int min, int max)
{
    auto *box = new QSpinBox(this);
    box->setRange(min, max);
    box->setGroupSeparatorShown(true);
    box->setAccelerated(true);
    connect(box, &QSpinBox::valueChanged, this, &LoadForm::changed);
    addFormRow(m_layout, box);
    return box;
}

void LoadForm::apply(BenchmarkConfig &config) const
{
    LoadConfig &l = config.load;
    l.numPrompts = m_numPrompts->value();
    l.requestRate = m_rate->value() > 0 ? m_rate->value() : std::numeric_limits<double>::infinity();
    l.rampUpStrategy = RampUpStrategy::None;
    l.rampUpStartRps.reset();
    l.rampUpEndRps.reset();
    l.durationS = 0.0;
    l.durationCancel = false;
    l.traceTimeScale = m_traceScale->value();
    switch (shape()) {
    case LoadShape::ConstantRate:
        break;
    case LoadShape::RampUp:
        // The ramp sets the rate; the engine refuses a request rate next to it.
        l.requestRate = std::numeric_limits<double>::infinity();
        l.rampUpStrategy = rampUpStrategyFromName(m_rampStrategy->currentData().toString()).value_or(RampUpStrategy::Linear);
        l.rampUpStartRps = m_rampStart->value();
        l.rampUpEndRps = m_rampEnd->value();
        break;
    case LoadShape::TimeLimit:
        l.durationS = m_duration->value();
        l.durationCancel = m_durationEnd->currentData().toBool();
        break;
    case LoadShape::TraceReplay:
        // The trace sets every send time; the engine refuses a request rate next to it.
        l.requestRate = std::numeric_limits<double>::infinity();
        break;
    }
    l.burstiness = m_burstiness->value();
    l.maxConcurrency = m_concurrency->value();
    l.numWarmups = m_warmups->value();
    l.seed = std::uint64_t(m_seed->value());
    config.target.requestTimeoutS = m_timeout->value();
    config.metrics.goodputTtftMs = slo(m_goodputTtft);
    config.metrics.goodputTpotMs = slo(m_goodputTpot);
    config.metrics.goodputE2elMs = slo(m_goodputE2el);
}

void LoadForm::load(const BenchmarkConfig &config)
{
    const LoadConfig &l = config.load;
    const bool trace = ts::isTraceDataset(config.datasetName);
    m_traceDataset = trace;
    updateShapeChoices();
    m_traceScale->setValue(l.traceTimeScale > 0 ? l.traceTimeScale : 1.0);
    m_rate->setValue(l.hasFiniteRate() ? l.requestRate : 0.0);
    m_burstiness->setValue(l.burstiness);
    if (l.hasRampUp()) {
        m_rampStrategy->setCurrentIndex(std::max(0, m_rampStrategy->findData(rampUpStrategyName(l.rampUpStrategy))));
        m_rampStart->setValue(l.rampUpStartRps.value_or(1));
        m_rampEnd->setValue(l.rampUpEndRps.value_or(20));
    }
    if (l.hasDurationLimit()) {
        m_duration->setValue(l.durationS);
        m_durationEnd->setCurrentIndex(m_durationEnd->findData(l.durationCancel));
    }
    setShape(trace ? LoadShape::TraceReplay
             : l.hasRampUp() ? LoadShape::RampUp
             : l.hasDurationLimit() ? LoadShape::TimeLimit
                                    : LoadShape::ConstantRate);
    updateRows();
    // After the rows: the trace's count may be 0, which only the trace's range allows.
    m_numPrompts->setValue(l.numPrompts);
    m_countBeforeTrace = trace ? LoadConfig().numPrompts : l.numPrompts;
    m_concurrency->setValue(l.maxConcurrency);
    m_warmups->setValue(l.numWarmups);
    m_seed->setValue(int(std::min<std::uint64_t>(l.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    m_timeout->setValue(config.target.requestTimeoutS);
    m_goodputTtft->setValue(config.metrics.goodputTtftMs.value_or(0.0));
    m_goodputTpot->setValue(config.metrics.goodputTpotMs.value_or(0.0));
    m_goodputE2el->setValue(config.metrics.goodputE2elMs.value_or(0.0));
}

QString LoadForm::validate(bool multiTurn, bool sweep)
{
    // The engine's own rules, on a configuration that differs from a valid one only in the load.
    BenchmarkConfig config;
    if (multiTurn) {
        // Everything else a multi-turn run needs, so that only the load can be wrong.
        config.multiTurn = true;
        config.datasetName = QStringLiteral("sharegpt");
        config.target.backend = QStringLiteral("openai-chat");
    }
    if (m_traceDataset)
        config.datasetName = QStringLiteral("mooncake");
    apply(config);
    QString error = validationError(config);
    const LoadShape s = shape();
    if (error.isEmpty() && sweep && s == LoadShape::TraceReplay)
        error = tr("A sweep sets the rate and the number of requests of each level, but a trace brings its own: run the trace once, without a sweep.");
    else if (error.isEmpty() && sweep && s != LoadShape::ConstantRate)
        error = tr("A sweep sets the rate and the number of requests of each level: choose “Constant rate”.");
    const bool sweepError = sweep && s != LoadShape::ConstantRate;
    setFieldError(m_shape, nullptr, sweepError ? error : QString());
    setFieldError(m_rampStart, nullptr, s == LoadShape::RampUp ? error : QString());
    setFieldError(m_rampEnd, nullptr, s == LoadShape::RampUp ? error : QString());
    setFieldError(m_duration, nullptr, s == LoadShape::TimeLimit ? error : QString());
    setFieldError(m_rate, nullptr, s == LoadShape::ConstantRate ? error : QString());
    setFieldError(m_traceScale, nullptr, s == LoadShape::TraceReplay ? error : QString());
    m_shapeMessage->setMessage(error);
    return error;
}

void LoadForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void LoadForm::retranslateUi()
{
    setTitle(tr("Load"));

    setFormLabel(m_layout, m_shape, tr("Load shape"));
    m_shape->setItemText(0, tr("Constant rate"));
    m_shape->setItemText(1, tr("Ramp up"));
    m_shape->setItemText(2, tr("Stop after a time"));
    m_shape->setItemText(3, tr("Replay trace timing"));
    m_shape->setToolTip(fieldTip(tr("Load shape"),
        tr("How requests arrive over the run. Constant rate keeps one pace from start to end. Ramp up raises the rate request by request, to find where the server starts to fall behind. Stop after a time sends at a constant rate for a set number of seconds, like a stability test. Replay trace timing sends each request of a trace at the time it recorded; it is the only shape for a trace dataset.")));

    setFormLabel(m_layout, m_traceScale, tr("Time scale"));
    m_traceScale->setPrefix(tr("× "));
    m_traceScale->setToolTip(fieldTip(tr("Trace time scale (--trace-time-scale)"),
        tr("Multiplies the trace's timestamps: 1 replays it as recorded, 0.5 twice as fast, 2 half as fast. A faster replay puts more load on the server with the same requests.")));

    m_numPrompts->setToolTip(fieldTip(tr("Number of requests (--num-prompts)"),
        tr("How many requests the test sends in total. It sets the sample size and the duration: 10–50 for a quick check, 100–500 for a function test, 1000–5000 for a benchmark; about 5–10 times the concurrency. A run that stops after a time cycles through this many different prompts.")));

    setFormLabel(m_layout, m_rate, tr("Request rate"));
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setSpecialValueText(tr("inf: all at once"));
    m_rate->setToolTip(fieldTip(tr("Request rate (--request-rate)"),
        tr("How many requests start per second, like users arriving. “inf” releases all of them at once to find the server's limit; a number such as 1–50 imitates real traffic, 5–20 suits a stability test.")));

    setFormLabel(m_layout, m_rampStrategy, tr("Ramp"));
    m_rampStrategy->setItemText(0, tr("Linear"));
    m_rampStrategy->setItemText(1, tr("Exponential"));
    m_rampStrategy->setToolTip(fieldTip(tr("Ramp-up strategy (--ramp-up-strategy)"),
        tr("Linear adds the same number of requests per second at every step. Exponential multiplies the rate: it stays long at low rates and climbs fast at the end.")));

    const QString rps = tr(" req/s");
    setFormLabel(m_layout, m_rampStart, tr("From"));
    m_rampStart->setSuffix(rps);
    m_rampStart->setToolTip(fieldTip(tr("Ramp-up start rate (--ramp-up-start-rps)"),
        tr("Requests per second when the first request is sent. Whole numbers, as in vLLM, at least 1.")));
    setFormLabel(m_layout, m_rampEnd, tr("To"));
    m_rampEnd->setSuffix(rps);
    m_rampEnd->setToolTip(fieldTip(tr("Ramp-up end rate (--ramp-up-end-rps)"),
        tr("Requests per second reached at the last request. In the live chart, where the sent rate stops following the target, the server or the concurrency limit has become the bottleneck.")));

    setFormLabel(m_layout, m_duration, tr("Duration"));
    m_duration->setSuffix(tr(" s"));
    m_duration->setToolTip(fieldTip(tr("Duration (--duration)"),
        tr("Keep sending at the request rate for this many seconds. A long run shows whether latency stays steady once caches fill and memory is in use; the guide suggests 5–20 req/s for such a stability test.")));
    setFormLabel(m_layout, m_durationEnd, tr("At the end"));
    m_durationEnd->setItemText(0, tr("Let running requests finish"));
    m_durationEnd->setItemText(1, tr("Cancel running requests"));
    m_durationEnd->setToolTip(fieldTip(tr("Requests in flight at the end (--duration-cancel)"),
        tr("Let them finish: requests still running complete and are measured. Cancel them: they are aborted and count as failed, so the run ends on time.")));

    setFormLabel(m_layout, m_burstiness, tr("Burstiness"));
    m_burstiness->setToolTip(fieldTip(tr("Burstiness (--burstiness)"),
        tr("How evenly requests arrive at a finite rate. 1 is random arrivals (a Poisson process); larger values are more regular, smaller values come in bursts.")));

    setFormLabel(m_layout, m_concurrency, tr("Max concurrency"));
    m_concurrency->setSpecialValueText(tr("no limit"));
    m_concurrency->setToolTip(fieldTip(tr("Maximum concurrency (--max-concurrency)"),
        tr("The most requests in flight at the same time; further arrivals wait for a free slot. This is the key setting for testing how many parallel users a server supports: too low keeps the throughput down, too high can overload the server.")));

    setFormLabel(m_layout, m_warmups, tr("Warm-up requests"));
    m_warmups->setToolTip(fieldTip(tr("Warm-up requests (--num-warmups)"),
        tr("Requests sent before the measurement and left out of the results, so that a cold server (loading, compiling, filling caches) does not spoil the first numbers.")));

    setFormLabel(m_layout, m_timeout, tr("Timeout"));
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("none"));
    m_timeout->setToolTip(fieldTip(tr("Request timeout"),
        tr("A request that takes longer than this counts as failed. 0 waits forever.")));

    setFormLabel(m_layout, m_seed, tr("Random seed"));
    m_seed->setToolTip(fieldTip(tr("Random seed (--seed)"),
        tr("The same seed gives the same prompts and arrival times, so two runs can be compared fairly.")));

    m_goodputTitle->setText(tr("Goodput limits: a request counts as good when it meets all limits that are set."));
    const QString off = tr("off");
    const QString ms = tr(" ms");
    for (QDoubleSpinBox *box : { m_goodputTtft, m_goodputTpot, m_goodputE2el }) {
        box->setSpecialValueText(off);
        box->setSuffix(ms);
    }
    setFormLabel(m_layout, m_goodputTtft, tr("TTFT at most"));
    m_goodputTtft->setToolTip(fieldTip(tr("Goodput: TTFT limit (--goodput ttft:MS)"),
        tr("The longest acceptable time to the first token. Goodput counts the requests per second that meet every limit.")));
    setFormLabel(m_layout, m_goodputTpot, tr("TPOT at most"));
    m_goodputTpot->setToolTip(fieldTip(tr("Goodput: TPOT limit (--goodput tpot:MS)"),
        tr("The longest acceptable average time per output token after the first.")));
    setFormLabel(m_layout, m_goodputE2el, tr("E2EL at most"));
    m_goodputE2el->setToolTip(fieldTip(tr("Goodput: end-to-end limit (--goodput e2el:MS)"),
        tr("The longest acceptable time for the whole answer.")));
    updateRows();
}

} // namespace ts
