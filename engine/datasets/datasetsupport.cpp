#include "datasets/datasetsupport.h"

#include "datasets/chattemplate.h"
#include "datasets/pythonrandom.h"
#include "datasets/workloadlimits.h"
#include "sim/simtokenizer.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace ts::datasets {

QString tr(const char *text)
{
    return QCoreApplication::translate("ts::Datasets", text);
}

QString atLine(const QString &file, qint64 line, const QString &what)
{
    return QCoreApplication::translate("ts::Datasets", "%1, line %2: %3").arg(QDir::toNativeSeparators(file)).arg(line).arg(what);
}

QString atByte(const QString &file, qint64 byte, const QString &what)
{
    return QCoreApplication::translate("ts::Datasets", "%1, byte %2: %3").arg(QDir::toNativeSeparators(file)).arg(byte).arg(what);
}

int countTokens(const Tokenizer *tokenizer, const QString &text, bool addSpecialTokens, DatasetResult &result)
{
    if (tokenizer)
        return tokenizer->countTokens(text, addSpecialTokens);
    if (!result.lengthsEstimated) {
        result.lengthsEstimated = true;
        result.warnings.append(QCoreApplication::translate("ts::Datasets", "No tokenizer given: token lengths are estimates, so filtering by length "
                                  "may differ from vLLM's. Give --tokenizer for exact lengths."));
    }
    const QByteArray utf8 = text.toUtf8();
    return sim::countPromptTokens(std::string_view(utf8.constData(), std::size_t(utf8.size())));
}

QString applyChatTemplate(const Tokenizer *tokenizer, const QString &content, DatasetResult &result)
{
    if (tokenizer) {
        if (auto rendered = renderSingleUserPrompt(tokenizer->chatTemplate(), tokenizer->bosToken(), content))
            return *rendered;
    }
    static const char *const kWarning = QT_TRANSLATE_NOOP("ts::Datasets",
        "The tokenizer has no chat template Tokenstorm knows: prompts are used without one.");
    if (!result.warnings.contains(tr(kWarning)))
        result.warnings.append(tr(kWarning));
    return content;
}

void oversample(std::vector<PromptSpec> &prompts, int numPrompts, std::uint64_t seed, bool noOversample,
                DatasetResult &result)
{
    if (noOversample || prompts.empty() || int(prompts.size()) >= numPrompts)
        return;
    PythonRandom random(seed);
    const std::size_t available = prompts.size();
    const int needed = numPrompts - int(available);
    prompts.reserve(std::size_t(numPrompts));
    for (int i = 0; i < needed; ++i)
        prompts.push_back(prompts[random.choiceIndex(available)]);
    result.oversampled = needed;
}

void warnSkipped(DatasetResult &result, const QString &firstProblem)
{
    if (result.recordsSkipped > 0)
        result.warnings.append(QCoreApplication::translate("ts::Datasets", "%n malformed record(s) skipped; the first: %1",
                                                           nullptr, result.recordsSkipped)
                                   .arg(firstProblem));
}

QString emptyFileError(const QString &path)
{
    return QCoreApplication::translate("ts::Datasets", "The dataset file “%1” is empty.").arg(QDir::toNativeSeparators(path));
}

QString noUsableRowsError(const QString &path, int skipped, const QString &firstProblem)
{
    return QCoreApplication::translate("ts::Datasets", "The dataset file “%1” has no usable rows (%n skipped; the first: %2).",
                                       nullptr, skipped)
        .arg(QDir::toNativeSeparators(path), firstProblem);
}

bool readFile(const QString &path, QByteArray *data, QString *error)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        *error = path.isEmpty() ? QCoreApplication::translate("ts::Datasets", "This dataset needs a file (--dataset-path).")
                                : QCoreApplication::translate("ts::Datasets", "Cannot read %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    // The whole file is held in memory while it is read, so it must fit the run's memory.
    const qint64 budget = defaultMemoryBudget();
    if (file.size() > budget) {
        *error = QCoreApplication::translate("ts::Datasets", "The dataset file %1 is %2 MB, more than the %3 MB (a quarter of this computer's memory) a run may read. Give a smaller file.")
                     .arg(QDir::toNativeSeparators(path))
                     .arg(file.size() / (1024 * 1024))
                     .arg(budget / (1024 * 1024));
        return false;
    }
    *data = file.readAll();
    return true;
}

} // namespace ts::datasets
