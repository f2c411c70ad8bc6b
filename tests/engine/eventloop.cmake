# The engine's event dispatcher (engine/eventloop).
tokenstorm_add_test(tst_scalabledispatcher SOURCES tst_scalabledispatcher.cpp LIBS Tokenstorm::Engine)
