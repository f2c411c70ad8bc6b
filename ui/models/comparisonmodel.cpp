#include "models/comparisonmodel.h"

#include "views/glossary.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <cmath>

namespace ts {

ComparisonModel::ComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ComparisonModel::setComparison(std::shared_ptr<const Comparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_entries.clear();
    if (m_comparison) {
        const auto add = [this](const std::vector<ComparisonRow> &rows, bool metric) {
            if (rows.empty())
                return;
            m_entries.push_back({ nullptr, metric });
            for (const ComparisonRow &r : rows)
                m_entries.push_back({ &r, metric });
        };
        add(m_comparison->setupRows, false);
        add(m_comparison->metricRows, true);
    }
    endResetModel();
}

int ComparisonModel::fileCount() const
{
    return m_comparison ? int(m_comparison->names.size()) : 0;
}

int ComparisonModel::valueColumn(int file) const
{
    return file <= 0 ? FirstValueColumn : FirstValueColumn + 2 * file - 1;
}

int ComparisonModel::diffColumn(int file) const
{
    return file <= 0 ? -1 : valueColumn(file) + 1;
}

int ComparisonModel::rowOf(const QString &key, bool metric) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].row && m_entries[i].metric == metric && m_entries[i].row->key == key)
            return int(i);
    }
    return -1;
}

const ComparisonRow *ComparisonModel::rowAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_entries.size() ? m_entries[std::size_t(row)].row : nullptr;
}

int ComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ComparisonModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    const int files = fileCount();
    return files == 0 ? FirstValueColumn : 1 + files + (files - 1);
}

ComparisonModel::Verdict ComparisonModel::verdict(const ComparisonRow &row, int file)
{
    if (file <= 0 || std::size_t(file) >= row.diffPercent.size() || !row.diffPercent[std::size_t(file)])
        return NoJudgement;
    const double d = *row.diffPercent[std::size_t(file)];
    if (std::abs(d) < samePercent)
        return Same;
    switch (row.better) {
    case ts::Better::Higher:
        return d > 0 ? Better : Worse;
    case ts::Better::Lower:
        return d < 0 ? Better : Worse;
    case ts::Better::Neutral:
        break;
    }
    return NoJudgement;
}

QString ComparisonModel::diffText(const ComparisonRow &row, int file)
{
    if (file <= 0 || std::size_t(file) >= row.diffPercent.size() || !row.diffPercent[std::size_t(file)])
        return {};
    const double d = *row.diffPercent[std::size_t(file)];
    const Verdict v = verdict(row, file);
    if (v == Same)
        return tr("= same");
    // The sign and arrow give the direction, the word the judgement: both read in grey.
    QString text = (d > 0 ? QStringLiteral("▲ +") : QStringLiteral("▼ −")) + QString::number(std::abs(d), 'f', 1) + u'%';
    if (v == Better)
        text += QLatin1Char(' ') + tr("better");
    else if (v == Worse)
        text += QLatin1Char(' ') + tr("worse");
    return text;
}

QVariant ComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &entry = m_entries[std::size_t(index.row())];
    const int column = index.column();
    if (!entry.row) {
        if (role == SectionTitleRole)
            return true;
        if (role == Qt::DisplayRole && column == LabelColumn)
            return entry.metric ? tr("Metrics") : tr("Setup");
        if (role == Qt::FontRole) {
            QFont font;
            font.setBold(true);
            return font;
        }
        if (role == Qt::BackgroundRole)
            return QBrush(QColor(0xec, 0xef, 0xf1));
        if (role == DiffersRole)
            return false;
        return {};
    }
    const ComparisonRow &row = *entry.row;
    switch (role) {
    case KeyRole:
        return row.key;
    case SectionTitleRole:
        return false;
    case DiffersRole:
        return row.differs;
    default:
        break;
    }

    // Which file a column belongs to, and whether it is its difference column.
    int file = -1;
    bool diff = false;
    if (column >= FirstValueColumn) {
        const int k = column - FirstValueColumn;
        file = (k + 1) / 2;
        diff = k > 0 && k % 2 == 0;
    }

    if (column == LabelColumn) {
        if (role == Qt::DisplayRole)
            return row.label;
        if (role == Qt::ToolTipRole) {
            QString tip = row.differs ? tr("%1 (%2): the files differ here.").arg(row.label, row.key) : QStringLiteral("%1 (%2)").arg(row.label, row.key);
            if (const std::optional<MetricValue> metric = metricOfResultKey(row.key))
                tip += u'\n' + glossaryEntry(metric->metric).shortTip;
            return tip;
        }
        if (role == Qt::FontRole && row.differs) {
            QFont font;
            font.setBold(true);
            return font;
        }
        if (role == Qt::BackgroundRole && row.differs)
            return QBrush(QColor(0xff, 0xf8, 0xe1));
        return {};
    }

    if (!diff) {
        const QString text = row.texts.value(file);
        if (role == Qt::DisplayRole)
            return text.isEmpty() ? QStringLiteral("–") : text;
        if (role == Qt::TextAlignmentRole && entry.metric)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::BackgroundRole && row.differs)
            return QBrush(QColor(0xff, 0xf8, 0xe1));
        if (role == Qt::ToolTipRole && m_comparison)
            return m_comparison->names.value(file);
        return {};
    }

    const Verdict v = verdict(row, file);
    switch (role) {
    case Qt::DisplayRole:
        return diffText(row, file);
    case DiffPercentRole:
        return row.diffPercent[std::size_t(file)] ? QVariant(*row.diffPercent[std::size_t(file)]) : QVariant();
    case VerdictRole:
        return int(v);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (v == Better)
            return QBrush(QColor(0x1b, 0x5e, 0x20));
        if (v == Worse)
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        return {};
    case Qt::BackgroundRole:
        if (v == Better)
            return QBrush(QColor(0xe8, 0xf5, 0xe9));
        if (v == Worse)
            return QBrush(QColor(0xff, 0xeb, 0xee));
        return row.differs ? QVariant(QBrush(QColor(0xff, 0xf8, 0xe1))) : QVariant();
    case Qt::ToolTipRole:
        if (!m_comparison)
            return {};
        if (v == Better)
            return tr("%1 is better than %2 here.").arg(m_comparison->names.value(file), m_comparison->names.value(0));
        if (v == Worse)
            return tr("%1 is worse than %2 here.").arg(m_comparison->names.value(file), m_comparison->names.value(0));
        return tr("Difference of %1 to %2.").arg(m_comparison->names.value(file), m_comparison->names.value(0));
    default:
        return {};
    }
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (section == LabelColumn)
        return tr("Setup and metric");
    if (!m_comparison)
        return {};
    const int k = section - FirstValueColumn;
    const int file = (k + 1) / 2;
    const bool diff = k > 0 && k % 2 == 0;
    const QString name = m_comparison->names.value(file);
    if (role == Qt::ToolTipRole) {
        const QString path = std::size_t(file) < m_comparison->files.size() ? m_comparison->files[std::size_t(file)].path : name;
        return diff ? tr("[%1] against [1] in percent").arg(file + 1) : path;
    }
    return diff ? tr("[%1] vs [1]").arg(file + 1) : QStringLiteral("[%1] %2").arg(QString::number(file + 1), name);
}

} // namespace ts
