#include "models/sweeplevelmodel.h"

#include "sweep/sweepverdict.h"
#include "views/glossary.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace ts {

namespace {

QString fixed(double v, int decimals)
{
    return QLocale().toString(v, 'f', decimals);
}

QString orDash(const std::optional<double> &v, int decimals)
{
    return v ? fixed(*v, decimals) : QStringLiteral("–");
}

std::optional<double> median(const BenchmarkMetrics &m, QStringView metric)
{
    const MetricSummary *s = m.summary(metric);
    if (!s || s->count == 0)
        return std::nullopt;
    return s->median;
}

} // namespace

SweepLevelModel::SweepLevelModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SweepLevelModel::setMode(SweepMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    Q_EMIT headerDataChanged(Qt::Horizontal, LevelColumn, LevelColumn);
}

void SweepLevelModel::clear()
{
    beginResetModel();
    m_levels.clear();
    m_maxStable.reset();
    m_knee.reset();
    endResetModel();
}

void SweepLevelModel::addLevel(const SweepLevelResult &level)
{
    const int row = int(m_levels.size());
    beginInsertRows({}, row, row);
    m_levels.push_back(level);
    // The table needs the level's numbers, not its thousands of requests.
    m_levels.back().run.records = {};
    endInsertRows();
}

void SweepLevelModel::setLevels(const std::vector<SweepLevelResult> &levels)
{
    beginResetModel();
    m_levels = levels;
    for (SweepLevelResult &l : m_levels)
        l.run.records = {};
    endResetModel();
}

void SweepLevelModel::setMarks(std::optional<double> maxStable, std::optional<double> knee)
{
    m_maxStable = maxStable;
    m_knee = knee;
    if (!m_levels.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int SweepLevelModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_levels.size());
}

int SweepLevelModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SweepLevelModel::statusText(const SweepLevelResult &l) const
{
    if (!l.run.error.isEmpty())
        return tr("failed: %1").arg(l.run.error);
    if (l.partial)
        return tr("stopped by you");
    QStringList parts;
    if (!l.brokenRules.isEmpty()) {
        QStringList names;
        for (const QString &rule : l.brokenRules)
            names << sweepLimitName(rule);
        parts << tr("past the limit: %1").arg(names.join(QStringLiteral(", ")));
    } else if (m_maxStable && l.level == *m_maxStable) {
        parts << tr("highest stable");
    } else {
        parts << tr("stable");
    }
    if (m_knee && l.level == *m_knee)
        parts << tr("knee");
    return parts.join(QStringLiteral(" · "));
}

QVariant SweepLevelModel::displayData(const SweepLevelResult &l, int column) const
{
    const BenchmarkMetrics &m = l.metrics;
    switch (column) {
    case LevelColumn:
        return sweepLevelText(l.level);
    case RequestsColumn:
        return QLocale().toString(m.total());
    case SuccessColumn:
        return fixed(l.successRatePercent, 1);
    case OutputThroughputColumn:
        return fixed(m.outputThroughput, 1);
    case RequestThroughputColumn:
        return fixed(m.requestThroughput, 2);
    case GainColumn:
        if (!l.throughputGainPercent)
            return QStringLiteral("–");
        return QString((*l.throughputGainPercent >= 0 ? QStringLiteral("+") : QString()) + fixed(*l.throughputGainPercent, 1));
    case TtftMedianColumn:
        return orDash(median(m, u"ttft"), 0);
    case TtftP99Column:
        return orDash(p99Ms(m, u"ttft"), 0);
    case TpotMedianColumn:
        return orDash(median(m, u"tpot"), 1);
    case TpotP99Column:
        return orDash(p99Ms(m, u"tpot"), 1);
    case E2elMedianColumn:
        return orDash(median(m, u"e2el"), 0);
    case E2elP99Column:
        return orDash(p99Ms(m, u"e2el"), 0);
    case ServerColumn:
        if (!l.server || (!l.server->maxRunning && !l.server->medianWaiting))
            return QStringLiteral("–");
        return QString(orDash(l.server->maxRunning, 0) + QStringLiteral(" / ") + orDash(l.server->medianWaiting, 0));
    case StatusColumn:
        return statusText(l);
    }
    return {};
}

QVariant SweepLevelModel::sortData(const SweepLevelResult &l, int column) const
{
    const BenchmarkMetrics &m = l.metrics;
    switch (column) {
    case LevelColumn:
        return l.level;
    case RequestsColumn:
        return m.total();
    case SuccessColumn:
        return l.successRatePercent;
    case OutputThroughputColumn:
        return m.outputThroughput;
    case RequestThroughputColumn:
        return m.requestThroughput;
    case GainColumn:
        return l.throughputGainPercent.value_or(0.0);
    case TtftMedianColumn:
        return median(m, u"ttft").value_or(0.0);
    case TtftP99Column:
        return p99Ms(m, u"ttft").value_or(0.0);
    case TpotMedianColumn:
        return median(m, u"tpot").value_or(0.0);
    case TpotP99Column:
        return p99Ms(m, u"tpot").value_or(0.0);
    case E2elMedianColumn:
        return median(m, u"e2el").value_or(0.0);
    case E2elP99Column:
        return p99Ms(m, u"e2el").value_or(0.0);
    case ServerColumn:
        return l.server ? l.server->medianWaiting.value_or(0.0) : 0.0;
    case StatusColumn:
        return statusText(l);
    }
    return {};
}

QVariant SweepLevelModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SweepLevelResult &l = m_levels[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayData(l, index.column());
    case SortRole:
        return sortData(l, index.column());
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() == StatusColumn ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                                                  : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn && (!l.brokenRules.isEmpty() || !l.run.error.isEmpty()))
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        return {};
    case Qt::BackgroundRole:
        // The row the verdict is about stands out.
        if (m_maxStable && l.level == *m_maxStable && l.brokenRules.isEmpty())
            return QBrush(QColor(0xe8, 0xf5, 0xe9));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn || index.column() == LevelColumn)
            return statusText(l);
        return headerData(index.column(), Qt::Horizontal, Qt::ToolTipRole);
    default:
        return {};
    }
}

QVariant SweepLevelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool rate = m_mode == SweepMode::RequestRate;
    if (role == Qt::DisplayRole) {
        switch (section) {
        case LevelColumn: return rate ? tr("Rate (req/s)") : tr("Concurrency");
        case RequestsColumn: return tr("Requests");
        case SuccessColumn: return tr("Success %");
        case OutputThroughputColumn: return tr("Output tok/s");
        case RequestThroughputColumn: return tr("req/s");
        case GainColumn: return tr("Gain %");
        case TtftMedianColumn: return tr("TTFT median (ms)");
        case TtftP99Column: return tr("TTFT p99 (ms)");
        case TpotMedianColumn: return tr("TPOT median (ms)");
        case TpotP99Column: return tr("TPOT p99 (ms)");
        case E2elMedianColumn: return tr("E2EL median (ms)");
        case E2elP99Column: return tr("E2EL p99 (ms)");
        case ServerColumn: return tr("Server running / waiting");
        case StatusColumn: return tr("Verdict");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case GainColumn: return tr("Output tokens/s against the best earlier level. The plateau rule stops the sweep when this falls under its limit.");
        case ServerColumn: return tr("From the server's own /metrics during the level: the most requests it ran at once, and how many waited in its queue in half the scrapes.");
        case SuccessColumn: return tr("Share of the level's requests that succeeded.");
        case LevelColumn: return glossaryEntry(rate ? MetricId::RequestRate : MetricId::MaxConcurrency).shortTip;
        case OutputThroughputColumn: return glossaryEntry(MetricId::OutputTokenThroughput).shortTip;
        case RequestThroughputColumn: return glossaryEntry(MetricId::RequestThroughput).shortTip;
        case TtftMedianColumn:
        case TtftP99Column: return glossaryEntry(MetricId::Ttft).shortTip;
        case TpotMedianColumn:
        case TpotP99Column: return glossaryEntry(MetricId::Tpot).shortTip;
        case E2elMedianColumn:
        case E2elP99Column: return glossaryEntry(MetricId::E2el).shortTip;
        default: return {};
        }
    }
    return {};
}

void SweepLevelModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_levels.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace ts
