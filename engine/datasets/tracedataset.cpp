// Mooncake traces (docs/datasets.md): JSON Lines, one request a line, {"timestamp": ms since the
// trace began, "input_length": tokens, "output_length": tokens, "hash_ids": [ints]}. Each hash id
// names one block of kBlockTokens prompt tokens, the last one possibly cut short; equal ids are
// equal blocks, which is how a trace records prefix-cache reuse. So block text depends on its
// hash id only: two requests that share their first hash ids share that much prompt text.

#include "datasets/datasetsupport.h"
#include "datasets/randomdataset.h"
#include "datasets/workloadlimits.h"
#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>
#include <unordered_map>

namespace ts::datasets {

namespace {

constexpr int kBlockTokens = 512;

struct TraceRecord
{
    double timestampMs = 0;
    int inputLength = 0;
    int outputLength = 0;
    std::vector<std::int64_t> hashIds;
};

// splitmix64: block seeds that differ in every bit for neighbouring hash ids.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::optional<int> tokenCount(const nlohmann::json &value)
{
    double number = 0;
    if (value.is_number_integer())
        number = double(value.get<long long>());
    else if (value.is_number_float() && value.get<double>() == std::floor(value.get<double>()))
        number = value.get<double>();
    else
        return std::nullopt;
    if (number < 1 || number > kMaxRequestTokens)
        return std::nullopt;
    return int(number);
}

// Reads one line; an empty string when it is a good record, else what is wrong with it.
QString parseRecord(const QByteArray &line, TraceRecord &record)
{
    nlohmann::json object;
    try {
        object = nlohmann::json::parse(line.begin(), line.end());
    } catch (const nlohmann::json::exception &) {
        return QCoreApplication::translate("ts::Datasets", "not valid JSON");
    }
    if (!object.is_object())
        return QCoreApplication::translate("ts::Datasets", "not a JSON object");
    const nlohmann::json &timestamp = tok::jsonMember(object, "timestamp");
    if (!timestamp.is_number() || !(timestamp.get<double>() >= 0)
        || timestamp.get<double>() / 1000.0 > kMaxSendSeconds)
        return QCoreApplication::translate("ts::Datasets", "“timestamp” is not a number of milliseconds from 0 to %1 days").arg(int(kMaxSendSeconds / 86400));
    record.timestampMs = timestamp.get<double>();
    const std::optional<int> input = tokenCount(tok::jsonMember(object, "input_length"));
    if (!input)
        return QCoreApplication::translate("ts::Datasets", "“input_length” is not a whole number of tokens from 1 to %1").arg(qint64(kMaxRequestTokens));
    record.inputLength = *input;
    const std::optional<int> output = tokenCount(tok::jsonMember(object, "output_length"));
    if (!output)
        return QCoreApplication::translate("ts::Datasets", "“output_length” is not a whole number of tokens from 1 to %1").arg(qint64(kMaxRequestTokens));
    record.outputLength = *output;
    const nlohmann::json &hashIds = tok::jsonMember(object, "hash_ids");
    if (!hashIds.is_null()) {
        if (!hashIds.is_array())
            return QCoreApplication::translate("ts::Datasets", "“hash_ids” is not a list of whole numbers");
        for (const nlohmann::json &id : hashIds) {
            if (!id.is_number_integer())
                return QCoreApplication::translate("ts::Datasets", "“hash_ids” is not a list of whole numbers");
            record.hashIds.push_back(id.get<std::int64_t>());
        }
    }
    return {};
}

// The text of prompt blocks, each made once per hash id.
class BlockTexts
{
public:
    BlockTexts(const Tokenizer *tokenizer, std::uint64_t seed) : m_tokenizer(tokenizer), m_seed(seed)
    {
        if (tokenizer)
            m_allowed = randomTextTokenIds(*tokenizer);
    }

    // The first `tokens` tokens of the block named by hash id `id`.
    QString shared(std::int64_t id, int tokens)
    {
        auto found = m_blocks.find(id);
        if (found == m_blocks.end())
            found = m_blocks.emplace(id, make(mix(m_seed ^ mix(std::uint64_t(id))))).first;
        return cut(found->second, tokens);
    }

    // A block no other request shares (no hash id for it): seeded by the record and block.
    QString own(int record, int block, int tokens)
    {
        const std::uint64_t key = (std::uint64_t(std::uint32_t(record)) << 32) | std::uint32_t(block);
        return cut(make(mix(~m_seed ^ mix(key))), tokens);
    }

private:
    struct Block
    {
        QString text;             // all kBlockTokens tokens
        std::vector<int> ids;     // with a tokenizer: the text's ids
        std::uint64_t seed = 0;   // without: redraws the first words of a shorter cut
    };

    Block make(std::uint64_t seed) const
    {
        Block block;
        block.seed = seed;
        std::mt19937_64 rng(seed);
        if (m_tokenizer) {
            std::uniform_int_distribution<std::size_t> pick(0, m_allowed.empty() ? 0 : m_allowed.size() - 1);
            std::vector<int> ids;
            for (int i = 0; i < kBlockTokens && !m_allowed.empty(); ++i)
                ids.push_back(m_allowed[pick(rng)]);
            block.text = textOfTokenLength(*m_tokenizer, std::move(ids), kBlockTokens, rng(), m_allowed);
            block.ids = m_tokenizer->encode(block.text, false);
        } else {
            block.text = words(seed, kBlockTokens);
        }
        return block;
    }

    QString cut(const Block &block, int tokens) const
    {
        if (tokens >= kBlockTokens)
            return block.text;
        if (m_tokenizer) {
            // The first ids alone may decode to text of another length (a character cut in
            // two), so the cut is brought to its length as a whole block is.
            std::vector<int> ids(block.ids.begin(), block.ids.begin() + std::min<std::size_t>(std::size_t(tokens), block.ids.size()));
            return textOfTokenLength(*m_tokenizer, std::move(ids), tokens, block.seed, m_allowed);
        }
        return words(block.seed, tokens);
    }

    // About one token a word (the built-in vocabulary), drawn as make() draws them.
    static QString words(std::uint64_t seed, int count)
    {
        const QStringList &vocabulary = builtinVocabulary();
        std::mt19937_64 rng(seed);
        std::uniform_int_distribution<qsizetype> pick(0, vocabulary.size() - 1);
        QString text;
        for (int i = 0; i < count; ++i)
            text += vocabulary.at(pick(rng));
        return text;
    }

    const Tokenizer *m_tokenizer;
    std::uint64_t m_seed;
    std::vector<int> m_allowed;
    std::unordered_map<std::int64_t, Block> m_blocks;
};

} // namespace

std::optional<DatasetResult> loadMooncake(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                          const DatasetProgress &progress)
{
    QByteArray data;
    if (!readFile(config.path, &data, error))
        return std::nullopt;

    std::vector<TraceRecord> records;
    int skipped = 0;
    QString firstProblem;
    const bool complete = forEachJsonLine(data, progress, [&](qint64 lineNumber, const QByteArray &line) {
        TraceRecord record;
        if (const QString problem = parseRecord(line, record); !problem.isEmpty()) {
            if (skipped++ == 0)
                firstProblem = atLine(config.path, lineNumber, problem);
            return;
        }
        records.push_back(std::move(record));
    });
    if (!complete) {
        error->clear();
        return std::nullopt;
    }
    if (records.empty()) {
        *error = firstProblem.isEmpty() ? emptyFileError(config.path) : noUsableRowsError(config.path, skipped, firstProblem);
        return std::nullopt;
    }

    DatasetResult result;
    result.recordsRead = int(records.size()) + skipped;
    result.recordsSkipped = skipped;
    // A trace is replayed as recorded: its first requests in its order, never shuffled or
    // repeated, since each one belongs at its own time.
    if (config.numPrompts > 0 && std::size_t(config.numPrompts) < records.size())
        records.resize(std::size_t(config.numPrompts));
    double bytes = 0;
    for (const TraceRecord &record : records)
        bytes += requestMemoryBytes(record.inputLength, record.outputLength);
    if (QString tooBig = workloadMemoryError(double(records.size()), bytes); !tooBig.isEmpty()) {
        *error = tooBig;
        return std::nullopt;
    }

    BlockTexts blocks(tokenizer, config.seed);
    const int special = tokenizer ? tokenizer->numSpecialTokensToAdd() : 0;
    int mismatch = 0;
    result.prompts.reserve(records.size());
    for (std::size_t r = 0; r < records.size(); ++r) {
        const TraceRecord &record = records[r];
        // The server counts the tokens the tokenizer adds (BOS) as prompt tokens too.
        const int textTokens = tokenizer ? std::max(0, record.inputLength - special) : record.inputLength;
        PromptSpec spec;
        for (int block = 0, left = textTokens; left > 0; ++block, left -= kBlockTokens) {
            const int tokens = std::min(left, kBlockTokens);
            spec.prompt += std::size_t(block) < record.hashIds.size() ? blocks.shared(record.hashIds[std::size_t(block)], tokens)
                                                                      : blocks.own(int(r), block, tokens);
        }
        if (tokenizer) {
            const int counted = tokenizer->countTokens(spec.prompt, false);
            mismatch += std::abs(counted - textTokens);
            spec.promptTokens = counted + special;
        } else {
            spec.promptTokens = record.inputLength;
        }
        spec.expectedOutputTokens = record.outputLength;
        spec.sendAtS = record.timestampMs / 1000.0;
        result.prompts.push_back(std::move(spec));
        if (progress && (result.prompts.size() & 63) == 0 && !progress(qint64(result.prompts.size()), qint64(records.size()))) {
            error->clear();
            return std::nullopt;
        }
    }
    if (!tokenizer)
        countTokens(nullptr, QString(), false, result);   // notes that lengths are estimates
    if (mismatch > 0)
        result.warnings.append(QCoreApplication::translate("ts::Datasets", "%1 prompt tokens differ from the trace's input lengths where blocks meet.")
                                   .arg(mismatch));
    warnSkipped(result, firstProblem);
    return result;
}

} // namespace ts::datasets
