#pragma once

#include "compare/comparison.h"

#include <QAbstractTableModel>

#include <memory>

namespace ts {

// A comparison as a table: a title row per section (setup, metrics), then one row per key.
// Columns: the label, then each file's value, each later file followed by its difference to
// the first in percent. A difference is coloured by whether it is better or worse and also
// says so in words, so it reads without colour; rows whose values differ are highlighted.
class ComparisonModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LabelColumn, FirstValueColumn, ColumnCount };   // more follow per file
    enum Role {
        KeyRole = Qt::UserRole + 1,   // QString: the result-file key; empty for a title row
        DiffPercentRole,              // double in a difference cell; invalid otherwise
        VerdictRole,                  // int in a difference cell: Verdict
        DiffersRole,                  // bool: the files do not agree on this row
        SectionTitleRole,             // bool: a section's title row
    };
    enum Verdict { Same = 0, Better = 1, Worse = -1, NoJudgement = 2 };

    explicit ComparisonModel(QObject *parent = nullptr);

    void setComparison(std::shared_ptr<const Comparison> comparison);
    const Comparison *comparison() const { return m_comparison.get(); }

    int fileCount() const;
    // The column of file i's value, and of its difference to the first file (i >= 1).
    int valueColumn(int file) const;
    int diffColumn(int file) const;
    // The row of a key in a section ("setup" or "metric"); -1 when absent.
    int rowOf(const QString &key, bool metric = true) const;
    const ComparisonRow *rowAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Differences smaller than this many percent count as the same.
    static constexpr double samePercent = 0.05;
    static Verdict verdict(const ComparisonRow &row, int file);
    // "+12.3% ▲ better", in the current language.
    static QString diffText(const ComparisonRow &row, int file);

private:
    struct Entry
    {
        const ComparisonRow *row = nullptr;   // nullptr: a section title
        bool metric = false;
    };

    std::shared_ptr<const Comparison> m_comparison;
    std::vector<Entry> m_entries;
};

} // namespace ts
