#pragma once

#include "core/benchmarkconfig.h"

#include <QAbstractTableModel>

#include <vector>

namespace ts {

// The first prompts of a dataset for its preview: the text on one line, shortened, with the
// input and expected output lengths.
class PromptPreviewModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { PromptColumn, InputTokensColumn, OutputTokensColumn, ColumnCount };
    Q_ENUM(Column)

    // Characters of a prompt shown in the table; the tooltip holds more.
    static constexpr int ShownChars = 160;
    static constexpr int TooltipChars = 2000;

    explicit PromptPreviewModel(QObject *parent = nullptr);

    void setPrompts(std::vector<PromptSpec> prompts);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Models receive no LanguageChange event; the view that shows the model calls this.
    void retranslate();

private:
    std::vector<PromptSpec> m_prompts;
};

} // namespace ts
