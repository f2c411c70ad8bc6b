#pragma once

#include "forms/formstate.h"

#include <QString>

namespace ts {

// What the exercises panel needs from the window around it: the form's values, a way to set
// them and to start, and where to point the user. The main window implements it; tests give
// their own.
class ExerciseHost
{
public:
    virtual ~ExerciseHost() = default;
    virtual FormState formState() const = 0;
    virtual void applyFormState(const FormState &state) = 0;
    // Starts a run or a sweep with the form's values, as the Start button does.
    virtual void startRun() = 0;
    // Selects a request in the timeline: its position in ResultDocument::run.records of the
    // last result the panel received.
    virtual void showRequest(int recordIndex) = 0;
    // Brings a view to the front: "timeline", "summary", "sweep" or "compare".
    virtual void showTab(const QString &id) = 0;
};

} // namespace ts
