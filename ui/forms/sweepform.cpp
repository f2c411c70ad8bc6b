#include "forms/sweepform.h"

#include "forms/fieldfeedback.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>

namespace ts {

SweepForm::SweepForm(QWidget *parent)
    : QGroupBox(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_kind = new QComboBox(this);
    for (RunKind kind : { RunKind::Single, RunKind::ConcurrencySweep, RunKind::RateSweep })
        m_kind->addItem(QString(), int(kind));
    addFormRow(m_layout, m_kind);
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addRow(m_description);

    m_levels = new QLineEdit(this);
    addFormRow(m_layout, m_levels);
    m_levelsMessage = new FieldMessage(this);
    m_layout->addRow(m_levelsMessage);
    m_multiplier = addDouble(0.1, 10000.0, 1);
    m_minPrompts = new QSpinBox(this);
    m_minPrompts->setRange(1, 1'000'000);
    m_minPrompts->setGroupSeparatorShown(true);
    addFormRow(m_layout, m_minPrompts);
    m_plan = new QLabel(this);
    m_plan->setWordWrap(true);
    m_plan->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addRow(m_plan);

    m_rulesTitle = new QLabel(this);
    m_rulesTitle->setWordWrap(true);
    m_layout->addRow(m_rulesTitle);
    m_minSuccess = addDouble(0.0, 100.0, 1);
    m_sloTtft = addDouble(0.0, 3'600'000.0, 0);
    m_sloTpot = addDouble(0.0, 3'600'000.0, 1);
    m_sloE2el = addDouble(0.0, 3'600'000.0, 0);
    m_minGain = addDouble(0.0, 1000.0, 1);
    m_runAll = new QCheckBox(this);
    m_layout->addRow(m_runAll);

    m_dirRow = new QWidget(this);
    auto *dirLayout = new QHBoxLayout(m_dirRow);
    dirLayout->setContentsMargins(0, 0, 0, 0);
    m_resultDir = new QLineEdit(m_dirRow);
    m_resultDir->setClearButtonEnabled(true);
    m_browse = new QPushButton(m_dirRow);
    dirLayout->addWidget(m_resultDir, 1);
    dirLayout->addWidget(m_browse);
    addFormRow(m_layout, m_dirRow);
    m_dirMessage = new FieldMessage(this);
    m_layout->addRow(m_dirMessage);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &SweepForm::onKindChanged);
    connect(m_levels, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_switching)
            return;
        (m_shownMode == SweepMode::RequestRate ? m_rateLevels : m_concurrencyLevels) = text;
        updatePlan();
        Q_EMIT changed();
    });
    connect(m_multiplier, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (m_switching)
            return;
        (m_shownMode == SweepMode::RequestRate ? m_rateMultiplier : m_concurrencyMultiplier) = value;
        updatePlan();
    });
    connect(m_minPrompts, &QSpinBox::valueChanged, this, [this] {
        updatePlan();
        Q_EMIT changed();
    });
    connect(m_runAll, &QCheckBox::toggled, this, &SweepForm::changed);
    connect(m_resultDir, &QLineEdit::textChanged, this, &SweepForm::changed);
    connect(m_browse, &QPushButton::clicked, this, &SweepForm::browse);

    load(SweepFormState());
    retranslateUi();
}

QDoubleSpinBox *SweepForm::addDouble(double min, double max, int decimals)
{
    auto *box = new QDoubleSpinBox(this);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setGroupSeparatorShown(true);
    box->setAccelerated(true);
    connect(box, &QDoubleSpinBox::valueChanged, this, &SweepForm::changed);
    addFormRow(m_layout, box);
    return box;
}

RunKind SweepForm::kind() const
{
    return RunKind(m_kind->currentData().toInt());
}

void SweepForm::apply(SweepFormState &state) const
{
    state.kind = kind();
    state.concurrencyLevels = m_concurrencyLevels;
    state.rateLevels = m_rateLevels;
    state.concurrencyMultiplier = m_concurrencyMultiplier;
    state.rateMultiplier = m_rateMultiplier;
    state.minPrompts = m_minPrompts->value();
    SweepStopRules &r = state.rules;
    r.minSuccessRatePercent = m_minSuccess->value();
    const auto limit = [](const QDoubleSpinBox *box) {
        return box->value() > 0 ? std::optional<double>(box->value()) : std::nullopt;
    };
    r.maxP99TtftMs = limit(m_sloTtft);
    r.maxP99TpotMs = limit(m_sloTpot);
    r.maxP99E2elMs = limit(m_sloE2el);
    r.minThroughputGainPercent = m_minGain->value();
    r.stopAtLimit = !m_runAll->isChecked();
    state.resultDir = m_resultDir->text().trimmed();
}

void SweepForm::load(const SweepFormState &state)
{
    m_switching = true;
    m_concurrencyLevels = state.concurrencyLevels;
    m_rateLevels = state.rateLevels;
    m_concurrencyMultiplier = state.concurrencyMultiplier;
    m_rateMultiplier = state.rateMultiplier;
    m_minPrompts->setValue(state.minPrompts);
    m_minSuccess->setValue(state.rules.minSuccessRatePercent);
    m_sloTtft->setValue(state.rules.maxP99TtftMs.value_or(0.0));
    m_sloTpot->setValue(state.rules.maxP99TpotMs.value_or(0.0));
    m_sloE2el->setValue(state.rules.maxP99E2elMs.value_or(0.0));
    m_minGain->setValue(state.rules.minThroughputGainPercent);
    m_runAll->setChecked(!state.rules.stopAtLimit);
    m_resultDir->setText(state.resultDir);
    m_switching = false;
    // Shows the chosen mode's list even when the kind does not change.
    m_kind->blockSignals(true);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(state.kind))));
    m_kind->blockSignals(false);
    onKindChanged();
}

void SweepForm::onKindChanged()
{
    const RunKind k = kind();
    if (k != RunKind::Single)
        m_shownMode = k == RunKind::RateSweep ? SweepMode::RequestRate : SweepMode::Concurrency;
    m_switching = true;
    const bool rate = m_shownMode == SweepMode::RequestRate;
    m_levels->setText(rate ? m_rateLevels : m_concurrencyLevels);
    m_multiplier->setValue(rate ? m_rateMultiplier : m_concurrencyMultiplier);
    m_switching = false;
    updateRows();
    updatePlan();
    retranslateUi();
    Q_EMIT changed();
}

void SweepForm::updateRows()
{
    const bool sweep = kind() != RunKind::Single;
    for (QWidget *w : std::initializer_list<QWidget *> { m_levels, m_multiplier, m_minPrompts, m_minSuccess, m_sloTtft,
                                                         m_sloTpot, m_sloE2el, m_minGain, m_runAll, m_dirRow })
        m_layout->setRowVisible(w, sweep);
    for (QWidget *w : std::initializer_list<QWidget *> { m_plan, m_rulesTitle })
        m_layout->setRowVisible(w, sweep);
    if (!sweep) {
        m_levelsMessage->setMessage(QString());
        m_dirMessage->setMessage(QString());
        setFieldError(m_levels, m_levelsMessage, QString());
        setFieldError(m_resultDir, m_dirMessage, QString());
    }
}

void SweepForm::updatePlan()
{
    if (kind() == RunKind::Single) {
        m_plan->clear();
        return;
    }
    SweepConfig config;
    config.mode = m_shownMode;
    config.promptsPerLevelMultiplier = m_multiplier->value();
    config.minPromptsPerLevel = m_minPrompts->value();
    const std::optional<std::vector<double>> levels = parseSweepLevels(m_levels->text(), config.mode, nullptr);
    if (!levels) {
        m_plan->clear();
        return;
    }
    QStringList counts;
    qint64 total = 0;
    for (double level : *levels) {
        const int n = config.promptsForLevel(level);
        total += n;
        counts << QLocale().toString(n);
    }
    m_plan->setText(tr("%n level(s), %1 requests at most: %2.", nullptr, int(levels->size()))
                        .arg(QLocale().toString(total), counts.join(QStringLiteral(", "))));
}

QString SweepForm::validate()
{
    if (kind() == RunKind::Single)
        return {};
    QString problem;   // set only when the list cannot be used
    parseSweepLevels(m_levels->text(), m_shownMode, &problem);
    setFieldError(m_levels, m_levelsMessage, problem);

    QString dirProblem;
    const QString dir = m_resultDir->text().trimmed();
    if (!dir.isEmpty() && QFileInfo::exists(dir) && !QFileInfo(dir).isDir())
        dirProblem = tr("“%1” is a file, not a folder.").arg(dir);
    setFieldError(m_resultDir, m_dirMessage, dirProblem);
    return !problem.isEmpty() ? problem : dirProblem;
}

void SweepForm::browse()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the sweep's result files"), m_resultDir->text());
    if (!dir.isEmpty())
        m_resultDir->setText(dir);
}

void SweepForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        updatePlan();
    }
    QGroupBox::changeEvent(event);
}

void SweepForm::retranslateUi()
{
    setTitle(tr("Sweep: find the server's limit"));
    const bool rate = m_shownMode == SweepMode::RequestRate;

    setFormLabel(m_layout, m_kind, tr("Start runs"));
    m_kind->setItemText(0, tr("A single run"));
    m_kind->setItemText(1, tr("A concurrency sweep"));
    m_kind->setItemText(2, tr("A request-rate sweep"));
    m_kind->setToolTip(fieldTip(tr("What Start runs"),
        tr("A single run uses the Load group's numbers. A concurrency sweep is the guide's recommended method 1: it runs the test again and again at rising maximum concurrency (1, 5, 10, 20, 50, …), each level a full run, and stops at the first level where the server degrades. It answers how many users at once the server holds, and where its knee is. A request-rate sweep is method 2: rising request rates under the Load group's concurrency cap, like traffic that grows.")));
    switch (kind()) {
    case RunKind::Single:
        m_description->setText(tr("One run with the numbers of the Load group."));
        break;
    case RunKind::ConcurrencySweep:
        m_description->setText(tr("Each level sets the maximum concurrency and the number of requests, and releases all of them at once (rate inf); the Load group's requests, rate and concurrency are not used. The result appears level by level in the Sweep tab."));
        break;
    case RunKind::RateSweep:
        m_description->setText(tr("Each level sets the request rate and the number of requests; the Load group's maximum concurrency caps every level. The result appears level by level in the Sweep tab."));
        break;
    }

    setFormLabel(m_layout, m_levels, rate ? tr("Request rates") : tr("Concurrency levels"));
    m_levels->setPlaceholderText(rate ? tr("e.g. 1, 2, 5, 10, 20") : tr("e.g. 1, 5, 10, 20, 50, 100"));
    m_levels->setToolTip(rate
        ? fieldTip(tr("Request rates (--request-rates)"),
                   tr("The request rate of each level in requests per second, rising, separated by commas or spaces. Pick rates around the traffic you expect, and a few beyond it."))
        : fieldTip(tr("Concurrency levels (--concurrency-levels)"),
                   tr("The maximum concurrency of each level, rising, separated by commas or spaces. The guide's loop uses 1 5 10 20 50 100 200 500. Closer steps around the expected limit place the knee more precisely.")));

    setFormLabel(m_layout, m_multiplier, tr("Requests per level"));
    m_multiplier->setSuffix(rate ? tr(" × rate") : tr(" × concurrency"));
    m_multiplier->setToolTip(rate
        ? fieldTip(tr("Requests per level (--prompts-per-level-multiplier)"),
                   tr("Each level sends this many times its rate in requests, about this many seconds of arrivals, so that the server reaches a steady state. Default 30."))
        : fieldTip(tr("Requests per level (--prompts-per-level-multiplier)"),
                   tr("Each level sends this many times its concurrency in requests, so that every slot serves several requests and the numbers settle. The guide suggests 5–10 times the concurrency. Default 5.")));
    setFormLabel(m_layout, m_minPrompts, tr("At least"));
    m_minPrompts->setSuffix(tr(" requests"));
    m_minPrompts->setToolTip(fieldTip(tr("Fewest requests in a level (--min-prompts-per-level)"),
        tr("Low levels still send this many requests, so that their percentiles rest on a sample worth measuring. Default 50.")));

    m_rulesTitle->setText(tr("Stop rules: the sweep ends at the first level that breaks one, and the level before it is the highest stable one."));
    setFormLabel(m_layout, m_minSuccess, tr("Min. success rate"));
    m_minSuccess->setSuffix(tr(" %"));
    m_minSuccess->setToolTip(fieldTip(tr("Success-rate limit (--min-success-rate)"),
        tr("The guide's loop stops when fewer than 95% of the requests succeed (190 of 200): the server is past its limit and rejects requests or lets them time out.")));

    const QString off = tr("off");
    const QString ms = tr(" ms");
    for (QDoubleSpinBox *box : { m_sloTtft, m_sloTpot, m_sloE2el }) {
        box->setSpecialValueText(off);
        box->setSuffix(ms);
    }
    setFormLabel(m_layout, m_sloTtft, tr("Max. p99 TTFT"));
    m_sloTtft->setToolTip(fieldTip(tr("p99 TTFT limit (--slo-p99 ttft:MS)"),
        tr("Stop when the 99th percentile of the time to first token exceeds this: 99 of 100 users must see the answer begin within it. The guide calls under 200 ms good and over 500 ms in need of work. 0 turns the rule off.")));
    setFormLabel(m_layout, m_sloTpot, tr("Max. p99 TPOT"));
    m_sloTpot->setToolTip(fieldTip(tr("p99 TPOT limit (--slo-p99 tpot:MS)"),
        tr("Stop when the 99th percentile of the time per output token exceeds this: the answer streams too slowly. The guide calls under 100 ms good and over 200 ms in need of work. 0 turns the rule off.")));
    setFormLabel(m_layout, m_sloE2el, tr("Max. p99 E2EL"));
    m_sloE2el->setToolTip(fieldTip(tr("p99 end-to-end limit (--slo-p99 e2el:MS)"),
        tr("Stop when the 99th percentile of the time for the whole answer exceeds this. 0 turns the rule off.")));

    setFormLabel(m_layout, m_minGain, tr("Min. throughput gain"));
    m_minGain->setSuffix(tr(" %"));
    m_minGain->setSpecialValueText(off);
    m_minGain->setToolTip(fieldTip(tr("Throughput-plateau limit (--min-throughput-gain)"),
        tr("Stop when output tokens/s rose by less than this over the best earlier level: more load no longer buys throughput, only waiting. That is the knee, the guide's “concurrency efficiency” falling to nothing. 0 turns the rule off.")));

    m_runAll->setText(tr("Run every level; only mark the limits"));
    m_runAll->setToolTip(fieldTip(tr("Run every level (--run-all-levels)"),
        tr("Go on past a broken rule to see the whole curve; the table and the charts still mark the levels that broke a rule.")));

    setFormLabel(m_layout, m_dirRow, tr("Result folder"));
    m_resultDir->setPlaceholderText(tr("optional: no files are written"));
    m_browse->setText(tr("Browse…"));
    m_dirRow->setToolTip(fieldTip(tr("Result folder (--result-dir)"),
        tr("Where each level's result JSON and the sweep's summary JSON and CSV are written, named as the command line names them. Empty: nothing is written during the sweep; the summary can still be saved from the Sweep tab.")));
}

} // namespace ts
