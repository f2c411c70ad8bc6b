# The data behind the views, without widgets.
tokenstorm_add_test(tst_timelinedata SOURCES tst_timelinedata.cpp LIBS Tokenstorm::Engine)
# The live charts' data: the planned rate of a ramp, the sent and finished rates.
tokenstorm_add_test(tst_livedata SOURCES tst_livedata.cpp LIBS Tokenstorm::Engine)
# Which metrics a run has (none of the token timings for embeddings), in the report too.
tokenstorm_add_test(tst_runmetrics SOURCES tst_runmetrics.cpp LIBS Tokenstorm::Engine)
# The result behind the results view: reasoning distributions and summary block.
tokenstorm_add_test(tst_resultdocument SOURCES tst_resultdocument.cpp LIBS Tokenstorm::Engine)
