tokenstorm_add_test(tst_glossary SOURCES tst_glossary.cpp LIBS Tokenstorm::Engine)
