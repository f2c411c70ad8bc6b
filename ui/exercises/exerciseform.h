#pragma once

#include "forms/formstate.h"
#include "views/exercises.h"

#include <optional>

namespace ts {

// The form with a step's settings applied: the built-in server with the step's preset, the
// random dataset with exact lengths, and a single run or a concurrency sweep. Everything the
// step does not name (target backend, timeouts, tokenizer, ...) stays as the user left it.
FormState withExerciseSettings(FormState state, const ExerciseSettings &settings);

// The built-in server's sequence slots for the form, when it runs a batching preset.
std::optional<int> serverSlotsOf(const FormState &state);

} // namespace ts
