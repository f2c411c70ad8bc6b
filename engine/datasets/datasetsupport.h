#pragma once

// Shared by the dataset readers; not part of the engine's API.

#include "datasets/dataset.h"

#include <QString>

namespace ts::datasets {

QString tr(const char *text);

// "FILE, line N: WHAT" / "FILE, byte N: WHAT", in the user's language.
QString atLine(const QString &file, qint64 line, const QString &what);
QString atByte(const QString &file, qint64 byte, const QString &what);

// Counts tokens with the tokenizer, or estimates them without one (result.lengthsEstimated).
int countTokens(const Tokenizer *tokenizer, const QString &text, bool addSpecialTokens, DatasetResult &result);

// The prompt as the model's chat template formats a single user message; the plain text
// (with a warning, once) when there is no tokenizer or its template is unknown.
QString applyChatTemplate(const Tokenizer *tokenizer, const QString &content, DatasetResult &result);

// vLLM's maybe_oversample_requests: repeats random prompts (Python's random seeded with
// `seed`) until there are numPrompts.
void oversample(std::vector<PromptSpec> &prompts, int numPrompts, std::uint64_t seed, bool noOversample,
                DatasetResult &result);

// Records that could not be read: the count and where the first one was.
void warnSkipped(DatasetResult &result, const QString &firstProblem);

// "The dataset file “FILE” is empty." / "... has no usable rows (N skipped; the first: ...)."
QString emptyFileError(const QString &path);
QString noUsableRowsError(const QString &path, int skipped, const QString &firstProblem);

// Calls onLine(lineNumber, line) for every line of a JSON Lines file that is not blank, trimmed,
// numbered from 1, and reports progress every 1,024 lines. False when progress cancelled.
template<typename OnLine>
bool forEachJsonLine(const QByteArray &data, const DatasetProgress &progress, OnLine &&onLine)
{
    qint64 lineNumber = 0;
    qsizetype start = 0;
    while (start < data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        ++lineNumber;
        const QByteArray line = data.mid(start, end - start).trimmed();
        start = end + 1;
        if ((lineNumber & 1023) == 0 && progress && !progress(start, data.size()))
            return false;
        if (!line.isEmpty())
            onLine(lineNumber, line);
    }
    return true;
}

// Reads a whole file; false with *error set ("Cannot read FILE: reason").
bool readFile(const QString &path, QByteArray *data, QString *error);

std::optional<DatasetResult> loadShareGpt(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                          const DatasetProgress &progress);
std::optional<DatasetResult> loadSonnet(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                        const DatasetProgress &progress);
std::optional<DatasetResult> loadMooncake(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                          const DatasetProgress &progress);
std::optional<DatasetResult> loadCustom(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                        const DatasetProgress &progress);

} // namespace ts::datasets
