// Sonnet: prompts of poem lines after a fixed instruction, as vLLM builds them: a shared prefix
// of the file's first lines, then lines drawn with Python's random.choices, and the whole
// formatted with the model's chat template; prompts longer than the input length are redrawn.

#include "datasets/datasetsupport.h"
#include "datasets/pythonrandom.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cmath>

namespace ts::datasets {

namespace {

// Python's round(): halves go to the even neighbour.
int pythonRound(double x)
{
    return int(std::nearbyint(x));
}

} // namespace

std::optional<DatasetResult> loadSonnet(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                        const DatasetProgress &progress)
{
    QByteArray data;
    if (!readFile(config.path, &data, error))
        return std::nullopt;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(data);
    if (decoder.hasError()) {
        *error = QCoreApplication::translate("ts::Datasets", "%1 is not UTF-8 text.").arg(config.path);
        return std::nullopt;
    }
    // readlines(): every line keeps its line break.
    QStringList lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(u'\n', start);
        end = end < 0 ? text.size() : end + 1;
        lines.append(text.mid(start, end - start));
        start = end;
    }
    // Blank lines only would count zero tokens a line, and no number of them fills a prompt.
    if (text.trimmed().isEmpty()) {
        *error = emptyFileError(config.path);
        return std::nullopt;
    }

    DatasetResult result;
    result.recordsRead = int(lines.size());
    double total = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        total += countTokens(tokenizer, lines.at(i), true, result);
        if (progress && (i & 255) == 0 && !progress(i, lines.size())) {
            error->clear();
            return std::nullopt;
        }
    }
    const double averageLineTokens = total / double(lines.size());

    const QString basePrompt = QStringLiteral("Pick as many lines as you can from these poem lines:\n");
    const int baseOffset = countTokens(tokenizer, applyChatTemplate(tokenizer, basePrompt, result), true, result);
    if (config.sonnetInputLen <= baseOffset) {
        *error = QCoreApplication::translate("ts::Datasets", "--sonnet-input-len must be larger than the instruction's length (%1 tokens).").arg(baseOffset);
        return std::nullopt;
    }
    const int inputLines = pythonRound((config.sonnetInputLen - baseOffset) / averageLineTokens);
    const int prefixLines = std::max(pythonRound((config.sonnetPrefixLen - baseOffset) / averageLineTokens), 0);
    QString prefix = basePrompt;
    for (int i = 0; i < std::min<int>(prefixLines, int(lines.size())); ++i)
        prefix += lines.at(i);

    // vLLM draws from the random module as seeded at the start of its run.
    PythonRandom random(config.seed);
    const int drawn = inputLines - prefixLines;
    // Every prompt may be too long when the lines are long; stop instead of drawing forever.
    const qint64 maxAttempts = qint64(std::max(config.numPrompts, 1)) * 1000;
    qint64 attempts = 0;
    while (int(result.prompts.size()) < config.numPrompts) {
        if (++attempts > maxAttempts) {
            *error = QCoreApplication::translate("ts::Datasets", "No prompt of %1 fits in --sonnet-input-len %2 tokens.").arg(config.path).arg(config.sonnetInputLen);
            return std::nullopt;
        }
        QString prompt = prefix;
        for (int i = 0; i < drawn; ++i)
            prompt += lines.at(qsizetype(random.choicesIndex(std::size_t(lines.size()))));
        const QString formatted = applyChatTemplate(tokenizer, prompt, result);
        const int promptLen = countTokens(tokenizer, formatted, true, result);
        if (promptLen > config.sonnetInputLen) {
            ++result.recordsFiltered;
            continue;
        }
        PromptSpec spec;
        // Completions get the formatted prompt; chat endpoints apply the template themselves.
        spec.prompt = config.chatBackend ? prompt : formatted;
        spec.promptTokens = promptLen;
        spec.expectedOutputTokens = config.sonnetOutputLen;
        result.prompts.push_back(std::move(spec));
        if (progress && !progress(qint64(result.prompts.size()), config.numPrompts)) {
            error->clear();
            return std::nullopt;
        }
    }
    return result;
}

} // namespace ts::datasets
