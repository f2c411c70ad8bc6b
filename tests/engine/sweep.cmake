# Concurrency and rate sweeps (engine/sweep): rules and verdict on synthetic levels, and whole
# sweeps against the built-in server.
tokenstorm_add_test(tst_sweeprules SOURCES tst_sweeprules.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_sweep SOURCES tst_sweep.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_sweepfiles SOURCES tst_sweepfiles.cpp LIBS Tokenstorm::Engine)
