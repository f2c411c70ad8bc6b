#include "models/requesttablemodel.h"

#include "views/glossary.h"

#include <QColor>
#include <QLocale>

#include <algorithm>
#include <numeric>

namespace ts {

namespace {

double meanItlMs(const RequestRecord &r)
{
    if (r.itl.empty())
        return 0.0;
    return std::accumulate(r.itl.begin(), r.itl.end(), 0.0) / double(r.itl.size()) * 1000.0;
}

QString ms(double seconds)
{
    return QLocale().toString(seconds * 1000.0, 'f', 1);
}

} // namespace

RequestTableModel::RequestTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RequestTableModel::setRecords(std::vector<RequestRecord> records)
{
    std::sort(records.begin(), records.end(),
              [](const RequestRecord &a, const RequestRecord &b) { return a.index < b.index; });
    beginResetModel();
    m_records = std::move(records);
    endResetModel();
}

void RequestTableModel::clear()
{
    setRecords({});
}

bool RequestTableModel::hasReasoning() const
{
    return std::any_of(m_records.begin(), m_records.end(),
                       [](const RequestRecord &r) { return r.ttfrt >= 0.0 || r.reasoningTokens > 0; });
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RequestRecord &r = m_records[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayData(r, index.column());
    case Qt::ToolTipRole:
        return index.column() == ErrorColumn && !r.error.isEmpty() ? QVariant(r.error) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == ErrorColumn || index.column() == StatusColumn
            ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
            : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ForegroundRole:
        return !r.success && (index.column() == StatusColumn || index.column() == ErrorColumn)
            ? QVariant(QColor(0xb7, 0x1c, 0x1c))
            : QVariant();
    case SortRole:
        return sortData(r, index.column());
    case SuccessRole:
        return r.success;
    default:
        return {};
    }
}

QVariant RequestTableModel::displayData(const RequestRecord &r, int column) const
{
    const bool timed = r.success;
    switch (column) {
    case IndexColumn:
        return r.index;
    case StatusColumn:
        return r.success ? tr("✔ OK") : tr("✖ Failed");
    case ConversationColumn:
        return r.conversation >= 0 ? tr("%1, turn %2").arg(r.conversation).arg(r.turn) : QString();
    case StartColumn:
        return QLocale().toString(r.startTime, 'f', 3);
    case QueueColumn:
        return ms(r.queueTime);
    case TtftColumn:
        return timed ? ms(r.ttft) : QString();
    case TpotColumn:
        return timed && r.outputTokens > 1 ? ms(r.tpot()) : QString();
    case ItlColumn:
        return timed && !r.itl.empty() ? QLocale().toString(meanItlMs(r), 'f', 1) : QString();
    case E2elColumn:
        return timed ? ms(r.latency) : QString();
    case TtfrtColumn:
        return timed && r.ttfrt >= 0.0 ? ms(r.ttfrt) : QString();
    case TtfatColumn:
        return timed && r.ttfat >= 0.0 ? ms(r.ttfat) : QString();
    case ReasoningTokensColumn:
        return r.reasoningTokens >= 0 ? QVariant(r.reasoningTokens) : QVariant(QString());
    case InputTokensColumn:
        return r.promptTokens;
    case OutputTokensColumn:
        return r.outputTokens;
    case HttpStatusColumn:
        return r.httpStatus > 0 ? QVariant(r.httpStatus) : QVariant(QString());
    case ErrorColumn:
        return r.error.left(300).replace(u'\n', u' ');
    default:
        return {};
    }
}

QVariant RequestTableModel::sortData(const RequestRecord &r, int column) const
{
    // Failed requests have no latencies: they sort after every measured one.
    const double missing = std::numeric_limits<double>::max();
    switch (column) {
    case IndexColumn:
        return r.index;
    case StatusColumn:
        return r.success ? 1 : 0;
    case ConversationColumn:
        return qint64(r.conversation) * 100000 + r.turn;
    case StartColumn:
        return r.startTime;
    case QueueColumn:
        return r.queueTime;
    case TtftColumn:
        return r.success ? r.ttft : missing;
    case TpotColumn:
        return r.success && r.outputTokens > 1 ? r.tpot() : missing;
    case ItlColumn:
        return r.success && !r.itl.empty() ? meanItlMs(r) : missing;
    case E2elColumn:
        return r.success ? r.latency : missing;
    case TtfrtColumn:
        return r.success && r.ttfrt >= 0.0 ? r.ttfrt : missing;
    case TtfatColumn:
        return r.success && r.ttfat >= 0.0 ? r.ttfat : missing;
    case ReasoningTokensColumn:
        return r.reasoningTokens;
    case InputTokensColumn:
        return r.promptTokens;
    case OutputTokensColumn:
        return r.outputTokens;
    case HttpStatusColumn:
        return r.httpStatus;
    case ErrorColumn:
        return r.error;
    default:
        return {};
    }
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ConversationColumn: return tr("In a multi-turn run: the conversation (from 0) and which of its turns this request was.");
        case StartColumn: return tr("When the request was sent, in seconds since the run began.");
        case QueueColumn: return tr("How long the request waited in the client before it was sent: for a free concurrency slot, then for its turn to be handed to the network.");
        case TtftColumn: return tr("Time to first token: from sending the request to the first generated text.");
        case TpotColumn: return tr("Time per output token after the first: (E2EL − TTFT) / (output tokens − 1).");
        case ItlColumn: return tr("Mean gap between two streamed chunks of this answer.");
        case E2elColumn: return tr("End-to-end latency: from sending the request to the last generated text.");
        case TtfrtColumn: return glossaryEntry(MetricId::Ttfrt).shortTip;
        case TtfatColumn: return glossaryEntry(MetricId::Ttfat).shortTip;
        case ReasoningTokensColumn: return glossaryEntry(MetricId::ReasoningTokens).shortTip;
        case InputTokensColumn: return glossaryEntry(MetricId::InputTokens).shortTip;
        case OutputTokensColumn: return glossaryEntry(MetricId::OutputTokens).shortTip;
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn: return QStringLiteral("#");
    case StatusColumn: return tr("Status");
    case ConversationColumn: return tr("Conversation");
    case StartColumn: return tr("Sent at (s)");
    case QueueColumn: return tr("Queue (ms)");
    case TtftColumn: return tr("TTFT (ms)");
    case TpotColumn: return tr("TPOT (ms)");
    case ItlColumn: return tr("Mean ITL (ms)");
    case E2elColumn: return tr("E2EL (ms)");
    case TtfrtColumn: return tr("TTFRT (ms)");
    case TtfatColumn: return tr("TTFAT (ms)");
    case ReasoningTokensColumn: return tr("Reasoning tokens");
    case InputTokensColumn: return tr("Input tokens");
    case OutputTokensColumn: return tr("Output tokens");
    case HttpStatusColumn: return tr("HTTP");
    case ErrorColumn: return tr("Error");
    default: return {};
    }
}

void RequestTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_records.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), { Qt::DisplayRole });
}

RequestFilterProxy::RequestFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RequestTableModel::SortRole);
}

void RequestFilterProxy::setFailedOnly(bool failedOnly)
{
    if (failedOnly == m_failedOnly)
        return;
    // beginFilterChange() arrives only in Qt 6.9; invalidateFilter() is the 6.4 way.
    m_failedOnly = failedOnly;
    invalidateFilter();
}

bool RequestFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_failedOnly)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return !index.data(RequestTableModel::SuccessRole).toBool();
}

} // namespace ts
