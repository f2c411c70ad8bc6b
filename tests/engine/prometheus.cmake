# The server's own view: Prometheus text parser, server metric names, scraper (engine/prometheus).
tokenstorm_add_test(tst_prometheus SOURCES tst_prometheus.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_metricsscraper SOURCES tst_metricsscraper.cpp LIBS Tokenstorm::Engine)
