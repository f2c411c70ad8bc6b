# Comparing result files (engine/compare).
tokenstorm_add_test(tst_comparison SOURCES tst_comparison.cpp LIBS Tokenstorm::Engine)
