#pragma once

#include "views/glossary.h"

#include <QObject>
#include <QPointer>
#include <QToolButton>

#include <optional>

namespace ts {

class GlossaryDialog;

// The one place in the app that opens the glossary: every "?" button asks it, and so can the
// main window's Help menu. It keeps a single non-modal GlossaryDialog, made on first use as a
// child of the window given to setDialogParent() (or on its own when none was given).
class GlossaryLauncher : public QObject
{
    Q_OBJECT
public:
    // The app-wide launcher, a child of the application object.
    static GlossaryLauncher *instance();

    void setDialogParent(QWidget *parent);
    // nullptr until the glossary was first opened.
    GlossaryDialog *dialog() const;

public Q_SLOTS:
    void showMetric(ts::MetricId id);
    void showGlossary();

Q_SIGNALS:
    // Emitted whenever the glossary is opened at a metric.
    void glossaryRequested(ts::MetricId id);

private:
    using QObject::QObject;
    GlossaryDialog *ensureDialog();

    QPointer<QWidget> m_dialogParent;
    QPointer<GlossaryDialog> m_dialog;
};

// A small "?" that opens the glossary at one metric (or at its top); its tooltip names the
// metric and follows language changes.
class GlossaryButton : public QToolButton
{
    Q_OBJECT
public:
    GlossaryButton(std::optional<MetricId> id, QWidget *parent = nullptr);

    std::optional<MetricId> metric() const { return m_metric; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    std::optional<MetricId> m_metric;
};

QToolButton *makeGlossaryButton(MetricId id, QWidget *parent);
// A "?" for the whole glossary.
QToolButton *makeGlossaryButton(QWidget *parent);

} // namespace ts
