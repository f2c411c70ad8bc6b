#include "datasets/randomdataset.h"

#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

namespace ts {

namespace {

// Common Chinese characters (one token each in Qwen, Llama 3 and DeepSeek tokenizers) and common
// English words with a leading space (one token each in byte-level BPE tokenizers).
constexpr const char16_t kChinese[] =
    u"的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

constexpr const char *kEnglish[] = {
    " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " with", " was", " on",
    " be", " at", " by", " this", " had", " not", " are", " but", " from", " or", " have", " an", " they",
    " which", " one", " you", " were", " all", " we", " her", " she", " there", " would", " their",
    " will", " when", " who", " him", " been", " has", " more", " if", " no", " out", " do", " so",
    " can", " what", " up", " said", " about", " other", " into", " than", " its", " time", " only",
    " could", " new", " them", " man", " some", " these", " then", " two", " first", " may", " any",
    " like", " now", " my", " such", " make", " over", " our", " even", " most", " me", " state",
    " after", " also", " made", " many", " did", " must", " before", " back", " see", " through",
    " way", " where", " get", " much", " go", " well", " your", " know", " should", " down", " work",
    " year", " because", " come", " people", " just", " say", " each", " those", " take", " day",
    " good", " how", " long", " own", " too", " little", " use", " us", " very", " great", " still",
    " men", " here", " life", " both", " between", " old", " under", " last", " never", " place",
    " same", " another", " think", " house", " while", " high", " right", " might", " came", " off",
    " find", " states", " since", " used", " give", " against", " three", " himself", " look", " few",
    " general", " hand", " school", " part", " small", " American", " home", " during", " number",
    " again", " Mr", " world", " course", " company", " data", " model", " server", " token", " cloud",
    " value", " system", " water", " light", " music", " river", " city", " market", " energy",
};

} // namespace

const QStringList &builtinVocabulary()
{
    static const QStringList vocabulary = [] {
        QStringList words;
        for (const char16_t *c = kChinese; *c; ++c)
            words.append(QString(QChar(*c)));
        for (const char *word : kEnglish)
            words.append(QString::fromLatin1(word));
        return words;
    }();
    return vocabulary;
}

std::vector<PromptSpec> makeRandomPrompts(const RandomDatasetConfig &config, int count, std::uint64_t seed)
{
    const QStringList &vocabulary = builtinVocabulary();
    std::mt19937_64 rng(seed);
    auto lengths = [&](int length) {
        const int low = std::max(1, int(std::floor(length * (1.0 - config.rangeRatio))));
        const int high = std::max(low, int(std::ceil(length * (1.0 + config.rangeRatio))));
        return std::uniform_int_distribution<int>(low, high);
    };
    auto inputLength = lengths(config.inputLen);
    auto outputLength = lengths(config.outputLen);
    std::uniform_int_distribution<qsizetype> word(0, vocabulary.size() - 1);

    auto appendWords = [&](QString &text, int n) {
        for (int i = 0; i < n; ++i)
            text += vocabulary.at(word(rng));
    };
    QString prefix;
    appendWords(prefix, config.prefixLen);

    std::vector<PromptSpec> prompts;
    prompts.reserve(std::size_t(std::max(count, 0)));
    for (int i = 0; i < count; ++i) {
        PromptSpec spec;
        const int inputLen = inputLength(rng);
        spec.expectedOutputTokens = outputLength(rng);
        spec.prompt = prefix;
        spec.prompt.reserve(prefix.size() + inputLen * 4);
        appendWords(spec.prompt, inputLen);
        spec.promptTokens = config.prefixLen + inputLen;
        prompts.push_back(std::move(spec));
    }
    return prompts;
}

} // namespace ts

namespace ts {

namespace {

// Ids a random prompt may use: the model's vocabulary without special tokens and without
// SentencePiece's <0xXX> byte tokens, whose random runs decode to broken UTF-8 that re-encodes
// longer and longer.
std::vector<int> allowedTokenIds(const Tokenizer &tokenizer)
{
    std::vector<int> allowed;
    const int vocab = tokenizer.baseVocabSize();
    allowed.reserve(std::size_t(std::max(vocab, 0)));
    for (int id = 0; id < vocab; ++id) {
        if (tokenizer.isSpecialToken(id))
            continue;
        const QString token = tokenizer.idToToken(id);
        if (token.size() == 6 && token.startsWith(QLatin1String("<0x")) && token.endsWith(u'>'))
            continue;
        allowed.push_back(id);
    }
    return allowed;
}

QString adjustToLength(const Tokenizer &tokenizer, std::vector<int> ids, int length, std::mt19937_64 &rng,
                       const std::vector<int> &allowed, int *finalLength)
{
    // vLLM stops after 10 rounds and accepts a mismatch; a few more rounds make exact lengths
    // certain in practice.
    constexpr int kMaxRounds = 40;
    std::uniform_int_distribution<std::size_t> pick(0, allowed.empty() ? 0 : allowed.size() - 1);
    QString text;
    for (int round = 0;; ++round) {
        text = tokenizer.decode(ids, true);
        ids = tokenizer.encode(text, false);
        const int got = int(ids.size());
        if (got == length || round == kMaxRounds || allowed.empty()) {
            if (finalLength)
                *finalLength = got;
            return text;
        }
        if (got > length)
            ids.resize(std::size_t(length));
        else
            for (int i = got; i < length; ++i)
                ids.push_back(allowed[pick(rng)]);
    }
}

} // namespace

QString textOfTokenLength(const Tokenizer &tokenizer, std::vector<int> ids, int length, std::uint64_t seed,
                          int *finalLength)
{
    std::mt19937_64 rng(seed);
    return adjustToLength(tokenizer, std::move(ids), length, rng, allowedTokenIds(tokenizer), finalLength);
}

std::vector<int> randomTextTokenIds(const Tokenizer &tokenizer)
{
    return allowedTokenIds(tokenizer);
}

QString textOfTokenLength(const Tokenizer &tokenizer, std::vector<int> ids, int length, std::uint64_t seed,
                          const std::vector<int> &allowed, int *finalLength)
{
    std::mt19937_64 rng(seed);
    return adjustToLength(tokenizer, std::move(ids), length, rng, allowed, finalLength);
}

std::vector<PromptSpec> makeRandomPrompts(const RandomDatasetConfig &config, int count, std::uint64_t seed,
                                          const Tokenizer &tokenizer, int *mismatchedTokens)
{
    const std::vector<int> allowed = allowedTokenIds(tokenizer);
    const int special = tokenizer.numSpecialTokensToAdd();
    std::mt19937_64 rng(seed);
    auto lengths = [&](int length, int minimum) {
        const int low = std::max(minimum, int(std::floor(length * (1.0 - config.rangeRatio))));
        const int high = std::max(low, int(std::ceil(length * (1.0 + config.rangeRatio))));
        return std::uniform_int_distribution<int>(low, high);
    };
    auto inputLength = lengths(std::max(0, config.inputLen - special), 0);
    auto outputLength = lengths(config.outputLen, 1);
    std::uniform_int_distribution<std::size_t> pick(0, allowed.empty() ? 0 : allowed.size() - 1);
    std::uniform_int_distribution<std::size_t> offsetOf(0, allowed.empty() ? 0 : allowed.size() - 1);

    std::vector<int> prefix;
    for (int i = 0; i < config.prefixLen && !allowed.empty(); ++i)
        prefix.push_back(allowed[pick(rng)]);

    int mismatch = 0;
    std::vector<PromptSpec> prompts;
    prompts.reserve(std::size_t(std::max(count, 0)));
    for (int i = 0; i < count; ++i) {
        const int inputLen = inputLength(rng);
        PromptSpec spec;
        spec.expectedOutputTokens = outputLength(rng);
        // A run of consecutive allowed ids from a random offset, as vLLM builds it.
        std::vector<int> ids = prefix;
        const std::size_t offset = offsetOf(rng);
        for (int k = 0; k < inputLen && !allowed.empty(); ++k)
            ids.push_back(allowed[(offset + std::size_t(i) + std::size_t(k)) % allowed.size()]);
        const int target = config.prefixLen + inputLen;
        int reached = 0;
        spec.prompt = adjustToLength(tokenizer, std::move(ids), target, rng, allowed, &reached);
        mismatch += std::abs(reached - target);
        spec.promptTokens = reached + special;
        prompts.push_back(std::move(spec));
    }
    if (mismatchedTokens)
        *mismatchedTokens = mismatch;
    return prompts;
}

} // namespace ts
