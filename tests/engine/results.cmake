tokenstorm_add_test(tst_resultjson SOURCES tst_resultjson.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_resultfile SOURCES tst_resultfile.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_csv SOURCES tst_csv.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_summary SOURCES tst_summary.cpp LIBS Tokenstorm::Engine)
# The one way files are written (engine/core/savefile).
tokenstorm_add_test(tst_savefile SOURCES tst_savefile.cpp LIBS Tokenstorm::Engine)
tokenstorm_add_test(tst_journal SOURCES tst_journal.cpp LIBS Tokenstorm::Engine)
