#pragma once

#include <QObject>
#include <QVariant>

#include <memory>

class QSettings;

namespace ts {

// Every persistent setting of the desktop app, typed and with its default in one table
// (settings.cpp), so no widget spells a key string. The API key is deliberately not here.
class Settings : public QObject
{
    Q_OBJECT
public:
    enum class Key {
        // Window
        WindowGeometry,
        WindowState,
        MainSplitterState,
        Language,               // "" = the system's language, else "en" / "zh_CN"
        LastDirectory,
        // Built-in demo server
        DemoServerEnabled,
        DemoServerPreset,
        DemoServerReasoningTokens,    // 0 = the demo server does not reason
        // Target
        Scenario,
        Backend,
        BaseUrl,
        Endpoint,
        Model,
        ExtraHeaders,           // "Name: value" lines
        Insecure,
        RememberApiKey,         // the key itself lives in the system keychain, never here
        WatchServerMetrics,     // scrape the server's /metrics during runs
        ReasoningTags,          // count <think>...</think> text as reasoning
        // Workload
        DatasetName,
        DatasetPath,
        InputLen,
        OutputLen,
        RangeRatio,
        PrefixLen,
        TokenizerPath,          // tokenizer.json or model folder; "" = estimated lengths
        MultiTurn,              // ShareGPT conversations sent turn by turn
        // Load
        NumPrompts,
        RequestRate,            // 0 = inf
        Burstiness,
        MaxConcurrency,         // 0 = no limit
        NumWarmups,
        TimeoutS,
        Seed,
        GoodputTtftMs,          // 0 = not used
        GoodputTpotMs,
        GoodputE2elMs,
        RampUpStrategy,         // "" = none, "linear" or "exponential"
        RampUpStartRps,
        RampUpEndRps,
        DurationS,              // 0 = the run is limited by its number of requests
        DurationCancel,         // abort what is in flight when the duration ends
        TraceTimeScale,         // a replayed trace's timestamps times this
        // Sweep (what Start runs, and the sweep's levels and stop rules)
        SweepKind,              // "single", "concurrency" or "rate"
        SweepConcurrencyLevels, // as typed, e.g. "1 5 10 20"
        SweepRateLevels,
        SweepConcurrencyMultiplier,   // requests per level = multiplier x level ...
        SweepRateMultiplier,
        SweepMinPrompts,        // ... but at least this many
        SweepMinSuccessRate,    // percent
        SweepSloTtftMs,         // p99 limits; 0 = not used
        SweepSloTpotMs,
        SweepSloE2elMs,
        SweepMinGainPercent,    // 0 = the plateau rule is off
        SweepRunAllLevels,
        SweepResultDir,         // "" = no files
        // Rating thresholds
        RatingTtftExcellentMs,
        RatingTtftGoodMs,
        RatingTpotExcellentMs,
        RatingTpotGoodMs,
        RatingThroughputExcellent,
        RatingThroughputGood,
        RatingSuccessExcellent,
        RatingSuccessGood,
        KeyCount
    };
    Q_ENUM(Key)

    // The user's settings file in the standard location.
    explicit Settings(QObject *parent = nullptr);
    // A settings file at path (INI), e.g. a temporary file in tests.
    explicit Settings(const QString &path, QObject *parent = nullptr);
    ~Settings() override;

    QVariant get(Key key) const;
    // Writes the value and emits changed() only when it differs from the current one.
    void set(Key key, const QVariant &value);
    void reset(Key key);
    void sync();

    QString fileName() const;

    int intValue(Key key) const { return get(key).toInt(); }
    double doubleValue(Key key) const { return get(key).toDouble(); }
    bool boolValue(Key key) const { return get(key).toBool(); }
    QString stringValue(Key key) const { return get(key).toString(); }
    QByteArray bytesValue(Key key) const { return get(key).toByteArray(); }

    static QString keyName(Key key);
    static QVariant defaultValue(Key key);

Q_SIGNALS:
    void changed(ts::Settings::Key key);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace ts
