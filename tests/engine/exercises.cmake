# The guide's exercises (engine/views/exercises): answers from hand-made and real runs, the
# classroom preset of the built-in server.
tokenstorm_add_test(tst_exercises SOURCES tst_exercises.cpp LIBS Tokenstorm::Engine)
