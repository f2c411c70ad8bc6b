<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ts::Anatomy</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… 另有 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>no reason was recorded</source>
        <translation>未记录原因</translation>
    </message>
    <message>
        <source>Failed (HTTP %1): %2</source>
        <translation>失败（HTTP %1）：%2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Before the failure: no content arrived; the request ended after %1 ms.</source>
        <translation>失败前：未收到任何内容；请求在 %1 ms 后结束。</translation>
    </message>
    <message>
        <source>Before the failure: no content arrived.</source>
        <translation>失败前：未收到任何内容。</translation>
    </message>
    <message numerus="yes">
        <source>Before the failure: %n chunks arrived, the first after %1 ms, the last after %2 ms; the request ended after %3 ms.</source>
        <translation>
            <numerusform>失败前：共收到 %n 块，第一块在 %1 ms 时到达，最后一块在 %2 ms 时到达；请求在 %3 ms 后结束。</numerusform>
        </translation>
    </message>
    <message>
        <source>A failed request counts in none of the summary's TTFT, TPOT, ITL or E2EL statistics, only in the number of failed requests.</source>
        <translation>失败的请求不计入汇总中的 TTFT、TPOT、ITL 和 E2EL 统计，只计入失败请求数。</translation>
    </message>
    <message>
        <source>TTFT and E2EL: one value per request; the summary's mean, median and percentiles are taken across requests.</source>
        <translation>TTFT 和 E2EL：每个请求一个值；汇总中的平均值、中位数和百分位数按请求统计。</translation>
    </message>
    <message>
        <source>TPOT: one value per request (here %1 ms); its statistics are taken across requests.</source>
        <translation>TPOT：每个请求一个值（此处为 %1 ms）；其统计量按请求计算。</translation>
    </message>
    <message>
        <source>TPOT: this request adds no value; the statistics are taken across the requests with n &gt; 1.</source>
        <translation>TPOT：此请求不贡献数值；统计量只基于 n &gt; 1 的请求计算。</translation>
    </message>
    <message numerus="yes">
        <source>ITL: every gap of every request goes into one pool, as vLLM does (this request adds %n gaps), so a long answer weighs more in ITL than in TPOT.</source>
        <translation>
            <numerusform>ITL：与 vLLM 一样，所有请求的每个间隔都汇入同一个池中（此请求贡献 %n 个间隔），因此长回答在 ITL 中的权重比在 TPOT 中更大。</numerusform>
        </translation>
    </message>
    <message>
        <source>Here %1 tokens came in %2 chunks, so a gap is not one token apart: the mean ITL (%3 ms) differs from TPOT (%4 ms).</source>
        <translation>这里 %1 个 token 分 %2 块到达，一个间隔并不对应一个 token：因此平均 ITL（%3 ms）与 TPOT（%4 ms）不同。</translation>
    </message>
    <message>
        <source>as the server reported (usage)</source>
        <translation>来自服务器报告（usage）</translation>
    </message>
    <message>
        <source>counted with a tokenizer</source>
        <translation>由分词器统计</translation>
    </message>
    <message>
        <source>estimated: one per streamed chunk</source>
        <translation>估算值：每个流式块计为 1 个</translation>
    </message>
    <message>
        <source>as the dataset asked for</source>
        <translation>按数据集要求的数量</translation>
    </message>
    <message>
        <source>TTFT = t(first chunk) − t(sent) = %1 ms</source>
        <translation>TTFT = t(首块) − t(发送) = %1 ms</translation>
    </message>
    <message>
        <source>TTFT: no content arrived, so there is no first token.</source>
        <translation>TTFT：未收到任何内容，因此没有首 token。</translation>
    </message>
    <message>
        <source>ITL = [%1] ms</source>
        <translation>ITL = [%1] ms</translation>
    </message>
    <message numerus="yes">
        <source>%n gaps between chunks, mean %1 ms</source>
        <translation>
            <numerusform>块间共 %n 个间隔，平均 %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>ITL: no gaps, the answer came in a single chunk.</source>
        <translation>ITL：没有间隔，回答在一个块内全部到达。</translation>
    </message>
    <message>
        <source>TPOT = (E2EL − TTFT) / (n − 1) = (%1 − %2) / (%3 − 1) = %4 ms</source>
        <translation>TPOT = (E2EL − TTFT) / (n − 1) = (%1 − %2) / (%3 − 1) = %4 ms</translation>
    </message>
    <message>
        <source>TPOT: none, as n = %1: with fewer than two tokens there is no time per further token (vLLM leaves the request out of TPOT).</source>
        <translation>TPOT：无，因为 n = %1：少于两个 token 时，不存在首 token 之后的每 token 时间（vLLM 计算 TPOT 时也排除此请求）。</translation>
    </message>
    <message numerus="yes">
        <source>n = %n output tokens, %1.</source>
        <translation>
            <numerusform>n = %n 个输出 token，%1。</numerusform>
        </translation>
    </message>
    <message>
        <source>E2EL = t(last chunk) − t(sent) = %1 ms</source>
        <translation>E2EL = t(末块) − t(发送) = %1 ms</translation>
    </message>
    <message>
        <source>TTFRT = t(first reasoning chunk) − t(sent) = %1 ms</source>
        <translation>TTFRT = t(首个推理块) − t(发送) = %1 ms</translation>
    </message>
    <message>
        <source>TTFAT = t(first answer chunk) − t(sent) = %1 ms</source>
        <translation>TTFAT = t(首个回答块) − t(发送) = %1 ms</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning: %n chunks, TTFAT − TTFRT = %1 ms before the answer began.</source>
        <translation>
            <numerusform>推理：%n 个块，回答开始前用时 TTFAT − TTFRT = %1 ms。</numerusform></translation>
    </message>
    <message>
        <source>TTFAT: the model reasoned but no answer followed.</source>
        <translation>TTFAT：模型进行了推理，但之后没有给出回答。</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning: %n chunks.</source>
        <translation>
            <numerusform>推理：%n 个块。</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n reasoning tokens, part of the n output tokens.</source>
        <translation>
            <numerusform>%n 个推理 token，包含在 n 个输出 token 之中。</numerusform></translation>
    </message>
    <message>
        <source>TTFRT and TTFAT: one value per request that reasoned; TTFT counts the first chunk of either kind, as vLLM does, so here it equals TTFRT.</source>
        <translation>TTFRT 和 TTFAT：每个进行了推理的请求各有一个值；TTFT 与 vLLM 一样，以任一类型的第一个块为准，因此这里等于 TTFRT。</translation>
    </message>
</context>
<context>
    <name>ts::AnatomyView</name>
    <message numerus="yes">
        <source>%n chunks</source>
        <translation>
            <numerusform>%n 块</numerusform>
        </translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Request #%1 (%2)</source>
        <translation>请求 #%1（%2）</translation>
    </message>
    <message>
        <source>No content arrived.</source>
        <translation>未收到任何内容。</translation>
    </message>
    <message>
        <source>The answer as it arrived, chunk by chunk, with the wait before each chunk</source>
        <translation>按到达顺序逐块显示的回答，以及每块到达前的等待时间</translation>
    </message>
    <message>
        <source>The chunks as they arrived, with the wait before each chunk</source>
        <translation>按到达顺序显示的各块，以及每块到达前的等待时间</translation>
    </message>
    <message>
        <source>Only the whole answer was kept, not the text of each chunk (vLLM's result files keep no more): the boxes show when each chunk arrived, the text is below.</source>
        <translation>只保存了完整回答，没有保存每块的文本（vLLM 的结果文件也只保存这些）：方框表示每块的到达时间，文本见下方。</translation>
    </message>
    <message>
        <source>Click a request in the timeline to take it apart: the wait for its first token, each gap between chunks, and how TTFT, TPOT, ITL and E2EL come from them.</source>
        <translation>在时间线中点击一个请求即可将其拆解：等待首 token 的时间、每个块间间隔，以及 TTFT、TPOT、ITL 和 E2EL 如何由它们得出。</translation>
    </message>
    <message>
        <source>This request's figures</source>
        <translation>此请求的数值</translation>
    </message>
    <message>
        <source>How they enter the summary</source>
        <translation>如何计入汇总</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>Play the stream again at its recorded times, slowed down by the chosen factor</source>
        <translation>按记录的时间重新播放这次流式输出，并按所选倍数放慢</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>Replay speed</source>
        <translation>回放速度</translation>
    </message>
    <message numerus="yes">
        <source>Tinted boxes and the band on the bar: the model reasoning (%n chunks) before its answer. TTFT counts the first chunk of either kind, so here it is TTFRT; the answer begins at TTFAT.</source>
        <translation>
            <numerusform>着色方框和时间条上的色带：模型在回答之前的推理过程（%n 个块）。TTFT 以任一类型的第一个块为准，因此这里即为 TTFRT；回答从 TTFAT 开始。</numerusform></translation>
    </message>
</context>
<context>
    <name>ts::Backend</name>
    <message>
        <source>The server sent a stream message that is not JSON: %1</source>
        <translation>服务器发送的流消息不是 JSON：%1</translation>
    </message>
    <message>
        <source>The server answered without an embedding.</source>
        <translation>服务器的响应中没有向量嵌入。</translation>
    </message>
    <message>
        <source>The server reported that the response failed.</source>
        <translation>服务器报告本次响应失败。</translation>
    </message>
</context>
<context>
    <name>ts::BackendRegistry</name>
    <message>
        <source>OpenAI-compatible, completions</source>
        <translation>OpenAI 兼容（补全接口）</translation>
    </message>
    <message>
        <source>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers.</source>
        <translation>vLLM、SGLang、llama.cpp、LMDeploy、Ollama 以及大多数其他服务器。</translation>
    </message>
    <message>
        <source>OpenAI-compatible, chat</source>
        <translation>OpenAI 兼容（对话接口）</translation>
    </message>
    <message>
        <source>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers, when the model needs its chat template.</source>
        <translation>vLLM、SGLang、llama.cpp、LMDeploy、Ollama 以及大多数其他服务器，适用于需要对话模板的模型。</translation>
    </message>
    <message>
        <source>Text Generation Inference (TGI)</source>
        <translation>Text Generation Inference（TGI）推理服务</translation>
    </message>
    <message>
        <source>Hugging Face Text Generation Inference.</source>
        <translation>Hugging Face 的 Text Generation Inference 推理服务。</translation>
    </message>
    <message>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses 接口</translation>
    </message>
    <message>
        <source>vLLM, llama.cpp and OpenAI's own service.</source>
        <translation>vLLM、llama.cpp 以及 OpenAI 官方服务。</translation>
    </message>
    <message>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages 接口</translation>
    </message>
    <message>
        <source>llama.cpp and Anthropic's own service.</source>
        <translation>llama.cpp 以及 Anthropic 官方服务。</translation>
    </message>
    <message>
        <source>llama.cpp, native API</source>
        <translation>llama.cpp（原生 API）</translation>
    </message>
    <message>
        <source>llama.cpp server, native API (/completion).</source>
        <translation>llama.cpp 服务器，原生 API（/completion）。</translation>
    </message>
    <message>
        <source>Ollama, generate</source>
        <translation>Ollama（生成接口）</translation>
    </message>
    <message>
        <source>Ollama, native API (/api/generate).</source>
        <translation>Ollama，原生 API（/api/generate）。</translation>
    </message>
    <message>
        <source>Ollama, chat</source>
        <translation>Ollama（对话接口）</translation>
    </message>
    <message>
        <source>Ollama, native API (/api/chat), when the model needs its chat template.</source>
        <translation>Ollama，原生 API（/api/chat），适用于需要对话模板的模型。</translation>
    </message>
    <message>
        <source>SGLang, native API</source>
        <translation>SGLang（原生 API）</translation>
    </message>
    <message>
        <source>SGLang server, native API (/generate).</source>
        <translation>SGLang 服务器，原生 API（/generate）。</translation>
    </message>
    <message>
        <source>TensorRT-LLM on Triton</source>
        <translation>Triton 上的 TensorRT-LLM</translation>
    </message>
    <message>
        <source>NVIDIA Triton Inference Server with the TensorRT-LLM backend (generate_stream).</source>
        <translation>NVIDIA Triton Inference Server，使用 TensorRT-LLM 后端（generate_stream）。</translation>
    </message>
    <message>
        <source>OpenAI-compatible, embeddings</source>
        <translation>OpenAI 兼容（向量嵌入接口）</translation>
    </message>
    <message>
        <source>vLLM with an embedding model, llama.cpp with --embeddings, Text Embeddings Inference (TEI), Infinity and other embedding servers.</source>
        <translation>运行向量嵌入模型的 vLLM、启用 --embeddings 的 llama.cpp、Text Embeddings Inference（TEI）、Infinity 以及其他向量嵌入服务器。</translation>
    </message>
</context>
<context>
    <name>ts::BenchmarkConfig</name>
    <message>
        <source>Unknown backend “%1”. Choose one of: %2.</source>
        <translation>未知的后端“%1”。可选：%2。</translation>
    </message>
    <message>
        <source>The server address “%1” is not a valid http:// or https:// URL.</source>
        <translation>服务器地址“%1”不是有效的 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <source>The request timeout cannot be negative.</source>
        <translation>请求超时不能为负数。</translation>
    </message>
    <message>
        <source>The number of requests must be at least 1.</source>
        <translation>请求数至少为 1。</translation>
    </message>
    <message>
        <source>The request rate must be a positive number of requests per second, or inf.</source>
        <translation>请求速率必须是每秒请求数的正数，或 inf。</translation>
    </message>
    <message>
        <source>Burstiness must be a positive number (1 means a Poisson process).</source>
        <translation>突发度必须是正数（1 表示泊松过程）。</translation>
    </message>
    <message>
        <source>The maximum concurrency cannot be negative.</source>
        <translation>最大并发数不能为负数。</translation>
    </message>
    <message>
        <source>The number of warm-up requests cannot be negative.</source>
        <translation>预热请求数不能为负数。</translation>
    </message>
    <message>
        <source>Input and output lengths must be at least 1 token.</source>
        <translation>输入和输出长度至少为 1 个 token。</translation>
    </message>
    <message>
        <source>The prefix length cannot be negative.</source>
        <translation>前缀长度不能为负数。</translation>
    </message>
    <message>
        <source>The range ratio must be at least 0 and less than 1.</source>
        <translation>长度浮动比例必须大于等于 0 且小于 1。</translation>
    </message>
    <message>
        <source>Unknown metric “%1” in the percentile metrics. Choose from: ttft, tpot, itl, e2el.</source>
        <translation>百分位指标中有未知指标“%1”。可选：ttft、tpot、itl、e2el。</translation>
    </message>
    <message>
        <source>Percentiles must lie between 0 and 100.</source>
        <translation>百分位必须在 0 到 100 之间。</translation>
    </message>
    <message>
        <source>Goodput limits must be positive numbers of milliseconds.</source>
        <translation>有效吞吐量限值必须是正的毫秒数。</translation>
    </message>
    <message>
        <source>Multi-turn runs need a ShareGPT file of conversations.</source>
        <translation>多轮对话测试需要 ShareGPT 格式的对话文件。</translation>
    </message>
    <message>
        <source>Multi-turn runs send chat messages: choose the openai-chat backend.</source>
        <translation>多轮对话测试发送聊天消息：请选择 openai-chat 后端。</translation>
    </message>
    <message>
        <source>A ramp-up start or end rate needs a ramp-up strategy (linear or exponential).</source>
        <translation>设置逐步加压的起始或结束速率时，需要指定加压方式（linear 或 exponential）。</translation>
    </message>
    <message>
        <source>With a ramp-up, do not give a request rate: the ramp-up sets it.</source>
        <translation>使用逐步加压时不要再指定请求速率：速率由加压设置决定。</translation>
    </message>
    <message>
        <source>A ramp-up needs both a start and an end rate.</source>
        <translation>逐步加压需要同时指定起始速率和结束速率。</translation>
    </message>
    <message>
        <source>The ramp-up start and end rates cannot be negative.</source>
        <translation>逐步加压的起始和结束速率不能为负数。</translation>
    </message>
    <message>
        <source>The ramp-up start rate must not be above the end rate.</source>
        <translation>逐步加压的起始速率不能高于结束速率。</translation>
    </message>
    <message>
        <source>An exponential ramp-up cannot start at 0 requests per second.</source>
        <translation>指数方式的逐步加压不能从每秒 0 个请求开始。</translation>
    </message>
    <message>
        <source>A ramp-up cannot start at 0 requests per second: the first request would never be sent.</source>
        <translation>逐步加压不能从每秒 0 个请求开始：第一个请求将永远不会发出。</translation>
    </message>
    <message>
        <source>The duration must be a positive number of seconds.</source>
        <translation>持续时间必须是正数（秒）。</translation>
    </message>
    <message>
        <source>Cancelling at the end of the duration needs a duration.</source>
        <translation>在持续时间结束时取消请求，需要先设置持续时间。</translation>
    </message>
    <message>
        <source>A ramp-up cannot be combined with a duration.</source>
        <translation>逐步加压不能与持续时间同时使用。</translation>
    </message>
    <message>
        <source>A run limited by a duration needs a finite request rate or a maximum concurrency; otherwise it would release endless requests at once.</source>
        <translation>按持续时间运行的测试需要有限的请求速率或最大并发数，否则会一次性发出无穷多个请求。</translation>
    </message>
    <message>
        <source>Multi-turn runs cannot be limited by a duration.</source>
        <translation>多轮对话测试不能按持续时间限制。</translation>
    </message>
    <message>
        <source>The trace time scale must be a positive number (0.5 replays twice as fast).</source>
        <translation>轨迹时间缩放系数必须是正数（0.5 表示以两倍速回放）。</translation>
    </message>
    <message>
        <source>A trace sends each request at its own time: do not give a request rate.</source>
        <translation>轨迹中的每个请求按各自的时间发送：不要指定请求速率。</translation>
    </message>
    <message>
        <source>A trace sends each request at its own time: it cannot be combined with a ramp-up.</source>
        <translation>轨迹中的每个请求按各自的时间发送：不能与逐步加压同时使用。</translation>
    </message>
    <message>
        <source>A trace ends with its last request: it cannot be limited by a duration.</source>
        <translation>轨迹在最后一个请求发出后即结束：不能按持续时间限制。</translation>
    </message>
    <message>
        <source>A trace cannot be sent as multi-turn conversations.</source>
        <translation>轨迹不能以多轮对话的形式发送。</translation>
    </message>
</context>
<context>
    <name>ts::BenchmarkRunner</name>
    <message>
        <source>The workload has no prompts.</source>
        <translation>工作负载中没有提示词。</translation>
    </message>
    <message>
        <source>The first test request failed, so the run did not start: %1</source>
        <translation>第一个测试请求失败，测试未开始：%1</translation>
    </message>
    <message>
        <source>Stopped at the end of --duration.</source>
        <translation>在 --duration 结束时被停止。</translation>
    </message>
</context>
<context>
    <name>ts::ChartExport</name>
    <message>
        <source>The chart is not shown, so it cannot be saved.</source>
        <translation>图表尚未显示，无法保存。</translation>
    </message>
</context>
<context>
    <name>ts::ChartPainter</name>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>ts::ChartView</name>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
</context>
<context>
    <name>ts::ChunkStream</name>
    <message>
        <source>wait %1 ms</source>
        <translation>等待 %1 ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n tok</source>
        <translation>
            <numerusform>%n tok</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::CompareCharts</name>
    <message>
        <source>Time to first token</source>
        <translation>首 token 时间</translation>
    </message>
    <message>
        <source>Time per output token</source>
        <translation>每输出 token 时间</translation>
    </message>
    <message>
        <source>Inter-token latency</source>
        <translation>token 间延迟</translation>
    </message>
    <message>
        <source>End-to-end latency</source>
        <translation>端到端延迟</translation>
    </message>
    <message>
        <source>Requests at or below (%)</source>
        <translation>不超过该值的请求 (%)</translation>
    </message>
    <message>
        <source>Add result files to overlay their latency distributions.</source>
        <translation>添加结果文件，即可叠加显示它们的延迟分布。</translation>
    </message>
    <message>
        <source>None of these files has per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</source>
        <translation>这些文件都没有逐请求数据（vLLM 只有在使用 --save-detailed 时才写入），因此无法绘制分布。</translation>
    </message>
    <message>
        <source>Each line is one file: the share of requests at or below a value. A line further right is slower; where it crosses 99% is the P99. The axis ends at the largest P99.5.</source>
        <translation>每条曲线代表一个文件：不超过某个值的请求所占比例。曲线越靠右越慢；曲线与 99% 的交点就是 P99。坐标轴止于各文件中最大的 P99.5。</translation>
    </message>
    <message>
        <source>Without per-request data, so not drawn: %1.</source>
        <translation>没有逐请求数据，未绘制：%1。</translation>
    </message>
</context>
<context>
    <name>ts::CompareWindow</name>
    <message>
        <source>There is nothing to export yet: add result files first.</source>
        <translation>还没有可导出的内容：请先添加结果文件。</translation>
    </message>
    <message>
        <source>Add result files to the comparison</source>
        <translation>向对比中添加结果文件</translation>
    </message>
    <message>
        <source>Result files (*.json *.jsonl);;All files (*)</source>
        <translation>结果文件 (*.json *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the comparison as CSV</source>
        <translation>将对比保存为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Save every chart as PNG and SVG into</source>
        <translation>将所有图表保存为 PNG 和 SVG，保存到</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Compare results – Tokenstorm</source>
        <translation>对比结果 – Tokenstorm</translation>
    </message>
    <message>
        <source>Add two or more result files (Tokenstorm's or vLLM's), or drop them here. The first file is the baseline: every other file shows its difference to it in percent.</source>
        <translation>添加两个或更多结果文件（Tokenstorm 或 vLLM 生成的），也可以直接拖放到这里。第一个文件是基准：其他文件都显示与它相差的百分比。</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected files from the comparison.</source>
        <translation>从对比中移除选中的文件。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>One row per setup key and metric, one column per file, then the differences in percent.</source>
        <translation>每个配置项和指标一行，每个文件一列，之后是相差的百分比。</translation>
    </message>
    <message>
        <source>Save charts…</source>
        <translation>保存图表…</translation>
    </message>
    <message>
        <source>Save each distribution chart as PNG and SVG into a folder.</source>
        <translation>将每张分布图以 PNG 和 SVG 格式保存到一个文件夹。</translation>
    </message>
    <message>
        <source>Show only rows that differ</source>
        <translation>只显示有差异的行</translation>
    </message>
    <message>
        <source>Setup and metrics</source>
        <translation>配置与指标</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Add at least one more file to see differences.</source>
        <translation>至少再添加一个文件才能看到差异。</translation>
    </message>
    <message>
        <source>Export the comparison as a report</source>
        <translation>将对比结果导出为报告</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>One HTML or PDF file with the table and the charts, for a report or a slide.</source>
        <translation>生成一个包含表格和图表的 HTML 或 PDF 文件，可用于报告或幻灯片。</translation>
    </message>
</context>
<context>
    <name>ts::Comparison</name>
    <message>
        <source>Queue time</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Endpoint type</source>
        <translation>接口类型</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Number of prompts</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Request rate (req/s)</source>
        <translation>请求速率（请求/秒）</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>突发度</translation>
    </message>
    <message>
        <source>Maximum concurrency</source>
        <translation>最大并发数</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Successful requests</source>
        <translation>成功请求数</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失败请求数</translation>
    </message>
    <message>
        <source>Benchmark duration (s)</source>
        <translation>测试时长（秒）</translation>
    </message>
    <message>
        <source>Total input tokens</source>
        <translation>输入 token 总数</translation>
    </message>
    <message>
        <source>Total generated tokens</source>
        <translation>生成 token 总数</translation>
    </message>
    <message>
        <source>Request throughput (req/s)</source>
        <translation>请求吞吐量（请求/秒）</translation>
    </message>
    <message>
        <source>Request goodput (req/s)</source>
        <translation>有效请求吞吐量（请求/秒）</translation>
    </message>
    <message>
        <source>Output token throughput (tok/s)</source>
        <translation>输出 token 吞吐量（token/秒）</translation>
    </message>
    <message>
        <source>Peak output token throughput (tok/s)</source>
        <translation>峰值输出 token 吞吐量（token/秒）</translation>
    </message>
    <message>
        <source>Peak concurrent requests</source>
        <translation>峰值并发请求数</translation>
    </message>
    <message>
        <source>Total token throughput (tok/s)</source>
        <translation>总 token 吞吐量（token/秒）</translation>
    </message>
    <message>
        <source>Mean %1 (ms)</source>
        <translation>平均 %1（ms）</translation>
    </message>
    <message>
        <source>Median %1 (ms)</source>
        <translation>%1 中位数（ms）</translation>
    </message>
    <message>
        <source>Std %1 (ms)</source>
        <translation>%1 标准差（ms）</translation>
    </message>
    <message>
        <source>P%1 %2 (ms)</source>
        <translation>P%1 %2（ms）</translation>
    </message>
    <message>
        <source>A comparison needs at least two result files.</source>
        <translation>对比至少需要两个结果文件。</translation>
    </message>
    <message>
        <source>vs [1]</source>
        <translation>对比 [1]</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
</context>
<context>
    <name>ts::ComparisonModel</name>
    <message>
        <source>= same</source>
        <translation>= 相同</translation>
    </message>
    <message>
        <source>better</source>
        <translation>更好</translation>
    </message>
    <message>
        <source>worse</source>
        <translation>更差</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>%1 (%2): the files differ here.</source>
        <translation>%1（%2）：各文件在此项上不同。</translation>
    </message>
    <message>
        <source>%1 is better than %2 here.</source>
        <translation>此项上 %1 优于 %2。</translation>
    </message>
    <message>
        <source>%1 is worse than %2 here.</source>
        <translation>此项上 %1 差于 %2。</translation>
    </message>
    <message>
        <source>Difference of %1 to %2.</source>
        <translation>%1 相对 %2 的差异。</translation>
    </message>
    <message>
        <source>Setup and metric</source>
        <translation>配置与指标</translation>
    </message>
    <message>
        <source>[%1] against [1] in percent</source>
        <translation>[%1] 相对 [1] 的百分比</translation>
    </message>
    <message>
        <source>[%1] vs [1]</source>
        <translation>[%1] 对比 [1]</translation>
    </message>
</context>
<context>
    <name>ts::ConfigPanel</name>
    <message>
        <source>Scenario</source>
        <translation>测试场景</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Pick one of the guide's four test scenarios to fill in its numbers, or set every field yourself.</source>
        <translation>选择指南中的四个测试场景之一自动填入参数，或自行设置每一项。</translation>
    </message>
    <message>
        <source>The user guide's test scenarios: a basic function test, a performance baseline, a concurrency stress test and a realistic scenario. Choosing one sets the workload and load fields; changing a field afterwards makes it custom.</source>
        <translation>用户指南中的测试场景：基础功能测试、性能基准测试、并发压力测试和真实场景测试。选择后会设置工作负载和负载参数；之后修改任一项即变为自定义。</translation>
    </message>
</context>
<context>
    <name>ts::DatasetPreview</name>
    <message>
        <source>%1: mean %2 tokens (%3 to %4)</source>
        <translation>%1：平均 %2 个 token（%3 至 %4）</translation>
    </message>
    <message>
        <source>Preview cancelled. Change the file or its settings to load it again.</source>
        <translation>预览已取消。更改文件或其设置即可重新加载。</translation>
    </message>
    <message>
        <source>The tokenizer cannot be used, so lengths are estimated: %1</source>
        <translation>无法使用分词器，长度为估算值：%1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Input lengths</source>
        <translation>输入长度</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 token 数</translation>
    </message>
    <message>
        <source>Output lengths</source>
        <translation>输出长度</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 token 数</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>正在读取数据集…</translation>
    </message>
    <message>
        <source>The dataset cannot be used.</source>
        <translation>无法使用该数据集。</translation>
    </message>
    <message numerus="yes">
        <source>%1 conversations, %n turns in all.</source>
        <translation>
            <numerusform>%1 个对话，共 %n 轮。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s) will be sent.</source>
        <translation>
            <numerusform>将发送 %n 个提示词。</numerusform>
        </translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Lengths are estimates; choose a tokenizer for exact counts.</source>
        <translation>长度为估算值；选择分词器可得到精确计数。</translation>
    </message>
</context>
<context>
    <name>ts::Datasets</name>
    <message>
        <source>The tokenizer has no chat template Tokenstorm knows: prompts are used without one.</source>
        <translation>该分词器没有 Tokenstorm 能识别的对话模板：提示词将不套用模板直接发送。</translation>
    </message>
    <message numerus="yes">
        <source>%n malformed record(s) skipped; the first: %1</source>
        <translation>
            <numerusform>跳过了 %n 条格式错误的记录；第一条：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The dataset file “%1” has no usable rows (%n skipped; the first: %2).</source>
        <translation>
            <numerusform>数据集文件“%1”中没有可用的行（跳过了 %n 行；第一行：%2）。</numerusform>
        </translation>
    </message>
    <message>
        <source>not valid JSON</source>
        <translation>不是有效的 JSON</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>every message needs a “role” and a text “content”</source>
        <translation>每条消息都需要“role”和文本“content”</translation>
    </message>
    <message>
        <source>no text “prompt” and no “messages”</source>
        <translation>既没有文本“prompt”也没有“messages”</translation>
    </message>
    <message>
        <source>“output_len” is not a positive whole number</source>
        <translation>“output_len”不是正整数</translation>
    </message>
    <message>
        <source>the header has no “prompt” column</source>
        <translation>表头中没有“prompt”列</translation>
    </message>
    <message>
        <source>a quoted field is not closed</source>
        <translation>带引号的字段没有闭合</translation>
    </message>
    <message>
        <source>%1 fields where the header has %2</source>
        <translation>有 %1 个字段，而表头有 %2 个</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>--num-prompts (%1) must be at least --prefix-repetition-num-prefixes (%2).</source>
        <translation>--num-prompts（%1）不能小于 --prefix-repetition-num-prefixes（%2）。</translation>
    </message>
    <message>
        <source>%1 prompt tokens differ from the requested lengths after decoding and re-encoding.</source>
        <translation>解码再编码后，有 %1 个提示词 token 与要求的长度不一致。</translation>
    </message>
    <message>
        <source>Unknown dataset “%1”. Choose one of: %2.</source>
        <translation>未知的数据集“%1”。可选：%2。</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1，第 %2 行：%3</translation>
    </message>
    <message>
        <source>%1, byte %2: %3</source>
        <translation>%1，第 %2 字节：%3</translation>
    </message>
    <message>
        <source>No tokenizer given: token lengths are estimates, so filtering by length may differ from vLLM's. Give --tokenizer for exact lengths.</source>
        <translation>未指定分词器：token 长度为估算值，按长度的过滤结果可能与 vLLM 不同。请用 --tokenizer 获得精确长度。</translation>
    </message>
    <message>
        <source>This dataset needs a file (--dataset-path).</source>
        <translation>该数据集需要一个文件（--dataset-path）。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>not valid JSON near “%1”</source>
        <translation>在“%1”附近不是有效的 JSON</translation>
    </message>
    <message>
        <source>%1 has no conversation with two or more turns.</source>
        <translation>%1 中没有两轮及以上的对话。</translation>
    </message>
    <message>
        <source>%1 has no conversation with a user turn and a reply.</source>
        <translation>%1 中没有包含用户提问和回复的对话。</translation>
    </message>
    <message>
        <source>%1 is not UTF-8 text.</source>
        <translation>%1 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>--sonnet-input-len must be larger than the instruction's length (%1 tokens).</source>
        <translation>--sonnet-input-len 必须大于指令本身的长度（%1 个 token）。</translation>
    </message>
    <message>
        <source>No prompt of %1 fits in --sonnet-input-len %2 tokens.</source>
        <translation>%1 中没有能放进 --sonnet-input-len %2 个 token 的提示词。</translation>
    </message>
    <message>
        <source>The dataset file “%1” is empty.</source>
        <translation>数据集文件“%1”为空。</translation>
    </message>
    <message>
        <source>The dataset file %1 is %2 MB, more than the %3 MB (a quarter of this computer's memory) a run may read. Give a smaller file.</source>
        <translation>数据集文件 %1 大小为 %2 MB，超过了单次测试可读取的 %3 MB（本机内存的四分之一）。请提供更小的文件。</translation>
    </message>
    <message>
        <source>No conversation in the dataset file “%1” fits vLLM's length limits (prompts of 4 to 1024 tokens, prompt and reply together up to 2048).</source>
        <translation>数据集文件“%1”中没有符合 vLLM 长度限制的对话（提示词 4 到 1024 个 token，提示词与回复合计不超过 2048 个）。</translation>
    </message>
    <message>
        <source>the file is a JSON object, not an array of conversations</source>
        <translation>文件是一个 JSON 对象，而不是对话数组</translation>
    </message>
    <message>
        <source>a conversation turn has no text “value”</source>
        <translation>某轮对话缺少文本“value”</translation>
    </message>
    <message>
        <source>the file holds a single value, not an array of conversations</source>
        <translation>文件只包含单个值，而不是对话数组</translation>
    </message>
    <message>
        <source>“timestamp” is not a number of milliseconds from 0 to %1 days</source>
        <translation>“timestamp”不是 0 到 %1 天之间的毫秒数</translation>
    </message>
    <message>
        <source>“input_length” is not a whole number of tokens from 1 to %1</source>
        <translation>“input_length”不是 1 到 %1 之间的整数 token 数</translation>
    </message>
    <message>
        <source>“output_length” is not a whole number of tokens from 1 to %1</source>
        <translation>“output_length”不是 1 到 %1 之间的整数 token 数</translation>
    </message>
    <message>
        <source>“hash_ids” is not a list of whole numbers</source>
        <translation>“hash_ids”不是整数列表</translation>
    </message>
    <message>
        <source>%1 prompt tokens differ from the trace's input lengths where blocks meet.</source>
        <translation>在块与块的拼接处，提示词 token 数与轨迹中的输入长度相差 %1 个。</translation>
    </message>
</context>
<context>
    <name>ts::DemoServerForm</name>
    <message>
        <source>Fixed latency (checks the client)</source>
        <translation>固定延迟（检验客户端）</translation>
    </message>
    <message>
        <source>Fast GPU server</source>
        <translation>高速 GPU 服务器</translation>
    </message>
    <message>
        <source>Small GPU server</source>
        <translation>小型 GPU 服务器</translation>
    </message>
    <message>
        <source>Small CPU server</source>
        <translation>小型 CPU 服务器</translation>
    </message>
    <message>
        <source>Server that saturates early</source>
        <translation>较早饱和的服务器</translation>
    </message>
    <message>
        <source>Every answer starts after 100 ms and streams a token every 50 ms, however many requests run. Useful to check that the client measures correctly.</source>
        <translation>无论同时有多少请求，每个回答都在 100 ms 后开始，之后每 50 ms 输出一个 token。适合检验客户端的测量是否准确。</translation>
    </message>
    <message>
        <source>Like a large GPU serving a model of about 8B parameters: up to 256 requests at once, a fast prefill, and a generation that slows a little as the batch grows.</source>
        <translation>类似大显存 GPU 运行约 8B 参数的模型：最多同时处理 256 个请求，预填充快，批次变大时生成速度略有下降。</translation>
    </message>
    <message>
        <source>Like a smaller GPU or a larger model: up to 64 requests at once, with a slower prefill and generation.</source>
        <translation>类似较小的 GPU 或较大的模型：最多同时处理 64 个请求，预填充和生成都更慢。</translation>
    </message>
    <message>
        <source>Like llama.cpp on a CPU: 4 requests at once, slow prefill and generation. Further requests queue, so the time to first token grows quickly.</source>
        <translation>类似在 CPU 上运行的 llama.cpp：同时只处理 4 个请求，预填充和生成都很慢。其余请求排队，因此首 token 时间增长很快。</translation>
    </message>
    <message>
        <source>A server with 16 slots that saturates early: above 16 concurrent requests the throughput stops growing and latency rises. Good for finding the knee with a concurrency sweep.</source>
        <translation>只有 16 个槽位、较早饱和的服务器：并发超过 16 后吞吐量不再增长，延迟上升。适合用并发递增测试寻找性能拐点。</translation>
    </message>
    <message>
        <source>Built-in demo server</source>
        <translation>内置演示服务器</translation>
    </message>
    <message>
        <source>A simulated inference server inside this app. It behaves like a real one (batching, queueing, a filling KV cache) so you can try every setting without a server. Untick it to test your own server.</source>
        <translation>本程序内置的模拟推理服务器。它的行为与真实服务器相似（批处理、排队、逐渐占满的 KV 缓存），无需自己的服务器即可尝试各项设置。取消勾选即可测试你自己的服务器。</translation>
    </message>
    <message>
        <source>Behaves like</source>
        <translation>模拟对象</translation>
    </message>
    <message>
        <source>Untick to test your own server.</source>
        <translation>取消勾选即可测试你自己的服务器。</translation>
    </message>
    <message>
        <source>Slow server for the exercises</source>
        <translation>练习用慢速服务器</translation>
    </message>
    <message>
        <source>Slow enough to watch: 4 requests at once, about 1 s to the first token and a token every 200 ms. A fifth request waits until one of the four is done.</source>
        <translation>慢到可以用肉眼观察：同时处理 4 个请求，约 1 s 后出现首 token，之后每 200 ms 输出一个 token。第 5 个请求要等其中一个完成后才开始处理。</translation>
    </message>
    <message>
        <source>Reasoning tokens per reply</source>
        <translation>每次回复的推理 token 数</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Act as a reasoning model: every reply thinks for this many tokens before it answers (OpenAI chat and Responses, Anthropic). The summary then shows when the reasoning and the answer began (TTFRT, TTFAT).</source>
        <translation>模拟推理模型：每次回复在给出回答之前，先用这么多个 token 进行思考（适用于 OpenAI 对话接口与 Responses 接口，以及 Anthropic）。汇总中随后会显示推理和回答各自开始的时间（TTFRT、TTFAT）。</translation>
    </message>
</context>
<context>
    <name>ts::DistributionChart</name>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Cumulative share</source>
        <translation>累计占比</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Cumulative share (CDF)</source>
        <translation>累计占比（CDF）</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>median %1 ms · P99 %2 ms · %3 values</source>
        <translation>中位数 %1 ms · P99 %2 ms · 共 %3 个值</translation>
    </message>
    <message>
        <source>median %1 tokens · P99 %2 tokens · %3 values</source>
        <translation>中位数 %1 个 token · P99 %2 个 token · %3 个值</translation>
    </message>
</context>
<context>
    <name>ts::DistributionsView</name>
    <message>
        <source>The distributions appear when a run ends or a result file is opened.</source>
        <translation>测试结束或打开结果文件后，这里会显示分布图。</translation>
    </message>
    <message>
        <source>This result has no per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</source>
        <translation>此结果不含逐请求数据（vLLM 仅在使用 --save-detailed 时写入），因此无法绘制分布图。</translation>
    </message>
    <message>
        <source>Bars: how many values fall in each range. Line: the share of values at or below a value, e.g. where it crosses 99% is the P99. Values above P99.5 are counted in the last bar.</source>
        <translation>柱形：落在每个区间内的数值个数。曲线：不大于某值的数值所占比例，例如曲线经过 99% 处即为 P99。大于 P99.5 的数值计入最后一根柱。</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>首 token 时间</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT（ms）</translation>
    </message>
    <message>
        <source>Time per output token</source>
        <translation>每输出 token 时间</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT（ms）</translation>
    </message>
    <message>
        <source>Inter-token latency</source>
        <translation>token 间延迟</translation>
    </message>
    <message>
        <source>ITL (ms)</source>
        <translation>ITL（ms）</translation>
    </message>
    <message>
        <source>End-to-end latency</source>
        <translation>端到端延迟</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL（ms）</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Time to first reasoning token</source>
        <translation>首个推理 token 时间</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT（ms）</translation>
    </message>
    <message>
        <source>Time to first answer token</source>
        <translation>首个回答 token 时间</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT（ms）</translation>
    </message>
</context>
<context>
    <name>ts::ErrorText</name>
    <message>
        <source>The server reported an error in the stream.</source>
        <translation>服务器在流中报告了错误。</translation>
    </message>
    <message>
        <source>Bad Request</source>
        <translation>请求无效</translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation>未授权</translation>
    </message>
    <message>
        <source>Payment Required</source>
        <translation>需要付费</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>禁止访问</translation>
    </message>
    <message>
        <source>Not Found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Method Not Allowed</source>
        <translation>方法不被允许</translation>
    </message>
    <message>
        <source>Not Acceptable</source>
        <translation>无法接受</translation>
    </message>
    <message>
        <source>Proxy Authentication Required</source>
        <translation>需要代理认证</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>请求超时</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Gone</source>
        <translation>已不存在</translation>
    </message>
    <message>
        <source>Length Required</source>
        <translation>需要长度</translation>
    </message>
    <message>
        <source>Payload Too Large</source>
        <translation>请求体过大</translation>
    </message>
    <message>
        <source>URI Too Long</source>
        <translation>URI 过长</translation>
    </message>
    <message>
        <source>Unsupported Media Type</source>
        <translation>不支持的媒体类型</translation>
    </message>
    <message>
        <source>Misdirected Request</source>
        <translation>请求发送到了错误的服务器</translation>
    </message>
    <message>
        <source>Unprocessable Entity</source>
        <translation>无法处理的请求内容</translation>
    </message>
    <message>
        <source>Failed Dependency</source>
        <translation>依赖失败</translation>
    </message>
    <message>
        <source>Too Early</source>
        <translation>请求过早</translation>
    </message>
    <message>
        <source>Upgrade Required</source>
        <translation>需要升级协议</translation>
    </message>
    <message>
        <source>Too Many Requests</source>
        <translation>请求过多</translation>
    </message>
    <message>
        <source>Request Header Fields Too Large</source>
        <translation>请求头字段过大</translation>
    </message>
    <message>
        <source>Client Closed Request</source>
        <translation>客户端关闭了请求</translation>
    </message>
    <message>
        <source>Internal Server Error</source>
        <translation>服务器内部错误</translation>
    </message>
    <message>
        <source>Not Implemented</source>
        <translation>未实现</translation>
    </message>
    <message>
        <source>Bad Gateway</source>
        <translation>网关错误</translation>
    </message>
    <message>
        <source>Service Unavailable</source>
        <translation>服务不可用</translation>
    </message>
    <message>
        <source>Gateway Timeout</source>
        <translation>网关超时</translation>
    </message>
    <message>
        <source>HTTP Version Not Supported</source>
        <translation>不支持的 HTTP 版本</translation>
    </message>
    <message>
        <source>Insufficient Storage</source>
        <translation>存储空间不足</translation>
    </message>
    <message>
        <source>The server sent no details.</source>
        <translation>服务器未提供详细信息。</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>HTTP %1 %2</source>
        <translation>HTTP %1 %2</translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1：%2</translation>
    </message>
</context>
<context>
    <name>ts::Exercises</name>
    <message>
        <source>There is no finished run yet: set the step's values and start a run.</source>
        <translation>还没有已完成的测试：请设置本步骤的参数并开始测试。</translation>
    </message>
    <message>
        <source>There is no finished sweep yet: set the step's values and start the sweep.</source>
        <translation>还没有已完成的递增测试：请设置本步骤的参数并开始递增测试。</translation>
    </message>
    <message>
        <source>Exercise 1: A first test</source>
        <translation>练习 1：第一次测试</translation>
    </message>
    <message>
        <source>Send 10 requests to a slow server and read TTFT and TPOT from your own run.</source>
        <translation>向一台慢速服务器发送 10 个请求，从你自己的测试结果中读出 TTFT 和 TPOT。</translation>
    </message>
    <message>
        <source>Ten requests at once</source>
        <translation>同时发送 10 个请求</translation>
    </message>
    <message>
        <source>Use the built-in classroom server (4 slots): 10 requests of 128 input and 24 output tokens, all sent at once with no concurrency limit. Then start the run.</source>
        <translation>使用内置的课堂服务器（4 个槽位）：10 个请求，输入 128、输出 24 个 token，不限并发，一次性全部发出。然后开始测试。</translation>
    </message>
    <message>
        <source>In the timeline, four requests get their first token after about a second and stream a token every 200 ms or so. The others wait for a free slot before their first token.</source>
        <translation>在时间线中，有 4 个请求约 1 秒后收到首 token，之后大约每 200 ms 输出一个 token。其余请求要等到有空闲槽位后才能收到首 token。</translation>
    </message>
    <message>
        <source>Which request had the longest TTFT, and why?</source>
        <translation>哪个请求的 TTFT 最长？为什么？</translation>
    </message>
    <message>
        <source>Request number</source>
        <translation>请求编号</translation>
    </message>
    <message>
        <source>At most four at once</source>
        <translation>最多同时 4 个</translation>
    </message>
    <message>
        <source>Run the same 10 requests again, but with at most 4 in flight, as many as the server has slots.</source>
        <translation>再次运行这 10 个请求，但最多同时进行 4 个，与服务器的槽位数相同。</translation>
    </message>
    <message>
        <source>In the summary: the mean TTFT and TPOT and their ratings. Requests now wait on the client (queue time) instead of on the server, so TTFT is shorter.</source>
        <translation>在汇总中：平均 TTFT、平均 TPOT 及其评级。现在请求在客户端等待（排队时间），而不是在服务器上等待，因此 TTFT 更短。</translation>
    </message>
    <message>
        <source>What was the mean TTFT in milliseconds, and how does it rate?</source>
        <translation>平均 TTFT 是多少毫秒？评级如何？</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Exercise 2: Load test</source>
        <translation>练习 2：负载测试</translation>
    </message>
    <message>
        <source>Raise the load step by step and find where the server stops keeping up: the knee.</source>
        <translation>逐步提高负载，找到服务器开始跟不上的位置：拐点。</translation>
    </message>
    <message>
        <source>Concurrency sweep</source>
        <translation>并发递增测试</translation>
    </message>
    <message>
        <source>Run a concurrency sweep on the classroom server over 1, 2, 4 and 8 requests at once, with twice as many requests as the level.</source>
        <translation>在课堂服务器上运行并发递增测试，并发档位为 1、2、4、8，每个档位的请求数为并发数的两倍。</translation>
    </message>
    <message>
        <source>In the sweep view: the output throughput per level, and how TTFT grows once the level passes the server's 4 slots.</source>
        <translation>在递增测试视图中：各档位的输出吞吐量，以及档位超过服务器的 4 个槽位后 TTFT 如何增长。</translation>
    </message>
    <message>
        <source>Where is the knee: from which concurrency on does the throughput stop growing?</source>
        <translation>拐点在哪里：从哪个并发数开始，吞吐量不再增长？</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>The setting to keep</source>
        <translation>应采用的设置</translation>
    </message>
    <message>
        <source>Look at the same sweep again.</source>
        <translation>再看一遍同一次递增测试。</translation>
    </message>
    <message>
        <source>The verdict under the sweep chart: the highest stable level and the rule the next level broke.</source>
        <translation>递增测试图表下方的结论：最高稳定档位，以及下一个档位违反的规则。</translation>
    </message>
    <message>
        <source>What is the highest stable concurrency, the one to write down as the best setting?</source>
        <translation>最大稳定并发数是多少？也就是应记录为最佳设置的值。</translation>
    </message>
    <message>
        <source>Exercise 3: Compare configurations</source>
        <translation>练习 3：对比配置</translation>
    </message>
    <message>
        <source>Run the same workload with two settings and weigh throughput against waiting time.</source>
        <translation>用两种设置运行同一工作负载，权衡吞吐量与等待时间。</translation>
    </message>
    <message>
        <source>Concurrency 2</source>
        <translation>并发 2</translation>
    </message>
    <message>
        <source>Run 12 requests on the classroom server with at most 2 in flight.</source>
        <translation>在课堂服务器上运行 12 个请求，最多同时进行 2 个。</translation>
    </message>
    <message>
        <source>In the summary: the output throughput and the p99 TTFT.</source>
        <translation>在汇总中：输出吞吐量和 P99 TTFT。</translation>
    </message>
    <message>
        <source>What output throughput did this run reach, in tokens per second?</source>
        <translation>这次测试的输出吞吐量达到了每秒多少 token？</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>每秒 token 数</translation>
    </message>
    <message>
        <source>Concurrency 8</source>
        <translation>并发 8</translation>
    </message>
    <message>
        <source>Run the same 12 requests with at most 8 in flight, twice the server's slots.</source>
        <translation>运行同样的 12 个请求，最多同时进行 8 个，是服务器槽位数的两倍。</translation>
    </message>
    <message>
        <source>In the comparison: output throughput and p99 TTFT of both runs side by side.</source>
        <translation>在对比视图中：两次测试的输出吞吐量和 P99 TTFT 并排显示。</translation>
    </message>
    <message>
        <source>Which concurrency gave the higher output throughput? Which one had the lower p99 TTFT?</source>
        <translation>哪个并发数的输出吞吐量更高？哪个的 P99 TTFT 更低？</translation>
    </message>
    <message>
        <source>Concurrency with more throughput</source>
        <translation>吞吐量更高的并发数</translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token: %n request(s) were already in flight when it was sent, and the server has %3 slots, so it queued until one was free.</source>
        <translation>
            <numerusform>请求 #%1 等了 %2 s 才收到首 token：它发出时已有 %n 个请求在进行中，而服务器只有 %3 个槽位，所以它一直排队，直到有槽位空出。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token. %n other request(s) were in flight when it was sent, fewer than the server's %3 slots: it shared the prefill and decode steps with them.</source>
        <translation>
            <numerusform>请求 #%1 等了 %2 s 才收到首 token。它发出时另有 %n 个请求在进行中，少于服务器的 %3 个槽位：它与这些请求共享预填充和解码步骤。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token; %n other request(s) were in flight when it was sent.</source>
        <translation>
            <numerusform>请求 #%1 等了 %2 s 才收到首 token；它发出时另有 %n 个请求在进行中。</numerusform>
        </translation>
    </message>
    <message>
        <source>Before it was sent, it waited %1 s on the client for a concurrency slot; TTFT does not count that.</source>
        <translation>发出之前，它已在客户端等待空闲并发名额 %1 s；这段时间不计入 TTFT。</translation>
    </message>
    <message>
        <source>Mean TTFT %1 ms: %2. Mean TPOT %3 ms: %4. The guide's limits: TTFT below %5 ms is excellent and below %6 ms good; TPOT below %7 ms is excellent and below %8 ms good.</source>
        <translation>平均 TTFT %1 ms：%2。平均 TPOT %3 ms：%4。指南的标准：TTFT 低于 %5 ms 为优秀，低于 %6 ms 为良好；TPOT 低于 %7 ms 为优秀，低于 %8 ms 为良好。</translation>
    </message>
    <message>
        <source>concurrency %1</source>
        <translation>并发 %1</translation>
    </message>
    <message>
        <source>no concurrency limit</source>
        <translation>不限并发</translation>
    </message>
    <message>
        <source>, %1 requests/s</source>
        <translation>，%1 请求/秒</translation>
    </message>
    <message>
        <source>%1 gave both the higher output throughput (%2 tokens/s) and the lower p99 TTFT (%3 ms): no trade-off between these settings.</source>
        <translation>%1 的输出吞吐量更高（%2 token/秒），P99 TTFT 也更低（%3 ms）：这两种设置之间无需取舍。</translation>
    </message>
    <message>
        <source>%1 gave the higher output throughput (%2 against %3 tokens/s), %4 the lower p99 TTFT (%5 against %6 ms). The trade-off: more requests at once keep the server busier, but each user waits longer for the first token.</source>
        <translation>%1 的输出吞吐量更高（%2 对 %3 token/秒），%4 的 P99 TTFT 更低（%5 对 %6 ms）。其中的取舍：同时处理更多请求能让服务器更充分地运转，但每个用户等待首 token 的时间会更长。</translation>
    </message>
    <message>
        <source>Your last run has no successful request.</source>
        <translation>你最近一次测试没有成功的请求。</translation>
    </message>
    <message>
        <source>Your sweep found no knee: the throughput still grew at its last level. Add a higher level and sweep again.</source>
        <translation>你的递增测试没有找到拐点：到最后一个档位时吞吐量仍在增长。请添加更高的档位后重新测试。</translation>
    </message>
    <message>
        <source>The knee is at %1: the lowest level that reached 90% of the peak throughput (%2 tokens/s at %3). Above it, more requests at once only wait longer.</source>
        <translation>拐点在%1：这是达到峰值吞吐量（%3 时为 %2 token/秒）90% 的最低档位。超过它之后，同时发出更多请求只会让等待更久。</translation>
    </message>
    <message>
        <source>No level of your sweep was stable: even the first one broke a rule.</source>
        <translation>你的递增测试中没有稳定的档位：连第一个档位都违反了规则。</translation>
    </message>
    <message>
        <source>The highest stable level is %1: every level of the sweep kept to the rules.</source>
        <translation>最高稳定档位是%1：递增测试的所有档位都符合规则。</translation>
    </message>
    <message>
        <source>The highest stable level so far is %1; the sweep ended before a rule was broken.</source>
        <translation>目前的最高稳定档位是%1；递增测试在任何规则被违反之前就结束了。</translation>
    </message>
    <message>
        <source>The highest stable level is %1: the next level broke %2.</source>
        <translation>最高稳定档位是%1：下一个档位违反了规则（%2）。</translation>
    </message>
    <message>
        <source>Your last run (%1) reached %2 output tokens/s and %3 requests/s; its p99 TTFT was %4 ms.</source>
        <translation>你最近一次测试（%1）达到了输出 %2 token/秒、%3 请求/秒；P99 TTFT 为 %4 ms。</translation>
    </message>
    <message>
        <source>Run the workload with at least two different settings first.</source>
        <translation>请先用至少两种不同的设置运行该工作负载。</translation>
    </message>
    <message>
        <source>Type a number first.</source>
        <translation>请先输入一个数字。</translation>
    </message>
    <message>
        <source>Right.</source>
        <translation>正确。</translation>
    </message>
    <message>
        <source>Your last run has no successful request #%1.</source>
        <translation>你最近一次测试中没有成功完成的请求 #%1。</translation>
    </message>
    <message>
        <source>Not quite: request #%1 waited %2 s for its first token. Look for a longer wait in the timeline.</source>
        <translation>不太对：请求 #%1 等了 %2 s 才收到首 token。请在时间线中找等待更久的请求。</translation>
    </message>
    <message>
        <source>Not quite. Look again at the view this step points to, or show the answer from your run.</source>
        <translation>不太对。请再看看本步骤所指的视图，或显示根据你的测试得出的答案。</translation>
    </message>
</context>
<context>
    <name>ts::ExercisesPanel</name>
    <message>
        <source>Three hands-on exercises from the guide, on the built-in server. In each step, set the values, start the run, watch, then answer the question from your own results.</source>
        <translation>来自指南的三个动手练习，使用内置服务器。每一步都是：设置参数、开始测试、观察，然后根据你自己的结果回答问题。</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>第 %1 步：%2</translation>
    </message>
    <message>
        <source>Set it for me</source>
        <translation>帮我设置</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Watch: %1</source>
        <translation>观察：%1</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Show the answer from my run</source>
        <translation>显示根据我的测试得出的答案</translation>
    </message>
</context>
<context>
    <name>ts::FdLimit</name>
    <message>
        <source>Could not read the open file limit: %1</source>
        <translation>无法读取打开文件数上限：%1</translation>
    </message>
    <message>
        <source>Could not raise the open file limit: %1</source>
        <translation>无法提高打开文件数上限：%1</translation>
    </message>
</context>
<context>
    <name>ts::FormState</name>
    <message>
        <source>Line %1 is not a header: write “Name: value”, one per line.</source>
        <translation>第 %1 行不是请求头：请按“名称: 值”的格式书写，每行一个。</translation>
    </message>
</context>
<context>
    <name>ts::Glossary</name>
    <message>
        <source>%1: below %2 ms. %3: below %4 ms. %5: anything else; the guide draws its line at %6 ms and the rating counts the range in between as needing work too. The limits can be changed in the rating panel.</source>
        <translation>%1：低于 %2 ms。%3：低于 %4 ms。%5：其余情况；指南把界线划在 %6 ms，评级则把两者之间的区间也算作需优化。各限值可在评级面板中修改。</translation>
    </message>
    <message>
        <source>None in the guide.</source>
        <translation>指南中未给出。</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>首 token 时间（TTFT）</translation>
    </message>
    <message>
        <source>Time from sending a request to the first generated text: how long a user waits before the answer starts.</source>
        <translation>从发出请求到收到第一段生成文本的时间：用户要等多久才看到回答开始。</translation>
    </message>
    <message>
        <source>How long a request waits for the first piece of its answer, from the moment it is sent until the first streamed chunk with generated text arrives. It includes the network, the server's queue and the processing of the whole prompt (the prefill).</source>
        <translation>请求等待回答第一部分的时间：从请求发出，到第一个带有生成文本的流式数据块到达为止。其中包括网络传输、服务器排队以及整个提示词的处理（预填充）。</translation>
    </message>
    <message>
        <source>TTFT = arrival of the first content chunk − moment the request was sent. Mean, median, standard deviation and percentiles are taken over the successful requests.</source>
        <translation>TTFT = 第一个内容块的到达时刻 − 请求发出时刻。均值、中位数、标准差和百分位数均基于成功的请求计算。</translation>
    </message>
    <message>
        <source>It is the delay a user feels before anything appears. A late first token makes a chat feel unresponsive, however fast the rest of the answer streams.</source>
        <translation>这是用户在看到任何内容之前感受到的延迟。首 token 来得晚，无论后续回答输出得多快，对话都会显得反应迟钝。</translation>
    </message>
    <message>
        <source>Long prompts (the prefill grows with the input length), many requests at once (they queue on the server for a batch slot or for GPU memory), a model or cache that is still cold, and the network. Lower the concurrency: if TTFT drops, the server was queueing.</source>
        <translation>提示词过长（预填充耗时随输入长度增长）、同时请求过多（在服务器上排队等待批处理槽位或 GPU 显存）、模型或缓存尚未预热，以及网络。可以降低并发试试：如果 TTFT 随之下降，说明服务器在排队。</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>每输出 token 时间（TPOT）</translation>
    </message>
    <message>
        <source>Average time per generated token after the first: how fast an answer streams once it has started.</source>
        <translation>首个 token 之后生成每个 token 的平均时间：回答开始后的输出速度。</translation>
    </message>
    <message>
        <source>The pace at which one request's answer is generated after its first token.</source>
        <translation>单个请求在首个 token 之后生成回答的速度。</translation>
    </message>
    <message>
        <source>For each request with more than one output token: TPOT = (E2EL − TTFT) / (output tokens − 1). The statistics are then taken across requests, so every request weighs the same whatever its length. AIPerf and guidellm call this number ITL; guidellm's TPOT includes the first token.</source>
        <translation>对每个输出 token 数大于 1 的请求：TPOT = (E2EL − TTFT) / (输出 token 数 − 1)。之后再跨请求计算统计量，因此无论长短，每个请求的权重都相同。AIPerf 和 guidellm 把这个数称为 ITL；guidellm 的 TPOT 则包含首个 token。</translation>
    </message>
    <message>
        <source>It sets how fluently a streamed answer reads and, with the output length, how long a long answer takes.</source>
        <translation>它决定流式回答读起来是否流畅，并与输出长度一起决定长回答需要多久。</translation>
    </message>
    <message>
        <source>How many sequences the server decodes together (the batch), the model's size, the GPU's memory bandwidth, and prefills of newly arrived prompts that interrupt decoding. It usually rises with the concurrency.</source>
        <translation>服务器同时解码的序列数（批次）、模型大小、GPU 显存带宽，以及新到达提示词的预填充对解码的打断。它通常随并发增加而上升。</translation>
    </message>
    <message>
        <source>Inter-token latency (ITL)</source>
        <translation>token 间延迟（ITL）</translation>
    </message>
    <message>
        <source>Gap between two consecutive streamed chunks of an answer. Its spread shows how steady the stream is.</source>
        <translation>回答中相邻两个流式数据块之间的间隔。其离散程度反映流式输出是否平稳。</translation>
    </message>
    <message>
        <source>Each gap between two consecutive content chunks of a streamed answer, after the first. When a chunk carries several tokens, the gap is per chunk, not per token.</source>
        <translation>流式回答中第一个内容块之后，每两个相邻内容块之间的间隔。一个数据块包含多个 token 时，间隔按块计，而不是按 token 计。</translation>
    </message>
    <message>
        <source>Every gap of every successful request goes into one pool, and the statistics are taken over that pool, so a long answer counts with more gaps than a short one. When each chunk carries one token, its mean is close to TPOT.</source>
        <translation>所有成功请求的全部间隔汇入同一个数据池，统计量基于这个池计算，因此长回答比短回答贡献更多的间隔。每个数据块只含一个 token 时，其均值接近 TPOT。</translation>
    </message>
    <message>
        <source>Users notice stalls: a few long gaps make an answer stutter even when the mean is small. Compare the median with P99 and the standard deviation: the smaller the spread, the steadier the stream.</source>
        <translation>用户会察觉到卡顿：即使均值很小，少数几个长间隔也会让回答断断续续。请将中位数与 P99 和标准差对比：离散程度越小，输出越平稳。</translation>
    </message>
    <message>
        <source>None in the guide. It judges ITL by its spread: the smaller the variance, the steadier the stream.</source>
        <translation>指南中未给出。指南根据 ITL 的离散程度来判断：方差越小，输出越平稳。</translation>
    </message>
    <message>
        <source>Prefills of new requests scheduled between decoding steps (the usual cause of long gaps), the batch size, memory pressure (preempted or swapped sequences), and servers that send several tokens per chunk.</source>
        <translation>在解码步骤之间插入的新请求预填充（长间隔的常见原因）、批大小、显存压力（序列被抢占或换出），以及每个数据块发送多个 token 的服务器。</translation>
    </message>
    <message>
        <source>End-to-end latency (E2EL)</source>
        <translation>端到端延迟（E2EL）</translation>
    </message>
    <message>
        <source>Time from sending a request to the last generated text: the whole wait for a complete answer.</source>
        <translation>从发出请求到收到最后一段生成文本的时间：等待完整回答的总时长。</translation>
    </message>
    <message>
        <source>The whole time of one request, from the moment it is sent until its last content chunk arrives.</source>
        <translation>单个请求的总耗时：从请求发出，到最后一个内容块到达为止。</translation>
    </message>
    <message>
        <source>E2EL = arrival of the last content chunk − moment the request was sent, which is TTFT + TPOT × (output tokens − 1). The usage-only chunk and [DONE] do not count. Statistics over the successful requests.</source>
        <translation>E2EL = 最后一个内容块的到达时刻 − 请求发出时刻，即 TTFT + TPOT × (输出 token 数 − 1)。仅含 usage 的数据块和 [DONE] 不计入。统计量基于成功的请求计算。</translation>
    </message>
    <message>
        <source>It is what a caller that does not stream waits for, such as an API client or a batch job, and it limits how many requests one connection finishes per second.</source>
        <translation>不使用流式输出的调用方（如 API 客户端或批处理任务）等待的正是这段时间；它也限制了单个连接每秒能完成多少个请求。</translation>
    </message>
    <message>
        <source>Everything that moves TTFT and TPOT, and above all the output length: twice the output tokens take about twice as long.</source>
        <translation>所有影响 TTFT 和 TPOT 的因素，尤其是输出长度：输出 token 数翻倍，耗时也大约翻倍。</translation>
    </message>
    <message>
        <source>Client queue time</source>
        <translation>客户端排队时间</translation>
    </message>
    <message>
        <source>Time a request waited in this app for a free concurrency slot before it was sent. It is not part of TTFT.</source>
        <translation>请求发出前在本程序中等待空闲并发槽位的时间。它不计入 TTFT。</translation>
    </message>
    <message>
        <source>How long a request waited on the client before it was sent: for a free slot under the maximum concurrency, then for its turn to be handed to the network.</source>
        <translation>请求发出前在客户端等待的时间：先等待最大并发限制下的空闲槽位，再等待轮到它被交给网络层。</translation>
    </message>
    <message>
        <source>Queue time = moment the request was sent − moment the arrival schedule released it. Statistics over the successful requests; vLLM's result files keep it as queue_times.</source>
        <translation>排队时间 = 请求发出时刻 − 到达计划放行该请求的时刻。统计量基于成功的请求计算；vLLM 的结果文件将其保存为 queue_times。</translation>
    </message>
    <message>
        <source>It shows when the client, not the server, is the limit. TTFT starts only when a request is sent, so a long queue hides part of what a real user would wait.</source>
        <translation>它能揭示瓶颈何时在客户端而不在服务器。TTFT 从请求发出时才开始计时，因此排队过长会掩盖真实用户本需等待的一部分时间。</translation>
    </message>
    <message>
        <source>A maximum concurrency too small for the request rate (requests pile up), a request rate of inf (all released at once), and slow answers that hold the slots.</source>
        <translation>最大并发数相对请求速率过小（请求堆积）、请求速率为 inf（全部同时放出），以及长时间占用槽位的慢回答。</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>请求吞吐量</translation>
    </message>
    <message>
        <source>Successful requests finished per second over the whole run.</source>
        <translation>整个测试期间平均每秒完成的成功请求数。</translation>
    </message>
    <message>
        <source>How many requests the server completes per second under this load.</source>
        <translation>在此负载下服务器每秒完成的请求数。</translation>
    </message>
    <message>
        <source>Request throughput = successful requests / benchmark duration (req/s).</source>
        <translation>请求吞吐量 = 成功请求数 / 测试时长（req/s）。</translation>
    </message>
    <message>
        <source>It says how many users or calls one deployment can serve, and so what a request costs.</source>
        <translation>它说明一套部署能服务多少用户或调用，进而决定每个请求的成本。</translation>
    </message>
    <message>
        <source>%1: above %2 req/s. %3: above %4 req/s. %5: anything else; the guide draws its line at %6 req/s. It depends on the model and the hardware, so compare runs on the same setup.</source>
        <translation>%1：高于 %2 req/s。%3：高于 %4 req/s。%5：其余情况；指南把界线划在 %6 req/s。该指标取决于模型和硬件，因此请在相同配置下比较各次测试。</translation>
    </message>
    <message>
        <source>The load (too little leaves the server idle), prompt and output lengths, the model's size, the hardware and the server's settings such as the batch size. When it stops growing with the concurrency while the latency climbs, the server is at its limit.</source>
        <translation>负载（太小会让服务器闲置）、提示词和输出长度、模型大小、硬件以及服务器设置（如批大小）。如果并发增加时它不再增长、延迟却不断攀升，说明服务器已达到极限。</translation>
    </message>
    <message>
        <source>Request goodput</source>
        <translation>有效请求吞吐量</translation>
    </message>
    <message>
        <source>Requests per second that met every service-level objective (SLO) given for TTFT, TPOT and E2EL.</source>
        <translation>每秒满足 TTFT、TPOT 和 E2EL 全部服务等级目标（SLO）的请求数。</translation>
    </message>
    <message>
        <source>The part of the throughput that was fast enough: requests per second that met all the given service-level objectives.</source>
        <translation>吞吐量中速度达标的部分：每秒满足所有已设服务等级目标的请求数。</translation>
    </message>
    <message>
        <source>A request is good when its TTFT, TPOT and E2EL are each at most the SLO given for them (TPOT counts as 0 for a request with one output token). Goodput = good requests / benchmark duration. Shown only when SLOs are set, like vLLM's --goodput.</source>
        <translation>若一个请求的 TTFT、TPOT 和 E2EL 均不超过各自的 SLO，该请求即为有效请求（只有一个输出 token 的请求，其 TPOT 按 0 计）。有效吞吐量 = 有效请求数 / 测试时长。仅在设置了 SLO 时显示，与 vLLM 的 --goodput 相同。</translation>
    </message>
    <message>
        <source>Throughput with unacceptable latency is of no use: goodput counts only the answers users would accept, so its peak marks the load to run at.</source>
        <translation>延迟无法接受的吞吐量毫无意义：有效吞吐量只统计用户能接受的回答，因此它的峰值所在就是适合运行的负载。</translation>
    </message>
    <message>
        <source>None in the guide: the SLOs you set are the thresholds.</source>
        <translation>指南中未给出：你设置的 SLO 就是阈值。</translation>
    </message>
    <message>
        <source>The SLOs, and everything that raises TTFT and TPOT: more load raises the throughput but, past a point, lowers the goodput.</source>
        <translation>SLO 本身，以及所有推高 TTFT 和 TPOT 的因素：增加负载能提高吞吐量，但超过某一点后，有效吞吐量反而会下降。</translation>
    </message>
    <message>
        <source>Output token throughput</source>
        <translation>输出 token 吞吐量</translation>
    </message>
    <message>
        <source>Generated tokens per second over the whole run, all requests together.</source>
        <translation>整个测试期间所有请求合计每秒生成的 token 数。</translation>
    </message>
    <message>
        <source>How fast the server generates text, all requests together.</source>
        <translation>服务器生成文本的速度，所有请求合计。</translation>
    </message>
    <message>
        <source>Output token throughput = output tokens of the successful requests / benchmark duration (tok/s). The counts come from the server's usage when it sends them; otherwise they are estimates.</source>
        <translation>输出 token 吞吐量 = 成功请求的输出 token 数 / 测试时长（tok/s）。服务器返回 usage 时采用其中的计数，否则为估算值。</translation>
    </message>
    <message>
        <source>It is the server's generation capacity under this load, the number to compare hardware and settings by.</source>
        <translation>它是服务器在此负载下的生成能力，是比较硬件和配置的依据。</translation>
    </message>
    <message>
        <source>None in the guide: it differs widely between models and hardware.</source>
        <translation>指南中未给出：不同模型和硬件之间差异很大。</translation>
    </message>
    <message>
        <source>The concurrency and the batch size (more sequences decoded together), the model's size, the GPU's memory bandwidth, quantization and the output length.</source>
        <translation>并发和批大小（同时解码更多序列）、模型大小、GPU 显存带宽、量化以及输出长度。</translation>
    </message>
    <message>
        <source>Peak output token throughput</source>
        <translation>峰值输出 token 吞吐量</translation>
    </message>
    <message>
        <source>The most output tokens that arrived within one second of the run.</source>
        <translation>测试期间一秒内到达的最多输出 token 数。</translation>
    </message>
    <message>
        <source>The best one-second burst of generation during the run.</source>
        <translation>测试期间生成最密集的那一秒。</translation>
    </message>
    <message>
        <source>The run is cut into 1-second buckets from the first request's start; each content chunk counts in the bucket it arrived in; the peak is the fullest bucket. Like vLLM, it counts chunks, which are tokens when each chunk carries one.</source>
        <translation>从第一个请求开始，把测试按 1 秒切分成若干时间桶；每个内容块计入其到达时所在的桶；峰值即最满的那个桶。与 vLLM 一样，它统计的是数据块数，每块只含一个 token 时即为 token 数。</translation>
    </message>
    <message>
        <source>Next to the average it shows whether the server ran steadily or in bursts.</source>
        <translation>与平均值对照，可以看出服务器是平稳运行还是时快时慢。</translation>
    </message>
    <message>
        <source>The concurrency, the batch size and how evenly requests arrive.</source>
        <translation>并发、批大小以及请求到达的均匀程度。</translation>
    </message>
    <message>
        <source>Total token throughput</source>
        <translation>总 token 吞吐量</translation>
    </message>
    <message>
        <source>Input plus output tokens processed per second over the whole run.</source>
        <translation>整个测试期间每秒处理的输入与输出 token 总数。</translation>
    </message>
    <message>
        <source>All tokens the server handled per second: prompts read and answers written.</source>
        <translation>服务器每秒处理的全部 token：读入的提示词和写出的回答。</translation>
    </message>
    <message>
        <source>Total token throughput = (input tokens + output tokens of the successful requests) / benchmark duration (tok/s).</source>
        <translation>总 token 吞吐量 = (成功请求的输入 token 数 + 输出 token 数) / 测试时长（tok/s）。</translation>
    </message>
    <message>
        <source>Prompts cost work too: with long prompts and short answers this number, not the output throughput, shows the load.</source>
        <translation>处理提示词同样有开销：提示词长、回答短时，反映负载的是这个数，而不是输出吞吐量。</translation>
    </message>
    <message>
        <source>The prompt lengths, prefix caching, and everything that moves the output token throughput.</source>
        <translation>提示词长度、前缀缓存，以及所有影响输出 token 吞吐量的因素。</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Share of the finished requests that got an answer: successful / all.</source>
        <translation>已结束的请求中得到回答的比例：成功数 / 总数。</translation>
    </message>
    <message>
        <source>How many requests got a complete answer.</source>
        <translation>有多少请求得到了完整回答。</translation>
    </message>
    <message>
        <source>Success rate = successful requests / (successful + failed requests) × 100 %. A request succeeds with HTTP status 200 and at least one streamed chunk of generated text.</source>
        <translation>成功率 = 成功请求数 / (成功请求数 + 失败请求数) × 100%。HTTP 状态为 200 且至少收到一个含生成文本的流式数据块，请求即为成功。</translation>
    </message>
    <message>
        <source>Failures are the first sign of overload or of a wrong setup. Failed requests are left out of every latency figure, so a low success rate can make the latencies look better than they are.</source>
        <translation>失败是过载或配置错误的第一个信号。失败请求不计入任何延迟数据，因此成功率低时，延迟可能看起来比实际更好。</translation>
    </message>
    <message>
        <source>%1: above %2 %. %3: above %4 %. %5: anything else; the guide draws its line at %6 %.</source>
        <translation>%1：高于 %2%。%3：高于 %4%。%5：其余情况；指南把界线划在 %6%。</translation>
    </message>
    <message>
        <source>Overload (timeouts, refused connections), a timeout too short for long answers, a wrong model name, endpoint or API key, and prompts longer than the model's context.</source>
        <translation>过载（超时、连接被拒）、超时设置对长回答来说过短、模型名称、端点或 API 密钥错误，以及提示词超出模型的上下文长度。</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失败请求数</translation>
    </message>
    <message>
        <source>Requests that ended without an answer: an HTTP error, a timeout or a broken connection.</source>
        <translation>没有得到回答就结束的请求：HTTP 错误、超时或连接中断。</translation>
    </message>
    <message>
        <source>How many requests ended without a complete answer. The Requests tab shows each one's error.</source>
        <translation>有多少请求没有得到完整回答就结束了。“请求”页会显示每个失败请求的错误。</translation>
    </message>
    <message>
        <source>A request fails when the HTTP status is not 200 or no chunk of generated text arrived. Failed requests count in no latency or token figure.</source>
        <translation>HTTP 状态不是 200，或者没有收到任何含生成文本的数据块，请求即为失败。失败请求不计入任何延迟或 token 数据。</translation>
    </message>
    <message>
        <source>Each one is a user without an answer, and since they are left out of the latency statistics, many of them hide how loaded the server really is.</source>
        <translation>每个失败请求都意味着一个没得到回答的用户；而且由于它们不计入延迟统计，失败一多就会掩盖服务器真实的负载程度。</translation>
    </message>
    <message>
        <source>The guide rates them through the success rate.</source>
        <translation>指南通过成功率来评价它们。</translation>
    </message>
    <message>
        <source>Overload, timeouts, a wrong model name, endpoint or API key, and network errors.</source>
        <translation>过载、超时、模型名称、端点或 API 密钥错误，以及网络错误。</translation>
    </message>
    <message>
        <source>Peak concurrent requests</source>
        <translation>峰值并发请求数</translation>
    </message>
    <message>
        <source>The most requests in flight at the same moment during the run.</source>
        <translation>测试期间同一时刻进行中的最多请求数。</translation>
    </message>
    <message>
        <source>The highest number of requests the server had to handle at once.</source>
        <translation>服务器同时需要处理的最多请求数。</translation>
    </message>
    <message>
        <source>It is the concurrency the server really saw, which stays below the maximum concurrency you set when requests arrive slowly or finish fast.</source>
        <translation>这是服务器实际承受的并发；当请求到达较慢或完成较快时，它会低于你设置的最大并发数。</translation>
    </message>
    <message>
        <source>The maximum concurrency, the request rate and its burstiness, and the latency: slower answers keep more requests in flight.</source>
        <translation>最大并发数、请求速率及其突发度，以及延迟：回答越慢，同时进行中的请求就越多。</translation>
    </message>
    <message>
        <source>Benchmark duration</source>
        <translation>测试时长</translation>
    </message>
    <message>
        <source>Time from the start of sending until the last request finished.</source>
        <translation>从开始发送到最后一个请求完成的时间。</translation>
    </message>
    <message>
        <source>How long the run took.</source>
        <translation>测试持续了多长时间。</translation>
    </message>
    <message>
        <source>Duration = end of the last request − start of sending (s). Every per-second figure divides by it.</source>
        <translation>时长 = 最后一个请求的结束时刻 − 开始发送的时刻（s）。所有每秒指标都以它为分母。</translation>
    </message>
    <message>
        <source>All throughputs are per this duration, so one slow last request lowers them all. It also tells whether the run was long enough to reach a steady state.</source>
        <translation>所有吞吐量都按这个时长计算，因此最后一个慢请求会拉低所有吞吐量。它也能说明测试是否足够长、是否达到了稳定状态。</translation>
    </message>
    <message>
        <source>The number of requests, the request rate, the concurrency and the latency of the slowest requests.</source>
        <translation>请求数、请求速率、并发以及最慢请求的延迟。</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 token 数</translation>
    </message>
    <message>
        <source>Tokens of the prompts sent; the total adds up all successful requests.</source>
        <translation>所发送提示词的 token 数；总数为所有成功请求之和。</translation>
    </message>
    <message>
        <source>The length of the prompts, in the model's tokens.</source>
        <translation>提示词的长度，以模型的 token 计。</translation>
    </message>
    <message>
        <source>Per request: the server's usage.prompt_tokens when it sends them, otherwise the dataset's count. Total input tokens = the sum over the successful requests.</source>
        <translation>逐请求：服务器返回 usage 时取其中的 usage.prompt_tokens，否则取数据集中的计数。输入 token 总数 = 所有成功请求之和。</translation>
    </message>
    <message>
        <source>The prompt length drives the prefill and so TTFT; the guide's tests set it with --random-input-len.</source>
        <translation>提示词长度决定预填充耗时，进而影响 TTFT；指南中的测试用 --random-input-len 设置它。</translation>
    </message>
    <message>
        <source>The dataset and its settings (input length, range ratio, shared prefix) and the chat template.</source>
        <translation>数据集及其设置（输入长度、长度浮动比例、共享前缀）以及对话模板。</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 token 数</translation>
    </message>
    <message>
        <source>Tokens generated in the answers; the total adds up all successful requests.</source>
        <translation>回答中生成的 token 数；总数为所有成功请求之和。</translation>
    </message>
    <message>
        <source>The length of the answers, in the model's tokens.</source>
        <translation>回答的长度，以模型的 token 计。</translation>
    </message>
    <message>
        <source>Per request: the server's usage.completion_tokens when it sends them, else a count with a tokenizer, else the number of streamed chunks (an estimate, marked as such). Total generated tokens = the sum over the successful requests.</source>
        <translation>逐请求：服务器返回 usage 时取其中的 usage.completion_tokens，否则用分词器计数，再不行则取流式数据块的个数（估算值，会标注出来）。生成 token 总数 = 所有成功请求之和。</translation>
    </message>
    <message>
        <source>The output length multiplies TPOT into the end-to-end latency, and it is what the output token throughput counts.</source>
        <translation>输出长度与 TPOT 相乘构成端到端延迟，输出 token 吞吐量统计的也正是它。</translation>
    </message>
    <message>
        <source>The maximum tokens per request (--random-output-len), ignore_eos, a model that stops early, and the dataset.</source>
        <translation>每个请求的最大 token 数（--random-output-len）、ignore_eos、模型提前停止，以及数据集。</translation>
    </message>
    <message>
        <source>Maximum request concurrency</source>
        <translation>最大请求并发数</translation>
    </message>
    <message>
        <source>The most requests this app keeps in flight at once (--max-concurrency); later ones wait for a free slot.</source>
        <translation>本程序同时保持进行中的最多请求数（--max-concurrency）；之后的请求需等待空闲槽位。</translation>
    </message>
    <message>
        <source>A setting, not a measurement: the cap on requests in flight.</source>
        <translation>这是一项设置而非测量值：进行中请求数的上限。</translation>
    </message>
    <message>
        <source>A request is sent only while fewer than this many are in flight; otherwise it waits (see the client queue time).</source>
        <translation>只有进行中的请求少于此数时才会发出新请求；否则需要等待（见客户端排队时间）。</translation>
    </message>
    <message>
        <source>The guide's key setting for finding how many users a model serves at once: too small and the server is never pushed, too large and it may be overwhelmed until requests fail.</source>
        <translation>指南中用于测试模型能同时服务多少用户的关键参数：太小则始终压不满服务器，太大则可能压垮服务器，直至请求失败。</translation>
    </message>
    <message>
        <source>You set it. Raise it step by step (1, 5, 10, 20, 50, …) and watch the throughput, the latency and the success rate to find where the server stops keeping up.</source>
        <translation>由你设置。逐步调高（1、5、10、20、50……），同时观察吞吐量、延迟和成功率，找出服务器开始跟不上的位置。</translation>
    </message>
    <message>
        <source>Request rate</source>
        <translation>请求速率</translation>
    </message>
    <message>
        <source>How many requests are sent per second on average (--request-rate); inf sends them all at once.</source>
        <translation>平均每秒发送多少个请求（--request-rate）；inf 表示一次性全部发出。</translation>
    </message>
    <message>
        <source>A setting, not a measurement: how fast new requests arrive.</source>
        <translation>这是一项设置而非测量值：新请求到达的速度。</translation>
    </message>
    <message>
        <source>With rate r and burstiness b the gaps between arrivals are drawn from a gamma distribution with shape b and mean 1/r; b = 1 is a Poisson process, a larger b is more regular. With inf all requests are released at once and only the maximum concurrency holds them back.</source>
        <translation>速率为 r、突发度为 b 时，到达间隔服从形状参数为 b、均值为 1/r 的 Gamma 分布；b = 1 即泊松过程，b 越大越规律。速率为 inf 时，所有请求同时放出，只受最大并发数限制。</translation>
    </message>
    <message>
        <source>A finite rate models users arriving over time; inf tests the server's limit. The request throughput cannot exceed it for long.</source>
        <translation>有限速率模拟用户陆续到达；inf 用于测试服务器的极限。请求吞吐量无法长时间超过请求速率。</translation>
    </message>
    <message>
        <source>You set it. Raise it until the latency climbs or requests fail.</source>
        <translation>由你设置。逐步提高，直到延迟上升或请求开始失败。</translation>
    </message>
    <message>
        <source>Glossary of metrics</source>
        <translation>指标术语表</translation>
    </message>
    <message>
        <source>Mean, median, percentiles</source>
        <translation>均值、中位数、百分位数</translation>
    </message>
    <message>
        <source>Latencies are given as statistics over many requests, as vLLM computes them. Mean: the average. Median: half the values are below it. P99: 99 % of the values are at or below it; between two measured values it is interpolated linearly, as numpy does. Std: the population standard deviation, how widely the values spread. A mean far above the median, or a P99 far above both, means a few slow requests.</source>
        <translation>延迟以多个请求的统计量给出，计算方式与 vLLM 相同。Mean（均值）：平均值。Median（中位数）：一半的值低于它。P99：99% 的值不超过它；落在两个测量值之间时，像 numpy 一样做线性插值。Std（标准差）：总体标准差，表示数值的离散程度。均值远高于中位数，或 P99 远高于两者，说明存在少数慢请求。</translation>
    </message>
    <message>
        <source>What it measures</source>
        <translation>衡量什么</translation>
    </message>
    <message>
        <source>How it is computed</source>
        <translation>如何计算</translation>
    </message>
    <message>
        <source>Why it matters</source>
        <translation>为何重要</translation>
    </message>
    <message>
        <source>Reference values</source>
        <translation>参考值</translation>
    </message>
    <message>
        <source>What moves it</source>
        <translation>影响因素</translation>
    </message>
    <message>
        <source>The exact peak of requests in flight, each from its sending to its end: its last chunk when it succeeded, the moment it failed (a timeout, a reset) otherwise; a request that ends at the moment another starts does not overlap it.</source>
        <translation>同时进行中请求数的精确峰值。每个请求从发出算起，到结束为止：成功的请求以最后一个数据块为结束，否则以失败的时刻（超时、连接重置）为结束；一个请求结束的时刻恰好是另一个请求开始的时刻时，两者不算重叠。</translation>
    </message>
    <message>
        <source>Time to first reasoning token (TTFRT)</source>
        <translation>首个推理 token 时间（TTFRT）</translation>
    </message>
    <message>
        <source>Time from sending a request to the first piece of the model's reasoning: how soon a reasoning model starts to think.</source>
        <translation>从发出请求到收到模型第一段推理内容的时间：反映推理模型多快开始“思考”。</translation>
    </message>
    <message>
        <source>For a reasoning model, which thinks aloud before it answers: how long a request waits for the first streamed chunk of reasoning, from the moment it is sent. Like TTFT it includes the network, the queue and the prefill.</source>
        <translation>推理模型会先把思考过程输出出来，然后再作答。对这类模型而言，TTFRT 就是请求从发出起，要等多久才收到第一个推理内容的流式数据块。与 TTFT 一样，其中包括网络传输、排队和预填充。</translation>
    </message>
    <message>
        <source>TTFRT = arrival of the first reasoning chunk − moment the request was sent. Only requests whose stream tells reasoning apart from the answer count. When the model reasons, TTFT equals TTFRT, because TTFT counts the first content of either kind, as vLLM does.</source>
        <translation>TTFRT = 第一个推理块的到达时刻 − 请求发出时刻。只统计流式输出能把推理与回答区分开的请求。模型进行推理时，TTFT 等于 TTFRT，因为 TTFT 与 vLLM 一样，以任一类型的第一段内容为准。</translation>
    </message>
    <message>
        <source>An app that shows the model thinking starts to show something at this moment. Compared with TTFAT it shows how much of the wait is thinking rather than queueing and prefill.</source>
        <translation>如果应用会展示模型的思考过程，用户从这一刻起就能看到内容。把它与 TTFAT 对照，可以看出等待时间里有多少花在思考上，又有多少是排队和预填充。</translation>
    </message>
    <message>
        <source>None in the guide. Judge it like TTFT: it is the wait before anything appears.</source>
        <translation>指南中未给出。可以像 TTFT 一样评判：它是任何内容出现之前的等待时间。</translation>
    </message>
    <message>
        <source>The same as TTFT: prompt length, many requests at once, a cold cache and the network.</source>
        <translation>与 TTFT 相同：提示词长度、同时请求过多、缓存尚未预热，以及网络。</translation>
    </message>
    <message>
        <source>Time to first answer token (TTFAT)</source>
        <translation>首个回答 token 时间（TTFAT）</translation>
    </message>
    <message>
        <source>Time from sending a request to the first piece of the answer after the reasoning: how long a user waits for the answer itself.</source>
        <translation>从发出请求到收到推理之后第一段回答内容的时间：用户要等多久才看到真正的回答。</translation>
    </message>
    <message>
        <source>For a reasoning model: how long a request waits for the first streamed chunk of the answer, from the moment it is sent. All the reasoning streams before it.</source>
        <translation>针对推理模型：请求从发出起，要等多久才收到回答的第一个流式数据块。全部推理内容都在它之前输出。</translation>
    </message>
    <message>
        <source>TTFAT = arrival of the first answer chunk − moment the request was sent, over the requests that reasoned and then answered. TTFAT − TTFRT is the time spent reasoning, about TPOT × reasoning tokens.</source>
        <translation>TTFAT = 第一个回答块的到达时刻 − 请求发出时刻，基于先推理、后回答的请求计算。TTFAT − TTFRT 就是推理所用的时间，约等于 TPOT × 推理 token 数。</translation>
    </message>
    <message>
        <source>A user who only reads the answer waits this long, not TTFT. A model that thinks for a thousand tokens can have a fine TTFT and still keep the user waiting many seconds.</source>
        <translation>只看回答的用户真正要等的是这段时间，而不是 TTFT。一个要思考上千个 token 的模型，TTFT 可能很理想，却依然让用户等上好几秒甚至更久。</translation>
    </message>
    <message>
        <source>None in the guide. It grows with the reasoning length, so compare runs of the same model and prompts.</source>
        <translation>指南中未给出。它随推理长度增长，因此应在模型和提示词都相同的测试之间进行比较。</translation>
    </message>
    <message>
        <source>Everything that moves TTFT, then the number of reasoning tokens and the decoding speed (TPOT): twice the reasoning takes about twice as long. A reasoning budget or effort setting on the server shortens it.</source>
        <translation>凡是影响 TTFT 的因素都会影响它，此外还有推理 token 数和解码速度（TPOT）：推理长度翻倍，耗时也大约翻倍。在服务器上设置推理预算或推理强度（effort）可以缩短它。</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>推理 token 数</translation>
    </message>
    <message>
        <source>Tokens the model generated while thinking, before its answer. They cost time like any output token.</source>
        <translation>模型在给出回答之前、思考过程中生成的 token。它们和其他输出 token 一样需要耗费时间。</translation>
    </message>
    <message>
        <source>How many tokens of a reply were reasoning rather than answer: in total over the run, per request on average, and how many requests reasoned at all.</source>
        <translation>一次回复中有多少 token 属于推理而非回答：包括整个测试的总数、每个请求的平均数，以及共有多少个请求进行了推理。</translation>
    </message>
    <message>
        <source>Taken from the server's usage details (reasoning_tokens) when it sends them, else counted from the reasoning chunks. Reasoning tokens are part of the output tokens, so they count in TPOT and in the output token throughput.</source>
        <translation>服务器在 usage 详情中提供该值（reasoning_tokens）时直接采用，否则根据推理块统计。推理 token 属于输出 token，因此会计入 TPOT 和输出 token 吞吐量。</translation>
    </message>
    <message>
        <source>They are output the user may never read but still waits for and pays for. A high output token throughput can hide that most of it went into thinking.</source>
        <translation>这些输出用户可能根本不会去读，却仍要为它们等待、为它们付费。输出 token 吞吐量很高，可能掩盖了其中大部分都花在思考上这一事实。</translation>
    </message>
    <message>
        <source>The model, the difficulty of the prompt and the server's reasoning settings (budget, effort). Text between &lt;think&gt; and &lt;/think&gt; counts as reasoning only when the target is set to count it.</source>
        <translation>模型本身、提示词的难度，以及服务器的推理设置（预算、强度）。只有在被测服务器的设置中开启了相应选项时，&lt;think&gt; 与 &lt;/think&gt; 之间的文本才会算作推理。</translation>
    </message>
</context>
<context>
    <name>ts::GlossaryButton</name>
    <message>
        <source>%1: open its explanation in the glossary</source>
        <translation>%1：在术语表中查看说明</translation>
    </message>
    <message>
        <source>Open the glossary: what each metric measures, how it is computed and what moves it</source>
        <translation>打开术语表：每个指标衡量什么、如何计算、受哪些因素影响</translation>
    </message>
</context>
<context>
    <name>ts::GlossaryDialog</name>
    <message>
        <source>Glossary of metrics</source>
        <translation>指标术语表</translation>
    </message>
</context>
<context>
    <name>ts::LiveCharts</name>
    <message>
        <source>Time since start (s)</source>
        <translation>开始后的时间（s）</translation>
    </message>
    <message>
        <source>Time to first token per request (median and P99 of the last %1)</source>
        <translation>每个请求的首 token 时间（最近 %1 个的中位数和 P99）</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT（ms）</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Rolling median</source>
        <translation>滚动中位数</translation>
    </message>
    <message>
        <source>Rolling P99</source>
        <translation>滚动 P99</translation>
    </message>
    <message>
        <source>Failed request</source>
        <translation>失败的请求</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>输出 token/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Waiting for a slot</source>
        <translation>等待空闲槽位</translation>
    </message>
    <message>
        <source>Time per output token, distribution so far</source>
        <translation>每输出 token 时间：目前的分布</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT（ms）</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Request rate: planned, sent, finished</source>
        <translation>请求速率：计划、已发送、已完成</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Sent/s</source>
        <translation>已发送/s</translation>
    </message>
    <message>
        <source>Finished/s</source>
        <translation>已完成/s</translation>
    </message>
    <message>
        <source>Output throughput</source>
        <translation>输出吞吐量</translation>
    </message>
    <message>
        <source>The dashed line is the rate the load plan releases requests at. Sent falls below it when every concurrency slot is busy; finished falls below sent when the server cannot keep up.</source>
        <translation>虚线表示负载计划放出请求的速率。所有并发槽位都被占满时，已发送速率会低于虚线；服务器处理不过来时，已完成速率会低于已发送速率。</translation>
    </message>
</context>
<context>
    <name>ts::LoadForm</name>
    <message>
        <source>Load</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Number of requests (--num-prompts)</source>
        <translation>请求总数（--num-prompts）</translation>
    </message>
    <message>
        <source>Request rate</source>
        <translation>请求速率</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> 请求/s</translation>
    </message>
    <message>
        <source>inf: all at once</source>
        <translation>inf：全部立即发送</translation>
    </message>
    <message>
        <source>Request rate (--request-rate)</source>
        <translation>请求速率（--request-rate）</translation>
    </message>
    <message>
        <source>How many requests start per second, like users arriving. “inf” releases all of them at once to find the server's limit; a number such as 1–50 imitates real traffic, 5–20 suits a stability test.</source>
        <translation>每秒发出多少个请求，模拟用户陆续到达。“inf”一次性发出全部请求，用于测试服务器极限；1–50 之类的数值模拟真实流量，5–20 适合稳定性测试。</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>突发度</translation>
    </message>
    <message>
        <source>Burstiness (--burstiness)</source>
        <translation>突发度（--burstiness）</translation>
    </message>
    <message>
        <source>How evenly requests arrive at a finite rate. 1 is random arrivals (a Poisson process); larger values are more regular, smaller values come in bursts.</source>
        <translation>在有限速率下请求到达的均匀程度。1 表示随机到达（泊松过程）；数值越大越规律，越小越成批涌入。</translation>
    </message>
    <message>
        <source>Max concurrency</source>
        <translation>最大并发</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Maximum concurrency (--max-concurrency)</source>
        <translation>最大并发数（--max-concurrency）</translation>
    </message>
    <message>
        <source>The most requests in flight at the same time; further arrivals wait for a free slot. This is the key setting for testing how many parallel users a server supports: too low keeps the throughput down, too high can overload the server.</source>
        <translation>同时进行中的请求上限，超出的请求等待空闲槽位。这是测试服务器能支撑多少路并发的核心参数：设得太小吞吐量上不去，太大可能压垮服务器。</translation>
    </message>
    <message>
        <source>Warm-up requests</source>
        <translation>预热请求</translation>
    </message>
    <message>
        <source>Warm-up requests (--num-warmups)</source>
        <translation>预热请求（--num-warmups）</translation>
    </message>
    <message>
        <source>Requests sent before the measurement and left out of the results, so that a cold server (loading, compiling, filling caches) does not spoil the first numbers.</source>
        <translation>在正式测量前发送、不计入结果的请求，避免冷启动的服务器（加载、编译、填充缓存）影响最初的数据。</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation>请求超时</translation>
    </message>
    <message>
        <source>A request that takes longer than this counts as failed. 0 waits forever.</source>
        <translation>耗时超过此值的请求计为失败。0 表示一直等待。</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random seed (--seed)</source>
        <translation>随机种子（--seed）</translation>
    </message>
    <message>
        <source>The same seed gives the same prompts and arrival times, so two runs can be compared fairly.</source>
        <translation>相同的种子产生相同的提示词和到达时间，便于公平地比较两次测试。</translation>
    </message>
    <message>
        <source>Goodput limits: a request counts as good when it meets all limits that are set.</source>
        <translation>有效吞吐量（goodput）限值：满足所有已设置限值的请求才算有效。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>TTFT at most</source>
        <translation>TTFT 不超过</translation>
    </message>
    <message>
        <source>Goodput: TTFT limit (--goodput ttft:MS)</source>
        <translation>有效吞吐量：TTFT 限值（--goodput ttft:MS）</translation>
    </message>
    <message>
        <source>The longest acceptable time to the first token. Goodput counts the requests per second that meet every limit.</source>
        <translation>可接受的最长首 token 时间。有效吞吐量统计每秒满足全部限值的请求数。</translation>
    </message>
    <message>
        <source>TPOT at most</source>
        <translation>TPOT 不超过</translation>
    </message>
    <message>
        <source>Goodput: TPOT limit (--goodput tpot:MS)</source>
        <translation>有效吞吐量：TPOT 限值（--goodput tpot:MS）</translation>
    </message>
    <message>
        <source>The longest acceptable average time per output token after the first.</source>
        <translation>首个 token 之后，每个输出 token 可接受的最长平均时间。</translation>
    </message>
    <message>
        <source>E2EL at most</source>
        <translation>E2EL 不超过</translation>
    </message>
    <message>
        <source>Goodput: end-to-end limit (--goodput e2el:MS)</source>
        <translation>有效吞吐量：端到端限值（--goodput e2el:MS）</translation>
    </message>
    <message>
        <source>The longest acceptable time for the whole answer.</source>
        <translation>整个回答可接受的最长时间。</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>提示词数</translation>
    </message>
    <message>
        <source>A sweep sets the rate and the number of requests of each level: choose “Constant rate”.</source>
        <translation>递增测试会设定每一档的速率和请求数：请选择“恒定速率”。</translation>
    </message>
    <message>
        <source>Load shape</source>
        <translation>负载模式</translation>
    </message>
    <message>
        <source>Constant rate</source>
        <translation>恒定速率</translation>
    </message>
    <message>
        <source>Ramp up</source>
        <translation>逐步加压</translation>
    </message>
    <message>
        <source>Stop after a time</source>
        <translation>限时运行</translation>
    </message>
    <message>
        <source>How many requests the test sends in total. It sets the sample size and the duration: 10–50 for a quick check, 100–500 for a function test, 1000–5000 for a benchmark; about 5–10 times the concurrency. A run that stops after a time cycles through this many different prompts.</source>
        <translation>测试共发送多少个请求，它决定了样本量和测试时长：快速验证用 10–50，功能测试用 100–500，基准测试用 1000–5000；约为并发数的 5–10 倍。限时运行时，会循环使用这么多条不同的提示词。</translation>
    </message>
    <message>
        <source>Ramp</source>
        <translation>加压方式</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>Exponential</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>Ramp-up strategy (--ramp-up-strategy)</source>
        <translation>加压方式（--ramp-up-strategy）</translation>
    </message>
    <message>
        <source>Linear adds the same number of requests per second at every step. Exponential multiplies the rate: it stays long at low rates and climbs fast at the end.</source>
        <translation>线性：每一步增加相同的每秒请求数。指数：按倍数提高速率，在低速率阶段停留较久，到后期快速攀升。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Ramp-up start rate (--ramp-up-start-rps)</source>
        <translation>加压起始速率（--ramp-up-start-rps）</translation>
    </message>
    <message>
        <source>Requests per second when the first request is sent. Whole numbers, as in vLLM, at least 1.</source>
        <translation>发送第一个请求时的每秒请求数。与 vLLM 一样取整数，至少为 1。</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Ramp-up end rate (--ramp-up-end-rps)</source>
        <translation>加压结束速率（--ramp-up-end-rps）</translation>
    </message>
    <message>
        <source>Requests per second reached at the last request. In the live chart, where the sent rate stops following the target, the server or the concurrency limit has become the bottleneck.</source>
        <translation>最后一个请求时达到的每秒请求数。在实时图表中，已发送速率从哪里开始不再跟随目标速率，就说明服务器或并发上限从那里成为了瓶颈。</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>Duration (--duration)</source>
        <translation>持续时间（--duration）</translation>
    </message>
    <message>
        <source>Keep sending at the request rate for this many seconds. A long run shows whether latency stays steady once caches fill and memory is in use; the guide suggests 5–20 req/s for such a stability test.</source>
        <translation>按请求速率持续发送这么多秒。长时间运行可以看出缓存填满、内存被占用之后延迟是否依然稳定；指南建议此类稳定性测试使用 5–20 req/s。</translation>
    </message>
    <message>
        <source>At the end</source>
        <translation>结束时</translation>
    </message>
    <message>
        <source>Let running requests finish</source>
        <translation>等待进行中的请求完成</translation>
    </message>
    <message>
        <source>Cancel running requests</source>
        <translation>取消进行中的请求</translation>
    </message>
    <message>
        <source>Requests in flight at the end (--duration-cancel)</source>
        <translation>结束时仍在进行的请求（--duration-cancel）</translation>
    </message>
    <message>
        <source>Let them finish: requests still running complete and are measured. Cancel them: they are aborted and count as failed, so the run ends on time.</source>
        <translation>等待完成：仍在进行的请求会继续完成并计入测量。取消：这些请求会被中止并计为失败，测试按时结束。</translation>
    </message>
    <message>
        <source>all records</source>
        <translation>全部记录</translation>
    </message>
    <message>
        <source>A sweep sets the rate and the number of requests of each level, but a trace brings its own: run the trace once, without a sweep.</source>
        <translation>递增测试会设定每一档的速率和请求数，而轨迹自带这些信息：请单独运行一次轨迹，不要使用递增测试。</translation>
    </message>
    <message>
        <source>Replay trace timing</source>
        <translation>按轨迹时间回放</translation>
    </message>
    <message>
        <source>How requests arrive over the run. Constant rate keeps one pace from start to end. Ramp up raises the rate request by request, to find where the server starts to fall behind. Stop after a time sends at a constant rate for a set number of seconds, like a stability test. Replay trace timing sends each request of a trace at the time it recorded; it is the only shape for a trace dataset.</source>
        <translation>请求在测试过程中如何到达。恒定速率：从头到尾保持同一节奏。逐步加压：逐个请求提高速率，用于找出服务器从哪里开始跟不上。限时运行：以恒定速率发送设定的秒数，类似稳定性测试。按轨迹时间回放：按轨迹中记录的时间发送每个请求；这是轨迹数据集唯一可用的负载模式。</translation>
    </message>
    <message>
        <source>Time scale</source>
        <translation>时间缩放</translation>
    </message>
    <message>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <source>Trace time scale (--trace-time-scale)</source>
        <translation>轨迹时间缩放（--trace-time-scale）</translation>
    </message>
    <message>
        <source>Multiplies the trace's timestamps: 1 replays it as recorded, 0.5 twice as fast, 2 half as fast. A faster replay puts more load on the server with the same requests.</source>
        <translation>将轨迹中的时间戳乘以该系数：1 表示按记录原样回放，0.5 表示以两倍速回放，2 表示以一半的速度回放。回放越快，同样的请求给服务器带来的负载越大。</translation>
    </message>
</context>
<context>
    <name>ts::Main</name>
    <message>
        <source>Load testing for LLM inference servers.</source>
        <translation>大模型推理服务压测工具。</translation>
    </message>
    <message>
        <source>Start with the built-in demo server switched on.</source>
        <translation>启动时打开内置演示服务器。</translation>
    </message>
    <message>
        <source>Result files to open: one is shown in the main window, two or more are compared.</source>
        <translation>要打开的结果文件：一个文件在主窗口中显示，两个或更多文件则进行对比。</translation>
    </message>
</context>
<context>
    <name>ts::MainWindow</name>
    <message>
        <source>Open a result file</source>
        <translation>打开结果文件</translation>
    </message>
    <message>
        <source>Result files (*.json *.jsonl);;All files (*)</source>
        <translation>结果文件 (*.json *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the result as JSON</source>
        <translation>将结果保存为 JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Save one row per request as CSV</source>
        <translation>保存为 CSV（每个请求一行）</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Save the summary as CSV</source>
        <translation>将汇总保存为 CSV</translation>
    </message>
    <message>
        <source>Save every chart as PNG and SVG into</source>
        <translation>将所有图表保存为 PNG 和 SVG，保存到</translation>
    </message>
    <message>
        <source>About Tokenstorm</source>
        <translation>关于 Tokenstorm</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Tokenstorm %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Load testing for LLM inference servers, with the metrics, flags and result files of vLLM's serving benchmark.&lt;/p&gt;&lt;p&gt;TTFT: time to first token. TPOT: time per output token after the first. ITL: gap between streamed chunks. E2EL: end-to-end latency of a request.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Tokenstorm %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;大模型推理服务器压测工具，指标、参数和结果文件与 vLLM 的 serving benchmark 一致。&lt;/p&gt;&lt;p&gt;TTFT：首 token 时间。TPOT：首个 token 之后每个输出 token 的时间。ITL：流式输出中相邻两块之间的间隔。E2EL：单个请求的端到端延迟。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Tokenstorm – LLM server load test</source>
        <translation>Tokenstorm – 大模型推理压测</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open result…</source>
        <translation>打开结果(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save result as JSON…</source>
        <translation>将结果保存为 JSON(&amp;S)…</translation>
    </message>
    <message>
        <source>Save requests as &amp;CSV…</source>
        <translation>将请求保存为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Save summary as CSV…</source>
        <translation>将汇总保存为 CSV…</translation>
    </message>
    <message>
        <source>Save all &amp;charts (PNG and SVG)…</source>
        <translation>保存所有图表（PNG 和 SVG）(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Tokenstorm</source>
        <translation>关于 Tokenstorm(&amp;A)</translation>
    </message>
    <message>
        <source>The run was stopped before any request finished.</source>
        <translation>测试在任何请求完成之前就已停止。</translation>
    </message>
    <message>
        <source>Stopped. %1 requests were measured; see the Summary tab.</source>
        <translation>已停止。已测量 %1 个请求，请查看“汇总与评级”页。</translation>
    </message>
    <message>
        <source>Finished with %1 failed requests; see the Requests tab.</source>
        <translation>已完成，其中 %1 个请求失败，请查看“请求”页。</translation>
    </message>
    <message>
        <source>Finished. See the Summary tab for the rating.</source>
        <translation>已完成。评级请见“汇总与评级”页。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Saved %1 chart files in %2</source>
        <translation>已将 %1 个图表文件保存到 %2</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>File error</source>
        <translation>文件错误</translation>
    </message>
    <message>
        <source>Save the sweep summary as JSON (a CSV is written next to it)</source>
        <translation>将递增测试汇总保存为 JSON（同时在旁边写一个 CSV）</translation>
    </message>
    <message>
        <source>&amp;Compare results…</source>
        <translation>对比结果(&amp;C)…</translation>
    </message>
    <message>
        <source>Save sweep summary (JSON and CSV)…</source>
        <translation>保存递增测试汇总（JSON 和 CSV）…</translation>
    </message>
    <message numerus="yes">
        <source>Sweep stopped. %n level(s) finished and are kept; see the Sweep tab.</source>
        <translation>
            <numerusform>递增测试已停止。已完成的 %n 个档位均已保留，请查看“递增测试”页。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweep finished. See the Sweep tab for the verdict.</source>
        <translation>递增测试已完成。结论见“递增测试”页。</translation>
    </message>
    <message>
        <source>Finished, but this computer's sending and reading threads were busy %1 % of the run: their own delays are in the latency tails. Fewer streams keep it out of that.</source>
        <translation>已完成，但本机负责发送和读取的线程在测试中有 %1% 的时间处于忙碌状态，其自身的延迟已混入延迟的尾部数值。减少并发流数可避免这种情况。</translation>
    </message>
    <message>
        <source>Export a report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Export &amp;report (HTML or PDF)…</source>
        <translation>导出报告（HTML 或 PDF）(&amp;R)…</translation>
    </message>
    <message>
        <source>There is no result to report yet: run a test or open a result file first.</source>
        <translation>还没有可生成报告的结果：请先运行测试或打开结果文件。</translation>
    </message>
    <message>
        <source>Guided exercises</source>
        <translation>实战练习</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) behind this value are marked in the timeline.</source>
        <translation>
            <numerusform>时间线中已标出构成该数值的 %n 个请求。</numerusform>
        </translation>
    </message>
    <message>
        <source>Guided &amp;exercises…</source>
        <translation>实战练习(&amp;E)…</translation>
    </message>
    <message>
        <source>Metrics &amp;glossary…</source>
        <translation>指标术语表(&amp;G)…</translation>
    </message>
</context>
<context>
    <name>ts::MetricsScraper</name>
    <message>
        <source>Server metrics are not available: %1 could not be reached (%2).</source>
        <translation>无法获取服务器指标：无法连接 %1（%2）。</translation>
    </message>
    <message>
        <source>This server publishes no metrics at %1 (HTTP %2).</source>
        <translation>该服务器在 %1 没有提供指标（HTTP %2）。</translation>
    </message>
    <message>
        <source>The metrics at %1 name nothing Tokenstorm knows (it reads vLLM, SGLang, TGI and llama.cpp).</source>
        <translation>%1 上的指标中没有 Tokenstorm 认识的名称（支持 vLLM、SGLang、TGI 和 llama.cpp）。</translation>
    </message>
</context>
<context>
    <name>ts::ModelList</name>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
    <message>
        <source>%1 lists no models.</source>
        <translation>%1 没有列出任何模型。</translation>
    </message>
</context>
<context>
    <name>ts::Prometheus</name>
    <message>
        <source>A %1 line without a valid metric name.</source>
        <translation>%1 行缺少有效的指标名称。</translation>
    </message>
    <message>
        <source>A sample line without a valid metric name.</source>
        <translation>样本行缺少有效的指标名称。</translation>
    </message>
    <message>
        <source>A sample line without a metric name.</source>
        <translation>样本行缺少指标名称。</translation>
    </message>
    <message>
        <source>The value of %1 is not a number.</source>
        <translation>%1 的值不是数字。</translation>
    </message>
    <message>
        <source>The timestamp of %1 is not a number.</source>
        <translation>%1 的时间戳不是数字。</translation>
    </message>
    <message>
        <source>Unexpected text after the value of %1.</source>
        <translation>%1 的值后面有多余的内容。</translation>
    </message>
    <message>
        <source>A label set that does not parse.</source>
        <translation>无法解析的标签集。</translation>
    </message>
</context>
<context>
    <name>ts::PromptPreviewModel</name>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 token 数</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 token 数</translation>
    </message>
</context>
<context>
    <name>ts::Rating</name>
    <message>
        <source>Excellent</source>
        <translation>优秀</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Needs work</source>
        <translation>需优化</translation>
    </message>
</context>
<context>
    <name>ts::RatingHints</name>
    <message>
        <source>&lt;b&gt;The first token comes late.&lt;/b&gt; Typical causes are a model that is still loading or warming up, too little GPU memory so that requests queue for space, or a slow network path. Send a few warm-up requests, lower the concurrency to see whether the time drops, give the server more memory, and check the network between client and server.</source>
        <translation>&lt;b&gt;首 token 来得慢。&lt;/b&gt;常见原因包括：模型仍在加载或预热、GPU 显存不足导致请求排队等待空间，或者网络链路较慢。可以先发送几个预热请求，降低并发看时间是否下降，为服务器增加显存，并检查客户端与服务器之间的网络。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tokens stream slowly or unevenly.&lt;/b&gt; This usually comes from an uneven load, fragmented memory or the server's scheduling. Try a smaller batch (fewer sequences at once), restart the server, and look at the ITL distribution: a wide spread means an unsteady stream.</source>
        <translation>&lt;b&gt;token 输出慢或不均匀。&lt;/b&gt;通常由负载不均衡、内存碎片或服务器调度引起。可以尝试减小批处理规模（同时处理更少的序列）、重启服务器，并查看 ITL 分布：分布越宽，输出越不稳定。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Few requests finish per second.&lt;/b&gt; The test may not push hard enough, the hardware may be the limit, or the server's settings hold it back. Raise the maximum concurrency or the request rate, then compare: if the throughput no longer grows while the latency does, the server is at its limit.</source>
        <translation>&lt;b&gt;每秒完成的请求少。&lt;/b&gt;可能是测试施加的压力不够、硬件已到瓶颈，或服务器配置限制了性能。提高最大并发数或请求速率后再比较：如果吞吐量不再增长而延迟继续上升，说明服务器已达极限。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Requests fail.&lt;/b&gt; Open the Requests tab and tick “Failed only” to read the errors. Timeouts mean an overloaded server or a too short timeout; HTTP 4xx errors point to a wrong model name, endpoint or key; connection errors to a wrong address or a server that went down.</source>
        <translation>&lt;b&gt;有请求失败。&lt;/b&gt;打开“请求”页并勾选“仅显示失败”查看错误信息。超时说明服务器过载或超时设置太短；HTTP 4xx 错误通常是模型名称、端点或密钥有误；连接错误则说明地址有误或服务器已停止。</translation>
    </message>
    <message>
        <source>No headline metric needs work. Those rated good still have room: compare runs with more or less concurrency to see what moves them.</source>
        <translation>没有需要优化的核心指标。评为良好的指标仍有提升空间：可以用更高或更低的并发多测几次，比较哪些因素影响它们。</translation>
    </message>
    <message>
        <source>All headline metrics are excellent against the thresholds above.</source>
        <translation>按上面的阈值，所有核心指标均为优秀。</translation>
    </message>
    <message>
        <source>Run a test or open a result file to see its rating.</source>
        <translation>运行一次测试或打开结果文件后，这里会显示评级。</translation>
    </message>
</context>
<context>
    <name>ts::RatingPanel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 req/s</source>
        <translation>%1 请求/s</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Rating against the guide's reference values</source>
        <translation>对照指南参考值的评级</translation>
    </message>
    <message>
        <source>Mean time to first token (TTFT)</source>
        <translation>平均首 token 时间（TTFT）</translation>
    </message>
    <message>
        <source>Mean time per output token (TPOT)</source>
        <translation>平均每输出 token 时间（TPOT）</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>请求吞吐量</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Thresholds (editable)</source>
        <translation>阈值（可修改）</translation>
    </message>
    <message>
        <source>Lower is better for TTFT and TPOT: a value below the first limit is excellent, below the second good. Higher is better for throughput and success rate: above the first limit is excellent, above the second good.</source>
        <translation>TTFT 和 TPOT 越低越好：低于第一个限值为优秀，低于第二个为良好。吞吐量和成功率越高越好：高于第一个限值为优秀，高于第二个为良好。</translation>
    </message>
    <message>
        <source>TTFT below</source>
        <translation>TTFT 低于</translation>
    </message>
    <message>
        <source>TPOT below</source>
        <translation>TPOT 低于</translation>
    </message>
    <message>
        <source>Throughput above</source>
        <translation>吞吐量高于</translation>
    </message>
    <message>
        <source>Success rate above</source>
        <translation>成功率高于</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> 请求/s</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>What to look at</source>
        <translation>排查建议</translation>
    </message>
    <message>
        <source>not for this API</source>
        <translation>不适用于此 API</translation>
    </message>
    <message>
        <source>This API answers with embeddings, not generated tokens: rate its end-to-end latency and throughput instead.</source>
        <translation>此 API 返回的是向量嵌入（embeddings），而不是生成的 token：请改为评估其端到端延迟和吞吐量。</translation>
    </message>
</context>
<context>
    <name>ts::RecoveryOffer</name>
    <message numerus="yes">
        <source>%1 — %2, %3: %n request(s) measured</source>
        <translation>
            <numerusform>%1 — %2，%3：已测量 %n 个请求</numerusform>
        </translation>
    </message>
    <message>
        <source>Recover interrupted runs</source>
        <translation>恢复中断的测试</translation>
    </message>
    <message numerus="yes">
        <source>Tokenstorm was closed while %n run(s) were going on. What they measured was kept:</source>
        <translation>
            <numerusform>Tokenstorm 关闭时有 %n 个测试正在进行。它们已测得的数据均已保留：</numerusform>
        </translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>ts::Report</name>
    <message>
        <source>Comparison report</source>
        <translation>对比报告</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) · %1</source>
        <translation>
            <numerusform>%n 个结果 · %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Each later file is compared with the first: differences in percent of [1].</source>
        <translation>后面的每个文件都与第一个文件对比：差异以相对 [1] 的百分比表示。</translation>
    </message>
    <message>
        <source>Setups</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>Request rate (req/s)</source>
        <translation>请求速率（req/s）</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Cumulative %</source>
        <translation>累计占比（%）</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>CDF</source>
        <translation>CDF</translation>
    </message>
    <message>
        <source>TTFT per request over the run</source>
        <translation>测试过程中每个请求的 TTFT</translation>
    </message>
    <message>
        <source>Sent at (s since the start)</source>
        <translation>发出时刻（开始后的秒数）</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT（ms）</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Throughput against the load</source>
        <translation>吞吐量随负载的变化</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>输出 token/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>Output throughput</source>
        <translation>输出吞吐量</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>请求吞吐量</translation>
    </message>
    <message>
        <source>knee</source>
        <translation>拐点</translation>
    </message>
    <message>
        <source>Latency against the load</source>
        <translation>延迟随负载的变化</translation>
    </message>
    <message>
        <source>TTFT, E2EL (ms)</source>
        <translation>TTFT、E2EL（ms）</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT（ms）</translation>
    </message>
    <message>
        <source>P99 TTFT</source>
        <translation>P99 TTFT</translation>
    </message>
    <message>
        <source>Median E2EL</source>
        <translation>E2EL 中位数</translation>
    </message>
    <message>
        <source>Mean TPOT</source>
        <translation>平均 TPOT</translation>
    </message>
    <message>
        <source>Latencies</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>token/s</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>服务器默认值</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>测试对象</translation>
    </message>
    <message>
        <source>not in the result file</source>
        <translation>结果文件中无此项</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Workload and load</source>
        <translation>工作负载与负载</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Input / output length (tokens)</source>
        <translation>输入 / 输出长度（token）</translation>
    </message>
    <message>
        <source>Length range ratio</source>
        <translation>长度浮动比例</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>multi-turn, each turn with its history</source>
        <translation>多轮，每轮都带上此前的对话</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>采样温度</translation>
    </message>
    <message>
        <source>all at once</source>
        <translation>全部立即发送</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>突发度</translation>
    </message>
    <message>
        <source>Maximum concurrency</source>
        <translation>最大并发数</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Warm-up requests</source>
        <translation>预热请求</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>平均值</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>ITL (ms)</source>
        <translation>ITL（ms）</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL（ms）</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 token 数</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 token 数</translation>
    </message>
    <message>
        <source>The client's own overhead</source>
        <translation>客户端自身开销</translation>
    </message>
    <message>
        <source>The result file does not record the client's CPU time.</source>
        <translation>结果文件未记录客户端的 CPU 时间。</translation>
    </message>
    <message>
        <source>Client CPU time (s)</source>
        <translation>客户端 CPU 时间（s）</translation>
    </message>
    <message>
        <source>CPU time per output token (µs)</source>
        <translation>每个输出 token 的 CPU 时间（µs）</translation>
    </message>
    <message>
        <source>Transport threads</source>
        <translation>传输线程数</translation>
    </message>
    <message>
        <source>Transport threads' CPU time (s)</source>
        <translation>传输线程 CPU 时间（s）</translation>
    </message>
    <message>
        <source>Transport threads busy</source>
        <translation>传输线程忙碌占比</translation>
    </message>
    <message>
        <source>The client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more client threads on a machine with cores to spare, keep it out of that.</source>
        <translation>客户端的传输线程（%1 个）在测量阶段有 %2% 的时间处于忙碌状态，此时客户端自身的延迟会混入 TTFT 和 ITL 的尾部数值。减少并发流数，或在有空闲核心的机器上增加客户端线程数，可避免这种情况。</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>运行环境</translation>
    </message>
    <message>
        <source>The machine that wrote this report.</source>
        <translation>生成本报告的机器。</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>操作系统</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Cores</source>
        <translation>核心数</translation>
    </message>
    <message>
        <source>Give a result file, a sweep summary or several result files.</source>
        <translation>请提供一个结果文件、一个递增测试汇总或多个结果文件。</translation>
    </message>
    <message>
        <source>below %1 excellent, below %2 good</source>
        <translation>低于 %1 为优秀，低于 %2 为良好</translation>
    </message>
    <message>
        <source>above %1 excellent, above %2 good</source>
        <translation>高于 %1 为优秀，高于 %2 为良好</translation>
    </message>
    <message>
        <source>Rating against the guide's reference values</source>
        <translation>对照指南参考值的评级</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评级</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>req/s</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Mean TTFT</source>
        <translation>平均 TTFT</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Benchmark report</source>
        <translation>压测报告</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>未知模型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>The run was stopped before it finished; the numbers cover what was measured.</source>
        <translation>测试在完成前被停止；以下数据仅涵盖已测量的部分。</translation>
    </message>
    <message>
        <source>Per-request statistics</source>
        <translation>逐请求统计</translation>
    </message>
    <message>
        <source>%1 requests, %2 failed. Times over the successful requests.</source>
        <translation>共 %1 个请求，%2 个失败。各项时间均基于成功的请求统计。</translation>
    </message>
    <message>
        <source>The result file has no per-request data; only the summary above is known.</source>
        <translation>结果文件不含逐请求数据，只有上面的汇总信息。</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>首 token 时间（TTFT）</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>每输出 token 时间（TPOT）</translation>
    </message>
    <message>
        <source>Inter-token latency (ITL)</source>
        <translation>token 间延迟（ITL）</translation>
    </message>
    <message>
        <source>End-to-end latency (E2EL)</source>
        <translation>端到端延迟（E2EL）</translation>
    </message>
    <message>
        <source>Over the run</source>
        <translation>测试过程</translation>
    </message>
    <message>
        <source>Request timeline</source>
        <translation>请求时间线</translation>
    </message>
    <message>
        <source>Rate (req/s)</source>
        <translation>速率（req/s）</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation>req/s</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>输出 tok/s</translation>
    </message>
    <message>
        <source>Gain per doubling</source>
        <translation>每翻一倍的提升</translation>
    </message>
    <message>
        <source>P99 TTFT (ms)</source>
        <translation>P99 TTFT（ms）</translation>
    </message>
    <message>
        <source>Mean TPOT (ms)</source>
        <translation>平均 TPOT（ms）</translation>
    </message>
    <message>
        <source>Median E2EL (ms)</source>
        <translation>E2EL 中位数（ms）</translation>
    </message>
    <message>
        <source>Rules broken</source>
        <translation>违反的规则</translation>
    </message>
    <message>
        <source>stopped (partial)</source>
        <translation>已停止（部分）</translation>
    </message>
    <message>
        <source>Sweep report</source>
        <translation>递增测试报告</translation>
    </message>
    <message>
        <source>concurrency sweep</source>
        <translation>并发递增测试</translation>
    </message>
    <message>
        <source>request rate sweep</source>
        <translation>请求速率递增测试</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>The sweep was stopped before it finished.</source>
        <translation>递增测试在完成前被停止。</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Planned levels: %1. Measured: %2.</source>
        <translation>计划档位：%1。已测：%2。</translation>
    </message>
    <message>
        <source>Total token throughput</source>
        <translation>总 token 吞吐量</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT（ms）</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT（ms）</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>推理 token 数</translation>
    </message>
    <message>
        <source>The model reasoned before answering: TTFT is the wait for its first reasoning, TTFAT the wait for the answer itself. TTFAT − TTFRT is the time spent reasoning.</source>
        <translation>模型在回答之前先进行了推理：TTFT 是等待首个推理内容的时间，TTFAT 是等待回答本身的时间。TTFAT − TTFRT 即推理所用的时间。</translation>
    </message>
    <message>
        <source>Time to first reasoning token (TTFRT)</source>
        <translation>首个推理 token 时间（TTFRT）</translation>
    </message>
    <message>
        <source>Time to first answer token (TTFAT)</source>
        <translation>首个回答 token 时间（TTFAT）</translation>
    </message>
</context>
<context>
    <name>ts::ReportWriter</name>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Cannot write a report to %1: the name must end in .html or .pdf.</source>
        <translation>无法将报告写入 %1：文件名必须以 .html 或 .pdf 结尾。</translation>
    </message>
    <message>
        <source>Could not make the report %1.</source>
        <translation>无法生成报告 %1。</translation>
    </message>
</context>
<context>
    <name>ts::RequestTableModel</name>
    <message>
        <source>✔ OK</source>
        <translation>✔ 成功</translation>
    </message>
    <message>
        <source>✖ Failed</source>
        <translation>✖ 失败</translation>
    </message>
    <message>
        <source>When the request was sent, in seconds since the run began.</source>
        <translation>请求发出的时刻，从测试开始算起，单位为秒。</translation>
    </message>
    <message>
        <source>Time to first token: from sending the request to the first generated text.</source>
        <translation>首 token 时间：从发出请求到收到第一段生成文本。</translation>
    </message>
    <message>
        <source>Time per output token after the first: (E2EL − TTFT) / (output tokens − 1).</source>
        <translation>首个 token 之后每个输出 token 的时间：(E2EL − TTFT) / (输出 token 数 − 1)。</translation>
    </message>
    <message>
        <source>Mean gap between two streamed chunks of this answer.</source>
        <translation>该回答中相邻两段流式输出之间的平均间隔。</translation>
    </message>
    <message>
        <source>End-to-end latency: from sending the request to the last generated text.</source>
        <translation>端到端延迟：从发出请求到收到最后一段生成文本。</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sent at (s)</source>
        <translation>发出时刻（s）</translation>
    </message>
    <message>
        <source>Queue (ms)</source>
        <translation>排队（ms）</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT（ms）</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT（ms）</translation>
    </message>
    <message>
        <source>Mean ITL (ms)</source>
        <translation>平均 ITL（ms）</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL（ms）</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 token 数</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 token 数</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>%1, turn %2</source>
        <translation>%1，轮次 %2</translation>
    </message>
    <message>
        <source>In a multi-turn run: the conversation (from 0) and which of its turns this request was.</source>
        <translation>多轮对话测试中：该请求属于哪个对话（从 0 开始编号）以及是其中的第几轮。</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>How long the request waited in the client before it was sent: for a free concurrency slot, then for its turn to be handed to the network.</source>
        <translation>请求发出前在客户端内等待的时间：先等待空闲的并发名额，再等待轮到它被交给网络层。</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT（ms）</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT（ms）</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>推理 token 数</translation>
    </message>
</context>
<context>
    <name>ts::RequestsView</name>
    <message>
        <source>Failed only</source>
        <translation>仅显示失败</translation>
    </message>
    <message>
        <source>Show only the requests that failed, with the error each one got.</source>
        <translation>只显示失败的请求及各自的错误信息。</translation>
    </message>
    <message>
        <source>This result has no per-request data.</source>
        <translation>此结果不含逐请求数据。</translation>
    </message>
    <message>
        <source>%1 requests, %2 failed</source>
        <translation>共 %1 个请求，%2 个失败</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
</context>
<context>
    <name>ts::ResultExport</name>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf)</source>
        <translation>HTML 报告 (*.html);;PDF 报告 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ts::ResultFile</name>
    <message>
        <source>%1 is not valid JSON (error at byte %2).</source>
        <translation>%1 不是有效的 JSON（第 %2 字节处出错）。</translation>
    </message>
    <message>
        <source>%1 is not a benchmark result file.</source>
        <translation>%1 不是压测结果文件。</translation>
    </message>
    <message>
        <source>Could not open %1: %2.</source>
        <translation>无法打开 %1：%2。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>ts::RunController</name>
    <message>
        <source>The demo server has no preset “%1”.</source>
        <translation>演示服务器没有名为“%1”的预设。</translation>
    </message>
    <message>
        <source>The demo server did not start: %1</source>
        <translation>演示服务器未能启动：%1</translation>
    </message>
    <message>
        <source>The test request failed: %1</source>
        <translation>测试请求失败：%1</translation>
    </message>
</context>
<context>
    <name>ts::RunJournal</name>
    <message>
        <source>Could not start the run's journal in %1 (%2); a crash would lose this run's measurements.</source>
        <translation>无法在 %1 中创建本次测试的运行日志（%2）；如果程序崩溃，本次测试的测量数据将会丢失。</translation>
    </message>
    <message>
        <source>the folder cannot be created</source>
        <translation>无法创建该文件夹</translation>
    </message>
    <message>
        <source>too many journals of the same second</source>
        <translation>同一秒内创建的运行日志过多</translation>
    </message>
    <message>
        <source>Could not open the journal %1: %2.</source>
        <translation>无法打开运行日志 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is not a Tokenstorm journal, or one this version cannot read; it was kept.</source>
        <translation>%1 不是 Tokenstorm 运行日志，或者是当前版本无法读取的日志；该文件已保留。</translation>
    </message>
    <message>
        <source>Line %1 of the journal %2 is damaged, so it cannot be recovered; it was kept.</source>
        <translation>运行日志 %2 的第 %1 行已损坏，无法恢复；该文件已保留。</translation>
    </message>
</context>
<context>
    <name>ts::RunOutcome</name>
    <message>
        <source>Every request failed. The first error: %1</source>
        <translation>所有请求都失败了。第一个错误：%1</translation>
    </message>
</context>
<context>
    <name>ts::RunPanel</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start the test with the settings on the left.</source>
        <translation>按左侧的设置开始测试。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop sending; the requests measured so far are kept and shown.</source>
        <translation>停止发送请求；已测得的数据会保留并显示。</translation>
    </message>
    <message>
        <source>In flight:</source>
        <translation>进行中：</translation>
    </message>
    <message>
        <source>Requests sent and still streaming their answer.</source>
        <translation>已发出、仍在接收回答的请求。</translation>
    </message>
    <message>
        <source>Waiting:</source>
        <translation>等待中：</translation>
    </message>
    <message>
        <source>Requests that are due but wait for a free slot under the maximum concurrency.</source>
        <translation>已到发送时间、但因最大并发限制而等待空闲槽位的请求。</translation>
    </message>
    <message>
        <source>Succeeded:</source>
        <translation>成功：</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>失败：</translation>
    </message>
    <message>
        <source>%1 / %2 requests</source>
        <translation>%1 / %2 个请求</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>Preparing: starting the demo server, checking the model and building the prompts…</source>
        <translation>准备中：正在启动演示服务器、确认模型并生成提示词…</translation>
    </message>
    <message>
        <source>Warming up…</source>
        <translation>预热中…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Stopping: waiting for the requests in flight to end…</source>
        <translation>正在停止：等待进行中的请求结束…</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>Ready. Press Start.</source>
        <translation>就绪。请按“开始”。</translation>
    </message>
    <message>
        <source>Sweep level %1 of %2: %3.</source>
        <translation>递增测试第 %1/%2 档：%3。</translation>
    </message>
    <message>
        <source>Reading the dataset: %1%</source>
        <translation>正在读取数据集：%1%</translation>
    </message>
</context>
<context>
    <name>ts::RunPipeline</name>
    <message>
        <source>The tokenizer “%1” cannot be used: %2</source>
        <translation>无法使用分词器“%1”：%2</translation>
    </message>
    <message>
        <source>The dataset could not be read.</source>
        <translation>无法读取数据集。</translation>
    </message>
    <message>
        <source>The dataset gave no prompts.</source>
        <translation>数据集未提供任何提示词。</translation>
    </message>
    <message>
        <source>No model was given, and the server's model list is not available: %1</source>
        <translation>未指定模型，且无法获取服务器的模型列表：%1</translation>
    </message>
    <message>
        <source>No model was given, and the server lists none. Name the model to test.</source>
        <translation>未指定模型，且服务器未列出任何模型。请指定要测试的模型名称。</translation>
    </message>
    <message>
        <source>Prompt lengths are estimates; give a tokenizer for exact ones.</source>
        <translation>提示词长度为估算值；指定分词器可得到精确长度。</translation>
    </message>
    <message>
        <source>The server's API has no tokenize endpoint. %1</source>
        <translation>服务器的 API 没有 tokenize 接口。%1</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 does not apply the chat template. %2</source>
        <translation>服务器的 tokenize 接口 %1 不会套用对话模板。%2</translation>
    </message>
    <message>
        <source>it counted no tokens in a word</source>
        <translation>对一个单词统计出的 token 数为 0</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 is not available (%2). %3</source>
        <translation>服务器的 tokenize 接口 %1 不可用（%2）。%3</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 failed (%2). %3</source>
        <translation>服务器的 tokenize 接口 %1 调用失败（%2）。%3</translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s) missed their length by %1 tokens in all, as the server counts them.</source>
        <translation>
            <numerusform>按服务器的计数，有 %n 个提示词与设定长度不符，合计相差 %1 个 token。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::SaveFile</name>
    <message>
        <source>Could not write %1 in %2: %3.</source>
        <translation>无法在 %2 中写入 %1：%3。</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>a folder has that name</source>
        <translation>已存在同名文件夹</translation>
    </message>
</context>
<context>
    <name>ts::Scenarios</name>
    <message>
        <source>Basic function test</source>
        <translation>基础功能测试</translation>
    </message>
    <message>
        <source>Checks that the server answers at all: 10 requests, 100 input and 50 output tokens, sent at once.</source>
        <translation>验证服务器能否正常响应：10 个请求，输入 100、输出 50 个 token，一次性发出。</translation>
    </message>
    <message>
        <source>Performance baseline</source>
        <translation>性能基准测试</translation>
    </message>
    <message>
        <source>Sets a reference to compare later changes with: 1000 requests, 512 input and 128 output tokens, sent at once.</source>
        <translation>建立性能基准线，供以后的改动对比：1000 个请求，输入 512、输出 128 个 token，一次性发出。</translation>
    </message>
    <message>
        <source>Concurrency stress test</source>
        <translation>并发压力测试</translation>
    </message>
    <message>
        <source>Shows how the server copes with many users: 1000 requests at 50 per second, at most 100 at a time, 512 input and 128 output tokens.</source>
        <translation>测试服务器应对大量用户的能力：1000 个请求，每秒 50 个，最多同时 100 个，输入 512、输出 128 个 token。</translation>
    </message>
    <message>
        <source>Realistic scenario</source>
        <translation>真实场景测试</translation>
    </message>
    <message>
        <source>Imitates everyday use: 500 requests arriving at 10 per second. With random prompts their lengths vary around 256 tokens; choose ShareGPT conversations as the dataset to replay real chats, as the guide does.</source>
        <translation>模拟日常使用：500 个请求以每秒 10 个的速度到达。使用随机提示词时长度在 256 个 token 上下浮动；如需像指南那样回放真实对话，请将数据集选为 ShareGPT 对话。</translation>
    </message>
</context>
<context>
    <name>ts::SecretStore</name>
    <message>
        <source>The API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>The extra headers</source>
        <translation>附加请求头</translation>
    </message>
    <message>
        <source>The user name and password of the server address</source>
        <translation>服务器地址中的用户名和密码</translation>
    </message>
    <message>
        <source>%1 could not be read from the system keychain: %2</source>
        <translation>无法从系统钥匙串读取%1：%2</translation>
    </message>
    <message>
        <source>%1 could not be saved in the system keychain: %2</source>
        <translation>无法将%1保存到系统钥匙串：%2</translation>
    </message>
    <message>
        <source>%1 could not be removed from the system keychain: %2</source>
        <translation>无法从系统钥匙串中删除%1：%2</translation>
    </message>
</context>
<context>
    <name>ts::ServerMetricsView</name>
    <message>
        <source>During a run, the server's own numbers appear here: requests running and waiting, KV-cache use, prompt and generation tokens/s, read once a second from its Prometheus /metrics page.</source>
        <translation>运行期间，这里显示服务器自己报告的数字：运行中和等待中的请求、KV 缓存占用、提示词和生成 token/s，每秒从它的 Prometheus /metrics 页面读取一次。</translation>
    </message>
    <message>
        <source>Watching the server's metrics is off. Tick “Watch the server's /metrics” under “Server to test” to chart them during the next run.</source>
        <translation>未开启服务器指标监视。在“被测服务器”中勾选“监视服务器的 /metrics”，下次运行时即可绘制。</translation>
    </message>
    <message>
        <source>Asking %1 for the server's metrics…</source>
        <translation>正在向 %1 请求服务器指标…</translation>
    </message>
    <message>
        <source>requests running and waiting</source>
        <translation>运行中和等待中的请求</translation>
    </message>
    <message>
        <source>KV-cache use</source>
        <translation>KV 缓存占用</translation>
    </message>
    <message>
        <source>generation tokens/s</source>
        <translation>生成 token/s</translation>
    </message>
    <message>
        <source>prompt tokens/s</source>
        <translation>提示词 token/s</translation>
    </message>
    <message>
        <source>Server: %1, read from %2 once a second. Solid lines are the server's own numbers; dashed grey lines are what Tokenstorm measured as the client.</source>
        <translation>服务器：%1，每秒从 %2 读取一次。实线是服务器自己报告的数字；灰色虚线是 Tokenstorm 作为客户端测得的数字。</translation>
    </message>
    <message>
        <source>This server does not publish: %1.</source>
        <translation>该服务器未提供：%1。</translation>
    </message>
    <message>
        <source>That is fine: the run is not affected, and the Live tab shows what the client measured.</source>
        <translation>这没有问题：测试不受影响，“实时”页显示客户端测得的数据。</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>时间 (s)</translation>
    </message>
    <message>
        <source>Requests at the server</source>
        <translation>服务器上的请求</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Running (server)</source>
        <translation>运行中（服务器）</translation>
    </message>
    <message>
        <source>Waiting (server)</source>
        <translation>等待中（服务器）</translation>
    </message>
    <message>
        <source>Running + waiting</source>
        <translation>运行中 + 等待中</translation>
    </message>
    <message>
        <source>In flight (client)</source>
        <translation>进行中（客户端）</translation>
    </message>
    <message>
        <source>Generated tokens per second</source>
        <translation>每秒生成 token 数</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>token/s</translation>
    </message>
    <message>
        <source>Generation tokens/s (server)</source>
        <translation>生成 token/s（服务器）</translation>
    </message>
    <message>
        <source>Output tokens/s (client)</source>
        <translation>输出 token/s（客户端）</translation>
    </message>
    <message>
        <source>Used (%)</source>
        <translation>占用 (%)</translation>
    </message>
    <message>
        <source>KV cache used (server)</source>
        <translation>KV 缓存占用（服务器）</translation>
    </message>
    <message>
        <source>Prompt tokens processed per second</source>
        <translation>每秒处理的提示词 token 数</translation>
    </message>
    <message>
        <source>Prompt tokens/s (server)</source>
        <translation>提示词 token/s（服务器）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
</context>
<context>
    <name>ts::ServerSnapshot</name>
    <message>
        <source>built-in server</source>
        <translation>内置服务器</translation>
    </message>
    <message>
        <source>unknown server</source>
        <translation>未知服务器</translation>
    </message>
</context>
<context>
    <name>ts::ServerTokenizer</name>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
    <message>
        <source>The server's API has no tokenize endpoint.</source>
        <translation>服务器的 API 没有 tokenize 接口。</translation>
    </message>
    <message>
        <source>%1 answered with no token count.</source>
        <translation>%1 的响应中没有 token 数。</translation>
    </message>
</context>
<context>
    <name>ts::SimPresets</name>
    <message>
        <source>Fixed latency for checking the client: first token after 100 ms, then one every 50 ms.</source>
        <translation>用于检验客户端的固定延迟：100 ms 后输出首个 token，之后每 50 ms 一个。</translation>
    </message>
    <message>
        <source>A fast GPU server: 256 sequences, prefill 20000 tokens/s, step 12 ms + 0.08 ms per sequence.</source>
        <translation>高速 GPU 服务器：256 个序列，预填充 20000 token/s，每步 12 ms + 每序列 0.08 ms。</translation>
    </message>
    <message>
        <source>A smaller GPU server: 64 sequences, prefill 8000 tokens/s, step 20 ms + 0.25 ms per sequence.</source>
        <translation>较小的 GPU 服务器：64 个序列，预填充 8000 token/s，每步 20 ms + 每序列 0.25 ms。</translation>
    </message>
    <message>
        <source>A small CPU server like llama.cpp: 4 slots, prefill 300 tokens/s, step 40 ms + 8 ms per sequence.</source>
        <translation>类似 llama.cpp 的小型 CPU 服务器：4 个槽位，预填充 300 token/s，每步 40 ms + 每序列 8 ms。</translation>
    </message>
    <message>
        <source>A server that saturates early: 16 slots, so a concurrency sweep finds its knee near 16.</source>
        <translation>较早饱和的服务器：16 个槽位，并发递增测试会在 16 附近找到拐点。</translation>
    </message>
    <message>
        <source>A slow server to watch by eye: 4 slots, prefill 640 tokens/s, step 180 ms + 10 ms per sequence; a fifth request waits for a slot.</source>
        <translation>可用肉眼观察的慢速服务器：4 个槽位，预填充 640 token/s，每步 180 ms + 每序列 10 ms；第 5 个请求需等待空闲槽位。</translation>
    </message>
</context>
<context>
    <name>ts::SimServer</name>
    <message>
        <source>Could not find the address of %1.</source>
        <translation>找不到 %1 的地址。</translation>
    </message>
    <message>
        <source>Could not listen on %1 port %2: %3</source>
        <translation>无法在 %1 的端口 %2 上监听：%3</translation>
    </message>
</context>
<context>
    <name>ts::SimServerConfig</name>
    <message>
        <source>The model name must not be empty.</source>
        <translation>模型名称不能为空。</translation>
    </message>
    <message>
        <source>The listen backlog must be at least 1.</source>
        <translation>监听队列长度至少为 1。</translation>
    </message>
    <message>
        <source>The maximum model length must be at least 2 tokens.</source>
        <translation>最大模型长度至少为 2 个 token。</translation>
    </message>
    <message>
        <source>The default number of output tokens must be at least 1.</source>
        <translation>默认输出 token 数至少为 1。</translation>
    </message>
    <message>
        <source>The end-of-sequence probability must be at least 0 and below 1.</source>
        <translation>结束符概率必须大于等于 0 且小于 1。</translation>
    </message>
    <message>
        <source>The jitter must be at least 0 and below 1.</source>
        <translation>抖动必须大于等于 0 且小于 1。</translation>
    </message>
    <message>
        <source>The time to first token must not be negative.</source>
        <translation>首 token 时间不能为负数。</translation>
    </message>
    <message>
        <source>The inter-token latency must not be negative.</source>
        <translation>token 间延迟不能为负数。</translation>
    </message>
    <message>
        <source>The number of sequence slots must be at least 1.</source>
        <translation>序列槽位数至少为 1。</translation>
    </message>
    <message>
        <source>The tokens per step must be at least the number of sequence slots.</source>
        <translation>每步 token 数不能少于序列槽位数。</translation>
    </message>
    <message>
        <source>The prefill speed must be above 0 tokens per second.</source>
        <translation>预填充速度必须大于每秒 0 个 token。</translation>
    </message>
    <message>
        <source>Step times must not be negative.</source>
        <translation>步长时间不能为负数。</translation>
    </message>
    <message>
        <source>A decode step must take some time.</source>
        <translation>解码步骤的耗时必须大于 0。</translation>
    </message>
    <message>
        <source>The KV cache must hold at least one sequence of the maximum model length.</source>
        <translation>KV 缓存至少要能容纳一个最大模型长度的序列。</translation>
    </message>
    <message>
        <source>Timeouts must be above 0 seconds.</source>
        <translation>超时时间必须大于 0 秒。</translation>
    </message>
    <message>
        <source>The request body limit must be at least 1024 bytes.</source>
        <translation>请求体大小上限不能小于 1024 字节。</translation>
    </message>
    <message>
        <source>The number of reasoning tokens cannot be negative.</source>
        <translation>推理 token 数不能为负数。</translation>
    </message>
</context>
<context>
    <name>ts::StreamCollector</name>
    <message>
        <source>The server answered but generated no text.</source>
        <translation>服务器已响应，但没有生成任何文本。</translation>
    </message>
    <message>
        <source>The server sent a line longer than %1 MB without ending it; the request was stopped.</source>
        <translation>服务器发送的一行数据超过 %1 MB 仍未结束；已中止该请求。</translation>
    </message>
    <message>
        <source>The server sent an event longer than %1 MB without ending it; the request was stopped.</source>
        <translation>服务器发送的一个事件超过 %1 MB 仍未结束；已中止该请求。</translation>
    </message>
    <message>
        <source>The server sent invalid UTF-8 at byte %1 of the stream; the request was stopped.</source>
        <translation>服务器在数据流的第 %1 字节处发送了无效的 UTF-8；已中止该请求。</translation>
    </message>
    <message>
        <source>The reply grew past %1 million characters or %2 million chunks; the request was stopped.</source>
        <translation>回复已超过 %1M 个字符或 %2M 个数据块，已停止该请求。</translation>
    </message>
    <message>
        <source>The server answered with an empty body.</source>
        <translation>服务器返回了空的响应体。</translation>
    </message>
</context>
<context>
    <name>ts::Summary</name>
    <message>
        <source>Output tokens are estimates (server sent no usage)</source>
        <translation>输出 token 数为估计值（服务器未返回 usage）</translation>
    </message>
    <message>
        <source>The run was stopped before all requests finished</source>
        <translation>测试在所有请求完成前被停止</translation>
    </message>
</context>
<context>
    <name>ts::SummaryView</name>
    <message>
        <source>In the layout of vLLM's benchmark, with its English labels, so the numbers can be compared line by line.</source>
        <translation>采用 vLLM 基准测试的排版和英文标签，便于逐行对比数据。</translation>
    </message>
    <message>
        <source>No result yet. Press Start to run a test, or open a result file (File ▸ Open result).</source>
        <translation>还没有结果。按“开始”运行测试，或打开结果文件（文件 ▸ 打开结果）。</translation>
    </message>
    <message>
        <source>unknown date</source>
        <translation>日期未知</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>模型未知</translation>
    </message>
    <message>
        <source>Result file %1 (model %2, %3).</source>
        <translation>结果文件 %1（模型 %2，%3）。</translation>
    </message>
    <message>
        <source>Run of %1 against %2, model %3.</source>
        <translation>%1 对 %2 的测试，模型 %3。</translation>
    </message>
    <message>
        <source>It was stopped early: %1 of %2 requests finished.</source>
        <translation>测试被提前停止：%2 个请求中完成了 %1 个。</translation>
    </message>
    <message>
        <source>Summary and rating</source>
        <translation>汇总与评级</translation>
    </message>
    <message>
        <source>Mean: the average of the values.</source>
        <translation>平均值：所有值的算术平均。</translation>
    </message>
    <message>
        <source>Median: half of the values are below it, half above.</source>
        <translation>中位数：一半的值低于它，一半高于它。</translation>
    </message>
    <message>
        <source>Std: how widely the values spread around the mean.</source>
        <translation>标准差：各值围绕平均值的分散程度。</translation>
    </message>
    <message>
        <source>P%1: %1 % of the values are at or below it.</source>
        <translation>P%1：%1% 的值小于或等于它。</translation>
    </message>
    <message>
        <source>Click to mark the requests behind this value.</source>
        <translation>点击以标出与此值对应的请求。</translation>
    </message>
    <message>
        <source>New to load testing? Follow the guide's three exercises on the built-in server, or read what each metric means.</source>
        <translation>第一次做压测？在内置模拟服务器上跟着指南做三个实战练习，或者先看看每个指标的含义。</translation>
    </message>
    <message>
        <source>Guided exercises</source>
        <translation>实战练习</translation>
    </message>
    <message>
        <source>Metrics glossary</source>
        <translation>指标术语表</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>Load: ramp up from %1 to %2 req/s, %3.</source>
        <translation>负载：逐步加压，从 %1 到 %2 req/s（%3）。</translation>
    </message>
    <message>
        <source>Load: %1 req/s.</source>
        <translation>负载：%1 req/s。</translation>
    </message>
    <message>
        <source>Load: all requests released at once.</source>
        <translation>负载：全部请求同时发出。</translation>
    </message>
    <message>
        <source>Limited to %1 s; requests still running then were cancelled.</source>
        <translation>限时 %1 s；届时仍在进行的请求已被取消。</translation>
    </message>
    <message>
        <source>Limited to %1 s; requests still running then were let finish.</source>
        <translation>限时 %1 s；届时仍在进行的请求继续运行至完成。</translation>
    </message>
    <message>
        <source>Load: a trace replayed at its recorded times × %1.</source>
        <translation>负载：按记录的时间回放轨迹，时间缩放 × %1。</translation>
    </message>
    <message>
        <source>An embeddings run: the server returns vectors, not generated tokens, so it is measured by its end-to-end latency (E2EL) and its request and input throughput.</source>
        <translation>向量嵌入（embeddings）测试：服务器返回的是向量而不是生成的 token，因此以端到端延迟（E2EL）以及请求吞吐量和输入吞吐量来衡量。</translation>
    </message>
</context>
<context>
    <name>ts::Sweep</name>
    <message>
        <source>The dataset gave no prompts.</source>
        <translation>数据集没有生成任何提示词。</translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation>%1 请求/秒</translation>
    </message>
    <message>
        <source>concurrency %1</source>
        <translation>并发 %1</translation>
    </message>
    <message>
        <source>the success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>the p99 TTFT limit</source>
        <translation>P99 首 token 时间限值</translation>
    </message>
    <message>
        <source>the p99 TPOT limit</source>
        <translation>P99 每输出 token 时间限值</translation>
    </message>
    <message>
        <source>the p99 E2EL limit</source>
        <translation>P99 端到端延迟限值</translation>
    </message>
    <message>
        <source>the throughput plateau</source>
        <translation>吞吐量不再增长</translation>
    </message>
    <message>
        <source>the server's KV cache</source>
        <translation>服务器的 KV 缓存</translation>
    </message>
    <message>
        <source>the server's request queue</source>
        <translation>服务器的请求队列</translation>
    </message>
    <message>
        <source>requests waiting for the server</source>
        <translation>请求在等待服务器</translation>
    </message>
    <message>
        <source>only %1% of requests succeeded (the limit is %2%)</source>
        <translation>只有 %1% 的请求成功（限值为 %2%）</translation>
    </message>
    <message>
        <source>p99 time to first token was %1 ms (the limit is %2 ms)</source>
        <translation>P99 首 token 时间为 %1 ms（限值为 %2 ms）</translation>
    </message>
    <message>
        <source>p99 time per output token was %1 ms (the limit is %2 ms)</source>
        <translation>P99 每输出 token 时间为 %1 ms（限值为 %2 ms）</translation>
    </message>
    <message>
        <source>p99 end-to-end latency was %1 ms (the limit is %2 ms)</source>
        <translation>P99 端到端延迟为 %1 ms（限值为 %2 ms）</translation>
    </message>
    <message>
        <source>output throughput fell by %1% below the best earlier level (a gain of %2% was needed)</source>
        <translation>输出吞吐量比此前最好的档位下降了 %1%（需要至少提升 %2%）</translation>
    </message>
    <message>
        <source>output throughput rose by only %1% over the best earlier level (the limit is %2%)</source>
        <translation>输出吞吐量比此前最好的档位只提升了 %1%（限值为 %2%）</translation>
    </message>
    <message>
        <source>First limit reached: the server's own request queue, at %1. The server ran at most %2 requests at once; the others waited in its queue (about %3 at a time).</source>
        <translation>最先触及的极限：服务器自身的请求队列，出现在%1。服务器同时最多处理 %2 个请求，其余请求在它的队列中等待（通常约 %3 个）。</translation>
    </message>
    <message>
        <source>First limit reached: the server's KV cache, at %1, where it was %2% full.</source>
        <translation>最先触及的极限：服务器的 KV 缓存，出现在%1，此时已占用 %2%。</translation>
    </message>
    <message>
        <source>First limit reached at %1: about %2 requests were in flight, but only about %3 were generating at once on average; the others waited for their first token. (The client's estimate: the server publishes no metrics.)</source>
        <translation>最先触及的极限出现在%1：平均约有 %2 个请求在途，但同时在生成的只有约 %3 个，其余请求在等待第一个 token。（客户端估算：服务器未提供指标。）</translation>
    </message>
    <message>
        <source>First limit reached: %1, at %2.</source>
        <translation>最先触及的极限：%1，出现在%2。</translation>
    </message>
    <message>
        <source>Highest stable request rate: %1 requests/s.</source>
        <translation>最高稳定请求速率：%1 请求/秒。</translation>
    </message>
    <message>
        <source>Highest stable concurrency: %1.</source>
        <translation>最大稳定并发数：%1。</translation>
    </message>
    <message>
        <source>No level was stable.</source>
        <translation>没有任何档位是稳定的。</translation>
    </message>
    <message>
        <source>Every level stayed within the limits; the server may hold more than %1.</source>
        <translation>所有档位都在限值之内；服务器可能承受得了超过%1 的负载。</translation>
    </message>
    <message>
        <source>You stopped the sweep during %1; the finished levels are kept.</source>
        <translation>你在%1 时停止了测试；已完成的档位均已保留。</translation>
    </message>
    <message>
        <source>You stopped the sweep; the finished levels are kept.</source>
        <translation>你停止了测试；已完成的档位均已保留。</translation>
    </message>
    <message>
        <source>The sweep stopped at %1 because the run could not go on: %2</source>
        <translation>测试在%1 时停止，因为无法继续运行：%2</translation>
    </message>
    <message>
        <source>The sweep stopped at %1: %2.</source>
        <translation>测试在%1 时停止：%2。</translation>
    </message>
    <message>
        <source>The first level past a limit was %1: %2.</source>
        <translation>第一个超出限值的档位是%1：%2。</translation>
    </message>
    <message>
        <source>Peak output throughput: %1 tokens/s, at %2.</source>
        <translation>峰值输出吞吐量：%1 token/秒，出现在%2。</translation>
    </message>
    <message>
        <source>The knee is at %1: it already reached %2% of the peak throughput. Beyond it, more load mostly adds waiting time.</source>
        <translation>拐点在%1：此时已达到峰值吞吐量的 %2%。超过拐点后，增加负载主要只会增加等待时间。</translation>
    </message>
    <message>
        <source>No knee yet: throughput was still rising at the last level.</source>
        <translation>尚未出现拐点：到最后一个档位时吞吐量仍在上升。</translation>
    </message>
    <message>
        <source>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</source>
        <translation>扩展效率：在拐点之前，请求速率每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）；拐点之后为 %2%。</translation>
    </message>
    <message>
        <source>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</source>
        <translation>并发效率：在拐点之前，并发每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）；拐点之后为 %2%。</translation>
    </message>
    <message>
        <source>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>扩展效率：在拐点之前，请求速率每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）。</translation>
    </message>
    <message>
        <source>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>并发效率：在拐点之前，并发每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）。</translation>
    </message>
    <message>
        <source>Scaling: each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>扩展效率：请求速率每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）。</translation>
    </message>
    <message>
        <source>Concurrency efficiency: each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>并发效率：并发每翻一倍，输出吞吐量平均提升 %1%（理想值为 100%）。</translation>
    </message>
    <message>
        <source>No limit was reached.</source>
        <translation>没有触及任何极限。</translation>
    </message>
    <message>
        <source>%1 is not a sweep summary.</source>
        <translation>%1 不是递增测试汇总文件。</translation>
    </message>
    <message>
        <source>%1 has a level that cannot be read.</source>
        <translation>%1 中有无法读取的档位。</translation>
    </message>
    <message>
        <source>Could not open %1: %2.</source>
        <translation>无法打开 %1：%2。</translation>
    </message>
    <message>
        <source>Every level up to %1 kept to the stop rules, but the server reached a limit on the way (below).</source>
        <translation>直到%1为止的所有档位都符合停止规则，但服务器在此过程中已触及某项极限（见下方）。</translation>
    </message>
</context>
<context>
    <name>ts::SweepCharts</name>
    <message>
        <source>Request rate (req/s)</source>
        <translation>请求速率 (req/s)</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>P99</source>
        <translation>P99</translation>
    </message>
    <message>
        <source>Throughput against request rate</source>
        <translation>吞吐量随请求速率的变化</translation>
    </message>
    <message>
        <source>Throughput against concurrency</source>
        <translation>吞吐量随并发的变化</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>输出 tok/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>输出 token/s</translation>
    </message>
    <message>
        <source>Time to first token against request rate</source>
        <translation>首 token 时间随请求速率的变化</translation>
    </message>
    <message>
        <source>Time to first token against concurrency</source>
        <translation>首 token 时间随并发的变化</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>Time per output token against request rate</source>
        <translation>每输出 token 时间随请求速率的变化</translation>
    </message>
    <message>
        <source>Time per output token against concurrency</source>
        <translation>每输出 token 时间随并发的变化</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>End-to-end latency against request rate</source>
        <translation>端到端延迟随请求速率的变化</translation>
    </message>
    <message>
        <source>End-to-end latency against concurrency</source>
        <translation>端到端延迟随并发的变化</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL (ms)</translation>
    </message>
    <message>
        <source>p99 limit</source>
        <translation>p99 上限</translation>
    </message>
    <message>
        <source>Latency against throughput</source>
        <translation>延迟与吞吐量的关系</translation>
    </message>
    <message>
        <source>Median E2EL</source>
        <translation>E2EL 中位数</translation>
    </message>
    <message>
        <source>P99 E2EL</source>
        <translation>P99 E2EL</translation>
    </message>
    <message>
        <source>Success rate against request rate</source>
        <translation>成功率随请求速率的变化</translation>
    </message>
    <message>
        <source>Success rate against concurrency</source>
        <translation>成功率随并发的变化</translation>
    </message>
    <message>
        <source>Succeeded (%)</source>
        <translation>成功 (%)</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Lowest allowed</source>
        <translation>允许的最低值</translation>
    </message>
    <message>
        <source>Knee: %1</source>
        <translation>拐点：%1</translation>
    </message>
    <message>
        <source>Knee</source>
        <translation>拐点</translation>
    </message>
    <message>
        <source>Highest stable: %1</source>
        <translation>最高稳定档位：%1</translation>
    </message>
    <message>
        <source>Highest stable</source>
        <translation>最高稳定档位</translation>
    </message>
    <message>
        <source>knee (%1)</source>
        <translation>拐点（%1）</translation>
    </message>
    <message>
        <source>knee, highest stable (%1)</source>
        <translation>拐点、最高稳定档位（%1）</translation>
    </message>
    <message>
        <source>highest stable (%1)</source>
        <translation>最高稳定档位（%1）</translation>
    </message>
    <message>
        <source>Each point is a level, labelled with its %1. Along the curve, throughput first grows at little cost in latency; past the knee, latency climbs while throughput stays put.</source>
        <translation>每个点是一个档位，标注其%1。沿着曲线，吞吐量起初增长而延迟几乎不变；过了拐点，延迟上升而吞吐量不再增长。</translation>
    </message>
    <message>
        <source>request rate</source>
        <translation>请求速率</translation>
    </message>
    <message>
        <source>concurrency</source>
        <translation>并发数</translation>
    </message>
</context>
<context>
    <name>ts::SweepConfig</name>
    <message>
        <source>Concurrency levels must be whole numbers of at least 1, not “%1”.</source>
        <translation>并发档位必须是不小于 1 的整数，而不是“%1”。</translation>
    </message>
    <message>
        <source>Request rates must be positive numbers of requests per second, not “%1”.</source>
        <translation>请求速率必须是正数（每秒请求数），而不是“%1”。</translation>
    </message>
    <message>
        <source>The sweep needs at least one level.</source>
        <translation>测试至少需要一个档位。</translation>
    </message>
    <message>
        <source>The levels must rise from one to the next (%1 follows %2).</source>
        <translation>档位必须逐个递增（%2 之后是 %1）。</translation>
    </message>
    <message>
        <source>Each level needs at least one request.</source>
        <translation>每个档位至少需要一个请求。</translation>
    </message>
    <message>
        <source>The requests-per-level multiplier must be a positive number.</source>
        <translation>每档请求数的倍数必须是正数。</translation>
    </message>
    <message>
        <source>The success-rate limit must lie between 0 and 100 percent.</source>
        <translation>成功率限值必须在 0 到 100% 之间。</translation>
    </message>
    <message>
        <source>Latency limits must be positive numbers of milliseconds.</source>
        <translation>延迟限值必须是正的毫秒数。</translation>
    </message>
    <message>
        <source>The throughput-gain limit cannot be negative.</source>
        <translation>吞吐量提升限值不能为负数。</translation>
    </message>
    <message>
        <source>The metrics address “%1” is not a valid URL.</source>
        <translation>指标地址“%1”不是有效的 URL。</translation>
    </message>
    <message>
        <source>A sweep sends single prompts: multi-turn conversations are not available in a sweep.</source>
        <translation>递增测试发送的是单条提示词：递增测试中不支持多轮对话。</translation>
    </message>
</context>
<context>
    <name>ts::SweepForm</name>
    <message numerus="yes">
        <source>%n level(s), %1 requests at most: %2.</source>
        <translation>
            <numerusform>%n 个档位，最多 %1 个请求：%2。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is a file, not a folder.</source>
        <translation>“%1”是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Folder for the sweep's result files</source>
        <translation>递增测试结果文件的文件夹</translation>
    </message>
    <message>
        <source>Sweep: find the server's limit</source>
        <translation>递增测试：找到服务器的极限</translation>
    </message>
    <message>
        <source>Start runs</source>
        <translation>“开始”运行</translation>
    </message>
    <message>
        <source>A single run</source>
        <translation>单次测试</translation>
    </message>
    <message>
        <source>A concurrency sweep</source>
        <translation>并发递增测试</translation>
    </message>
    <message>
        <source>A request-rate sweep</source>
        <translation>请求速率递增测试</translation>
    </message>
    <message>
        <source>What Start runs</source>
        <translation>“开始”运行什么</translation>
    </message>
    <message>
        <source>A single run uses the Load group's numbers. A concurrency sweep is the guide's recommended method 1: it runs the test again and again at rising maximum concurrency (1, 5, 10, 20, 50, …), each level a full run, and stops at the first level where the server degrades. It answers how many users at once the server holds, and where its knee is. A request-rate sweep is method 2: rising request rates under the Load group's concurrency cap, like traffic that grows.</source>
        <translation>单次测试使用“负载”组中的数值。并发递增测试即指南推荐的方法一：以逐步升高的最大并发（1、5、10、20、50……）反复测试，每个档位都是一次完整测试，在服务器性能开始下降的第一个档位停止。它回答服务器能同时承载多少用户、拐点在哪里。请求速率递增测试即方法二：在“负载”组的并发上限下逐步提高请求速率，模拟不断增长的流量。</translation>
    </message>
    <message>
        <source>One run with the numbers of the Load group.</source>
        <translation>使用“负载”组数值的一次测试。</translation>
    </message>
    <message>
        <source>Each level sets the maximum concurrency and the number of requests, and releases all of them at once (rate inf); the Load group's requests, rate and concurrency are not used. The result appears level by level in the Sweep tab.</source>
        <translation>每个档位设定最大并发和请求数，并一次性放出全部请求（速率 inf）；不使用“负载”组中的请求数、速率和并发。结果逐档显示在“递增测试”页。</translation>
    </message>
    <message>
        <source>Each level sets the request rate and the number of requests; the Load group's maximum concurrency caps every level. The result appears level by level in the Sweep tab.</source>
        <translation>每个档位设定请求速率和请求数；“负载”组的最大并发限制每个档位。结果逐档显示在“递增测试”页。</translation>
    </message>
    <message>
        <source>Request rates</source>
        <translation>请求速率</translation>
    </message>
    <message>
        <source>Concurrency levels</source>
        <translation>并发档位</translation>
    </message>
    <message>
        <source>e.g. 1, 2, 5, 10, 20</source>
        <translation>例如 1, 2, 5, 10, 20</translation>
    </message>
    <message>
        <source>e.g. 1, 5, 10, 20, 50, 100</source>
        <translation>例如 1, 5, 10, 20, 50, 100</translation>
    </message>
    <message>
        <source>Request rates (--request-rates)</source>
        <translation>请求速率 (--request-rates)</translation>
    </message>
    <message>
        <source>The request rate of each level in requests per second, rising, separated by commas or spaces. Pick rates around the traffic you expect, and a few beyond it.</source>
        <translation>每个档位的请求速率（请求/秒），逐档升高，用逗号或空格分隔。请选取预期流量附近的速率，再加几个超出预期的。</translation>
    </message>
    <message>
        <source>Concurrency levels (--concurrency-levels)</source>
        <translation>并发档位 (--concurrency-levels)</translation>
    </message>
    <message>
        <source>The maximum concurrency of each level, rising, separated by commas or spaces. The guide's loop uses 1 5 10 20 50 100 200 500. Closer steps around the expected limit place the knee more precisely.</source>
        <translation>每个档位的最大并发，逐档升高，用逗号或空格分隔。指南中的循环使用 1 5 10 20 50 100 200 500。在预期极限附近把档位设得更密，能更准确地定位拐点。</translation>
    </message>
    <message>
        <source>Requests per level</source>
        <translation>每档请求数</translation>
    </message>
    <message>
        <source> × rate</source>
        <translation> × 速率</translation>
    </message>
    <message>
        <source> × concurrency</source>
        <translation> × 并发</translation>
    </message>
    <message>
        <source>Requests per level (--prompts-per-level-multiplier)</source>
        <translation>每档请求数 (--prompts-per-level-multiplier)</translation>
    </message>
    <message>
        <source>Each level sends this many times its rate in requests, about this many seconds of arrivals, so that the server reaches a steady state. Default 30.</source>
        <translation>每个档位发送的请求数为其速率的这么多倍，即大约这么多秒的到达量，使服务器进入稳定状态。默认 30。</translation>
    </message>
    <message>
        <source>Each level sends this many times its concurrency in requests, so that every slot serves several requests and the numbers settle. The guide suggests 5–10 times the concurrency. Default 5.</source>
        <translation>每个档位发送的请求数为其并发的这么多倍，使每个并发槽都处理多个请求、数据趋于稳定。指南建议为并发的 5–10 倍。默认 5。</translation>
    </message>
    <message>
        <source>At least</source>
        <translation>至少</translation>
    </message>
    <message>
        <source> requests</source>
        <translation> 个请求</translation>
    </message>
    <message>
        <source>Fewest requests in a level (--min-prompts-per-level)</source>
        <translation>每档最少请求数 (--min-prompts-per-level)</translation>
    </message>
    <message>
        <source>Low levels still send this many requests, so that their percentiles rest on a sample worth measuring. Default 50.</source>
        <translation>低档位也至少发送这么多请求，使其百分位数建立在足够的样本上。默认 50。</translation>
    </message>
    <message>
        <source>Stop rules: the sweep ends at the first level that breaks one, and the level before it is the highest stable one.</source>
        <translation>停止规则：递增测试在第一个违反任一规则的档位结束，它的前一个档位就是最高稳定档位。</translation>
    </message>
    <message>
        <source>Min. success rate</source>
        <translation>最低成功率</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Success-rate limit (--min-success-rate)</source>
        <translation>成功率下限 (--min-success-rate)</translation>
    </message>
    <message>
        <source>The guide's loop stops when fewer than 95% of the requests succeed (190 of 200): the server is past its limit and rejects requests or lets them time out.</source>
        <translation>指南中的循环在成功率低于 95%（200 个中少于 190 个）时停止：服务器已超出极限，开始拒绝请求或让请求超时。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Max. p99 TTFT</source>
        <translation>最大 p99 TTFT</translation>
    </message>
    <message>
        <source>p99 TTFT limit (--slo-p99 ttft:MS)</source>
        <translation>p99 TTFT 上限 (--slo-p99 ttft:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time to first token exceeds this: 99 of 100 users must see the answer begin within it. The guide calls under 200 ms good and over 500 ms in need of work. 0 turns the rule off.</source>
        <translation>当首 token 时间的第 99 百分位超过此值时停止：100 个用户中有 99 个必须在此时间内看到回答开始。指南认为低于 200 ms 为良好，高于 500 ms 需优化。0 表示关闭此规则。</translation>
    </message>
    <message>
        <source>Max. p99 TPOT</source>
        <translation>最大 p99 TPOT</translation>
    </message>
    <message>
        <source>p99 TPOT limit (--slo-p99 tpot:MS)</source>
        <translation>p99 TPOT 上限 (--slo-p99 tpot:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time per output token exceeds this: the answer streams too slowly. The guide calls under 100 ms good and over 200 ms in need of work. 0 turns the rule off.</source>
        <translation>当每输出 token 时间的第 99 百分位超过此值时停止：回答的输出速度太慢。指南认为低于 100 ms 为良好，高于 200 ms 需优化。0 表示关闭此规则。</translation>
    </message>
    <message>
        <source>Max. p99 E2EL</source>
        <translation>最大 p99 E2EL</translation>
    </message>
    <message>
        <source>p99 end-to-end limit (--slo-p99 e2el:MS)</source>
        <translation>p99 端到端上限 (--slo-p99 e2el:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time for the whole answer exceeds this. 0 turns the rule off.</source>
        <translation>当完整回答所需时间的第 99 百分位超过此值时停止。0 表示关闭此规则。</translation>
    </message>
    <message>
        <source>Min. throughput gain</source>
        <translation>最小吞吐量增幅</translation>
    </message>
    <message>
        <source>Throughput-plateau limit (--min-throughput-gain)</source>
        <translation>吞吐量平台期规则 (--min-throughput-gain)</translation>
    </message>
    <message>
        <source>Stop when output tokens/s rose by less than this over the best earlier level: more load no longer buys throughput, only waiting. That is the knee, the guide's “concurrency efficiency” falling to nothing. 0 turns the rule off.</source>
        <translation>当输出 token/s 比之前最好的档位提高不到此值时停止：再加负载已换不来吞吐量，只会增加等待。这就是拐点，即指南中的“并发效率”降到接近零。0 表示关闭此规则。</translation>
    </message>
    <message>
        <source>Run every level; only mark the limits</source>
        <translation>运行所有档位，只标出极限</translation>
    </message>
    <message>
        <source>Run every level (--run-all-levels)</source>
        <translation>运行所有档位 (--run-all-levels)</translation>
    </message>
    <message>
        <source>Go on past a broken rule to see the whole curve; the table and the charts still mark the levels that broke a rule.</source>
        <translation>违反规则后继续运行，以看到完整曲线；表格和图表仍会标出违反规则的档位。</translation>
    </message>
    <message>
        <source>Result folder</source>
        <translation>结果文件夹</translation>
    </message>
    <message>
        <source>optional: no files are written</source>
        <translation>可选：留空则不写文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Result folder (--result-dir)</source>
        <translation>结果文件夹 (--result-dir)</translation>
    </message>
    <message>
        <source>Where each level's result JSON and the sweep's summary JSON and CSV are written, named as the command line names them. Empty: nothing is written during the sweep; the summary can still be saved from the Sweep tab.</source>
        <translation>每个档位的结果 JSON 以及递增测试的汇总 JSON 和 CSV 写入的位置，文件名与命令行相同。留空：测试期间不写文件；之后仍可在“递增测试”页保存汇总。</translation>
    </message>
</context>
<context>
    <name>ts::SweepLevelModel</name>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>stopped by you</source>
        <translation>已被你停止</translation>
    </message>
    <message>
        <source>past the limit: %1</source>
        <translation>超出极限：%1</translation>
    </message>
    <message>
        <source>highest stable</source>
        <translation>最高稳定档位</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>稳定</translation>
    </message>
    <message>
        <source>knee</source>
        <translation>拐点</translation>
    </message>
    <message>
        <source>Rate (req/s)</source>
        <translation>速率 (req/s)</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Success %</source>
        <translation>成功率 %</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>输出 tok/s</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>请求/s</translation>
    </message>
    <message>
        <source>Gain %</source>
        <translation>增幅 %</translation>
    </message>
    <message>
        <source>TTFT median (ms)</source>
        <translation>TTFT 中位数 (ms)</translation>
    </message>
    <message>
        <source>TTFT p99 (ms)</source>
        <translation>TTFT p99 (ms)</translation>
    </message>
    <message>
        <source>TPOT median (ms)</source>
        <translation>TPOT 中位数 (ms)</translation>
    </message>
    <message>
        <source>TPOT p99 (ms)</source>
        <translation>TPOT p99 (ms)</translation>
    </message>
    <message>
        <source>E2EL median (ms)</source>
        <translation>E2EL 中位数 (ms)</translation>
    </message>
    <message>
        <source>E2EL p99 (ms)</source>
        <translation>E2EL p99 (ms)</translation>
    </message>
    <message>
        <source>Server running / waiting</source>
        <translation>服务器运行中 / 等待中</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Output tokens/s against the best earlier level. The plateau rule stops the sweep when this falls under its limit.</source>
        <translation>输出 token/s 相对之前最好档位的增幅。低于设定值时，平台期规则会停止递增测试。</translation>
    </message>
    <message>
        <source>From the server's own /metrics during the level: the most requests it ran at once, and how many waited in its queue in half the scrapes.</source>
        <translation>来自该档位期间服务器自己的 /metrics：同时运行的最多请求数，以及一半采样中队列里等待的请求数（中位数）。</translation>
    </message>
    <message>
        <source>Share of the level's requests that succeeded.</source>
        <translation>该档位中成功请求所占比例。</translation>
    </message>
</context>
<context>
    <name>ts::SweepView</name>
    <message>
        <source>There is no finished sweep to save.</source>
        <translation>没有已完成的递增测试可保存。</translation>
    </message>
    <message>
        <source>Save summary (JSON and CSV)…</source>
        <translation>保存汇总（JSON 和 CSV）…</translation>
    </message>
    <message>
        <source>The sweep's summary JSON, with the verdict and one entry per level, and a CSV with one row per level, as the command line writes them.</source>
        <translation>递增测试的汇总 JSON（含结论和每个档位的条目）以及每档一行的 CSV，格式与命令行写出的相同。</translation>
    </message>
    <message>
        <source>One row per level. The highest stable level is shaded; the verdict column names the rule a level broke.</source>
        <translation>每个档位一行。最高稳定档位带底色；“结论”列写出该档位违反的规则。</translation>
    </message>
    <message>
        <source>Request-rate sweep</source>
        <translation>请求速率递增测试</translation>
    </message>
    <message>
        <source>Concurrency sweep</source>
        <translation>并发递增测试</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>未知模型</translation>
    </message>
    <message>
        <source>No sweep yet. Under “Sweep” in the form, choose a concurrency or request-rate sweep and press Start, or open a sweep summary (File ▸ Open result).</source>
        <translation>还没有递增测试。在左侧表单的“递增测试”中选择并发或请求速率递增测试并点击“开始”，或打开一个递增测试汇总（文件 ▸ 打开结果）。</translation>
    </message>
    <message>
        <source>A sweep runs the test at rising concurrency, level by level, until the server stops keeping up. It then says how many requests at once the server holds, where its throughput peaks and where the knee is: the level beyond which more load adds waiting rather than throughput.</source>
        <translation>递增测试逐档提高并发反复测试，直到服务器跟不上为止。然后给出服务器能同时承载多少请求、吞吐量在哪里达到峰值、拐点在哪里：超过拐点后，更多负载只会增加等待而不会增加吞吐量。</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message numerus="yes">
        <source>Level %1 of %2 is running: %3, %n request(s).</source>
        <translation>
            <numerusform>正在运行第 %1/%2 档：%3，%n 个请求。</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <source>The verdict follows when the sweep ends. The charts and the table fill in as each level finishes; the Live tab shows the running level.</source>
        <translation>递增测试结束后给出结论。每完成一个档位，图表和表格就会更新；“实时”页显示正在运行的档位。</translation>
    </message>
    <message>
        <source>unknown date</source>
        <translation>未知日期</translation>
    </message>
    <message>
        <source>%1 – model %2, %3. Summary: %4</source>
        <translation>%1 – 模型 %2，%3。汇总：%4</translation>
    </message>
    <message>
        <source>%1 – model %2, %3.</source>
        <translation>%1 – 模型 %2，%3。</translation>
    </message>
    <message numerus="yes">
        <source>%n level(s) measured.</source>
        <translation>
            <numerusform>已测 %n 个档位。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>递增测试</translation>
    </message>
</context>
<context>
    <name>ts::TargetForm</name>
    <message>
        <source>Enter the server address, e.g. http://127.0.0.1:8000.</source>
        <translation>请输入服务器地址，例如 http://127.0.0.1:8000。</translation>
    </message>
    <message>
        <source>Write the address with http:// or https://, e.g. http://127.0.0.1:8000.</source>
        <translation>地址需以 http:// 或 https:// 开头，例如 http://127.0.0.1:8000。</translation>
    </message>
    <message>
        <source>The endpoint is a path that starts with “/”, e.g. %1.</source>
        <translation>端点是以“/”开头的路径，例如 %1。</translation>
    </message>
    <message>
        <source>Server to test</source>
        <translation>被测服务器</translation>
    </message>
    <message>
        <source>API type</source>
        <translation>API 类型</translation>
    </message>
    <message>
        <source>API type (--backend)</source>
        <translation>API 类型（--backend）</translation>
    </message>
    <message>
        <source>Which API the server speaks. vLLM, SGLang, llama.cpp and most other servers offer the OpenAI-compatible one; choose chat when the model needs its chat template. TGI is Hugging Face's Text Generation Inference.</source>
        <translation>服务器提供的 API。vLLM、SGLang、llama.cpp 等大多数服务器都提供 OpenAI 兼容接口；模型需要对话模板时请选择对话接口。TGI 是 Hugging Face 的 Text Generation Inference。</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>the built-in demo server</source>
        <translation>内置演示服务器</translation>
    </message>
    <message>
        <source>Server address (--base-url)</source>
        <translation>服务器地址（--base-url）</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Endpoint (--endpoint)</source>
        <translation>端点（--endpoint）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>the first model the server lists</source>
        <translation>服务器列出的第一个模型</translation>
    </message>
    <message>
        <source>Model (--model)</source>
        <translation>模型（--model）</translation>
    </message>
    <message>
        <source>The model name the server expects. Leave it empty to use the first model the server lists, or press “Fetch” to choose from its list.</source>
        <translation>服务器所需的模型名称。留空则使用服务器列出的第一个模型，也可以按“获取”从列表中选择。</translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation>获取中…</translation>
    </message>
    <message>
        <source>Fetch</source>
        <translation>获取</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>附加请求头</translation>
    </message>
    <message>
        <source>Extra headers (--header)</source>
        <translation>附加请求头（--header）</translation>
    </message>
    <message>
        <source>Accept any TLS certificate</source>
        <translation>接受任何 TLS 证书</translation>
    </message>
    <message>
        <source>Accept any TLS certificate (--insecure)</source>
        <translation>接受任何 TLS 证书（--insecure）</translation>
    </message>
    <message>
        <source>For https servers with a self-signed certificate. Leave it off for servers on the internet.</source>
        <translation>用于使用自签名证书的 https 服务器。对于互联网上的服务器请保持关闭。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Send one short request and show how long the first token and the whole answer took.</source>
        <translation>发送一个简短请求，显示首 token 和完整回答各用了多长时间。</translation>
    </message>
    <message>
        <source>The server lists %1 model(s).</source>
        <translation>服务器列出了 %1 个模型。</translation>
    </message>
    <message>
        <source>%1 answers with model “%2”: first token after %3 ms, the whole answer (%4 tokens) after %5 ms.</source>
        <translation>%1 已响应，模型“%2”：首 token 用时 %3 ms，完整回答（%4 个 token）用时 %5 ms。</translation>
    </message>
    <message>
        <source>Sent as “Authorization: Bearer …”. It is never written to result files or settings; only if you tick “Remember” is it kept, in the system keychain.</source>
        <translation>以“Authorization: Bearer …”的形式发送。绝不会写入结果文件或设置；只有勾选“保存”时，才会保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Watch the server's /metrics</source>
        <translation>监视服务器的 /metrics</translation>
    </message>
    <message>
        <source>During a run, read the server's own Prometheus metrics once a second and chart them in the Server tab: requests running and waiting, KV-cache use, prompt and generation tokens/s. vLLM, SGLang, TGI, llama.cpp (started with --metrics) and the built-in server publish them; a server without them is simply not charted.</source>
        <translation>运行期间每秒读取一次服务器自己的 Prometheus 指标，并在“服务器”页绘图：运行中和等待中的请求、KV 缓存占用、提示词和生成 token/s。vLLM、SGLang、TGI、llama.cpp（使用 --metrics 启动）和内置服务器都提供这些指标；没有这些指标的服务器只是不绘图而已。</translation>
    </message>
    <message>
        <source>Scheme, host and port of the inference server, without the path. Switch off the built-in demo server to enter your own. A user name and password in it (http://user:password@host) are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</source>
        <translation>推理服务器的协议、主机和端口，不含路径。关闭内置演示服务器后即可输入你自己的服务器。其中的用户名和密码（http://user:password@host）不会写入设置文件：只有勾选“记住凭据”时，才会保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>Remember secrets in the system keychain</source>
        <translation>在系统钥匙串中记住凭据</translation>
    </message>
    <message>
        <source>Remember secrets</source>
        <translation>记住凭据</translation>
    </message>
    <message>
        <source>The API key, the extra headers and a user name and password in the server address are never written to the settings file. Tick this to keep them in the system's keychain (GNOME Keyring, KWallet, ...) so they are filled in next time; untick to remove them from there.</source>
        <translation>API 密钥、附加请求头以及服务器地址中的用户名和密码绝不会写入设置文件。勾选此项可将它们保存在系统钥匙串（GNOME Keyring、KWallet 等）中，下次自动填入；取消勾选则从钥匙串中删除。</translation>
    </message>
    <message>
        <source>Name: value, one per line. Kept only in the system keychain, when “Remember secrets” is ticked.</source>
        <translation>按“名称: 值”格式书写，每行一个。仅在勾选“记住凭据”时保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>HTTP headers added to every request, for example a routing or tenant header of a gateway. Since any of them may carry a token, they are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</source>
        <translation>添加到每个请求中的 HTTP 请求头，例如网关的路由或租户请求头。由于其中任何一个都可能携带令牌，它们不会写入设置文件：只有勾选“记住凭据”时，才会保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>The path requests are sent to. It follows the API type: %1.</source>
        <translation>请求发送到的路径，随 API 类型而定：%1。</translation>
    </message>
    <message>
        <source>Ask the server which models it serves (%1).</source>
        <translation>询问服务器提供哪些模型（%1）。</translation>
    </message>
    <message>
        <source>Count &lt;think&gt;…&lt;/think&gt; as reasoning</source>
        <translation>将 &lt;think&gt;…&lt;/think&gt; 计为推理</translation>
    </message>
    <message>
        <source>Count &lt;think&gt;…&lt;/think&gt; as reasoning (--reasoning-tags)</source>
        <translation>将 &lt;think&gt;…&lt;/think&gt; 计为推理（--reasoning-tags）</translation>
    </message>
    <message>
        <source>For servers that send a reasoning model's thinking inside the answer text, between &lt;think&gt; and &lt;/think&gt;. That text is then measured as reasoning (TTFRT, reasoning tokens) and the answer starts after &lt;/think&gt; (TTFAT).</source>
        <translation>适用于把推理模型的思考过程放在回答文本中、夹在 &lt;think&gt; 与 &lt;/think&gt; 之间发送的服务器。开启后，这部分文本按推理内容测量（TTFRT、推理 token 数），回答则从 &lt;/think&gt; 之后开始计算（TTFAT）。</translation>
    </message>
</context>
<context>
    <name>ts::TimeStrip</name>
    <message>
        <source>TTFT %1 ms</source>
        <translation>TTFT %1 ms</translation>
    </message>
    <message numerus="yes">
        <source>ITL: %n gaps</source>
        <translation>
            <numerusform>ITL：%n 个间隔</numerusform>
        </translation>
    </message>
    <message>
        <source>failed after %1 ms</source>
        <translation>%1 ms 后失败</translation>
    </message>
    <message>
        <source>E2EL %1 ms</source>
        <translation>E2EL %1 ms</translation>
    </message>
    <message>
        <source>TTFT = TTFRT %1 ms</source>
        <translation>TTFT = TTFRT %1 ms</translation>
    </message>
    <message>
        <source>TTFAT %1 ms</source>
        <translation>TTFAT %1 ms</translation>
    </message>
    <message>
        <source>no answer after the reasoning</source>
        <translation>推理之后没有回答</translation>
    </message>
</context>
<context>
    <name>ts::TimelineCanvas</name>
    <message>
        <source>Request %1</source>
        <translation>请求 %1</translation>
    </message>
    <message>
        <source>Sent at %1 s</source>
        <translation>发送时刻：%1 s</translation>
    </message>
    <message>
        <source>Queue wait: %1 ms</source>
        <translation>排队等待：%1 ms</translation>
    </message>
    <message>
        <source>TTFT: %1 ms</source>
        <translation>TTFT：%1 ms</translation>
    </message>
    <message>
        <source>E2EL: %1 ms</source>
        <translation>E2EL：%1 ms</translation>
    </message>
    <message>
        <source>Output tokens: %1</source>
        <translation>输出 token 数：%1</translation>
    </message>
    <message>
        <source>Chunks: %1</source>
        <translation>块数：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Request %1 (streaming)</source>
        <translation>请求 %1（流式输出中）</translation>
    </message>
    <message>
        <source>Waiting for the first token</source>
        <translation>等待首 token</translation>
    </message>
    <message>
        <source>Chunks so far: %1</source>
        <translation>已收到块数：%1</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
</context>
<context>
    <name>ts::TimelinePainter</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>In flight: not known without send times</source>
        <translation>进行中：缺少发送时间，无法得知</translation>
    </message>
    <message>
        <source>In flight (at most %1)</source>
        <translation>进行中（最多 %1）</translation>
    </message>
    <message>
        <source>Waiting for a slot</source>
        <translation>等待空闲槽位</translation>
    </message>
    <message>
        <source>Waiting for the first token</source>
        <translation>等待首 token</translation>
    </message>
    <message>
        <source>ITL &lt; %1 ms</source>
        <translation>ITL &lt; %1 ms</translation>
    </message>
    <message>
        <source>ITL %1–%2 ms</source>
        <translation>ITL %1–%2 ms</translation>
    </message>
    <message>
        <source>ITL ≥ %1 ms</source>
        <translation>ITL ≥ %1 ms</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>流式输出中</translation>
    </message>
    <message>
        <source>Highlighted</source>
        <translation>已高亮</translation>
    </message>
    <message>
        <source>No send times in this file: every request starts at zero</source>
        <translation>此文件没有发送时间：所有请求都从零开始</translation>
    </message>
</context>
<context>
    <name>ts::TimelineTab</name>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
</context>
<context>
    <name>ts::TimelineView</name>
    <message>
        <source>Request timeline</source>
        <translation>请求时间线</translation>
    </message>
    <message>
        <source>the image could not be drawn</source>
        <translation>无法绘制图像</translation>
    </message>
    <message>
        <source>the image could not be encoded</source>
        <translation>无法编码图像</translation>
    </message>
    <message>
        <source>&amp;Sort by:</source>
        <translation>排序方式(&amp;S)：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>E2EL</source>
        <translation>E2EL</translation>
    </message>
    <message>
        <source>ITL &amp;medium from:</source>
        <translation>ITL 中等阈值(&amp;M)：</translation>
    </message>
    <message>
        <source>s&amp;low from:</source>
        <translation>较慢阈值(&amp;L)：</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Gaps between chunks from this length on are drawn yellow</source>
        <translation>块间间隔达到此值时以黄色显示</translation>
    </message>
    <message>
        <source>Gaps between chunks from this length on are drawn red</source>
        <translation>块间间隔达到此值时以红色显示</translation>
    </message>
    <message>
        <source>This file records no send times, so every request is drawn from zero: the rows compare waits and gaps, not when requests ran.</source>
        <translation>此文件未记录发送时间，因此每个请求都从零开始绘制：各行只能比较等待和间隔，不能反映请求实际运行的时间。</translation>
    </message>
    <message>
        <source>Wheel: zoom · Drag: pan · 0: whole run</source>
        <translation>滚轮：缩放 · 拖动：平移 · 0：显示整个测试</translation>
    </message>
</context>
<context>
    <name>ts::Tokenizer</name>
    <message>
        <source>The %1 type “%2” is not supported.</source>
        <translation>不支持的%1类型“%2”。</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>normalizer</source>
        <translation>规范化器</translation>
    </message>
    <message>
        <source>pre-tokenizer</source>
        <translation>预分词器</translation>
    </message>
    <message>
        <source>No tokenizer.json in the folder %1.</source>
        <translation>文件夹 %1 中没有 tokenizer.json。</translation>
    </message>
    <message>
        <source>Cannot read the tokenizer file %1: %2.</source>
        <translation>无法读取分词器文件 %1：%2。</translation>
    </message>
    <message>
        <source>Cannot load the tokenizer %1: %2</source>
        <translation>无法加载分词器 %1：%2</translation>
    </message>
    <message>
        <source>Not a tokenizer.json file: it has no “model”.</source>
        <translation>这不是 tokenizer.json 文件：缺少“model”。</translation>
    </message>
    <message>
        <source>Unexpected content (%1).</source>
        <translation>意外的内容（%1）。</translation>
    </message>
    <message>
        <source>Not valid JSON at byte %1 (%2).</source>
        <translation>第 %1 字节处不是有效的 JSON（%2）。</translation>
    </message>
    <message>
        <source>Not valid JSON (%1).</source>
        <translation>不是有效的 JSON（%1）。</translation>
    </message>
    <message>
        <source>Not valid JSON.</source>
        <translation>不是有效的 JSON。</translation>
    </message>
    <message>
        <source>Invalid regular expression “%1”: %2.</source>
        <translation>无效的正则表达式“%1”：%2。</translation>
    </message>
    <message>
        <source>The JSON nests deeper than %1 levels; a tokenizer.json nests fewer than 10.</source>
        <translation>该 JSON 的嵌套深度超过 %1 层；tokenizer.json 的嵌套通常不到 10 层。</translation>
    </message>
    <message>
        <source>The token “%1” has the id %2; ids are numbers from 0 up.</source>
        <translation>token“%1”的 ID 为 %2；ID 应为从 0 开始的整数。</translation>
    </message>
    <message>
        <source>The post-processor names a special token “%1” it does not define.</source>
        <translation>后处理器引用了未定义的特殊 token“%1”。</translation>
    </message>
    <message>
        <source>post-processor</source>
        <translation>后处理器</translation>
    </message>
    <message>
        <source>The post-processor adds the id %1, which no token has.</source>
        <translation>后处理器添加的 ID %1 不对应任何 token。</translation>
    </message>
    <message>
        <source>The tokenizer file %1 is %2 MB, more than the %3 MB a tokenizer can take; give the model's tokenizer.json.</source>
        <translation>分词器文件 %1 大小为 %2 MB，超过了分词器文件 %3 MB 的上限；请提供该模型的 tokenizer.json。</translation>
    </message>
    <message>
        <source>The token “%1” has the id %2, far beyond the %3 tokens in the file; ids count up from 0 with few gaps.</source>
        <translation>token“%1”的 ID 为 %2，远超文件中的 token 数（%3 个）；ID 应从 0 开始依次编号，很少有空缺。</translation>
    </message>
</context>
<context>
    <name>ts::Transport</name>
    <message>
        <source>No complete reply within %1 s (request timeout).</source>
        <translation>%1 秒内未收到完整回复（请求超时）。</translation>
    </message>
    <message>
        <source>Stopped before the reply was complete.</source>
        <translation>回复完成前已停止。</translation>
    </message>
    <message>
        <source>Connection refused by %1: is the server running?</source>
        <translation>%1 拒绝连接：服务器是否在运行？</translation>
    </message>
    <message>
        <source>Host not found: %1.</source>
        <translation>找不到主机：%1。</translation>
    </message>
    <message>
        <source>The server closed the connection before the reply was complete.</source>
        <translation>服务器在回复完成前关闭了连接。</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>连接 %1 超时。</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>与 %1 的 TLS 握手失败：%2</translation>
    </message>
    <message>
        <source>Qt %1 did not set the request up as expected; it was not sent.</source>
        <translation>Qt %1 未按预期建立该请求，请求未发送。</translation>
    </message>
    <message>
        <source>Cannot read the CA certificate file “%1”: %2.</source>
        <translation>无法读取 CA 证书文件“%1”：%2。</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” holds no PEM certificate; give a file of “-----BEGIN CERTIFICATE-----” blocks.</source>
        <translation>CA 证书文件“%1”中没有 PEM 证书；请提供由“-----BEGIN CERTIFICATE-----”块组成的文件。</translation>
    </message>
    <message>
        <source>TLS handshake failed: the server at %1 did not answer it within %2 s (is it http://?).</source>
        <translation>TLS 握手失败：服务器 %1 在 %2 s 内未响应（地址是否应为 http://？）。</translation>
    </message>
    <message>
        <source>TLS handshake failed: the server at %1 does not speak TLS (is it http://?).</source>
        <translation>TLS 握手失败：服务器 %1 不支持 TLS（地址是否应为 http://？）。</translation>
    </message>
</context>
<context>
    <name>ts::WorkloadForm</name>
    <message>
        <source>Prompt and answer can reach %1 tokens, more than the %2 the demo server accepts. Make them shorter or choose another preset.</source>
        <translation>提示词加回答最长可达 %1 个 token，超过了演示服务器允许的 %2 个。请缩短长度或选择其他预设。</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Input length</source>
        <translation>输入长度</translation>
    </message>
    <message>
        <source>Input length (--random-input-len)</source>
        <translation>输入长度（--random-input-len）</translation>
    </message>
    <message>
        <source>Tokens in each prompt. Long prompts test the prefill stage and the time to first token; the guide uses 100 for a quick check and 512 for benchmarks.</source>
        <translation>每个提示词的 token 数。长提示词考验预填充阶段和首 token 时间；指南中快速验证用 100，基准测试用 512。</translation>
    </message>
    <message>
        <source>Output length</source>
        <translation>输出长度</translation>
    </message>
    <message>
        <source>Output length (--random-output-len)</source>
        <translation>输出长度（--random-output-len）</translation>
    </message>
    <message>
        <source>Tokens the server is asked to generate for each prompt; it is told to ignore end-of-sequence so that every answer has this length. Long answers test the generation speed (TPOT).</source>
        <translation>要求服务器为每个提示词生成的 token 数；会要求服务器忽略结束符，使每个回答都达到这一长度。长回答考验生成速度（TPOT）。</translation>
    </message>
    <message>
        <source>Length variation</source>
        <translation>长度浮动</translation>
    </message>
    <message>
        <source>Length variation (--random-range-ratio)</source>
        <translation>长度浮动（--random-range-ratio）</translation>
    </message>
    <message>
        <source>0 gives every request exactly the lengths above. A value r draws each length evenly between L×(1−r) and L×(1+r), which looks more like real traffic.</source>
        <translation>0 表示每个请求都严格使用上面的长度。取值 r 时，每个长度在 L×(1−r) 到 L×(1+r) 之间均匀抽取，更接近真实流量。</translation>
    </message>
    <message>
        <source>Shared prefix</source>
        <translation>共享前缀</translation>
    </message>
    <message>
        <source>Shared prefix (--random-prefix-len)</source>
        <translation>共享前缀（--random-prefix-len）</translation>
    </message>
    <message>
        <source>Tokens at the start of every prompt that are the same for all requests, like a system prompt. Servers with prefix caching answer such prompts faster.</source>
        <translation>所有请求的提示词开头都相同的 token 数，类似系统提示词。支持前缀缓存的服务器处理这类提示词会更快。</translation>
    </message>
    <message>
        <source>Choose the dataset file</source>
        <translation>选择数据集文件</translation>
    </message>
    <message>
        <source>Datasets (*.json *.jsonl *.csv *.txt);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl *.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Random prompts (built in)</source>
        <translation>随机提示词（内置）</translation>
    </message>
    <message>
        <source>ShareGPT conversations (JSON file)</source>
        <translation>ShareGPT 对话（JSON 文件）</translation>
    </message>
    <message>
        <source>Sonnet lines (text file)</source>
        <translation>十四行诗文本（文本文件）</translation>
    </message>
    <message>
        <source>Your own prompts (JSONL or CSV file)</source>
        <translation>自定义提示词（JSONL 或 CSV 文件）</translation>
    </message>
    <message>
        <source>Repeated prefixes (built in)</source>
        <translation>重复前缀（内置）</translation>
    </message>
    <message>
        <source>Choose the file of the %1 dataset.</source>
        <translation>请选择“%1”数据集的文件。</translation>
    </message>
    <message>
        <source>There is no file “%1”.</source>
        <translation>文件“%1”不存在。</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>工作负载</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Dataset (--dataset-name)</source>
        <translation>数据集（--dataset-name）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>path of the dataset file</source>
        <translation>数据集文件的路径</translation>
    </message>
    <message>
        <source>Dataset file (--dataset-path)</source>
        <translation>数据集文件（--dataset-path）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose the tokenizer</source>
        <translation>选择分词器</translation>
    </message>
    <message>
        <source>Tokenizer (tokenizer.json);;JSON files (*.json);;All files (*)</source>
        <translation>分词器 (tokenizer.json);;JSON 文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>There is no file or folder “%1”.</source>
        <translation>文件或文件夹“%1”不存在。</translation>
    </message>
    <message>
        <source>The folder “%1” holds no tokenizer.json.</source>
        <translation>文件夹“%1”中没有 tokenizer.json。</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>optional: tokenizer.json or model folder</source>
        <translation>可选：tokenizer.json 或模型文件夹</translation>
    </message>
    <message>
        <source>Tokenizer (--tokenizer)</source>
        <translation>分词器 (--tokenizer)</translation>
    </message>
    <message>
        <source>The model's tokenizer.json, or the model folder that holds it. With it, random prompts have exactly the lengths asked for, and output tokens are counted when the server sends no usage. Optional: left empty, lengths are estimated.</source>
        <translation>模型的 tokenizer.json，或包含它的模型文件夹。设置后，随机提示词的长度与设定完全一致；服务器未返回 usage 时，输出 token 数也由它在客户端统计。可选：留空时长度为估算值。</translation>
    </message>
    <message>
        <source>Multi-turn conversations are sent as chat messages: choose the OpenAI-compatible chat API.</source>
        <translation>多轮对话以聊天消息发送：请选择 OpenAI 兼容的聊天接口。</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Send each conversation turn by turn (multi-turn)</source>
        <translation>逐轮发送每个对话（多轮）</translation>
    </message>
    <message>
        <source>Multi-turn (--multi-turn)</source>
        <translation>多轮对话 (--multi-turn)</translation>
    </message>
    <message>
        <source>Each conversation of the file becomes a chat user: its turns are sent one after another, each with the conversation so far, the next only when the previous answer has finished. The number of requests counts conversations, and the maximum concurrency is the number of users chatting at once.</source>
        <translation>文件中的每个对话相当于一个聊天用户：它的各轮依次发送，每轮都带上此前的对话，上一轮回答结束后才发送下一轮。请求数按对话计，最大并发即同时聊天的用户数。</translation>
    </message>
    <message>
        <source>Trace replay (Mooncake JSONL)</source>
        <translation>轨迹回放（Mooncake JSONL）</translation>
    </message>
    <message>
        <source>Where the prompts come from. Random prompts suit stress tests; ShareGPT conversations (the guide's realistic scenario) and your own prompts give real length distributions; a trace replays recorded traffic with its timing. Files are read as vLLM's benchmark reads them.</source>
        <translation>提示词的来源。随机提示词适合压力测试；ShareGPT 对话（指南中的真实场景）和自定义提示词能提供真实的长度分布；轨迹则连同时间信息一起回放录制的流量。文件的读取方式与 vLLM 基准测试相同。</translation>
    </message>
    <message>
        <source>ShareGPT: the JSON file of conversations, e.g. ShareGPT_V3_unfiltered_cleaned_split.json. Sonnet: a text file of lines. Your own prompts: JSONL with a "prompt" field per line, or CSV. Trace replay: a Mooncake trace, JSONL with timestamp, input_length, output_length and hash_ids per line.</source>
        <translation>ShareGPT：对话 JSON 文件，例如 ShareGPT_V3_unfiltered_cleaned_split.json。十四行诗：由若干行组成的文本文件。自定义提示词：每行带一个 "prompt" 字段的 JSONL，或 CSV 文件。轨迹回放：Mooncake 轨迹，即每行包含 timestamp、input_length、output_length 和 hash_ids 的 JSONL 文件。</translation>
    </message>
</context>
<context>
    <name>ts::WorkloadLimits</name>
    <message>
        <source>A prompt of up to %1 tokens is more than any model takes (at most %2 tokens). Ask for shorter prompts.</source>
        <translation>提示词最长可达 %1 个 token，超过了任何模型能接受的长度（最多 %2 个 token）。请设置更短的提示词长度。</translation>
    </message>
    <message>
        <source>A reply of up to %1 tokens is more than any model gives (at most %2 tokens). Ask for shorter replies.</source>
        <translation>回复最长可达 %1 个 token，超过了任何模型能生成的长度（最多 %2 个 token）。请设置更短的回复长度。</translation>
    </message>
    <message>
        <source>%1 requests of this size need about %2 GB of memory, more than the %3 GB (a quarter of this computer's memory) a run may take. Send fewer or shorter requests.</source>
        <translation>%1 个这种大小的请求约需 %2 GB 内存，超过了单次测试可用的 %3 GB（本机内存的四分之一）。请减少请求数或缩短请求。</translation>
    </message>
    <message>
        <source>A request rate of %1 per second sends one request every %2 hours on average; give at least %3 requests per second.</source>
        <translation>请求速率为每秒 %1 个时，平均每 %2 小时才发送一个请求；请将请求速率设为每秒至少 %3 个。</translation>
    </message>
    <message>
        <source>At %1 requests per second, %2 requests take about %3 days to send, more than the %4 days a run may last. Raise the rate or send fewer requests.</source>
        <translation>按每秒 %1 个请求的速率，发送 %2 个请求约需 %3 天，超过了单次测试最长 %4 天的限制。请提高请求速率或减少请求数。</translation>
    </message>
</context>
<context>
    <name>ts::cli::Compare</name>
    <message>
        <source>Show two or more result files (Tokenstorm's or vLLM's) side by side, each against the first.</source>
        <translation>并排显示两个或更多结果文件（Tokenstorm 或 vLLM 的），每个都与第一个对比。</translation>
    </message>
    <message>
        <source>Result JSON files; the first is the baseline.</source>
        <translation>结果 JSON 文件；第一个作为基准。</translation>
    </message>
    <message>
        <source>Also write the comparison as CSV to FILE.</source>
        <translation>同时把对比结果以 CSV 写入 FILE。</translation>
    </message>
    <message>
        <source>Give at least two result files to compare.</source>
        <translation>请至少给出两个要对比的结果文件。</translation>
    </message>
</context>
<context>
    <name>ts::cli::Main</name>
    <message>
        <source>Unknown command “%1”. Commands: run (the default), serve, sweep, compare, report, tokenize, recover.</source>
        <translation>未知命令“%1”。可用命令：run（默认）、serve、sweep、compare、report、tokenize、recover。</translation>
    </message>
</context>
<context>
    <name>ts::cli::Preparation</name>
    <message>
        <source>Unknown preset “%1”. Choose one of: %2.</source>
        <translation>未知的预设“%1”。可选：%2。</translation>
    </message>
    <message>
        <source>Built-in server (%1) at %2
</source>
        <translation>内置服务器（%1）地址 %2
</translation>
    </message>
</context>
<context>
    <name>ts::cli::ProgressLine</name>
    <message>
        <source>Warming up…</source>
        <translation>预热中…</translation>
    </message>
    <message>
        <source> %1/%2  in flight %3  waiting %4  failed %5  %6 s</source>
        <translation> %1/%2  进行中 %3  等待 %4  失败 %5  %6 s</translation>
    </message>
    <message>
        <source>Reading the dataset… %1 %</source>
        <translation>正在读取数据集… %1 %</translation>
    </message>
</context>
<context>
    <name>ts::cli::Recover</name>
    <message>
        <source>Recover runs that did not end (killed, crashed). Without an argument, lists their journals, one a line; with one, writes its result file and removes the journal.</source>
        <translation>恢复未正常结束的测试（被终止或崩溃）。不带参数时，列出这些测试的运行日志，每行一个；指定一个日志时，写出其结果文件并删除该日志。</translation>
    </message>
    <message>
        <source>A journal file, as listed.</source>
        <translation>运行日志文件，按列表中显示的路径给出。</translation>
    </message>
    <message>
        <source>Folder for the result file (default: the current one).</source>
        <translation>结果文件所在目录（默认：当前目录）。</translation>
    </message>
    <message>
        <source>Result file name (default: vLLM's pattern).</source>
        <translation>结果文件名（默认：与 vLLM 相同的命名方式）。</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>多余的参数“%1”。</translation>
    </message>
    <message>
        <source>The run of %1 is still going on (process %2); recover it after it ends.</source>
        <translation>%1 的测试仍在进行（进程 %2）；请在它结束后再恢复。</translation>
    </message>
    <message>
        <source>The journal's last line was cut off when the run was killed; that request is left out.</source>
        <translation>测试被终止时，运行日志的最后一行被截断；该请求未计入结果。</translation>
    </message>
    <message>
        <source>The result is saved, but the journal %1 could not be removed; delete it by hand.</source>
        <translation>结果已保存，但无法删除运行日志 %1；请手动删除。</translation>
    </message>
    <message numerus="yes">
        <source>Recovered %n request(s) into %1
</source>
        <translation>
            <numerusform>已恢复 %n 个请求，写入 %1
</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::cli::Report</name>
    <message>
        <source>Write a report of a run, a sweep or a comparison as one HTML file (charts inline, nothing fetched) or an A4 PDF.</source>
        <translation>将单次测试、递增测试或对比结果写成报告：单个 HTML 文件（图表内嵌，无需联网加载）或 A4 PDF。</translation>
    </message>
    <message>
        <source>A result JSON (Tokenstorm's or vLLM's), a sweep summary, or several result files to compare (the first is the baseline).</source>
        <translation>一个结果 JSON（Tokenstorm 或 vLLM 生成的）、一个递增测试汇总，或多个要对比的结果文件（第一个作为基准）。</translation>
    </message>
    <message>
        <source>The report to write: a name ending in .html or .pdf.</source>
        <translation>要写入的报告：文件名以 .html 或 .pdf 结尾。</translation>
    </message>
    <message>
        <source>The report's language: %1 (default: the system's).</source>
        <translation>报告语言：%1（默认：系统语言）。</translation>
    </message>
    <message>
        <source>Unknown language “%1”. Languages: %2.</source>
        <translation>未知语言“%1”。可选语言：%2。</translation>
    </message>
    <message>
        <source>Give a result file, a sweep summary or several result files.</source>
        <translation>请提供一个结果文件、一个递增测试汇总或多个结果文件。</translation>
    </message>
    <message>
        <source>Give the report's file name with --output OUT.html or --output OUT.pdf.</source>
        <translation>请用 --output OUT.html 或 --output OUT.pdf 指定报告文件名。</translation>
    </message>
    <message>
        <source>Cannot write a report to %1: the name must end in .html or .pdf.</source>
        <translation>无法将报告写入 %1：文件名必须以 .html 或 .pdf 结尾。</translation>
    </message>
    <message>
        <source>Report written to %1
</source>
        <translation>报告已写入 %1
</translation>
    </message>
</context>
<context>
    <name>ts::cli::Run</name>
    <message>
        <source>Benchmark an LLM inference server, with the flags and results of vLLM's serving benchmark.</source>
        <translation>压测大模型推理服务器，参数和结果与 vLLM 的 serving benchmark 一致。</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>多余的参数“%1”。</translation>
    </message>
    <message>
        <source>Traffic request rate: %1
</source>
        <translation>请求速率：%1
</translation>
    </message>
    <message>
        <source>Burstiness factor: %1%2
</source>
        <translation>突发度：%1%2
</translation>
    </message>
    <message>
        <source>Maximum request concurrency: %1
</source>
        <translation>最大请求并发：%1
</translation>
    </message>
    <message>
        <source>Client CPU: %1 s in the measured part, %2 µs per output token%3.
</source>
        <translation>客户端 CPU：测量阶段 %1 s，每个输出 token %2 µs%3。
</translation>
    </message>
    <message>
        <source> (the built-in server's share included)</source>
        <translation>（含内置服务器的部分）</translation>
    </message>
    <message>
        <source>Warning: the client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more --client-threads on a machine with cores to spare, keep it out of that.</source>
        <translation>警告：客户端的传输线程（%1 个）在测量阶段有 %2% 的时间处于忙碌状态，此时客户端自身的延迟会混入 TTFT 和 ITL 的尾部数值。减少并发流数，或在有空闲核心的机器上增加 --client-threads，可避免这种情况。</translation>
    </message>
    <message>
        <source>local tokenizer (%1)</source>
        <translation>本地分词器（%1）</translation>
    </message>
    <message>
        <source>the server's %1</source>
        <translation>服务器的 %1</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>Prompt tokens counted by: %1
</source>
        <translation>提示词 token 计数来源：%1
</translation>
    </message>
</context>
<context>
    <name>ts::cli::RunOptions</name>
    <message>
        <source>Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port).</source>
        <translation>服务器基础地址，例如 http://127.0.0.1:8000（优先于 --host/--port）。</translation>
    </message>
    <message>
        <source>Server host.</source>
        <translation>服务器主机。</translation>
    </message>
    <message>
        <source>Server port.</source>
        <translation>服务器端口。</translation>
    </message>
    <message>
        <source>API path (default: the backend's, /v1/completions for openai).</source>
        <translation>API 路径（默认：后端的默认路径，openai 为 /v1/completions）。</translation>
    </message>
    <message>
        <source>Model name (default: the first model the server lists).</source>
        <translation>模型名称（默认：服务器列出的第一个模型）。</translation>
    </message>
    <message>
        <source>Extra HTTP header; repeat for more.</source>
        <translation>附加 HTTP 请求头；可重复指定多个。</translation>
    </message>
    <message>
        <source>Do not verify TLS certificates.</source>
        <translation>不验证 TLS 证书。</translation>
    </message>
    <message>
        <source>Give up on a request after this many seconds (0 = never).</source>
        <translation>请求超过此秒数即放弃（0 = 永不放弃）。</translation>
    </message>
    <message>
        <source>Requests per second, or inf to release all at once.</source>
        <translation>每秒请求数，inf 表示一次性全部发出。</translation>
    </message>
    <message>
        <source>Gamma shape of the arrival gaps: 1 = Poisson, &lt;1 burstier, &gt;1 more regular.</source>
        <translation>到达间隔的 Gamma 形状参数：1 = 泊松，&lt;1 更具突发性，&gt;1 更规律。</translation>
    </message>
    <message>
        <source>At most N requests in flight at the server (default: no limit).</source>
        <translation>服务器上同时进行的请求最多 N 个（默认：不限）。</translation>
    </message>
    <message>
        <source>Warm-up requests sent before measuring.</source>
        <translation>测量前发送的预热请求数。</translation>
    </message>
    <message>
        <source>Seed of the dataset and the arrival process.</source>
        <translation>数据集和到达过程的随机种子。</translation>
    </message>
    <message>
        <source>Random dataset: input tokens per request.</source>
        <translation>随机数据集：每个请求的输入 token 数。</translation>
    </message>
    <message>
        <source>Random dataset: output tokens per request.</source>
        <translation>随机数据集：每个请求的输出 token 数。</translation>
    </message>
    <message>
        <source>Random dataset: lengths drawn from [L*(1-R), L*(1+R)].</source>
        <translation>随机数据集：长度从 [L*(1-R), L*(1+R)] 中抽取。</translation>
    </message>
    <message>
        <source>Random dataset: tokens of a prefix shared by all prompts.</source>
        <translation>随机数据集：所有提示词共享的前缀 token 数。</translation>
    </message>
    <message>
        <source>Ask the server to ignore end-of-sequence tokens.</source>
        <translation>要求服务器忽略结束符。</translation>
    </message>
    <message>
        <source>Sampling temperature (default: 0, greedy).</source>
        <translation>采样温度（默认：0，贪心解码）。</translation>
    </message>
    <message>
        <source>Sampling top-p.</source>
        <translation>采样 top-p。</translation>
    </message>
    <message>
        <source>Sampling top-k.</source>
        <translation>采样 top-k。</translation>
    </message>
    <message>
        <source>Sampling min-p.</source>
        <translation>采样 min-p。</translation>
    </message>
    <message>
        <source>Metrics to report percentiles for, from ttft,tpot,itl,e2el.</source>
        <translation>要报告百分位的指标，可选 ttft、tpot、itl、e2el。</translation>
    </message>
    <message>
        <source>Percentiles to report, e.g. 25,50,99.</source>
        <translation>要报告的百分位，例如 25,50,99。</translation>
    </message>
    <message>
        <source>Service level objectives for goodput, e.g. ttft:200 tpot:50 e2el:5000.</source>
        <translation>有效吞吐量的服务等级目标，例如 ttft:200 tpot:50 e2el:5000。</translation>
    </message>
    <message>
        <source>Save the result as JSON.</source>
        <translation>将结果保存为 JSON。</translation>
    </message>
    <message>
        <source>Also save per-request arrays (ttfts, itls, texts, errors).</source>
        <translation>同时保存逐请求数组（ttfts、itls、文本、错误）。</translation>
    </message>
    <message>
        <source>Append to the result file instead of replacing it.</source>
        <translation>追加到结果文件而不是覆盖。</translation>
    </message>
    <message>
        <source>Folder for result files (default: the current one).</source>
        <translation>结果文件所在目录（默认：当前目录）。</translation>
    </message>
    <message>
        <source>Result file name (default: vLLM's pattern).</source>
        <translation>结果文件名（默认：与 vLLM 相同的命名方式）。</translation>
    </message>
    <message>
        <source>Extra keys for the result file; repeat for more.</source>
        <translation>结果文件的附加键；可重复指定多个。</translation>
    </message>
    <message>
        <source>Label of the run (default: the backend).</source>
        <translation>本次测试的标签（默认：后端名称）。</translation>
    </message>
    <message>
        <source>Write one CSV row per request to FILE.</source>
        <translation>将每个请求作为一行 CSV 写入 FILE。</translation>
    </message>
    <message>
        <source>No progress bar.</source>
        <translation>不显示进度条。</translation>
    </message>
    <message>
        <source>Start the built-in simulated server in this process and test it (presets: see `serve --list-presets`).</source>
        <translation>在本进程中启动内置模拟服务器并对其测试（预设见 `serve --list-presets`）。</translation>
    </message>
    <message>
        <source>--%1 needs a whole number of at least %2, not “%3”.</source>
        <translation>--%1 需要不小于 %2 的整数，而不是“%3”。</translation>
    </message>
    <message>
        <source>--%1 needs a number, not “%2”.</source>
        <translation>--%1 需要一个数字，而不是“%2”。</translation>
    </message>
    <message>
        <source>Unknown backend “%1”. Choose one of: %2.</source>
        <translation>未知的后端“%1”。可选：%2。</translation>
    </message>
    <message>
        <source>--header needs KEY=VALUE, not “%1”.</source>
        <translation>--header 需要 KEY=VALUE 格式，而不是“%1”。</translation>
    </message>
    <message>
        <source>--goodput needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</source>
        <translation>--goodput 需要 KEY:毫秒数 格式，KEY 为 ttft、tpot、e2el 之一，而不是“%1”。</translation>
    </message>
    <message>
        <source>--metadata needs KEY=VALUE, not “%1”.</source>
        <translation>--metadata 需要 KEY=VALUE 格式，而不是“%1”。</translation>
    </message>
    <message>
        <source>Default: %1.</source>
        <translation>默认值：%1。</translation>
    </message>
    <message>
        <source>ShareGPT: fixed output length instead of the conversation's.</source>
        <translation>ShareGPT：使用固定输出长度，而不是对话中的长度。</translation>
    </message>
    <message>
        <source>Sonnet: input tokens per request.</source>
        <translation>Sonnet：每个请求的输入 token 数。</translation>
    </message>
    <message>
        <source>Sonnet: output tokens per request.</source>
        <translation>Sonnet：每个请求的输出 token 数。</translation>
    </message>
    <message>
        <source>Sonnet: tokens of the shared prefix.</source>
        <translation>Sonnet：共享前缀的 token 数。</translation>
    </message>
    <message>
        <source>Custom: output tokens of records that give none.</source>
        <translation>Custom：未指定输出长度的记录所用的输出 token 数。</translation>
    </message>
    <message>
        <source>Prefix repetition: tokens of each shared prefix.</source>
        <translation>前缀重复：每个共享前缀的 token 数。</translation>
    </message>
    <message>
        <source>Prefix repetition: tokens after the prefix.</source>
        <translation>前缀重复：前缀之后的 token 数。</translation>
    </message>
    <message>
        <source>Prefix repetition: number of distinct prefixes.</source>
        <translation>前缀重复：不同前缀的数量。</translation>
    </message>
    <message>
        <source>Prefix repetition: output tokens per request.</source>
        <translation>前缀重复：每个请求的输出 token 数。</translation>
    </message>
    <message>
        <source>Keep the dataset's order.</source>
        <translation>保持数据集中的顺序。</translation>
    </message>
    <message>
        <source>Unknown dataset “%1”. Choose one of: %2.</source>
        <translation>未知的数据集“%1”。可选：%2。</translation>
    </message>
    <message>
        <source>The %1 dataset needs --dataset-path.</source>
        <translation>%1 数据集需要 --dataset-path。</translation>
    </message>
    <message>
        <source>ShareGPT with openai-chat: send each conversation turn by turn, every turn with the conversation so far; --num-prompts counts conversations, --max-concurrency concurrent conversations.</source>
        <translation>ShareGPT 配合 openai-chat：逐轮发送每个对话，每轮都带上此前的对话；--num-prompts 按对话计，--max-concurrency 为同时进行的对话数。</translation>
    </message>
    <message>
        <source>Transport threads of the client, each reading its own connections (default: one per 2,000 streams, no more than half the cores and no more than 4).</source>
        <translation>客户端传输线程数，每个线程读写自己的连接（默认：每 2000 路流一个，不超过核心数的一半，且不超过 4 个）。</translation>
    </message>
    <message>
        <source>A tokenizer.json file or a model folder holding one: exact prompt lengths and client-side token counts. A model name (org/model) is only recorded as tokenizer_id; a value that looks like a path (ending in .json, starting with /, ./, ../ or ~, or inside a folder that exists) must exist.</source>
        <translation>tokenizer.json 文件或包含该文件的模型文件夹：用于得到精确的提示词长度和在客户端统计 token 数。模型名称（org/model）只会记录为 tokenizer_id；看起来像路径的值（以 .json 结尾，以 /、./、../ 或 ~ 开头，或位于已存在的文件夹中）必须确实存在。</translation>
    </message>
    <message>
        <source>Trust the CA certificates in this PEM file besides the system's (default: $SSL_CERT_FILE).</source>
        <translation>除系统证书外，还信任此 PEM 文件中的 CA 证书（默认：$SSL_CERT_FILE）。</translation>
    </message>
    <message>
        <source>The tokenizer file “%1” does not exist. Give a tokenizer.json file or a folder holding one; a model name (org/model) is only recorded.</source>
        <translation>分词器文件“%1”不存在。请提供 tokenizer.json 文件或包含该文件的文件夹；模型名称（org/model）只会被记录下来。</translation>
    </message>
    <message>
        <source>Warning: --insecure: TLS certificates are not verified, so the server's identity is not checked.</source>
        <translation>警告：--insecure：不验证 TLS 证书，因此不会核实服务器的身份。</translation>
    </message>
    <message>
        <source>SSL_CERT_FILE: %1</source>
        <translation>SSL_CERT_FILE：%1</translation>
    </message>
    <message>
        <source>Server API: %1.</source>
        <translation>服务器 API：%1。</translation>
    </message>
    <message>
        <source>Ramp the request rate up over the run's requests: linear or exponential, from --ramp-up-start-rps to --ramp-up-end-rps (leave --request-rate unset).</source>
        <translation>在本次测试的请求过程中逐步提高请求速率：按线性或指数方式，从 --ramp-up-start-rps 升到 --ramp-up-end-rps（不要设置 --request-rate）。</translation>
    </message>
    <message>
        <source>Ramp-up: requests per second at the first request.</source>
        <translation>逐步加压：第一个请求时的每秒请求数。</translation>
    </message>
    <message>
        <source>Ramp-up: requests per second at the last request.</source>
        <translation>逐步加压：最后一个请求时的每秒请求数。</translation>
    </message>
    <message>
        <source>Send requests for this many seconds, cycling through the prompts, then let those in flight finish; needs a finite --request-rate or --max-concurrency.</source>
        <translation>在这么多秒内持续发送请求（循环使用提示词），之后等待进行中的请求完成；需要有限的 --request-rate 或 --max-concurrency。</translation>
    </message>
    <message>
        <source>At the end of --duration, abort the requests in flight instead of letting them finish.</source>
        <translation>在 --duration 结束时中止进行中的请求，而不是等待它们完成。</translation>
    </message>
    <message>
        <source>%1 (alias %2)</source>
        <translation>%1（别名 %2）</translation>
    </message>
    <message>
        <source>--ramp-up-strategy needs linear or exponential, not “%1”.</source>
        <translation>--ramp-up-strategy 需要 linear 或 exponential，而不是“%1”。</translation>
    </message>
    <message>
        <source>--%1 needs a whole number of requests per second, not “%2”.</source>
        <translation>--%1 需要一个整数的每秒请求数，而不是“%2”。</translation>
    </message>
    <message>
        <source>--duration needs a positive number of seconds, not “%1”.</source>
        <translation>--duration 需要一个正数秒数，而不是“%1”。</translation>
    </message>
    <message>
        <source>--duration-cancel needs --duration.</source>
        <translation>--duration-cancel 需要同时指定 --duration。</translation>
    </message>
    <message>
        <source>API key, sent as the backend expects it: a Bearer token, or x-api-key for anthropic (default: $OPENAI_API_KEY). Never written to results.</source>
        <translation>API 密钥，按后端要求的方式发送：Bearer token，anthropic 则用 x-api-key（默认：$OPENAI_API_KEY）。不会写入结果文件。</translation>
    </message>
    <message>
        <source>Count text between &lt;think&gt; and &lt;/think&gt; in the answer as reasoning (for servers that do not separate it).</source>
        <translation>将回答中 &lt;think&gt; 与 &lt;/think&gt; 之间的文本计为推理内容（适用于不单独返回推理内容的服务器）。</translation>
    </message>
    <message>
        <source>Dataset: random, sharegpt, sonnet, custom (JSONL or CSV), prefix_repetition, mooncake (a trace to replay).</source>
        <translation>数据集：random、sharegpt、sonnet、custom（JSONL 或 CSV）、prefix_repetition、mooncake（用于回放的轨迹）。</translation>
    </message>
    <message>
        <source>File of the sharegpt, sonnet, custom or mooncake dataset.</source>
        <translation>sharegpt、sonnet、custom 或 mooncake 数据集的文件。</translation>
    </message>
    <message>
        <source>Mooncake trace: multiply its timestamps by F (0.5 replays twice as fast).</source>
        <translation>Mooncake 轨迹：将其时间戳乘以 F（0.5 表示以两倍速回放）。</translation>
    </message>
    <message>
        <source>Number of requests to send (a mooncake trace: its first N records; default all).</source>
        <translation>要发送的请求数（mooncake 轨迹：取其前 N 条记录；默认全部）。</translation>
    </message>
    <message>
        <source>--trace-time-scale needs a trace: --dataset-name mooncake.</source>
        <translation>--trace-time-scale 只适用于轨迹：需要 --dataset-name mooncake。</translation>
    </message>
</context>
<context>
    <name>ts::cli::Serve</name>
    <message>
        <source>Fixed mode: time to first token in ms.</source>
        <translation>固定模式：首 token 时间，单位 ms。</translation>
    </message>
    <message>
        <source>Fixed mode: gap between tokens in ms.</source>
        <translation>固定模式：token 间隔，单位 ms。</translation>
    </message>
    <message>
        <source>Batching mode: prefill speed in tokens/s.</source>
        <translation>批处理模式：预填充速度，单位 token/s。</translation>
    </message>
    <message>
        <source>Batching mode: base time of one decode step in ms.</source>
        <translation>批处理模式：单个解码步的基础时间，单位 ms。</translation>
    </message>
    <message>
        <source>Batching mode: extra step time per running sequence in ms.</source>
        <translation>批处理模式：每个运行中序列增加的步长时间，单位 ms。</translation>
    </message>
    <message>
        <source>Chance per token of an early end, for requests without ignore_eos.</source>
        <translation>对未设置 ignore_eos 的请求，每个 token 提前结束的概率。</translation>
    </message>
    <message>
        <source>Random variation of step and gap times, 0 to 1.</source>
        <translation>步长和间隔时间的随机波动，0 到 1。</translation>
    </message>
    <message>
        <source>Batching mode: sequence slots.</source>
        <translation>批处理模式：序列槽位数。</translation>
    </message>
    <message>
        <source>Batching mode: tokens per step.</source>
        <translation>批处理模式：每步 token 数。</translation>
    </message>
    <message>
        <source>Longest prompt plus output accepted.</source>
        <translation>可接受的提示词加输出的最大长度。</translation>
    </message>
    <message>
        <source>Output length of requests that name none.</source>
        <translation>未指定输出长度的请求所用的输出长度。</translation>
    </message>
    <message>
        <source>Token writes: %1, late by mean %2 ms, p99 %3 ms, max %4 ms; %5 over 1 ms.
</source>
        <translation>token 写出：%1 次，平均延后 %2 ms，p99 %3 ms，最大 %4 ms；%5 次超过 1 ms。
</translation>
    </message>
    <message>
        <source>Seconds a client has, from connecting or from a request's first byte, to send the request's headers; then 408 and the connection is closed (default: %1).</source>
        <translation>客户端须在此秒数内（从建立连接或从请求的第一个字节算起）发送完请求头，否则返回 408 并关闭连接（默认：%1）。</translation>
    </message>
    <message>
        <source>Seconds a client has to send a request's body after its headers (default: %1).</source>
        <translation>客户端发送完请求头后，须在此秒数内发送完请求体（默认：%1）。</translation>
    </message>
    <message>
        <source>Seconds an idle connection stays open between requests (default: %1).</source>
        <translation>空闲连接在两次请求之间保持打开的秒数（默认：%1）。</translation>
    </message>
    <message>
        <source>Act as a reasoning model: the first N tokens of every reply are reasoning (OpenAI chat and Responses, Anthropic).</source>
        <translation>模拟推理模型：每条回复的前 N 个 token 为推理内容（OpenAI 对话接口和 Responses、Anthropic）。</translation>
    </message>
</context>
<context>
    <name>ts::cli::Sweep</name>
    <message>
        <source>Concurrency sweep: the levels, e.g. 1,5,10,20 (default: 1,5,10,20,50,100,200,500).</source>
        <translation>并发递增测试的档位，例如 1,5,10,20（默认：1,5,10,20,50,100,200,500）。</translation>
    </message>
    <message>
        <source>Rate sweep instead: request rates in req/s, e.g. 1,2,5,10; cap the concurrency with --max-concurrency.</source>
        <translation>改为请求速率递增测试：请求速率（请求/秒），例如 1,2,5,10；用 --max-concurrency 限制并发。</translation>
    </message>
    <message>
        <source>Requests per level = M x level (default: 5 for concurrency, 30 for rates), at least --min-prompts-per-level. --num-prompts N sets a fixed number instead.</source>
        <translation>每档请求数 = M × 档位（默认：并发测试为 5，速率测试为 30），且不少于 --min-prompts-per-level。用 --num-prompts N 可改为固定数量。</translation>
    </message>
    <message>
        <source>Fewest requests in a level (default: 50).</source>
        <translation>每个档位的最少请求数（默认：50）。</translation>
    </message>
    <message>
        <source>Stop when fewer requests succeed than this (default: 95).</source>
        <translation>成功率低于此百分比时停止（默认：95）。</translation>
    </message>
    <message>
        <source>Stop when a p99 latency exceeds its limit, e.g. ttft:500 tpot:50 e2el:10000.</source>
        <translation>P99 延迟超过限值时停止，例如 ttft:500 tpot:50 e2el:10000。</translation>
    </message>
    <message>
        <source>Stop when output throughput rises less than this over the best earlier level (default: 5; 0 = off).</source>
        <translation>输出吞吐量比此前最好档位的提升低于此百分比时停止（默认：5；0 表示关闭）。</translation>
    </message>
    <message>
        <source>Run every level even past a limit; the limits only mark the levels.</source>
        <translation>即使超过限值也运行所有档位；限值只用于标记档位。</translation>
    </message>
    <message>
        <source>Name files PREFIX-c{N}.json / PREFIX-r{RATE}.json and PREFIX-summary.json/.csv (default: vLLM's names).</source>
        <translation>文件命名为 PREFIX-c{N}.json / PREFIX-r{RATE}.json 和 PREFIX-summary.json/.csv（默认：vLLM 的命名方式）。</translation>
    </message>
    <message>
        <source>Do not read the server's Prometheus /metrics during the sweep.</source>
        <translation>测试期间不读取服务器的 Prometheus /metrics。</translation>
    </message>
    <message>
        <source>Where the server publishes its metrics (default: &lt;base URL&gt;/metrics).</source>
        <translation>服务器提供指标的地址（默认：&lt;基础地址&gt;/metrics）。</translation>
    </message>
    <message>
        <source>How often to read the server's metrics, in milliseconds (default: 1000).</source>
        <translation>读取服务器指标的间隔，单位毫秒（默认：1000）。</translation>
    </message>
    <message>
        <source>--%1 needs a number, not “%2”.</source>
        <translation>--%1 需要一个数字，而不是“%2”。</translation>
    </message>
    <message>
        <source>Give either --concurrency-levels or --request-rates, not both.</source>
        <translation>--concurrency-levels 和 --request-rates 只能二选一。</translation>
    </message>
    <message>
        <source>In a concurrency sweep each level sets the concurrency; leave out --max-concurrency (or sweep --request-rates).</source>
        <translation>并发递增测试由每个档位设定并发数；请去掉 --max-concurrency（或改用 --request-rates 测试）。</translation>
    </message>
    <message>
        <source>In a rate sweep each level sets the request rate; leave out --request-rate.</source>
        <translation>速率递增测试由每个档位设定请求速率；请去掉 --request-rate。</translation>
    </message>
    <message>
        <source>--min-prompts-per-level needs a whole number, not “%1”.</source>
        <translation>--min-prompts-per-level 需要一个整数，而不是“%1”。</translation>
    </message>
    <message>
        <source>--slo-p99 needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</source>
        <translation>--slo-p99 需要“键:毫秒”的形式，键为 ttft、tpot 或 e2el 之一，而不是“%1”。</translation>
    </message>
    <message>
        <source>--%1 does not apply to a sweep: it writes one file per level, a summary JSON and a CSV to --result-dir (names: --result-prefix).</source>
        <translation>--%1 不适用于递增测试：它会在 --result-dir 中为每个档位写一个文件，另加一个汇总 JSON 和一个 CSV（命名：--result-prefix）。</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>速率</translation>
    </message>
    <message>
        <source>Conc.</source>
        <translation>并发</translation>
    </message>
    <message>
        <source>Reqs</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>OK %</source>
        <translation>成功%</translation>
    </message>
    <message>
        <source>Out tok/s</source>
        <translation>输出tok/s</translation>
    </message>
    <message>
        <source>Gain</source>
        <translation>提升</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>TTFT p99</source>
        <translation>TTFT p99</translation>
    </message>
    <message>
        <source>TPOT p50</source>
        <translation>TPOT p50</translation>
    </message>
    <message>
        <source>TPOT p99</source>
        <translation>TPOT p99</translation>
    </message>
    <message>
        <source>E2EL p99</source>
        <translation>E2EL p99</translation>
    </message>
    <message>
        <source>Server run/wait</source>
        <translation>服务器 运行/排队</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Find the server's limit: run the benchmark at rising concurrency (or request rates) until a limit is reached, then say where and why.</source>
        <translation>寻找服务器的极限：以逐步增加的并发（或请求速率）运行测试，直到触及限值，然后说明极限在哪里以及原因。</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>多余的参数“%1”。</translation>
    </message>
    <message>
        <source>Rate sweep over %1 requests/s</source>
        <translation>请求速率递增测试：%1 请求/秒</translation>
    </message>
    <message>
        <source>Concurrency sweep over %1</source>
        <translation>并发递增测试：%1</translation>
    </message>
    <message>
        <source>%1: %2 requests</source>
        <translation>%1：%2 个请求</translation>
    </message>
    <message>
        <source>Sweep verdict</source>
        <translation>测试结论</translation>
    </message>
    <message>
        <source>Summary: %1
</source>
        <translation>汇总：%1
</translation>
    </message>
    <message>
        <source>Table: %1
</source>
        <translation>表格：%1
</translation>
    </message>
</context>
</TS>
