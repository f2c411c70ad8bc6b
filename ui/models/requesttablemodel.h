#pragma once

#include "core/requestrecord.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace ts {

// One row per request of a result, in workload order. Qt::DisplayRole gives formatted text,
// SortRole the raw number so that sorting is numeric.
class RequestTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IndexColumn,
        StatusColumn,
        ConversationColumn,     // multi-turn runs only
        StartColumn,
        QueueColumn,
        TtftColumn,
        TpotColumn,
        ItlColumn,
        E2elColumn,
        TtfrtColumn,            // reasoning runs only
        TtfatColumn,            // reasoning runs only
        ReasoningTokensColumn,  // reasoning runs only
        InputTokensColumn,
        OutputTokensColumn,
        HttpStatusColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int SuccessRole = Qt::UserRole + 2;

    explicit RequestTableModel(QObject *parent = nullptr);

    void setRecords(std::vector<RequestRecord> records);
    void clear();
    const RequestRecord &record(int row) const { return m_records[std::size_t(row)]; }
    // Whether any request reasoned, so the view shows the reasoning columns.
    bool hasReasoning() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Models receive no LanguageChange event; the view that shows the model calls this.
    void retranslate();

private:
    QVariant displayData(const RequestRecord &r, int column) const;
    QVariant sortData(const RequestRecord &r, int column) const;

    std::vector<RequestRecord> m_records;
};

// Sorts numerically and can hide the successful requests.
class RequestFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit RequestFilterProxy(QObject *parent = nullptr);

    bool failedOnly() const { return m_failedOnly; }
    void setFailedOnly(bool failedOnly);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_failedOnly = false;
};

} // namespace ts
