#include "models/promptpreviewmodel.h"

#include <QLocale>

namespace ts {

namespace {

// A prompt as one line: line breaks and tabs become spaces, long texts end in an ellipsis.
QString oneLine(const QString &text, int maxChars)
{
    QString line = text.left(maxChars + 1).simplified();
    if (text.size() > maxChars || line.size() > maxChars)
        line = line.left(maxChars) + QChar(0x2026);
    return line;
}

// What a chat prompt looks like in one cell: its messages, each after its role.
QString promptText(const PromptSpec &p, int maxChars)
{
    if (p.messages.empty())
        return oneLine(p.prompt, maxChars);
    QString text;
    for (const ChatMessage &m : p.messages) {
        if (text.size() > maxChars)
            break;
        if (!text.isEmpty())
            text += QStringLiteral(" | ");
        text += m.role + QStringLiteral(": ") + m.content.left(maxChars);
    }
    return oneLine(text, maxChars);
}

} // namespace

PromptPreviewModel::PromptPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void PromptPreviewModel::setPrompts(std::vector<PromptSpec> prompts)
{
    beginResetModel();
    m_prompts = std::move(prompts);
    endResetModel();
}

void PromptPreviewModel::clear()
{
    setPrompts({});
}

int PromptPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_prompts.size());
}

int PromptPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PromptPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PromptSpec &p = m_prompts[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PromptColumn:
            return promptText(p, ShownChars);
        case InputTokensColumn:
            return QLocale().toString(p.promptTokens);
        case OutputTokensColumn:
            return QLocale().toString(p.expectedOutputTokens);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == PromptColumn ? QVariant(promptText(p, TooltipChars)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == PromptColumn ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                              : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant PromptPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PromptColumn:
        return tr("Prompt");
    case InputTokensColumn:
        return tr("Input tokens");
    case OutputTokensColumn:
        return tr("Output tokens");
    default:
        return {};
    }
}

void PromptPreviewModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

} // namespace ts
