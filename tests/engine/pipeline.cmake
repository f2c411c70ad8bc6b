# The one run pipeline (engine/pipeline): preparing runs and sweeps, and how a run ended.
tokenstorm_add_test(tst_runpipeline SOURCES tst_runpipeline.cpp LIBS Tokenstorm::Engine)
