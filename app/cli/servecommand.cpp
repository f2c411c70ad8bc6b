#include "commands.h"

#include "sim/fdlimit.h"
#include "sim/simconfig.h"
#include "sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace ts::cli {

namespace {

struct NumberFlag
{
    const char *name;
    const char *help;
    double SimServerConfig::*field;
};

struct IntFlag
{
    const char *name;
    const char *help;
    int SimServerConfig::*field;
};

constexpr NumberFlag kNumberFlags[] = {
    { "ttft-ms", QT_TRANSLATE_NOOP("ts::cli::Serve", "Fixed mode: time to first token in ms."), &SimServerConfig::ttftMs },
    { "itl-ms", QT_TRANSLATE_NOOP("ts::cli::Serve", "Fixed mode: gap between tokens in ms."), &SimServerConfig::itlMs },
    { "prefill-tps", QT_TRANSLATE_NOOP("ts::cli::Serve", "Batching mode: prefill speed in tokens/s."), &SimServerConfig::prefillTokensPerSecond },
    { "step-ms", QT_TRANSLATE_NOOP("ts::cli::Serve", "Batching mode: base time of one decode step in ms."), &SimServerConfig::baseStepMs },
    { "step-per-seq-ms", QT_TRANSLATE_NOOP("ts::cli::Serve", "Batching mode: extra step time per running sequence in ms."), &SimServerConfig::perSeqStepMs },
    { "eos-probability", QT_TRANSLATE_NOOP("ts::cli::Serve", "Chance per token of an early end, for requests without ignore_eos."), &SimServerConfig::eosProbability },
    { "jitter", QT_TRANSLATE_NOOP("ts::cli::Serve", "Random variation of step and gap times, 0 to 1."), &SimServerConfig::jitter },
};

constexpr IntFlag kIntFlags[] = {
    { "max-num-seqs", QT_TRANSLATE_NOOP("ts::cli::Serve", "Batching mode: sequence slots."), &SimServerConfig::maxNumSeqs },
    { "max-num-batched-tokens", QT_TRANSLATE_NOOP("ts::cli::Serve", "Batching mode: tokens per step."), &SimServerConfig::maxNumBatchedTokens },
    { "max-model-len", QT_TRANSLATE_NOOP("ts::cli::Serve", "Longest prompt plus output accepted."), &SimServerConfig::maxModelLen },
    { "default-max-tokens", QT_TRANSLATE_NOOP("ts::cli::Serve", "Output length of requests that name none."), &SimServerConfig::defaultMaxTokens },
    { "reasoning-tokens", QT_TRANSLATE_NOOP("ts::cli::Serve", "Act as a reasoning model: the first N tokens of every reply are reasoning (OpenAI chat and Responses, Anthropic)."), &SimServerConfig::reasoningTokens },
};

// What a client may hold; the help names each default.
constexpr NumberFlag kTimeoutFlags[] = {
    { "header-timeout", QT_TRANSLATE_NOOP("ts::cli::Serve", "Seconds a client has, from connecting or from a request's first byte, to send the request's headers; then 408 and the connection is closed (default: %1)."), &SimServerConfig::headerTimeoutS },
    { "body-timeout", QT_TRANSLATE_NOOP("ts::cli::Serve", "Seconds a client has to send a request's body after its headers (default: %1)."), &SimServerConfig::bodyTimeoutS },
    { "keep-alive-timeout", QT_TRANSLATE_NOOP("ts::cli::Serve", "Seconds an idle connection stays open between requests (default: %1)."), &SimServerConfig::keepAliveTimeoutS },
};

QString latenessReport(const SimLateness &l)
{
    return QCoreApplication::translate("ts::cli::Serve",
                                       "Token writes: %1, late by mean %2 ms, p99 %3 ms, max %4 ms; %5 over 1 ms.\n")
        .arg(l.count)
        .arg(l.meanS * 1e3, 0, 'f', 3)
        .arg(l.p99S * 1e3, 0, 'f', 3)
        .arg(l.maxS * 1e3, 0, 'f', 3)
        .arg(l.overOneMs);
}

} // namespace

int serveCommand(const QStringList &arguments)
{
    auto translate = [](const char *text) { return QCoreApplication::translate("ts::cli::Serve", text); };
    QCommandLineParser parser;
    parser.setApplicationDescription(translate("Run the built-in simulated LLM server (OpenAI, Anthropic and TGI APIs, Prometheus /metrics)."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("list-presets"), translate("List the presets and exit.") });
    parser.addOption({ QStringLiteral("preset"), translate("Starting point: one of the presets."), QStringLiteral("NAME"), defaultSimPresetName() });
    parser.addOption({ QStringLiteral("mode"), translate("batching (a continuous-batching server) or fixed (exact TTFT and ITL)."), QStringLiteral("MODE") });
    parser.addOption({ QStringLiteral("host"), translate("Address to listen on."), QStringLiteral("HOST"), QStringLiteral("127.0.0.1") });
    parser.addOption({ QStringLiteral("port"), translate("Port to listen on (0: any free port)."), QStringLiteral("PORT"), QStringLiteral("8000") });
    parser.addOption({ QStringLiteral("model"), translate("Model name the server serves."), QStringLiteral("NAME") });
    parser.addOption({ QStringLiteral("accept-any-model"), translate("Answer requests for any model name.") });
    parser.addOption({ QStringLiteral("kv-cache-tokens"), translate("Batching mode: KV cache capacity in tokens."), QStringLiteral("N") });
    parser.addOption({ QStringLiteral("seed"), translate("Seed of generated text and jitter."), QStringLiteral("N") });
    for (const NumberFlag &flag : kNumberFlags)
        parser.addOption({ QLatin1String(flag.name), translate(flag.help), QStringLiteral("X") });
    for (const IntFlag &flag : kIntFlags)
        parser.addOption({ QLatin1String(flag.name), translate(flag.help), QStringLiteral("N") });
    const SimServerConfig defaults;
    for (const NumberFlag &flag : kTimeoutFlags)
        parser.addOption({ QLatin1String(flag.name), translate(flag.help).arg(defaults.*flag.field), QStringLiteral("S") });
    parser.addOption({ QStringLiteral("max-body-bytes"),
                       translate("Largest request body accepted; a larger one is refused with 413 before it is read (default: %1).")
                           .arg(defaults.maxBodyBytes),
                       QStringLiteral("N") });

    if (const std::optional<int> done = parseCommandLine(parser, arguments))
        return *done;
    if (parser.isSet(QStringLiteral("list-presets"))) {
        for (const SimPreset &preset : simPresets())
            printOut(QStringLiteral("%1  %2\n").arg(preset.name, -11).arg(preset.description));
        return 0;
    }

    std::optional<SimServerConfig> preset = simPresetConfig(parser.value(QStringLiteral("preset")));
    if (!preset) {
        printError(translate("Unknown preset “%1”. Choose one of: %2.")
                       .arg(parser.value(QStringLiteral("preset")), simPresetNames().join(QLatin1String(", "))));
        return 2;
    }
    SimServerConfig config = *preset;
    auto bad = [&](const QString &flag) {
        printError(translate("--%1 needs a number, not “%2”.").arg(flag, parser.value(flag)));
        return 2;
    };
    bool ok = true;
    if (parser.isSet(QStringLiteral("mode"))) {
        const std::optional<SimMode> mode = simModeFromName(parser.value(QStringLiteral("mode")));
        if (!mode) {
            printError(translate("--mode is batching or fixed, not “%1”.").arg(parser.value(QStringLiteral("mode"))));
            return 2;
        }
        config.mode = *mode;
    }
    config.host = parser.value(QStringLiteral("host"));
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535)
        return bad(QStringLiteral("port"));
    config.port = quint16(port);
    if (parser.isSet(QStringLiteral("model")))
        config.modelId = parser.value(QStringLiteral("model"));
    config.acceptAnyModel = parser.isSet(QStringLiteral("accept-any-model"));
    if (parser.isSet(QStringLiteral("kv-cache-tokens"))) {
        config.kvCacheTokens = parser.value(QStringLiteral("kv-cache-tokens")).toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("kv-cache-tokens"));
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        config.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("seed"));
    }
    for (const NumberFlag &flag : kNumberFlags) {
        const QString name = QLatin1String(flag.name);
        if (parser.isSet(name)) {
            config.*flag.field = parser.value(name).toDouble(&ok);
            if (!ok)
                return bad(name);
        }
    }
    for (const NumberFlag &flag : kTimeoutFlags) {
        const QString name = QLatin1String(flag.name);
        if (parser.isSet(name)) {
            config.*flag.field = parser.value(name).toDouble(&ok);
            if (!ok)
                return bad(name);
        }
    }
    if (parser.isSet(QStringLiteral("max-body-bytes"))) {
        config.maxBodyBytes = parser.value(QStringLiteral("max-body-bytes")).toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("max-body-bytes"));
    }
    for (const IntFlag &flag : kIntFlags) {
        const QString name = QLatin1String(flag.name);
        if (parser.isSet(name)) {
            config.*flag.field = parser.value(name).toInt(&ok);
            if (!ok)
                return bad(name);
        }
    }

    if (const QString invalid = config.validate(); !invalid.isEmpty()) {
        printError(invalid);
        return 2;
    }

    const FdLimitResult limit = raiseFileDescriptorLimit();
    SimServer server(config);
    if (!server.listen()) {
        printError(server.errorString());
        return 1;
    }
    printOut(translate("Serving %1 as “%2” at %3 (file descriptors: %4). Press Ctrl+C to stop.\n")
                 .arg(config.summary(), config.modelId, server.baseUrl().toString())
                 .arg(limit.after));
    printOut(translate("Timeouts: headers %1 s, body %2 s, idle keep-alive %3 s; bodies up to %4 bytes.\n")
                 .arg(config.headerTimeoutS)
                 .arg(config.bodyTimeoutS)
                 .arg(config.keepAliveTimeoutS)
                 .arg(config.maxBodyBytes));

    QTimer interrupt;
    QObject::connect(&interrupt, &QTimer::timeout, &server, [&] {
        if (interruptRequested())
            QCoreApplication::quit();
    });
    interrupt.start(100);
    QCoreApplication::exec();
    const SimCounters counters = server.counters();
    printOut(translate("Served %1 requests (%2 aborted by the client), %3 tokens, peak %4 running.\n")
                 .arg(counters.requestsServed)
                 .arg(counters.requestsAborted)
                 .arg(counters.generatedTokens)
                 .arg(counters.peakRunning));
    if (counters.requestsRejected > 0 || counters.requestsTimedOut > 0)
        printOut(translate("Refused %1 requests as invalid or too large; closed %2 whose headers or body came too slowly.\n")
                     .arg(counters.requestsRejected)
                     .arg(counters.requestsTimedOut));
    printOut(latenessReport(server.writeLateness()));
    return 0;
}

} // namespace ts::cli
