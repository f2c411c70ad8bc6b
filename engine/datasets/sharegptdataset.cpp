// ShareGPT: a JSON array of {"conversations": [{"from": ..., "value": ...}, ...]}. Read with a
// SAX parser over the memory-mapped file, so that a 1 GB file needs no document in memory and
// reports its progress; only the first two turns of each conversation are kept, except for
// multi-turn runs (loadConversations).

#include "datasets/datasetsupport.h"
#include "datasets/pythonrandom.h"
#include "tokenizer/jsonutil.h"
#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <nlohmann/json.hpp>

namespace ts::datasets {

namespace {

struct Conversation
{
    std::string prompt;       // UTF-8: half the memory of QString for a 1 GB file
    std::string completion;
    std::vector<std::pair<std::string, std::string>> turns;   // (from, value), multi-turn only
    qint64 offset = 0;   // byte where the entry starts
    QString problem;     // why it cannot be used, empty when it can
};

// Walks the bytes and publishes how far the parser got, for progress and error offsets.
class PositionIterator
{
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    PositionIterator() = default;
    PositionIterator(const char *p, const char **shared) : m_p(p), m_shared(shared) {}
    reference operator*() const { return *m_p; }
    PositionIterator &operator++()
    {
        ++m_p;
        *m_shared = m_p;
        return *this;
    }
    PositionIterator operator++(int)
    {
        PositionIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const PositionIterator &other) const { return m_p == other.m_p; }
    bool operator!=(const PositionIterator &other) const { return m_p != other.m_p; }

private:
    const char *m_p = nullptr;
    const char **m_shared = nullptr;
};

class ShareGptHandler : public nlohmann::json_sax<nlohmann::json>
{
public:
    ShareGptHandler(const char *begin, const char **position, qint64 size, const DatasetProgress &progress,
                    bool keepAllTurns)
        : m_begin(begin), m_position(position), m_size(size), m_progress(progress), m_keepAllTurns(keepAllTurns)
    {
    }

    std::vector<Conversation> conversations;   // entries with "conversations" of 2+ turns
    int entries = 0;
    QString rootProblem;
    bool cancelled = false;
    std::size_t errorPosition = 0;
    QString errorToken;

    bool null() override { return scalar(); }
    bool boolean(bool) override { return scalar(); }
    bool number_integer(number_integer_t) override { return scalar(); }
    bool number_unsigned(number_unsigned_t) override { return scalar(); }
    bool number_float(number_float_t, const string_t &) override { return scalar(); }
    bool binary(binary_t &) override { return scalar(); }
    bool string(string_t &value) override
    {
        if (m_depth == 4 && m_inConversations && m_turnKey == Key::From) {
            m_turnFrom = std::move(value);
        } else if (m_depth == 4 && m_inConversations && m_turnKey == Key::Value) {
            if (m_keepAllTurns)
                m_turnValue = value;
            if (m_turnCount < 2) {
                (m_turnCount == 0 ? m_current.prompt : m_current.completion) = std::move(value);
                m_turnHasValue[m_turnCount] = true;
            }
            m_hasValue = true;
        }
        return scalar();
    }

    bool start_object(std::size_t) override
    {
        if (m_depth == 0) {
            rootProblem = QCoreApplication::translate("ts::Datasets", "the file is a JSON object, not an array of conversations");
            return false;
        }
        ++m_depth;
        if (m_depth == 2) {
            m_current = Conversation {};
            m_current.offset = qint64(*m_position - m_begin) - 1;
            m_hasConversations = false;
            m_turnCount = 0;
            m_turnHasValue[0] = m_turnHasValue[1] = false;
            m_entryKey = Key::Other;
        } else if (m_depth == 4 && m_inConversations) {
            m_turnKey = Key::Other;
            m_turnFrom.clear();
            m_turnValue.clear();
            m_hasValue = false;
        }
        return true;
    }
    bool end_object() override
    {
        if (m_depth == 4 && m_inConversations) {
            if (m_keepAllTurns) {
                if (!m_hasValue)
                    m_current.problem = QCoreApplication::translate("ts::Datasets", "a conversation turn has no text “value”");
                m_current.turns.emplace_back(std::move(m_turnFrom), std::move(m_turnValue));
            }
            ++m_turnCount;
        }
        else if (m_depth == 2)
            finishEntry();
        --m_depth;
        return report();
    }
    bool start_array(std::size_t) override
    {
        ++m_depth;
        if (m_depth == 3 && m_entryKey == Key::Conversations) {
            m_inConversations = true;
            m_hasConversations = true;
        }
        return true;
    }
    bool end_array() override
    {
        if (m_depth == 3 && m_inConversations)
            m_inConversations = false;
        else if (m_depth == 4 && m_inConversations)
            ++m_turnCount;   // a turn that is an array: counted, but it has no "value"
        else if (m_depth == 2)
            ++entries;       // an entry that is an array
        --m_depth;
        return true;
    }
    bool key(string_t &name) override
    {
        if (m_depth == 2)
            m_entryKey = name == "conversations" ? Key::Conversations : Key::Other;
        else if (m_depth == 4 && m_inConversations)
            m_turnKey = name == "value" ? Key::Value : name == "from" ? Key::From : Key::Other;
        return true;
    }
    bool parse_error(std::size_t position, const std::string &lastToken, const nlohmann::detail::exception &) override
    {
        errorPosition = position;
        errorToken = QString::fromStdString(lastToken).right(40);
        return false;
    }

private:
    enum class Key { Other, Conversations, Value, From };

    bool scalar()
    {
        if (m_depth == 0) {
            rootProblem = QCoreApplication::translate("ts::Datasets", "the file holds a single value, not an array of conversations");
            return false;
        }
        if (m_depth == 1)
            ++entries;          // an entry that is not an object
        else if (m_depth == 3 && m_inConversations)
            ++m_turnCount;      // a turn that is not an object
        return true;
    }
    bool report()
    {
        if ((++m_events & 0x3FFF) == 0 && m_progress && !m_progress(qint64(*m_position - m_begin), m_size)) {
            cancelled = true;
            return false;
        }
        return true;
    }
    void finishEntry()
    {
        ++entries;
        if (!m_hasConversations || m_turnCount < 2)
            return;   // vLLM drops these before shuffling
        if (!m_turnHasValue[0] || !m_turnHasValue[1])
            m_current.problem = QCoreApplication::translate("ts::Datasets", "a conversation turn has no text “value”");
        conversations.push_back(std::move(m_current));
    }

    const char *m_begin;
    const char **m_position;
    qint64 m_size;
    const DatasetProgress &m_progress;
    bool m_keepAllTurns;
    std::string m_turnFrom;
    std::string m_turnValue;
    bool m_hasValue = false;
    int m_depth = 0;
    Key m_entryKey = Key::Other;
    Key m_turnKey = Key::Other;
    bool m_inConversations = false;
    bool m_hasConversations = false;
    bool m_turnHasValue[2] = { false, false };
    int m_turnCount = 0;
    std::uint64_t m_events = 0;
    Conversation m_current;
};

// Parses the file into the conversations vLLM keeps (two turns or more), in file order.
bool parseShareGpt(const QString &path, bool keepAllTurns, std::vector<Conversation> *conversations, int *entries,
                   QString *error, const DatasetProgress &progress)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        QByteArray unused;
        readFile(path, &unused, error);
        return false;
    }
    const qint64 size = file.size();
    QByteArray copy;
    const char *data = nullptr;
    if (size > 0) {
        if (uchar *mapped = file.map(0, size)) {
            data = reinterpret_cast<const char *>(mapped);
        } else {
            copy = file.readAll();
            data = copy.constData();
        }
    }
    static const char empty = 0;
    if (!data)
        data = &empty;
    if (QByteArrayView(data, size).trimmed().isEmpty()) {
        *error = emptyFileError(path);
        return false;
    }

    const char *position = data;
    ShareGptHandler handler(data, &position, size, progress, keepAllTurns);
    bool parsed = false;
    try {
        parsed = nlohmann::json::sax_parse(PositionIterator(data, &position), PositionIterator(data + size, &position),
                                           &handler);
    } catch (const nlohmann::json::exception &) {
        parsed = false;
    }
    if (handler.cancelled) {
        error->clear();
        return false;
    }
    if (!parsed) {
        if (!handler.rootProblem.isEmpty())
            *error = atByte(path, 0, handler.rootProblem);
        else
            *error = atByte(path, qint64(handler.errorPosition),
                            QCoreApplication::translate("ts::Datasets", "not valid JSON near “%1”").arg(handler.errorToken.simplified()));
        return false;
    }
    if (handler.conversations.empty()) {
        *error = QCoreApplication::translate("ts::Datasets", "%1 has no conversation with two or more turns.").arg(path);
        return false;
    }
    *entries = handler.entries;
    *conversations = std::move(handler.conversations);
    return true;
}

} // namespace

std::optional<DatasetResult> loadShareGpt(const DatasetConfig &config, const Tokenizer *tokenizer, QString *error,
                                          const DatasetProgress &progress)
{
    std::vector<Conversation> conversations;
    int entries = 0;
    if (!parseShareGpt(config.path, false, &conversations, &entries, error, progress))
        return std::nullopt;
    DatasetResult result;
    result.recordsRead = entries;
    if (!config.disableShuffle) {
        PythonRandom random(config.seed);
        random.shuffle(conversations);
    }

    QString firstProblem;
    const bool fixedOutput = config.sharegptOutputLen.has_value();
    for (const Conversation &c : conversations) {
        if (int(result.prompts.size()) >= config.numPrompts)
            break;
        if (!c.problem.isEmpty()) {
            if (result.recordsSkipped++ == 0)
                firstProblem = atByte(config.path, c.offset, c.problem);
            continue;
        }
        // vLLM counts both sides with the tokenizer's special tokens.
        const QString prompt = tok::fromUtf8Exact(c.prompt);
        const int promptLen = countTokens(tokenizer, prompt, true, result);
        const int outputLen = fixedOutput ? *config.sharegptOutputLen
                                          : countTokens(tokenizer, tok::fromUtf8Exact(c.completion), true, result);
        // vLLM's is_valid_sequence with its defaults.
        const bool valid = promptLen >= 4 && (fixedOutput || outputLen >= 4) && promptLen <= 1024
            && promptLen + outputLen <= 2048;
        if (!valid) {
            ++result.recordsFiltered;
            continue;
        }
        PromptSpec spec;
        spec.prompt = prompt;
        spec.promptTokens = promptLen;
        spec.expectedOutputTokens = outputLen;
        result.prompts.push_back(std::move(spec));
        if (progress && !progress(qint64(result.prompts.size()), config.numPrompts)) {
            error->clear();
            return std::nullopt;
        }
    }
    if (result.prompts.empty()) {
        *error = result.recordsSkipped > 0
            ? noUsableRowsError(config.path, result.recordsSkipped, firstProblem)
            : QCoreApplication::translate("ts::Datasets", "No conversation in the dataset file “%1” fits vLLM's length limits (prompts of 4 to 1024 tokens, "
                 "prompt and reply together up to 2048).").arg(QDir::toNativeSeparators(config.path));
        return std::nullopt;
    }
    warnSkipped(result, firstProblem);
    oversample(result.prompts, config.numPrompts, config.seed, config.noOversample, result);
    return result;
}

} // namespace ts::datasets

namespace ts {

namespace {

// ShareGPT's "from" values as chat roles; empty for one that is not known.
QString roleOf(const std::string &from)
{
    if (from == "human" || from == "user")
        return QStringLiteral("user");
    if (from == "gpt" || from == "assistant" || from == "chatgpt" || from == "bard" || from == "bing" || from == "model")
        return QStringLiteral("assistant");
    if (from == "system")
        return QStringLiteral("system");
    return {};
}

} // namespace

std::optional<std::vector<ConversationScript>> loadConversations(const DatasetConfig &config, const Tokenizer *tokenizer,
                                                                 QString *error, const DatasetProgress &progress)
{
    QString ignored;
    if (!error)
        error = &ignored;
    std::vector<datasets::Conversation> conversations;
    int entries = 0;
    if (!datasets::parseShareGpt(config.path, true, &conversations, &entries, error, progress))
        return std::nullopt;
    if (!config.disableShuffle) {
        PythonRandom random(config.seed);
        random.shuffle(conversations);
    }
    DatasetResult counting;   // collects the "estimated lengths" note, not returned here
    const int special = tokenizer ? tokenizer->numSpecialTokensToAdd() : 0;
    std::vector<ConversationScript> scripts;
    for (const datasets::Conversation &c : conversations) {
        if (int(scripts.size()) >= config.numPrompts)
            break;
        if (!c.problem.isEmpty())
            continue;
        ConversationScript script;
        std::vector<ChatMessage> history;
        int historyTokens = special;
        bool usable = true;
        for (std::size_t i = 0; i < c.turns.size() && usable; ++i) {
            const QString role = roleOf(c.turns[i].first);
            const QString content = tok::fromUtf8Exact(c.turns[i].second);
            if (role.isEmpty()) {
                usable = false;
                break;
            }
            const int tokens = datasets::countTokens(tokenizer, content, false, counting);
            if (role == QLatin1String("user") && i + 1 < c.turns.size() && roleOf(c.turns[i + 1].first) == QLatin1String("assistant")) {
                PromptSpec turn;
                turn.prompt = content;
                turn.messages = history;
                turn.messages.push_back({ role, content });
                turn.promptTokens = historyTokens + tokens;
                const QString reply = tok::fromUtf8Exact(c.turns[i + 1].second);
                turn.expectedOutputTokens = config.sharegptOutputLen
                    ? *config.sharegptOutputLen
                    : std::max(1, datasets::countTokens(tokenizer, reply, false, counting));
                script.turns.push_back(std::move(turn));
            }
            history.push_back({ role, content });
            historyTokens += tokens;
        }
        if (usable && !script.turns.empty())
            scripts.push_back(std::move(script));
    }
    if (scripts.empty()) {
        *error = QCoreApplication::translate("ts::Datasets", "%1 has no conversation with a user turn and a reply.").arg(config.path);
        return std::nullopt;
    }
    return scripts;
}

} // namespace ts
