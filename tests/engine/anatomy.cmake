tokenstorm_add_test(tst_anatomy SOURCES tst_anatomy.cpp LIBS Tokenstorm::Engine)
