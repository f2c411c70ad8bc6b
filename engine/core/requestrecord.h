#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace ts {

// Where a token count came from. The result says which, so a reader knows how far to trust it.
enum class TokenCountSource : std::uint8_t {
    Dataset,    // the prompt's length as the dataset built it (no server count)
    Server,     // usage.prompt_tokens / usage.completion_tokens / TGI details
    Chunks,     // number of streamed content chunks: an estimate
    Tokenizer,  // counted on the client with a tokenizer
};

// Everything measured for one request. Times are seconds; ttft/itl/latency are relative to
// the moment the request was sent, startTime relative to the start of the run.
struct RequestRecord
{
    int index = -1;             // position in the workload
    int conversation = -1;      // multi-turn runs: the conversation's position, else -1
    int turn = -1;              // multi-turn runs: 0 for a conversation's first user turn, else -1
    bool success = false;
    QString error;              // why it failed (empty on success)
    int httpStatus = 0;         // 0 when no HTTP reply came

    int promptTokens = 0;
    TokenCountSource promptTokenSource = TokenCountSource::Dataset;
    int outputTokens = 0;
    TokenCountSource outputTokenSource = TokenCountSource::Chunks;
    int contentChunks = 0;      // SSE messages that carried generated text

    double startTime = 0.0;     // when the request was sent, since the run began
    double queueTime = 0.0;     // waited for a concurrency slot before being sent
    double ttft = 0.0;          // first generated content
    std::vector<double> itl;    // gaps between later content chunks
    double latency = 0.0;       // E2EL: last content chunk (or the end, if none)

    // Reasoning models, where the stream separates reasoning from the answer: when the first
    // reasoning and the first answer content arrived, relative to the send. Both stay negative
    // when the stream carried no reasoning (the answer then began at ttft); ttfat stays negative
    // when reasoning came but no answer did.
    double ttfrt = -1.0;        // time to first reasoning token
    double ttfat = -1.0;        // time to first answer token
    int reasoningTokens = -1;   // from the server's usage details; -1 when it gave none

    QString generatedText;
    // Per content chunk, in arrival order (chunk 0 arrived at ttft, chunk k at ttft + the sum
    // of itl[0..k-1]): where its text ends in generatedText, in UTF-16 units, and how many
    // tokens it carried (0 where the stream does not say). Empty when not recorded (vLLM's
    // files keep only the whole text): chunksOf() then gives the times without the texts.
    std::vector<std::uint32_t> chunkTextEnds;
    std::vector<std::uint16_t> chunkTokens;

    double tpot() const
    {
        return outputTokens > 1 ? (latency - ttft) / double(outputTokens - 1) : 0.0;
    }
};

} // namespace ts
