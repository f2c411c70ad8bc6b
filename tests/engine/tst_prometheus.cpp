#include "prometheus/prometheustext.h"
#include "prometheus/serversnapshot.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace ts;

namespace {

QByteArray sample(const QString &name)
{
    QFile file(qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QStringLiteral("/prometheus/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

double valueOf(const PrometheusScrape &scrape, const QString &name, const QString &labelKey = {},
               const QString &labelValue = {})
{
    for (const PrometheusSample *s : scrape.samples(name)) {
        if (labelKey.isEmpty() || s->label(labelKey) == labelValue)
            return s->value;
    }
    return -12345.0;
}

} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordedPagesParseCleanly_data();
    void recordedPagesParseCleanly();
    void serverSnapshots_data();
    void serverSnapshots();
    void helpTypeAndEscapes();
    void valuesAndTimestamps();
    void samplesJoinTheirFamily();
    void brokenLinesAreSkipped();
    void histogramsAddUpOverSeries();
    void histogramQuantileInterpolates();
    void crlfAndNoFinalNewline();
    void unknownPageGivesEmptySnapshot();
};

void TestPrometheus::recordedPagesParseCleanly_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("families");
    QTest::addRow("builtin") << QStringLiteral("builtin.txt") << 15;
    QTest::addRow("vllm") << QStringLiteral("vllm.txt") << 14;
    QTest::addRow("vllm v0") << QStringLiteral("vllm_v0.txt") << 11;
    QTest::addRow("sglang") << QStringLiteral("sglang.txt") << 13;
    QTest::addRow("tgi") << QStringLiteral("tgi.txt") << 11;
    QTest::addRow("llama.cpp") << QStringLiteral("llamacpp.txt") << 11;
    QTest::addRow("llama.cpp with kv") << QStringLiteral("llamacpp_kv.txt") << 10;
}

// Every line of the real formats is understood: no issue, and one family per TYPE line.
void TestPrometheus::recordedPagesParseCleanly()
{
    QFETCH(QString, file);
    QFETCH(int, families);
    const QByteArray text = sample(file);
    QVERIFY2(!text.isEmpty(), qPrintable(file));
    const PrometheusScrape scrape = parsePrometheusText(text);
    for (const PrometheusIssue &issue : scrape.issues)
        qWarning("line %d: %s", issue.line, qPrintable(issue.message));
    QVERIFY(scrape.issues.empty());
    QCOMPARE(int(scrape.families.size()), families);
    QCOMPARE(int(scrape.families.size()), int(text.count("# TYPE ")));
    for (const PrometheusFamily &f : scrape.families) {
        QVERIFY2(!f.samples.empty(), qPrintable(f.name));
        QVERIFY2(f.type != PrometheusType::Untyped, qPrintable(f.name));
    }
}

void TestPrometheus::serverSnapshots_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<ServerKind>("kind");
    QTest::addColumn<double>("running");
    QTest::addColumn<double>("waiting");
    QTest::addColumn<double>("kvCache");       // < 0: the server does not publish it
    QTest::addColumn<double>("promptTokens");
    QTest::addColumn<double>("generationTokens");

    QTest::addRow("builtin") << QStringLiteral("builtin.txt") << ServerKind::BuiltIn << 16.0 << 8.0
                             << 0.0316925048828 << 2712.0 << 397.0;
    // Two data-parallel engines: counts and tokens add up, the cache is the fuller engine's.
    QTest::addRow("vllm") << QStringLiteral("vllm.txt") << ServerKind::Vllm << 12.0 + 9.0 << 3.0
                          << 0.4127197265625 << 1048576.0 + 917504.0 << 131072.0 + 114688.0;
    QTest::addRow("vllm v0") << QStringLiteral("vllm_v0.txt") << ServerKind::Vllm << 64.0 << 36.0 << 0.9871
                             << 2.56e6 << 320000.0;
    QTest::addRow("sglang") << QStringLiteral("sglang.txt") << ServerKind::SGLang << 48.0 << 5.0 << 0.23
                            << 655360.0 << 81920.0;
    QTest::addRow("tgi") << QStringLiteral("tgi.txt") << ServerKind::Tgi << 32.0 << 7.0 << -1.0 << 524288.0
                         << 131072.0;
    QTest::addRow("llama.cpp") << QStringLiteral("llamacpp.txt") << ServerKind::LlamaCpp << 4.0 << 6.0 << -1.0
                               << 33065.0 << 7801.0;
    QTest::addRow("llama.cpp with kv") << QStringLiteral("llamacpp_kv.txt") << ServerKind::LlamaCpp << 2.0 << 0.0
                                       << 0.252686 << 6886.0 << 3469.0;
}

void TestPrometheus::serverSnapshots()
{
    QFETCH(QString, file);
    QFETCH(ServerKind, kind);
    QFETCH(double, running);
    QFETCH(double, waiting);
    QFETCH(double, kvCache);
    QFETCH(double, promptTokens);
    QFETCH(double, generationTokens);

    const PrometheusScrape scrape = parsePrometheusText(sample(file));
    QCOMPARE(detectServerKind(scrape), kind);
    const ServerSnapshot s = serverSnapshot(scrape);
    QCOMPARE(s.kind, kind);
    QVERIFY(s.hasAny());
    QVERIFY(s.running && s.waiting && s.promptTokensTotal && s.generationTokensTotal);
    QCOMPARE(*s.running, running);
    QCOMPARE(*s.waiting, waiting);
    QCOMPARE(*s.promptTokensTotal, promptTokens);
    QCOMPARE(*s.generationTokensTotal, generationTokens);
    if (kvCache < 0) {
        QVERIFY(!s.kvCacheUsage);
    } else {
        QVERIFY(s.kvCacheUsage);
        QCOMPARE(*s.kvCacheUsage, kvCache);
    }
    QVERIFY(!serverKindName(kind).isEmpty());
    QVERIFY(!serverKindDisplayName(kind).isEmpty());
}

void TestPrometheus::helpTypeAndEscapes()
{
    const PrometheusScrape scrape = parsePrometheusText(sample(QStringLiteral("edge_cases.txt")));
    const PrometheusFamily *requests = scrape.family(u"http_requests_total");
    QVERIFY(requests);
    QCOMPARE(requests->type, PrometheusType::Counter);
    QCOMPARE(requests->help, QStringLiteral("Requests, with a backslash \\ and a line break \n in the help."));
    QCOMPARE(int(requests->samples.size()), 2);
    QCOMPARE(requests->samples[1].label(u"code"), QStringLiteral("400"));
    QCOMPARE(requests->samples[1].value, 3.0);

    const std::vector<const PrometheusSample *> dos = scrape.samples(u"msdos_file_access_time_seconds");
    QCOMPARE(int(dos.size()), 1);
    QCOMPARE(dos[0]->label(u"path"), QStringLiteral("C:\\DIR\\FILE.TXT"));
    QCOMPARE(dos[0]->label(u"error"), QStringLiteral("Cannot find file:\n\"FILE.TXT\""));
    QCOMPARE(dos[0]->labels.size(), 2);
    QCOMPARE(dos[0]->value, 1.458255915e9);

    const std::vector<const PrometheusSample *> indented = scrape.samples(u"indented_sample");
    QCOMPARE(int(indented.size()), 1);
    QCOMPARE(indented[0]->label(u"a"), QStringLiteral("1"));
    QCOMPARE(indented[0]->label(u"b"), QStringLiteral("2"));
    QCOMPARE(indented[0]->label(u"absent"), QString());

    const std::vector<const PrometheusSample *> dotted = scrape.samples(u"my.dotted.metric");
    QCOMPARE(int(dotted.size()), 1);
    QCOMPARE(dotted[0]->label(u"zone"), QStringLiteral("eu"));
    QCOMPARE(dotted[0]->value, 5.0);
}

void TestPrometheus::valuesAndTimestamps()
{
    const PrometheusScrape scrape = parsePrometheusText(sample(QStringLiteral("edge_cases.txt")));
    const PrometheusSample *first = scrape.samples(u"http_requests_total").front();
    QVERIFY(first->timestamp);
    QCOMPARE(*first->timestamp, 1395066363000.0);
    QCOMPARE(first->value, 1027.0);

    const PrometheusSample *weird = scrape.samples(u"something_weird").front();
    QVERIFY(std::isinf(weird->value) && weird->value > 0);
    QCOMPARE(*weird->timestamp, -3982045.0);

    QVERIFY(std::isnan(valueOf(scrape, QStringLiteral("nan_gauge"))));
    const double negative = valueOf(scrape, QStringLiteral("negative_inf"));
    QVERIFY(std::isinf(negative) && negative < 0);
    QVERIFY(!scrape.samples(u"metric_without_timestamp_and_labels").front()->timestamp);
    QCOMPARE(valueOf(scrape, QStringLiteral("metric_without_timestamp_and_labels")), 12.47);
    // NaN does not poison a sum.
    QVERIFY(!scrape.sum(u"nan_gauge"));
}

void TestPrometheus::samplesJoinTheirFamily()
{
    const PrometheusScrape scrape = parsePrometheusText(sample(QStringLiteral("edge_cases.txt")));
    // OpenMetrics: TYPE om_requests, samples om_requests_total and om_requests_created.
    const PrometheusFamily *om = scrape.family(u"om_requests");
    QVERIFY(om);
    QCOMPARE(om->type, PrometheusType::Counter);
    QCOMPARE(int(om->samples.size()), 2);
    QCOMPARE(valueOf(scrape, QStringLiteral("om_requests_total")), 42.0);   // the exemplar is ignored
    QVERIFY(!scrape.family(u"om_requests_total"));

    const PrometheusFamily *rpc = scrape.family(u"rpc_duration_seconds");
    QVERIFY(rpc);
    QCOMPARE(rpc->type, PrometheusType::Summary);
    QCOMPARE(int(rpc->samples.size()), 5);
    QCOMPARE(valueOf(scrape, QStringLiteral("rpc_duration_seconds"), QStringLiteral("quantile"), QStringLiteral("0.5")), 4773.0);
    QCOMPARE(valueOf(scrape, QStringLiteral("rpc_duration_seconds_sum")), 1.7560473e7);

    // vLLM (prometheus_client): counters are typed with their _total name, _created are gauges.
    const PrometheusScrape vllm = parsePrometheusText(sample(QStringLiteral("vllm.txt")));
    QCOMPARE(vllm.family(u"vllm:prompt_tokens_total")->type, PrometheusType::Counter);
    QCOMPARE(vllm.family(u"vllm:prompt_tokens_created")->type, PrometheusType::Gauge);
    const PrometheusFamily *ttft = vllm.family(u"vllm:time_to_first_token_seconds");
    QVERIFY(ttft);
    QCOMPARE(ttft->type, PrometheusType::Histogram);
    QCOMPARE(int(ttft->samples.size()), 23 + 2);    // 22 bounds and +Inf, _count, _sum
}

void TestPrometheus::brokenLinesAreSkipped()
{
    const PrometheusScrape scrape = parsePrometheusText(sample(QStringLiteral("edge_cases.txt")));
    QCOMPARE(int(scrape.issues.size()), 3);
    for (const PrometheusIssue &issue : scrape.issues) {
        QVERIFY(issue.line > 0);
        QVERIFY(!issue.message.isEmpty());
    }
    QVERIFY(!scrape.has(u"broken_value"));
    QVERIFY(!scrape.has(u"broken_labels"));
    QCOMPARE(valueOf(scrape, QStringLiteral("after_broken")), 1.0);
    // Nothing after "# EOF" is read.
    QVERIFY(!scrape.has(u"after_eof_is_ignored"));
}

void TestPrometheus::histogramsAddUpOverSeries()
{
    const PrometheusScrape tgi = parsePrometheusText(sample(QStringLiteral("tgi.txt")));
    // Prefill and decode series of one family add up.
    const std::optional<PrometheusHistogram> forward = tgi.histogram(u"tgi_batch_forward_duration");
    QVERIFY(forward);
    QCOMPARE(forward->count, 212.0 + 15873.0);
    QCOMPARE(forward->sum, 14.9023 + 327.17);
    QCOMPARE(int(forward->buckets.size()), 5);
    QCOMPARE(forward->buckets.front().second, 0.0);
    QCOMPARE(forward->buckets[1].second, 31.0 + 15102.0);
    QVERIFY(std::isinf(forward->buckets.back().first));
    QCOMPARE(forward->buckets.back().second, forward->count);

    const std::optional<PrometheusHistogram> input = tgi.histogram(u"tgi_request_input_length");
    QVERIFY(input);
    QCOMPARE(input->sum, 524288.0);
    QVERIFY(!tgi.histogram(u"tgi_queue_size"));     // a gauge has no _count
    QVERIFY(!tgi.histogram(u"no_such_family"));
}

void TestPrometheus::histogramQuantileInterpolates()
{
    const PrometheusScrape scrape = parsePrometheusText(sample(QStringLiteral("edge_cases.txt")));
    const std::optional<PrometheusHistogram> h = scrape.histogram(u"http_request_duration_seconds");
    QVERIFY(h);
    QCOMPARE(h->count, 144320.0);
    // The median's rank 72160 falls between the buckets 0.1 (33444) and 0.2 (100392).
    const double expected = 0.1 + (0.2 - 0.1) * (72160.0 - 33444.0) / (100392.0 - 33444.0);
    QCOMPARE(*histogramQuantile(*h, 0.5), expected);
    // In the first bucket, from 0.
    QCOMPARE(*histogramQuantile(*h, 0.1), 0.05 * 14432.0 / 24054.0);
    // In the +Inf bucket: the highest finite bound, as PromQL answers.
    QCOMPARE(*histogramQuantile(*h, 0.99), 1.0);
    QVERIFY(!histogramQuantile(PrometheusHistogram {}, 0.5));
    QVERIFY(!histogramQuantile(*h, 1.5));
}

void TestPrometheus::crlfAndNoFinalNewline()
{
    const PrometheusScrape scrape = parsePrometheusText("# TYPE a gauge\r\na{x=\"1\"} 1\r\na{x=\"2\"} 2\r\nb 3");
    QVERIFY(scrape.issues.empty());
    QCOMPARE(*scrape.sum(u"a"), 3.0);
    QCOMPARE(*scrape.max(u"a"), 2.0);
    QCOMPARE(valueOf(scrape, QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("2")), 2.0);
    QCOMPARE(valueOf(scrape, QStringLiteral("b")), 3.0);
    QCOMPARE(scrape.family(u"b")->type, PrometheusType::Untyped);
}

void TestPrometheus::unknownPageGivesEmptySnapshot()
{
    QVERIFY(parsePrometheusText("").isEmpty());
    const PrometheusScrape other = parsePrometheusText("# TYPE foo gauge\nfoo 1\n");
    QCOMPARE(detectServerKind(other), ServerKind::Unknown);
    QVERIFY(!serverSnapshot(other).hasAny());
    // Not a metrics page at all (a JSON health answer): no families, no crash.
    const PrometheusScrape json = parsePrometheusText("{\"status\":\"ok\"}");
    QVERIFY(json.isEmpty());
    QVERIFY(!serverSnapshot(json).hasAny());
}

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
