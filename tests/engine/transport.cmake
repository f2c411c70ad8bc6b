# The client's network side (engine/transport).
tokenstorm_add_test(tst_managerpool SOURCES tst_managerpool.cpp LIBS Tokenstorm::Engine)
if(TOKENSTORM_HAVE_QTNETWORK_PRIVATE)
    # The managers' HTTP threads must then have the engine's dispatcher.
    target_compile_definitions(tst_managerpool PRIVATE TOKENSTORM_HAVE_QTNETWORK_PRIVATE)
endif()
# Replies no well-behaved server sends: the client stays bounded, and says what went wrong.
tokenstorm_add_test(tst_transport SOURCES tst_transport.cpp LIBS Tokenstorm::Engine)
# Recorded replies of the Responses and Anthropic APIs over a real socket.
tokenstorm_add_test(tst_backendwire SOURCES tst_backendwire.cpp LIBS Tokenstorm::Engine)
