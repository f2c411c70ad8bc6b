#include "forms/loadform.h"

#include "forms/fieldfeedback.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

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
    m_numPrompts = addInt(1, 10'000'000);
    m_rate = addDouble(0.0, 1'000'000.0, 2);
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

    // Burstiness shapes the gaps between arrivals; with an infinite rate there are none.
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, [this](double rate) { m_burstiness->setEnabled(rate > 0); });
    retranslateUi();
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
    m_numPrompts->setValue(l.numPrompts);
    m_rate->setValue(l.hasFiniteRate() ? l.requestRate : 0.0);
    m_burstiness->setValue(l.burstiness);
    m_burstiness->setEnabled(l.hasFiniteRate());
    m_concurrency->setValue(l.maxConcurrency);
    m_warmups->setValue(l.numWarmups);
    m_seed->setValue(int(std::min<std::uint64_t>(l.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    m_timeout->setValue(config.target.requestTimeoutS);
    m_goodputTtft->setValue(config.metrics.goodputTtftMs.value_or(0.0));
    m_goodputTpot->setValue(config.metrics.goodputTpotMs.value_or(0.0));
    m_goodputE2el->setValue(config.metrics.goodputE2elMs.value_or(0.0));
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

    setFormLabel(m_layout, m_numPrompts, tr("Requests"));
    m_numPrompts->setToolTip(fieldTip(tr("Number of requests (--num-prompts)"),
        tr("How many requests the test sends in total. It sets the sample size and the duration: 10–50 for a quick check, 100–500 for a function test, 1000–5000 for a benchmark; about 5–10 times the concurrency.")));

    setFormLabel(m_layout, m_rate, tr("Request rate"));
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setSpecialValueText(tr("inf: all at once"));
    m_rate->setToolTip(fieldTip(tr("Request rate (--request-rate)"),
        tr("How many requests start per second, like users arriving. “inf” releases all of them at once to find the server's limit; a number such as 1–50 imitates real traffic, 5–20 suits a stability test.")));

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
}

} // namespace ts
