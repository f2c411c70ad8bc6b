#pragma once

#include "load/benchmarkrunner.h"

#include <QList>
#include <QWidget>

#include <vector>

namespace ts {

class Exportable;
struct ResultDocument;

// One tab of the results area. The main window keeps a list of them and feeds each the same
// way (a run's progress and finished requests, the result to show), asks each for its title
// and its pictures, so a new view is one class and one line where the tabs are created.
class ResultTab : public QWidget
{
    Q_OBJECT
public:
    explicit ResultTab(QWidget *parent = nullptr);

    // A stable name ("live", "summary", "timeline", …) for code that points to a tab.
    virtual QString id() const = 0;
    // The tab's title in the current language.
    virtual QString title() const = 0;

    // The result to show; nullptr shows none. It stays valid until the next call.
    virtual void setDocument(const ResultDocument *document);
    // A run, or one level of a sweep, begins; its progress and its finished requests follow.
    virtual void startRun();
    virtual void addProgress(const RunProgress &progress);
    virtual void addRecords(const std::vector<RequestRecord> &records);
    virtual void finishRun();
    // What "Save all charts" writes from this tab.
    virtual QList<const Exportable *> exportables() const;

Q_SIGNALS:
    // The user asked to save one picture; format is "png" or "svg".
    void exportRequested(const ts::Exportable *picture, const QString &format);
};

} // namespace ts
