tokenstorm_add_test(tst_arrivals SOURCES tst_arrivals.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_backends SOURCES tst_backends.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_backendregistry SOURCES tst_backendregistry.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_nativebackends SOURCES tst_nativebackends.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_runner SOURCES tst_runner.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_multiturn SOURCES tst_multiturn.cpp LIBS Tokenstorm::Engine)
# A Mooncake trace replayed against the simulator: each request reaches it at its timestamp.
tokenstorm_add_test(tst_tracereplay SOURCES tst_tracereplay.cpp LIBS Tokenstorm::Engine)
