#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace ts {

class Backend;

// One server API the engine can speak, with everything the CLI, the GUI, the dataset, the
// configuration check and the built-in server need to know about it.
//
// Adding an API takes one Backend subclass (request body and stream events) and one row in
// backendregistry.cpp. The --backend flag, its help, the GUI's API list, the model list, the
// chat/completion choice of the datasets and the built-in server's routes follow the row.
// The built-in server answers only the wire formats it knows (OpenAI completions, chat and
// Responses, Anthropic Messages, TGI); a row with another format needs a matching reply in engine/sim.
struct BackendInfo
{
    enum class Auth { Bearer, XApiKey, None };     // how the API key is sent
    enum class TokenCount {
        Usage,       // an OpenAI usage object: at the end, or on every chunk when the server does
        Details,     // a details object in the final event
        PerEvent,    // one generated token per streamed event (TGI), details at the end
    };
    enum class PromptShape {
        Text,            // one prompt string (completions, TGI inputs)
        ChatMessages,    // a list of chat messages: the server applies the chat template
    };
    // The request and reply shape of the server's tokenize endpoint, which counts prompts
    // exactly when no tokenizer.json is given (tokenizer/tokenizeformat.h).
    enum class TokenizeApi {
        None,            // the server has no tokenize endpoint
        Vllm,            // vLLM, SGLang: {"model","prompt"|"messages"} -> {"count","tokens"}
        LlamaCpp,        // llama.cpp: {"content"} -> {"tokens"}
        Tgi,             // TGI: {"inputs"} -> [{"id","text"}]
        AnthropicCount,  // Anthropic's /v1/messages/count_tokens -> {"input_tokens"}
    };
    enum class Output {
        Text,         // generated tokens: TTFT, TPOT, ITL and output throughput apply
        Embedding,    // one vector per prompt: only E2EL and input throughput mean anything
    };

    QString name;                  // the --backend value, recorded as "backend" in results
    QStringList aliases;           // other --backend values for the same API
    const char *title = nullptr;   // QT_TRANSLATE_NOOP("ts::BackendRegistry", ...)
    const char *servers = nullptr; // which servers speak it, QT_TRANSLATE_NOOP("ts::BackendRegistry", ...)
    QString defaultEndpoint;       // path the requests go to unless --endpoint says otherwise
    Auth auth = Auth::Bearer;
    bool streams = true;           // replies arrive as server-sent events
    TokenCount tokenCount = TokenCount::Usage;
    PromptShape promptShape = PromptShape::Text;
    QString modelListPath;         // GET: which models the server serves
    std::function<std::unique_ptr<Backend>()> create;
    // May be left out of a row: a server without a tokenize endpoint.
    TokenizeApi tokenizeApi = TokenizeApi::None;
    QString tokenizePath;          // POST: counts a prompt as the server will
    Output output = Output::Text;
    // Headers every request of this API carries besides the key (Anthropic's version header).
    QList<QPair<QByteArray, QByteArray>> fixedHeaders = {};

    QString translatedTitle() const;
    QString translatedServers() const;
    bool answersTo(const QString &nameOrAlias) const;
    bool sendsChatMessages() const { return promptShape == PromptShape::ChatMessages; }
    bool generatesText() const { return output == Output::Text; }
};

// Every API, in the order menus list them.
const std::vector<BackendInfo> &backends();
// The row for a name or alias; nullptr for an unknown one.
const BackendInfo *findBackend(const QString &nameOrAlias);
// Every accepted --backend value, aliases after their name ("openai, vllm, openai-chat, tgi").
QStringList backendNames();
// Whether the API named (or aliased) takes chat messages; false for an unknown name.
bool sendsChatMessages(const QString &nameOrAlias);
// Whether the API named (or aliased) answers with embeddings rather than generated text: its
// runs have no TTFT, TPOT, ITL or output tokens worth reporting (vLLM's pooling metrics).
// False for an unknown name.
bool producesEmbeddings(const QString &nameOrAlias);
// The header carrying apiKey for this API; an empty name when none is sent.
QPair<QByteArray, QByteArray> authHeader(const BackendInfo &info, const QString &apiKey);

} // namespace ts
