# The client's network side (engine/transport).
tokenstorm_add_test(tst_managerpool SOURCES tst_managerpool.cpp LIBS Tokenstorm::Engine)
