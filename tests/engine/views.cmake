# The data behind the views, without widgets.
tokenstorm_add_test(tst_timelinedata SOURCES tst_timelinedata.cpp LIBS Tokenstorm::Engine)
