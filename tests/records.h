#pragma once

#include "core/requestrecord.h"

#include <vector>

namespace ts::test {

// A successful request: times in seconds, token counts as the server reported them.
inline RequestRecord succeeded(int index, double start, double ttft, std::vector<double> itl, double latency,
                               int outputTokens, int promptTokens = 10)
{
    RequestRecord r;
    r.index = index;
    r.success = true;
    r.startTime = start;
    r.ttft = ttft;
    r.itl = std::move(itl);
    r.latency = latency;
    r.promptTokens = promptTokens;
    r.outputTokens = outputTokens;
    r.outputTokenSource = TokenCountSource::Server;
    return r;
}

// A Chinese answer in five chunks, the second and the last carrying two tokens each.
inline RequestRecord chineseChunkedRecord()
{
    RequestRecord r;
    r.index = 3;
    r.success = true;
    r.httpStatus = 200;
    r.generatedText = QStringLiteral("你好，我是助手");
    r.chunkTextEnds = { 1, 3, 4, 5, 7 };
    r.chunkTokens = { 1, 2, 1, 1, 2 };
    r.contentChunks = 5;
    r.outputTokens = 7;
    r.outputTokenSource = TokenCountSource::Server;
    r.ttft = 0.125;
    r.itl = { 0.030, 0.040, 0.035, 0.032 };
    r.latency = 0.125 + 0.030 + 0.040 + 0.035 + 0.032;
    return r;
}

} // namespace ts::test
