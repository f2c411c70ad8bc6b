#include "settings.h"

#include <QSettings>

#include <array>

namespace ts {

namespace {

struct Entry
{
    Settings::Key key;
    const char *name;
    QVariant defaultValue;
};

using K = Settings::Key;

// The defaults of a first launch: the built-in server and a short run that shows every
// chart moving within a few seconds.
const std::array<Entry, std::size_t(K::KeyCount)> &table()
{
    static const std::array<Entry, std::size_t(K::KeyCount)> entries { {
        { K::WindowGeometry, "window/geometry", QByteArray() },
        { K::WindowState, "window/state", QByteArray() },
        { K::MainSplitterState, "window/mainSplitter", QByteArray() },
        { K::Language, "ui/language", QString() },
        { K::LastDirectory, "ui/lastDirectory", QString() },
        { K::DemoServerEnabled, "demo/enabled", true },
        { K::DemoServerPreset, "demo/preset", QStringLiteral("gpu-fast") },
        { K::DemoServerReasoningTokens, "demo/reasoningTokens", 0 },
        { K::Scenario, "form/scenario", QString() },
        { K::Backend, "target/backend", QStringLiteral("openai") },
        { K::BaseUrl, "target/baseUrl", QStringLiteral("http://127.0.0.1:8000") },
        { K::Endpoint, "target/endpoint", QStringLiteral("/v1/completions") },
        { K::Model, "target/model", QString() },
        { K::ExtraHeaders, "target/extraHeaders", QString() },
        { K::Insecure, "target/insecure", false },
        { K::RememberApiKey, "target/rememberApiKey", false },
        { K::WatchServerMetrics, "target/watchServerMetrics", true },
        { K::ReasoningTags, "target/reasoningTags", false },
        { K::DatasetName, "workload/dataset", QStringLiteral("random") },
        { K::DatasetPath, "workload/datasetPath", QString() },
        { K::InputLen, "workload/inputLen", 512 },
        { K::OutputLen, "workload/outputLen", 128 },
        { K::RangeRatio, "workload/rangeRatio", 0.0 },
        { K::PrefixLen, "workload/prefixLen", 0 },
        { K::TokenizerPath, "workload/tokenizerPath", QString() },
        { K::MultiTurn, "workload/multiTurn", false },
        { K::NumPrompts, "load/numPrompts", 200 },
        { K::RequestRate, "load/requestRate", 20.0 },
        { K::Burstiness, "load/burstiness", 1.0 },
        { K::MaxConcurrency, "load/maxConcurrency", 50 },
        { K::NumWarmups, "load/numWarmups", 0 },
        { K::TimeoutS, "load/timeoutS", 600.0 },
        { K::Seed, "load/seed", 0 },
        { K::GoodputTtftMs, "goodput/ttftMs", 0.0 },
        { K::GoodputTpotMs, "goodput/tpotMs", 0.0 },
        { K::GoodputE2elMs, "goodput/e2elMs", 0.0 },
        { K::RampUpStrategy, "load/rampUpStrategy", QString() },
        { K::RampUpStartRps, "load/rampUpStartRps", 1 },
        { K::RampUpEndRps, "load/rampUpEndRps", 20 },
        { K::DurationS, "load/durationS", 0.0 },
        { K::DurationCancel, "load/durationCancel", false },
        { K::TraceTimeScale, "load/traceTimeScale", 1.0 },
        { K::SweepKind, "sweep/kind", QStringLiteral("single") },
        { K::SweepConcurrencyLevels, "sweep/concurrencyLevels", QStringLiteral("1, 5, 10, 20, 50, 100, 200, 500") },
        { K::SweepRateLevels, "sweep/rateLevels", QStringLiteral("1, 2, 5, 10, 20, 50") },
        { K::SweepConcurrencyMultiplier, "sweep/concurrencyMultiplier", 5.0 },
        { K::SweepRateMultiplier, "sweep/rateMultiplier", 30.0 },
        { K::SweepMinPrompts, "sweep/minPrompts", 50 },
        { K::SweepMinSuccessRate, "sweep/minSuccessRate", 95.0 },
        { K::SweepSloTtftMs, "sweep/sloTtftMs", 0.0 },
        { K::SweepSloTpotMs, "sweep/sloTpotMs", 0.0 },
        { K::SweepSloE2elMs, "sweep/sloE2elMs", 0.0 },
        { K::SweepMinGainPercent, "sweep/minGainPercent", 5.0 },
        { K::SweepRunAllLevels, "sweep/runAllLevels", false },
        { K::SweepResultDir, "sweep/resultDir", QString() },
        { K::RatingTtftExcellentMs, "rating/ttftExcellentMs", 100.0 },
        { K::RatingTtftGoodMs, "rating/ttftGoodMs", 200.0 },
        { K::RatingTpotExcellentMs, "rating/tpotExcellentMs", 50.0 },
        { K::RatingTpotGoodMs, "rating/tpotGoodMs", 100.0 },
        { K::RatingThroughputExcellent, "rating/throughputExcellent", 20.0 },
        { K::RatingThroughputGood, "rating/throughputGood", 10.0 },
        { K::RatingSuccessExcellent, "rating/successExcellent", 99.0 },
        { K::RatingSuccessGood, "rating/successGood", 95.0 },
    } };
    return entries;
}

const Entry &entry(Settings::Key key)
{
    const Entry &e = table()[std::size_t(key)];
    Q_ASSERT(e.key == key);   // the table is in enum order
    return e;
}

} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>())
{
}

Settings::Settings(const QString &path, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(path, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QVariant Settings::get(Key key) const
{
    const Entry &e = entry(key);
    QVariant value = m_settings->value(QLatin1String(e.name), e.defaultValue);
    // INI files store everything as text; hand back the default's type.
    if (e.defaultValue.isValid() && value.metaType() != e.defaultValue.metaType()
        && value.canConvert(e.defaultValue.metaType()))
        value.convert(e.defaultValue.metaType());
    return value;
}

void Settings::set(Key key, const QVariant &value)
{
    if (get(key) == value)
        return;
    m_settings->setValue(QLatin1String(entry(key).name), value);
    Q_EMIT changed(key);
}

void Settings::reset(Key key)
{
    const bool differs = get(key) != entry(key).defaultValue;
    m_settings->remove(QLatin1String(entry(key).name));
    if (differs)
        Q_EMIT changed(key);
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

QString Settings::keyName(Key key)
{
    return QLatin1String(entry(key).name);
}

QVariant Settings::defaultValue(Key key)
{
    return entry(key).defaultValue;
}

} // namespace ts
