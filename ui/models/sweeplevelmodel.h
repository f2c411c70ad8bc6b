#pragma once

#include "sweep/sweeplevel.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace ts {

// One row per finished level of a sweep: the level, its requests and success rate, throughput
// and its gain, TTFT / TPOT / E2EL median and p99, the server's own view, and what the level
// means for the verdict (stable, the knee, the rule it broke). Per-request records are not
// kept. Qt::DisplayRole gives formatted text, SortRole the raw number.
class SweepLevelModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        LevelColumn,
        RequestsColumn,
        SuccessColumn,
        OutputThroughputColumn,
        RequestThroughputColumn,
        GainColumn,
        TtftMedianColumn,
        TtftP99Column,
        TpotMedianColumn,
        TpotP99Column,
        E2elMedianColumn,
        E2elP99Column,
        ServerColumn,
        StatusColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    static constexpr int SortRole = Qt::UserRole + 1;

    explicit SweepLevelModel(QObject *parent = nullptr);

    void setMode(SweepMode mode);
    SweepMode mode() const { return m_mode; }
    void clear();
    void addLevel(const SweepLevelResult &level);
    void setLevels(const std::vector<SweepLevelResult> &levels);
    // The verdict's marks: the highest stable level and the knee (shown in the status column).
    void setMarks(std::optional<double> maxStable, std::optional<double> knee);
    const SweepLevelResult &level(int row) const { return m_levels[std::size_t(row)]; }
    const std::vector<SweepLevelResult> &levels() const { return m_levels; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Models receive no LanguageChange event; the view that shows the model calls this.
    void retranslate();

    // "stable", "the throughput plateau", ... for a level, in the user's language.
    QString statusText(const SweepLevelResult &level) const;

private:
    QVariant displayData(const SweepLevelResult &l, int column) const;
    QVariant sortData(const SweepLevelResult &l, int column) const;

    SweepMode m_mode = SweepMode::Concurrency;
    std::vector<SweepLevelResult> m_levels;
    std::optional<double> m_maxStable;
    std::optional<double> m_knee;
};

} // namespace ts
