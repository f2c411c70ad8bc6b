#include "tokenizer/tokenizer.h"

#include "tokenizer/addedvocabulary.h"
#include "tokenizer/bpemodel.h"
#include "tokenizer/decoder.h"
#include "tokenizer/jsonutil.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizerjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <limits>
#include <string>

namespace ts {

namespace {

// UTF-16 to UTF-8 without allocating a QByteArray per word; lone surrogates become U+FFFD,
// as they do when text reaches the reference library.
void appendUtf8(QStringView text, std::string &out)
{
    const qsizetype n = text.size();
    const char16_t *s = text.utf16();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = s[i];
        if (c < 0x80) {
            out.push_back(char(c));
            continue;
        }
        if (c >= 0xD800 && c <= 0xDFFF) {
            if (c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (char32_t(s[i + 1]) - 0xDC00);
                ++i;
            } else {
                c = 0xFFFD;
            }
        }
        if (c < 0x800) {
            out.push_back(char(0xC0 | (c >> 6)));
            out.push_back(char(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(char(0xE0 | (c >> 12)));
            out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(char(0x80 | (c & 0x3F)));
        } else {
            out.push_back(char(0xF0 | (c >> 18)));
            out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(char(0x80 | (c & 0x3F)));
        }
    }
}

QString tooLarge(const QString &file, qint64 size)
{
    return QCoreApplication::translate("ts::Tokenizer", "The tokenizer file %1 is %2 MB, more than the %3 MB a tokenizer can take; give the model's tokenizer.json.")
        .arg(QDir::toNativeSeparators(file))
        .arg(size / (1024 * 1024))
        .arg(tok::kMaxTokenizerFileBytes / (1024 * 1024));
}

// bos_token / eos_token: a string, or an AddedToken object with "content".
QString tokenText(const nlohmann::json &config, const char *key)
{
    const nlohmann::json &value = tok::jsonMember(config, key);
    if (value.is_string())
        return tok::fromUtf8Exact(value.get<std::string>());
    return tok::jsonString(value, "content");
}

QString chatTemplateOf(const nlohmann::json &config)
{
    const nlohmann::json &value = tok::jsonMember(config, "chat_template");
    if (value.is_string())
        return tok::fromUtf8Exact(value.get<std::string>());
    if (value.is_array()) {
        QString first;
        for (const nlohmann::json &entry : value) {
            const QString name = tok::jsonString(entry, "name");
            const QString text = tok::jsonString(entry, "template");
            if (name == QLatin1String("default"))
                return text;
            if (first.isEmpty())
                first = text;
        }
        return first;
    }
    return {};
}

// An integer id as written; one beyond the range of long long (only possible unsigned) is clamped.
long long idValue(const nlohmann::json &id)
{
    if (id.is_number_unsigned())
        return (long long)std::min<unsigned long long>(id.get<unsigned long long>(), std::numeric_limits<long long>::max());
    return id.get<long long>();
}

// Ids size the id-to-token table, so one absurd id would take all memory. Every id must lie below
// the number of tokens plus kMaxIdGaps, which every real tokenizer does.
bool checkIds(const tok::TokenizerJson &parsed, int *limit, QString *error)
{
    const nlohmann::json &added = tok::jsonMember(parsed.root, "added_tokens");
    const std::size_t tokenCount = parsed.vocab.size() + (added.is_array() ? added.size() : 0);
    const long long bound = std::min<long long>(std::numeric_limits<int>::max(), (long long)tokenCount + tok::kMaxIdGaps);
    *limit = int(bound);
    auto check = [&](const QString &token, long long id) {
        if (id < 0)
            *error = QCoreApplication::translate("ts::Tokenizer", "The token “%1” has the id %2; ids are numbers from 0 up.").arg(token).arg(id);
        else if (id >= bound)
            *error = QCoreApplication::translate("ts::Tokenizer", "The token “%1” has the id %2, far beyond the %3 tokens in the file; ids count up from 0 with few gaps.")
                         .arg(token)
                         .arg(id)
                         .arg(tokenCount);
        else
            return true;
        return false;
    };
    for (const auto &[text, id] : parsed.vocab)
        if (!check(tok::fromUtf8Exact(text), id))
            return false;
    if (!added.is_array())
        return true;
    for (const nlohmann::json &entry : added) {
        const nlohmann::json &id = tok::jsonMember(entry, "id");
        // An entry without an integer id is skipped when loading, so it cannot size anything.
        if (id.is_number_integer() && !check(tok::jsonString(entry, "content"), idValue(id)))
            return false;
    }
    return true;
}

} // namespace

struct Tokenizer::Private
{
    tok::Normalizer normalizer;
    tok::PreTokenizer preTokenizer;
    tok::BpeModel model;
    tok::AddedVocabulary added;
    tok::Decoder decoder;
    std::vector<int> prefixIds;   // post-processor, single sequence
    std::vector<int> suffixIds;
    QString chatTemplate;
    QString bosToken;
    QString eosToken;
    QString sourcePath;
    int idLimit = 0;   // from checkIds

    bool validId(const nlohmann::json &id, QString *error) const;
    bool loadPostProcessor(const nlohmann::json &config, QString *error);
    void encodeText(QStringView text, bool atStart, std::vector<int> &ids) const;
};

bool Tokenizer::Private::validId(const nlohmann::json &id, QString *error) const
{
    if (idValue(id) >= 0 && idValue(id) < idLimit)
        return true;
    if (error)
        *error = QCoreApplication::translate("ts::Tokenizer", "The post-processor adds the id %1, which no token has.").arg(QString::fromStdString(id.dump()));
    return false;
}

bool Tokenizer::Private::loadPostProcessor(const nlohmann::json &config, QString *error)
{
    if (config.is_null())
        return true;
    const QString type = tok::jsonType(config);
    if (type == QLatin1String("Sequence")) {
        const nlohmann::json &list = tok::jsonMember(config, "processors");
        if (list.is_array())
            for (const nlohmann::json &item : list)
                if (!loadPostProcessor(item, error))
                    return false;
        return true;
    }
    if (type == QLatin1String("ByteLevel"))
        return true;   // only adjusts offsets
    if (type == QLatin1String("TemplateProcessing")) {
        const nlohmann::json &special = tok::jsonMember(config, "special_tokens");
        bool afterSequence = false;
        const nlohmann::json &single = tok::jsonMember(config, "single");
        if (!single.is_array())
            return true;
        for (const nlohmann::json &item : single) {
            if (item.contains("Sequence")) {
                afterSequence = true;
                continue;
            }
            const QString name = tok::jsonString(tok::jsonMember(item, "SpecialToken"), "id");
            const nlohmann::json &entry = tok::jsonMember(special, name.toStdString().c_str());
            const nlohmann::json &ids = tok::jsonMember(entry, "ids");
            if (!ids.is_array()) {
                if (error)
                    *error = QCoreApplication::translate("ts::Tokenizer", "The post-processor names a special token “%1” it does not define.").arg(name);
                return false;
            }
            for (const nlohmann::json &id : ids) {
                if (!id.is_number_integer())
                    continue;
                if (!validId(id, error))
                    return false;
                (afterSequence ? suffixIds : prefixIds).push_back(id.get<int>());
            }
        }
        return true;
    }
    if (type == QLatin1String("RobertaProcessing") || type == QLatin1String("BertProcessing")) {
        const nlohmann::json &cls = tok::jsonMember(config, "cls");
        const nlohmann::json &sep = tok::jsonMember(config, "sep");
        if (cls.is_array() && cls.size() == 2 && cls[1].is_number_integer()) {
            if (!validId(cls[1], error))
                return false;
            prefixIds.push_back(cls[1].get<int>());
        }
        if (sep.is_array() && sep.size() == 2 && sep[1].is_number_integer()) {
            if (!validId(sep[1], error))
                return false;
            suffixIds.push_back(sep[1].get<int>());
        }
        return true;
    }
    if (error)
        *error = QCoreApplication::translate("ts::Tokenizer", "The %1 type “%2” is not supported.").arg(QCoreApplication::translate("ts::Tokenizer", "post-processor"), type);
    return false;
}

void Tokenizer::Private::encodeText(QStringView text, bool atStart, std::vector<int> &ids) const
{
    thread_local std::vector<tok::TextSpan> spans;
    thread_local std::vector<tok::Piece> pieces;
    thread_local std::string utf8;
    tok::PieceArena arena;

    QStringView normalized = text;
    if (!normalizer.isIdentity())
        normalized = arena.keep(normalizer.apply(text.toString()));
    spans.clear();
    added.split(normalized, true, spans);
    for (const tok::TextSpan &span : spans) {
        if (span.id >= 0) {
            ids.push_back(span.id);
            continue;
        }
        pieces.clear();
        pieces.push_back({ normalized.mid(span.start, span.end - span.start), atStart && span.start == 0 });
        preTokenizer.apply(pieces, arena);
        for (const tok::Piece &piece : pieces) {
            utf8.clear();
            appendUtf8(piece.text, utf8);
            model.encodeWord(utf8, ids);
        }
    }
}

Tokenizer::Tokenizer()
    : d(std::make_unique<Private>())
{
}

Tokenizer::~Tokenizer() = default;

std::shared_ptr<const Tokenizer> Tokenizer::load(const QString &path, QString *error)
{
    QFileInfo info(path);
    QString file = path;
    if (info.isDir())
        file = QDir(path).filePath(QStringLiteral("tokenizer.json"));
    QFile f(file);
    const qint64 size = QFileInfo(file).size();
    if (size > tok::kMaxTokenizerFileBytes) {
        if (error)
            *error = tooLarge(file, size);
        return nullptr;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = info.isDir() ? QCoreApplication::translate("ts::Tokenizer", "No tokenizer.json in the folder %1.").arg(QDir::toNativeSeparators(path))
                                  : QCoreApplication::translate("ts::Tokenizer", "Cannot read the tokenizer file %1: %2.").arg(QDir::toNativeSeparators(file), f.errorString());
        return nullptr;
    }
    const QByteArray json = f.readAll();
    QByteArray configJson;
    QFile config(QFileInfo(file).dir().filePath(QStringLiteral("tokenizer_config.json")));
    if (config.size() > tok::kMaxTokenizerFileBytes) {
        if (error)
            *error = tooLarge(config.fileName(), config.size());
        return nullptr;
    }
    if (config.open(QIODevice::ReadOnly))
        configJson = config.readAll();
    QString why;
    auto tokenizer = fromJson(json, &why, configJson);
    if (!tokenizer) {
        if (error)
            *error = QCoreApplication::translate("ts::Tokenizer", "Cannot load the tokenizer %1: %2").arg(QDir::toNativeSeparators(file), why);
        return nullptr;
    }
    std::const_pointer_cast<Tokenizer>(tokenizer)->d->sourcePath = QFileInfo(file).absoluteFilePath();
    return tokenizer;
}

std::shared_ptr<const Tokenizer> Tokenizer::fromJson(const QByteArray &tokenizerJson, QString *error,
                                                     const QByteArray &tokenizerConfigJson)
{
    QString ignored;
    QString &why = error ? *error : ignored;
    tok::TokenizerJson parsed;
    if (!tok::parseTokenizerJson(tokenizerJson, &parsed, &why))
        return nullptr;
    const nlohmann::json &root = parsed.root;
    if (!root.is_object() || !root.contains("model")) {
        why = QCoreApplication::translate("ts::Tokenizer", "Not a tokenizer.json file: it has no “model”.");
        return nullptr;
    }
    std::shared_ptr<Tokenizer> tokenizer(new Tokenizer);
    Private &p = *tokenizer->d;
    if (!checkIds(parsed, &p.idLimit, &why))
        return nullptr;
    try {
        if (!p.normalizer.load(tok::jsonMember(root, "normalizer"), &why)
            || !p.preTokenizer.load(tok::jsonMember(root, "pre_tokenizer"), &why)
            || !p.model.load(tok::jsonMember(root, "model"), parsed.vocab, parsed.merges, p.preTokenizer.isByteLevel(), &why)
            || !p.added.load(tok::jsonMember(root, "added_tokens"), &why)
            || !p.loadPostProcessor(tok::jsonMember(root, "post_processor"), &why))
            return nullptr;
        p.decoder.load(tok::jsonMember(root, "decoder"));
    } catch (const nlohmann::json::exception &e) {
        why = QCoreApplication::translate("ts::Tokenizer", "Unexpected content (%1).").arg(QString::fromUtf8(e.what()));
        return nullptr;
    }
    p.added.prepare(p.normalizer);

    if (!tokenizerConfigJson.isEmpty()) {
        try {
            const nlohmann::json config = nlohmann::json::parse(tokenizerConfigJson.begin(), tokenizerConfigJson.end());
            p.chatTemplate = chatTemplateOf(config);
            p.bosToken = tokenText(config, "bos_token");
            p.eosToken = tokenText(config, "eos_token");
        } catch (const nlohmann::json::exception &) {
            // The configuration only adds the chat template; the tokenizer works without it.
        }
    }
    return tokenizer;
}

std::vector<int> Tokenizer::encode(QStringView text, bool addSpecialTokens) const
{
    std::vector<int> ids;
    ids.reserve(std::size_t(text.size() / 3 + 4));
    if (addSpecialTokens)
        ids.insert(ids.end(), d->prefixIds.begin(), d->prefixIds.end());
    // Added tokens that are not normalized are found on the raw text first.
    std::vector<tok::TextSpan> spans;
    d->added.split(text, false, spans);
    for (const tok::TextSpan &span : spans) {
        if (span.id >= 0)
            ids.push_back(span.id);
        else
            d->encodeText(text.mid(span.start, span.end - span.start), span.start == 0, ids);
    }
    if (addSpecialTokens)
        ids.insert(ids.end(), d->suffixIds.begin(), d->suffixIds.end());
    return ids;
}

int Tokenizer::countTokens(QStringView text, bool addSpecialTokens) const
{
    return int(encode(text, addSpecialTokens).size());
}

QString Tokenizer::decode(const std::vector<int> &ids, bool skipSpecialTokens) const
{
    QStringList tokens;
    tokens.reserve(qsizetype(ids.size()));
    for (int id : ids) {
        if (const tok::AddedToken *added = d->added.byId(id)) {
            if (!(skipSpecialTokens && added->special))
                tokens.append(added->content);
            continue;
        }
        const QString token = d->model.idToToken(id);
        if (!token.isEmpty())
            tokens.append(token);
    }
    return d->decoder.decode(tokens);
}

int Tokenizer::numSpecialTokensToAdd() const
{
    return int(d->prefixIds.size() + d->suffixIds.size());
}

int Tokenizer::baseVocabSize() const
{
    return d->model.vocabSize();
}

int Tokenizer::idCount() const
{
    int count = d->model.maxId() + 1;
    for (const tok::AddedToken &token : d->added.tokens())
        count = std::max(count, token.id + 1);
    return count;
}

bool Tokenizer::isSpecialToken(int id) const
{
    const tok::AddedToken *added = d->added.byId(id);
    return added && added->special;
}

int Tokenizer::tokenToId(const QString &token) const
{
    const int id = d->added.idOf(token);
    return id >= 0 ? id : d->model.tokenToId(token);
}

QString Tokenizer::idToToken(int id) const
{
    if (const tok::AddedToken *added = d->added.byId(id))
        return added->content;
    return d->model.idToToken(id);
}

QString Tokenizer::chatTemplate() const
{
    return d->chatTemplate;
}

QString Tokenizer::bosToken() const
{
    return d->bosToken;
}

QString Tokenizer::eosToken() const
{
    return d->eosToken;
}

QString Tokenizer::sourcePath() const
{
    return d->sourcePath;
}

} // namespace ts
