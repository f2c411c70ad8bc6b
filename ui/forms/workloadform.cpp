#include "forms/workloadform.h"

#include "backends/backendregistry.h"
#include "datasets/dataset.h"
#include "forms/datasetpreview.h"
#include "forms/fieldfeedback.h"
#include "forms/formstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <cmath>

namespace ts {

WorkloadForm::WorkloadForm(QWidget *parent)
    : QGroupBox(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_dataset = new QComboBox(this);
    for (const QString &name : datasetNames())
        m_dataset->addItem(QString(), name);
    addFormRow(m_layout, m_dataset);
    m_pathRow = new QWidget(this);
    auto *pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    m_path = new QLineEdit(m_pathRow);
    m_path->setClearButtonEnabled(true);
    m_browse = new QPushButton(m_pathRow);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(m_browse);
    addFormRow(m_layout, m_pathRow);
    m_pathMessage = new FieldMessage(this);
    m_layout->addRow(m_pathMessage);
    m_multiTurn = new QCheckBox(this);
    addFormRow(m_layout, m_multiTurn);
    m_multiTurnMessage = new FieldMessage(this);
    m_layout->addRow(m_multiTurnMessage);
    connect(m_multiTurn, &QCheckBox::toggled, this, &WorkloadForm::changed);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        Q_EMIT changed();
    });
    connect(m_path, &QLineEdit::textChanged, this, &WorkloadForm::changed);
    connect(m_browse, &QPushButton::clicked, this, &WorkloadForm::browse);
    auto tokens = [this](int min) {
        auto *box = new QSpinBox(this);
        box->setRange(min, 1'000'000);
        box->setGroupSeparatorShown(true);
        box->setAccelerated(true);
        connect(box, &QSpinBox::valueChanged, this, &WorkloadForm::changed);
        return box;
    };
    m_inputLen = tokens(1);
    m_outputLen = tokens(1);
    m_prefixLen = tokens(0);
    m_rangeRatio = new QDoubleSpinBox(this);
    m_rangeRatio->setRange(0.0, 0.99);
    m_rangeRatio->setSingleStep(0.05);
    m_rangeRatio->setDecimals(2);
    connect(m_rangeRatio, &QDoubleSpinBox::valueChanged, this, &WorkloadForm::changed);

    addFormRow(m_layout, m_inputLen);
    addFormRow(m_layout, m_outputLen);
    m_lengthMessage = new FieldMessage(this);
    m_layout->addRow(m_lengthMessage);
    addFormRow(m_layout, m_rangeRatio);
    addFormRow(m_layout, m_prefixLen);

    m_tokenizerRow = new QWidget(this);
    auto *tokenizerLayout = new QHBoxLayout(m_tokenizerRow);
    tokenizerLayout->setContentsMargins(0, 0, 0, 0);
    m_tokenizer = new QLineEdit(m_tokenizerRow);
    m_tokenizer->setClearButtonEnabled(true);
    m_tokenizerBrowse = new QPushButton(m_tokenizerRow);
    tokenizerLayout->addWidget(m_tokenizer, 1);
    tokenizerLayout->addWidget(m_tokenizerBrowse);
    addFormRow(m_layout, m_tokenizerRow);
    m_tokenizerMessage = new FieldMessage(this);
    m_layout->addRow(m_tokenizerMessage);
    connect(m_tokenizer, &QLineEdit::textChanged, this, &WorkloadForm::changed);
    connect(m_tokenizerBrowse, &QPushButton::clicked, this, &WorkloadForm::browseTokenizer);

    m_preview = new DatasetPreview(this);
    m_layout->addRow(m_preview);
    // A file that cannot be read is a problem of the file field, in the engine's words.
    connect(m_preview, &DatasetPreview::errorChanged, this, [this](const QString &error) {
        setFieldError(m_path, m_pathMessage, error);
        Q_EMIT validityChanged();
    });
    updateRows();
    retranslateUi();
}

void WorkloadForm::updateRows()
{
    const QString name = m_dataset->currentData().toString();
    const bool random = name == QLatin1String("random");
    m_layout->setRowVisible(m_pathRow, datasetNeedsFile(name));
    m_layout->setRowVisible(m_multiTurn, name == QLatin1String("sharegpt"));
    m_layout->setRowVisible(m_preview, datasetNeedsFile(name));
    if (name != QLatin1String("sharegpt"))
        m_multiTurnMessage->setMessage(QString());
    for (QWidget *w : std::initializer_list<QWidget *> { m_inputLen, m_outputLen, m_rangeRatio, m_prefixLen })
        m_layout->setRowVisible(w, random);
    if (!random)
        m_lengthMessage->setMessage(QString());
}

void WorkloadForm::browse()
{
    const QString start = m_path->text().isEmpty() ? QString() : QFileInfo(m_path->text()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose the dataset file"), start,
                                                      tr("Datasets (*.json *.jsonl *.csv *.txt);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void WorkloadForm::browseTokenizer()
{
    const QString current = m_tokenizer->text().trimmed();
    const QString start = current.isEmpty() ? QString()
        : QFileInfo(current).isDir() ? current
                                     : QFileInfo(current).absolutePath();
    // A file dialog cannot pick a file or a folder at once; a model folder is found by its
    // tokenizer.json, so choosing that file covers both.
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose the tokenizer"), start,
                                                      tr("Tokenizer (tokenizer.json);;JSON files (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_tokenizer->setText(path);
}

QString WorkloadForm::datasetTitle(const QString &name)
{
    if (name == QLatin1String("random"))
        return tr("Random prompts (built in)");
    if (name == QLatin1String("sharegpt"))
        return tr("ShareGPT conversations (JSON file)");
    if (name == QLatin1String("sonnet"))
        return tr("Sonnet lines (text file)");
    if (name == QLatin1String("custom"))
        return tr("Your own prompts (JSONL or CSV file)");
    if (name == QLatin1String("prefix_repetition"))
        return tr("Repeated prefixes (built in)");
    if (name == QLatin1String("mooncake"))
        return tr("Trace replay (Mooncake JSONL)");
    return name;
}

void WorkloadForm::apply(BenchmarkConfig &c, QString &datasetPath, QString &tokenizerPath) const
{
    c.datasetName = m_dataset->currentData().toString();
    datasetPath = m_path->text().trimmed();
    tokenizerPath = m_tokenizer->text().trimmed();
    c.multiTurn = c.datasetName == QLatin1String("sharegpt") && m_multiTurn->isChecked();
    RandomDatasetConfig &config = c.random;
    config.inputLen = m_inputLen->value();
    config.outputLen = m_outputLen->value();
    config.rangeRatio = m_rangeRatio->value();
    config.prefixLen = m_prefixLen->value();
}

void WorkloadForm::load(const BenchmarkConfig &c, const QString &datasetPath, const QString &tokenizerPath)
{
    const int index = m_dataset->findData(c.datasetName);
    m_dataset->setCurrentIndex(index >= 0 ? index : 0);
    m_path->setText(datasetPath);
    m_tokenizer->setText(tokenizerPath);
    m_multiTurn->setChecked(c.multiTurn);
    const RandomDatasetConfig &config = c.random;
    m_inputLen->setValue(config.inputLen);
    m_outputLen->setValue(config.outputLen);
    m_rangeRatio->setValue(config.rangeRatio);
    m_prefixLen->setValue(config.prefixLen);
}

void WorkloadForm::updatePreview(const DatasetConfig &config, bool multiTurn)
{
    if (datasetNeedsFile(config.name) && !config.path.isEmpty() && QFileInfo(config.path).isFile())
        m_preview->setSource(config, m_tokenizer->text().trimmed(), multiTurn);
    else
        m_preview->clear();
}

QString WorkloadForm::validate(int maxModelLen, const QString &backend)
{
    const QString name = m_dataset->currentData().toString();
    QString pathError;
    if (datasetNeedsFile(name)) {
        const QString path = m_path->text().trimmed();
        if (path.isEmpty())
            pathError = tr("Choose the file of the %1 dataset.").arg(datasetTitle(name));
        else if (!QFileInfo(path).isFile())
            pathError = tr("There is no file “%1”.").arg(path);
        else
            pathError = m_preview->error();
    }
    setFieldError(m_path, m_pathMessage, pathError);
    if (!pathError.isEmpty())
        return pathError;

    // Only whether it is there: reading the tokenizer takes a moment and happens when the run starts.
    QString tokenizerError;
    const QString tokenizer = m_tokenizer->text().trimmed();
    if (!tokenizer.isEmpty()) {
        const QFileInfo info(tokenizer);
        if (!info.exists())
            tokenizerError = tr("There is no file or folder “%1”.").arg(tokenizer);
        else if (info.isDir() && !QFileInfo(QDir(tokenizer).filePath(QStringLiteral("tokenizer.json"))).isFile())
            tokenizerError = tr("The folder “%1” holds no tokenizer.json.").arg(tokenizer);
    }
    setFieldError(m_tokenizer, m_tokenizerMessage, tokenizerError);
    if (!tokenizerError.isEmpty())
        return tokenizerError;

    QString turnsError;
    if (name == QLatin1String("sharegpt") && m_multiTurn->isChecked() && !backend.isEmpty()
        && !sendsChatMessages(backend))
        turnsError = tr("Multi-turn conversations are sent as chat messages: choose the OpenAI-compatible chat API.");
    setFieldError(m_multiTurn, m_multiTurnMessage, turnsError);
    if (!turnsError.isEmpty())
        return turnsError;

    QString error;
    if (maxModelLen > 0 && name == QLatin1String("random")) {
        // The longest request the dataset can draw: prefix + input and output at their upper range.
        const double spread = 1.0 + m_rangeRatio->value();
        const qint64 longest = m_prefixLen->value() + qint64(std::floor(m_inputLen->value() * spread))
            + qint64(std::floor(m_outputLen->value() * spread));
        if (longest > maxModelLen)
            error = tr("Prompt and answer can reach %1 tokens, more than the %2 the demo server accepts. Make them shorter or choose another preset.")
                        .arg(longest)
                        .arg(maxModelLen);
    }
    setFieldError(m_inputLen, m_lengthMessage, error);
    setFieldError(m_outputLen, nullptr, error);
    return error;
}

void WorkloadForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void WorkloadForm::retranslateUi()
{
    setTitle(tr("Workload"));
    for (int i = 0; i < m_dataset->count(); ++i)
        m_dataset->setItemText(i, datasetTitle(m_dataset->itemData(i).toString()));
    setFormLabel(m_layout, m_dataset, tr("Dataset"));
    m_dataset->setToolTip(fieldTip(tr("Dataset (--dataset-name)"),
        tr("Where the prompts come from. Random prompts suit stress tests; ShareGPT conversations (the guide's realistic scenario) and your own prompts give real length distributions; a trace replays recorded traffic with its timing. Files are read as vLLM's benchmark reads them.")));
    setFormLabel(m_layout, m_pathRow, tr("File"));
    m_path->setPlaceholderText(tr("path of the dataset file"));
    m_path->setToolTip(fieldTip(tr("Dataset file (--dataset-path)"),
        tr("ShareGPT: the JSON file of conversations, e.g. ShareGPT_V3_unfiltered_cleaned_split.json. Sonnet: a text file of lines. Your own prompts: JSONL with a \"prompt\" field per line, or CSV. Trace replay: a Mooncake trace, JSONL with timestamp, input_length, output_length and hash_ids per line.")));
    m_browse->setText(tr("Browse…"));
    const QString tokens = tr(" tokens");
    for (QSpinBox *box : { m_inputLen, m_outputLen, m_prefixLen })
        box->setSuffix(tokens);

    setFormLabel(m_layout, m_inputLen, tr("Input length"));
    m_inputLen->setToolTip(fieldTip(tr("Input length (--random-input-len)"),
        tr("Tokens in each prompt. Long prompts test the prefill stage and the time to first token; the guide uses 100 for a quick check and 512 for benchmarks.")));
    setFormLabel(m_layout, m_outputLen, tr("Output length"));
    m_outputLen->setToolTip(fieldTip(tr("Output length (--random-output-len)"),
        tr("Tokens the server is asked to generate for each prompt; it is told to ignore end-of-sequence so that every answer has this length. Long answers test the generation speed (TPOT).")));
    setFormLabel(m_layout, m_rangeRatio, tr("Length variation"));
    m_rangeRatio->setToolTip(fieldTip(tr("Length variation (--random-range-ratio)"),
        tr("0 gives every request exactly the lengths above. A value r draws each length evenly between L×(1−r) and L×(1+r), which looks more like real traffic.")));
    setFormLabel(m_layout, m_prefixLen, tr("Shared prefix"));
    m_prefixLen->setToolTip(fieldTip(tr("Shared prefix (--random-prefix-len)"),
        tr("Tokens at the start of every prompt that are the same for all requests, like a system prompt. Servers with prefix caching answer such prompts faster.")));
    setFormLabel(m_layout, m_tokenizerRow, tr("Tokenizer"));
    m_tokenizer->setPlaceholderText(tr("optional: tokenizer.json or model folder"));
    m_tokenizer->setToolTip(fieldTip(tr("Tokenizer (--tokenizer)"),
        tr("The model's tokenizer.json, or the model folder that holds it. With it, random prompts have exactly the lengths asked for, and output tokens are counted when the server sends no usage. Optional: left empty, lengths are estimated.")));
    m_tokenizerBrowse->setText(tr("Browse…"));
    setFormLabel(m_layout, m_multiTurn, tr("Conversations"));
    m_multiTurn->setText(tr("Send each conversation turn by turn (multi-turn)"));
    m_multiTurn->setToolTip(fieldTip(tr("Multi-turn (--multi-turn)"),
        tr("Each conversation of the file becomes a chat user: its turns are sent one after another, each with the conversation so far, the next only when the previous answer has finished. The number of requests counts conversations, and the maximum concurrency is the number of users chatting at once.")));
}

} // namespace ts
