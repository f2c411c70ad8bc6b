#include "exercises/exercisespanel.h"

#include "exercises/exercisehost.h"
#include "exercises/exerciseform.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ts {

namespace {

// Enough for exercise 3's comparison with a few extra tries, without keeping every run.
constexpr std::size_t kKeptRuns = 8;

QLabel *wrappedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ExercisesPanel::ExercisesPanel(ExerciseHost *host, QWidget *parent)
    : QWidget(parent)
    , m_host(host)
    , m_exercises(exercises())
{
    auto *layout = new QVBoxLayout(this);
    m_intro = wrappedLabel(this);
    layout->addWidget(m_intro);

    // The exercises above their steps: a dock beside the results is tall and narrow.
    auto *body = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_pages = new QStackedWidget(this);
    for (int e = 0; e < int(m_exercises.size()); ++e) {
        m_list->addItem(QString());
        m_pages->addWidget(buildPage(e, m_exercises[std::size_t(e)]));
    }
    connect(m_list, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    body->addWidget(m_list);
    body->addWidget(m_pages, 1);
    layout->addLayout(body, 1);

    m_list->setCurrentRow(0);
    retranslateUi();
    m_list->setFixedHeight(m_list->sizeHintForRow(0) * m_list->count() + 2 * m_list->frameWidth() + 2);
}

QWidget *ExercisesPanel::buildPage(int exercise, const Exercise &definition)
{
    auto *scroll = new QScrollArea(m_pages);
    scroll->setWidgetResizable(true);
    auto *page = new QWidget(scroll);
    auto *layout = new QVBoxLayout(page);
    m_goals.push_back(wrappedLabel(page));
    layout->addWidget(m_goals.back());

    std::vector<StepWidgets> steps;
    for (int s = 0; s < int(definition.steps.size()); ++s) {
        StepWidgets w;
        w.box = new QGroupBox(page);
        auto *box = new QVBoxLayout(w.box);
        w.todo = wrappedLabel(w.box);
        box->addWidget(w.todo);

        auto *actions = new QHBoxLayout;
        w.set = new QPushButton(w.box);
        w.start = new QPushButton(w.box);
        actions->addWidget(w.set);
        actions->addWidget(w.start);
        actions->addStretch(1);
        box->addLayout(actions);
        const bool hasSettings = definition.steps[std::size_t(s)].settings.has_value();
        w.set->setVisible(hasSettings);
        w.start->setVisible(hasSettings);

        w.watch = wrappedLabel(w.box);
        box->addWidget(w.watch);
        w.question = wrappedLabel(w.box);
        QFont bold = w.question->font();
        bold.setBold(true);
        w.question->setFont(bold);
        box->addWidget(w.question);

        // The answer on a line of its own and the buttons under it: the panel is a narrow dock.
        w.answer = new QLineEdit(w.box);
        w.check = new QPushButton(w.box);
        w.show = new QPushButton(w.box);
        box->addWidget(w.answer);
        auto *answerButtons = new QHBoxLayout;
        answerButtons->addWidget(w.check);
        answerButtons->addWidget(w.show);
        answerButtons->addStretch(1);
        box->addLayout(answerButtons);
        w.result = wrappedLabel(w.box);
        box->addWidget(w.result);
        layout->addWidget(w.box);

        connect(w.set, &QPushButton::clicked, this, [this, exercise, s] { applySettings(exercise, s); });
        connect(w.start, &QPushButton::clicked, this, [this] { m_host->startRun(); });
        connect(w.check, &QPushButton::clicked, this, [this, exercise, s] { check(exercise, s); });
        connect(w.answer, &QLineEdit::returnPressed, this, [this, exercise, s] { check(exercise, s); });
        connect(w.show, &QPushButton::clicked, this, [this, exercise, s] { showAnswer(exercise, s); });
        steps.push_back(w);
    }
    m_steps.push_back(std::move(steps));
    layout->addStretch(1);
    scroll->setWidget(page);
    return scroll;
}

int ExercisesPanel::currentExercise() const
{
    return m_list->currentRow();
}

void ExercisesPanel::setCurrentExercise(int exercise)
{
    m_list->setCurrentRow(exercise);
}

const ExercisesPanel::StepWidgets &ExercisesPanel::widgets(int exercise, int step) const
{
    return m_steps.at(std::size_t(exercise)).at(std::size_t(step));
}

const ExerciseStep &ExercisesPanel::step(int exercise, int step) const
{
    return m_exercises.at(std::size_t(exercise)).steps.at(std::size_t(step));
}

void ExercisesPanel::applySettings(int exercise, int s)
{
    const ExerciseStep &definition = step(exercise, s);
    if (!definition.settings)
        return;
    m_host->applyFormState(withExerciseSettings(m_host->formState(), *definition.settings));
    m_host->showTab(definition.watchTab);
}

void ExercisesPanel::check(int exercise, int s)
{
    m_steps[std::size_t(exercise)][std::size_t(s)].shown = Shown::Check;
    refreshResult(exercise, s);
    const ExerciseAnswer &answer = widgets(exercise, s).answerShown;
    if (answer.recordIndex >= 0)
        m_host->showRequest(answer.recordIndex);
}

void ExercisesPanel::showAnswer(int exercise, int s)
{
    m_steps[std::size_t(exercise)][std::size_t(s)].shown = Shown::Answer;
    refreshResult(exercise, s);
    const ExerciseAnswer &answer = widgets(exercise, s).answerShown;
    if (!answer.tab.isEmpty())
        m_host->showTab(answer.tab);
    if (answer.recordIndex >= 0)
        m_host->showRequest(answer.recordIndex);
}

void ExercisesPanel::refreshResult(int exercise, int s)
{
    StepWidgets &w = m_steps[std::size_t(exercise)][std::size_t(s)];
    const ExerciseQuestion question = step(exercise, s).kind;
    switch (w.shown) {
    case Shown::Nothing:
        w.answerShown = {};
        break;
    case Shown::Check:
        w.answerShown = checkAnswer(question, w.answer->text(), m_evidence);
        break;
    case Shown::Answer:
        w.answerShown = answerFrom(question, m_evidence);
        break;
    }
    // The mark carries the verdict without colour, so it reads in any theme.
    QString text = w.answerShown.text;
    if (w.shown == Shown::Check && w.answerShown.available)
        text = (w.answerShown.correct ? QStringLiteral("✔ ") : QStringLiteral("✘ ")) + text;
    w.result->setText(text);
}

void ExercisesPanel::runFinished(const ResultDocument &document)
{
    m_evidence.runs.push_back(document);
    if (m_evidence.runs.size() > kKeptRuns)
        m_evidence.runs.erase(m_evidence.runs.begin());
    m_evidence.serverSlots = serverSlotsOf(m_host->formState());
}

void ExercisesPanel::sweepFinished(const SweepResult &result)
{
    m_evidence.sweep = result;
    m_evidence.serverSlots = serverSlotsOf(m_host->formState());
}

void ExercisesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ExercisesPanel::retranslateUi()
{
    m_exercises = exercises();
    m_intro->setText(tr("Three hands-on exercises from the guide, on the built-in server. In each step, set the values, start the run, watch, then answer the question from your own results."));
    for (int e = 0; e < int(m_exercises.size()); ++e) {
        const Exercise &exercise = m_exercises[std::size_t(e)];
        m_list->item(e)->setText(exercise.title);
        m_goals[std::size_t(e)]->setText(exercise.goal);
        for (int s = 0; s < int(exercise.steps.size()); ++s) {
            const ExerciseStep &definition = exercise.steps[std::size_t(s)];
            StepWidgets &w = m_steps[std::size_t(e)][std::size_t(s)];
            w.box->setTitle(tr("Step %1: %2").arg(s + 1).arg(definition.title));
            w.todo->setText(definition.todo);
            w.set->setText(tr("Set it for me"));
            w.start->setText(tr("Start"));
            w.watch->setText(tr("Watch: %1").arg(definition.watch));
            w.question->setText(definition.question);
            w.answer->setPlaceholderText(definition.answerHint);
            w.check->setText(tr("Check"));
            w.show->setText(tr("Show the answer from my run"));
            refreshResult(e, s);
        }
    }
}

} // namespace ts
