// Custom prompts: JSONL (one object per line with "prompt" or chat "messages", and optionally
// "output_len") or CSV (a header row with a "prompt" column and optionally "output_len").
// Sampled as vLLM's custom dataset: shuffled with seed 0 (vLLM does not pass --seed to it),
// formatted with the chat template unless skipped, --custom-output-len when a record has none.

#include "datasets/datasetsupport.h"
#include "datasets/pythonrandom.h"
#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <nlohmann/json.hpp>

#include <cmath>

namespace ts::datasets {

namespace {

struct Record
{
    QString prompt;
    std::vector<ChatMessage> messages;
    int outputLen = 0;   // 0: --custom-output-len
};

struct Reader
{
    const QString &file;
    std::vector<Record> records;
    int skipped = 0;
    QString firstProblem;

    void skip(qint64 line, const QString &what)
    {
        if (skipped++ == 0)
            firstProblem = atLine(file, line, what);
    }
};

std::optional<int> positiveInt(const nlohmann::json &value)
{
    if (value.is_number_integer() && value.get<long long>() > 0 && value.get<long long>() < (1LL << 30))
        return int(value.get<long long>());
    if (value.is_number_float() && value.get<double>() >= 1 && value.get<double>() < double(1 << 30)
        && value.get<double>() == std::floor(value.get<double>()))
        return int(value.get<double>());
    return std::nullopt;
}

void readJsonl(const QByteArray &data, Reader &reader, const DatasetProgress &progress, bool *cancelled)
{
    *cancelled = !forEachJsonLine(data, progress, [&](qint64 lineNumber, const QByteArray &line) {
        nlohmann::json object;
        try {
            object = nlohmann::json::parse(line.begin(), line.end());
        } catch (const nlohmann::json::exception &) {
            reader.skip(lineNumber, QCoreApplication::translate("ts::Datasets", "not valid JSON"));
            return;
        }
        if (!object.is_object()) {
            reader.skip(lineNumber, QCoreApplication::translate("ts::Datasets", "not a JSON object"));
            return;
        }
        Record record;
        const nlohmann::json &prompt = tok::jsonMember(object, "prompt");
        const nlohmann::json &messages = tok::jsonMember(object, "messages");
        if (prompt.is_string()) {
            record.prompt = tok::fromUtf8Exact(prompt.get_ref<const std::string &>());
        } else if (messages.is_array() && !messages.empty()) {
            bool ok = true;
            QStringList contents;
            for (const nlohmann::json &m : messages) {
                const nlohmann::json &content = tok::jsonMember(m, "content");
                const QString role = tok::jsonString(m, "role");
                if (role.isEmpty() || !content.is_string()) {
                    ok = false;
                    break;
                }
                record.messages.push_back({ role, tok::fromUtf8Exact(content.get_ref<const std::string &>()) });
                contents.append(record.messages.back().content);
            }
            if (!ok) {
                reader.skip(lineNumber, QCoreApplication::translate("ts::Datasets", "every message needs a “role” and a text “content”"));
                return;
            }
            record.prompt = contents.join(u'\n');
        } else {
            reader.skip(lineNumber, QCoreApplication::translate("ts::Datasets", "no text “prompt” and no “messages”"));
            return;
        }
        const nlohmann::json &outputLen = tok::jsonMember(object, "output_len");
        if (!outputLen.is_null()) {
            const std::optional<int> value = positiveInt(outputLen);
            if (!value) {
                reader.skip(lineNumber, QCoreApplication::translate("ts::Datasets", "“output_len” is not a positive whole number"));
                return;
            }
            record.outputLen = *value;
        }
        reader.records.push_back(std::move(record));
    });
}

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
struct CsvRow
{
    QStringList fields;
    qint64 line = 0;
    bool unterminated = false;
};

std::vector<CsvRow> parseCsv(const QString &text)
{
    std::vector<CsvRow> rows;
    CsvRow row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    qint64 line = 1;
    row.line = 1;
    auto endField = [&] {
        row.fields.append(field);
        field.clear();
        fieldStarted = false;
    };
    auto endRow = [&] {
        endField();
        if (!(row.fields.size() == 1 && row.fields.front().isEmpty()))
            rows.push_back(row);
        row = CsvRow {};
        row.line = line;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u'"' && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == u',') {
            endField();
        } else if (c == u'\n') {
            ++line;
            endRow();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted)
        row.unterminated = true;
    if (!field.isEmpty() || !row.fields.isEmpty() || quoted)
        endRow();
    return rows;
}

bool readCsv(const QString &text, Reader &reader, QString *error)
{
    const std::vector<CsvRow> rows = parseCsv(text);
    if (rows.empty()) {
        *error = emptyFileError(reader.file);
        return false;
    }
    QStringList header = rows.front().fields;
    for (QString &name : header)
        name = name.trimmed();
    const qsizetype promptColumn = header.indexOf(QStringLiteral("prompt"));
    const qsizetype outputColumn = header.indexOf(QStringLiteral("output_len"));
    if (promptColumn < 0) {
        *error = atLine(reader.file, 1, QCoreApplication::translate("ts::Datasets", "the header has no “prompt” column"));
        return false;
    }
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const CsvRow &row = rows[r];
        if (row.unterminated) {
            reader.skip(row.line, QCoreApplication::translate("ts::Datasets", "a quoted field is not closed"));
            continue;
        }
        if (row.fields.size() != header.size()) {
            reader.skip(row.line, QCoreApplication::translate("ts::Datasets", "%1 fields where the header has %2").arg(row.fields.size()).arg(header.size()));
            continue;
        }
        Record record;
        record.prompt = row.fields.at(promptColumn);
        if (record.prompt.isEmpty()) {
            reader.skip(row.line, QCoreApplication::translate("ts::Datasets", "the prompt is empty"));
            continue;
        }
        if (outputColumn >= 0 && !row.fields.at(outputColumn).trimmed().isEmpty()) {
            bool ok = false;
            const int value = row.fields.at(outputColumn).trimmed().toInt(&ok);
            if (!ok || value <= 0) {
                reader.skip(row.line, QCoreApplication::translate("ts::Datasets", "“output_len” is not a positive whole number"));
                continue;
            }
            record.outputLen = value;
        }
        reader.records.push_back(std::move(record));
    }
    return true;
}

} // namespace

std::optional<DatasetResult> loadCustom(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                        const DatasetProgress &progress)
{
    QByteArray data;
    if (!readFile(config.path, &data, error))
        return std::nullopt;
    Reader reader { config.path, {}, 0, {} };
    const bool csv = config.path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
    if (csv) {
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString text = decoder.decode(data);
        if (!readCsv(text, reader, error))
            return std::nullopt;
    } else {
        bool cancelled = false;
        readJsonl(data, reader, progress, &cancelled);
        if (cancelled) {
            error->clear();
            return std::nullopt;
        }
    }
    if (reader.records.empty()) {
        // Without a first problem nothing was skipped: the file has blank lines or a header only.
        *error = reader.firstProblem.isEmpty() ? emptyFileError(config.path)
                                               : noUsableRowsError(config.path, reader.skipped, reader.firstProblem);
        return std::nullopt;
    }

    DatasetResult result;
    result.recordsRead = int(reader.records.size()) + reader.skipped;
    result.recordsSkipped = reader.skipped;
    constexpr std::uint64_t kVllmCustomSeed = 0;
    if (!config.disableShuffle) {
        PythonRandom random(kVllmCustomSeed);
        random.shuffle(reader.records);
    }
    const int wanted = config.numPrompts <= 0 ? int(reader.records.size()) : config.numPrompts;
    const int special = tokenizer ? tokenizer->numSpecialTokensToAdd() : 0;
    for (const Record &record : reader.records) {
        if (int(result.prompts.size()) >= wanted)
            break;
        PromptSpec spec;
        spec.expectedOutputTokens = record.outputLen > 0 ? record.outputLen : config.customOutputLen;
        if (!record.messages.empty()) {
            // A conversation: chat endpoints send it as it is; the count adds up its texts.
            spec.messages = record.messages;
            spec.prompt = record.prompt;
            int tokens = special;
            for (const ChatMessage &m : record.messages)
                tokens += countTokens(tokenizer, m.content, false, result);
            spec.promptTokens = tokens;
        } else {
            const QString formatted = config.skipChatTemplate ? record.prompt
                                                              : applyChatTemplate(tokenizer, record.prompt, result);
            spec.prompt = config.chatBackend ? record.prompt : formatted;
            spec.promptTokens = countTokens(tokenizer, formatted, true, result);
        }
        result.prompts.push_back(std::move(spec));
        if (progress && (result.prompts.size() & 255) == 0 && !progress(qint64(result.prompts.size()), wanted)) {
            error->clear();
            return std::nullopt;
        }
    }
    warnSkipped(result, reader.firstProblem);
    oversample(result.prompts, wanted, kVllmCustomSeed, config.noOversample, result);
    return result;
}

} // namespace ts::datasets
