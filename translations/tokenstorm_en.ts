<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ts::Anatomy</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>no reason was recorded</source>
        <translation>no reason was recorded</translation>
    </message>
    <message>
        <source>Failed (HTTP %1): %2</source>
        <translation>Failed (HTTP %1): %2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <source>Before the failure: no content arrived; the request ended after %1 ms.</source>
        <translation>Before the failure: no content arrived; the request ended after %1 ms.</translation>
    </message>
    <message>
        <source>Before the failure: no content arrived.</source>
        <translation>Before the failure: no content arrived.</translation>
    </message>
    <message numerus="yes">
        <source>Before the failure: %n chunks arrived, the first after %1 ms, the last after %2 ms; the request ended after %3 ms.</source>
        <translation>
            <numerusform>Before the failure: %n chunk arrived, the first after %1 ms, the last after %2 ms; the request ended after %3 ms.</numerusform>
            <numerusform>Before the failure: %n chunks arrived, the first after %1 ms, the last after %2 ms; the request ended after %3 ms.</numerusform>
        </translation>
    </message>
    <message>
        <source>A failed request counts in none of the summary's TTFT, TPOT, ITL or E2EL statistics, only in the number of failed requests.</source>
        <translation>A failed request counts in none of the summary's TTFT, TPOT, ITL or E2EL statistics, only in the number of failed requests.</translation>
    </message>
    <message>
        <source>TTFT and E2EL: one value per request; the summary's mean, median and percentiles are taken across requests.</source>
        <translation>TTFT and E2EL: one value per request; the summary's mean, median and percentiles are taken across requests.</translation>
    </message>
    <message>
        <source>TPOT: one value per request (here %1 ms); its statistics are taken across requests.</source>
        <translation>TPOT: one value per request (here %1 ms); its statistics are taken across requests.</translation>
    </message>
    <message>
        <source>TPOT: this request adds no value; the statistics are taken across the requests with n &gt; 1.</source>
        <translation>TPOT: this request adds no value; the statistics are taken across the requests with n &gt; 1.</translation>
    </message>
    <message numerus="yes">
        <source>ITL: every gap of every request goes into one pool, as vLLM does (this request adds %n gaps), so a long answer weighs more in ITL than in TPOT.</source>
        <translation>
            <numerusform>ITL: every gap of every request goes into one pool, as vLLM does (this request adds %n gap), so a long answer weighs more in ITL than in TPOT.</numerusform>
            <numerusform>ITL: every gap of every request goes into one pool, as vLLM does (this request adds %n gaps), so a long answer weighs more in ITL than in TPOT.</numerusform>
        </translation>
    </message>
    <message>
        <source>Here %1 tokens came in %2 chunks, so a gap is not one token apart: the mean ITL (%3 ms) differs from TPOT (%4 ms).</source>
        <translation>Here %1 tokens came in %2 chunks, so a gap is not one token apart: the mean ITL (%3 ms) differs from TPOT (%4 ms).</translation>
    </message>
    <message>
        <source>as the server reported (usage)</source>
        <translation>as the server reported (usage)</translation>
    </message>
    <message>
        <source>counted with a tokenizer</source>
        <translation>counted with a tokenizer</translation>
    </message>
    <message>
        <source>estimated: one per streamed chunk</source>
        <translation>estimated: one per streamed chunk</translation>
    </message>
    <message>
        <source>as the dataset asked for</source>
        <translation>as the dataset asked for</translation>
    </message>
    <message>
        <source>TTFT = t(first chunk) − t(sent) = %1 ms</source>
        <translation>TTFT = t(first chunk) − t(sent) = %1 ms</translation>
    </message>
    <message>
        <source>TTFT: no content arrived, so there is no first token.</source>
        <translation>TTFT: no content arrived, so there is no first token.</translation>
    </message>
    <message>
        <source>ITL = [%1] ms</source>
        <translation>ITL = [%1] ms</translation>
    </message>
    <message numerus="yes">
        <source>%n gaps between chunks, mean %1 ms</source>
        <translation>
            <numerusform>%n gap between chunks, mean %1 ms</numerusform>
            <numerusform>%n gaps between chunks, mean %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>ITL: no gaps, the answer came in a single chunk.</source>
        <translation>ITL: no gaps, the answer came in a single chunk.</translation>
    </message>
    <message>
        <source>TPOT = (E2EL − TTFT) / (n − 1) = (%1 − %2) / (%3 − 1) = %4 ms</source>
        <translation>TPOT = (E2EL − TTFT) / (n − 1) = (%1 − %2) / (%3 − 1) = %4 ms</translation>
    </message>
    <message>
        <source>TPOT: none, as n = %1: with fewer than two tokens there is no time per further token (vLLM leaves the request out of TPOT).</source>
        <translation>TPOT: none, as n = %1: with fewer than two tokens there is no time per further token (vLLM leaves the request out of TPOT).</translation>
    </message>
    <message numerus="yes">
        <source>n = %n output tokens, %1.</source>
        <translation>
            <numerusform>n = %n output token, %1.</numerusform>
            <numerusform>n = %n output tokens, %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>E2EL = t(last chunk) − t(sent) = %1 ms</source>
        <translation>E2EL = t(last chunk) − t(sent) = %1 ms</translation>
    </message>
    <message>
        <source>TTFRT = t(first reasoning chunk) − t(sent) = %1 ms</source>
        <translation>TTFRT = t(first reasoning chunk) − t(sent) = %1 ms</translation>
    </message>
    <message>
        <source>TTFAT = t(first answer chunk) − t(sent) = %1 ms</source>
        <translation>TTFAT = t(first answer chunk) − t(sent) = %1 ms</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning: %n chunks, TTFAT − TTFRT = %1 ms before the answer began.</source>
        <translation>
            <numerusform>Reasoning: %n chunks, TTFAT − TTFRT = %1 ms before the answer began.</numerusform><numerusform>Reasoning: %n chunks, TTFAT − TTFRT = %1 ms before the answer began.</numerusform></translation>
    </message>
    <message>
        <source>TTFAT: the model reasoned but no answer followed.</source>
        <translation>TTFAT: the model reasoned but no answer followed.</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning: %n chunks.</source>
        <translation>
            <numerusform>Reasoning: %n chunks.</numerusform><numerusform>Reasoning: %n chunks.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n reasoning tokens, part of the n output tokens.</source>
        <translation>
            <numerusform>%n reasoning tokens, part of the n output tokens.</numerusform><numerusform>%n reasoning tokens, part of the n output tokens.</numerusform></translation>
    </message>
    <message>
        <source>TTFRT and TTFAT: one value per request that reasoned; TTFT counts the first chunk of either kind, as vLLM does, so here it equals TTFRT.</source>
        <translation>TTFRT and TTFAT: one value per request that reasoned; TTFT counts the first chunk of either kind, as vLLM does, so here it equals TTFRT.</translation>
    </message>
</context>
<context>
    <name>ts::AnatomyView</name>
    <message numerus="yes">
        <source>%n chunks</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Request #%1 (%2)</source>
        <translation>Request #%1 (%2)</translation>
    </message>
    <message>
        <source>No content arrived.</source>
        <translation>No content arrived.</translation>
    </message>
    <message>
        <source>The answer as it arrived, chunk by chunk, with the wait before each chunk</source>
        <translation>The answer as it arrived, chunk by chunk, with the wait before each chunk</translation>
    </message>
    <message>
        <source>The chunks as they arrived, with the wait before each chunk</source>
        <translation>The chunks as they arrived, with the wait before each chunk</translation>
    </message>
    <message>
        <source>Only the whole answer was kept, not the text of each chunk (vLLM's result files keep no more): the boxes show when each chunk arrived, the text is below.</source>
        <translation>Only the whole answer was kept, not the text of each chunk (vLLM's result files keep no more): the boxes show when each chunk arrived, the text is below.</translation>
    </message>
    <message>
        <source>Click a request in the timeline to take it apart: the wait for its first token, each gap between chunks, and how TTFT, TPOT, ITL and E2EL come from them.</source>
        <translation>Click a request in the timeline to take it apart: the wait for its first token, each gap between chunks, and how TTFT, TPOT, ITL and E2EL come from them.</translation>
    </message>
    <message>
        <source>This request's figures</source>
        <translation>This request's figures</translation>
    </message>
    <message>
        <source>How they enter the summary</source>
        <translation>How they enter the summary</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Replay</translation>
    </message>
    <message>
        <source>Play the stream again at its recorded times, slowed down by the chosen factor</source>
        <translation>Play the stream again at its recorded times, slowed down by the chosen factor</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>Replay speed</source>
        <translation>Replay speed</translation>
    </message>
    <message numerus="yes">
        <source>Tinted boxes and the band on the bar: the model reasoning (%n chunks) before its answer. TTFT counts the first chunk of either kind, so here it is TTFRT; the answer begins at TTFAT.</source>
        <translation>
            <numerusform>Tinted boxes and the band on the bar: the model reasoning (%n chunks) before its answer. TTFT counts the first chunk of either kind, so here it is TTFRT; the answer begins at TTFAT.</numerusform><numerusform>Tinted boxes and the band on the bar: the model reasoning (%n chunks) before its answer. TTFT counts the first chunk of either kind, so here it is TTFRT; the answer begins at TTFAT.</numerusform></translation>
    </message>
</context>
<context>
    <name>ts::Backend</name>
    <message>
        <source>The server sent a stream message that is not JSON: %1</source>
        <translation>The server sent a stream message that is not JSON: %1</translation>
    </message>
    <message>
        <source>The server answered without an embedding.</source>
        <translation>The server answered without an embedding.</translation>
    </message>
    <message>
        <source>The server reported that the response failed.</source>
        <translation>The server reported that the response failed.</translation>
    </message>
</context>
<context>
    <name>ts::BackendRegistry</name>
    <message>
        <source>OpenAI-compatible, completions</source>
        <translation>OpenAI-compatible, completions</translation>
    </message>
    <message>
        <source>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers.</source>
        <translation>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers.</translation>
    </message>
    <message>
        <source>OpenAI-compatible, chat</source>
        <translation>OpenAI-compatible, chat</translation>
    </message>
    <message>
        <source>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers, when the model needs its chat template.</source>
        <translation>vLLM, SGLang, llama.cpp, LMDeploy, Ollama and most other servers, when the model needs its chat template.</translation>
    </message>
    <message>
        <source>Text Generation Inference (TGI)</source>
        <translation>Text Generation Inference (TGI)</translation>
    </message>
    <message>
        <source>Hugging Face Text Generation Inference.</source>
        <translation>Hugging Face Text Generation Inference.</translation>
    </message>
    <message>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <source>vLLM, llama.cpp and OpenAI's own service.</source>
        <translation>vLLM, llama.cpp and OpenAI's own service.</translation>
    </message>
    <message>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <source>llama.cpp and Anthropic's own service.</source>
        <translation>llama.cpp and Anthropic's own service.</translation>
    </message>
    <message>
        <source>llama.cpp, native API</source>
        <translation>llama.cpp, native API</translation>
    </message>
    <message>
        <source>llama.cpp server, native API (/completion).</source>
        <translation>llama.cpp server, native API (/completion).</translation>
    </message>
    <message>
        <source>Ollama, generate</source>
        <translation>Ollama, generate</translation>
    </message>
    <message>
        <source>Ollama, native API (/api/generate).</source>
        <translation>Ollama, native API (/api/generate).</translation>
    </message>
    <message>
        <source>Ollama, chat</source>
        <translation>Ollama, chat</translation>
    </message>
    <message>
        <source>Ollama, native API (/api/chat), when the model needs its chat template.</source>
        <translation>Ollama, native API (/api/chat), when the model needs its chat template.</translation>
    </message>
    <message>
        <source>SGLang, native API</source>
        <translation>SGLang, native API</translation>
    </message>
    <message>
        <source>SGLang server, native API (/generate).</source>
        <translation>SGLang server, native API (/generate).</translation>
    </message>
    <message>
        <source>TensorRT-LLM on Triton</source>
        <translation>TensorRT-LLM on Triton</translation>
    </message>
    <message>
        <source>NVIDIA Triton Inference Server with the TensorRT-LLM backend (generate_stream).</source>
        <translation>NVIDIA Triton Inference Server with the TensorRT-LLM backend (generate_stream).</translation>
    </message>
    <message>
        <source>OpenAI-compatible, embeddings</source>
        <translation>OpenAI-compatible, embeddings</translation>
    </message>
    <message>
        <source>vLLM with an embedding model, llama.cpp with --embeddings, Text Embeddings Inference (TEI), Infinity and other embedding servers.</source>
        <translation>vLLM with an embedding model, llama.cpp with --embeddings, Text Embeddings Inference (TEI), Infinity and other embedding servers.</translation>
    </message>
</context>
<context>
    <name>ts::BenchmarkConfig</name>
    <message>
        <source>Unknown backend “%1”. Choose one of: %2.</source>
        <translation>Unknown backend “%1”. Choose one of: %2.</translation>
    </message>
    <message>
        <source>The server address “%1” is not a valid http:// or https:// URL.</source>
        <translation>The server address “%1” is not a valid http:// or https:// URL.</translation>
    </message>
    <message>
        <source>The request timeout cannot be negative.</source>
        <translation>The request timeout cannot be negative.</translation>
    </message>
    <message>
        <source>The number of requests must be at least 1.</source>
        <translation>The number of requests must be at least 1.</translation>
    </message>
    <message>
        <source>The request rate must be a positive number of requests per second, or inf.</source>
        <translation>The request rate must be a positive number of requests per second, or inf.</translation>
    </message>
    <message>
        <source>Burstiness must be a positive number (1 means a Poisson process).</source>
        <translation>Burstiness must be a positive number (1 means a Poisson process).</translation>
    </message>
    <message>
        <source>The maximum concurrency cannot be negative.</source>
        <translation>The maximum concurrency cannot be negative.</translation>
    </message>
    <message>
        <source>The number of warm-up requests cannot be negative.</source>
        <translation>The number of warm-up requests cannot be negative.</translation>
    </message>
    <message>
        <source>Input and output lengths must be at least 1 token.</source>
        <translation>Input and output lengths must be at least 1 token.</translation>
    </message>
    <message>
        <source>The prefix length cannot be negative.</source>
        <translation>The prefix length cannot be negative.</translation>
    </message>
    <message>
        <source>The range ratio must be at least 0 and less than 1.</source>
        <translation>The range ratio must be at least 0 and less than 1.</translation>
    </message>
    <message>
        <source>Unknown metric “%1” in the percentile metrics. Choose from: ttft, tpot, itl, e2el.</source>
        <translation>Unknown metric “%1” in the percentile metrics. Choose from: ttft, tpot, itl, e2el.</translation>
    </message>
    <message>
        <source>Percentiles must lie between 0 and 100.</source>
        <translation>Percentiles must lie between 0 and 100.</translation>
    </message>
    <message>
        <source>Goodput limits must be positive numbers of milliseconds.</source>
        <translation>Goodput limits must be positive numbers of milliseconds.</translation>
    </message>
    <message>
        <source>Multi-turn runs need a ShareGPT file of conversations.</source>
        <translation>Multi-turn runs need a ShareGPT file of conversations.</translation>
    </message>
    <message>
        <source>Multi-turn runs send chat messages: choose the openai-chat backend.</source>
        <translation>Multi-turn runs send chat messages: choose the openai-chat backend.</translation>
    </message>
    <message>
        <source>A ramp-up start or end rate needs a ramp-up strategy (linear or exponential).</source>
        <translation>A ramp-up start or end rate needs a ramp-up strategy (linear or exponential).</translation>
    </message>
    <message>
        <source>With a ramp-up, do not give a request rate: the ramp-up sets it.</source>
        <translation>With a ramp-up, do not give a request rate: the ramp-up sets it.</translation>
    </message>
    <message>
        <source>A ramp-up needs both a start and an end rate.</source>
        <translation>A ramp-up needs both a start and an end rate.</translation>
    </message>
    <message>
        <source>The ramp-up start and end rates cannot be negative.</source>
        <translation>The ramp-up start and end rates cannot be negative.</translation>
    </message>
    <message>
        <source>The ramp-up start rate must not be above the end rate.</source>
        <translation>The ramp-up start rate must not be above the end rate.</translation>
    </message>
    <message>
        <source>An exponential ramp-up cannot start at 0 requests per second.</source>
        <translation>An exponential ramp-up cannot start at 0 requests per second.</translation>
    </message>
    <message>
        <source>A ramp-up cannot start at 0 requests per second: the first request would never be sent.</source>
        <translation>A ramp-up cannot start at 0 requests per second: the first request would never be sent.</translation>
    </message>
    <message>
        <source>The duration must be a positive number of seconds.</source>
        <translation>The duration must be a positive number of seconds.</translation>
    </message>
    <message>
        <source>Cancelling at the end of the duration needs a duration.</source>
        <translation>Cancelling at the end of the duration needs a duration.</translation>
    </message>
    <message>
        <source>A ramp-up cannot be combined with a duration.</source>
        <translation>A ramp-up cannot be combined with a duration.</translation>
    </message>
    <message>
        <source>A run limited by a duration needs a finite request rate or a maximum concurrency; otherwise it would release endless requests at once.</source>
        <translation>A run limited by a duration needs a finite request rate or a maximum concurrency; otherwise it would release endless requests at once.</translation>
    </message>
    <message>
        <source>Multi-turn runs cannot be limited by a duration.</source>
        <translation>Multi-turn runs cannot be limited by a duration.</translation>
    </message>
    <message>
        <source>The trace time scale must be a positive number (0.5 replays twice as fast).</source>
        <translation>The trace time scale must be a positive number (0.5 replays twice as fast).</translation>
    </message>
    <message>
        <source>A trace sends each request at its own time: do not give a request rate.</source>
        <translation>A trace sends each request at its own time: do not give a request rate.</translation>
    </message>
    <message>
        <source>A trace sends each request at its own time: it cannot be combined with a ramp-up.</source>
        <translation>A trace sends each request at its own time: it cannot be combined with a ramp-up.</translation>
    </message>
    <message>
        <source>A trace ends with its last request: it cannot be limited by a duration.</source>
        <translation>A trace ends with its last request: it cannot be limited by a duration.</translation>
    </message>
    <message>
        <source>A trace cannot be sent as multi-turn conversations.</source>
        <translation>A trace cannot be sent as multi-turn conversations.</translation>
    </message>
</context>
<context>
    <name>ts::BenchmarkRunner</name>
    <message>
        <source>The workload has no prompts.</source>
        <translation>The workload has no prompts.</translation>
    </message>
    <message>
        <source>The first test request failed, so the run did not start: %1</source>
        <translation>The first test request failed, so the run did not start: %1</translation>
    </message>
    <message>
        <source>Stopped at the end of --duration.</source>
        <translation>Stopped at the end of --duration.</translation>
    </message>
</context>
<context>
    <name>ts::ChartExport</name>
    <message>
        <source>The chart is not shown, so it cannot be saved.</source>
        <translation>The chart is not shown, so it cannot be saved.</translation>
    </message>
</context>
<context>
    <name>ts::ChartPainter</name>
    <message>
        <source>No data</source>
        <translation>No data</translation>
    </message>
</context>
<context>
    <name>ts::ChartView</name>
    <message>
        <source>Save as PNG…</source>
        <translation>Save as PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>Save as SVG…</translation>
    </message>
</context>
<context>
    <name>ts::ChunkStream</name>
    <message>
        <source>wait %1 ms</source>
        <translation>wait %1 ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n tok</source>
        <translation>
            <numerusform>%n tok</numerusform>
            <numerusform>%n tok</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::CompareCharts</name>
    <message>
        <source>Time to first token</source>
        <translation>Time to first token</translation>
    </message>
    <message>
        <source>Time per output token</source>
        <translation>Time per output token</translation>
    </message>
    <message>
        <source>Inter-token latency</source>
        <translation>Inter-token latency</translation>
    </message>
    <message>
        <source>End-to-end latency</source>
        <translation>End-to-end latency</translation>
    </message>
    <message>
        <source>Requests at or below (%)</source>
        <translation>Requests at or below (%)</translation>
    </message>
    <message>
        <source>Add result files to overlay their latency distributions.</source>
        <translation>Add result files to overlay their latency distributions.</translation>
    </message>
    <message>
        <source>None of these files has per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</source>
        <translation>None of these files has per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</translation>
    </message>
    <message>
        <source>Each line is one file: the share of requests at or below a value. A line further right is slower; where it crosses 99% is the P99. The axis ends at the largest P99.5.</source>
        <translation>Each line is one file: the share of requests at or below a value. A line further right is slower; where it crosses 99% is the P99. The axis ends at the largest P99.5.</translation>
    </message>
    <message>
        <source>Without per-request data, so not drawn: %1.</source>
        <translation>Without per-request data, so not drawn: %1.</translation>
    </message>
</context>
<context>
    <name>ts::CompareWindow</name>
    <message>
        <source>There is nothing to export yet: add result files first.</source>
        <translation>There is nothing to export yet: add result files first.</translation>
    </message>
    <message>
        <source>Add result files to the comparison</source>
        <translation>Add result files to the comparison</translation>
    </message>
    <message>
        <source>Result files (*.json *.jsonl);;All files (*)</source>
        <translation>Result files (*.json *.jsonl);;All files (*)</translation>
    </message>
    <message>
        <source>Save the comparison as CSV</source>
        <translation>Save the comparison as CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Save every chart as PNG and SVG into</source>
        <translation>Save every chart as PNG and SVG into</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG images (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>Save the chart</translation>
    </message>
    <message>
        <source>Compare results – Tokenstorm</source>
        <translation>Compare results – Tokenstorm</translation>
    </message>
    <message>
        <source>Add two or more result files (Tokenstorm's or vLLM's), or drop them here. The first file is the baseline: every other file shows its difference to it in percent.</source>
        <translation>Add two or more result files (Tokenstorm's or vLLM's), or drop them here. The first file is the baseline: every other file shows its difference to it in percent.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Remove the selected files from the comparison.</source>
        <translation>Remove the selected files from the comparison.</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>One row per setup key and metric, one column per file, then the differences in percent.</source>
        <translation>One row per setup key and metric, one column per file, then the differences in percent.</translation>
    </message>
    <message>
        <source>Save charts…</source>
        <translation>Save charts…</translation>
    </message>
    <message>
        <source>Save each distribution chart as PNG and SVG into a folder.</source>
        <translation>Save each distribution chart as PNG and SVG into a folder.</translation>
    </message>
    <message>
        <source>Show only rows that differ</source>
        <translation>Show only rows that differ</translation>
    </message>
    <message>
        <source>Setup and metrics</source>
        <translation>Setup and metrics</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>Distributions</translation>
    </message>
    <message>
        <source>Add at least one more file to see differences.</source>
        <translation>Add at least one more file to see differences.</translation>
    </message>
    <message>
        <source>Export the comparison as a report</source>
        <translation>Export the comparison as a report</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>Export report…</translation>
    </message>
    <message>
        <source>One HTML or PDF file with the table and the charts, for a report or a slide.</source>
        <translation>One HTML or PDF file with the table and the charts, for a report or a slide.</translation>
    </message>
</context>
<context>
    <name>ts::Comparison</name>
    <message>
        <source>Queue time</source>
        <translation>Queue time</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Endpoint type</source>
        <translation>Endpoint type</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>Number of prompts</source>
        <translation>Number of prompts</translation>
    </message>
    <message>
        <source>Request rate (req/s)</source>
        <translation>Request rate (req/s)</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>Burstiness</translation>
    </message>
    <message>
        <source>Maximum concurrency</source>
        <translation>Maximum concurrency</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Successful requests</source>
        <translation>Successful requests</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>Failed requests</translation>
    </message>
    <message>
        <source>Benchmark duration (s)</source>
        <translation>Benchmark duration (s)</translation>
    </message>
    <message>
        <source>Total input tokens</source>
        <translation>Total input tokens</translation>
    </message>
    <message>
        <source>Total generated tokens</source>
        <translation>Total generated tokens</translation>
    </message>
    <message>
        <source>Request throughput (req/s)</source>
        <translation>Request throughput (req/s)</translation>
    </message>
    <message>
        <source>Request goodput (req/s)</source>
        <translation>Request goodput (req/s)</translation>
    </message>
    <message>
        <source>Output token throughput (tok/s)</source>
        <translation>Output token throughput (tok/s)</translation>
    </message>
    <message>
        <source>Peak output token throughput (tok/s)</source>
        <translation>Peak output token throughput (tok/s)</translation>
    </message>
    <message>
        <source>Peak concurrent requests</source>
        <translation>Peak concurrent requests</translation>
    </message>
    <message>
        <source>Total token throughput (tok/s)</source>
        <translation>Total token throughput (tok/s)</translation>
    </message>
    <message>
        <source>Mean %1 (ms)</source>
        <translation>Mean %1 (ms)</translation>
    </message>
    <message>
        <source>Median %1 (ms)</source>
        <translation>Median %1 (ms)</translation>
    </message>
    <message>
        <source>Std %1 (ms)</source>
        <translation>Std %1 (ms)</translation>
    </message>
    <message>
        <source>P%1 %2 (ms)</source>
        <translation>P%1 %2 (ms)</translation>
    </message>
    <message>
        <source>A comparison needs at least two result files.</source>
        <translation>A comparison needs at least two result files.</translation>
    </message>
    <message>
        <source>vs [1]</source>
        <translation>vs [1]</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Setup</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metric</translation>
    </message>
</context>
<context>
    <name>ts::ComparisonModel</name>
    <message>
        <source>= same</source>
        <translation>= same</translation>
    </message>
    <message>
        <source>better</source>
        <translation>better</translation>
    </message>
    <message>
        <source>worse</source>
        <translation>worse</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metrics</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Setup</translation>
    </message>
    <message>
        <source>%1 (%2): the files differ here.</source>
        <translation>%1 (%2): the files differ here.</translation>
    </message>
    <message>
        <source>%1 is better than %2 here.</source>
        <translation>%1 is better than %2 here.</translation>
    </message>
    <message>
        <source>%1 is worse than %2 here.</source>
        <translation>%1 is worse than %2 here.</translation>
    </message>
    <message>
        <source>Difference of %1 to %2.</source>
        <translation>Difference of %1 to %2.</translation>
    </message>
    <message>
        <source>Setup and metric</source>
        <translation>Setup and metric</translation>
    </message>
    <message>
        <source>[%1] against [1] in percent</source>
        <translation>[%1] against [1] in percent</translation>
    </message>
    <message>
        <source>[%1] vs [1]</source>
        <translation>[%1] vs [1]</translation>
    </message>
</context>
<context>
    <name>ts::ConfigPanel</name>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>Pick one of the guide's four test scenarios to fill in its numbers, or set every field yourself.</source>
        <translation>Pick one of the guide's four test scenarios to fill in its numbers, or set every field yourself.</translation>
    </message>
    <message>
        <source>The user guide's test scenarios: a basic function test, a performance baseline, a concurrency stress test and a realistic scenario. Choosing one sets the workload and load fields; changing a field afterwards makes it custom.</source>
        <translation>The user guide's test scenarios: a basic function test, a performance baseline, a concurrency stress test and a realistic scenario. Choosing one sets the workload and load fields; changing a field afterwards makes it custom.</translation>
    </message>
</context>
<context>
    <name>ts::DatasetPreview</name>
    <message>
        <source>%1: mean %2 tokens (%3 to %4)</source>
        <translation>%1: mean %2 tokens (%3 to %4)</translation>
    </message>
    <message>
        <source>Preview cancelled. Change the file or its settings to load it again.</source>
        <translation>Preview cancelled. Change the file or its settings to load it again.</translation>
    </message>
    <message>
        <source>The tokenizer cannot be used, so lengths are estimated: %1</source>
        <translation>The tokenizer cannot be used, so lengths are estimated: %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Input lengths</source>
        <translation>Input lengths</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Input tokens</translation>
    </message>
    <message>
        <source>Output lengths</source>
        <translation>Output lengths</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Output tokens</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>Reading the dataset…</translation>
    </message>
    <message>
        <source>The dataset cannot be used.</source>
        <translation>The dataset cannot be used.</translation>
    </message>
    <message numerus="yes">
        <source>%1 conversations, %n turns in all.</source>
        <translation>
            <numerusform>%1 conversations, %n turn in all.</numerusform>
            <numerusform>%1 conversations, %n turns in all.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s) will be sent.</source>
        <translation>
            <numerusform>%n prompt will be sent.</numerusform>
            <numerusform>%n prompts will be sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Input</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Lengths are estimates; choose a tokenizer for exact counts.</source>
        <translation>Lengths are estimates; choose a tokenizer for exact counts.</translation>
    </message>
</context>
<context>
    <name>ts::Datasets</name>
    <message>
        <source>The tokenizer has no chat template Tokenstorm knows: prompts are used without one.</source>
        <translation>The tokenizer has no chat template Tokenstorm knows: prompts are used without one.</translation>
    </message>
    <message numerus="yes">
        <source>%n malformed record(s) skipped; the first: %1</source>
        <translation>
            <numerusform>%n malformed record skipped; the first: %1</numerusform>
            <numerusform>%n malformed records skipped; the first: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The dataset file “%1” has no usable rows (%n skipped; the first: %2).</source>
        <translation>
            <numerusform>The dataset file “%1” has no usable rows (%n skipped; the first: %2).</numerusform>
            <numerusform>The dataset file “%1” has no usable rows (%n skipped; the first: %2).</numerusform>
        </translation>
    </message>
    <message>
        <source>not valid JSON</source>
        <translation>not valid JSON</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>not a JSON object</translation>
    </message>
    <message>
        <source>every message needs a “role” and a text “content”</source>
        <translation>every message needs a “role” and a text “content”</translation>
    </message>
    <message>
        <source>no text “prompt” and no “messages”</source>
        <translation>no text “prompt” and no “messages”</translation>
    </message>
    <message>
        <source>“output_len” is not a positive whole number</source>
        <translation>“output_len” is not a positive whole number</translation>
    </message>
    <message>
        <source>the header has no “prompt” column</source>
        <translation>the header has no “prompt” column</translation>
    </message>
    <message>
        <source>a quoted field is not closed</source>
        <translation>a quoted field is not closed</translation>
    </message>
    <message>
        <source>%1 fields where the header has %2</source>
        <translation>%1 fields where the header has %2</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>the prompt is empty</translation>
    </message>
    <message>
        <source>--num-prompts (%1) must be at least --prefix-repetition-num-prefixes (%2).</source>
        <translation>--num-prompts (%1) must be at least --prefix-repetition-num-prefixes (%2).</translation>
    </message>
    <message>
        <source>%1 prompt tokens differ from the requested lengths after decoding and re-encoding.</source>
        <translation>%1 prompt tokens differ from the requested lengths after decoding and re-encoding.</translation>
    </message>
    <message>
        <source>Unknown dataset “%1”. Choose one of: %2.</source>
        <translation>Unknown dataset “%1”. Choose one of: %2.</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1, line %2: %3</translation>
    </message>
    <message>
        <source>%1, byte %2: %3</source>
        <translation>%1, byte %2: %3</translation>
    </message>
    <message>
        <source>No tokenizer given: token lengths are estimates, so filtering by length may differ from vLLM's. Give --tokenizer for exact lengths.</source>
        <translation>No tokenizer given: token lengths are estimates, so filtering by length may differ from vLLM's. Give --tokenizer for exact lengths.</translation>
    </message>
    <message>
        <source>This dataset needs a file (--dataset-path).</source>
        <translation>This dataset needs a file (--dataset-path).</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>Cannot read %1: %2.</translation>
    </message>
    <message>
        <source>not valid JSON near “%1”</source>
        <translation>not valid JSON near “%1”</translation>
    </message>
    <message>
        <source>%1 has no conversation with two or more turns.</source>
        <translation>%1 has no conversation with two or more turns.</translation>
    </message>
    <message>
        <source>%1 has no conversation with a user turn and a reply.</source>
        <translation>%1 has no conversation with a user turn and a reply.</translation>
    </message>
    <message>
        <source>%1 is not UTF-8 text.</source>
        <translation>%1 is not UTF-8 text.</translation>
    </message>
    <message>
        <source>--sonnet-input-len must be larger than the instruction's length (%1 tokens).</source>
        <translation>--sonnet-input-len must be larger than the instruction's length (%1 tokens).</translation>
    </message>
    <message>
        <source>No prompt of %1 fits in --sonnet-input-len %2 tokens.</source>
        <translation>No prompt of %1 fits in --sonnet-input-len %2 tokens.</translation>
    </message>
    <message>
        <source>The dataset file “%1” is empty.</source>
        <translation>The dataset file “%1” is empty.</translation>
    </message>
    <message>
        <source>The dataset file %1 is %2 MB, more than the %3 MB (a quarter of this computer's memory) a run may read. Give a smaller file.</source>
        <translation>The dataset file %1 is %2 MB, more than the %3 MB (a quarter of this computer's memory) a run may read. Give a smaller file.</translation>
    </message>
    <message>
        <source>No conversation in the dataset file “%1” fits vLLM's length limits (prompts of 4 to 1024 tokens, prompt and reply together up to 2048).</source>
        <translation>No conversation in the dataset file “%1” fits vLLM's length limits (prompts of 4 to 1024 tokens, prompt and reply together up to 2048).</translation>
    </message>
    <message>
        <source>the file is a JSON object, not an array of conversations</source>
        <translation>the file is a JSON object, not an array of conversations</translation>
    </message>
    <message>
        <source>a conversation turn has no text “value”</source>
        <translation>a conversation turn has no text “value”</translation>
    </message>
    <message>
        <source>the file holds a single value, not an array of conversations</source>
        <translation>the file holds a single value, not an array of conversations</translation>
    </message>
    <message>
        <source>“timestamp” is not a number of milliseconds from 0 to %1 days</source>
        <translation>“timestamp” is not a number of milliseconds from 0 to %1 days</translation>
    </message>
    <message>
        <source>“input_length” is not a whole number of tokens from 1 to %1</source>
        <translation>“input_length” is not a whole number of tokens from 1 to %1</translation>
    </message>
    <message>
        <source>“output_length” is not a whole number of tokens from 1 to %1</source>
        <translation>“output_length” is not a whole number of tokens from 1 to %1</translation>
    </message>
    <message>
        <source>“hash_ids” is not a list of whole numbers</source>
        <translation>“hash_ids” is not a list of whole numbers</translation>
    </message>
    <message>
        <source>%1 prompt tokens differ from the trace's input lengths where blocks meet.</source>
        <translation>%1 prompt tokens differ from the trace's input lengths where blocks meet.</translation>
    </message>
</context>
<context>
    <name>ts::DemoServerForm</name>
    <message>
        <source>Fixed latency (checks the client)</source>
        <translation>Fixed latency (checks the client)</translation>
    </message>
    <message>
        <source>Fast GPU server</source>
        <translation>Fast GPU server</translation>
    </message>
    <message>
        <source>Small GPU server</source>
        <translation>Small GPU server</translation>
    </message>
    <message>
        <source>Small CPU server</source>
        <translation>Small CPU server</translation>
    </message>
    <message>
        <source>Server that saturates early</source>
        <translation>Server that saturates early</translation>
    </message>
    <message>
        <source>Every answer starts after 100 ms and streams a token every 50 ms, however many requests run. Useful to check that the client measures correctly.</source>
        <translation>Every answer starts after 100 ms and streams a token every 50 ms, however many requests run. Useful to check that the client measures correctly.</translation>
    </message>
    <message>
        <source>Like a large GPU serving a model of about 8B parameters: up to 256 requests at once, a fast prefill, and a generation that slows a little as the batch grows.</source>
        <translation>Like a large GPU serving a model of about 8B parameters: up to 256 requests at once, a fast prefill, and a generation that slows a little as the batch grows.</translation>
    </message>
    <message>
        <source>Like a smaller GPU or a larger model: up to 64 requests at once, with a slower prefill and generation.</source>
        <translation>Like a smaller GPU or a larger model: up to 64 requests at once, with a slower prefill and generation.</translation>
    </message>
    <message>
        <source>Like llama.cpp on a CPU: 4 requests at once, slow prefill and generation. Further requests queue, so the time to first token grows quickly.</source>
        <translation>Like llama.cpp on a CPU: 4 requests at once, slow prefill and generation. Further requests queue, so the time to first token grows quickly.</translation>
    </message>
    <message>
        <source>A server with 16 slots that saturates early: above 16 concurrent requests the throughput stops growing and latency rises. Good for finding the knee with a concurrency sweep.</source>
        <translation>A server with 16 slots that saturates early: above 16 concurrent requests the throughput stops growing and latency rises. Good for finding the knee with a concurrency sweep.</translation>
    </message>
    <message>
        <source>Built-in demo server</source>
        <translation>Built-in demo server</translation>
    </message>
    <message>
        <source>A simulated inference server inside this app. It behaves like a real one (batching, queueing, a filling KV cache) so you can try every setting without a server. Untick it to test your own server.</source>
        <translation>A simulated inference server inside this app. It behaves like a real one (batching, queueing, a filling KV cache) so you can try every setting without a server. Untick it to test your own server.</translation>
    </message>
    <message>
        <source>Behaves like</source>
        <translation>Behaves like</translation>
    </message>
    <message>
        <source>Untick to test your own server.</source>
        <translation>Untick to test your own server.</translation>
    </message>
    <message>
        <source>Slow server for the exercises</source>
        <translation>Slow server for the exercises</translation>
    </message>
    <message>
        <source>Slow enough to watch: 4 requests at once, about 1 s to the first token and a token every 200 ms. A fifth request waits until one of the four is done.</source>
        <translation>Slow enough to watch: 4 requests at once, about 1 s to the first token and a token every 200 ms. A fifth request waits until one of the four is done.</translation>
    </message>
    <message>
        <source>Reasoning tokens per reply</source>
        <translation>Reasoning tokens per reply</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Act as a reasoning model: every reply thinks for this many tokens before it answers (OpenAI chat and Responses, Anthropic). The summary then shows when the reasoning and the answer began (TTFRT, TTFAT).</source>
        <translation>Act as a reasoning model: every reply thinks for this many tokens before it answers (OpenAI chat and Responses, Anthropic). The summary then shows when the reasoning and the answer began (TTFRT, TTFAT).</translation>
    </message>
</context>
<context>
    <name>ts::DistributionChart</name>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Cumulative share</source>
        <translation>Cumulative share</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>Histogram</translation>
    </message>
    <message>
        <source>Cumulative share (CDF)</source>
        <translation>Cumulative share (CDF)</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>no data</translation>
    </message>
    <message>
        <source>median %1 ms · P99 %2 ms · %3 values</source>
        <translation>median %1 ms · P99 %2 ms · %3 values</translation>
    </message>
    <message>
        <source>median %1 tokens · P99 %2 tokens · %3 values</source>
        <translation>median %1 tokens · P99 %2 tokens · %3 values</translation>
    </message>
</context>
<context>
    <name>ts::DistributionsView</name>
    <message>
        <source>The distributions appear when a run ends or a result file is opened.</source>
        <translation>The distributions appear when a run ends or a result file is opened.</translation>
    </message>
    <message>
        <source>This result has no per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</source>
        <translation>This result has no per-request data (vLLM writes it only with --save-detailed), so no distributions can be drawn.</translation>
    </message>
    <message>
        <source>Bars: how many values fall in each range. Line: the share of values at or below a value, e.g. where it crosses 99% is the P99. Values above P99.5 are counted in the last bar.</source>
        <translation>Bars: how many values fall in each range. Line: the share of values at or below a value, e.g. where it crosses 99% is the P99. Values above P99.5 are counted in the last bar.</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>Time to first token</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>Time per output token</source>
        <translation>Time per output token</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>Inter-token latency</source>
        <translation>Inter-token latency</translation>
    </message>
    <message>
        <source>ITL (ms)</source>
        <translation>ITL (ms)</translation>
    </message>
    <message>
        <source>End-to-end latency</source>
        <translation>End-to-end latency</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL (ms)</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>Distributions</translation>
    </message>
    <message>
        <source>Time to first reasoning token</source>
        <translation>Time to first reasoning token</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT (ms)</translation>
    </message>
    <message>
        <source>Time to first answer token</source>
        <translation>Time to first answer token</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT (ms)</translation>
    </message>
</context>
<context>
    <name>ts::ErrorText</name>
    <message>
        <source>The server reported an error in the stream.</source>
        <translation>The server reported an error in the stream.</translation>
    </message>
    <message>
        <source>Bad Request</source>
        <translation>Bad Request</translation>
    </message>
    <message>
        <source>Unauthorized</source>
        <translation>Unauthorized</translation>
    </message>
    <message>
        <source>Payment Required</source>
        <translation>Payment Required</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>Forbidden</translation>
    </message>
    <message>
        <source>Not Found</source>
        <translation>Not Found</translation>
    </message>
    <message>
        <source>Method Not Allowed</source>
        <translation>Method Not Allowed</translation>
    </message>
    <message>
        <source>Not Acceptable</source>
        <translation>Not Acceptable</translation>
    </message>
    <message>
        <source>Proxy Authentication Required</source>
        <translation>Proxy Authentication Required</translation>
    </message>
    <message>
        <source>Request Timeout</source>
        <translation>Request Timeout</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Gone</source>
        <translation>Gone</translation>
    </message>
    <message>
        <source>Length Required</source>
        <translation>Length Required</translation>
    </message>
    <message>
        <source>Payload Too Large</source>
        <translation>Payload Too Large</translation>
    </message>
    <message>
        <source>URI Too Long</source>
        <translation>URI Too Long</translation>
    </message>
    <message>
        <source>Unsupported Media Type</source>
        <translation>Unsupported Media Type</translation>
    </message>
    <message>
        <source>Misdirected Request</source>
        <translation>Misdirected Request</translation>
    </message>
    <message>
        <source>Unprocessable Entity</source>
        <translation>Unprocessable Entity</translation>
    </message>
    <message>
        <source>Failed Dependency</source>
        <translation>Failed Dependency</translation>
    </message>
    <message>
        <source>Too Early</source>
        <translation>Too Early</translation>
    </message>
    <message>
        <source>Upgrade Required</source>
        <translation>Upgrade Required</translation>
    </message>
    <message>
        <source>Too Many Requests</source>
        <translation>Too Many Requests</translation>
    </message>
    <message>
        <source>Request Header Fields Too Large</source>
        <translation>Request Header Fields Too Large</translation>
    </message>
    <message>
        <source>Client Closed Request</source>
        <translation>Client Closed Request</translation>
    </message>
    <message>
        <source>Internal Server Error</source>
        <translation>Internal Server Error</translation>
    </message>
    <message>
        <source>Not Implemented</source>
        <translation>Not Implemented</translation>
    </message>
    <message>
        <source>Bad Gateway</source>
        <translation>Bad Gateway</translation>
    </message>
    <message>
        <source>Service Unavailable</source>
        <translation>Service Unavailable</translation>
    </message>
    <message>
        <source>Gateway Timeout</source>
        <translation>Gateway Timeout</translation>
    </message>
    <message>
        <source>HTTP Version Not Supported</source>
        <translation>HTTP Version Not Supported</translation>
    </message>
    <message>
        <source>Insufficient Storage</source>
        <translation>Insufficient Storage</translation>
    </message>
    <message>
        <source>The server sent no details.</source>
        <translation>The server sent no details.</translation>
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
        <translation>HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>ts::Exercises</name>
    <message>
        <source>There is no finished run yet: set the step's values and start a run.</source>
        <translation>There is no finished run yet: set the step's values and start a run.</translation>
    </message>
    <message>
        <source>There is no finished sweep yet: set the step's values and start the sweep.</source>
        <translation>There is no finished sweep yet: set the step's values and start the sweep.</translation>
    </message>
    <message>
        <source>Exercise 1: A first test</source>
        <translation>Exercise 1: A first test</translation>
    </message>
    <message>
        <source>Send 10 requests to a slow server and read TTFT and TPOT from your own run.</source>
        <translation>Send 10 requests to a slow server and read TTFT and TPOT from your own run.</translation>
    </message>
    <message>
        <source>Ten requests at once</source>
        <translation>Ten requests at once</translation>
    </message>
    <message>
        <source>Use the built-in classroom server (4 slots): 10 requests of 128 input and 24 output tokens, all sent at once with no concurrency limit. Then start the run.</source>
        <translation>Use the built-in classroom server (4 slots): 10 requests of 128 input and 24 output tokens, all sent at once with no concurrency limit. Then start the run.</translation>
    </message>
    <message>
        <source>In the timeline, four requests get their first token after about a second and stream a token every 200 ms or so. The others wait for a free slot before their first token.</source>
        <translation>In the timeline, four requests get their first token after about a second and stream a token every 200 ms or so. The others wait for a free slot before their first token.</translation>
    </message>
    <message>
        <source>Which request had the longest TTFT, and why?</source>
        <translation>Which request had the longest TTFT, and why?</translation>
    </message>
    <message>
        <source>Request number</source>
        <translation>Request number</translation>
    </message>
    <message>
        <source>At most four at once</source>
        <translation>At most four at once</translation>
    </message>
    <message>
        <source>Run the same 10 requests again, but with at most 4 in flight, as many as the server has slots.</source>
        <translation>Run the same 10 requests again, but with at most 4 in flight, as many as the server has slots.</translation>
    </message>
    <message>
        <source>In the summary: the mean TTFT and TPOT and their ratings. Requests now wait on the client (queue time) instead of on the server, so TTFT is shorter.</source>
        <translation>In the summary: the mean TTFT and TPOT and their ratings. Requests now wait on the client (queue time) instead of on the server, so TTFT is shorter.</translation>
    </message>
    <message>
        <source>What was the mean TTFT in milliseconds, and how does it rate?</source>
        <translation>What was the mean TTFT in milliseconds, and how does it rate?</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Milliseconds</translation>
    </message>
    <message>
        <source>Exercise 2: Load test</source>
        <translation>Exercise 2: Load test</translation>
    </message>
    <message>
        <source>Raise the load step by step and find where the server stops keeping up: the knee.</source>
        <translation>Raise the load step by step and find where the server stops keeping up: the knee.</translation>
    </message>
    <message>
        <source>Concurrency sweep</source>
        <translation>Concurrency sweep</translation>
    </message>
    <message>
        <source>Run a concurrency sweep on the classroom server over 1, 2, 4 and 8 requests at once, with twice as many requests as the level.</source>
        <translation>Run a concurrency sweep on the classroom server over 1, 2, 4 and 8 requests at once, with twice as many requests as the level.</translation>
    </message>
    <message>
        <source>In the sweep view: the output throughput per level, and how TTFT grows once the level passes the server's 4 slots.</source>
        <translation>In the sweep view: the output throughput per level, and how TTFT grows once the level passes the server's 4 slots.</translation>
    </message>
    <message>
        <source>Where is the knee: from which concurrency on does the throughput stop growing?</source>
        <translation>Where is the knee: from which concurrency on does the throughput stop growing?</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrency</translation>
    </message>
    <message>
        <source>The setting to keep</source>
        <translation>The setting to keep</translation>
    </message>
    <message>
        <source>Look at the same sweep again.</source>
        <translation>Look at the same sweep again.</translation>
    </message>
    <message>
        <source>The verdict under the sweep chart: the highest stable level and the rule the next level broke.</source>
        <translation>The verdict under the sweep chart: the highest stable level and the rule the next level broke.</translation>
    </message>
    <message>
        <source>What is the highest stable concurrency, the one to write down as the best setting?</source>
        <translation>What is the highest stable concurrency, the one to write down as the best setting?</translation>
    </message>
    <message>
        <source>Exercise 3: Compare configurations</source>
        <translation>Exercise 3: Compare configurations</translation>
    </message>
    <message>
        <source>Run the same workload with two settings and weigh throughput against waiting time.</source>
        <translation>Run the same workload with two settings and weigh throughput against waiting time.</translation>
    </message>
    <message>
        <source>Concurrency 2</source>
        <translation>Concurrency 2</translation>
    </message>
    <message>
        <source>Run 12 requests on the classroom server with at most 2 in flight.</source>
        <translation>Run 12 requests on the classroom server with at most 2 in flight.</translation>
    </message>
    <message>
        <source>In the summary: the output throughput and the p99 TTFT.</source>
        <translation>In the summary: the output throughput and the p99 TTFT.</translation>
    </message>
    <message>
        <source>What output throughput did this run reach, in tokens per second?</source>
        <translation>What output throughput did this run reach, in tokens per second?</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>Tokens per second</translation>
    </message>
    <message>
        <source>Concurrency 8</source>
        <translation>Concurrency 8</translation>
    </message>
    <message>
        <source>Run the same 12 requests with at most 8 in flight, twice the server's slots.</source>
        <translation>Run the same 12 requests with at most 8 in flight, twice the server's slots.</translation>
    </message>
    <message>
        <source>In the comparison: output throughput and p99 TTFT of both runs side by side.</source>
        <translation>In the comparison: output throughput and p99 TTFT of both runs side by side.</translation>
    </message>
    <message>
        <source>Which concurrency gave the higher output throughput? Which one had the lower p99 TTFT?</source>
        <translation>Which concurrency gave the higher output throughput? Which one had the lower p99 TTFT?</translation>
    </message>
    <message>
        <source>Concurrency with more throughput</source>
        <translation>Concurrency with more throughput</translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token: %n request(s) were already in flight when it was sent, and the server has %3 slots, so it queued until one was free.</source>
        <translation>
            <numerusform>Request #%1 waited %2 s for its first token: %n request was already in flight when it was sent, and the server has %3 slots, so it queued until one was free.</numerusform>
            <numerusform>Request #%1 waited %2 s for its first token: %n requests were already in flight when it was sent, and the server has %3 slots, so it queued until one was free.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token. %n other request(s) were in flight when it was sent, fewer than the server's %3 slots: it shared the prefill and decode steps with them.</source>
        <translation>
            <numerusform>Request #%1 waited %2 s for its first token. %n other request was in flight when it was sent, fewer than the server's %3 slots: it shared the prefill and decode steps with it.</numerusform>
            <numerusform>Request #%1 waited %2 s for its first token. %n other requests were in flight when it was sent, fewer than the server's %3 slots: it shared the prefill and decode steps with them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Request #%1 waited %2 s for its first token; %n other request(s) were in flight when it was sent.</source>
        <translation>
            <numerusform>Request #%1 waited %2 s for its first token; %n other request was in flight when it was sent.</numerusform>
            <numerusform>Request #%1 waited %2 s for its first token; %n other requests were in flight when it was sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Before it was sent, it waited %1 s on the client for a concurrency slot; TTFT does not count that.</source>
        <translation>Before it was sent, it waited %1 s on the client for a concurrency slot; TTFT does not count that.</translation>
    </message>
    <message>
        <source>Mean TTFT %1 ms: %2. Mean TPOT %3 ms: %4. The guide's limits: TTFT below %5 ms is excellent and below %6 ms good; TPOT below %7 ms is excellent and below %8 ms good.</source>
        <translation>Mean TTFT %1 ms: %2. Mean TPOT %3 ms: %4. The guide's limits: TTFT below %5 ms is excellent and below %6 ms good; TPOT below %7 ms is excellent and below %8 ms good.</translation>
    </message>
    <message>
        <source>concurrency %1</source>
        <translation>concurrency %1</translation>
    </message>
    <message>
        <source>no concurrency limit</source>
        <translation>no concurrency limit</translation>
    </message>
    <message>
        <source>, %1 requests/s</source>
        <translation>, %1 requests/s</translation>
    </message>
    <message>
        <source>%1 gave both the higher output throughput (%2 tokens/s) and the lower p99 TTFT (%3 ms): no trade-off between these settings.</source>
        <translation>%1 gave both the higher output throughput (%2 tokens/s) and the lower p99 TTFT (%3 ms): no trade-off between these settings.</translation>
    </message>
    <message>
        <source>%1 gave the higher output throughput (%2 against %3 tokens/s), %4 the lower p99 TTFT (%5 against %6 ms). The trade-off: more requests at once keep the server busier, but each user waits longer for the first token.</source>
        <translation>%1 gave the higher output throughput (%2 against %3 tokens/s), %4 the lower p99 TTFT (%5 against %6 ms). The trade-off: more requests at once keep the server busier, but each user waits longer for the first token.</translation>
    </message>
    <message>
        <source>Your last run has no successful request.</source>
        <translation>Your last run has no successful request.</translation>
    </message>
    <message>
        <source>Your sweep found no knee: the throughput still grew at its last level. Add a higher level and sweep again.</source>
        <translation>Your sweep found no knee: the throughput still grew at its last level. Add a higher level and sweep again.</translation>
    </message>
    <message>
        <source>The knee is at %1: the lowest level that reached 90% of the peak throughput (%2 tokens/s at %3). Above it, more requests at once only wait longer.</source>
        <translation>The knee is at %1: the lowest level that reached 90% of the peak throughput (%2 tokens/s at %3). Above it, more requests at once only wait longer.</translation>
    </message>
    <message>
        <source>No level of your sweep was stable: even the first one broke a rule.</source>
        <translation>No level of your sweep was stable: even the first one broke a rule.</translation>
    </message>
    <message>
        <source>The highest stable level is %1: every level of the sweep kept to the rules.</source>
        <translation>The highest stable level is %1: every level of the sweep kept to the rules.</translation>
    </message>
    <message>
        <source>The highest stable level so far is %1; the sweep ended before a rule was broken.</source>
        <translation>The highest stable level so far is %1; the sweep ended before a rule was broken.</translation>
    </message>
    <message>
        <source>The highest stable level is %1: the next level broke %2.</source>
        <translation>The highest stable level is %1: the next level broke %2.</translation>
    </message>
    <message>
        <source>Your last run (%1) reached %2 output tokens/s and %3 requests/s; its p99 TTFT was %4 ms.</source>
        <translation>Your last run (%1) reached %2 output tokens/s and %3 requests/s; its p99 TTFT was %4 ms.</translation>
    </message>
    <message>
        <source>Run the workload with at least two different settings first.</source>
        <translation>Run the workload with at least two different settings first.</translation>
    </message>
    <message>
        <source>Type a number first.</source>
        <translation>Type a number first.</translation>
    </message>
    <message>
        <source>Right.</source>
        <translation>Right.</translation>
    </message>
    <message>
        <source>Your last run has no successful request #%1.</source>
        <translation>Your last run has no successful request #%1.</translation>
    </message>
    <message>
        <source>Not quite: request #%1 waited %2 s for its first token. Look for a longer wait in the timeline.</source>
        <translation>Not quite: request #%1 waited %2 s for its first token. Look for a longer wait in the timeline.</translation>
    </message>
    <message>
        <source>Not quite. Look again at the view this step points to, or show the answer from your run.</source>
        <translation>Not quite. Look again at the view this step points to, or show the answer from your run.</translation>
    </message>
</context>
<context>
    <name>ts::ExercisesPanel</name>
    <message>
        <source>Three hands-on exercises from the guide, on the built-in server. In each step, set the values, start the run, watch, then answer the question from your own results.</source>
        <translation>Three hands-on exercises from the guide, on the built-in server. In each step, set the values, start the run, watch, then answer the question from your own results.</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>Step %1: %2</translation>
    </message>
    <message>
        <source>Set it for me</source>
        <translation>Set it for me</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Watch: %1</source>
        <translation>Watch: %1</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Show the answer from my run</source>
        <translation>Show the answer from my run</translation>
    </message>
</context>
<context>
    <name>ts::FdLimit</name>
    <message>
        <source>Could not read the open file limit: %1</source>
        <translation>Could not read the open file limit: %1</translation>
    </message>
    <message>
        <source>Could not raise the open file limit: %1</source>
        <translation>Could not raise the open file limit: %1</translation>
    </message>
</context>
<context>
    <name>ts::FormState</name>
    <message>
        <source>Line %1 is not a header: write “Name: value”, one per line.</source>
        <translation>Line %1 is not a header: write “Name: value”, one per line.</translation>
    </message>
</context>
<context>
    <name>ts::Glossary</name>
    <message>
        <source>%1: below %2 ms. %3: below %4 ms. %5: anything else; the guide draws its line at %6 ms and the rating counts the range in between as needing work too. The limits can be changed in the rating panel.</source>
        <translation>%1: below %2 ms. %3: below %4 ms. %5: anything else; the guide draws its line at %6 ms and the rating counts the range in between as needing work too. The limits can be changed in the rating panel.</translation>
    </message>
    <message>
        <source>None in the guide.</source>
        <translation>None in the guide.</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>Time to first token (TTFT)</translation>
    </message>
    <message>
        <source>Time from sending a request to the first generated text: how long a user waits before the answer starts.</source>
        <translation>Time from sending a request to the first generated text: how long a user waits before the answer starts.</translation>
    </message>
    <message>
        <source>How long a request waits for the first piece of its answer, from the moment it is sent until the first streamed chunk with generated text arrives. It includes the network, the server's queue and the processing of the whole prompt (the prefill).</source>
        <translation>How long a request waits for the first piece of its answer, from the moment it is sent until the first streamed chunk with generated text arrives. It includes the network, the server's queue and the processing of the whole prompt (the prefill).</translation>
    </message>
    <message>
        <source>TTFT = arrival of the first content chunk − moment the request was sent. Mean, median, standard deviation and percentiles are taken over the successful requests.</source>
        <translation>TTFT = arrival of the first content chunk − moment the request was sent. Mean, median, standard deviation and percentiles are taken over the successful requests.</translation>
    </message>
    <message>
        <source>It is the delay a user feels before anything appears. A late first token makes a chat feel unresponsive, however fast the rest of the answer streams.</source>
        <translation>It is the delay a user feels before anything appears. A late first token makes a chat feel unresponsive, however fast the rest of the answer streams.</translation>
    </message>
    <message>
        <source>Long prompts (the prefill grows with the input length), many requests at once (they queue on the server for a batch slot or for GPU memory), a model or cache that is still cold, and the network. Lower the concurrency: if TTFT drops, the server was queueing.</source>
        <translation>Long prompts (the prefill grows with the input length), many requests at once (they queue on the server for a batch slot or for GPU memory), a model or cache that is still cold, and the network. Lower the concurrency: if TTFT drops, the server was queueing.</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>Time per output token (TPOT)</translation>
    </message>
    <message>
        <source>Average time per generated token after the first: how fast an answer streams once it has started.</source>
        <translation>Average time per generated token after the first: how fast an answer streams once it has started.</translation>
    </message>
    <message>
        <source>The pace at which one request's answer is generated after its first token.</source>
        <translation>The pace at which one request's answer is generated after its first token.</translation>
    </message>
    <message>
        <source>For each request with more than one output token: TPOT = (E2EL − TTFT) / (output tokens − 1). The statistics are then taken across requests, so every request weighs the same whatever its length. AIPerf and guidellm call this number ITL; guidellm's TPOT includes the first token.</source>
        <translation>For each request with more than one output token: TPOT = (E2EL − TTFT) / (output tokens − 1). The statistics are then taken across requests, so every request weighs the same whatever its length. AIPerf and guidellm call this number ITL; guidellm's TPOT includes the first token.</translation>
    </message>
    <message>
        <source>It sets how fluently a streamed answer reads and, with the output length, how long a long answer takes.</source>
        <translation>It sets how fluently a streamed answer reads and, with the output length, how long a long answer takes.</translation>
    </message>
    <message>
        <source>How many sequences the server decodes together (the batch), the model's size, the GPU's memory bandwidth, and prefills of newly arrived prompts that interrupt decoding. It usually rises with the concurrency.</source>
        <translation>How many sequences the server decodes together (the batch), the model's size, the GPU's memory bandwidth, and prefills of newly arrived prompts that interrupt decoding. It usually rises with the concurrency.</translation>
    </message>
    <message>
        <source>Inter-token latency (ITL)</source>
        <translation>Inter-token latency (ITL)</translation>
    </message>
    <message>
        <source>Gap between two consecutive streamed chunks of an answer. Its spread shows how steady the stream is.</source>
        <translation>Gap between two consecutive streamed chunks of an answer. Its spread shows how steady the stream is.</translation>
    </message>
    <message>
        <source>Each gap between two consecutive content chunks of a streamed answer, after the first. When a chunk carries several tokens, the gap is per chunk, not per token.</source>
        <translation>Each gap between two consecutive content chunks of a streamed answer, after the first. When a chunk carries several tokens, the gap is per chunk, not per token.</translation>
    </message>
    <message>
        <source>Every gap of every successful request goes into one pool, and the statistics are taken over that pool, so a long answer counts with more gaps than a short one. When each chunk carries one token, its mean is close to TPOT.</source>
        <translation>Every gap of every successful request goes into one pool, and the statistics are taken over that pool, so a long answer counts with more gaps than a short one. When each chunk carries one token, its mean is close to TPOT.</translation>
    </message>
    <message>
        <source>Users notice stalls: a few long gaps make an answer stutter even when the mean is small. Compare the median with P99 and the standard deviation: the smaller the spread, the steadier the stream.</source>
        <translation>Users notice stalls: a few long gaps make an answer stutter even when the mean is small. Compare the median with P99 and the standard deviation: the smaller the spread, the steadier the stream.</translation>
    </message>
    <message>
        <source>None in the guide. It judges ITL by its spread: the smaller the variance, the steadier the stream.</source>
        <translation>None in the guide. It judges ITL by its spread: the smaller the variance, the steadier the stream.</translation>
    </message>
    <message>
        <source>Prefills of new requests scheduled between decoding steps (the usual cause of long gaps), the batch size, memory pressure (preempted or swapped sequences), and servers that send several tokens per chunk.</source>
        <translation>Prefills of new requests scheduled between decoding steps (the usual cause of long gaps), the batch size, memory pressure (preempted or swapped sequences), and servers that send several tokens per chunk.</translation>
    </message>
    <message>
        <source>End-to-end latency (E2EL)</source>
        <translation>End-to-end latency (E2EL)</translation>
    </message>
    <message>
        <source>Time from sending a request to the last generated text: the whole wait for a complete answer.</source>
        <translation>Time from sending a request to the last generated text: the whole wait for a complete answer.</translation>
    </message>
    <message>
        <source>The whole time of one request, from the moment it is sent until its last content chunk arrives.</source>
        <translation>The whole time of one request, from the moment it is sent until its last content chunk arrives.</translation>
    </message>
    <message>
        <source>E2EL = arrival of the last content chunk − moment the request was sent, which is TTFT + TPOT × (output tokens − 1). The usage-only chunk and [DONE] do not count. Statistics over the successful requests.</source>
        <translation>E2EL = arrival of the last content chunk − moment the request was sent, which is TTFT + TPOT × (output tokens − 1). The usage-only chunk and [DONE] do not count. Statistics over the successful requests.</translation>
    </message>
    <message>
        <source>It is what a caller that does not stream waits for, such as an API client or a batch job, and it limits how many requests one connection finishes per second.</source>
        <translation>It is what a caller that does not stream waits for, such as an API client or a batch job, and it limits how many requests one connection finishes per second.</translation>
    </message>
    <message>
        <source>Everything that moves TTFT and TPOT, and above all the output length: twice the output tokens take about twice as long.</source>
        <translation>Everything that moves TTFT and TPOT, and above all the output length: twice the output tokens take about twice as long.</translation>
    </message>
    <message>
        <source>Client queue time</source>
        <translation>Client queue time</translation>
    </message>
    <message>
        <source>Time a request waited in this app for a free concurrency slot before it was sent. It is not part of TTFT.</source>
        <translation>Time a request waited in this app for a free concurrency slot before it was sent. It is not part of TTFT.</translation>
    </message>
    <message>
        <source>How long a request waited on the client before it was sent: for a free slot under the maximum concurrency, then for its turn to be handed to the network.</source>
        <translation>How long a request waited on the client before it was sent: for a free slot under the maximum concurrency, then for its turn to be handed to the network.</translation>
    </message>
    <message>
        <source>Queue time = moment the request was sent − moment the arrival schedule released it. Statistics over the successful requests; vLLM's result files keep it as queue_times.</source>
        <translation>Queue time = moment the request was sent − moment the arrival schedule released it. Statistics over the successful requests; vLLM's result files keep it as queue_times.</translation>
    </message>
    <message>
        <source>It shows when the client, not the server, is the limit. TTFT starts only when a request is sent, so a long queue hides part of what a real user would wait.</source>
        <translation>It shows when the client, not the server, is the limit. TTFT starts only when a request is sent, so a long queue hides part of what a real user would wait.</translation>
    </message>
    <message>
        <source>A maximum concurrency too small for the request rate (requests pile up), a request rate of inf (all released at once), and slow answers that hold the slots.</source>
        <translation>A maximum concurrency too small for the request rate (requests pile up), a request rate of inf (all released at once), and slow answers that hold the slots.</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>Request throughput</translation>
    </message>
    <message>
        <source>Successful requests finished per second over the whole run.</source>
        <translation>Successful requests finished per second over the whole run.</translation>
    </message>
    <message>
        <source>How many requests the server completes per second under this load.</source>
        <translation>How many requests the server completes per second under this load.</translation>
    </message>
    <message>
        <source>Request throughput = successful requests / benchmark duration (req/s).</source>
        <translation>Request throughput = successful requests / benchmark duration (req/s).</translation>
    </message>
    <message>
        <source>It says how many users or calls one deployment can serve, and so what a request costs.</source>
        <translation>It says how many users or calls one deployment can serve, and so what a request costs.</translation>
    </message>
    <message>
        <source>%1: above %2 req/s. %3: above %4 req/s. %5: anything else; the guide draws its line at %6 req/s. It depends on the model and the hardware, so compare runs on the same setup.</source>
        <translation>%1: above %2 req/s. %3: above %4 req/s. %5: anything else; the guide draws its line at %6 req/s. It depends on the model and the hardware, so compare runs on the same setup.</translation>
    </message>
    <message>
        <source>The load (too little leaves the server idle), prompt and output lengths, the model's size, the hardware and the server's settings such as the batch size. When it stops growing with the concurrency while the latency climbs, the server is at its limit.</source>
        <translation>The load (too little leaves the server idle), prompt and output lengths, the model's size, the hardware and the server's settings such as the batch size. When it stops growing with the concurrency while the latency climbs, the server is at its limit.</translation>
    </message>
    <message>
        <source>Request goodput</source>
        <translation>Request goodput</translation>
    </message>
    <message>
        <source>Requests per second that met every service-level objective (SLO) given for TTFT, TPOT and E2EL.</source>
        <translation>Requests per second that met every service-level objective (SLO) given for TTFT, TPOT and E2EL.</translation>
    </message>
    <message>
        <source>The part of the throughput that was fast enough: requests per second that met all the given service-level objectives.</source>
        <translation>The part of the throughput that was fast enough: requests per second that met all the given service-level objectives.</translation>
    </message>
    <message>
        <source>A request is good when its TTFT, TPOT and E2EL are each at most the SLO given for them (TPOT counts as 0 for a request with one output token). Goodput = good requests / benchmark duration. Shown only when SLOs are set, like vLLM's --goodput.</source>
        <translation>A request is good when its TTFT, TPOT and E2EL are each at most the SLO given for them (TPOT counts as 0 for a request with one output token). Goodput = good requests / benchmark duration. Shown only when SLOs are set, like vLLM's --goodput.</translation>
    </message>
    <message>
        <source>Throughput with unacceptable latency is of no use: goodput counts only the answers users would accept, so its peak marks the load to run at.</source>
        <translation>Throughput with unacceptable latency is of no use: goodput counts only the answers users would accept, so its peak marks the load to run at.</translation>
    </message>
    <message>
        <source>None in the guide: the SLOs you set are the thresholds.</source>
        <translation>None in the guide: the SLOs you set are the thresholds.</translation>
    </message>
    <message>
        <source>The SLOs, and everything that raises TTFT and TPOT: more load raises the throughput but, past a point, lowers the goodput.</source>
        <translation>The SLOs, and everything that raises TTFT and TPOT: more load raises the throughput but, past a point, lowers the goodput.</translation>
    </message>
    <message>
        <source>Output token throughput</source>
        <translation>Output token throughput</translation>
    </message>
    <message>
        <source>Generated tokens per second over the whole run, all requests together.</source>
        <translation>Generated tokens per second over the whole run, all requests together.</translation>
    </message>
    <message>
        <source>How fast the server generates text, all requests together.</source>
        <translation>How fast the server generates text, all requests together.</translation>
    </message>
    <message>
        <source>Output token throughput = output tokens of the successful requests / benchmark duration (tok/s). The counts come from the server's usage when it sends them; otherwise they are estimates.</source>
        <translation>Output token throughput = output tokens of the successful requests / benchmark duration (tok/s). The counts come from the server's usage when it sends them; otherwise they are estimates.</translation>
    </message>
    <message>
        <source>It is the server's generation capacity under this load, the number to compare hardware and settings by.</source>
        <translation>It is the server's generation capacity under this load, the number to compare hardware and settings by.</translation>
    </message>
    <message>
        <source>None in the guide: it differs widely between models and hardware.</source>
        <translation>None in the guide: it differs widely between models and hardware.</translation>
    </message>
    <message>
        <source>The concurrency and the batch size (more sequences decoded together), the model's size, the GPU's memory bandwidth, quantization and the output length.</source>
        <translation>The concurrency and the batch size (more sequences decoded together), the model's size, the GPU's memory bandwidth, quantization and the output length.</translation>
    </message>
    <message>
        <source>Peak output token throughput</source>
        <translation>Peak output token throughput</translation>
    </message>
    <message>
        <source>The most output tokens that arrived within one second of the run.</source>
        <translation>The most output tokens that arrived within one second of the run.</translation>
    </message>
    <message>
        <source>The best one-second burst of generation during the run.</source>
        <translation>The best one-second burst of generation during the run.</translation>
    </message>
    <message>
        <source>The run is cut into 1-second buckets from the first request's start; each content chunk counts in the bucket it arrived in; the peak is the fullest bucket. Like vLLM, it counts chunks, which are tokens when each chunk carries one.</source>
        <translation>The run is cut into 1-second buckets from the first request's start; each content chunk counts in the bucket it arrived in; the peak is the fullest bucket. Like vLLM, it counts chunks, which are tokens when each chunk carries one.</translation>
    </message>
    <message>
        <source>Next to the average it shows whether the server ran steadily or in bursts.</source>
        <translation>Next to the average it shows whether the server ran steadily or in bursts.</translation>
    </message>
    <message>
        <source>The concurrency, the batch size and how evenly requests arrive.</source>
        <translation>The concurrency, the batch size and how evenly requests arrive.</translation>
    </message>
    <message>
        <source>Total token throughput</source>
        <translation>Total token throughput</translation>
    </message>
    <message>
        <source>Input plus output tokens processed per second over the whole run.</source>
        <translation>Input plus output tokens processed per second over the whole run.</translation>
    </message>
    <message>
        <source>All tokens the server handled per second: prompts read and answers written.</source>
        <translation>All tokens the server handled per second: prompts read and answers written.</translation>
    </message>
    <message>
        <source>Total token throughput = (input tokens + output tokens of the successful requests) / benchmark duration (tok/s).</source>
        <translation>Total token throughput = (input tokens + output tokens of the successful requests) / benchmark duration (tok/s).</translation>
    </message>
    <message>
        <source>Prompts cost work too: with long prompts and short answers this number, not the output throughput, shows the load.</source>
        <translation>Prompts cost work too: with long prompts and short answers this number, not the output throughput, shows the load.</translation>
    </message>
    <message>
        <source>The prompt lengths, prefix caching, and everything that moves the output token throughput.</source>
        <translation>The prompt lengths, prefix caching, and everything that moves the output token throughput.</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>Share of the finished requests that got an answer: successful / all.</source>
        <translation>Share of the finished requests that got an answer: successful / all.</translation>
    </message>
    <message>
        <source>How many requests got a complete answer.</source>
        <translation>How many requests got a complete answer.</translation>
    </message>
    <message>
        <source>Success rate = successful requests / (successful + failed requests) × 100 %. A request succeeds with HTTP status 200 and at least one streamed chunk of generated text.</source>
        <translation>Success rate = successful requests / (successful + failed requests) × 100 %. A request succeeds with HTTP status 200 and at least one streamed chunk of generated text.</translation>
    </message>
    <message>
        <source>Failures are the first sign of overload or of a wrong setup. Failed requests are left out of every latency figure, so a low success rate can make the latencies look better than they are.</source>
        <translation>Failures are the first sign of overload or of a wrong setup. Failed requests are left out of every latency figure, so a low success rate can make the latencies look better than they are.</translation>
    </message>
    <message>
        <source>%1: above %2 %. %3: above %4 %. %5: anything else; the guide draws its line at %6 %.</source>
        <translation>%1: above %2 %. %3: above %4 %. %5: anything else; the guide draws its line at %6 %.</translation>
    </message>
    <message>
        <source>Overload (timeouts, refused connections), a timeout too short for long answers, a wrong model name, endpoint or API key, and prompts longer than the model's context.</source>
        <translation>Overload (timeouts, refused connections), a timeout too short for long answers, a wrong model name, endpoint or API key, and prompts longer than the model's context.</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>Failed requests</translation>
    </message>
    <message>
        <source>Requests that ended without an answer: an HTTP error, a timeout or a broken connection.</source>
        <translation>Requests that ended without an answer: an HTTP error, a timeout or a broken connection.</translation>
    </message>
    <message>
        <source>How many requests ended without a complete answer. The Requests tab shows each one's error.</source>
        <translation>How many requests ended without a complete answer. The Requests tab shows each one's error.</translation>
    </message>
    <message>
        <source>A request fails when the HTTP status is not 200 or no chunk of generated text arrived. Failed requests count in no latency or token figure.</source>
        <translation>A request fails when the HTTP status is not 200 or no chunk of generated text arrived. Failed requests count in no latency or token figure.</translation>
    </message>
    <message>
        <source>Each one is a user without an answer, and since they are left out of the latency statistics, many of them hide how loaded the server really is.</source>
        <translation>Each one is a user without an answer, and since they are left out of the latency statistics, many of them hide how loaded the server really is.</translation>
    </message>
    <message>
        <source>The guide rates them through the success rate.</source>
        <translation>The guide rates them through the success rate.</translation>
    </message>
    <message>
        <source>Overload, timeouts, a wrong model name, endpoint or API key, and network errors.</source>
        <translation>Overload, timeouts, a wrong model name, endpoint or API key, and network errors.</translation>
    </message>
    <message>
        <source>Peak concurrent requests</source>
        <translation>Peak concurrent requests</translation>
    </message>
    <message>
        <source>The most requests in flight at the same moment during the run.</source>
        <translation>The most requests in flight at the same moment during the run.</translation>
    </message>
    <message>
        <source>The highest number of requests the server had to handle at once.</source>
        <translation>The highest number of requests the server had to handle at once.</translation>
    </message>
    <message>
        <source>It is the concurrency the server really saw, which stays below the maximum concurrency you set when requests arrive slowly or finish fast.</source>
        <translation>It is the concurrency the server really saw, which stays below the maximum concurrency you set when requests arrive slowly or finish fast.</translation>
    </message>
    <message>
        <source>The maximum concurrency, the request rate and its burstiness, and the latency: slower answers keep more requests in flight.</source>
        <translation>The maximum concurrency, the request rate and its burstiness, and the latency: slower answers keep more requests in flight.</translation>
    </message>
    <message>
        <source>Benchmark duration</source>
        <translation>Benchmark duration</translation>
    </message>
    <message>
        <source>Time from the start of sending until the last request finished.</source>
        <translation>Time from the start of sending until the last request finished.</translation>
    </message>
    <message>
        <source>How long the run took.</source>
        <translation>How long the run took.</translation>
    </message>
    <message>
        <source>Duration = end of the last request − start of sending (s). Every per-second figure divides by it.</source>
        <translation>Duration = end of the last request − start of sending (s). Every per-second figure divides by it.</translation>
    </message>
    <message>
        <source>All throughputs are per this duration, so one slow last request lowers them all. It also tells whether the run was long enough to reach a steady state.</source>
        <translation>All throughputs are per this duration, so one slow last request lowers them all. It also tells whether the run was long enough to reach a steady state.</translation>
    </message>
    <message>
        <source>The number of requests, the request rate, the concurrency and the latency of the slowest requests.</source>
        <translation>The number of requests, the request rate, the concurrency and the latency of the slowest requests.</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Input tokens</translation>
    </message>
    <message>
        <source>Tokens of the prompts sent; the total adds up all successful requests.</source>
        <translation>Tokens of the prompts sent; the total adds up all successful requests.</translation>
    </message>
    <message>
        <source>The length of the prompts, in the model's tokens.</source>
        <translation>The length of the prompts, in the model's tokens.</translation>
    </message>
    <message>
        <source>Per request: the server's usage.prompt_tokens when it sends them, otherwise the dataset's count. Total input tokens = the sum over the successful requests.</source>
        <translation>Per request: the server's usage.prompt_tokens when it sends them, otherwise the dataset's count. Total input tokens = the sum over the successful requests.</translation>
    </message>
    <message>
        <source>The prompt length drives the prefill and so TTFT; the guide's tests set it with --random-input-len.</source>
        <translation>The prompt length drives the prefill and so TTFT; the guide's tests set it with --random-input-len.</translation>
    </message>
    <message>
        <source>The dataset and its settings (input length, range ratio, shared prefix) and the chat template.</source>
        <translation>The dataset and its settings (input length, range ratio, shared prefix) and the chat template.</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Output tokens</translation>
    </message>
    <message>
        <source>Tokens generated in the answers; the total adds up all successful requests.</source>
        <translation>Tokens generated in the answers; the total adds up all successful requests.</translation>
    </message>
    <message>
        <source>The length of the answers, in the model's tokens.</source>
        <translation>The length of the answers, in the model's tokens.</translation>
    </message>
    <message>
        <source>Per request: the server's usage.completion_tokens when it sends them, else a count with a tokenizer, else the number of streamed chunks (an estimate, marked as such). Total generated tokens = the sum over the successful requests.</source>
        <translation>Per request: the server's usage.completion_tokens when it sends them, else a count with a tokenizer, else the number of streamed chunks (an estimate, marked as such). Total generated tokens = the sum over the successful requests.</translation>
    </message>
    <message>
        <source>The output length multiplies TPOT into the end-to-end latency, and it is what the output token throughput counts.</source>
        <translation>The output length multiplies TPOT into the end-to-end latency, and it is what the output token throughput counts.</translation>
    </message>
    <message>
        <source>The maximum tokens per request (--random-output-len), ignore_eos, a model that stops early, and the dataset.</source>
        <translation>The maximum tokens per request (--random-output-len), ignore_eos, a model that stops early, and the dataset.</translation>
    </message>
    <message>
        <source>Maximum request concurrency</source>
        <translation>Maximum request concurrency</translation>
    </message>
    <message>
        <source>The most requests this app keeps in flight at once (--max-concurrency); later ones wait for a free slot.</source>
        <translation>The most requests this app keeps in flight at once (--max-concurrency); later ones wait for a free slot.</translation>
    </message>
    <message>
        <source>A setting, not a measurement: the cap on requests in flight.</source>
        <translation>A setting, not a measurement: the cap on requests in flight.</translation>
    </message>
    <message>
        <source>A request is sent only while fewer than this many are in flight; otherwise it waits (see the client queue time).</source>
        <translation>A request is sent only while fewer than this many are in flight; otherwise it waits (see the client queue time).</translation>
    </message>
    <message>
        <source>The guide's key setting for finding how many users a model serves at once: too small and the server is never pushed, too large and it may be overwhelmed until requests fail.</source>
        <translation>The guide's key setting for finding how many users a model serves at once: too small and the server is never pushed, too large and it may be overwhelmed until requests fail.</translation>
    </message>
    <message>
        <source>You set it. Raise it step by step (1, 5, 10, 20, 50, …) and watch the throughput, the latency and the success rate to find where the server stops keeping up.</source>
        <translation>You set it. Raise it step by step (1, 5, 10, 20, 50, …) and watch the throughput, the latency and the success rate to find where the server stops keeping up.</translation>
    </message>
    <message>
        <source>Request rate</source>
        <translation>Request rate</translation>
    </message>
    <message>
        <source>How many requests are sent per second on average (--request-rate); inf sends them all at once.</source>
        <translation>How many requests are sent per second on average (--request-rate); inf sends them all at once.</translation>
    </message>
    <message>
        <source>A setting, not a measurement: how fast new requests arrive.</source>
        <translation>A setting, not a measurement: how fast new requests arrive.</translation>
    </message>
    <message>
        <source>With rate r and burstiness b the gaps between arrivals are drawn from a gamma distribution with shape b and mean 1/r; b = 1 is a Poisson process, a larger b is more regular. With inf all requests are released at once and only the maximum concurrency holds them back.</source>
        <translation>With rate r and burstiness b the gaps between arrivals are drawn from a gamma distribution with shape b and mean 1/r; b = 1 is a Poisson process, a larger b is more regular. With inf all requests are released at once and only the maximum concurrency holds them back.</translation>
    </message>
    <message>
        <source>A finite rate models users arriving over time; inf tests the server's limit. The request throughput cannot exceed it for long.</source>
        <translation>A finite rate models users arriving over time; inf tests the server's limit. The request throughput cannot exceed it for long.</translation>
    </message>
    <message>
        <source>You set it. Raise it until the latency climbs or requests fail.</source>
        <translation>You set it. Raise it until the latency climbs or requests fail.</translation>
    </message>
    <message>
        <source>Glossary of metrics</source>
        <translation>Glossary of metrics</translation>
    </message>
    <message>
        <source>Mean, median, percentiles</source>
        <translation>Mean, median, percentiles</translation>
    </message>
    <message>
        <source>Latencies are given as statistics over many requests, as vLLM computes them. Mean: the average. Median: half the values are below it. P99: 99 % of the values are at or below it; between two measured values it is interpolated linearly, as numpy does. Std: the population standard deviation, how widely the values spread. A mean far above the median, or a P99 far above both, means a few slow requests.</source>
        <translation>Latencies are given as statistics over many requests, as vLLM computes them. Mean: the average. Median: half the values are below it. P99: 99 % of the values are at or below it; between two measured values it is interpolated linearly, as numpy does. Std: the population standard deviation, how widely the values spread. A mean far above the median, or a P99 far above both, means a few slow requests.</translation>
    </message>
    <message>
        <source>What it measures</source>
        <translation>What it measures</translation>
    </message>
    <message>
        <source>How it is computed</source>
        <translation>How it is computed</translation>
    </message>
    <message>
        <source>Why it matters</source>
        <translation>Why it matters</translation>
    </message>
    <message>
        <source>Reference values</source>
        <translation>Reference values</translation>
    </message>
    <message>
        <source>What moves it</source>
        <translation>What moves it</translation>
    </message>
    <message>
        <source>The exact peak of requests in flight, each from its sending to its end: its last chunk when it succeeded, the moment it failed (a timeout, a reset) otherwise; a request that ends at the moment another starts does not overlap it.</source>
        <translation>The exact peak of requests in flight, each from its sending to its end: its last chunk when it succeeded, the moment it failed (a timeout, a reset) otherwise; a request that ends at the moment another starts does not overlap it.</translation>
    </message>
    <message>
        <source>Time to first reasoning token (TTFRT)</source>
        <translation>Time to first reasoning token (TTFRT)</translation>
    </message>
    <message>
        <source>Time from sending a request to the first piece of the model's reasoning: how soon a reasoning model starts to think.</source>
        <translation>Time from sending a request to the first piece of the model's reasoning: how soon a reasoning model starts to think.</translation>
    </message>
    <message>
        <source>For a reasoning model, which thinks aloud before it answers: how long a request waits for the first streamed chunk of reasoning, from the moment it is sent. Like TTFT it includes the network, the queue and the prefill.</source>
        <translation>For a reasoning model, which thinks aloud before it answers: how long a request waits for the first streamed chunk of reasoning, from the moment it is sent. Like TTFT it includes the network, the queue and the prefill.</translation>
    </message>
    <message>
        <source>TTFRT = arrival of the first reasoning chunk − moment the request was sent. Only requests whose stream tells reasoning apart from the answer count. When the model reasons, TTFT equals TTFRT, because TTFT counts the first content of either kind, as vLLM does.</source>
        <translation>TTFRT = arrival of the first reasoning chunk − moment the request was sent. Only requests whose stream tells reasoning apart from the answer count. When the model reasons, TTFT equals TTFRT, because TTFT counts the first content of either kind, as vLLM does.</translation>
    </message>
    <message>
        <source>An app that shows the model thinking starts to show something at this moment. Compared with TTFAT it shows how much of the wait is thinking rather than queueing and prefill.</source>
        <translation>An app that shows the model thinking starts to show something at this moment. Compared with TTFAT it shows how much of the wait is thinking rather than queueing and prefill.</translation>
    </message>
    <message>
        <source>None in the guide. Judge it like TTFT: it is the wait before anything appears.</source>
        <translation>None in the guide. Judge it like TTFT: it is the wait before anything appears.</translation>
    </message>
    <message>
        <source>The same as TTFT: prompt length, many requests at once, a cold cache and the network.</source>
        <translation>The same as TTFT: prompt length, many requests at once, a cold cache and the network.</translation>
    </message>
    <message>
        <source>Time to first answer token (TTFAT)</source>
        <translation>Time to first answer token (TTFAT)</translation>
    </message>
    <message>
        <source>Time from sending a request to the first piece of the answer after the reasoning: how long a user waits for the answer itself.</source>
        <translation>Time from sending a request to the first piece of the answer after the reasoning: how long a user waits for the answer itself.</translation>
    </message>
    <message>
        <source>For a reasoning model: how long a request waits for the first streamed chunk of the answer, from the moment it is sent. All the reasoning streams before it.</source>
        <translation>For a reasoning model: how long a request waits for the first streamed chunk of the answer, from the moment it is sent. All the reasoning streams before it.</translation>
    </message>
    <message>
        <source>TTFAT = arrival of the first answer chunk − moment the request was sent, over the requests that reasoned and then answered. TTFAT − TTFRT is the time spent reasoning, about TPOT × reasoning tokens.</source>
        <translation>TTFAT = arrival of the first answer chunk − moment the request was sent, over the requests that reasoned and then answered. TTFAT − TTFRT is the time spent reasoning, about TPOT × reasoning tokens.</translation>
    </message>
    <message>
        <source>A user who only reads the answer waits this long, not TTFT. A model that thinks for a thousand tokens can have a fine TTFT and still keep the user waiting many seconds.</source>
        <translation>A user who only reads the answer waits this long, not TTFT. A model that thinks for a thousand tokens can have a fine TTFT and still keep the user waiting many seconds.</translation>
    </message>
    <message>
        <source>None in the guide. It grows with the reasoning length, so compare runs of the same model and prompts.</source>
        <translation>None in the guide. It grows with the reasoning length, so compare runs of the same model and prompts.</translation>
    </message>
    <message>
        <source>Everything that moves TTFT, then the number of reasoning tokens and the decoding speed (TPOT): twice the reasoning takes about twice as long. A reasoning budget or effort setting on the server shortens it.</source>
        <translation>Everything that moves TTFT, then the number of reasoning tokens and the decoding speed (TPOT): twice the reasoning takes about twice as long. A reasoning budget or effort setting on the server shortens it.</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>Reasoning tokens</translation>
    </message>
    <message>
        <source>Tokens the model generated while thinking, before its answer. They cost time like any output token.</source>
        <translation>Tokens the model generated while thinking, before its answer. They cost time like any output token.</translation>
    </message>
    <message>
        <source>How many tokens of a reply were reasoning rather than answer: in total over the run, per request on average, and how many requests reasoned at all.</source>
        <translation>How many tokens of a reply were reasoning rather than answer: in total over the run, per request on average, and how many requests reasoned at all.</translation>
    </message>
    <message>
        <source>Taken from the server's usage details (reasoning_tokens) when it sends them, else counted from the reasoning chunks. Reasoning tokens are part of the output tokens, so they count in TPOT and in the output token throughput.</source>
        <translation>Taken from the server's usage details (reasoning_tokens) when it sends them, else counted from the reasoning chunks. Reasoning tokens are part of the output tokens, so they count in TPOT and in the output token throughput.</translation>
    </message>
    <message>
        <source>They are output the user may never read but still waits for and pays for. A high output token throughput can hide that most of it went into thinking.</source>
        <translation>They are output the user may never read but still waits for and pays for. A high output token throughput can hide that most of it went into thinking.</translation>
    </message>
    <message>
        <source>The model, the difficulty of the prompt and the server's reasoning settings (budget, effort). Text between &lt;think&gt; and &lt;/think&gt; counts as reasoning only when the target is set to count it.</source>
        <translation>The model, the difficulty of the prompt and the server's reasoning settings (budget, effort). Text between &lt;think&gt; and &lt;/think&gt; counts as reasoning only when the target is set to count it.</translation>
    </message>
</context>
<context>
    <name>ts::GlossaryButton</name>
    <message>
        <source>%1: open its explanation in the glossary</source>
        <translation>%1: open its explanation in the glossary</translation>
    </message>
    <message>
        <source>Open the glossary: what each metric measures, how it is computed and what moves it</source>
        <translation>Open the glossary: what each metric measures, how it is computed and what moves it</translation>
    </message>
</context>
<context>
    <name>ts::GlossaryDialog</name>
    <message>
        <source>Glossary of metrics</source>
        <translation>Glossary of metrics</translation>
    </message>
</context>
<context>
    <name>ts::LiveCharts</name>
    <message>
        <source>Time since start (s)</source>
        <translation>Time since start (s)</translation>
    </message>
    <message>
        <source>Time to first token per request (median and P99 of the last %1)</source>
        <translation>Time to first token per request (median and P99 of the last %1)</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Rolling median</source>
        <translation>Rolling median</translation>
    </message>
    <message>
        <source>Rolling P99</source>
        <translation>Rolling P99</translation>
    </message>
    <message>
        <source>Failed request</source>
        <translation>Failed request</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>Output tokens/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requests/s</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrency</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>In flight</translation>
    </message>
    <message>
        <source>Waiting for a slot</source>
        <translation>Waiting for a slot</translation>
    </message>
    <message>
        <source>Time per output token, distribution so far</source>
        <translation>Time per output token, distribution so far</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Request rate: planned, sent, finished</source>
        <translation>Request rate: planned, sent, finished</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>Sent/s</source>
        <translation>Sent/s</translation>
    </message>
    <message>
        <source>Finished/s</source>
        <translation>Finished/s</translation>
    </message>
    <message>
        <source>Output throughput</source>
        <translation>Output throughput</translation>
    </message>
    <message>
        <source>The dashed line is the rate the load plan releases requests at. Sent falls below it when every concurrency slot is busy; finished falls below sent when the server cannot keep up.</source>
        <translation>The dashed line is the rate the load plan releases requests at. Sent falls below it when every concurrency slot is busy; finished falls below sent when the server cannot keep up.</translation>
    </message>
</context>
<context>
    <name>ts::LoadForm</name>
    <message>
        <source>Load</source>
        <translation>Load</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Number of requests (--num-prompts)</source>
        <translation>Number of requests (--num-prompts)</translation>
    </message>
    <message>
        <source>Request rate</source>
        <translation>Request rate</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> req/s</translation>
    </message>
    <message>
        <source>inf: all at once</source>
        <translation>inf: all at once</translation>
    </message>
    <message>
        <source>Request rate (--request-rate)</source>
        <translation>Request rate (--request-rate)</translation>
    </message>
    <message>
        <source>How many requests start per second, like users arriving. “inf” releases all of them at once to find the server's limit; a number such as 1–50 imitates real traffic, 5–20 suits a stability test.</source>
        <translation>How many requests start per second, like users arriving. “inf” releases all of them at once to find the server's limit; a number such as 1–50 imitates real traffic, 5–20 suits a stability test.</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>Burstiness</translation>
    </message>
    <message>
        <source>Burstiness (--burstiness)</source>
        <translation>Burstiness (--burstiness)</translation>
    </message>
    <message>
        <source>How evenly requests arrive at a finite rate. 1 is random arrivals (a Poisson process); larger values are more regular, smaller values come in bursts.</source>
        <translation>How evenly requests arrive at a finite rate. 1 is random arrivals (a Poisson process); larger values are more regular, smaller values come in bursts.</translation>
    </message>
    <message>
        <source>Max concurrency</source>
        <translation>Max concurrency</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>Maximum concurrency (--max-concurrency)</source>
        <translation>Maximum concurrency (--max-concurrency)</translation>
    </message>
    <message>
        <source>The most requests in flight at the same time; further arrivals wait for a free slot. This is the key setting for testing how many parallel users a server supports: too low keeps the throughput down, too high can overload the server.</source>
        <translation>The most requests in flight at the same time; further arrivals wait for a free slot. This is the key setting for testing how many parallel users a server supports: too low keeps the throughput down, too high can overload the server.</translation>
    </message>
    <message>
        <source>Warm-up requests</source>
        <translation>Warm-up requests</translation>
    </message>
    <message>
        <source>Warm-up requests (--num-warmups)</source>
        <translation>Warm-up requests (--num-warmups)</translation>
    </message>
    <message>
        <source>Requests sent before the measurement and left out of the results, so that a cold server (loading, compiling, filling caches) does not spoil the first numbers.</source>
        <translation>Requests sent before the measurement and left out of the results, so that a cold server (loading, compiling, filling caches) does not spoil the first numbers.</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Timeout</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation>Request timeout</translation>
    </message>
    <message>
        <source>A request that takes longer than this counts as failed. 0 waits forever.</source>
        <translation>A request that takes longer than this counts as failed. 0 waits forever.</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Random seed</translation>
    </message>
    <message>
        <source>Random seed (--seed)</source>
        <translation>Random seed (--seed)</translation>
    </message>
    <message>
        <source>The same seed gives the same prompts and arrival times, so two runs can be compared fairly.</source>
        <translation>The same seed gives the same prompts and arrival times, so two runs can be compared fairly.</translation>
    </message>
    <message>
        <source>Goodput limits: a request counts as good when it meets all limits that are set.</source>
        <translation>Goodput limits: a request counts as good when it meets all limits that are set.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>TTFT at most</source>
        <translation>TTFT at most</translation>
    </message>
    <message>
        <source>Goodput: TTFT limit (--goodput ttft:MS)</source>
        <translation>Goodput: TTFT limit (--goodput ttft:MS)</translation>
    </message>
    <message>
        <source>The longest acceptable time to the first token. Goodput counts the requests per second that meet every limit.</source>
        <translation>The longest acceptable time to the first token. Goodput counts the requests per second that meet every limit.</translation>
    </message>
    <message>
        <source>TPOT at most</source>
        <translation>TPOT at most</translation>
    </message>
    <message>
        <source>Goodput: TPOT limit (--goodput tpot:MS)</source>
        <translation>Goodput: TPOT limit (--goodput tpot:MS)</translation>
    </message>
    <message>
        <source>The longest acceptable average time per output token after the first.</source>
        <translation>The longest acceptable average time per output token after the first.</translation>
    </message>
    <message>
        <source>E2EL at most</source>
        <translation>E2EL at most</translation>
    </message>
    <message>
        <source>Goodput: end-to-end limit (--goodput e2el:MS)</source>
        <translation>Goodput: end-to-end limit (--goodput e2el:MS)</translation>
    </message>
    <message>
        <source>The longest acceptable time for the whole answer.</source>
        <translation>The longest acceptable time for the whole answer.</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <source>A sweep sets the rate and the number of requests of each level: choose “Constant rate”.</source>
        <translation>A sweep sets the rate and the number of requests of each level: choose “Constant rate”.</translation>
    </message>
    <message>
        <source>Load shape</source>
        <translation>Load shape</translation>
    </message>
    <message>
        <source>Constant rate</source>
        <translation>Constant rate</translation>
    </message>
    <message>
        <source>Ramp up</source>
        <translation>Ramp up</translation>
    </message>
    <message>
        <source>Stop after a time</source>
        <translation>Stop after a time</translation>
    </message>
    <message>
        <source>How many requests the test sends in total. It sets the sample size and the duration: 10–50 for a quick check, 100–500 for a function test, 1000–5000 for a benchmark; about 5–10 times the concurrency. A run that stops after a time cycles through this many different prompts.</source>
        <translation>How many requests the test sends in total. It sets the sample size and the duration: 10–50 for a quick check, 100–500 for a function test, 1000–5000 for a benchmark; about 5–10 times the concurrency. A run that stops after a time cycles through this many different prompts.</translation>
    </message>
    <message>
        <source>Ramp</source>
        <translation>Ramp</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Exponential</source>
        <translation>Exponential</translation>
    </message>
    <message>
        <source>Ramp-up strategy (--ramp-up-strategy)</source>
        <translation>Ramp-up strategy (--ramp-up-strategy)</translation>
    </message>
    <message>
        <source>Linear adds the same number of requests per second at every step. Exponential multiplies the rate: it stays long at low rates and climbs fast at the end.</source>
        <translation>Linear adds the same number of requests per second at every step. Exponential multiplies the rate: it stays long at low rates and climbs fast at the end.</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Ramp-up start rate (--ramp-up-start-rps)</source>
        <translation>Ramp-up start rate (--ramp-up-start-rps)</translation>
    </message>
    <message>
        <source>Requests per second when the first request is sent. Whole numbers, as in vLLM, at least 1.</source>
        <translation>Requests per second when the first request is sent. Whole numbers, as in vLLM, at least 1.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Ramp-up end rate (--ramp-up-end-rps)</source>
        <translation>Ramp-up end rate (--ramp-up-end-rps)</translation>
    </message>
    <message>
        <source>Requests per second reached at the last request. In the live chart, where the sent rate stops following the target, the server or the concurrency limit has become the bottleneck.</source>
        <translation>Requests per second reached at the last request. In the live chart, where the sent rate stops following the target, the server or the concurrency limit has become the bottleneck.</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Duration (--duration)</source>
        <translation>Duration (--duration)</translation>
    </message>
    <message>
        <source>Keep sending at the request rate for this many seconds. A long run shows whether latency stays steady once caches fill and memory is in use; the guide suggests 5–20 req/s for such a stability test.</source>
        <translation>Keep sending at the request rate for this many seconds. A long run shows whether latency stays steady once caches fill and memory is in use; the guide suggests 5–20 req/s for such a stability test.</translation>
    </message>
    <message>
        <source>At the end</source>
        <translation>At the end</translation>
    </message>
    <message>
        <source>Let running requests finish</source>
        <translation>Let running requests finish</translation>
    </message>
    <message>
        <source>Cancel running requests</source>
        <translation>Cancel running requests</translation>
    </message>
    <message>
        <source>Requests in flight at the end (--duration-cancel)</source>
        <translation>Requests in flight at the end (--duration-cancel)</translation>
    </message>
    <message>
        <source>Let them finish: requests still running complete and are measured. Cancel them: they are aborted and count as failed, so the run ends on time.</source>
        <translation>Let them finish: requests still running complete and are measured. Cancel them: they are aborted and count as failed, so the run ends on time.</translation>
    </message>
    <message>
        <source>all records</source>
        <translation>all records</translation>
    </message>
    <message>
        <source>A sweep sets the rate and the number of requests of each level, but a trace brings its own: run the trace once, without a sweep.</source>
        <translation>A sweep sets the rate and the number of requests of each level, but a trace brings its own: run the trace once, without a sweep.</translation>
    </message>
    <message>
        <source>Replay trace timing</source>
        <translation>Replay trace timing</translation>
    </message>
    <message>
        <source>How requests arrive over the run. Constant rate keeps one pace from start to end. Ramp up raises the rate request by request, to find where the server starts to fall behind. Stop after a time sends at a constant rate for a set number of seconds, like a stability test. Replay trace timing sends each request of a trace at the time it recorded; it is the only shape for a trace dataset.</source>
        <translation>How requests arrive over the run. Constant rate keeps one pace from start to end. Ramp up raises the rate request by request, to find where the server starts to fall behind. Stop after a time sends at a constant rate for a set number of seconds, like a stability test. Replay trace timing sends each request of a trace at the time it recorded; it is the only shape for a trace dataset.</translation>
    </message>
    <message>
        <source>Time scale</source>
        <translation>Time scale</translation>
    </message>
    <message>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <source>Trace time scale (--trace-time-scale)</source>
        <translation>Trace time scale (--trace-time-scale)</translation>
    </message>
    <message>
        <source>Multiplies the trace's timestamps: 1 replays it as recorded, 0.5 twice as fast, 2 half as fast. A faster replay puts more load on the server with the same requests.</source>
        <translation>Multiplies the trace's timestamps: 1 replays it as recorded, 0.5 twice as fast, 2 half as fast. A faster replay puts more load on the server with the same requests.</translation>
    </message>
</context>
<context>
    <name>ts::Main</name>
    <message>
        <source>Load testing for LLM inference servers.</source>
        <translation>Load testing for LLM inference servers.</translation>
    </message>
    <message>
        <source>Start with the built-in demo server switched on.</source>
        <translation>Start with the built-in demo server switched on.</translation>
    </message>
    <message>
        <source>Result files to open: one is shown in the main window, two or more are compared.</source>
        <translation>Result files to open: one is shown in the main window, two or more are compared.</translation>
    </message>
</context>
<context>
    <name>ts::MainWindow</name>
    <message>
        <source>Open a result file</source>
        <translation>Open a result file</translation>
    </message>
    <message>
        <source>Result files (*.json *.jsonl);;All files (*)</source>
        <translation>Result files (*.json *.jsonl);;All files (*)</translation>
    </message>
    <message>
        <source>Save the result as JSON</source>
        <translation>Save the result as JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON files (*.json)</translation>
    </message>
    <message>
        <source>Save one row per request as CSV</source>
        <translation>Save one row per request as CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Save the summary as CSV</source>
        <translation>Save the summary as CSV</translation>
    </message>
    <message>
        <source>Save every chart as PNG and SVG into</source>
        <translation>Save every chart as PNG and SVG into</translation>
    </message>
    <message>
        <source>About Tokenstorm</source>
        <translation>About Tokenstorm</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Tokenstorm %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Load testing for LLM inference servers, with the metrics, flags and result files of vLLM's serving benchmark.&lt;/p&gt;&lt;p&gt;TTFT: time to first token. TPOT: time per output token after the first. ITL: gap between streamed chunks. E2EL: end-to-end latency of a request.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Tokenstorm %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Load testing for LLM inference servers, with the metrics, flags and result files of vLLM's serving benchmark.&lt;/p&gt;&lt;p&gt;TTFT: time to first token. TPOT: time per output token after the first. ITL: gap between streamed chunks. E2EL: end-to-end latency of a request.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Tokenstorm – LLM server load test</source>
        <translation>Tokenstorm – LLM server load test</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Open result…</source>
        <translation>&amp;Open result…</translation>
    </message>
    <message>
        <source>&amp;Save result as JSON…</source>
        <translation>&amp;Save result as JSON…</translation>
    </message>
    <message>
        <source>Save requests as &amp;CSV…</source>
        <translation>Save requests as &amp;CSV…</translation>
    </message>
    <message>
        <source>Save summary as CSV…</source>
        <translation>Save summary as CSV…</translation>
    </message>
    <message>
        <source>Save all &amp;charts (PNG and SVG)…</source>
        <translation>Save all &amp;charts (PNG and SVG)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Run</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;top</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Test connection</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Tokenstorm</source>
        <translation>&amp;About Tokenstorm</translation>
    </message>
    <message>
        <source>The run was stopped before any request finished.</source>
        <translation>The run was stopped before any request finished.</translation>
    </message>
    <message>
        <source>Stopped. %1 requests were measured; see the Summary tab.</source>
        <translation>Stopped. %1 requests were measured; see the Summary tab.</translation>
    </message>
    <message>
        <source>Finished with %1 failed requests; see the Requests tab.</source>
        <translation>Finished with %1 failed requests; see the Requests tab.</translation>
    </message>
    <message>
        <source>Finished. See the Summary tab for the rating.</source>
        <translation>Finished. See the Summary tab for the rating.</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Saved %1 chart files in %2</source>
        <translation>Saved %1 chart files in %2</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG images (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Save the chart</source>
        <translation>Save the chart</translation>
    </message>
    <message>
        <source>File error</source>
        <translation>File error</translation>
    </message>
    <message>
        <source>Save the sweep summary as JSON (a CSV is written next to it)</source>
        <translation>Save the sweep summary as JSON (a CSV is written next to it)</translation>
    </message>
    <message>
        <source>&amp;Compare results…</source>
        <translation>&amp;Compare results…</translation>
    </message>
    <message>
        <source>Save sweep summary (JSON and CSV)…</source>
        <translation>Save sweep summary (JSON and CSV)…</translation>
    </message>
    <message numerus="yes">
        <source>Sweep stopped. %n level(s) finished and are kept; see the Sweep tab.</source>
        <translation>
            <numerusform>Sweep stopped. %n level finished and is kept; see the Sweep tab.</numerusform>
            <numerusform>Sweep stopped. %n levels finished and are kept; see the Sweep tab.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweep finished. See the Sweep tab for the verdict.</source>
        <translation>Sweep finished. See the Sweep tab for the verdict.</translation>
    </message>
    <message>
        <source>Finished, but this computer's sending and reading threads were busy %1 % of the run: their own delays are in the latency tails. Fewer streams keep it out of that.</source>
        <translation>Finished, but this computer's sending and reading threads were busy %1 % of the run: their own delays are in the latency tails. Fewer streams keep it out of that.</translation>
    </message>
    <message>
        <source>Export a report</source>
        <translation>Export a report</translation>
    </message>
    <message>
        <source>Export &amp;report (HTML or PDF)…</source>
        <translation>Export &amp;report (HTML or PDF)…</translation>
    </message>
    <message>
        <source>There is no result to report yet: run a test or open a result file first.</source>
        <translation>There is no result to report yet: run a test or open a result file first.</translation>
    </message>
    <message>
        <source>Guided exercises</source>
        <translation>Guided exercises</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) behind this value are marked in the timeline.</source>
        <translation>
            <numerusform>%n request behind this value is marked in the timeline.</numerusform>
            <numerusform>%n requests behind this value are marked in the timeline.</numerusform>
        </translation>
    </message>
    <message>
        <source>Guided &amp;exercises…</source>
        <translation>Guided &amp;exercises…</translation>
    </message>
    <message>
        <source>Metrics &amp;glossary…</source>
        <translation>Metrics &amp;glossary…</translation>
    </message>
</context>
<context>
    <name>ts::MetricsScraper</name>
    <message>
        <source>Server metrics are not available: %1 could not be reached (%2).</source>
        <translation>Server metrics are not available: %1 could not be reached (%2).</translation>
    </message>
    <message>
        <source>This server publishes no metrics at %1 (HTTP %2).</source>
        <translation>This server publishes no metrics at %1 (HTTP %2).</translation>
    </message>
    <message>
        <source>The metrics at %1 name nothing Tokenstorm knows (it reads vLLM, SGLang, TGI and llama.cpp).</source>
        <translation>The metrics at %1 name nothing Tokenstorm knows (it reads vLLM, SGLang, TGI and llama.cpp).</translation>
    </message>
</context>
<context>
    <name>ts::ModelList</name>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>Could not reach %1: %2</translation>
    </message>
    <message>
        <source>%1 lists no models.</source>
        <translation>%1 lists no models.</translation>
    </message>
</context>
<context>
    <name>ts::Prometheus</name>
    <message>
        <source>A %1 line without a valid metric name.</source>
        <translation>A %1 line without a valid metric name.</translation>
    </message>
    <message>
        <source>A sample line without a valid metric name.</source>
        <translation>A sample line without a valid metric name.</translation>
    </message>
    <message>
        <source>A sample line without a metric name.</source>
        <translation>A sample line without a metric name.</translation>
    </message>
    <message>
        <source>The value of %1 is not a number.</source>
        <translation>The value of %1 is not a number.</translation>
    </message>
    <message>
        <source>The timestamp of %1 is not a number.</source>
        <translation>The timestamp of %1 is not a number.</translation>
    </message>
    <message>
        <source>Unexpected text after the value of %1.</source>
        <translation>Unexpected text after the value of %1.</translation>
    </message>
    <message>
        <source>A label set that does not parse.</source>
        <translation>A label set that does not parse.</translation>
    </message>
</context>
<context>
    <name>ts::PromptPreviewModel</name>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Input tokens</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Output tokens</translation>
    </message>
</context>
<context>
    <name>ts::Rating</name>
    <message>
        <source>Excellent</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Good</translation>
    </message>
    <message>
        <source>Needs work</source>
        <translation>Needs work</translation>
    </message>
</context>
<context>
    <name>ts::RatingHints</name>
    <message>
        <source>&lt;b&gt;The first token comes late.&lt;/b&gt; Typical causes are a model that is still loading or warming up, too little GPU memory so that requests queue for space, or a slow network path. Send a few warm-up requests, lower the concurrency to see whether the time drops, give the server more memory, and check the network between client and server.</source>
        <translation>&lt;b&gt;The first token comes late.&lt;/b&gt; Typical causes are a model that is still loading or warming up, too little GPU memory so that requests queue for space, or a slow network path. Send a few warm-up requests, lower the concurrency to see whether the time drops, give the server more memory, and check the network between client and server.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tokens stream slowly or unevenly.&lt;/b&gt; This usually comes from an uneven load, fragmented memory or the server's scheduling. Try a smaller batch (fewer sequences at once), restart the server, and look at the ITL distribution: a wide spread means an unsteady stream.</source>
        <translation>&lt;b&gt;Tokens stream slowly or unevenly.&lt;/b&gt; This usually comes from an uneven load, fragmented memory or the server's scheduling. Try a smaller batch (fewer sequences at once), restart the server, and look at the ITL distribution: a wide spread means an unsteady stream.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Few requests finish per second.&lt;/b&gt; The test may not push hard enough, the hardware may be the limit, or the server's settings hold it back. Raise the maximum concurrency or the request rate, then compare: if the throughput no longer grows while the latency does, the server is at its limit.</source>
        <translation>&lt;b&gt;Few requests finish per second.&lt;/b&gt; The test may not push hard enough, the hardware may be the limit, or the server's settings hold it back. Raise the maximum concurrency or the request rate, then compare: if the throughput no longer grows while the latency does, the server is at its limit.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Requests fail.&lt;/b&gt; Open the Requests tab and tick “Failed only” to read the errors. Timeouts mean an overloaded server or a too short timeout; HTTP 4xx errors point to a wrong model name, endpoint or key; connection errors to a wrong address or a server that went down.</source>
        <translation>&lt;b&gt;Requests fail.&lt;/b&gt; Open the Requests tab and tick “Failed only” to read the errors. Timeouts mean an overloaded server or a too short timeout; HTTP 4xx errors point to a wrong model name, endpoint or key; connection errors to a wrong address or a server that went down.</translation>
    </message>
    <message>
        <source>No headline metric needs work. Those rated good still have room: compare runs with more or less concurrency to see what moves them.</source>
        <translation>No headline metric needs work. Those rated good still have room: compare runs with more or less concurrency to see what moves them.</translation>
    </message>
    <message>
        <source>All headline metrics are excellent against the thresholds above.</source>
        <translation>All headline metrics are excellent against the thresholds above.</translation>
    </message>
    <message>
        <source>Run a test or open a result file to see its rating.</source>
        <translation>Run a test or open a result file to see its rating.</translation>
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
        <translation>%1 req/s</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>no data</translation>
    </message>
    <message>
        <source>Rating against the guide's reference values</source>
        <translation>Rating against the guide's reference values</translation>
    </message>
    <message>
        <source>Mean time to first token (TTFT)</source>
        <translation>Mean time to first token (TTFT)</translation>
    </message>
    <message>
        <source>Mean time per output token (TPOT)</source>
        <translation>Mean time per output token (TPOT)</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>Request throughput</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>Thresholds (editable)</source>
        <translation>Thresholds (editable)</translation>
    </message>
    <message>
        <source>Lower is better for TTFT and TPOT: a value below the first limit is excellent, below the second good. Higher is better for throughput and success rate: above the first limit is excellent, above the second good.</source>
        <translation>Lower is better for TTFT and TPOT: a value below the first limit is excellent, below the second good. Higher is better for throughput and success rate: above the first limit is excellent, above the second good.</translation>
    </message>
    <message>
        <source>TTFT below</source>
        <translation>TTFT below</translation>
    </message>
    <message>
        <source>TPOT below</source>
        <translation>TPOT below</translation>
    </message>
    <message>
        <source>Throughput above</source>
        <translation>Throughput above</translation>
    </message>
    <message>
        <source>Success rate above</source>
        <translation>Success rate above</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> req/s</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>What to look at</source>
        <translation>What to look at</translation>
    </message>
    <message>
        <source>not for this API</source>
        <translation>not for this API</translation>
    </message>
    <message>
        <source>This API answers with embeddings, not generated tokens: rate its end-to-end latency and throughput instead.</source>
        <translation>This API answers with embeddings, not generated tokens: rate its end-to-end latency and throughput instead.</translation>
    </message>
</context>
<context>
    <name>ts::RecoveryOffer</name>
    <message numerus="yes">
        <source>%1 — %2, %3: %n request(s) measured</source>
        <translation>
            <numerusform>%1 — %2, %3: %n request measured</numerusform>
            <numerusform>%1 — %2, %3: %n requests measured</numerusform>
        </translation>
    </message>
    <message>
        <source>Recover interrupted runs</source>
        <translation>Recover interrupted runs</translation>
    </message>
    <message numerus="yes">
        <source>Tokenstorm was closed while %n run(s) were going on. What they measured was kept:</source>
        <translation>
            <numerusform>Tokenstorm was closed while a run was going on. What it measured was kept:</numerusform>
            <numerusform>Tokenstorm was closed while %n runs were going on. What they measured was kept:</numerusform>
        </translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Recover</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>ts::Report</name>
    <message>
        <source>Comparison report</source>
        <translation>Comparison report</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) · %1</source>
        <translation>
            <numerusform>%n result · %1</numerusform>
            <numerusform>%n results · %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>Each later file is compared with the first: differences in percent of [1].</source>
        <translation>Each later file is compared with the first: differences in percent of [1].</translation>
    </message>
    <message>
        <source>Setups</source>
        <translation>Setups</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metrics</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrency</translation>
    </message>
    <message>
        <source>Request rate (req/s)</source>
        <translation>Request rate (req/s)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Cumulative %</source>
        <translation>Cumulative %</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>CDF</source>
        <translation>CDF</translation>
    </message>
    <message>
        <source>TTFT per request over the run</source>
        <translation>TTFT per request over the run</translation>
    </message>
    <message>
        <source>Sent at (s since the start)</source>
        <translation>Sent at (s since the start)</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Throughput against the load</source>
        <translation>Throughput against the load</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>Output tokens/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requests/s</translation>
    </message>
    <message>
        <source>Output throughput</source>
        <translation>Output throughput</translation>
    </message>
    <message>
        <source>Request throughput</source>
        <translation>Request throughput</translation>
    </message>
    <message>
        <source>knee</source>
        <translation>knee</translation>
    </message>
    <message>
        <source>Latency against the load</source>
        <translation>Latency against the load</translation>
    </message>
    <message>
        <source>TTFT, E2EL (ms)</source>
        <translation>TTFT, E2EL (ms)</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>P99 TTFT</source>
        <translation>P99 TTFT</translation>
    </message>
    <message>
        <source>Median E2EL</source>
        <translation>Median E2EL</translation>
    </message>
    <message>
        <source>Mean TPOT</source>
        <translation>Mean TPOT</translation>
    </message>
    <message>
        <source>Latencies</source>
        <translation>Latencies</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Milliseconds</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Throughput</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>not recorded</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>server default</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>not in the result file</source>
        <translation>not in the result file</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpoint</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Workload and load</source>
        <translation>Workload and load</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Dataset</translation>
    </message>
    <message>
        <source>Input / output length (tokens)</source>
        <translation>Input / output length (tokens)</translation>
    </message>
    <message>
        <source>Length range ratio</source>
        <translation>Length range ratio</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>multi-turn, each turn with its history</source>
        <translation>multi-turn, each turn with its history</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperature</translation>
    </message>
    <message>
        <source>all at once</source>
        <translation>all at once</translation>
    </message>
    <message>
        <source>Burstiness</source>
        <translation>Burstiness</translation>
    </message>
    <message>
        <source>Maximum concurrency</source>
        <translation>Maximum concurrency</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>Warm-up requests</source>
        <translation>Warm-up requests</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metric</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mean</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>ITL (ms)</source>
        <translation>ITL (ms)</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL (ms)</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Input tokens</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Output tokens</translation>
    </message>
    <message>
        <source>The client's own overhead</source>
        <translation>The client's own overhead</translation>
    </message>
    <message>
        <source>The result file does not record the client's CPU time.</source>
        <translation>The result file does not record the client's CPU time.</translation>
    </message>
    <message>
        <source>Client CPU time (s)</source>
        <translation>Client CPU time (s)</translation>
    </message>
    <message>
        <source>CPU time per output token (µs)</source>
        <translation>CPU time per output token (µs)</translation>
    </message>
    <message>
        <source>Transport threads</source>
        <translation>Transport threads</translation>
    </message>
    <message>
        <source>Transport threads' CPU time (s)</source>
        <translation>Transport threads' CPU time (s)</translation>
    </message>
    <message>
        <source>Transport threads busy</source>
        <translation>Transport threads busy</translation>
    </message>
    <message>
        <source>The client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more client threads on a machine with cores to spare, keep it out of that.</source>
        <translation>The client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more client threads on a machine with cores to spare, keep it out of that.</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Environment</translation>
    </message>
    <message>
        <source>The machine that wrote this report.</source>
        <translation>The machine that wrote this report.</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Operating system</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Cores</source>
        <translation>Cores</translation>
    </message>
    <message>
        <source>Give a result file, a sweep summary or several result files.</source>
        <translation>Give a result file, a sweep summary or several result files.</translation>
    </message>
    <message>
        <source>below %1 excellent, below %2 good</source>
        <translation>below %1 excellent, below %2 good</translation>
    </message>
    <message>
        <source>above %1 excellent, above %2 good</source>
        <translation>above %1 excellent, above %2 good</translation>
    </message>
    <message>
        <source>Rating against the guide's reference values</source>
        <translation>Rating against the guide's reference values</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>Thresholds</translation>
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
        <translation>no data</translation>
    </message>
    <message>
        <source>Mean TTFT</source>
        <translation>Mean TTFT</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>Benchmark report</source>
        <translation>Benchmark report</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>unknown model</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>The run was stopped before it finished; the numbers cover what was measured.</source>
        <translation>The run was stopped before it finished; the numbers cover what was measured.</translation>
    </message>
    <message>
        <source>Per-request statistics</source>
        <translation>Per-request statistics</translation>
    </message>
    <message>
        <source>%1 requests, %2 failed. Times over the successful requests.</source>
        <translation>%1 requests, %2 failed. Times over the successful requests.</translation>
    </message>
    <message>
        <source>The result file has no per-request data; only the summary above is known.</source>
        <translation>The result file has no per-request data; only the summary above is known.</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>Distributions</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>Time to first token (TTFT)</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>Time per output token (TPOT)</translation>
    </message>
    <message>
        <source>Inter-token latency (ITL)</source>
        <translation>Inter-token latency (ITL)</translation>
    </message>
    <message>
        <source>End-to-end latency (E2EL)</source>
        <translation>End-to-end latency (E2EL)</translation>
    </message>
    <message>
        <source>Over the run</source>
        <translation>Over the run</translation>
    </message>
    <message>
        <source>Request timeline</source>
        <translation>Request timeline</translation>
    </message>
    <message>
        <source>Rate (req/s)</source>
        <translation>Rate (req/s)</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation>Req/s</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>Output tok/s</translation>
    </message>
    <message>
        <source>Gain per doubling</source>
        <translation>Gain per doubling</translation>
    </message>
    <message>
        <source>P99 TTFT (ms)</source>
        <translation>P99 TTFT (ms)</translation>
    </message>
    <message>
        <source>Mean TPOT (ms)</source>
        <translation>Mean TPOT (ms)</translation>
    </message>
    <message>
        <source>Median E2EL (ms)</source>
        <translation>Median E2EL (ms)</translation>
    </message>
    <message>
        <source>Rules broken</source>
        <translation>Rules broken</translation>
    </message>
    <message>
        <source>stopped (partial)</source>
        <translation>stopped (partial)</translation>
    </message>
    <message>
        <source>Sweep report</source>
        <translation>Sweep report</translation>
    </message>
    <message>
        <source>concurrency sweep</source>
        <translation>concurrency sweep</translation>
    </message>
    <message>
        <source>request rate sweep</source>
        <translation>request rate sweep</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>The sweep was stopped before it finished.</source>
        <translation>The sweep was stopped before it finished.</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>Levels</translation>
    </message>
    <message>
        <source>Planned levels: %1. Measured: %2.</source>
        <translation>Planned levels: %1. Measured: %2.</translation>
    </message>
    <message>
        <source>Total token throughput</source>
        <translation>Total token throughput</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT (ms)</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT (ms)</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>Reasoning tokens</translation>
    </message>
    <message>
        <source>The model reasoned before answering: TTFT is the wait for its first reasoning, TTFAT the wait for the answer itself. TTFAT − TTFRT is the time spent reasoning.</source>
        <translation>The model reasoned before answering: TTFT is the wait for its first reasoning, TTFAT the wait for the answer itself. TTFAT − TTFRT is the time spent reasoning.</translation>
    </message>
    <message>
        <source>Time to first reasoning token (TTFRT)</source>
        <translation>Time to first reasoning token (TTFRT)</translation>
    </message>
    <message>
        <source>Time to first answer token (TTFAT)</source>
        <translation>Time to first answer token (TTFAT)</translation>
    </message>
</context>
<context>
    <name>ts::ReportWriter</name>
    <message>
        <source>Page %1 of %2</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <source>Cannot write a report to %1: the name must end in .html or .pdf.</source>
        <translation>Cannot write a report to %1: the name must end in .html or .pdf.</translation>
    </message>
    <message>
        <source>Could not make the report %1.</source>
        <translation>Could not make the report %1.</translation>
    </message>
</context>
<context>
    <name>ts::RequestTableModel</name>
    <message>
        <source>✔ OK</source>
        <translation>✔ OK</translation>
    </message>
    <message>
        <source>✖ Failed</source>
        <translation>✖ Failed</translation>
    </message>
    <message>
        <source>When the request was sent, in seconds since the run began.</source>
        <translation>When the request was sent, in seconds since the run began.</translation>
    </message>
    <message>
        <source>Time to first token: from sending the request to the first generated text.</source>
        <translation>Time to first token: from sending the request to the first generated text.</translation>
    </message>
    <message>
        <source>Time per output token after the first: (E2EL − TTFT) / (output tokens − 1).</source>
        <translation>Time per output token after the first: (E2EL − TTFT) / (output tokens − 1).</translation>
    </message>
    <message>
        <source>Mean gap between two streamed chunks of this answer.</source>
        <translation>Mean gap between two streamed chunks of this answer.</translation>
    </message>
    <message>
        <source>End-to-end latency: from sending the request to the last generated text.</source>
        <translation>End-to-end latency: from sending the request to the last generated text.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Sent at (s)</source>
        <translation>Sent at (s)</translation>
    </message>
    <message>
        <source>Queue (ms)</source>
        <translation>Queue (ms)</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>Mean ITL (ms)</source>
        <translation>Mean ITL (ms)</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL (ms)</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Input tokens</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Output tokens</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>%1, turn %2</source>
        <translation>%1, turn %2</translation>
    </message>
    <message>
        <source>In a multi-turn run: the conversation (from 0) and which of its turns this request was.</source>
        <translation>In a multi-turn run: the conversation (from 0) and which of its turns this request was.</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>How long the request waited in the client before it was sent: for a free concurrency slot, then for its turn to be handed to the network.</source>
        <translation>How long the request waited in the client before it was sent: for a free concurrency slot, then for its turn to be handed to the network.</translation>
    </message>
    <message>
        <source>TTFRT (ms)</source>
        <translation>TTFRT (ms)</translation>
    </message>
    <message>
        <source>TTFAT (ms)</source>
        <translation>TTFAT (ms)</translation>
    </message>
    <message>
        <source>Reasoning tokens</source>
        <translation>Reasoning tokens</translation>
    </message>
</context>
<context>
    <name>ts::RequestsView</name>
    <message>
        <source>Failed only</source>
        <translation>Failed only</translation>
    </message>
    <message>
        <source>Show only the requests that failed, with the error each one got.</source>
        <translation>Show only the requests that failed, with the error each one got.</translation>
    </message>
    <message>
        <source>This result has no per-request data.</source>
        <translation>This result has no per-request data.</translation>
    </message>
    <message>
        <source>%1 requests, %2 failed</source>
        <translation>%1 requests, %2 failed</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
</context>
<context>
    <name>ts::ResultExport</name>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf)</source>
        <translation>HTML report (*.html);;PDF report (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ts::ResultFile</name>
    <message>
        <source>%1 is not valid JSON (error at byte %2).</source>
        <translation>%1 is not valid JSON (error at byte %2).</translation>
    </message>
    <message>
        <source>%1 is not a benchmark result file.</source>
        <translation>%1 is not a benchmark result file.</translation>
    </message>
    <message>
        <source>Could not open %1: %2.</source>
        <translation>Could not open %1: %2.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 cannot be read: %2</translation>
    </message>
</context>
<context>
    <name>ts::RunController</name>
    <message>
        <source>The demo server has no preset “%1”.</source>
        <translation>The demo server has no preset “%1”.</translation>
    </message>
    <message>
        <source>The demo server did not start: %1</source>
        <translation>The demo server did not start: %1</translation>
    </message>
    <message>
        <source>The test request failed: %1</source>
        <translation>The test request failed: %1</translation>
    </message>
</context>
<context>
    <name>ts::RunJournal</name>
    <message>
        <source>Could not start the run's journal in %1 (%2); a crash would lose this run's measurements.</source>
        <translation>Could not start the run's journal in %1 (%2); a crash would lose this run's measurements.</translation>
    </message>
    <message>
        <source>the folder cannot be created</source>
        <translation>the folder cannot be created</translation>
    </message>
    <message>
        <source>too many journals of the same second</source>
        <translation>too many journals of the same second</translation>
    </message>
    <message>
        <source>Could not open the journal %1: %2.</source>
        <translation>Could not open the journal %1: %2.</translation>
    </message>
    <message>
        <source>%1 is not a Tokenstorm journal, or one this version cannot read; it was kept.</source>
        <translation>%1 is not a Tokenstorm journal, or one this version cannot read; it was kept.</translation>
    </message>
    <message>
        <source>Line %1 of the journal %2 is damaged, so it cannot be recovered; it was kept.</source>
        <translation>Line %1 of the journal %2 is damaged, so it cannot be recovered; it was kept.</translation>
    </message>
</context>
<context>
    <name>ts::RunOutcome</name>
    <message>
        <source>Every request failed. The first error: %1</source>
        <translation>Every request failed. The first error: %1</translation>
    </message>
</context>
<context>
    <name>ts::RunPanel</name>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Start the test with the settings on the left.</source>
        <translation>Start the test with the settings on the left.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Stop sending; the requests measured so far are kept and shown.</source>
        <translation>Stop sending; the requests measured so far are kept and shown.</translation>
    </message>
    <message>
        <source>In flight:</source>
        <translation>In flight:</translation>
    </message>
    <message>
        <source>Requests sent and still streaming their answer.</source>
        <translation>Requests sent and still streaming their answer.</translation>
    </message>
    <message>
        <source>Waiting:</source>
        <translation>Waiting:</translation>
    </message>
    <message>
        <source>Requests that are due but wait for a free slot under the maximum concurrency.</source>
        <translation>Requests that are due but wait for a free slot under the maximum concurrency.</translation>
    </message>
    <message>
        <source>Succeeded:</source>
        <translation>Succeeded:</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>Failed:</translation>
    </message>
    <message>
        <source>%1 / %2 requests</source>
        <translation>%1 / %2 requests</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>Elapsed %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Preparing…</translation>
    </message>
    <message>
        <source>Preparing: starting the demo server, checking the model and building the prompts…</source>
        <translation>Preparing: starting the demo server, checking the model and building the prompts…</translation>
    </message>
    <message>
        <source>Warming up…</source>
        <translation>Warming up…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <source>Stopping: waiting for the requests in flight to end…</source>
        <translation>Stopping: waiting for the requests in flight to end…</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>Cannot start: %1</translation>
    </message>
    <message>
        <source>Ready. Press Start.</source>
        <translation>Ready. Press Start.</translation>
    </message>
    <message>
        <source>Sweep level %1 of %2: %3.</source>
        <translation>Sweep level %1 of %2: %3.</translation>
    </message>
    <message>
        <source>Reading the dataset: %1%</source>
        <translation>Reading the dataset: %1%</translation>
    </message>
</context>
<context>
    <name>ts::RunPipeline</name>
    <message>
        <source>The tokenizer “%1” cannot be used: %2</source>
        <translation>The tokenizer “%1” cannot be used: %2</translation>
    </message>
    <message>
        <source>The dataset could not be read.</source>
        <translation>The dataset could not be read.</translation>
    </message>
    <message>
        <source>The dataset gave no prompts.</source>
        <translation>The dataset gave no prompts.</translation>
    </message>
    <message>
        <source>No model was given, and the server's model list is not available: %1</source>
        <translation>No model was given, and the server's model list is not available: %1</translation>
    </message>
    <message>
        <source>No model was given, and the server lists none. Name the model to test.</source>
        <translation>No model was given, and the server lists none. Name the model to test.</translation>
    </message>
    <message>
        <source>Prompt lengths are estimates; give a tokenizer for exact ones.</source>
        <translation>Prompt lengths are estimates; give a tokenizer for exact ones.</translation>
    </message>
    <message>
        <source>The server's API has no tokenize endpoint. %1</source>
        <translation>The server's API has no tokenize endpoint. %1</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 does not apply the chat template. %2</source>
        <translation>The server's tokenize endpoint %1 does not apply the chat template. %2</translation>
    </message>
    <message>
        <source>it counted no tokens in a word</source>
        <translation>it counted no tokens in a word</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 is not available (%2). %3</source>
        <translation>The server's tokenize endpoint %1 is not available (%2). %3</translation>
    </message>
    <message>
        <source>The server's tokenize endpoint %1 failed (%2). %3</source>
        <translation>The server's tokenize endpoint %1 failed (%2). %3</translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s) missed their length by %1 tokens in all, as the server counts them.</source>
        <translation>
            <numerusform>%n prompt(s) missed their length by %1 tokens in all, as the server counts them.</numerusform>
            <numerusform>%n prompt(s) missed their length by %1 tokens in all, as the server counts them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::SaveFile</name>
    <message>
        <source>Could not write %1 in %2: %3.</source>
        <translation>Could not write %1 in %2: %3.</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>the folder does not exist</translation>
    </message>
    <message>
        <source>a folder has that name</source>
        <translation>a folder has that name</translation>
    </message>
</context>
<context>
    <name>ts::Scenarios</name>
    <message>
        <source>Basic function test</source>
        <translation>Basic function test</translation>
    </message>
    <message>
        <source>Checks that the server answers at all: 10 requests, 100 input and 50 output tokens, sent at once.</source>
        <translation>Checks that the server answers at all: 10 requests, 100 input and 50 output tokens, sent at once.</translation>
    </message>
    <message>
        <source>Performance baseline</source>
        <translation>Performance baseline</translation>
    </message>
    <message>
        <source>Sets a reference to compare later changes with: 1000 requests, 512 input and 128 output tokens, sent at once.</source>
        <translation>Sets a reference to compare later changes with: 1000 requests, 512 input and 128 output tokens, sent at once.</translation>
    </message>
    <message>
        <source>Concurrency stress test</source>
        <translation>Concurrency stress test</translation>
    </message>
    <message>
        <source>Shows how the server copes with many users: 1000 requests at 50 per second, at most 100 at a time, 512 input and 128 output tokens.</source>
        <translation>Shows how the server copes with many users: 1000 requests at 50 per second, at most 100 at a time, 512 input and 128 output tokens.</translation>
    </message>
    <message>
        <source>Realistic scenario</source>
        <translation>Realistic scenario</translation>
    </message>
    <message>
        <source>Imitates everyday use: 500 requests arriving at 10 per second. With random prompts their lengths vary around 256 tokens; choose ShareGPT conversations as the dataset to replay real chats, as the guide does.</source>
        <translation>Imitates everyday use: 500 requests arriving at 10 per second. With random prompts their lengths vary around 256 tokens; choose ShareGPT conversations as the dataset to replay real chats, as the guide does.</translation>
    </message>
</context>
<context>
    <name>ts::SecretStore</name>
    <message>
        <source>The API key</source>
        <translation>The API key</translation>
    </message>
    <message>
        <source>The extra headers</source>
        <translation>The extra headers</translation>
    </message>
    <message>
        <source>The user name and password of the server address</source>
        <translation>The user name and password of the server address</translation>
    </message>
    <message>
        <source>%1 could not be read from the system keychain: %2</source>
        <translation>%1 could not be read from the system keychain: %2</translation>
    </message>
    <message>
        <source>%1 could not be saved in the system keychain: %2</source>
        <translation>%1 could not be saved in the system keychain: %2</translation>
    </message>
    <message>
        <source>%1 could not be removed from the system keychain: %2</source>
        <translation>%1 could not be removed from the system keychain: %2</translation>
    </message>
</context>
<context>
    <name>ts::ServerMetricsView</name>
    <message>
        <source>During a run, the server's own numbers appear here: requests running and waiting, KV-cache use, prompt and generation tokens/s, read once a second from its Prometheus /metrics page.</source>
        <translation>During a run, the server's own numbers appear here: requests running and waiting, KV-cache use, prompt and generation tokens/s, read once a second from its Prometheus /metrics page.</translation>
    </message>
    <message>
        <source>Watching the server's metrics is off. Tick “Watch the server's /metrics” under “Server to test” to chart them during the next run.</source>
        <translation>Watching the server's metrics is off. Tick “Watch the server's /metrics” under “Server to test” to chart them during the next run.</translation>
    </message>
    <message>
        <source>Asking %1 for the server's metrics…</source>
        <translation>Asking %1 for the server's metrics…</translation>
    </message>
    <message>
        <source>requests running and waiting</source>
        <translation>requests running and waiting</translation>
    </message>
    <message>
        <source>KV-cache use</source>
        <translation>KV-cache use</translation>
    </message>
    <message>
        <source>generation tokens/s</source>
        <translation>generation tokens/s</translation>
    </message>
    <message>
        <source>prompt tokens/s</source>
        <translation>prompt tokens/s</translation>
    </message>
    <message>
        <source>Server: %1, read from %2 once a second. Solid lines are the server's own numbers; dashed grey lines are what Tokenstorm measured as the client.</source>
        <translation>Server: %1, read from %2 once a second. Solid lines are the server's own numbers; dashed grey lines are what Tokenstorm measured as the client.</translation>
    </message>
    <message>
        <source>This server does not publish: %1.</source>
        <translation>This server does not publish: %1.</translation>
    </message>
    <message>
        <source>That is fine: the run is not affected, and the Live tab shows what the client measured.</source>
        <translation>That is fine: the run is not affected, and the Live tab shows what the client measured.</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>Time (s)</translation>
    </message>
    <message>
        <source>Requests at the server</source>
        <translation>Requests at the server</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Running (server)</source>
        <translation>Running (server)</translation>
    </message>
    <message>
        <source>Waiting (server)</source>
        <translation>Waiting (server)</translation>
    </message>
    <message>
        <source>Running + waiting</source>
        <translation>Running + waiting</translation>
    </message>
    <message>
        <source>In flight (client)</source>
        <translation>In flight (client)</translation>
    </message>
    <message>
        <source>Generated tokens per second</source>
        <translation>Generated tokens per second</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <source>Generation tokens/s (server)</source>
        <translation>Generation tokens/s (server)</translation>
    </message>
    <message>
        <source>Output tokens/s (client)</source>
        <translation>Output tokens/s (client)</translation>
    </message>
    <message>
        <source>Used (%)</source>
        <translation>Used (%)</translation>
    </message>
    <message>
        <source>KV cache used (server)</source>
        <translation>KV cache used (server)</translation>
    </message>
    <message>
        <source>Prompt tokens processed per second</source>
        <translation>Prompt tokens processed per second</translation>
    </message>
    <message>
        <source>Prompt tokens/s (server)</source>
        <translation>Prompt tokens/s (server)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
</context>
<context>
    <name>ts::ServerSnapshot</name>
    <message>
        <source>built-in server</source>
        <translation>built-in server</translation>
    </message>
    <message>
        <source>unknown server</source>
        <translation>unknown server</translation>
    </message>
</context>
<context>
    <name>ts::ServerTokenizer</name>
    <message>
        <source>Could not reach %1: %2</source>
        <translation>Could not reach %1: %2</translation>
    </message>
    <message>
        <source>The server's API has no tokenize endpoint.</source>
        <translation>The server's API has no tokenize endpoint.</translation>
    </message>
    <message>
        <source>%1 answered with no token count.</source>
        <translation>%1 answered with no token count.</translation>
    </message>
</context>
<context>
    <name>ts::SimPresets</name>
    <message>
        <source>Fixed latency for checking the client: first token after 100 ms, then one every 50 ms.</source>
        <translation>Fixed latency for checking the client: first token after 100 ms, then one every 50 ms.</translation>
    </message>
    <message>
        <source>A fast GPU server: 256 sequences, prefill 20000 tokens/s, step 12 ms + 0.08 ms per sequence.</source>
        <translation>A fast GPU server: 256 sequences, prefill 20000 tokens/s, step 12 ms + 0.08 ms per sequence.</translation>
    </message>
    <message>
        <source>A smaller GPU server: 64 sequences, prefill 8000 tokens/s, step 20 ms + 0.25 ms per sequence.</source>
        <translation>A smaller GPU server: 64 sequences, prefill 8000 tokens/s, step 20 ms + 0.25 ms per sequence.</translation>
    </message>
    <message>
        <source>A small CPU server like llama.cpp: 4 slots, prefill 300 tokens/s, step 40 ms + 8 ms per sequence.</source>
        <translation>A small CPU server like llama.cpp: 4 slots, prefill 300 tokens/s, step 40 ms + 8 ms per sequence.</translation>
    </message>
    <message>
        <source>A server that saturates early: 16 slots, so a concurrency sweep finds its knee near 16.</source>
        <translation>A server that saturates early: 16 slots, so a concurrency sweep finds its knee near 16.</translation>
    </message>
    <message>
        <source>A slow server to watch by eye: 4 slots, prefill 640 tokens/s, step 180 ms + 10 ms per sequence; a fifth request waits for a slot.</source>
        <translation>A slow server to watch by eye: 4 slots, prefill 640 tokens/s, step 180 ms + 10 ms per sequence; a fifth request waits for a slot.</translation>
    </message>
</context>
<context>
    <name>ts::SimServer</name>
    <message>
        <source>Could not find the address of %1.</source>
        <translation>Could not find the address of %1.</translation>
    </message>
    <message>
        <source>Could not listen on %1 port %2: %3</source>
        <translation>Could not listen on %1 port %2: %3</translation>
    </message>
</context>
<context>
    <name>ts::SimServerConfig</name>
    <message>
        <source>The model name must not be empty.</source>
        <translation>The model name must not be empty.</translation>
    </message>
    <message>
        <source>The listen backlog must be at least 1.</source>
        <translation>The listen backlog must be at least 1.</translation>
    </message>
    <message>
        <source>The maximum model length must be at least 2 tokens.</source>
        <translation>The maximum model length must be at least 2 tokens.</translation>
    </message>
    <message>
        <source>The default number of output tokens must be at least 1.</source>
        <translation>The default number of output tokens must be at least 1.</translation>
    </message>
    <message>
        <source>The end-of-sequence probability must be at least 0 and below 1.</source>
        <translation>The end-of-sequence probability must be at least 0 and below 1.</translation>
    </message>
    <message>
        <source>The jitter must be at least 0 and below 1.</source>
        <translation>The jitter must be at least 0 and below 1.</translation>
    </message>
    <message>
        <source>The time to first token must not be negative.</source>
        <translation>The time to first token must not be negative.</translation>
    </message>
    <message>
        <source>The inter-token latency must not be negative.</source>
        <translation>The inter-token latency must not be negative.</translation>
    </message>
    <message>
        <source>The number of sequence slots must be at least 1.</source>
        <translation>The number of sequence slots must be at least 1.</translation>
    </message>
    <message>
        <source>The tokens per step must be at least the number of sequence slots.</source>
        <translation>The tokens per step must be at least the number of sequence slots.</translation>
    </message>
    <message>
        <source>The prefill speed must be above 0 tokens per second.</source>
        <translation>The prefill speed must be above 0 tokens per second.</translation>
    </message>
    <message>
        <source>Step times must not be negative.</source>
        <translation>Step times must not be negative.</translation>
    </message>
    <message>
        <source>A decode step must take some time.</source>
        <translation>A decode step must take some time.</translation>
    </message>
    <message>
        <source>The KV cache must hold at least one sequence of the maximum model length.</source>
        <translation>The KV cache must hold at least one sequence of the maximum model length.</translation>
    </message>
    <message>
        <source>Timeouts must be above 0 seconds.</source>
        <translation>Timeouts must be above 0 seconds.</translation>
    </message>
    <message>
        <source>The request body limit must be at least 1024 bytes.</source>
        <translation>The request body limit must be at least 1024 bytes.</translation>
    </message>
    <message>
        <source>The number of reasoning tokens cannot be negative.</source>
        <translation>The number of reasoning tokens cannot be negative.</translation>
    </message>
</context>
<context>
    <name>ts::StreamCollector</name>
    <message>
        <source>The server answered but generated no text.</source>
        <translation>The server answered but generated no text.</translation>
    </message>
    <message>
        <source>The server sent a line longer than %1 MB without ending it; the request was stopped.</source>
        <translation>The server sent a line longer than %1 MB without ending it; the request was stopped.</translation>
    </message>
    <message>
        <source>The server sent an event longer than %1 MB without ending it; the request was stopped.</source>
        <translation>The server sent an event longer than %1 MB without ending it; the request was stopped.</translation>
    </message>
    <message>
        <source>The server sent invalid UTF-8 at byte %1 of the stream; the request was stopped.</source>
        <translation>The server sent invalid UTF-8 at byte %1 of the stream; the request was stopped.</translation>
    </message>
    <message>
        <source>The reply grew past %1 million characters or %2 million chunks; the request was stopped.</source>
        <translation>The reply grew past %1 million characters or %2 million chunks; the request was stopped.</translation>
    </message>
    <message>
        <source>The server answered with an empty body.</source>
        <translation>The server answered with an empty body.</translation>
    </message>
</context>
<context>
    <name>ts::Summary</name>
    <message>
        <source>Output tokens are estimates (server sent no usage)</source>
        <translation>Output tokens are estimates (server sent no usage)</translation>
    </message>
    <message>
        <source>The run was stopped before all requests finished</source>
        <translation>The run was stopped before all requests finished</translation>
    </message>
</context>
<context>
    <name>ts::SummaryView</name>
    <message>
        <source>In the layout of vLLM's benchmark, with its English labels, so the numbers can be compared line by line.</source>
        <translation>In the layout of vLLM's benchmark, with its English labels, so the numbers can be compared line by line.</translation>
    </message>
    <message>
        <source>No result yet. Press Start to run a test, or open a result file (File ▸ Open result).</source>
        <translation>No result yet. Press Start to run a test, or open a result file (File ▸ Open result).</translation>
    </message>
    <message>
        <source>unknown date</source>
        <translation>unknown date</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>unknown model</translation>
    </message>
    <message>
        <source>Result file %1 (model %2, %3).</source>
        <translation>Result file %1 (model %2, %3).</translation>
    </message>
    <message>
        <source>Run of %1 against %2, model %3.</source>
        <translation>Run of %1 against %2, model %3.</translation>
    </message>
    <message>
        <source>It was stopped early: %1 of %2 requests finished.</source>
        <translation>It was stopped early: %1 of %2 requests finished.</translation>
    </message>
    <message>
        <source>Summary and rating</source>
        <translation>Summary and rating</translation>
    </message>
    <message>
        <source>Mean: the average of the values.</source>
        <translation>Mean: the average of the values.</translation>
    </message>
    <message>
        <source>Median: half of the values are below it, half above.</source>
        <translation>Median: half of the values are below it, half above.</translation>
    </message>
    <message>
        <source>Std: how widely the values spread around the mean.</source>
        <translation>Std: how widely the values spread around the mean.</translation>
    </message>
    <message>
        <source>P%1: %1 % of the values are at or below it.</source>
        <translation>P%1: %1 % of the values are at or below it.</translation>
    </message>
    <message>
        <source>Click to mark the requests behind this value.</source>
        <translation>Click to mark the requests behind this value.</translation>
    </message>
    <message>
        <source>New to load testing? Follow the guide's three exercises on the built-in server, or read what each metric means.</source>
        <translation>New to load testing? Follow the guide's three exercises on the built-in server, or read what each metric means.</translation>
    </message>
    <message>
        <source>Guided exercises</source>
        <translation>Guided exercises</translation>
    </message>
    <message>
        <source>Metrics glossary</source>
        <translation>Metrics glossary</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>exponential</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>linear</translation>
    </message>
    <message>
        <source>Load: ramp up from %1 to %2 req/s, %3.</source>
        <translation>Load: ramp up from %1 to %2 req/s, %3.</translation>
    </message>
    <message>
        <source>Load: %1 req/s.</source>
        <translation>Load: %1 req/s.</translation>
    </message>
    <message>
        <source>Load: all requests released at once.</source>
        <translation>Load: all requests released at once.</translation>
    </message>
    <message>
        <source>Limited to %1 s; requests still running then were cancelled.</source>
        <translation>Limited to %1 s; requests still running then were cancelled.</translation>
    </message>
    <message>
        <source>Limited to %1 s; requests still running then were let finish.</source>
        <translation>Limited to %1 s; requests still running then were let finish.</translation>
    </message>
    <message>
        <source>Load: a trace replayed at its recorded times × %1.</source>
        <translation>Load: a trace replayed at its recorded times × %1.</translation>
    </message>
    <message>
        <source>An embeddings run: the server returns vectors, not generated tokens, so it is measured by its end-to-end latency (E2EL) and its request and input throughput.</source>
        <translation>An embeddings run: the server returns vectors, not generated tokens, so it is measured by its end-to-end latency (E2EL) and its request and input throughput.</translation>
    </message>
</context>
<context>
    <name>ts::Sweep</name>
    <message>
        <source>The dataset gave no prompts.</source>
        <translation>The dataset gave no prompts.</translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation>%1 requests/s</translation>
    </message>
    <message>
        <source>concurrency %1</source>
        <translation>concurrency %1</translation>
    </message>
    <message>
        <source>the success rate</source>
        <translation>the success rate</translation>
    </message>
    <message>
        <source>the p99 TTFT limit</source>
        <translation>the p99 TTFT limit</translation>
    </message>
    <message>
        <source>the p99 TPOT limit</source>
        <translation>the p99 TPOT limit</translation>
    </message>
    <message>
        <source>the p99 E2EL limit</source>
        <translation>the p99 E2EL limit</translation>
    </message>
    <message>
        <source>the throughput plateau</source>
        <translation>the throughput plateau</translation>
    </message>
    <message>
        <source>the server's KV cache</source>
        <translation>the server's KV cache</translation>
    </message>
    <message>
        <source>the server's request queue</source>
        <translation>the server's request queue</translation>
    </message>
    <message>
        <source>requests waiting for the server</source>
        <translation>requests waiting for the server</translation>
    </message>
    <message>
        <source>only %1% of requests succeeded (the limit is %2%)</source>
        <translation>only %1% of requests succeeded (the limit is %2%)</translation>
    </message>
    <message>
        <source>p99 time to first token was %1 ms (the limit is %2 ms)</source>
        <translation>p99 time to first token was %1 ms (the limit is %2 ms)</translation>
    </message>
    <message>
        <source>p99 time per output token was %1 ms (the limit is %2 ms)</source>
        <translation>p99 time per output token was %1 ms (the limit is %2 ms)</translation>
    </message>
    <message>
        <source>p99 end-to-end latency was %1 ms (the limit is %2 ms)</source>
        <translation>p99 end-to-end latency was %1 ms (the limit is %2 ms)</translation>
    </message>
    <message>
        <source>output throughput fell by %1% below the best earlier level (a gain of %2% was needed)</source>
        <translation>output throughput fell by %1% below the best earlier level (a gain of %2% was needed)</translation>
    </message>
    <message>
        <source>output throughput rose by only %1% over the best earlier level (the limit is %2%)</source>
        <translation>output throughput rose by only %1% over the best earlier level (the limit is %2%)</translation>
    </message>
    <message>
        <source>First limit reached: the server's own request queue, at %1. The server ran at most %2 requests at once; the others waited in its queue (about %3 at a time).</source>
        <translation>First limit reached: the server's own request queue, at %1. The server ran at most %2 requests at once; the others waited in its queue (about %3 at a time).</translation>
    </message>
    <message>
        <source>First limit reached: the server's KV cache, at %1, where it was %2% full.</source>
        <translation>First limit reached: the server's KV cache, at %1, where it was %2% full.</translation>
    </message>
    <message>
        <source>First limit reached at %1: about %2 requests were in flight, but only about %3 were generating at once on average; the others waited for their first token. (The client's estimate: the server publishes no metrics.)</source>
        <translation>First limit reached at %1: about %2 requests were in flight, but only about %3 were generating at once on average; the others waited for their first token. (The client's estimate: the server publishes no metrics.)</translation>
    </message>
    <message>
        <source>First limit reached: %1, at %2.</source>
        <translation>First limit reached: %1, at %2.</translation>
    </message>
    <message>
        <source>Highest stable request rate: %1 requests/s.</source>
        <translation>Highest stable request rate: %1 requests/s.</translation>
    </message>
    <message>
        <source>Highest stable concurrency: %1.</source>
        <translation>Highest stable concurrency: %1.</translation>
    </message>
    <message>
        <source>No level was stable.</source>
        <translation>No level was stable.</translation>
    </message>
    <message>
        <source>Every level stayed within the limits; the server may hold more than %1.</source>
        <translation>Every level stayed within the limits; the server may hold more than %1.</translation>
    </message>
    <message>
        <source>You stopped the sweep during %1; the finished levels are kept.</source>
        <translation>You stopped the sweep during %1; the finished levels are kept.</translation>
    </message>
    <message>
        <source>You stopped the sweep; the finished levels are kept.</source>
        <translation>You stopped the sweep; the finished levels are kept.</translation>
    </message>
    <message>
        <source>The sweep stopped at %1 because the run could not go on: %2</source>
        <translation>The sweep stopped at %1 because the run could not go on: %2</translation>
    </message>
    <message>
        <source>The sweep stopped at %1: %2.</source>
        <translation>The sweep stopped at %1: %2.</translation>
    </message>
    <message>
        <source>The first level past a limit was %1: %2.</source>
        <translation>The first level past a limit was %1: %2.</translation>
    </message>
    <message>
        <source>Peak output throughput: %1 tokens/s, at %2.</source>
        <translation>Peak output throughput: %1 tokens/s, at %2.</translation>
    </message>
    <message>
        <source>The knee is at %1: it already reached %2% of the peak throughput. Beyond it, more load mostly adds waiting time.</source>
        <translation>The knee is at %1: it already reached %2% of the peak throughput. Beyond it, more load mostly adds waiting time.</translation>
    </message>
    <message>
        <source>No knee yet: throughput was still rising at the last level.</source>
        <translation>No knee yet: throughput was still rising at the last level.</translation>
    </message>
    <message>
        <source>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</source>
        <translation>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</translation>
    </message>
    <message>
        <source>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</source>
        <translation>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect); beyond it, by %2%.</translation>
    </message>
    <message>
        <source>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>Scaling: up to the knee, each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</translation>
    </message>
    <message>
        <source>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>Concurrency efficiency: up to the knee, each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</translation>
    </message>
    <message>
        <source>Scaling: each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>Scaling: each doubling of the request rate raised output throughput by %1% on average (100% would be perfect).</translation>
    </message>
    <message>
        <source>Concurrency efficiency: each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</source>
        <translation>Concurrency efficiency: each doubling of concurrency raised output throughput by %1% on average (100% would be perfect).</translation>
    </message>
    <message>
        <source>No limit was reached.</source>
        <translation>No limit was reached.</translation>
    </message>
    <message>
        <source>%1 is not a sweep summary.</source>
        <translation>%1 is not a sweep summary.</translation>
    </message>
    <message>
        <source>%1 has a level that cannot be read.</source>
        <translation>%1 has a level that cannot be read.</translation>
    </message>
    <message>
        <source>Could not open %1: %2.</source>
        <translation>Could not open %1: %2.</translation>
    </message>
    <message>
        <source>Every level up to %1 kept to the stop rules, but the server reached a limit on the way (below).</source>
        <translation>Every level up to %1 kept to the stop rules, but the server reached a limit on the way (below).</translation>
    </message>
</context>
<context>
    <name>ts::SweepCharts</name>
    <message>
        <source>Request rate (req/s)</source>
        <translation>Request rate (req/s)</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrency</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>P99</source>
        <translation>P99</translation>
    </message>
    <message>
        <source>Throughput against request rate</source>
        <translation>Throughput against request rate</translation>
    </message>
    <message>
        <source>Throughput against concurrency</source>
        <translation>Throughput against concurrency</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>Output tok/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requests/s</translation>
    </message>
    <message>
        <source>Output tokens/s</source>
        <translation>Output tokens/s</translation>
    </message>
    <message>
        <source>Time to first token against request rate</source>
        <translation>Time to first token against request rate</translation>
    </message>
    <message>
        <source>Time to first token against concurrency</source>
        <translation>Time to first token against concurrency</translation>
    </message>
    <message>
        <source>TTFT (ms)</source>
        <translation>TTFT (ms)</translation>
    </message>
    <message>
        <source>Time per output token against request rate</source>
        <translation>Time per output token against request rate</translation>
    </message>
    <message>
        <source>Time per output token against concurrency</source>
        <translation>Time per output token against concurrency</translation>
    </message>
    <message>
        <source>TPOT (ms)</source>
        <translation>TPOT (ms)</translation>
    </message>
    <message>
        <source>End-to-end latency against request rate</source>
        <translation>End-to-end latency against request rate</translation>
    </message>
    <message>
        <source>End-to-end latency against concurrency</source>
        <translation>End-to-end latency against concurrency</translation>
    </message>
    <message>
        <source>E2EL (ms)</source>
        <translation>E2EL (ms)</translation>
    </message>
    <message>
        <source>p99 limit</source>
        <translation>p99 limit</translation>
    </message>
    <message>
        <source>Latency against throughput</source>
        <translation>Latency against throughput</translation>
    </message>
    <message>
        <source>Median E2EL</source>
        <translation>Median E2EL</translation>
    </message>
    <message>
        <source>P99 E2EL</source>
        <translation>P99 E2EL</translation>
    </message>
    <message>
        <source>Success rate against request rate</source>
        <translation>Success rate against request rate</translation>
    </message>
    <message>
        <source>Success rate against concurrency</source>
        <translation>Success rate against concurrency</translation>
    </message>
    <message>
        <source>Succeeded (%)</source>
        <translation>Succeeded (%)</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>Lowest allowed</source>
        <translation>Lowest allowed</translation>
    </message>
    <message>
        <source>Knee: %1</source>
        <translation>Knee: %1</translation>
    </message>
    <message>
        <source>Knee</source>
        <translation>Knee</translation>
    </message>
    <message>
        <source>Highest stable: %1</source>
        <translation>Highest stable: %1</translation>
    </message>
    <message>
        <source>Highest stable</source>
        <translation>Highest stable</translation>
    </message>
    <message>
        <source>knee (%1)</source>
        <translation>knee (%1)</translation>
    </message>
    <message>
        <source>knee, highest stable (%1)</source>
        <translation>knee, highest stable (%1)</translation>
    </message>
    <message>
        <source>highest stable (%1)</source>
        <translation>highest stable (%1)</translation>
    </message>
    <message>
        <source>Each point is a level, labelled with its %1. Along the curve, throughput first grows at little cost in latency; past the knee, latency climbs while throughput stays put.</source>
        <translation>Each point is a level, labelled with its %1. Along the curve, throughput first grows at little cost in latency; past the knee, latency climbs while throughput stays put.</translation>
    </message>
    <message>
        <source>request rate</source>
        <translation>request rate</translation>
    </message>
    <message>
        <source>concurrency</source>
        <translation>concurrency</translation>
    </message>
</context>
<context>
    <name>ts::SweepConfig</name>
    <message>
        <source>Concurrency levels must be whole numbers of at least 1, not “%1”.</source>
        <translation>Concurrency levels must be whole numbers of at least 1, not “%1”.</translation>
    </message>
    <message>
        <source>Request rates must be positive numbers of requests per second, not “%1”.</source>
        <translation>Request rates must be positive numbers of requests per second, not “%1”.</translation>
    </message>
    <message>
        <source>The sweep needs at least one level.</source>
        <translation>The sweep needs at least one level.</translation>
    </message>
    <message>
        <source>The levels must rise from one to the next (%1 follows %2).</source>
        <translation>The levels must rise from one to the next (%1 follows %2).</translation>
    </message>
    <message>
        <source>Each level needs at least one request.</source>
        <translation>Each level needs at least one request.</translation>
    </message>
    <message>
        <source>The requests-per-level multiplier must be a positive number.</source>
        <translation>The requests-per-level multiplier must be a positive number.</translation>
    </message>
    <message>
        <source>The success-rate limit must lie between 0 and 100 percent.</source>
        <translation>The success-rate limit must lie between 0 and 100 percent.</translation>
    </message>
    <message>
        <source>Latency limits must be positive numbers of milliseconds.</source>
        <translation>Latency limits must be positive numbers of milliseconds.</translation>
    </message>
    <message>
        <source>The throughput-gain limit cannot be negative.</source>
        <translation>The throughput-gain limit cannot be negative.</translation>
    </message>
    <message>
        <source>The metrics address “%1” is not a valid URL.</source>
        <translation>The metrics address “%1” is not a valid URL.</translation>
    </message>
    <message>
        <source>A sweep sends single prompts: multi-turn conversations are not available in a sweep.</source>
        <translation>A sweep sends single prompts: multi-turn conversations are not available in a sweep.</translation>
    </message>
</context>
<context>
    <name>ts::SweepForm</name>
    <message numerus="yes">
        <source>%n level(s), %1 requests at most: %2.</source>
        <translation>
            <numerusform>%n level, %1 requests at most: %2.</numerusform>
            <numerusform>%n levels, %1 requests at most: %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is a file, not a folder.</source>
        <translation>“%1” is a file, not a folder.</translation>
    </message>
    <message>
        <source>Folder for the sweep's result files</source>
        <translation>Folder for the sweep's result files</translation>
    </message>
    <message>
        <source>Sweep: find the server's limit</source>
        <translation>Sweep: find the server's limit</translation>
    </message>
    <message>
        <source>Start runs</source>
        <translation>Start runs</translation>
    </message>
    <message>
        <source>A single run</source>
        <translation>A single run</translation>
    </message>
    <message>
        <source>A concurrency sweep</source>
        <translation>A concurrency sweep</translation>
    </message>
    <message>
        <source>A request-rate sweep</source>
        <translation>A request-rate sweep</translation>
    </message>
    <message>
        <source>What Start runs</source>
        <translation>What Start runs</translation>
    </message>
    <message>
        <source>A single run uses the Load group's numbers. A concurrency sweep is the guide's recommended method 1: it runs the test again and again at rising maximum concurrency (1, 5, 10, 20, 50, …), each level a full run, and stops at the first level where the server degrades. It answers how many users at once the server holds, and where its knee is. A request-rate sweep is method 2: rising request rates under the Load group's concurrency cap, like traffic that grows.</source>
        <translation>A single run uses the Load group's numbers. A concurrency sweep is the guide's recommended method 1: it runs the test again and again at rising maximum concurrency (1, 5, 10, 20, 50, …), each level a full run, and stops at the first level where the server degrades. It answers how many users at once the server holds, and where its knee is. A request-rate sweep is method 2: rising request rates under the Load group's concurrency cap, like traffic that grows.</translation>
    </message>
    <message>
        <source>One run with the numbers of the Load group.</source>
        <translation>One run with the numbers of the Load group.</translation>
    </message>
    <message>
        <source>Each level sets the maximum concurrency and the number of requests, and releases all of them at once (rate inf); the Load group's requests, rate and concurrency are not used. The result appears level by level in the Sweep tab.</source>
        <translation>Each level sets the maximum concurrency and the number of requests, and releases all of them at once (rate inf); the Load group's requests, rate and concurrency are not used. The result appears level by level in the Sweep tab.</translation>
    </message>
    <message>
        <source>Each level sets the request rate and the number of requests; the Load group's maximum concurrency caps every level. The result appears level by level in the Sweep tab.</source>
        <translation>Each level sets the request rate and the number of requests; the Load group's maximum concurrency caps every level. The result appears level by level in the Sweep tab.</translation>
    </message>
    <message>
        <source>Request rates</source>
        <translation>Request rates</translation>
    </message>
    <message>
        <source>Concurrency levels</source>
        <translation>Concurrency levels</translation>
    </message>
    <message>
        <source>e.g. 1, 2, 5, 10, 20</source>
        <translation>e.g. 1, 2, 5, 10, 20</translation>
    </message>
    <message>
        <source>e.g. 1, 5, 10, 20, 50, 100</source>
        <translation>e.g. 1, 5, 10, 20, 50, 100</translation>
    </message>
    <message>
        <source>Request rates (--request-rates)</source>
        <translation>Request rates (--request-rates)</translation>
    </message>
    <message>
        <source>The request rate of each level in requests per second, rising, separated by commas or spaces. Pick rates around the traffic you expect, and a few beyond it.</source>
        <translation>The request rate of each level in requests per second, rising, separated by commas or spaces. Pick rates around the traffic you expect, and a few beyond it.</translation>
    </message>
    <message>
        <source>Concurrency levels (--concurrency-levels)</source>
        <translation>Concurrency levels (--concurrency-levels)</translation>
    </message>
    <message>
        <source>The maximum concurrency of each level, rising, separated by commas or spaces. The guide's loop uses 1 5 10 20 50 100 200 500. Closer steps around the expected limit place the knee more precisely.</source>
        <translation>The maximum concurrency of each level, rising, separated by commas or spaces. The guide's loop uses 1 5 10 20 50 100 200 500. Closer steps around the expected limit place the knee more precisely.</translation>
    </message>
    <message>
        <source>Requests per level</source>
        <translation>Requests per level</translation>
    </message>
    <message>
        <source> × rate</source>
        <translation> × rate</translation>
    </message>
    <message>
        <source> × concurrency</source>
        <translation> × concurrency</translation>
    </message>
    <message>
        <source>Requests per level (--prompts-per-level-multiplier)</source>
        <translation>Requests per level (--prompts-per-level-multiplier)</translation>
    </message>
    <message>
        <source>Each level sends this many times its rate in requests, about this many seconds of arrivals, so that the server reaches a steady state. Default 30.</source>
        <translation>Each level sends this many times its rate in requests, about this many seconds of arrivals, so that the server reaches a steady state. Default 30.</translation>
    </message>
    <message>
        <source>Each level sends this many times its concurrency in requests, so that every slot serves several requests and the numbers settle. The guide suggests 5–10 times the concurrency. Default 5.</source>
        <translation>Each level sends this many times its concurrency in requests, so that every slot serves several requests and the numbers settle. The guide suggests 5–10 times the concurrency. Default 5.</translation>
    </message>
    <message>
        <source>At least</source>
        <translation>At least</translation>
    </message>
    <message>
        <source> requests</source>
        <translation> requests</translation>
    </message>
    <message>
        <source>Fewest requests in a level (--min-prompts-per-level)</source>
        <translation>Fewest requests in a level (--min-prompts-per-level)</translation>
    </message>
    <message>
        <source>Low levels still send this many requests, so that their percentiles rest on a sample worth measuring. Default 50.</source>
        <translation>Low levels still send this many requests, so that their percentiles rest on a sample worth measuring. Default 50.</translation>
    </message>
    <message>
        <source>Stop rules: the sweep ends at the first level that breaks one, and the level before it is the highest stable one.</source>
        <translation>Stop rules: the sweep ends at the first level that breaks one, and the level before it is the highest stable one.</translation>
    </message>
    <message>
        <source>Min. success rate</source>
        <translation>Min. success rate</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Success-rate limit (--min-success-rate)</source>
        <translation>Success-rate limit (--min-success-rate)</translation>
    </message>
    <message>
        <source>The guide's loop stops when fewer than 95% of the requests succeed (190 of 200): the server is past its limit and rejects requests or lets them time out.</source>
        <translation>The guide's loop stops when fewer than 95% of the requests succeed (190 of 200): the server is past its limit and rejects requests or lets them time out.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Max. p99 TTFT</source>
        <translation>Max. p99 TTFT</translation>
    </message>
    <message>
        <source>p99 TTFT limit (--slo-p99 ttft:MS)</source>
        <translation>p99 TTFT limit (--slo-p99 ttft:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time to first token exceeds this: 99 of 100 users must see the answer begin within it. The guide calls under 200 ms good and over 500 ms in need of work. 0 turns the rule off.</source>
        <translation>Stop when the 99th percentile of the time to first token exceeds this: 99 of 100 users must see the answer begin within it. The guide calls under 200 ms good and over 500 ms in need of work. 0 turns the rule off.</translation>
    </message>
    <message>
        <source>Max. p99 TPOT</source>
        <translation>Max. p99 TPOT</translation>
    </message>
    <message>
        <source>p99 TPOT limit (--slo-p99 tpot:MS)</source>
        <translation>p99 TPOT limit (--slo-p99 tpot:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time per output token exceeds this: the answer streams too slowly. The guide calls under 100 ms good and over 200 ms in need of work. 0 turns the rule off.</source>
        <translation>Stop when the 99th percentile of the time per output token exceeds this: the answer streams too slowly. The guide calls under 100 ms good and over 200 ms in need of work. 0 turns the rule off.</translation>
    </message>
    <message>
        <source>Max. p99 E2EL</source>
        <translation>Max. p99 E2EL</translation>
    </message>
    <message>
        <source>p99 end-to-end limit (--slo-p99 e2el:MS)</source>
        <translation>p99 end-to-end limit (--slo-p99 e2el:MS)</translation>
    </message>
    <message>
        <source>Stop when the 99th percentile of the time for the whole answer exceeds this. 0 turns the rule off.</source>
        <translation>Stop when the 99th percentile of the time for the whole answer exceeds this. 0 turns the rule off.</translation>
    </message>
    <message>
        <source>Min. throughput gain</source>
        <translation>Min. throughput gain</translation>
    </message>
    <message>
        <source>Throughput-plateau limit (--min-throughput-gain)</source>
        <translation>Throughput-plateau limit (--min-throughput-gain)</translation>
    </message>
    <message>
        <source>Stop when output tokens/s rose by less than this over the best earlier level: more load no longer buys throughput, only waiting. That is the knee, the guide's “concurrency efficiency” falling to nothing. 0 turns the rule off.</source>
        <translation>Stop when output tokens/s rose by less than this over the best earlier level: more load no longer buys throughput, only waiting. That is the knee, the guide's “concurrency efficiency” falling to nothing. 0 turns the rule off.</translation>
    </message>
    <message>
        <source>Run every level; only mark the limits</source>
        <translation>Run every level; only mark the limits</translation>
    </message>
    <message>
        <source>Run every level (--run-all-levels)</source>
        <translation>Run every level (--run-all-levels)</translation>
    </message>
    <message>
        <source>Go on past a broken rule to see the whole curve; the table and the charts still mark the levels that broke a rule.</source>
        <translation>Go on past a broken rule to see the whole curve; the table and the charts still mark the levels that broke a rule.</translation>
    </message>
    <message>
        <source>Result folder</source>
        <translation>Result folder</translation>
    </message>
    <message>
        <source>optional: no files are written</source>
        <translation>optional: no files are written</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Result folder (--result-dir)</source>
        <translation>Result folder (--result-dir)</translation>
    </message>
    <message>
        <source>Where each level's result JSON and the sweep's summary JSON and CSV are written, named as the command line names them. Empty: nothing is written during the sweep; the summary can still be saved from the Sweep tab.</source>
        <translation>Where each level's result JSON and the sweep's summary JSON and CSV are written, named as the command line names them. Empty: nothing is written during the sweep; the summary can still be saved from the Sweep tab.</translation>
    </message>
</context>
<context>
    <name>ts::SweepLevelModel</name>
    <message>
        <source>failed: %1</source>
        <translation>failed: %1</translation>
    </message>
    <message>
        <source>stopped by you</source>
        <translation>stopped by you</translation>
    </message>
    <message>
        <source>past the limit: %1</source>
        <translation>past the limit: %1</translation>
    </message>
    <message>
        <source>highest stable</source>
        <translation>highest stable</translation>
    </message>
    <message>
        <source>stable</source>
        <translation>stable</translation>
    </message>
    <message>
        <source>knee</source>
        <translation>knee</translation>
    </message>
    <message>
        <source>Rate (req/s)</source>
        <translation>Rate (req/s)</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrency</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Success %</source>
        <translation>Success %</translation>
    </message>
    <message>
        <source>Output tok/s</source>
        <translation>Output tok/s</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>req/s</translation>
    </message>
    <message>
        <source>Gain %</source>
        <translation>Gain %</translation>
    </message>
    <message>
        <source>TTFT median (ms)</source>
        <translation>TTFT median (ms)</translation>
    </message>
    <message>
        <source>TTFT p99 (ms)</source>
        <translation>TTFT p99 (ms)</translation>
    </message>
    <message>
        <source>TPOT median (ms)</source>
        <translation>TPOT median (ms)</translation>
    </message>
    <message>
        <source>TPOT p99 (ms)</source>
        <translation>TPOT p99 (ms)</translation>
    </message>
    <message>
        <source>E2EL median (ms)</source>
        <translation>E2EL median (ms)</translation>
    </message>
    <message>
        <source>E2EL p99 (ms)</source>
        <translation>E2EL p99 (ms)</translation>
    </message>
    <message>
        <source>Server running / waiting</source>
        <translation>Server running / waiting</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>Output tokens/s against the best earlier level. The plateau rule stops the sweep when this falls under its limit.</source>
        <translation>Output tokens/s against the best earlier level. The plateau rule stops the sweep when this falls under its limit.</translation>
    </message>
    <message>
        <source>From the server's own /metrics during the level: the most requests it ran at once, and how many waited in its queue in half the scrapes.</source>
        <translation>From the server's own /metrics during the level: the most requests it ran at once, and how many waited in its queue in half the scrapes.</translation>
    </message>
    <message>
        <source>Share of the level's requests that succeeded.</source>
        <translation>Share of the level's requests that succeeded.</translation>
    </message>
</context>
<context>
    <name>ts::SweepView</name>
    <message>
        <source>There is no finished sweep to save.</source>
        <translation>There is no finished sweep to save.</translation>
    </message>
    <message>
        <source>Save summary (JSON and CSV)…</source>
        <translation>Save summary (JSON and CSV)…</translation>
    </message>
    <message>
        <source>The sweep's summary JSON, with the verdict and one entry per level, and a CSV with one row per level, as the command line writes them.</source>
        <translation>The sweep's summary JSON, with the verdict and one entry per level, and a CSV with one row per level, as the command line writes them.</translation>
    </message>
    <message>
        <source>One row per level. The highest stable level is shaded; the verdict column names the rule a level broke.</source>
        <translation>One row per level. The highest stable level is shaded; the verdict column names the rule a level broke.</translation>
    </message>
    <message>
        <source>Request-rate sweep</source>
        <translation>Request-rate sweep</translation>
    </message>
    <message>
        <source>Concurrency sweep</source>
        <translation>Concurrency sweep</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>unknown model</translation>
    </message>
    <message>
        <source>No sweep yet. Under “Sweep” in the form, choose a concurrency or request-rate sweep and press Start, or open a sweep summary (File ▸ Open result).</source>
        <translation>No sweep yet. Under “Sweep” in the form, choose a concurrency or request-rate sweep and press Start, or open a sweep summary (File ▸ Open result).</translation>
    </message>
    <message>
        <source>A sweep runs the test at rising concurrency, level by level, until the server stops keeping up. It then says how many requests at once the server holds, where its throughput peaks and where the knee is: the level beyond which more load adds waiting rather than throughput.</source>
        <translation>A sweep runs the test at rising concurrency, level by level, until the server stops keeping up. It then says how many requests at once the server holds, where its throughput peaks and where the knee is: the level beyond which more load adds waiting rather than throughput.</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>model %1</translation>
    </message>
    <message numerus="yes">
        <source>Level %1 of %2 is running: %3, %n request(s).</source>
        <translation>
            <numerusform>Level %1 of %2 is running: %3, %n request.</numerusform>
            <numerusform>Level %1 of %2 is running: %3, %n requests.</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Preparing…</translation>
    </message>
    <message>
        <source>The verdict follows when the sweep ends. The charts and the table fill in as each level finishes; the Live tab shows the running level.</source>
        <translation>The verdict follows when the sweep ends. The charts and the table fill in as each level finishes; the Live tab shows the running level.</translation>
    </message>
    <message>
        <source>unknown date</source>
        <translation>unknown date</translation>
    </message>
    <message>
        <source>%1 – model %2, %3. Summary: %4</source>
        <translation>%1 – model %2, %3. Summary: %4</translation>
    </message>
    <message>
        <source>%1 – model %2, %3.</source>
        <translation>%1 – model %2, %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n level(s) measured.</source>
        <translation>
            <numerusform>%n level measured.</numerusform>
            <numerusform>%n levels measured.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Sweep</translation>
    </message>
</context>
<context>
    <name>ts::TargetForm</name>
    <message>
        <source>Enter the server address, e.g. http://127.0.0.1:8000.</source>
        <translation>Enter the server address, e.g. http://127.0.0.1:8000.</translation>
    </message>
    <message>
        <source>Write the address with http:// or https://, e.g. http://127.0.0.1:8000.</source>
        <translation>Write the address with http:// or https://, e.g. http://127.0.0.1:8000.</translation>
    </message>
    <message>
        <source>The endpoint is a path that starts with “/”, e.g. %1.</source>
        <translation>The endpoint is a path that starts with “/”, e.g. %1.</translation>
    </message>
    <message>
        <source>Server to test</source>
        <translation>Server to test</translation>
    </message>
    <message>
        <source>API type</source>
        <translation>API type</translation>
    </message>
    <message>
        <source>API type (--backend)</source>
        <translation>API type (--backend)</translation>
    </message>
    <message>
        <source>Which API the server speaks. vLLM, SGLang, llama.cpp and most other servers offer the OpenAI-compatible one; choose chat when the model needs its chat template. TGI is Hugging Face's Text Generation Inference.</source>
        <translation>Which API the server speaks. vLLM, SGLang, llama.cpp and most other servers offer the OpenAI-compatible one; choose chat when the model needs its chat template. TGI is Hugging Face's Text Generation Inference.</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>the built-in demo server</source>
        <translation>the built-in demo server</translation>
    </message>
    <message>
        <source>Server address (--base-url)</source>
        <translation>Server address (--base-url)</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpoint</translation>
    </message>
    <message>
        <source>Endpoint (--endpoint)</source>
        <translation>Endpoint (--endpoint)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>the first model the server lists</source>
        <translation>the first model the server lists</translation>
    </message>
    <message>
        <source>Model (--model)</source>
        <translation>Model (--model)</translation>
    </message>
    <message>
        <source>The model name the server expects. Leave it empty to use the first model the server lists, or press “Fetch” to choose from its list.</source>
        <translation>The model name the server expects. Leave it empty to use the first model the server lists, or press “Fetch” to choose from its list.</translation>
    </message>
    <message>
        <source>Fetching…</source>
        <translation>Fetching…</translation>
    </message>
    <message>
        <source>Fetch</source>
        <translation>Fetch</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>Extra headers</translation>
    </message>
    <message>
        <source>Extra headers (--header)</source>
        <translation>Extra headers (--header)</translation>
    </message>
    <message>
        <source>Accept any TLS certificate</source>
        <translation>Accept any TLS certificate</translation>
    </message>
    <message>
        <source>Accept any TLS certificate (--insecure)</source>
        <translation>Accept any TLS certificate (--insecure)</translation>
    </message>
    <message>
        <source>For https servers with a self-signed certificate. Leave it off for servers on the internet.</source>
        <translation>For https servers with a self-signed certificate. Leave it off for servers on the internet.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Send one short request and show how long the first token and the whole answer took.</source>
        <translation>Send one short request and show how long the first token and the whole answer took.</translation>
    </message>
    <message>
        <source>The server lists %1 model(s).</source>
        <translation>The server lists %1 model(s).</translation>
    </message>
    <message>
        <source>%1 answers with model “%2”: first token after %3 ms, the whole answer (%4 tokens) after %5 ms.</source>
        <translation>%1 answers with model “%2”: first token after %3 ms, the whole answer (%4 tokens) after %5 ms.</translation>
    </message>
    <message>
        <source>Sent as “Authorization: Bearer …”. It is never written to result files or settings; only if you tick “Remember” is it kept, in the system keychain.</source>
        <translation>Sent as “Authorization: Bearer …”. It is never written to result files or settings; only if you tick “Remember” is it kept, in the system keychain.</translation>
    </message>
    <message>
        <source>Watch the server's /metrics</source>
        <translation>Watch the server's /metrics</translation>
    </message>
    <message>
        <source>During a run, read the server's own Prometheus metrics once a second and chart them in the Server tab: requests running and waiting, KV-cache use, prompt and generation tokens/s. vLLM, SGLang, TGI, llama.cpp (started with --metrics) and the built-in server publish them; a server without them is simply not charted.</source>
        <translation>During a run, read the server's own Prometheus metrics once a second and chart them in the Server tab: requests running and waiting, KV-cache use, prompt and generation tokens/s. vLLM, SGLang, TGI, llama.cpp (started with --metrics) and the built-in server publish them; a server without them is simply not charted.</translation>
    </message>
    <message>
        <source>Scheme, host and port of the inference server, without the path. Switch off the built-in demo server to enter your own. A user name and password in it (http://user:password@host) are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</source>
        <translation>Scheme, host and port of the inference server, without the path. Switch off the built-in demo server to enter your own. A user name and password in it (http://user:password@host) are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</translation>
    </message>
    <message>
        <source>Remember secrets in the system keychain</source>
        <translation>Remember secrets in the system keychain</translation>
    </message>
    <message>
        <source>Remember secrets</source>
        <translation>Remember secrets</translation>
    </message>
    <message>
        <source>The API key, the extra headers and a user name and password in the server address are never written to the settings file. Tick this to keep them in the system's keychain (GNOME Keyring, KWallet, ...) so they are filled in next time; untick to remove them from there.</source>
        <translation>The API key, the extra headers and a user name and password in the server address are never written to the settings file. Tick this to keep them in the system's keychain (GNOME Keyring, KWallet, ...) so they are filled in next time; untick to remove them from there.</translation>
    </message>
    <message>
        <source>Name: value, one per line. Kept only in the system keychain, when “Remember secrets” is ticked.</source>
        <translation>Name: value, one per line. Kept only in the system keychain, when “Remember secrets” is ticked.</translation>
    </message>
    <message>
        <source>HTTP headers added to every request, for example a routing or tenant header of a gateway. Since any of them may carry a token, they are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</source>
        <translation>HTTP headers added to every request, for example a routing or tenant header of a gateway. Since any of them may carry a token, they are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.</translation>
    </message>
    <message>
        <source>The path requests are sent to. It follows the API type: %1.</source>
        <translation>The path requests are sent to. It follows the API type: %1.</translation>
    </message>
    <message>
        <source>Ask the server which models it serves (%1).</source>
        <translation>Ask the server which models it serves (%1).</translation>
    </message>
    <message>
        <source>Count &lt;think&gt;…&lt;/think&gt; as reasoning</source>
        <translation>Count &lt;think&gt;…&lt;/think&gt; as reasoning</translation>
    </message>
    <message>
        <source>Count &lt;think&gt;…&lt;/think&gt; as reasoning (--reasoning-tags)</source>
        <translation>Count &lt;think&gt;…&lt;/think&gt; as reasoning (--reasoning-tags)</translation>
    </message>
    <message>
        <source>For servers that send a reasoning model's thinking inside the answer text, between &lt;think&gt; and &lt;/think&gt;. That text is then measured as reasoning (TTFRT, reasoning tokens) and the answer starts after &lt;/think&gt; (TTFAT).</source>
        <translation>For servers that send a reasoning model's thinking inside the answer text, between &lt;think&gt; and &lt;/think&gt;. That text is then measured as reasoning (TTFRT, reasoning tokens) and the answer starts after &lt;/think&gt; (TTFAT).</translation>
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
            <numerusform>ITL: %n gap</numerusform>
            <numerusform>ITL: %n gaps</numerusform>
        </translation>
    </message>
    <message>
        <source>failed after %1 ms</source>
        <translation>failed after %1 ms</translation>
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
        <translation>no answer after the reasoning</translation>
    </message>
</context>
<context>
    <name>ts::TimelineCanvas</name>
    <message>
        <source>Request %1</source>
        <translation>Request %1</translation>
    </message>
    <message>
        <source>Sent at %1 s</source>
        <translation>Sent at %1 s</translation>
    </message>
    <message>
        <source>Queue wait: %1 ms</source>
        <translation>Queue wait: %1 ms</translation>
    </message>
    <message>
        <source>TTFT: %1 ms</source>
        <translation>TTFT: %1 ms</translation>
    </message>
    <message>
        <source>E2EL: %1 ms</source>
        <translation>E2EL: %1 ms</translation>
    </message>
    <message>
        <source>Output tokens: %1</source>
        <translation>Output tokens: %1</translation>
    </message>
    <message>
        <source>Chunks: %1</source>
        <translation>Chunks: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>Request %1 (streaming)</source>
        <translation>Request %1 (streaming)</translation>
    </message>
    <message>
        <source>Waiting for the first token</source>
        <translation>Waiting for the first token</translation>
    </message>
    <message>
        <source>Chunks so far: %1</source>
        <translation>Chunks so far: %1</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>Save as PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>Save as SVG…</translation>
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
        <translation>In flight: not known without send times</translation>
    </message>
    <message>
        <source>In flight (at most %1)</source>
        <translation>In flight (at most %1)</translation>
    </message>
    <message>
        <source>Waiting for a slot</source>
        <translation>Waiting for a slot</translation>
    </message>
    <message>
        <source>Waiting for the first token</source>
        <translation>Waiting for the first token</translation>
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
        <translation>Failed</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>Streaming</translation>
    </message>
    <message>
        <source>Highlighted</source>
        <translation>Highlighted</translation>
    </message>
    <message>
        <source>No send times in this file: every request starts at zero</source>
        <translation>No send times in this file: every request starts at zero</translation>
    </message>
</context>
<context>
    <name>ts::TimelineTab</name>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
</context>
<context>
    <name>ts::TimelineView</name>
    <message>
        <source>Request timeline</source>
        <translation>Request timeline</translation>
    </message>
    <message>
        <source>the image could not be drawn</source>
        <translation>the image could not be drawn</translation>
    </message>
    <message>
        <source>the image could not be encoded</source>
        <translation>the image could not be encoded</translation>
    </message>
    <message>
        <source>&amp;Sort by:</source>
        <translation>&amp;Sort by:</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
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
        <translation>ITL &amp;medium from:</translation>
    </message>
    <message>
        <source>s&amp;low from:</source>
        <translation>s&amp;low from:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Gaps between chunks from this length on are drawn yellow</source>
        <translation>Gaps between chunks from this length on are drawn yellow</translation>
    </message>
    <message>
        <source>Gaps between chunks from this length on are drawn red</source>
        <translation>Gaps between chunks from this length on are drawn red</translation>
    </message>
    <message>
        <source>This file records no send times, so every request is drawn from zero: the rows compare waits and gaps, not when requests ran.</source>
        <translation>This file records no send times, so every request is drawn from zero: the rows compare waits and gaps, not when requests ran.</translation>
    </message>
    <message>
        <source>Wheel: zoom · Drag: pan · 0: whole run</source>
        <translation>Wheel: zoom · Drag: pan · 0: whole run</translation>
    </message>
</context>
<context>
    <name>ts::Tokenizer</name>
    <message>
        <source>The %1 type “%2” is not supported.</source>
        <translation>The %1 type “%2” is not supported.</translation>
    </message>
    <message>
        <source>model</source>
        <translation>model</translation>
    </message>
    <message>
        <source>normalizer</source>
        <translation>normalizer</translation>
    </message>
    <message>
        <source>pre-tokenizer</source>
        <translation>pre-tokenizer</translation>
    </message>
    <message>
        <source>No tokenizer.json in the folder %1.</source>
        <translation>No tokenizer.json in the folder %1.</translation>
    </message>
    <message>
        <source>Cannot read the tokenizer file %1: %2.</source>
        <translation>Cannot read the tokenizer file %1: %2.</translation>
    </message>
    <message>
        <source>Cannot load the tokenizer %1: %2</source>
        <translation>Cannot load the tokenizer %1: %2</translation>
    </message>
    <message>
        <source>Not a tokenizer.json file: it has no “model”.</source>
        <translation>Not a tokenizer.json file: it has no “model”.</translation>
    </message>
    <message>
        <source>Unexpected content (%1).</source>
        <translation>Unexpected content (%1).</translation>
    </message>
    <message>
        <source>Not valid JSON at byte %1 (%2).</source>
        <translation>Not valid JSON at byte %1 (%2).</translation>
    </message>
    <message>
        <source>Not valid JSON (%1).</source>
        <translation>Not valid JSON (%1).</translation>
    </message>
    <message>
        <source>Not valid JSON.</source>
        <translation>Not valid JSON.</translation>
    </message>
    <message>
        <source>Invalid regular expression “%1”: %2.</source>
        <translation>Invalid regular expression “%1”: %2.</translation>
    </message>
    <message>
        <source>The JSON nests deeper than %1 levels; a tokenizer.json nests fewer than 10.</source>
        <translation>The JSON nests deeper than %1 levels; a tokenizer.json nests fewer than 10.</translation>
    </message>
    <message>
        <source>The token “%1” has the id %2; ids are numbers from 0 up.</source>
        <translation>The token “%1” has the id %2; ids are numbers from 0 up.</translation>
    </message>
    <message>
        <source>The post-processor names a special token “%1” it does not define.</source>
        <translation>The post-processor names a special token “%1” it does not define.</translation>
    </message>
    <message>
        <source>post-processor</source>
        <translation>post-processor</translation>
    </message>
    <message>
        <source>The post-processor adds the id %1, which no token has.</source>
        <translation>The post-processor adds the id %1, which no token has.</translation>
    </message>
    <message>
        <source>The tokenizer file %1 is %2 MB, more than the %3 MB a tokenizer can take; give the model's tokenizer.json.</source>
        <translation>The tokenizer file %1 is %2 MB, more than the %3 MB a tokenizer can take; give the model's tokenizer.json.</translation>
    </message>
    <message>
        <source>The token “%1” has the id %2, far beyond the %3 tokens in the file; ids count up from 0 with few gaps.</source>
        <translation>The token “%1” has the id %2, far beyond the %3 tokens in the file; ids count up from 0 with few gaps.</translation>
    </message>
</context>
<context>
    <name>ts::Transport</name>
    <message>
        <source>No complete reply within %1 s (request timeout).</source>
        <translation>No complete reply within %1 s (request timeout).</translation>
    </message>
    <message>
        <source>Stopped before the reply was complete.</source>
        <translation>Stopped before the reply was complete.</translation>
    </message>
    <message>
        <source>Connection refused by %1: is the server running?</source>
        <translation>Connection refused by %1: is the server running?</translation>
    </message>
    <message>
        <source>Host not found: %1.</source>
        <translation>Host not found: %1.</translation>
    </message>
    <message>
        <source>The server closed the connection before the reply was complete.</source>
        <translation>The server closed the connection before the reply was complete.</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>The connection to %1 timed out.</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>TLS handshake with %1 failed: %2</translation>
    </message>
    <message>
        <source>Qt %1 did not set the request up as expected; it was not sent.</source>
        <translation>Qt %1 did not set the request up as expected; it was not sent.</translation>
    </message>
    <message>
        <source>Cannot read the CA certificate file “%1”: %2.</source>
        <translation>Cannot read the CA certificate file “%1”: %2.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” holds no PEM certificate; give a file of “-----BEGIN CERTIFICATE-----” blocks.</source>
        <translation>The CA certificate file “%1” holds no PEM certificate; give a file of “-----BEGIN CERTIFICATE-----” blocks.</translation>
    </message>
    <message>
        <source>TLS handshake failed: the server at %1 did not answer it within %2 s (is it http://?).</source>
        <translation>TLS handshake failed: the server at %1 did not answer it within %2 s (is it http://?).</translation>
    </message>
    <message>
        <source>TLS handshake failed: the server at %1 does not speak TLS (is it http://?).</source>
        <translation>TLS handshake failed: the server at %1 does not speak TLS (is it http://?).</translation>
    </message>
</context>
<context>
    <name>ts::WorkloadForm</name>
    <message>
        <source>Prompt and answer can reach %1 tokens, more than the %2 the demo server accepts. Make them shorter or choose another preset.</source>
        <translation>Prompt and answer can reach %1 tokens, more than the %2 the demo server accepts. Make them shorter or choose another preset.</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Input length</source>
        <translation>Input length</translation>
    </message>
    <message>
        <source>Input length (--random-input-len)</source>
        <translation>Input length (--random-input-len)</translation>
    </message>
    <message>
        <source>Tokens in each prompt. Long prompts test the prefill stage and the time to first token; the guide uses 100 for a quick check and 512 for benchmarks.</source>
        <translation>Tokens in each prompt. Long prompts test the prefill stage and the time to first token; the guide uses 100 for a quick check and 512 for benchmarks.</translation>
    </message>
    <message>
        <source>Output length</source>
        <translation>Output length</translation>
    </message>
    <message>
        <source>Output length (--random-output-len)</source>
        <translation>Output length (--random-output-len)</translation>
    </message>
    <message>
        <source>Tokens the server is asked to generate for each prompt; it is told to ignore end-of-sequence so that every answer has this length. Long answers test the generation speed (TPOT).</source>
        <translation>Tokens the server is asked to generate for each prompt; it is told to ignore end-of-sequence so that every answer has this length. Long answers test the generation speed (TPOT).</translation>
    </message>
    <message>
        <source>Length variation</source>
        <translation>Length variation</translation>
    </message>
    <message>
        <source>Length variation (--random-range-ratio)</source>
        <translation>Length variation (--random-range-ratio)</translation>
    </message>
    <message>
        <source>0 gives every request exactly the lengths above. A value r draws each length evenly between L×(1−r) and L×(1+r), which looks more like real traffic.</source>
        <translation>0 gives every request exactly the lengths above. A value r draws each length evenly between L×(1−r) and L×(1+r), which looks more like real traffic.</translation>
    </message>
    <message>
        <source>Shared prefix</source>
        <translation>Shared prefix</translation>
    </message>
    <message>
        <source>Shared prefix (--random-prefix-len)</source>
        <translation>Shared prefix (--random-prefix-len)</translation>
    </message>
    <message>
        <source>Tokens at the start of every prompt that are the same for all requests, like a system prompt. Servers with prefix caching answer such prompts faster.</source>
        <translation>Tokens at the start of every prompt that are the same for all requests, like a system prompt. Servers with prefix caching answer such prompts faster.</translation>
    </message>
    <message>
        <source>Choose the dataset file</source>
        <translation>Choose the dataset file</translation>
    </message>
    <message>
        <source>Datasets (*.json *.jsonl *.csv *.txt);;All files (*)</source>
        <translation>Datasets (*.json *.jsonl *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>Random prompts (built in)</source>
        <translation>Random prompts (built in)</translation>
    </message>
    <message>
        <source>ShareGPT conversations (JSON file)</source>
        <translation>ShareGPT conversations (JSON file)</translation>
    </message>
    <message>
        <source>Sonnet lines (text file)</source>
        <translation>Sonnet lines (text file)</translation>
    </message>
    <message>
        <source>Your own prompts (JSONL or CSV file)</source>
        <translation>Your own prompts (JSONL or CSV file)</translation>
    </message>
    <message>
        <source>Repeated prefixes (built in)</source>
        <translation>Repeated prefixes (built in)</translation>
    </message>
    <message>
        <source>Choose the file of the %1 dataset.</source>
        <translation>Choose the file of the %1 dataset.</translation>
    </message>
    <message>
        <source>There is no file “%1”.</source>
        <translation>There is no file “%1”.</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>Workload</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Dataset</translation>
    </message>
    <message>
        <source>Dataset (--dataset-name)</source>
        <translation>Dataset (--dataset-name)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>path of the dataset file</source>
        <translation>path of the dataset file</translation>
    </message>
    <message>
        <source>Dataset file (--dataset-path)</source>
        <translation>Dataset file (--dataset-path)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Choose the tokenizer</source>
        <translation>Choose the tokenizer</translation>
    </message>
    <message>
        <source>Tokenizer (tokenizer.json);;JSON files (*.json);;All files (*)</source>
        <translation>Tokenizer (tokenizer.json);;JSON files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>There is no file or folder “%1”.</source>
        <translation>There is no file or folder “%1”.</translation>
    </message>
    <message>
        <source>The folder “%1” holds no tokenizer.json.</source>
        <translation>The folder “%1” holds no tokenizer.json.</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>optional: tokenizer.json or model folder</source>
        <translation>optional: tokenizer.json or model folder</translation>
    </message>
    <message>
        <source>Tokenizer (--tokenizer)</source>
        <translation>Tokenizer (--tokenizer)</translation>
    </message>
    <message>
        <source>The model's tokenizer.json, or the model folder that holds it. With it, random prompts have exactly the lengths asked for, and output tokens are counted when the server sends no usage. Optional: left empty, lengths are estimated.</source>
        <translation>The model's tokenizer.json, or the model folder that holds it. With it, random prompts have exactly the lengths asked for, and output tokens are counted when the server sends no usage. Optional: left empty, lengths are estimated.</translation>
    </message>
    <message>
        <source>Multi-turn conversations are sent as chat messages: choose the OpenAI-compatible chat API.</source>
        <translation>Multi-turn conversations are sent as chat messages: choose the OpenAI-compatible chat API.</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Send each conversation turn by turn (multi-turn)</source>
        <translation>Send each conversation turn by turn (multi-turn)</translation>
    </message>
    <message>
        <source>Multi-turn (--multi-turn)</source>
        <translation>Multi-turn (--multi-turn)</translation>
    </message>
    <message>
        <source>Each conversation of the file becomes a chat user: its turns are sent one after another, each with the conversation so far, the next only when the previous answer has finished. The number of requests counts conversations, and the maximum concurrency is the number of users chatting at once.</source>
        <translation>Each conversation of the file becomes a chat user: its turns are sent one after another, each with the conversation so far, the next only when the previous answer has finished. The number of requests counts conversations, and the maximum concurrency is the number of users chatting at once.</translation>
    </message>
    <message>
        <source>Trace replay (Mooncake JSONL)</source>
        <translation>Trace replay (Mooncake JSONL)</translation>
    </message>
    <message>
        <source>Where the prompts come from. Random prompts suit stress tests; ShareGPT conversations (the guide's realistic scenario) and your own prompts give real length distributions; a trace replays recorded traffic with its timing. Files are read as vLLM's benchmark reads them.</source>
        <translation>Where the prompts come from. Random prompts suit stress tests; ShareGPT conversations (the guide's realistic scenario) and your own prompts give real length distributions; a trace replays recorded traffic with its timing. Files are read as vLLM's benchmark reads them.</translation>
    </message>
    <message>
        <source>ShareGPT: the JSON file of conversations, e.g. ShareGPT_V3_unfiltered_cleaned_split.json. Sonnet: a text file of lines. Your own prompts: JSONL with a "prompt" field per line, or CSV. Trace replay: a Mooncake trace, JSONL with timestamp, input_length, output_length and hash_ids per line.</source>
        <translation>ShareGPT: the JSON file of conversations, e.g. ShareGPT_V3_unfiltered_cleaned_split.json. Sonnet: a text file of lines. Your own prompts: JSONL with a "prompt" field per line, or CSV. Trace replay: a Mooncake trace, JSONL with timestamp, input_length, output_length and hash_ids per line.</translation>
    </message>
</context>
<context>
    <name>ts::WorkloadLimits</name>
    <message>
        <source>A prompt of up to %1 tokens is more than any model takes (at most %2 tokens). Ask for shorter prompts.</source>
        <translation>A prompt of up to %1 tokens is more than any model takes (at most %2 tokens). Ask for shorter prompts.</translation>
    </message>
    <message>
        <source>A reply of up to %1 tokens is more than any model gives (at most %2 tokens). Ask for shorter replies.</source>
        <translation>A reply of up to %1 tokens is more than any model gives (at most %2 tokens). Ask for shorter replies.</translation>
    </message>
    <message>
        <source>%1 requests of this size need about %2 GB of memory, more than the %3 GB (a quarter of this computer's memory) a run may take. Send fewer or shorter requests.</source>
        <translation>%1 requests of this size need about %2 GB of memory, more than the %3 GB (a quarter of this computer's memory) a run may take. Send fewer or shorter requests.</translation>
    </message>
    <message>
        <source>A request rate of %1 per second sends one request every %2 hours on average; give at least %3 requests per second.</source>
        <translation>A request rate of %1 per second sends one request every %2 hours on average; give at least %3 requests per second.</translation>
    </message>
    <message>
        <source>At %1 requests per second, %2 requests take about %3 days to send, more than the %4 days a run may last. Raise the rate or send fewer requests.</source>
        <translation>At %1 requests per second, %2 requests take about %3 days to send, more than the %4 days a run may last. Raise the rate or send fewer requests.</translation>
    </message>
</context>
<context>
    <name>ts::cli::Compare</name>
    <message>
        <source>Show two or more result files (Tokenstorm's or vLLM's) side by side, each against the first.</source>
        <translation>Show two or more result files (Tokenstorm's or vLLM's) side by side, each against the first.</translation>
    </message>
    <message>
        <source>Result JSON files; the first is the baseline.</source>
        <translation>Result JSON files; the first is the baseline.</translation>
    </message>
    <message>
        <source>Also write the comparison as CSV to FILE.</source>
        <translation>Also write the comparison as CSV to FILE.</translation>
    </message>
    <message>
        <source>Give at least two result files to compare.</source>
        <translation>Give at least two result files to compare.</translation>
    </message>
</context>
<context>
    <name>ts::cli::Main</name>
    <message>
        <source>Unknown command “%1”. Commands: run (the default), serve, sweep, compare, report, tokenize, recover.</source>
        <translation>Unknown command “%1”. Commands: run (the default), serve, sweep, compare, report, tokenize, recover.</translation>
    </message>
</context>
<context>
    <name>ts::cli::Preparation</name>
    <message>
        <source>Unknown preset “%1”. Choose one of: %2.</source>
        <translation>Unknown preset “%1”. Choose one of: %2.</translation>
    </message>
    <message>
        <source>Built-in server (%1) at %2
</source>
        <translation>Built-in server (%1) at %2
</translation>
    </message>
</context>
<context>
    <name>ts::cli::ProgressLine</name>
    <message>
        <source>Warming up…</source>
        <translation>Warming up…</translation>
    </message>
    <message>
        <source> %1/%2  in flight %3  waiting %4  failed %5  %6 s</source>
        <translation> %1/%2  in flight %3  waiting %4  failed %5  %6 s</translation>
    </message>
    <message>
        <source>Reading the dataset… %1 %</source>
        <translation>Reading the dataset… %1 %</translation>
    </message>
</context>
<context>
    <name>ts::cli::Recover</name>
    <message>
        <source>Recover runs that did not end (killed, crashed). Without an argument, lists their journals, one a line; with one, writes its result file and removes the journal.</source>
        <translation>Recover runs that did not end (killed, crashed). Without an argument, lists their journals, one a line; with one, writes its result file and removes the journal.</translation>
    </message>
    <message>
        <source>A journal file, as listed.</source>
        <translation>A journal file, as listed.</translation>
    </message>
    <message>
        <source>Folder for the result file (default: the current one).</source>
        <translation>Folder for the result file (default: the current one).</translation>
    </message>
    <message>
        <source>Result file name (default: vLLM's pattern).</source>
        <translation>Result file name (default: vLLM's pattern).</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>Unexpected argument “%1”.</translation>
    </message>
    <message>
        <source>The run of %1 is still going on (process %2); recover it after it ends.</source>
        <translation>The run of %1 is still going on (process %2); recover it after it ends.</translation>
    </message>
    <message>
        <source>The journal's last line was cut off when the run was killed; that request is left out.</source>
        <translation>The journal's last line was cut off when the run was killed; that request is left out.</translation>
    </message>
    <message>
        <source>The result is saved, but the journal %1 could not be removed; delete it by hand.</source>
        <translation>The result is saved, but the journal %1 could not be removed; delete it by hand.</translation>
    </message>
    <message numerus="yes">
        <source>Recovered %n request(s) into %1
</source>
        <translation>
            <numerusform>Recovered %n request into %1
</numerusform>
            <numerusform>Recovered %n requests into %1
</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ts::cli::Report</name>
    <message>
        <source>Write a report of a run, a sweep or a comparison as one HTML file (charts inline, nothing fetched) or an A4 PDF.</source>
        <translation>Write a report of a run, a sweep or a comparison as one HTML file (charts inline, nothing fetched) or an A4 PDF.</translation>
    </message>
    <message>
        <source>A result JSON (Tokenstorm's or vLLM's), a sweep summary, or several result files to compare (the first is the baseline).</source>
        <translation>A result JSON (Tokenstorm's or vLLM's), a sweep summary, or several result files to compare (the first is the baseline).</translation>
    </message>
    <message>
        <source>The report to write: a name ending in .html or .pdf.</source>
        <translation>The report to write: a name ending in .html or .pdf.</translation>
    </message>
    <message>
        <source>The report's language: %1 (default: the system's).</source>
        <translation>The report's language: %1 (default: the system's).</translation>
    </message>
    <message>
        <source>Unknown language “%1”. Languages: %2.</source>
        <translation>Unknown language “%1”. Languages: %2.</translation>
    </message>
    <message>
        <source>Give a result file, a sweep summary or several result files.</source>
        <translation>Give a result file, a sweep summary or several result files.</translation>
    </message>
    <message>
        <source>Give the report's file name with --output OUT.html or --output OUT.pdf.</source>
        <translation>Give the report's file name with --output OUT.html or --output OUT.pdf.</translation>
    </message>
    <message>
        <source>Cannot write a report to %1: the name must end in .html or .pdf.</source>
        <translation>Cannot write a report to %1: the name must end in .html or .pdf.</translation>
    </message>
    <message>
        <source>Report written to %1
</source>
        <translation>Report written to %1
</translation>
    </message>
</context>
<context>
    <name>ts::cli::Run</name>
    <message>
        <source>Benchmark an LLM inference server, with the flags and results of vLLM's serving benchmark.</source>
        <translation>Benchmark an LLM inference server, with the flags and results of vLLM's serving benchmark.</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>Unexpected argument “%1”.</translation>
    </message>
    <message>
        <source>Traffic request rate: %1
</source>
        <translation>Traffic request rate: %1
</translation>
    </message>
    <message>
        <source>Burstiness factor: %1%2
</source>
        <translation>Burstiness factor: %1%2
</translation>
    </message>
    <message>
        <source>Maximum request concurrency: %1
</source>
        <translation>Maximum request concurrency: %1
</translation>
    </message>
    <message>
        <source>Client CPU: %1 s in the measured part, %2 µs per output token%3.
</source>
        <translation>Client CPU: %1 s in the measured part, %2 µs per output token%3.
</translation>
    </message>
    <message>
        <source> (the built-in server's share included)</source>
        <translation> (the built-in server's share included)</translation>
    </message>
    <message>
        <source>Warning: the client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more --client-threads on a machine with cores to spare, keep it out of that.</source>
        <translation>Warning: the client kept its transport threads (%1) busy %2 % of the measured part: its own delays are then in the TTFT and ITL tails. Fewer streams, or more --client-threads on a machine with cores to spare, keep it out of that.</translation>
    </message>
    <message>
        <source>local tokenizer (%1)</source>
        <translation>local tokenizer (%1)</translation>
    </message>
    <message>
        <source>the server's %1</source>
        <translation>the server's %1</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>estimated</translation>
    </message>
    <message>
        <source>Prompt tokens counted by: %1
</source>
        <translation>Prompt tokens counted by: %1
</translation>
    </message>
</context>
<context>
    <name>ts::cli::RunOptions</name>
    <message>
        <source>Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port).</source>
        <translation>Server base URL, e.g. http://127.0.0.1:8000 (overrides --host/--port).</translation>
    </message>
    <message>
        <source>Server host.</source>
        <translation>Server host.</translation>
    </message>
    <message>
        <source>Server port.</source>
        <translation>Server port.</translation>
    </message>
    <message>
        <source>API path (default: the backend's, /v1/completions for openai).</source>
        <translation>API path (default: the backend's, /v1/completions for openai).</translation>
    </message>
    <message>
        <source>Model name (default: the first model the server lists).</source>
        <translation>Model name (default: the first model the server lists).</translation>
    </message>
    <message>
        <source>Extra HTTP header; repeat for more.</source>
        <translation>Extra HTTP header; repeat for more.</translation>
    </message>
    <message>
        <source>Do not verify TLS certificates.</source>
        <translation>Do not verify TLS certificates.</translation>
    </message>
    <message>
        <source>Give up on a request after this many seconds (0 = never).</source>
        <translation>Give up on a request after this many seconds (0 = never).</translation>
    </message>
    <message>
        <source>Requests per second, or inf to release all at once.</source>
        <translation>Requests per second, or inf to release all at once.</translation>
    </message>
    <message>
        <source>Gamma shape of the arrival gaps: 1 = Poisson, &lt;1 burstier, &gt;1 more regular.</source>
        <translation>Gamma shape of the arrival gaps: 1 = Poisson, &lt;1 burstier, &gt;1 more regular.</translation>
    </message>
    <message>
        <source>At most N requests in flight at the server (default: no limit).</source>
        <translation>At most N requests in flight at the server (default: no limit).</translation>
    </message>
    <message>
        <source>Warm-up requests sent before measuring.</source>
        <translation>Warm-up requests sent before measuring.</translation>
    </message>
    <message>
        <source>Seed of the dataset and the arrival process.</source>
        <translation>Seed of the dataset and the arrival process.</translation>
    </message>
    <message>
        <source>Random dataset: input tokens per request.</source>
        <translation>Random dataset: input tokens per request.</translation>
    </message>
    <message>
        <source>Random dataset: output tokens per request.</source>
        <translation>Random dataset: output tokens per request.</translation>
    </message>
    <message>
        <source>Random dataset: lengths drawn from [L*(1-R), L*(1+R)].</source>
        <translation>Random dataset: lengths drawn from [L*(1-R), L*(1+R)].</translation>
    </message>
    <message>
        <source>Random dataset: tokens of a prefix shared by all prompts.</source>
        <translation>Random dataset: tokens of a prefix shared by all prompts.</translation>
    </message>
    <message>
        <source>Ask the server to ignore end-of-sequence tokens.</source>
        <translation>Ask the server to ignore end-of-sequence tokens.</translation>
    </message>
    <message>
        <source>Sampling temperature (default: 0, greedy).</source>
        <translation>Sampling temperature (default: 0, greedy).</translation>
    </message>
    <message>
        <source>Sampling top-p.</source>
        <translation>Sampling top-p.</translation>
    </message>
    <message>
        <source>Sampling top-k.</source>
        <translation>Sampling top-k.</translation>
    </message>
    <message>
        <source>Sampling min-p.</source>
        <translation>Sampling min-p.</translation>
    </message>
    <message>
        <source>Metrics to report percentiles for, from ttft,tpot,itl,e2el.</source>
        <translation>Metrics to report percentiles for, from ttft,tpot,itl,e2el.</translation>
    </message>
    <message>
        <source>Percentiles to report, e.g. 25,50,99.</source>
        <translation>Percentiles to report, e.g. 25,50,99.</translation>
    </message>
    <message>
        <source>Service level objectives for goodput, e.g. ttft:200 tpot:50 e2el:5000.</source>
        <translation>Service level objectives for goodput, e.g. ttft:200 tpot:50 e2el:5000.</translation>
    </message>
    <message>
        <source>Save the result as JSON.</source>
        <translation>Save the result as JSON.</translation>
    </message>
    <message>
        <source>Also save per-request arrays (ttfts, itls, texts, errors).</source>
        <translation>Also save per-request arrays (ttfts, itls, texts, errors).</translation>
    </message>
    <message>
        <source>Append to the result file instead of replacing it.</source>
        <translation>Append to the result file instead of replacing it.</translation>
    </message>
    <message>
        <source>Folder for result files (default: the current one).</source>
        <translation>Folder for result files (default: the current one).</translation>
    </message>
    <message>
        <source>Result file name (default: vLLM's pattern).</source>
        <translation>Result file name (default: vLLM's pattern).</translation>
    </message>
    <message>
        <source>Extra keys for the result file; repeat for more.</source>
        <translation>Extra keys for the result file; repeat for more.</translation>
    </message>
    <message>
        <source>Label of the run (default: the backend).</source>
        <translation>Label of the run (default: the backend).</translation>
    </message>
    <message>
        <source>Write one CSV row per request to FILE.</source>
        <translation>Write one CSV row per request to FILE.</translation>
    </message>
    <message>
        <source>No progress bar.</source>
        <translation>No progress bar.</translation>
    </message>
    <message>
        <source>Start the built-in simulated server in this process and test it (presets: see `serve --list-presets`).</source>
        <translation>Start the built-in simulated server in this process and test it (presets: see `serve --list-presets`).</translation>
    </message>
    <message>
        <source>--%1 needs a whole number of at least %2, not “%3”.</source>
        <translation>--%1 needs a whole number of at least %2, not “%3”.</translation>
    </message>
    <message>
        <source>--%1 needs a number, not “%2”.</source>
        <translation>--%1 needs a number, not “%2”.</translation>
    </message>
    <message>
        <source>Unknown backend “%1”. Choose one of: %2.</source>
        <translation>Unknown backend “%1”. Choose one of: %2.</translation>
    </message>
    <message>
        <source>--header needs KEY=VALUE, not “%1”.</source>
        <translation>--header needs KEY=VALUE, not “%1”.</translation>
    </message>
    <message>
        <source>--goodput needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</source>
        <translation>--goodput needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</translation>
    </message>
    <message>
        <source>--metadata needs KEY=VALUE, not “%1”.</source>
        <translation>--metadata needs KEY=VALUE, not “%1”.</translation>
    </message>
    <message>
        <source>Default: %1.</source>
        <translation>Default: %1.</translation>
    </message>
    <message>
        <source>ShareGPT: fixed output length instead of the conversation's.</source>
        <translation>ShareGPT: fixed output length instead of the conversation's.</translation>
    </message>
    <message>
        <source>Sonnet: input tokens per request.</source>
        <translation>Sonnet: input tokens per request.</translation>
    </message>
    <message>
        <source>Sonnet: output tokens per request.</source>
        <translation>Sonnet: output tokens per request.</translation>
    </message>
    <message>
        <source>Sonnet: tokens of the shared prefix.</source>
        <translation>Sonnet: tokens of the shared prefix.</translation>
    </message>
    <message>
        <source>Custom: output tokens of records that give none.</source>
        <translation>Custom: output tokens of records that give none.</translation>
    </message>
    <message>
        <source>Prefix repetition: tokens of each shared prefix.</source>
        <translation>Prefix repetition: tokens of each shared prefix.</translation>
    </message>
    <message>
        <source>Prefix repetition: tokens after the prefix.</source>
        <translation>Prefix repetition: tokens after the prefix.</translation>
    </message>
    <message>
        <source>Prefix repetition: number of distinct prefixes.</source>
        <translation>Prefix repetition: number of distinct prefixes.</translation>
    </message>
    <message>
        <source>Prefix repetition: output tokens per request.</source>
        <translation>Prefix repetition: output tokens per request.</translation>
    </message>
    <message>
        <source>Keep the dataset's order.</source>
        <translation>Keep the dataset's order.</translation>
    </message>
    <message>
        <source>Unknown dataset “%1”. Choose one of: %2.</source>
        <translation>Unknown dataset “%1”. Choose one of: %2.</translation>
    </message>
    <message>
        <source>The %1 dataset needs --dataset-path.</source>
        <translation>The %1 dataset needs --dataset-path.</translation>
    </message>
    <message>
        <source>ShareGPT with openai-chat: send each conversation turn by turn, every turn with the conversation so far; --num-prompts counts conversations, --max-concurrency concurrent conversations.</source>
        <translation>ShareGPT with openai-chat: send each conversation turn by turn, every turn with the conversation so far; --num-prompts counts conversations, --max-concurrency concurrent conversations.</translation>
    </message>
    <message>
        <source>Transport threads of the client, each reading its own connections (default: one per 2,000 streams, no more than half the cores and no more than 4).</source>
        <translation>Transport threads of the client, each reading its own connections (default: one per 2,000 streams, no more than half the cores and no more than 4).</translation>
    </message>
    <message>
        <source>A tokenizer.json file or a model folder holding one: exact prompt lengths and client-side token counts. A model name (org/model) is only recorded as tokenizer_id; a value that looks like a path (ending in .json, starting with /, ./, ../ or ~, or inside a folder that exists) must exist.</source>
        <translation>A tokenizer.json file or a model folder holding one: exact prompt lengths and client-side token counts. A model name (org/model) is only recorded as tokenizer_id; a value that looks like a path (ending in .json, starting with /, ./, ../ or ~, or inside a folder that exists) must exist.</translation>
    </message>
    <message>
        <source>Trust the CA certificates in this PEM file besides the system's (default: $SSL_CERT_FILE).</source>
        <translation>Trust the CA certificates in this PEM file besides the system's (default: $SSL_CERT_FILE).</translation>
    </message>
    <message>
        <source>The tokenizer file “%1” does not exist. Give a tokenizer.json file or a folder holding one; a model name (org/model) is only recorded.</source>
        <translation>The tokenizer file “%1” does not exist. Give a tokenizer.json file or a folder holding one; a model name (org/model) is only recorded.</translation>
    </message>
    <message>
        <source>Warning: --insecure: TLS certificates are not verified, so the server's identity is not checked.</source>
        <translation>Warning: --insecure: TLS certificates are not verified, so the server's identity is not checked.</translation>
    </message>
    <message>
        <source>SSL_CERT_FILE: %1</source>
        <translation>SSL_CERT_FILE: %1</translation>
    </message>
    <message>
        <source>Server API: %1.</source>
        <translation>Server API: %1.</translation>
    </message>
    <message>
        <source>Ramp the request rate up over the run's requests: linear or exponential, from --ramp-up-start-rps to --ramp-up-end-rps (leave --request-rate unset).</source>
        <translation>Ramp the request rate up over the run's requests: linear or exponential, from --ramp-up-start-rps to --ramp-up-end-rps (leave --request-rate unset).</translation>
    </message>
    <message>
        <source>Ramp-up: requests per second at the first request.</source>
        <translation>Ramp-up: requests per second at the first request.</translation>
    </message>
    <message>
        <source>Ramp-up: requests per second at the last request.</source>
        <translation>Ramp-up: requests per second at the last request.</translation>
    </message>
    <message>
        <source>Send requests for this many seconds, cycling through the prompts, then let those in flight finish; needs a finite --request-rate or --max-concurrency.</source>
        <translation>Send requests for this many seconds, cycling through the prompts, then let those in flight finish; needs a finite --request-rate or --max-concurrency.</translation>
    </message>
    <message>
        <source>At the end of --duration, abort the requests in flight instead of letting them finish.</source>
        <translation>At the end of --duration, abort the requests in flight instead of letting them finish.</translation>
    </message>
    <message>
        <source>%1 (alias %2)</source>
        <translation>%1 (alias %2)</translation>
    </message>
    <message>
        <source>--ramp-up-strategy needs linear or exponential, not “%1”.</source>
        <translation>--ramp-up-strategy needs linear or exponential, not “%1”.</translation>
    </message>
    <message>
        <source>--%1 needs a whole number of requests per second, not “%2”.</source>
        <translation>--%1 needs a whole number of requests per second, not “%2”.</translation>
    </message>
    <message>
        <source>--duration needs a positive number of seconds, not “%1”.</source>
        <translation>--duration needs a positive number of seconds, not “%1”.</translation>
    </message>
    <message>
        <source>--duration-cancel needs --duration.</source>
        <translation>--duration-cancel needs --duration.</translation>
    </message>
    <message>
        <source>API key, sent as the backend expects it: a Bearer token, or x-api-key for anthropic (default: $OPENAI_API_KEY). Never written to results.</source>
        <translation>API key, sent as the backend expects it: a Bearer token, or x-api-key for anthropic (default: $OPENAI_API_KEY). Never written to results.</translation>
    </message>
    <message>
        <source>Count text between &lt;think&gt; and &lt;/think&gt; in the answer as reasoning (for servers that do not separate it).</source>
        <translation>Count text between &lt;think&gt; and &lt;/think&gt; in the answer as reasoning (for servers that do not separate it).</translation>
    </message>
    <message>
        <source>Dataset: random, sharegpt, sonnet, custom (JSONL or CSV), prefix_repetition, mooncake (a trace to replay).</source>
        <translation>Dataset: random, sharegpt, sonnet, custom (JSONL or CSV), prefix_repetition, mooncake (a trace to replay).</translation>
    </message>
    <message>
        <source>File of the sharegpt, sonnet, custom or mooncake dataset.</source>
        <translation>File of the sharegpt, sonnet, custom or mooncake dataset.</translation>
    </message>
    <message>
        <source>Mooncake trace: multiply its timestamps by F (0.5 replays twice as fast).</source>
        <translation>Mooncake trace: multiply its timestamps by F (0.5 replays twice as fast).</translation>
    </message>
    <message>
        <source>Number of requests to send (a mooncake trace: its first N records; default all).</source>
        <translation>Number of requests to send (a mooncake trace: its first N records; default all).</translation>
    </message>
    <message>
        <source>--trace-time-scale needs a trace: --dataset-name mooncake.</source>
        <translation>--trace-time-scale needs a trace: --dataset-name mooncake.</translation>
    </message>
</context>
<context>
    <name>ts::cli::Serve</name>
    <message>
        <source>Fixed mode: time to first token in ms.</source>
        <translation>Fixed mode: time to first token in ms.</translation>
    </message>
    <message>
        <source>Fixed mode: gap between tokens in ms.</source>
        <translation>Fixed mode: gap between tokens in ms.</translation>
    </message>
    <message>
        <source>Batching mode: prefill speed in tokens/s.</source>
        <translation>Batching mode: prefill speed in tokens/s.</translation>
    </message>
    <message>
        <source>Batching mode: base time of one decode step in ms.</source>
        <translation>Batching mode: base time of one decode step in ms.</translation>
    </message>
    <message>
        <source>Batching mode: extra step time per running sequence in ms.</source>
        <translation>Batching mode: extra step time per running sequence in ms.</translation>
    </message>
    <message>
        <source>Chance per token of an early end, for requests without ignore_eos.</source>
        <translation>Chance per token of an early end, for requests without ignore_eos.</translation>
    </message>
    <message>
        <source>Random variation of step and gap times, 0 to 1.</source>
        <translation>Random variation of step and gap times, 0 to 1.</translation>
    </message>
    <message>
        <source>Batching mode: sequence slots.</source>
        <translation>Batching mode: sequence slots.</translation>
    </message>
    <message>
        <source>Batching mode: tokens per step.</source>
        <translation>Batching mode: tokens per step.</translation>
    </message>
    <message>
        <source>Longest prompt plus output accepted.</source>
        <translation>Longest prompt plus output accepted.</translation>
    </message>
    <message>
        <source>Output length of requests that name none.</source>
        <translation>Output length of requests that name none.</translation>
    </message>
    <message>
        <source>Token writes: %1, late by mean %2 ms, p99 %3 ms, max %4 ms; %5 over 1 ms.
</source>
        <translation>Token writes: %1, late by mean %2 ms, p99 %3 ms, max %4 ms; %5 over 1 ms.
</translation>
    </message>
    <message>
        <source>Seconds a client has, from connecting or from a request's first byte, to send the request's headers; then 408 and the connection is closed (default: %1).</source>
        <translation>Seconds a client has, from connecting or from a request's first byte, to send the request's headers; then 408 and the connection is closed (default: %1).</translation>
    </message>
    <message>
        <source>Seconds a client has to send a request's body after its headers (default: %1).</source>
        <translation>Seconds a client has to send a request's body after its headers (default: %1).</translation>
    </message>
    <message>
        <source>Seconds an idle connection stays open between requests (default: %1).</source>
        <translation>Seconds an idle connection stays open between requests (default: %1).</translation>
    </message>
    <message>
        <source>Act as a reasoning model: the first N tokens of every reply are reasoning (OpenAI chat and Responses, Anthropic).</source>
        <translation>Act as a reasoning model: the first N tokens of every reply are reasoning (OpenAI chat and Responses, Anthropic).</translation>
    </message>
</context>
<context>
    <name>ts::cli::Sweep</name>
    <message>
        <source>Concurrency sweep: the levels, e.g. 1,5,10,20 (default: 1,5,10,20,50,100,200,500).</source>
        <translation>Concurrency sweep: the levels, e.g. 1,5,10,20 (default: 1,5,10,20,50,100,200,500).</translation>
    </message>
    <message>
        <source>Rate sweep instead: request rates in req/s, e.g. 1,2,5,10; cap the concurrency with --max-concurrency.</source>
        <translation>Rate sweep instead: request rates in req/s, e.g. 1,2,5,10; cap the concurrency with --max-concurrency.</translation>
    </message>
    <message>
        <source>Requests per level = M x level (default: 5 for concurrency, 30 for rates), at least --min-prompts-per-level. --num-prompts N sets a fixed number instead.</source>
        <translation>Requests per level = M x level (default: 5 for concurrency, 30 for rates), at least --min-prompts-per-level. --num-prompts N sets a fixed number instead.</translation>
    </message>
    <message>
        <source>Fewest requests in a level (default: 50).</source>
        <translation>Fewest requests in a level (default: 50).</translation>
    </message>
    <message>
        <source>Stop when fewer requests succeed than this (default: 95).</source>
        <translation>Stop when fewer requests succeed than this (default: 95).</translation>
    </message>
    <message>
        <source>Stop when a p99 latency exceeds its limit, e.g. ttft:500 tpot:50 e2el:10000.</source>
        <translation>Stop when a p99 latency exceeds its limit, e.g. ttft:500 tpot:50 e2el:10000.</translation>
    </message>
    <message>
        <source>Stop when output throughput rises less than this over the best earlier level (default: 5; 0 = off).</source>
        <translation>Stop when output throughput rises less than this over the best earlier level (default: 5; 0 = off).</translation>
    </message>
    <message>
        <source>Run every level even past a limit; the limits only mark the levels.</source>
        <translation>Run every level even past a limit; the limits only mark the levels.</translation>
    </message>
    <message>
        <source>Name files PREFIX-c{N}.json / PREFIX-r{RATE}.json and PREFIX-summary.json/.csv (default: vLLM's names).</source>
        <translation>Name files PREFIX-c{N}.json / PREFIX-r{RATE}.json and PREFIX-summary.json/.csv (default: vLLM's names).</translation>
    </message>
    <message>
        <source>Do not read the server's Prometheus /metrics during the sweep.</source>
        <translation>Do not read the server's Prometheus /metrics during the sweep.</translation>
    </message>
    <message>
        <source>Where the server publishes its metrics (default: &lt;base URL&gt;/metrics).</source>
        <translation>Where the server publishes its metrics (default: &lt;base URL&gt;/metrics).</translation>
    </message>
    <message>
        <source>How often to read the server's metrics, in milliseconds (default: 1000).</source>
        <translation>How often to read the server's metrics, in milliseconds (default: 1000).</translation>
    </message>
    <message>
        <source>--%1 needs a number, not “%2”.</source>
        <translation>--%1 needs a number, not “%2”.</translation>
    </message>
    <message>
        <source>Give either --concurrency-levels or --request-rates, not both.</source>
        <translation>Give either --concurrency-levels or --request-rates, not both.</translation>
    </message>
    <message>
        <source>In a concurrency sweep each level sets the concurrency; leave out --max-concurrency (or sweep --request-rates).</source>
        <translation>In a concurrency sweep each level sets the concurrency; leave out --max-concurrency (or sweep --request-rates).</translation>
    </message>
    <message>
        <source>In a rate sweep each level sets the request rate; leave out --request-rate.</source>
        <translation>In a rate sweep each level sets the request rate; leave out --request-rate.</translation>
    </message>
    <message>
        <source>--min-prompts-per-level needs a whole number, not “%1”.</source>
        <translation>--min-prompts-per-level needs a whole number, not “%1”.</translation>
    </message>
    <message>
        <source>--slo-p99 needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</source>
        <translation>--slo-p99 needs KEY:MILLISECONDS with KEY one of ttft, tpot, e2el, not “%1”.</translation>
    </message>
    <message>
        <source>--%1 does not apply to a sweep: it writes one file per level, a summary JSON and a CSV to --result-dir (names: --result-prefix).</source>
        <translation>--%1 does not apply to a sweep: it writes one file per level, a summary JSON and a CSV to --result-dir (names: --result-prefix).</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Conc.</source>
        <translation>Conc.</translation>
    </message>
    <message>
        <source>Reqs</source>
        <translation>Reqs</translation>
    </message>
    <message>
        <source>OK %</source>
        <translation>OK %</translation>
    </message>
    <message>
        <source>Out tok/s</source>
        <translation>Out tok/s</translation>
    </message>
    <message>
        <source>Gain</source>
        <translation>Gain</translation>
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
        <translation>Server run/wait</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Find the server's limit: run the benchmark at rising concurrency (or request rates) until a limit is reached, then say where and why.</source>
        <translation>Find the server's limit: run the benchmark at rising concurrency (or request rates) until a limit is reached, then say where and why.</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>Unexpected argument “%1”.</translation>
    </message>
    <message>
        <source>Rate sweep over %1 requests/s</source>
        <translation>Rate sweep over %1 requests/s</translation>
    </message>
    <message>
        <source>Concurrency sweep over %1</source>
        <translation>Concurrency sweep over %1</translation>
    </message>
    <message>
        <source>%1: %2 requests</source>
        <translation>%1: %2 requests</translation>
    </message>
    <message>
        <source>Sweep verdict</source>
        <translation>Sweep verdict</translation>
    </message>
    <message>
        <source>Summary: %1
</source>
        <translation>Summary: %1
</translation>
    </message>
    <message>
        <source>Table: %1
</source>
        <translation>Table: %1
</translation>
    </message>
</context>
</TS>
