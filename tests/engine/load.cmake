tokenstorm_add_test(tst_arrivals SOURCES tst_arrivals.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_backends SOURCES tst_backends.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_runner SOURCES tst_runner.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_multiturn SOURCES tst_multiturn.cpp LIBS Tokenstorm::Engine)
