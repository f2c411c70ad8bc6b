# datasets: ShareGPT, sonnet, custom JSONL/CSV, prefix repetition and exact random lengths.
tokenstorm_add_test(tst_datasets SOURCES tst_datasets.cpp LIBS Tokenstorm::Engine)
# Rows with real models' tokenizers use the ones the fetch_tokenizers fixture (tokenizer.cmake)
# puts into the build tree, and skip without them.
set_tests_properties(tst_datasets PROPERTIES FIXTURES_REQUIRED tokenizers)
set_property(TEST tst_datasets APPEND PROPERTY ENVIRONMENT "TOKENSTORM_TOKENIZERS_DIR=${CMAKE_BINARY_DIR}/tokenizers")
# Mooncake traces: records, shared prefix blocks, bad lines, and the rules of a trace run.
tokenstorm_add_test(tst_tracedataset SOURCES tst_tracedataset.cpp LIBS Tokenstorm::Engine)
