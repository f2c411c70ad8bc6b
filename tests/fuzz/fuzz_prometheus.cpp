// The Prometheus text parser on a /metrics page a server chose, and what the scraper then asks
// of the result: sums, maxima and histogram quantiles of every family.

#include "fuzzsupport.h"

#include "prometheus/prometheustext.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const ts::PrometheusScrape scrape = ts::parsePrometheusText(ts::fuzz::bytesOf(data, size));
    for (const ts::PrometheusIssue &issue : scrape.issues)
        ts::fuzz::check(issue.line >= 1 && !issue.message.isEmpty(), "an issue without a line or a message");
    for (const ts::PrometheusFamily &family : scrape.families) {
        ts::fuzz::check(scrape.family(family.name) != nullptr, "a family that cannot be found by its name");
        for (const ts::PrometheusSample &sample : family.samples) {
            ts::fuzz::check(scrape.has(sample.name), "a sample that cannot be found by its name");
            (void)scrape.sum(sample.name);
            (void)scrape.max(sample.name);
            for (const auto &label : sample.labels)
                (void)sample.label(label.first);
        }
        if (const auto histogram = scrape.histogram(family.name)) {
            for (double q : {0.0, 0.5, 0.99, 1.0, -1.0, 2.0, std::nan("")})
                (void)ts::histogramQuantile(*histogram, q);
        }
    }
    return 0;
}
