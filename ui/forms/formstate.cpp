#include "forms/formstate.h"

#include "backends/backendregistry.h"
#include "settings.h"

#include <QCoreApplication>

#include <cmath>
#include <limits>

namespace ts {

namespace {

std::optional<double> slo(double ms)
{
    return ms > 0 ? std::optional<double>(ms) : std::nullopt;
}

bool isHeaderName(const QByteArray &name)
{
    static const QByteArray separators("()<>@,;:\\\"/[]?={} \t");
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (c <= 32 || c >= 127 || separators.contains(c))
            return false;
    }
    return true;
}

} // namespace

FormState loadFormState(const Settings &s)
{
    using K = Settings::Key;
    FormState f;
    f.demoServer = s.boolValue(K::DemoServerEnabled);
    f.demoPreset = s.stringValue(K::DemoServerPreset);
    f.demoReasoningTokens = std::max(0, s.intValue(K::DemoServerReasoningTokens));
    f.scenario = s.stringValue(K::Scenario);

    TargetConfig &t = f.config.target;
    t.backend = s.stringValue(K::Backend);
    t.baseUrl = QUrl(s.stringValue(K::BaseUrl));
    t.endpoint = s.stringValue(K::Endpoint);
    t.model = s.stringValue(K::Model);
    f.headersText = s.stringValue(K::ExtraHeaders);
    t.headers = parseHeaders(f.headersText).value_or(HeaderList());
    t.insecure = s.boolValue(K::Insecure);
    t.reasoningTags = s.boolValue(K::ReasoningTags);
    t.requestTimeoutS = s.doubleValue(K::TimeoutS);
    f.watchServerMetrics = s.boolValue(K::WatchServerMetrics);

    f.config.datasetName = s.stringValue(K::DatasetName);
    f.datasetPath = s.stringValue(K::DatasetPath);
    f.tokenizerPath = s.stringValue(K::TokenizerPath);
    f.config.multiTurn = s.boolValue(K::MultiTurn);
    RandomDatasetConfig &r = f.config.random;
    r.inputLen = s.intValue(K::InputLen);
    r.outputLen = s.intValue(K::OutputLen);
    r.rangeRatio = s.doubleValue(K::RangeRatio);
    r.prefixLen = s.intValue(K::PrefixLen);

    LoadConfig &l = f.config.load;
    l.numPrompts = s.intValue(K::NumPrompts);
    const double rate = s.doubleValue(K::RequestRate);
    l.requestRate = rate > 0 ? rate : std::numeric_limits<double>::infinity();
    l.burstiness = s.doubleValue(K::Burstiness);
    l.maxConcurrency = s.intValue(K::MaxConcurrency);
    l.numWarmups = s.intValue(K::NumWarmups);
    l.seed = std::uint64_t(std::max(0, s.intValue(K::Seed)));
    // The start and end rates are kept only with a strategy, as the engine requires.
    l.rampUpStrategy = rampUpStrategyFromName(s.stringValue(K::RampUpStrategy)).value_or(RampUpStrategy::None);
    if (l.hasRampUp()) {
        l.rampUpStartRps = s.intValue(K::RampUpStartRps);
        l.rampUpEndRps = s.intValue(K::RampUpEndRps);
        l.requestRate = std::numeric_limits<double>::infinity();
    }
    l.durationS = std::max(0.0, s.doubleValue(K::DurationS));
    l.durationCancel = l.hasDurationLimit() && s.boolValue(K::DurationCancel);
    const double scale = s.doubleValue(K::TraceTimeScale);
    l.traceTimeScale = scale > 0 ? scale : 1.0;

    MetricsConfig &m = f.config.metrics;
    m.goodputTtftMs = slo(s.doubleValue(K::GoodputTtftMs));
    m.goodputTpotMs = slo(s.doubleValue(K::GoodputTpotMs));
    m.goodputE2elMs = slo(s.doubleValue(K::GoodputE2elMs));
    f.sweep = loadSweepFormState(s);
    return f;
}

void storeFormState(Settings &s, const FormState &f)
{
    using K = Settings::Key;
    s.set(K::DemoServerEnabled, f.demoServer);
    s.set(K::DemoServerPreset, f.demoPreset);
    s.set(K::DemoServerReasoningTokens, f.demoReasoningTokens);
    s.set(K::Scenario, f.scenario);

    const TargetConfig &t = f.config.target;
    s.set(K::Backend, t.backend);
    // Secrets stay out of the settings file: the address without its user name and password,
    // and no extra headers (any may carry a token); the system keychain keeps them when asked.
    if (!f.demoServer)
        s.set(K::BaseUrl, t.baseUrl.adjusted(QUrl::RemoveUserInfo).toString());
    s.set(K::Endpoint, t.endpoint);
    s.set(K::Model, t.model);
    s.set(K::ExtraHeaders, QString());
    s.set(K::Insecure, t.insecure);
    s.set(K::ReasoningTags, t.reasoningTags);
    s.set(K::TimeoutS, t.requestTimeoutS);
    s.set(K::WatchServerMetrics, f.watchServerMetrics);

    s.set(K::DatasetName, f.config.datasetName);
    s.set(K::DatasetPath, f.datasetPath);
    s.set(K::TokenizerPath, f.tokenizerPath);
    s.set(K::MultiTurn, f.config.multiTurn);
    const RandomDatasetConfig &r = f.config.random;
    s.set(K::InputLen, r.inputLen);
    s.set(K::OutputLen, r.outputLen);
    s.set(K::RangeRatio, r.rangeRatio);
    s.set(K::PrefixLen, r.prefixLen);

    const LoadConfig &l = f.config.load;
    s.set(K::NumPrompts, l.numPrompts);
    s.set(K::RequestRate, l.hasFiniteRate() ? l.requestRate : 0.0);
    s.set(K::Burstiness, l.burstiness);
    s.set(K::MaxConcurrency, l.maxConcurrency);
    s.set(K::NumWarmups, l.numWarmups);
    s.set(K::Seed, int(std::min<std::uint64_t>(l.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    s.set(K::RampUpStrategy, rampUpStrategyName(l.rampUpStrategy));
    if (l.rampUpStartRps)
        s.set(K::RampUpStartRps, *l.rampUpStartRps);
    if (l.rampUpEndRps)
        s.set(K::RampUpEndRps, *l.rampUpEndRps);
    s.set(K::DurationS, l.durationS);
    s.set(K::DurationCancel, l.durationCancel);
    s.set(K::TraceTimeScale, l.traceTimeScale);

    const MetricsConfig &m = f.config.metrics;
    s.set(K::GoodputTtftMs, m.goodputTtftMs.value_or(0.0));
    s.set(K::GoodputTpotMs, m.goodputTpotMs.value_or(0.0));
    s.set(K::GoodputE2elMs, m.goodputE2elMs.value_or(0.0));
    storeSweepFormState(s, f.sweep);
}

bool datasetNeedsFile(const QString &name)
{
    return name == QLatin1String("sharegpt") || name == QLatin1String("sonnet") || name == QLatin1String("custom")
        || isTraceDataset(name);
}

DatasetConfig datasetConfigOf(const FormState &state)
{
    const BenchmarkConfig &config = state.config;
    DatasetConfig dataset;
    dataset.name = config.datasetName;
    dataset.path = state.datasetPath;
    dataset.numPrompts = config.load.numPrompts;
    dataset.seed = config.load.seed;
    dataset.random = config.random;
    dataset.chatBackend = sendsChatMessages(config.target.backend);
    return dataset;
}

std::optional<HeaderList> parseHeaders(const QString &text, QString *error)
{
    HeaderList headers;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QByteArray name = colon > 0 ? line.left(colon).trimmed().toLatin1() : QByteArray();
        if (colon <= 0 || !isHeaderName(name)) {
            if (error)
                *error = QCoreApplication::translate("ts::FormState", "Line %1 is not a header: write “Name: value”, one per line.")
                             .arg(i + 1);
            return std::nullopt;
        }
        headers.append({ name, line.mid(colon + 1).trimmed().toUtf8() });
    }
    return headers;
}

} // namespace ts
