#include "datasets/dataset.h"

#include "datasets/datasetsupport.h"
#include "datasets/pythonrandom.h"
#include "datasets/randomdataset.h"
#include "datasets/workloadlimits.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>

#include <random>

namespace ts {

namespace {

// vLLM's prefix repetition: numPrefixes shared prefixes, each followed by its own suffixes,
// all shuffled; lengths exact with a tokenizer, about one token per word without one.
std::optional<DatasetResult> prefixRepetition(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                              const DatasetProgress &progress)
{
    if (config.prefixRepetitionNumPrefixes <= 0 || config.numPrompts < config.prefixRepetitionNumPrefixes) {
        *error = QCoreApplication::translate("ts::Datasets", "--num-prompts (%1) must be at least --prefix-repetition-num-prefixes (%2).")
                     .arg(config.numPrompts)
                     .arg(config.prefixRepetitionNumPrefixes);
        return std::nullopt;
    }
    DatasetResult result;
    const int perPrefix = config.numPrompts / config.prefixRepetitionNumPrefixes;
    std::mt19937_64 rng(config.seed);
    const QStringList &words = builtinVocabulary();
    std::uniform_int_distribution<qsizetype> pickWord(0, words.size() - 1);
    const int vocabulary = tokenizer ? tokenizer->baseVocabSize() : 0;
    std::uniform_int_distribution<int> pickId(0, std::max(vocabulary - 1, 0));
    const int special = tokenizer ? tokenizer->numSpecialTokensToAdd() : 0;

    // Ids (with a tokenizer) whose decoded text re-encodes to exactly `length` tokens.
    auto exactIds = [&](int length) {
        std::vector<int> ids;
        for (int i = 0; i < length; ++i)
            ids.push_back(pickId(rng));
        int reached = 0;
        const QString text = textOfTokenLength(*tokenizer, ids, length, rng(), &reached);
        return tokenizer->encode(text, false);
    };
    auto words_ = [&](int length) {
        QString text;
        for (int i = 0; i < length; ++i)
            text += words.at(pickWord(rng));
        return text;
    };

    for (int p = 0; p < config.prefixRepetitionNumPrefixes; ++p) {
        const std::vector<int> prefixIds = tokenizer ? exactIds(config.prefixRepetitionPrefixLen) : std::vector<int>();
        const QString prefixText = tokenizer ? QString() : words_(config.prefixRepetitionPrefixLen);
        for (int s = 0; s < perPrefix; ++s) {
            PromptSpec spec;
            spec.expectedOutputTokens = config.prefixRepetitionOutputLen;
            if (tokenizer) {
                std::vector<int> ids = prefixIds;
                const std::vector<int> suffix = exactIds(config.prefixRepetitionSuffixLen);
                ids.insert(ids.end(), suffix.begin(), suffix.end());
                spec.prompt = tokenizer->decode(ids, true);
                spec.promptTokens = tokenizer->countTokens(spec.prompt, true);
            } else {
                spec.prompt = prefixText + words_(config.prefixRepetitionSuffixLen);
                spec.promptTokens = config.prefixRepetitionPrefixLen + config.prefixRepetitionSuffixLen + special;
            }
            result.prompts.push_back(std::move(spec));
        }
        if (progress && !progress(qint64(result.prompts.size()), config.numPrompts)) {
            error->clear();
            return std::nullopt;
        }
    }
    if (!tokenizer)
        datasets::countTokens(nullptr, QString(), false, result);   // notes that lengths are estimates
    if (!config.disableShuffle) {
        PythonRandom random(config.seed);
        random.shuffle(result.prompts);
    }
    return result;
}

} // namespace

QStringList datasetNames()
{
    return { QStringLiteral("random"), QStringLiteral("sharegpt"), QStringLiteral("sonnet"), QStringLiteral("custom"),
             QStringLiteral("prefix_repetition"), QStringLiteral("mooncake") };
}

std::optional<DatasetResult> loadDataset(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                         const DatasetProgress &progress)
{
    QString ignored;
    if (!error)
        error = &ignored;
    error->clear();
    *error = workloadSizeError(config);
    if (!error->isEmpty())
        return std::nullopt;
    if (config.name == QLatin1String("random")) {
        DatasetResult result;
        if (tokenizer) {
            int mismatch = 0;
            result.prompts = makeRandomPrompts(config.random, config.numPrompts, config.seed, *tokenizer, &mismatch);
            if (mismatch > 0)
                result.warnings.append(QCoreApplication::translate("ts::Datasets", "%1 prompt tokens differ from the requested lengths after decoding and re-encoding.")
                                           .arg(mismatch));
        } else {
            result.prompts = makeRandomPrompts(config.random, config.numPrompts, config.seed);
        }
        return result;
    }
    if (config.name == QLatin1String("sharegpt"))
        return datasets::loadShareGpt(config, tokenizer, error, progress);
    if (config.name == QLatin1String("sonnet"))
        return datasets::loadSonnet(config, tokenizer, error, progress);
    if (config.name == QLatin1String("custom"))
        return datasets::loadCustom(config, tokenizer, error, progress);
    if (config.name == QLatin1String("mooncake"))
        return datasets::loadMooncake(config, tokenizer, error, progress);
    if (config.name == QLatin1String("prefix_repetition"))
        return prefixRepetition(config, tokenizer, error, progress);
    *error = QCoreApplication::translate("ts::Datasets", "Unknown dataset “%1”. Choose one of: %2.").arg(config.name, datasetNames().join(QLatin1String(", ")));
    return std::nullopt;
}

} // namespace ts
