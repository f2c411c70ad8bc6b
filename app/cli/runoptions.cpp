#include "runoptions.h"

#include "backends/backendregistry.h"
#include "datasets/workloadlimits.h"
#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

namespace ts::cli {

namespace {

struct Flag
{
    const char *name;
    const char *valueName;   // nullptr: a switch
    const char *help;
    const char *defaultValue;
};

// Defaults are vLLM's where the flag is vLLM's.
constexpr Flag kFlags[] = {
    // The help lists the backends of the registry (backendHelp()).
    { "backend", "NAME", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Server API: %1."), "openai" },
    { "base-url", "URL", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port)."), nullptr },
    { "host", "HOST", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Server host."), "127.0.0.1" },
    { "port", "PORT", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Server port."), "8000" },
    { "endpoint", "PATH", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "API path (default: the backend's, /v1/completions for openai)."), nullptr },
    { "model", "NAME", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Model name (default: the first model the server lists)."), nullptr },
    { "tokenizer", "PATH", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "A tokenizer.json file or a model folder holding one: exact prompt lengths and client-side token counts. A model name (org/model) is only recorded as tokenizer_id; a value that looks like a path (ending in .json, starting with /, ./, ../ or ~, or inside a folder that exists) must exist."), nullptr },
    { "api-key", "KEY", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "API key, sent as the backend expects it: a Bearer token, or x-api-key for anthropic (default: $OPENAI_API_KEY). Never written to results."), nullptr },
    { "header", "K=V", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Extra HTTP header; repeat for more."), nullptr },
    { "insecure", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Do not verify TLS certificates."), nullptr },
    { "ca-cert", "FILE", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Trust the CA certificates in this PEM file besides the system's (default: $SSL_CERT_FILE)."), nullptr },
    { "reasoning-tags", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Count text between <think> and </think> in the answer as reasoning (for servers that do not separate it)."), nullptr },
    { "request-timeout", "SECONDS", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Give up on a request after this many seconds (0 = never)."), "600" },
    { "dataset-name", "NAME", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Dataset: random, sharegpt, sonnet, custom (JSONL or CSV), prefix_repetition, mooncake (a trace to replay)."), "random" },
    { "dataset-path", "FILE", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "File of the sharegpt, sonnet, custom or mooncake dataset."), nullptr },
    { "trace-time-scale", "F", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Mooncake trace: multiply its timestamps by F (0.5 replays twice as fast)."), "1.0" },
    { "sharegpt-output-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "ShareGPT: fixed output length instead of the conversation's."), nullptr },
    { "sonnet-input-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sonnet: input tokens per request."), "550" },
    { "sonnet-output-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sonnet: output tokens per request."), "150" },
    { "sonnet-prefix-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sonnet: tokens of the shared prefix."), "200" },
    { "custom-output-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Custom: output tokens of records that give none."), "256" },
    { "prefix-repetition-prefix-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Prefix repetition: tokens of each shared prefix."), "256" },
    { "prefix-repetition-suffix-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Prefix repetition: tokens after the prefix."), "256" },
    { "prefix-repetition-num-prefixes", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Prefix repetition: number of distinct prefixes."), "10" },
    { "prefix-repetition-output-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Prefix repetition: output tokens per request."), "128" },
    { "multi-turn", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "ShareGPT with openai-chat: send each conversation turn by turn, every turn with the conversation so far; --num-prompts counts conversations, --max-concurrency concurrent conversations."), nullptr },
    { "disable-shuffle", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Keep the dataset's order."), nullptr },
    { "num-prompts", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Number of requests to send (a mooncake trace: its first N records; default all)."), "1000" },
    { "request-rate", "RPS", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Requests per second, or inf to release all at once."), "inf" },
    { "burstiness", "B", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Gamma shape of the arrival gaps: 1 = Poisson, <1 burstier, >1 more regular."), "1.0" },
    { "ramp-up-strategy", "NAME", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Ramp the request rate up over the run's requests: linear or exponential, from --ramp-up-start-rps to --ramp-up-end-rps (leave --request-rate unset)."), nullptr },
    { "ramp-up-start-rps", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Ramp-up: requests per second at the first request."), nullptr },
    { "ramp-up-end-rps", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Ramp-up: requests per second at the last request."), nullptr },
    { "duration", "SECONDS", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Send requests for this many seconds, cycling through the prompts, then let those in flight finish; needs a finite --request-rate or --max-concurrency."), nullptr },
    { "duration-cancel", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "At the end of --duration, abort the requests in flight instead of letting them finish."), nullptr },
    { "max-concurrency", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "At most N requests in flight at the server (default: no limit)."), nullptr },
    { "num-warmups", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Warm-up requests sent before measuring."), "0" },
    { "seed", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Seed of the dataset and the arrival process."), "0" },
    { "random-input-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Random dataset: input tokens per request."), "1024" },
    { "random-output-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Random dataset: output tokens per request."), "128" },
    { "random-range-ratio", "R", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Random dataset: lengths drawn from [L*(1-R), L*(1+R)]."), "0.0" },
    { "random-prefix-len", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Random dataset: tokens of a prefix shared by all prompts."), "0" },
    { "ignore-eos", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Ask the server to ignore end-of-sequence tokens."), nullptr },
    { "temperature", "T", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sampling temperature (default: 0, greedy)."), nullptr },
    { "top-p", "P", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sampling top-p."), nullptr },
    { "top-k", "K", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sampling top-k."), nullptr },
    { "min-p", "P", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Sampling min-p."), nullptr },
    { "percentile-metrics", "LIST", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Metrics to report percentiles for, from ttft,tpot,itl,e2el."), "ttft,tpot,itl" },
    { "metric-percentiles", "LIST", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Percentiles to report, e.g. 25,50,99."), "99" },
    { "goodput", "KEY:MS", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Service level objectives for goodput, e.g. ttft:200 tpot:50 e2el:5000."), nullptr },
    { "save-result", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Save the result as JSON."), nullptr },
    { "save-detailed", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Also save per-request arrays (ttfts, itls, texts, errors)."), nullptr },
    { "append-result", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Append to the result file instead of replacing it."), nullptr },
    { "result-dir", "DIR", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Folder for result files (default: the current one)."), nullptr },
    { "result-filename", "FILE", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Result file name (default: vLLM's pattern)."), nullptr },
    { "metadata", "KEY=VALUE", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Extra keys for the result file; repeat for more."), nullptr },
    { "label", "TEXT", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Label of the run (default: the backend)."), nullptr },
    { "csv", "FILE", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Write one CSV row per request to FILE."), nullptr },
    { "disable-tqdm", nullptr, QT_TRANSLATE_NOOP("ts::cli::RunOptions", "No progress bar."), nullptr },
    { "builtin-server", "PRESET", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Start the built-in simulated server in this process and test it (presets: see `serve --list-presets`)."), nullptr },
    { "client-threads", "N", QT_TRANSLATE_NOOP("ts::cli::RunOptions", "Transport threads of the client, each reading its own connections (default: one per 2,000 streams, no more than half the cores and no more than 4)."), "0" },
};

const char *const kMultiValueFlags[] = { "--goodput", "--metadata", "--header" };

bool toInt(const QString &text, const char *flag, int minimum, int &out, QString *error)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "--%1 needs a whole number of at least %2, not “%3”.")
                     .arg(QLatin1String(flag)).arg(minimum).arg(text);
        return false;
    }
    out = value;
    return true;
}

bool toDouble(const QString &text, const char *flag, double &out, QString *error)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "--%1 needs a number, not “%2”.").arg(QLatin1String(flag), text);
        return false;
    }
    out = value;
    return true;
}

// A --tokenizer value the user meant as a local path rather than a model name (org/model, which
// has a slash too). A mistyped path must not pass silently as a name.
bool looksLikePath(const QString &value)
{
    if (value.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) || value.startsWith(u'/') || value.startsWith(u'~')
        || value.startsWith(QLatin1String("./")) || value.startsWith(QLatin1String("../")) || value.contains(u'\\')
        || QDir::isAbsolutePath(value))
        return true;
    const qsizetype slash = value.lastIndexOf(u'/');
    return slash > 0 && QFileInfo(value.left(slash)).isDir();
}

bool splitPair(const QString &text, QChar separator, QString &key, QString &value)
{
    const qsizetype at = text.indexOf(separator);
    if (at <= 0)
        return false;
    key = text.left(at).trimmed();
    value = text.mid(at + 1).trimmed();
    return !key.isEmpty();
}

// "openai (alias vllm), openai-chat, tgi"
QString backendList()
{
    QStringList items;
    for (const BackendInfo &backend : backends()) {
        items << (backend.aliases.isEmpty()
                      ? backend.name
                      : QCoreApplication::translate("ts::cli::RunOptions", "%1 (alias %2)")
                            .arg(backend.name, backend.aliases.join(QLatin1String(", "))));
    }
    return items.join(QLatin1String(", "));
}

} // namespace

void addRunOptions(QCommandLineParser &parser)
{
    for (const Flag &flag : kFlags) {
        QString help = QCoreApplication::translate("ts::cli::RunOptions", flag.help);
        if (qstrcmp(flag.name, "backend") == 0)
            help = help.arg(backendList());
        if (flag.valueName && flag.defaultValue)
            help += u' ' + QCoreApplication::translate("ts::cli::RunOptions", "Default: %1.").arg(QLatin1String(flag.defaultValue));
        QCommandLineOption option(QLatin1String(flag.name), help);
        if (flag.valueName) {
            option.setValueName(QLatin1String(flag.valueName));
            if (flag.defaultValue)
                option.setDefaultValue(QLatin1String(flag.defaultValue));
        }
        parser.addOption(option);
    }
}

QStringList expandMultiValueFlags(const QStringList &arguments)
{
    QStringList out;
    QString current;
    for (const QString &arg : arguments) {
        if (arg.startsWith(QLatin1String("--"))) {
            current.clear();
            for (const char *flag : kMultiValueFlags) {
                if (arg == QLatin1String(flag))
                    current = arg;
            }
            out.append(arg);
            continue;
        }
        // A value after the first one of a multi-value flag gets the flag repeated.
        if (!current.isEmpty() && !out.isEmpty() && out.constLast() != current)
            out.append(current);
        out.append(arg);
    }
    return out;
}

bool readRunOptions(const QCommandLineParser &p, RunOptions &options, QString *error)
{
    auto value = [&](const char *name) { return p.value(QLatin1String(name)); };
    auto isSet = [&](const char *name) { return p.isSet(QLatin1String(name)); };
    BenchmarkConfig &c = options.config;
    TargetConfig &t = c.target;

    t.backend = value("backend");
    const BackendInfo *backend = findBackend(t.backend);
    if (!backend) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "Unknown backend “%1”. Choose one of: %2.")
                     .arg(t.backend, backendNames().join(QLatin1String(", ")));
        return false;
    }
    if (isSet("base-url")) {
        t.baseUrl = QUrl(value("base-url"));
    } else {
        int port = 0;
        if (!toInt(value("port"), "port", 1, port, error))
            return false;
        t.baseUrl = QUrl(QStringLiteral("http://%1:%2").arg(value("host")).arg(port));
    }
    t.endpoint = isSet("endpoint") ? value("endpoint") : backend->defaultEndpoint;
    t.model = value("model");
    c.tokenizerId = isSet("tokenizer") ? value("tokenizer") : t.model;
    options.tokenizerPath = isSet("tokenizer") && QFileInfo::exists(value("tokenizer")) ? value("tokenizer") : QString();
    if (isSet("tokenizer") && options.tokenizerPath.isEmpty() && looksLikePath(value("tokenizer"))) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "The tokenizer file “%1” does not exist. Give a tokenizer.json file or a folder holding one; a model name (org/model) is only recorded.")
                     .arg(value("tokenizer"));
        return false;
    }
    t.apiKey = isSet("api-key") ? value("api-key")
                                : QProcessEnvironment::systemEnvironment().value(QStringLiteral("OPENAI_API_KEY"));
    for (const QString &header : p.values(QStringLiteral("header"))) {
        QString k, v;
        if (!splitPair(header, u'=', k, v) && !splitPair(header, u':', k, v)) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--header needs KEY=VALUE, not “%1”.").arg(header);
            return false;
        }
        t.headers.append({ k.toUtf8(), v.toUtf8() });
    }
    t.reasoningTags = isSet("reasoning-tags");
    t.insecure = isSet("insecure");
    if (t.insecure) {
        static bool warned = false;
        if (!std::exchange(warned, true)) {
            const QString warning = QCoreApplication::translate("ts::cli::RunOptions",
                                                                "Warning: --insecure: TLS certificates are not verified, so the server's identity is not checked.");
            std::fprintf(stderr, "tokenstorm-cli: %s\n", warning.toLocal8Bit().constData());
        }
    }
    t.caCertFile = isSet("ca-cert") ? value("ca-cert")
                                    : QProcessEnvironment::systemEnvironment().value(QStringLiteral("SSL_CERT_FILE"));
    if (!t.caCertFile.isEmpty()) {
        if (const QString tlsError = caCertificatesError(t.caCertFile); !tlsError.isEmpty()) {
            *error = isSet("ca-cert") ? tlsError
                                      : QCoreApplication::translate("ts::cli::RunOptions", "SSL_CERT_FILE: %1").arg(tlsError);
            return false;
        }
    }
    if (!toDouble(value("request-timeout"), "request-timeout", t.requestTimeoutS, error))
        return false;

    c.datasetName = value("dataset-name");
    if (!datasetNames().contains(c.datasetName)) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "Unknown dataset “%1”. Choose one of: %2.")
                     .arg(c.datasetName, datasetNames().join(QLatin1String(", ")));
        return false;
    }
    DatasetConfig &d = options.dataset;
    d.name = c.datasetName;
    d.path = value("dataset-path");
    const bool needsFile = d.name == QLatin1String("sharegpt") || d.name == QLatin1String("sonnet")
        || d.name == QLatin1String("custom") || isTraceDataset(d.name);
    if (needsFile && d.path.isEmpty()) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "The %1 dataset needs --dataset-path.").arg(d.name);
        return false;
    }
    d.disableShuffle = isSet("disable-shuffle");
    c.multiTurn = isSet("multi-turn");
    d.chatBackend = sendsChatMessages(t.backend);
    if (isSet("sharegpt-output-len")) {
        int n = 0;
        if (!toInt(value("sharegpt-output-len"), "sharegpt-output-len", 1, n, error))
            return false;
        d.sharegptOutputLen = n;
    }
    if (!toInt(value("sonnet-input-len"), "sonnet-input-len", 1, d.sonnetInputLen, error)
        || !toInt(value("sonnet-output-len"), "sonnet-output-len", 1, d.sonnetOutputLen, error)
        || !toInt(value("sonnet-prefix-len"), "sonnet-prefix-len", 0, d.sonnetPrefixLen, error)
        || !toInt(value("custom-output-len"), "custom-output-len", 1, d.customOutputLen, error)
        || !toInt(value("prefix-repetition-prefix-len"), "prefix-repetition-prefix-len", 0, d.prefixRepetitionPrefixLen, error)
        || !toInt(value("prefix-repetition-suffix-len"), "prefix-repetition-suffix-len", 0, d.prefixRepetitionSuffixLen, error)
        || !toInt(value("prefix-repetition-num-prefixes"), "prefix-repetition-num-prefixes", 1, d.prefixRepetitionNumPrefixes, error)
        || !toInt(value("prefix-repetition-output-len"), "prefix-repetition-output-len", 1, d.prefixRepetitionOutputLen, error))
        return false;
    LoadConfig &l = c.load;
    if (isTraceDataset(d.name)) {
        // A trace is replayed whole unless asked for its first records only.
        l.numPrompts = 0;
        if (isSet("num-prompts") && !toInt(value("num-prompts"), "num-prompts", std::numeric_limits<int>::min(), l.numPrompts, error))
            return false;
        l.numPrompts = std::max(l.numPrompts, 0);
        if (!toDouble(value("trace-time-scale"), "trace-time-scale", l.traceTimeScale, error))
            return false;
    } else if (isSet("trace-time-scale")) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "--trace-time-scale needs a trace: --dataset-name mooncake.");
        return false;
    } else if (!toInt(value("num-prompts"), "num-prompts", 1, l.numPrompts, error)) {
        return false;
    }
    const QString rate = value("request-rate");
    if (rate.compare(QLatin1String("inf"), Qt::CaseInsensitive) == 0) {
        l.requestRate = std::numeric_limits<double>::infinity();
    } else if (!toDouble(rate, "request-rate", l.requestRate, error)) {
        return false;
    }
    if (!toDouble(value("burstiness"), "burstiness", l.burstiness, error))
        return false;
    if (isSet("max-concurrency") && !toInt(value("max-concurrency"), "max-concurrency", 1, l.maxConcurrency, error))
        return false;
    if (!toInt(value("num-warmups"), "num-warmups", 0, l.numWarmups, error))
        return false;
    if (isSet("ramp-up-strategy")) {
        const std::optional<RampUpStrategy> strategy = rampUpStrategyFromName(value("ramp-up-strategy"));
        if (!strategy) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--ramp-up-strategy needs linear or exponential, not “%1”.").arg(value("ramp-up-strategy"));
            return false;
        }
        l.rampUpStrategy = *strategy;
    }
    // Negative rates pass here so that validationError() names them, as vLLM does.
    for (auto [flag, target] : { std::pair { "ramp-up-start-rps", &l.rampUpStartRps }, std::pair { "ramp-up-end-rps", &l.rampUpEndRps } }) {
        if (!isSet(flag))
            continue;
        bool ok = false;
        const int rps = value(flag).toInt(&ok);
        if (!ok) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--%1 needs a whole number of requests per second, not “%2”.")
                         .arg(QLatin1String(flag), value(flag));
            return false;
        }
        *target = rps;
    }
    if (isSet("duration")) {
        if (!toDouble(value("duration"), "duration", l.durationS, error))
            return false;
        if (!(l.durationS > 0)) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--duration needs a positive number of seconds, not “%1”.").arg(value("duration"));
            return false;
        }
    }
    if (isSet("duration-cancel") && !isSet("duration")) {
        *error = QCoreApplication::translate("ts::cli::RunOptions", "--duration-cancel needs --duration.");
        return false;
    }
    l.durationCancel = isSet("duration-cancel");
    int seed = 0;
    if (!toInt(value("seed"), "seed", 0, seed, error))
        return false;
    l.seed = std::uint64_t(seed);

    RandomDatasetConfig &r = c.random;
    if (!toInt(value("random-input-len"), "random-input-len", 1, r.inputLen, error)
        || !toInt(value("random-output-len"), "random-output-len", 1, r.outputLen, error)
        || !toDouble(value("random-range-ratio"), "random-range-ratio", r.rangeRatio, error)
        || !toInt(value("random-prefix-len"), "random-prefix-len", 0, r.prefixLen, error))
        return false;

    SamplingConfig &s = c.sampling;
    s.ignoreEos = isSet("ignore-eos");
    double number = 0;
    if (isSet("temperature")) {
        if (!toDouble(value("temperature"), "temperature", number, error))
            return false;
        s.temperature = number;
    }
    if (isSet("top-p")) {
        if (!toDouble(value("top-p"), "top-p", number, error))
            return false;
        s.topP = number;
    }
    if (isSet("min-p")) {
        if (!toDouble(value("min-p"), "min-p", number, error))
            return false;
        s.minP = number;
    }
    if (isSet("top-k")) {
        int k = 0;
        if (!toInt(value("top-k"), "top-k", -1, k, error))
            return false;
        s.topK = k;
    }

    MetricsConfig &m = c.metrics;
    m.percentileMetrics = value("percentile-metrics").split(u',', Qt::SkipEmptyParts);
    for (QString &metric : m.percentileMetrics)
        metric = metric.trimmed();
    m.percentiles.clear();
    for (const QString &text : value("metric-percentiles").split(u',', Qt::SkipEmptyParts)) {
        double pct = 0;
        if (!toDouble(text.trimmed(), "metric-percentiles", pct, error))
            return false;
        m.percentiles.push_back(pct);
    }
    for (const QString &slo : p.values(QStringLiteral("goodput"))) {
        QString k, v;
        double ms = 0;
        if (!splitPair(slo, u':', k, v) || !toDouble(v, "goodput", ms, error)) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--goodput needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.").arg(slo);
            return false;
        }
        if (k == QLatin1String("ttft"))
            m.goodputTtftMs = ms;
        else if (k == QLatin1String("tpot"))
            m.goodputTpotMs = ms;
        else if (k == QLatin1String("e2el"))
            m.goodputE2elMs = ms;
        else {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--goodput needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.").arg(slo);
            return false;
        }
    }

    c.label = value("label");
    for (const QString &item : p.values(QStringLiteral("metadata"))) {
        QString k, v;
        if (!splitPair(item, u'=', k, v)) {
            *error = QCoreApplication::translate("ts::cli::RunOptions", "--metadata needs KEY=VALUE, not “%1”.").arg(item);
            return false;
        }
        c.metadata.append({ k, v });
    }

    OutputOptions &o = options.output;
    o.saveDetailed = isSet("save-detailed");
    o.saveResult = isSet("save-result") || o.saveDetailed || isSet("result-filename");
    o.appendResult = isSet("append-result");
    o.resultDir = value("result-dir");
    o.resultFilename = value("result-filename");
    o.csvPath = value("csv");
    o.progress = !isSet("disable-tqdm");
    options.builtinPreset = value("builtin-server");
    if (!toInt(value("client-threads"), "client-threads", 0, c.load.clientThreads, error))
        return false;

    d.numPrompts = l.numPrompts;
    d.seed = l.seed;
    d.random = c.random;

    QString problem = validationError(c);
    if (problem.isEmpty())
        problem = workloadSizeError(d);
    if (problem.isEmpty())
        problem = requestRateError(l.requestRate, l.numPrompts);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    return true;
}

} // namespace ts::cli
