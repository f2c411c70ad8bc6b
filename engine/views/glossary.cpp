#include "views/glossary.h"

#include "metrics/rating.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ts {

namespace {

// Where the guide's table (性能评估标准) draws its "needs work" line. The rating's own limits
// (RatingThresholds) stop at "good"; the guide leaves the range between open.
constexpr double GuideTtftNeedsWorkMs = 500.0;
constexpr double GuideTpotNeedsWorkMs = 200.0;
constexpr double GuideThroughputNeedsWork = 5.0;
constexpr double GuideSuccessNeedsWorkPercent = 90.0;

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

QString lowerIsBetterLimits(double excellent, double good, double guideNeedsWork)
{
    return QCoreApplication::translate("ts::Glossary",
                                       "%1: below %2 ms. %3: below %4 ms. %5: anything else; the guide draws its line at %6 ms "
                                       "and the rating counts the range in between as needing work too. The limits can be "
                                       "changed in the rating panel.")
        .arg(ratingName(Rating::Excellent), number(excellent), ratingName(Rating::Good), number(good),
             ratingName(Rating::NeedsWork), number(guideNeedsWork));
}

QString noThresholds()
{
    return QCoreApplication::translate("ts::Glossary", "None in the guide.");
}

GlossaryEntry makeEntry(MetricId id)
{
    const RatingThresholds limits;
    GlossaryEntry e;
    e.id = id;
    e.anchor = glossaryAnchor(id);
    switch (id) {
    case MetricId::Ttft:
        e.name = QCoreApplication::translate("ts::Glossary", "Time to first token (TTFT)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time from sending a request to the first generated text: how long a user waits before the answer starts.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How long a request waits for the first piece of its answer, from the moment it is sent until the first streamed chunk with generated text arrives. It includes the network, the server's queue and the processing of the whole prompt (the prefill).");
        e.formula = QCoreApplication::translate("ts::Glossary", "TTFT = arrival of the first content chunk − moment the request was sent. Mean, median, standard deviation and percentiles are taken over the successful requests.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It is the delay a user feels before anything appears. A late first token makes a chat feel unresponsive, however fast the rest of the answer streams.");
        e.thresholds = lowerIsBetterLimits(limits.ttftExcellentMs, limits.ttftGoodMs, GuideTtftNeedsWorkMs);
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Long prompts (the prefill grows with the input length), many requests at once (they queue on the server for a batch slot or for GPU memory), a model or cache that is still cold, and the network. Lower the concurrency: if TTFT drops, the server was queueing.");
        break;
    case MetricId::Tpot:
        e.name = QCoreApplication::translate("ts::Glossary", "Time per output token (TPOT)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Average time per generated token after the first: how fast an answer streams once it has started.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The pace at which one request's answer is generated after its first token.");
        e.formula = QCoreApplication::translate("ts::Glossary", "For each request with more than one output token: TPOT = (E2EL − TTFT) / (output tokens − 1). The statistics are then taken across requests, so every request weighs the same whatever its length. AIPerf and guidellm call this number ITL; guidellm's TPOT includes the first token.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It sets how fluently a streamed answer reads and, with the output length, how long a long answer takes.");
        e.thresholds = lowerIsBetterLimits(limits.tpotExcellentMs, limits.tpotGoodMs, GuideTpotNeedsWorkMs);
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "How many sequences the server decodes together (the batch), the model's size, the GPU's memory bandwidth, and prefills of newly arrived prompts that interrupt decoding. It usually rises with the concurrency.");
        break;
    case MetricId::Itl:
        e.name = QCoreApplication::translate("ts::Glossary", "Inter-token latency (ITL)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Gap between two consecutive streamed chunks of an answer. Its spread shows how steady the stream is.");
        e.measures = QCoreApplication::translate("ts::Glossary", "Each gap between two consecutive content chunks of a streamed answer, after the first. When a chunk carries several tokens, the gap is per chunk, not per token.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Every gap of every successful request goes into one pool, and the statistics are taken over that pool, so a long answer counts with more gaps than a short one. When each chunk carries one token, its mean is close to TPOT.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Users notice stalls: a few long gaps make an answer stutter even when the mean is small. Compare the median with P99 and the standard deviation: the smaller the spread, the steadier the stream.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "None in the guide. It judges ITL by its spread: the smaller the variance, the steadier the stream.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Prefills of new requests scheduled between decoding steps (the usual cause of long gaps), the batch size, memory pressure (preempted or swapped sequences), and servers that send several tokens per chunk.");
        break;
    case MetricId::E2el:
        e.name = QCoreApplication::translate("ts::Glossary", "End-to-end latency (E2EL)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time from sending a request to the last generated text: the whole wait for a complete answer.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The whole time of one request, from the moment it is sent until its last content chunk arrives.");
        e.formula = QCoreApplication::translate("ts::Glossary", "E2EL = arrival of the last content chunk − moment the request was sent, which is TTFT + TPOT × (output tokens − 1). The usage-only chunk and [DONE] do not count. Statistics over the successful requests.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It is what a caller that does not stream waits for, such as an API client or a batch job, and it limits how many requests one connection finishes per second.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Everything that moves TTFT and TPOT, and above all the output length: twice the output tokens take about twice as long.");
        break;
    case MetricId::QueueTime:
        e.name = QCoreApplication::translate("ts::Glossary", "Client queue time");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time a request waited in this app for a free concurrency slot before it was sent. It is not part of TTFT.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How long a request waited on the client before it was sent: for a free slot under the maximum concurrency, then for its turn to be handed to the network.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Queue time = moment the request was sent − moment the arrival schedule released it. Statistics over the successful requests; vLLM's result files keep it as queue_times.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It shows when the client, not the server, is the limit. TTFT starts only when a request is sent, so a long queue hides part of what a real user would wait.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "A maximum concurrency too small for the request rate (requests pile up), a request rate of inf (all released at once), and slow answers that hold the slots.");
        break;
    case MetricId::RequestThroughput:
        e.name = QCoreApplication::translate("ts::Glossary", "Request throughput");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Successful requests finished per second over the whole run.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How many requests the server completes per second under this load.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Request throughput = successful requests / benchmark duration (req/s).");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It says how many users or calls one deployment can serve, and so what a request costs.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "%1: above %2 req/s. %3: above %4 req/s. %5: anything else; the guide draws its line at %6 req/s. It depends on the model and the hardware, so compare runs on the same setup.")
                           .arg(ratingName(Rating::Excellent), number(limits.throughputExcellent), ratingName(Rating::Good),
                                number(limits.throughputGood), ratingName(Rating::NeedsWork), number(GuideThroughputNeedsWork));
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The load (too little leaves the server idle), prompt and output lengths, the model's size, the hardware and the server's settings such as the batch size. When it stops growing with the concurrency while the latency climbs, the server is at its limit.");
        break;
    case MetricId::RequestGoodput:
        e.name = QCoreApplication::translate("ts::Glossary", "Request goodput");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Requests per second that met every service-level objective (SLO) given for TTFT, TPOT and E2EL.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The part of the throughput that was fast enough: requests per second that met all the given service-level objectives.");
        e.formula = QCoreApplication::translate("ts::Glossary", "A request is good when its TTFT, TPOT and E2EL are each at most the SLO given for them (TPOT counts as 0 for a request with one output token). Goodput = good requests / benchmark duration. Shown only when SLOs are set, like vLLM's --goodput.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Throughput with unacceptable latency is of no use: goodput counts only the answers users would accept, so its peak marks the load to run at.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "None in the guide: the SLOs you set are the thresholds.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The SLOs, and everything that raises TTFT and TPOT: more load raises the throughput but, past a point, lowers the goodput.");
        break;
    case MetricId::OutputTokenThroughput:
        e.name = QCoreApplication::translate("ts::Glossary", "Output token throughput");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Generated tokens per second over the whole run, all requests together.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How fast the server generates text, all requests together.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Output token throughput = output tokens of the successful requests / benchmark duration (tok/s). The counts come from the server's usage when it sends them; otherwise they are estimates.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It is the server's generation capacity under this load, the number to compare hardware and settings by.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "None in the guide: it differs widely between models and hardware.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The concurrency and the batch size (more sequences decoded together), the model's size, the GPU's memory bandwidth, quantization and the output length.");
        break;
    case MetricId::PeakOutputTokenThroughput:
        e.name = QCoreApplication::translate("ts::Glossary", "Peak output token throughput");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "The most output tokens that arrived within one second of the run.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The best one-second burst of generation during the run.");
        e.formula = QCoreApplication::translate("ts::Glossary", "The run is cut into 1-second buckets from the first request's start; each content chunk counts in the bucket it arrived in; the peak is the fullest bucket. Like vLLM, it counts chunks, which are tokens when each chunk carries one.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Next to the average it shows whether the server ran steadily or in bursts.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The concurrency, the batch size and how evenly requests arrive.");
        break;
    case MetricId::TotalTokenThroughput:
        e.name = QCoreApplication::translate("ts::Glossary", "Total token throughput");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Input plus output tokens processed per second over the whole run.");
        e.measures = QCoreApplication::translate("ts::Glossary", "All tokens the server handled per second: prompts read and answers written.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Total token throughput = (input tokens + output tokens of the successful requests) / benchmark duration (tok/s).");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Prompts cost work too: with long prompts and short answers this number, not the output throughput, shows the load.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The prompt lengths, prefix caching, and everything that moves the output token throughput.");
        break;
    case MetricId::SuccessRate:
        e.name = QCoreApplication::translate("ts::Glossary", "Success rate");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Share of the finished requests that got an answer: successful / all.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How many requests got a complete answer.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Success rate = successful requests / (successful + failed requests) × 100 %. A request succeeds with HTTP status 200 and at least one streamed chunk of generated text.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Failures are the first sign of overload or of a wrong setup. Failed requests are left out of every latency figure, so a low success rate can make the latencies look better than they are.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "%1: above %2 %. %3: above %4 %. %5: anything else; the guide draws its line at %6 %.")
                           .arg(ratingName(Rating::Excellent), number(limits.successExcellentPercent), ratingName(Rating::Good),
                                number(limits.successGoodPercent), ratingName(Rating::NeedsWork), number(GuideSuccessNeedsWorkPercent));
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Overload (timeouts, refused connections), a timeout too short for long answers, a wrong model name, endpoint or API key, and prompts longer than the model's context.");
        break;
    case MetricId::FailedRequests:
        e.name = QCoreApplication::translate("ts::Glossary", "Failed requests");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Requests that ended without an answer: an HTTP error, a timeout or a broken connection.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How many requests ended without a complete answer. The Requests tab shows each one's error.");
        e.formula = QCoreApplication::translate("ts::Glossary", "A request fails when the HTTP status is not 200 or no chunk of generated text arrived. Failed requests count in no latency or token figure.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "Each one is a user without an answer, and since they are left out of the latency statistics, many of them hide how loaded the server really is.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "The guide rates them through the success rate.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Overload, timeouts, a wrong model name, endpoint or API key, and network errors.");
        break;
    case MetricId::PeakConcurrentRequests:
        e.name = QCoreApplication::translate("ts::Glossary", "Peak concurrent requests");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "The most requests in flight at the same moment during the run.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The highest number of requests the server had to handle at once.");
        e.formula = QCoreApplication::translate("ts::Glossary", "The exact peak of requests in flight, each from its sending to its end: its last chunk when it succeeded, the moment it failed (a timeout, a reset) otherwise; a request that ends at the moment another starts does not overlap it.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "It is the concurrency the server really saw, which stays below the maximum concurrency you set when requests arrive slowly or finish fast.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The maximum concurrency, the request rate and its burstiness, and the latency: slower answers keep more requests in flight.");
        break;
    case MetricId::Duration:
        e.name = QCoreApplication::translate("ts::Glossary", "Benchmark duration");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time from the start of sending until the last request finished.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How long the run took.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Duration = end of the last request − start of sending (s). Every per-second figure divides by it.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "All throughputs are per this duration, so one slow last request lowers them all. It also tells whether the run was long enough to reach a steady state.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The number of requests, the request rate, the concurrency and the latency of the slowest requests.");
        break;
    case MetricId::InputTokens:
        e.name = QCoreApplication::translate("ts::Glossary", "Input tokens");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Tokens of the prompts sent; the total adds up all successful requests.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The length of the prompts, in the model's tokens.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Per request: the server's usage.prompt_tokens when it sends them, otherwise the dataset's count. Total input tokens = the sum over the successful requests.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "The prompt length drives the prefill and so TTFT; the guide's tests set it with --random-input-len.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The dataset and its settings (input length, range ratio, shared prefix) and the chat template.");
        break;
    case MetricId::OutputTokens:
        e.name = QCoreApplication::translate("ts::Glossary", "Output tokens");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Tokens generated in the answers; the total adds up all successful requests.");
        e.measures = QCoreApplication::translate("ts::Glossary", "The length of the answers, in the model's tokens.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Per request: the server's usage.completion_tokens when it sends them, else a count with a tokenizer, else the number of streamed chunks (an estimate, marked as such). Total generated tokens = the sum over the successful requests.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "The output length multiplies TPOT into the end-to-end latency, and it is what the output token throughput counts.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The maximum tokens per request (--random-output-len), ignore_eos, a model that stops early, and the dataset.");
        break;
    case MetricId::MaxConcurrency:
        e.name = QCoreApplication::translate("ts::Glossary", "Maximum request concurrency");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "The most requests this app keeps in flight at once (--max-concurrency); later ones wait for a free slot.");
        e.measures = QCoreApplication::translate("ts::Glossary", "A setting, not a measurement: the cap on requests in flight.");
        e.formula = QCoreApplication::translate("ts::Glossary", "A request is sent only while fewer than this many are in flight; otherwise it waits (see the client queue time).");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "The guide's key setting for finding how many users a model serves at once: too small and the server is never pushed, too large and it may be overwhelmed until requests fail.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "You set it. Raise it step by step (1, 5, 10, 20, 50, …) and watch the throughput, the latency and the success rate to find where the server stops keeping up.");
        break;
    case MetricId::RequestRate:
        e.name = QCoreApplication::translate("ts::Glossary", "Request rate");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "How many requests are sent per second on average (--request-rate); inf sends them all at once.");
        e.measures = QCoreApplication::translate("ts::Glossary", "A setting, not a measurement: how fast new requests arrive.");
        e.formula = QCoreApplication::translate("ts::Glossary", "With rate r and burstiness b the gaps between arrivals are drawn from a gamma distribution with shape b and mean 1/r; b = 1 is a Poisson process, a larger b is more regular. With inf all requests are released at once and only the maximum concurrency holds them back.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "A finite rate models users arriving over time; inf tests the server's limit. The request throughput cannot exceed it for long.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "You set it. Raise it until the latency climbs or requests fail.");
        break;
    case MetricId::Ttfrt:
        e.name = QCoreApplication::translate("ts::Glossary", "Time to first reasoning token (TTFRT)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time from sending a request to the first piece of the model's reasoning: how soon a reasoning model starts to think.");
        e.measures = QCoreApplication::translate("ts::Glossary", "For a reasoning model, which thinks aloud before it answers: how long a request waits for the first streamed chunk of reasoning, from the moment it is sent. Like TTFT it includes the network, the queue and the prefill.");
        e.formula = QCoreApplication::translate("ts::Glossary", "TTFRT = arrival of the first reasoning chunk − moment the request was sent. Only requests whose stream tells reasoning apart from the answer count. When the model reasons, TTFT equals TTFRT, because TTFT counts the first content of either kind, as vLLM does.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "An app that shows the model thinking starts to show something at this moment. Compared with TTFAT it shows how much of the wait is thinking rather than queueing and prefill.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "None in the guide. Judge it like TTFT: it is the wait before anything appears.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The same as TTFT: prompt length, many requests at once, a cold cache and the network.");
        break;
    case MetricId::Ttfat:
        e.name = QCoreApplication::translate("ts::Glossary", "Time to first answer token (TTFAT)");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Time from sending a request to the first piece of the answer after the reasoning: how long a user waits for the answer itself.");
        e.measures = QCoreApplication::translate("ts::Glossary", "For a reasoning model: how long a request waits for the first streamed chunk of the answer, from the moment it is sent. All the reasoning streams before it.");
        e.formula = QCoreApplication::translate("ts::Glossary", "TTFAT = arrival of the first answer chunk − moment the request was sent, over the requests that reasoned and then answered. TTFAT − TTFRT is the time spent reasoning, about TPOT × reasoning tokens.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "A user who only reads the answer waits this long, not TTFT. A model that thinks for a thousand tokens can have a fine TTFT and still keep the user waiting many seconds.");
        e.thresholds = QCoreApplication::translate("ts::Glossary", "None in the guide. It grows with the reasoning length, so compare runs of the same model and prompts.");
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "Everything that moves TTFT, then the number of reasoning tokens and the decoding speed (TPOT): twice the reasoning takes about twice as long. A reasoning budget or effort setting on the server shortens it.");
        break;
    case MetricId::ReasoningTokens:
        e.name = QCoreApplication::translate("ts::Glossary", "Reasoning tokens");
        e.shortTip = QCoreApplication::translate("ts::Glossary", "Tokens the model generated while thinking, before its answer. They cost time like any output token.");
        e.measures = QCoreApplication::translate("ts::Glossary", "How many tokens of a reply were reasoning rather than answer: in total over the run, per request on average, and how many requests reasoned at all.");
        e.formula = QCoreApplication::translate("ts::Glossary", "Taken from the server's usage details (reasoning_tokens) when it sends them, else counted from the reasoning chunks. Reasoning tokens are part of the output tokens, so they count in TPOT and in the output token throughput.");
        e.whyItMatters = QCoreApplication::translate("ts::Glossary", "They are output the user may never read but still waits for and pays for. A high output token throughput can hide that most of it went into thinking.");
        e.thresholds = noThresholds();
        e.whatMovesIt = QCoreApplication::translate("ts::Glossary", "The model, the difficulty of the prompt and the server's reasoning settings (budget, effort). Text between <think> and </think> counts as reasoning only when the target is set to count it.");
        break;
    }
    return e;
}

std::optional<MetricId> metricOfStatName(QStringView name)
{
    if (name.compare(u"ttft", Qt::CaseInsensitive) == 0)
        return MetricId::Ttft;
    if (name.compare(u"tpot", Qt::CaseInsensitive) == 0)
        return MetricId::Tpot;
    if (name.compare(u"itl", Qt::CaseInsensitive) == 0)
        return MetricId::Itl;
    if (name.compare(u"e2el", Qt::CaseInsensitive) == 0)
        return MetricId::E2el;
    if (name.compare(u"queue", Qt::CaseInsensitive) == 0)
        return MetricId::QueueTime;
    if (name.compare(u"ttfrt", Qt::CaseInsensitive) == 0)
        return MetricId::Ttfrt;
    if (name.compare(u"ttfat", Qt::CaseInsensitive) == 0)
        return MetricId::Ttfat;
    return std::nullopt;
}

std::optional<Statistic> statisticOf(QStringView name)
{
    if (name.compare(u"mean", Qt::CaseInsensitive) == 0)
        return Statistic::Mean;
    if (name.compare(u"median", Qt::CaseInsensitive) == 0)
        return Statistic::Median;
    if (name.compare(u"std", Qt::CaseInsensitive) == 0)
        return Statistic::Std;
    return std::nullopt;
}

// "Mean", "P99.9" ... followed by the metric's short name, as both the summary and the result
// keys build them.
std::optional<MetricValue> statisticValue(QStringView statistic, QStringView metric)
{
    const std::optional<MetricId> id = metricOfStatName(metric);
    if (!id)
        return std::nullopt;
    if (const std::optional<Statistic> s = statisticOf(statistic))
        return MetricValue { *id, *s, 0.0 };
    if (statistic.size() < 2 || (statistic[0] != u'P' && statistic[0] != u'p'))
        return std::nullopt;
    bool ok = false;
    const double p = statistic.mid(1).toDouble(&ok);
    if (!ok || p < 0.0 || p > 100.0)
        return std::nullopt;
    return MetricValue { *id, Statistic::Percentile, p };
}

} // namespace

const std::vector<MetricId> &allMetricIds()
{
    static const std::vector<MetricId> ids {
        MetricId::Ttft,
        MetricId::Tpot,
        MetricId::Itl,
        MetricId::E2el,
        MetricId::QueueTime,
        MetricId::Ttfrt,
        MetricId::Ttfat,
        MetricId::ReasoningTokens,
        MetricId::RequestThroughput,
        MetricId::RequestGoodput,
        MetricId::OutputTokenThroughput,
        MetricId::PeakOutputTokenThroughput,
        MetricId::TotalTokenThroughput,
        MetricId::SuccessRate,
        MetricId::FailedRequests,
        MetricId::PeakConcurrentRequests,
        MetricId::Duration,
        MetricId::InputTokens,
        MetricId::OutputTokens,
        MetricId::MaxConcurrency,
        MetricId::RequestRate,
    };
    return ids;
}

QString glossaryAnchor(MetricId id)
{
    switch (id) {
    case MetricId::Ttft: return QStringLiteral("ttft");
    case MetricId::Tpot: return QStringLiteral("tpot");
    case MetricId::Itl: return QStringLiteral("itl");
    case MetricId::E2el: return QStringLiteral("e2el");
    case MetricId::QueueTime: return QStringLiteral("queue-time");
    case MetricId::RequestThroughput: return QStringLiteral("request-throughput");
    case MetricId::RequestGoodput: return QStringLiteral("request-goodput");
    case MetricId::OutputTokenThroughput: return QStringLiteral("output-token-throughput");
    case MetricId::PeakOutputTokenThroughput: return QStringLiteral("peak-output-token-throughput");
    case MetricId::TotalTokenThroughput: return QStringLiteral("total-token-throughput");
    case MetricId::SuccessRate: return QStringLiteral("success-rate");
    case MetricId::FailedRequests: return QStringLiteral("failed-requests");
    case MetricId::PeakConcurrentRequests: return QStringLiteral("peak-concurrent-requests");
    case MetricId::Duration: return QStringLiteral("duration");
    case MetricId::InputTokens: return QStringLiteral("input-tokens");
    case MetricId::OutputTokens: return QStringLiteral("output-tokens");
    case MetricId::MaxConcurrency: return QStringLiteral("max-concurrency");
    case MetricId::RequestRate: return QStringLiteral("request-rate");
    case MetricId::Ttfrt: return QStringLiteral("ttfrt");
    case MetricId::Ttfat: return QStringLiteral("ttfat");
    case MetricId::ReasoningTokens: return QStringLiteral("reasoning-tokens");
    }
    return {};
}

GlossaryEntry glossaryEntry(MetricId id)
{
    return makeEntry(id);
}

std::vector<GlossaryEntry> glossaryEntries()
{
    std::vector<GlossaryEntry> entries;
    entries.reserve(allMetricIds().size());
    for (MetricId id : allMetricIds())
        entries.push_back(makeEntry(id));
    return entries;
}

QString glossaryHtml()
{
    const auto paragraph = [](const QString &label, const QString &text) -> QString {
        return QStringLiteral("<p><b>") + label.toHtmlEscaped() + QStringLiteral("</b><br>") + text.toHtmlEscaped()
            + QStringLiteral("</p>\n");
    };
    QString html = QStringLiteral("<html><body>\n<h2>")
        + QCoreApplication::translate("ts::Glossary", "Glossary of metrics").toHtmlEscaped() + QStringLiteral("</h2>\n");
    // The anchor inside the heading: scrolling to it then shows the heading at the top.
    html += QStringLiteral("<h3><a name=\"statistics\"></a>")
        + QCoreApplication::translate("ts::Glossary", "Mean, median, percentiles").toHtmlEscaped() + QStringLiteral("</h3>\n<p>")
        + QCoreApplication::translate("ts::Glossary", "Latencies are given as statistics over many requests, as vLLM computes them. Mean: the average. Median: half the values are below it. P99: 99 % of the values are at or below it; between two measured values it is interpolated linearly, as numpy does. Std: the population standard deviation, how widely the values spread. A mean far above the median, or a P99 far above both, means a few slow requests.")
              .toHtmlEscaped()
        + QStringLiteral("</p>\n");
    const QString measures = QCoreApplication::translate("ts::Glossary", "What it measures");
    const QString formula = QCoreApplication::translate("ts::Glossary", "How it is computed");
    const QString why = QCoreApplication::translate("ts::Glossary", "Why it matters");
    const QString thresholds = QCoreApplication::translate("ts::Glossary", "Reference values");
    const QString moves = QCoreApplication::translate("ts::Glossary", "What moves it");
    for (const GlossaryEntry &e : glossaryEntries()) {
        html += QStringLiteral("<h3><a name=\"") + e.anchor + QStringLiteral("\"></a>") + e.name.toHtmlEscaped()
            + QStringLiteral("</h3>\n<p><i>") + e.shortTip.toHtmlEscaped() + QStringLiteral("</i></p>\n");
        html += paragraph(measures, e.measures);
        html += paragraph(formula, e.formula);
        html += paragraph(why, e.whyItMatters);
        html += paragraph(thresholds, e.thresholds);
        html += paragraph(moves, e.whatMovesIt);
    }
    html += QStringLiteral("</body></html>\n");
    return html;
}

std::optional<MetricValue> metricOfSummaryLine(QStringView line)
{
    const QStringView text = line.trimmed();
    if (text.isEmpty())
        return std::nullopt;

    // Section titles: "---------------Time to First Token----------------".
    if (text.startsWith(u'-') || text.startsWith(u'=')) {
        QStringView title = text;
        while (!title.isEmpty() && (title.front() == u'-' || title.front() == u'='))
            title = title.mid(1);
        while (!title.isEmpty() && (title.back() == u'-' || title.back() == u'='))
            title.chop(1);
        title = title.trimmed();
        struct Title { const char16_t *text; MetricId id; };
        static constexpr Title titles[] = {
            { u"Time to First Token", MetricId::Ttft },
            { u"Time per Output Token (excl. 1st token)", MetricId::Tpot },
            { u"Inter-token Latency", MetricId::Itl },
            { u"End-to-end Latency", MetricId::E2el },
            { u"Client Queue Time", MetricId::QueueTime },
            { u"Reasoning", MetricId::ReasoningTokens },
        };
        for (const Title &t : titles) {
            if (title == QStringView(t.text))
                return MetricValue { t.id, Statistic::None, 0.0 };
        }
        return std::nullopt;
    }

    const qsizetype colon = text.indexOf(u':');
    if (colon < 0)
        return std::nullopt;
    const QStringView label = text.left(colon + 1);
    struct Row { const char16_t *label; MetricId id; };
    static constexpr Row rows[] = {
        { u"Successful requests:", MetricId::SuccessRate },
        { u"Failed requests:", MetricId::FailedRequests },
        { u"Maximum request concurrency:", MetricId::MaxConcurrency },
        { u"Request rate configured (RPS):", MetricId::RequestRate },
        { u"Benchmark duration (s):", MetricId::Duration },
        { u"Total input tokens:", MetricId::InputTokens },
        { u"Total generated tokens:", MetricId::OutputTokens },
        { u"Request throughput (req/s):", MetricId::RequestThroughput },
        { u"Request goodput (req/s):", MetricId::RequestGoodput },
        { u"Output token throughput (tok/s):", MetricId::OutputTokenThroughput },
        { u"Peak output token throughput (tok/s):", MetricId::PeakOutputTokenThroughput },
        { u"Peak concurrent requests:", MetricId::PeakConcurrentRequests },
        { u"Total token throughput (tok/s):", MetricId::TotalTokenThroughput },
        { u"Total Token throughput (tok/s):", MetricId::TotalTokenThroughput },   // older vLLM
        { u"Requests with reasoning:", MetricId::ReasoningTokens },
        { u"Total reasoning tokens:", MetricId::ReasoningTokens },
        { u"Mean reasoning tokens:", MetricId::ReasoningTokens },
    };
    for (const Row &r : rows) {
        if (label == QStringView(r.label))
            return MetricValue { r.id, Statistic::None, 0.0 };
    }

    // "Mean TTFT (ms):", "P99.9 ITL (ms):".
    static const QRegularExpression statRow(QStringLiteral("^(\\S+) (TTFT|TPOT|ITL|E2EL|Queue|TTFRT|TTFAT) \\(ms\\):$"));
    const QRegularExpressionMatch m = statRow.match(label);
    if (!m.hasMatch())
        return std::nullopt;
    return statisticValue(m.capturedView(1), m.capturedView(2));
}

std::optional<MetricValue> metricOfResultKey(QStringView key)
{
    struct Key { const char16_t *key; MetricId id; };
    static constexpr Key keys[] = {
        { u"completed", MetricId::SuccessRate },
        { u"failed", MetricId::FailedRequests },
        { u"max_concurrency", MetricId::MaxConcurrency },
        { u"request_rate", MetricId::RequestRate },
        { u"duration", MetricId::Duration },
        { u"total_input_tokens", MetricId::InputTokens },
        { u"total_output_tokens", MetricId::OutputTokens },
        { u"request_throughput", MetricId::RequestThroughput },
        { u"request_goodput", MetricId::RequestGoodput },
        { u"output_throughput", MetricId::OutputTokenThroughput },
        { u"max_output_tokens_per_s", MetricId::PeakOutputTokenThroughput },
        { u"max_concurrent_requests", MetricId::PeakConcurrentRequests },
        { u"total_token_throughput", MetricId::TotalTokenThroughput },
        { u"total_reasoning_tokens", MetricId::ReasoningTokens },
        { u"reasoning_requests", MetricId::ReasoningTokens },
    };
    for (const Key &k : keys) {
        if (key == QStringView(k.key))
            return MetricValue { k.id, Statistic::None, 0.0 };
    }
    static const QRegularExpression statKey(QStringLiteral("^(mean|median|std|p[0-9.]+)_(ttft|tpot|itl|e2el|queue|ttfrt|ttfat)_ms$"));
    const QRegularExpressionMatch m = statKey.match(key);
    if (!m.hasMatch())
        return std::nullopt;
    return statisticValue(m.capturedView(1), m.capturedView(2));
}

} // namespace ts
