tokenstorm_add_test(tst_statistics SOURCES tst_statistics.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_benchmarkmetrics SOURCES tst_benchmarkmetrics.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_rating SOURCES tst_rating.cpp LIBS Tokenstorm::Engine)
