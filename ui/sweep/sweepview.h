#pragma once

#include "results/resulttab.h"
#include "sweep/sweepfiles.h"


#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace ts {

class ChartView;
class SweepCharts;
class SweepLevelModel;

// The Sweep tab: the verdict in plain words at the top, the charts, and one table row per
// level. It fills level by level while a sweep runs, and shows a finished sweep or one read
// from its summary JSON.
class SweepView : public ResultTab
{
    Q_OBJECT
public:
    explicit SweepView(QWidget *parent = nullptr);

    // A sweep begins: clears the tab and lays the axes over the planned levels.
    void startSweep(const SweepConfig &config);
    void levelStarted(int index, int levelCount, double level, int numPrompts);
    void addLevel(const SweepLevelResult &level);
    void finishSweep(const SweepResult &result);
    // A finished sweep from elsewhere (a summary file): replaces what the tab shows.
    void showResult(const SweepResult &result);

    bool isRunning() const { return m_running; }
    bool hasLevels() const { return !m_levels.empty(); }
    // The finished sweep, when there is one (what the save action writes).
    const std::optional<SweepResult> &result() const { return m_result; }

    // Writes the summary JSON at jsonPath and the CSV next to it (same name, ".csv"), both
    // atomically. *error is a translated sentence naming the file.
    bool saveSummary(const QString &jsonPath, QString *error = nullptr) const;
    // "{summary base name}.json" for a save dialog.
    QString suggestedFileName() const;

    QString verdictText() const;
    QString headlineText() const;
    SweepCharts *charts() const { return m_charts; }
    SweepLevelModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *saveButton() const { return m_save; }
    QList<ChartView *> chartViews() const;
    QString id() const override { return QStringLiteral("sweep"); }
    QString title() const override;
    // The sweep's charts, once a level has finished.
    QList<const Exportable *> exportables() const override;

Q_SIGNALS:
    void saveRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();
    SweepVerdict verdict() const;

    SweepConfig m_config;
    std::vector<SweepLevelResult> m_levels;   // without per-request records
    std::optional<SweepResult> m_result;
    bool m_running = false;
    bool m_hasSweep = false;
    int m_currentIndex = -1;
    int m_levelCount = 0;
    double m_currentLevel = 0.0;
    int m_currentPrompts = 0;

    QLabel *m_headline = nullptr;
    QLabel *m_verdict = nullptr;
    QPushButton *m_save = nullptr;
    QSplitter *m_splitter = nullptr;
    SweepCharts *m_charts = nullptr;
    SweepLevelModel *m_model = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace ts
