#include "tokenizer/tokenizerjson.h"

#include "tokenizer/jsonutil.h"

#include <QCoreApplication>

#include <limits>

namespace ts::tok {

namespace {

class Reader : public nlohmann::json_sax<nlohmann::json>
{
public:
    explicit Reader(TokenizerJson &out) : m_out(out) {}

    QString error;

    bool null() override { return value(nlohmann::json()); }
    bool boolean(bool v) override { return value(v); }
    bool number_integer(number_integer_t v) override
    {
        if (m_mode == Mode::Vocab && m_depth == 3)
            return vocabId(QString::number(v), v >= 0 && v <= std::numeric_limits<int>::max(), int(v));
        return value(v);
    }
    bool number_unsigned(number_unsigned_t v) override
    {
        if (m_mode == Mode::Vocab && m_depth == 3)
            return vocabId(QString::number(v), v <= number_unsigned_t(std::numeric_limits<int>::max()), int(v));
        return value(v);
    }
    bool number_float(number_float_t v, const string_t &) override { return value(v); }
    bool binary(binary_t &) override { return value(nlohmann::json()); }
    bool string(string_t &v) override
    {
        if (m_mode == Mode::Merges) {
            if (m_depth == 3) {
                // "left right": the first space separates the two tokens.
                const std::size_t space = v.find(' ');
                if (space == std::string::npos || v.find(' ', space + 1) != std::string::npos)
                    ++m_out.malformedMerges;
                else
                    m_out.merges.emplace_back(v.substr(0, space), v.substr(space + 1));
                return true;
            }
            if (m_depth == 4) {
                m_pair.push_back(std::move(v));
                return true;
            }
        }
        if (m_mode == Mode::Vocab)
            return true;   // not an id: ignored, as Hugging Face does
        return value(std::move(v));
    }

    bool start_object(std::size_t) override
    {
        if (!enter())
            return false;
        if (m_mode != Mode::Normal)
            return true;
        if (m_depth == 3 && m_path.size() == 2 && m_path[0] == "model" && m_path[1] == "vocab") {
            m_mode = Mode::Vocab;
            return true;
        }
        return push(nlohmann::json::object());
    }
    bool end_object() override
    {
        --m_depth;
        if (m_mode == Mode::Vocab && m_depth == 2) {
            m_mode = Mode::Normal;
            popKey();
            return true;
        }
        if (m_mode != Mode::Normal)
            return true;
        return pop();
    }
    bool start_array(std::size_t) override
    {
        if (!enter())
            return false;
        if (m_mode == Mode::Merges) {
            if (m_depth == 4)
                m_pair.clear();
            return true;
        }
        if (m_mode == Mode::Vocab)
            return true;
        if (m_depth == 3 && m_path.size() == 2 && m_path[0] == "model" && m_path[1] == "merges") {
            m_mode = Mode::Merges;
            return true;
        }
        return push(nlohmann::json::array());
    }
    bool end_array() override
    {
        --m_depth;
        if (m_mode == Mode::Merges) {
            if (m_depth == 3) {
                if (m_pair.size() == 2)
                    m_out.merges.emplace_back(std::move(m_pair[0]), std::move(m_pair[1]));
                else
                    ++m_out.malformedMerges;
            } else if (m_depth == 2) {
                m_mode = Mode::Normal;
                popKey();
            }
            return true;
        }
        if (m_mode == Mode::Vocab)
            return true;
        return pop();
    }
    bool key(string_t &name) override
    {
        if (m_mode == Mode::Vocab) {
            m_key = std::move(name);
            return true;
        }
        if (m_mode != Mode::Normal)
            return true;
        m_pendingKey = name;
        if (int(m_path.size()) >= m_depth)
            m_path.resize(std::size_t(m_depth - 1));
        m_path.push_back(std::move(name));
        return true;
    }
    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &e) override
    {
        error = QCoreApplication::translate("ts::Tokenizer", "Not valid JSON at byte %1 (%2).")
                    .arg(position)
                    .arg(QString::fromUtf8(e.what()));
        return false;
    }

private:
    enum class Mode { Normal, Vocab, Merges };

    // Everything that walks the document later recurses, so its depth is bounded here.
    bool enter()
    {
        if (++m_depth <= kMaxJsonDepth)
            return true;
        error = QCoreApplication::translate("ts::Tokenizer", "The JSON nests deeper than %1 levels; a tokenizer.json nests fewer than 10.")
                    .arg(kMaxJsonDepth);
        return false;
    }
    // A vocabulary id must fit an int; its upper bound is checked once all tokens are known.
    bool vocabId(const QString &written, bool fits, int id)
    {
        if (!fits) {
            error = QCoreApplication::translate("ts::Tokenizer", "The token “%1” has the id %2; ids are numbers from 0 up.")
                        .arg(fromUtf8Exact(m_key), written);
            return false;
        }
        m_out.vocab.emplace_back(std::move(m_key), id);
        return true;
    }

    // Adds a value to the container being built; the first value is the root.
    bool value(nlohmann::json v)
    {
        if (m_mode != Mode::Normal)
            return true;
        insert(std::move(v));
        return true;
    }
    nlohmann::json *insert(nlohmann::json v)
    {
        if (m_stack.empty()) {
            m_out.root = std::move(v);
            return &m_out.root;
        }
        nlohmann::json &parent = *m_stack.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        nlohmann::json &slot = parent[m_pendingKey];
        slot = std::move(v);
        return &slot;
    }
    bool push(nlohmann::json container)
    {
        m_stack.push_back(insert(std::move(container)));
        return true;
    }
    bool pop()
    {
        if (!m_stack.empty())
            m_stack.pop_back();
        return true;
    }
    void popKey()
    {
        if (int(m_path.size()) > m_depth)
            m_path.resize(std::size_t(m_depth));
    }

    TokenizerJson &m_out;
    std::vector<nlohmann::json *> m_stack;
    std::vector<std::string> m_path;   // keys from the root to the current object
    std::string m_pendingKey;
    std::string m_key;
    std::vector<std::string> m_pair;
    Mode m_mode = Mode::Normal;
    int m_depth = 0;
};

} // namespace

bool parseTokenizerJson(const QByteArray &text, TokenizerJson *out, QString *error)
{
    *out = TokenizerJson {};
    Reader reader(*out);
    bool ok = false;
    try {
        ok = nlohmann::json::sax_parse(text.begin(), text.end(), &reader);
    } catch (const nlohmann::json::exception &e) {
        reader.error = QCoreApplication::translate("ts::Tokenizer", "Not valid JSON (%1).").arg(QString::fromUtf8(e.what()));
        ok = false;
    }
    if (!ok && error)
        *error = reader.error.isEmpty() ? QCoreApplication::translate("ts::Tokenizer", "Not valid JSON.") : reader.error;
    return ok;
}

} // namespace ts::tok
