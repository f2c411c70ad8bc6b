# sse: the Server-Sent-Events parser and the error texts built from server replies.
tokenstorm_add_test(tst_sseparser SOURCES tst_sseparser.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_errortext SOURCES tst_errortext.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_utf8validator SOURCES tst_utf8validator.cpp LIBS Tokenstorm::Engine)
