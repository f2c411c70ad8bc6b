# The openai-embeddings API: the built-in server's /v1/embeddings, recorded replies of real servers.
tokenstorm_add_test(tst_embeddings SOURCES tst_embeddings.cpp LIBS Tokenstorm::Engine)
