#pragma once

#include "sweep/sweep.h"   // SweepResult's metatype, for the slot
#include "views/exercises.h"

#include <QWidget>

#include <vector>

class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace ts {

class ExerciseHost;

// The guide's three hands-on exercises on the built-in server. Each step says what to set (and
// sets it), what to watch and asks a question; the answer is checked against, or explained from,
// the user's own results, which the window passes in through runFinished() and sweepFinished().
// Talks to the window only through ExerciseHost, so it can live in a dock or a window of its own.
class ExercisesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExercisesPanel(ExerciseHost *host, QWidget *parent = nullptr);

    int exerciseCount() const { return int(m_steps.size()); }
    int stepCount(int exercise) const { return int(m_steps.at(std::size_t(exercise)).size()); }
    int currentExercise() const;
    void setCurrentExercise(int exercise);
    const ExerciseEvidence &evidence() const { return m_evidence; }

    // A step's controls, for the window's shortcuts and for tests. The set and start buttons
    // are hidden on a step that keeps the previous step's settings.
    QPushButton *setButton(int exercise, int step) const { return widgets(exercise, step).set; }
    QPushButton *startButton(int exercise, int step) const { return widgets(exercise, step).start; }
    QLineEdit *answerEdit(int exercise, int step) const { return widgets(exercise, step).answer; }
    QPushButton *checkButton(int exercise, int step) const { return widgets(exercise, step).check; }
    QPushButton *showAnswerButton(int exercise, int step) const { return widgets(exercise, step).show; }
    QLabel *resultLabel(int exercise, int step) const { return widgets(exercise, step).result; }
    // What the result label says, as computed (available, correct, text).
    ExerciseAnswer lastAnswer(int exercise, int step) const { return widgets(exercise, step).answerShown; }

public Q_SLOTS:
    void runFinished(const ts::ResultDocument &document);
    void sweepFinished(const ts::SweepResult &result);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Shown { Nothing, Check, Answer };
    struct StepWidgets
    {
        QGroupBox *box = nullptr;
        QLabel *todo = nullptr;
        QLabel *watch = nullptr;
        QLabel *question = nullptr;
        QLabel *result = nullptr;
        QLineEdit *answer = nullptr;
        QPushButton *set = nullptr;
        QPushButton *start = nullptr;
        QPushButton *check = nullptr;
        QPushButton *show = nullptr;
        Shown shown = Shown::Nothing;
        ExerciseAnswer answerShown;
    };

    QWidget *buildPage(int exercise, const Exercise &definition);
    const StepWidgets &widgets(int exercise, int step) const;
    const ExerciseStep &step(int exercise, int step) const;
    void applySettings(int exercise, int step);
    void check(int exercise, int step);
    void showAnswer(int exercise, int step);
    // Computes what the step's result label says from the evidence as it is now.
    void refreshResult(int exercise, int step);
    void retranslateUi();

    ExerciseHost *m_host;
    std::vector<Exercise> m_exercises;      // in the current language
    ExerciseEvidence m_evidence;
    QLabel *m_intro = nullptr;
    QListWidget *m_list = nullptr;
    QStackedWidget *m_pages = nullptr;
    std::vector<QLabel *> m_goals;
    std::vector<std::vector<StepWidgets>> m_steps;
};

} // namespace ts
