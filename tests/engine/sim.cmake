# The simulated inference server (engine/sim).
tokenstorm_add_test(tst_simunits SOURCES tst_simunits.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_simserver SOURCES tst_simserver.cpp tst_simclient.h LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_simtiming SOURCES tst_simtiming.cpp tst_simclient.h LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_simbatching SOURCES tst_simbatching.cpp tst_simclient.h LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_simlimits SOURCES tst_simlimits.cpp tst_simclient.h LIBS Tokenstorm::Engine)
# The built-in server as a reasoning model, and the reasoning metrics it leads to.
tokenstorm_add_test(tst_simreasoning SOURCES tst_simreasoning.cpp LIBS Tokenstorm::Engine)
