#pragma once

#include "core/benchmarkconfig.h"
#include "datasets/dataset.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ts {

class DatasetPreview;
class FieldMessage;

// What the requests ask for: a dataset (random prompts by default, or a file such as
// ShareGPT conversations) and, for random prompts, their lengths, variation and prefix.
class WorkloadForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit WorkloadForm(QWidget *parent = nullptr);

    void apply(BenchmarkConfig &config, QString &datasetPath, QString &tokenizerPath) const;
    void load(const BenchmarkConfig &config, const QString &datasetPath, const QString &tokenizerPath);

    // maxModelLen > 0: the longest prompt plus answer the server accepts (known for the
    // built-in server); backend: the target's (multi-turn runs need a chat API). Marks the
    // fields that cannot be used; returns the problem or empty.
    QString validate(int maxModelLen, const QString &backend = QString());

    // Shows what the dataset file gives, for the whole form's workload (the number of prompts
    // and the seed live in the load form). Generated datasets show nothing.
    void updatePreview(const DatasetConfig &config, bool multiTurn);

    QComboBox *datasetBox() const { return m_dataset; }
    QLineEdit *datasetPathEdit() const { return m_path; }
    QSpinBox *inputLenBox() const { return m_inputLen; }
    QSpinBox *outputLenBox() const { return m_outputLen; }
    QDoubleSpinBox *rangeRatioBox() const { return m_rangeRatio; }
    QSpinBox *prefixLenBox() const { return m_prefixLen; }
    QLineEdit *tokenizerPathEdit() const { return m_tokenizer; }
    QCheckBox *multiTurnBox() const { return m_multiTurn; }
    DatasetPreview *preview() const { return m_preview; }

    static QString datasetTitle(const QString &name);

Q_SIGNALS:
    void changed();
    // A check that finished later than the edit (the dataset preview's) changed what can run.
    void validityChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateRows();
    void browse();
    void browseTokenizer();

    QFormLayout *m_layout = nullptr;
    QComboBox *m_dataset = nullptr;
    QWidget *m_pathRow = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    FieldMessage *m_pathMessage = nullptr;
    QSpinBox *m_inputLen = nullptr;
    QSpinBox *m_outputLen = nullptr;
    QDoubleSpinBox *m_rangeRatio = nullptr;
    QSpinBox *m_prefixLen = nullptr;
    FieldMessage *m_lengthMessage = nullptr;
    QWidget *m_tokenizerRow = nullptr;
    QLineEdit *m_tokenizer = nullptr;
    QPushButton *m_tokenizerBrowse = nullptr;
    FieldMessage *m_tokenizerMessage = nullptr;
    QCheckBox *m_multiTurn = nullptr;
    FieldMessage *m_multiTurnMessage = nullptr;
    DatasetPreview *m_preview = nullptr;
};

} // namespace ts
