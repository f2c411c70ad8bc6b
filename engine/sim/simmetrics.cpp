#include "sim/simmetrics.h"

#include "sim/simsequence.h"

namespace ts::sim {

namespace {

QByteArray labelValue(const QByteArray &v)
{
    QByteArray out;
    for (const char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray number(double v) { return QByteArray::number(v, 'g', 12); }

class Writer
{
public:
    explicit Writer(const QByteArray &model)
        : m_label("model_name=\"" + labelValue(model) + '"')
    {
    }

    void family(const char *name, const char *type, const char *help)
    {
        m_out += "# HELP ";
        m_out += name;
        m_out += ' ';
        m_out += help;
        m_out += "\n# TYPE ";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }

    void sample(const char *name, const QByteArray &value, const QByteArray &extraLabel = {})
    {
        m_out += name;
        m_out += '{';
        if (!extraLabel.isEmpty()) {
            m_out += extraLabel;
            m_out += ',';
        }
        m_out += m_label;
        m_out += "} ";
        m_out += value;
        m_out += '\n';
    }

    void single(const char *name, const char *type, const char *help, const QByteArray &value)
    {
        family(name, type, help);
        sample(name, value);
    }

    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_label;
    QByteArray m_out;
};

} // namespace

QByteArray prometheusMetrics(const QByteArray &modelName, const Stats &stats)
{
    constexpr auto relaxed = std::memory_order_relaxed;
    Writer w(modelName);
    const double kv = stats.kvCacheUsage.load(relaxed);

    w.single("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.",
             QByteArray::number(stats.running.load(relaxed)));
    w.single("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.",
             QByteArray::number(stats.waiting.load(relaxed)));
    w.single("vllm:gpu_cache_usage_perc", "gauge", "GPU KV-cache usage. 1 means 100 percent usage.", number(kv));
    w.single("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.", number(kv));
    w.single("vllm:num_preemptions_total", "counter", "Cumulative number of preemption from the engine.",
             QByteArray::number(stats.preemptions.load(relaxed)));
    w.single("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.",
             QByteArray::number(stats.promptTokens.load(relaxed)));
    w.single("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.",
             QByteArray::number(stats.generatedTokens.load(relaxed)));
    w.family("vllm:request_success_total", "counter", "Count of successfully processed requests.");
    w.sample("vllm:request_success_total", QByteArray::number(stats.servedStop.load(relaxed)),
             "finished_reason=\"stop\"");
    w.sample("vllm:request_success_total", QByteArray::number(stats.servedLength.load(relaxed)),
             "finished_reason=\"length\"");

    const SimLateness late = stats.lateness.snapshot();
    w.family("tokenstorm_sim_write_lateness_seconds", "summary",
             "How late token writes were against their scheduled time.");
    w.sample("tokenstorm_sim_write_lateness_seconds", number(late.p50S), "quantile=\"0.5\"");
    w.sample("tokenstorm_sim_write_lateness_seconds", number(late.p90S), "quantile=\"0.9\"");
    w.sample("tokenstorm_sim_write_lateness_seconds", number(late.p99S), "quantile=\"0.99\"");
    w.sample("tokenstorm_sim_write_lateness_seconds", number(late.p999S), "quantile=\"0.999\"");
    w.sample("tokenstorm_sim_write_lateness_seconds_sum", number(late.meanS * double(late.count)));
    w.sample("tokenstorm_sim_write_lateness_seconds_count", QByteArray::number(late.count));
    w.single("tokenstorm_sim_write_lateness_max_seconds", "gauge", "Latest token write since the last reset.",
             number(late.maxS));
    w.single("tokenstorm_sim_write_late_over_1ms_total", "counter", "Token writes more than 1 ms late.",
             QByteArray::number(late.overOneMs));
    w.single("tokenstorm_sim_num_requests_running_peak", "gauge", "Highest number of running requests.",
             QByteArray::number(stats.peakRunning.load(relaxed)));
    w.single("tokenstorm_sim_connections", "gauge", "Open client connections.",
             QByteArray::number(stats.connections.load(relaxed)));
    w.single("tokenstorm_sim_requests_aborted_total", "counter", "Requests whose client left before the end.",
             QByteArray::number(stats.aborted.load(relaxed)));
    w.single("tokenstorm_sim_requests_rejected_total", "counter", "Requests answered with a client error.",
             QByteArray::number(stats.rejected.load(relaxed)));
    w.single("tokenstorm_sim_requests_timed_out_total", "counter",
             "Requests whose head or body came too slowly (408).",
             QByteArray::number(stats.timedOut.load(relaxed)));
    return w.take();
}

} // namespace ts::sim
