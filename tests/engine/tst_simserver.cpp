// The simulated server's HTTP protocol and API formats, over real sockets.

#include "sim/simserver.h"
#include "tst_simclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using tstest::HttpReply;
using tstest::RawHttpClient;

class TestSimServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ts::SimServer> m_server;

    static ts::SimServerConfig fastFixed()
    {
        ts::SimServerConfig c;
        c.mode = ts::SimMode::FixedLatency;
        c.ttftMs = 5;
        c.itlMs = 2;
        return c;
    }

    HttpReply roundTrip(const QByteArray &raw)
    {
        RawHttpClient client;
        HttpReply reply;
        if (!client.connectTo(m_server->port()))
            return reply;
        client.send(raw);
        client.waitForReply(reply);
        return reply;
    }

    static QJsonObject parseObject(const QByteArray &json)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<ts::SimServer>(fastFixed());
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        QVERIFY(m_server->port() != 0);
    }

    void cleanup() { m_server.reset(); }

    void streamFormat_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("usage");
        QTest::addRow("completions") << QByteArray("/v1/completions")
            << QByteArray(R"({"model":"tokenstorm-sim","prompt":"Hello, world!","max_tokens":7,"stream":true,"stream_options":{"include_usage":true},"ignore_eos":true})")
            << 7 << true;
        QTest::addRow("completions-no-usage") << QByteArray("/v1/completions")
            << QByteArray(R"({"prompt":"Hello, world!","max_tokens":3,"stream":true})") << 3 << false;
        QTest::addRow("chat") << QByteArray("/v1/chat/completions")
            << QByteArray(R"({"model":"tokenstorm-sim","messages":[{"role":"user","content":"Hello, world!"}],"max_completion_tokens":9,"stream":true,"stream_options":{"include_usage":true}})")
            << 9 << true;
        QTest::addRow("chat-max_tokens") << QByteArray("/v1/chat/completions")
            << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"text","text":"Hello, world!"}]}],"max_tokens":4,"stream":true})")
            << 4 << false;
    }

    // One token per HTTP chunk and per SSE event; the exact count; role first; usage; [DONE].
    void streamFormat()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, tokens);
        QFETCH(bool, usage);
        const bool chat = path.contains("chat");

        const HttpReply reply = roundTrip(RawHttpClient::request("POST", path, body));
        QCOMPARE(reply.status, 200);
        QVERIFY2(reply.framingError.isEmpty(), reply.framingError.constData());
        QVERIFY(reply.chunked);
        QVERIFY(reply.header("content-type").startsWith("text/event-stream"));

        int content = 0;
        bool sawRole = false;
        bool sawUsage = false;
        bool sawDone = false;
        QString text;
        for (const QByteArray &chunk : reply.chunks) {
            QVERIFY2(chunk.startsWith("data: "), chunk.constData());
            QVERIFY2(chunk.endsWith("\n\n"), chunk.constData());
            QCOMPARE(chunk.count("\n\n"), 1);   // exactly one event per chunk
            const QByteArray payload = chunk.mid(6).trimmed();
            QVERIFY2(!sawDone, "nothing may follow [DONE]");
            if (payload == "[DONE]") {
                sawDone = true;
                continue;
            }
            const QJsonObject o = parseObject(payload);
            QVERIFY2(!o.isEmpty(), payload.constData());
            QCOMPARE(o.value(QLatin1String("model")).toString(), QStringLiteral("tokenstorm-sim"));
            QCOMPARE(o.value(QLatin1String("object")).toString(),
                     chat ? QStringLiteral("chat.completion.chunk") : QStringLiteral("text_completion"));
            const QJsonArray choices = o.value(QLatin1String("choices")).toArray();
            if (choices.isEmpty()) {
                QVERIFY(!sawUsage);
                sawUsage = true;
                const QJsonObject u = o.value(QLatin1String("usage")).toObject();
                QCOMPARE(u.value(QLatin1String("completion_tokens")).toInt(), tokens);
                QCOMPARE(u.value(QLatin1String("prompt_tokens")).toInt(), 6);   // Hell|o|,|worl|d|!
                QCOMPARE(u.value(QLatin1String("total_tokens")).toInt(), tokens + 6);
                continue;
            }
            QVERIFY2(!sawUsage, "usage must come after the content");
            const QJsonObject choice = choices.first().toObject();
            QString piece;
            if (chat) {
                const QJsonObject delta = choice.value(QLatin1String("delta")).toObject();
                if (delta.contains(QLatin1String("role"))) {
                    QVERIFY2(!sawRole && content == 0, "the role comes once, first");
                    QCOMPARE(delta.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
                    QCOMPARE(delta.value(QLatin1String("content")).toString(), QString());
                    sawRole = true;
                    continue;
                }
                QVERIFY(sawRole);
                piece = delta.value(QLatin1String("content")).toString();
            } else {
                piece = choice.value(QLatin1String("text")).toString();
            }
            QVERIFY(!piece.isEmpty());
            text += piece;
            ++content;
            const QJsonValue finish = choice.value(QLatin1String("finish_reason"));
            if (content == tokens)
                QCOMPARE(finish.toString(), QStringLiteral("length"));
            else
                QVERIFY(finish.isNull());
        }
        QCOMPARE(content, tokens);
        QCOMPARE(sawUsage, usage);
        QVERIFY(sawDone);
        QVERIFY(!text.isEmpty());
        QCOMPARE(m_server->counters().requestsServed, qint64(1));
        QCOMPARE(m_server->counters().generatedTokens, qint64(tokens));
    }

    void nonStream_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("promptTokens");
        QTest::addRow("completions") << QByteArray("/v1/completions")
            << QByteArray(R"({"prompt":"你好，世界","max_tokens":5})") << 5 << 5;
        QTest::addRow("completions-token-ids") << QByteArray("/v1/completions")
            << QByteArray(R"({"prompt":[1,2,3,4,5,6,7],"max_tokens":2})") << 2 << 7;
        QTest::addRow("completions-default") << QByteArray("/v1/completions")
            << QByteArray(R"({"prompt":"abcdefgh"})") << 16 << 2;
        QTest::addRow("chat") << QByteArray("/v1/chat/completions")
            << QByteArray(R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Why?"}],"max_completion_tokens":6,"stream":false})")
            << 6 << 6;
    }

    void nonStream()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, tokens);
        QFETCH(int, promptTokens);
        const HttpReply reply = roundTrip(RawHttpClient::request("POST", path, body));
        QCOMPARE(reply.status, 200);
        QVERIFY(!reply.chunked);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        const QJsonObject o = parseObject(reply.body);
        QVERIFY2(!o.isEmpty(), reply.body.constData());
        const QJsonObject u = o.value(QLatin1String("usage")).toObject();
        QCOMPARE(u.value(QLatin1String("completion_tokens")).toInt(), tokens);
        QCOMPARE(u.value(QLatin1String("prompt_tokens")).toInt(), promptTokens);
        QCOMPARE(u.value(QLatin1String("total_tokens")).toInt(), tokens + promptTokens);
        const QJsonObject choice = o.value(QLatin1String("choices")).toArray().first().toObject();
        QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("length"));
        const QString text = path.contains("chat")
            ? choice.value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString()
            : choice.value(QLatin1String("text")).toString();
        QVERIFY(!text.isEmpty());
    }

    void tgiStream()
    {
        const HttpReply reply = roundTrip(RawHttpClient::request(
            "POST", "/generate_stream", R"({"inputs":"What is TGI?","parameters":{"max_new_tokens":6}})"));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.framingError.isEmpty());
        QCOMPARE(int(reply.chunks.size()), 6);
        QString joined;
        for (std::size_t i = 0; i < reply.chunks.size(); ++i) {
            const QByteArray &chunk = reply.chunks[i];
            QVERIFY(chunk.startsWith("data:"));
            QCOMPARE(chunk.count("\n\n"), 1);
            const QJsonObject o = parseObject(chunk.mid(5).trimmed());
            const QJsonObject token = o.value(QLatin1String("token")).toObject();
            QVERIFY(token.value(QLatin1String("id")).isDouble());
            QVERIFY(token.value(QLatin1String("logprob")).toDouble() < 0.0);
            QCOMPARE(token.value(QLatin1String("special")).toBool(true), false);
            joined += token.value(QLatin1String("text")).toString();
            if (i + 1 < reply.chunks.size()) {
                QVERIFY(o.value(QLatin1String("generated_text")).isNull());
                QVERIFY(o.value(QLatin1String("details")).isNull());
            } else {
                QCOMPARE(o.value(QLatin1String("generated_text")).toString(), joined);
                const QJsonObject details = o.value(QLatin1String("details")).toObject();
                QCOMPARE(details.value(QLatin1String("finish_reason")).toString(), QStringLiteral("length"));
                QCOMPARE(details.value(QLatin1String("generated_tokens")).toInt(), 6);
            }
        }
    }

    void tgiGenerate()
    {
        const HttpReply reply = roundTrip(RawHttpClient::request(
            "POST", "/generate", R"({"inputs":"What is TGI?","parameters":{"max_new_tokens":4,"details":true}})"));
        QCOMPARE(reply.status, 200);
        const QJsonObject o = parseObject(reply.body);
        QVERIFY(!o.value(QLatin1String("generated_text")).toString().isEmpty());
        QCOMPARE(o.value(QLatin1String("details")).toObject().value(QLatin1String("generated_tokens")).toInt(), 4);
    }

    void modelsHealthMetrics()
    {
        HttpReply reply = roundTrip(RawHttpClient::request("GET", "/v1/models"));
        QCOMPARE(reply.status, 200);
        const QJsonArray data = parseObject(reply.body).value(QLatin1String("data")).toArray();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data.first().toObject().value(QLatin1String("id")).toString(), QStringLiteral("tokenstorm-sim"));

        reply = roundTrip(RawHttpClient::request("GET", "/health"));
        QCOMPARE(reply.status, 200);

        roundTrip(RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"x","max_tokens":3})"));
        reply = roundTrip(RawHttpClient::request("GET", "/metrics?x=1"));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("text/plain"));
        const QByteArray text = reply.body;
        for (const char *name : {"vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:gpu_cache_usage_perc",
                                 "vllm:kv_cache_usage_perc", "vllm:prompt_tokens_total",
                                 "vllm:generation_tokens_total", "vllm:request_success_total",
                                 "tokenstorm_sim_write_lateness_seconds"}) {
            QVERIFY2(text.contains(QByteArray(QByteArray("# HELP ") + name + ' ')), name);
            QVERIFY2(text.contains(QByteArray(QByteArray("# TYPE ") + name + ' ')), name);
        }
        QVERIFY(text.contains("vllm:generation_tokens_total{model_name=\"tokenstorm-sim\"} 3\n"));
        QVERIFY(text.contains("vllm:prompt_tokens_total{model_name=\"tokenstorm-sim\"} 1\n"));
        QVERIFY(text.contains("vllm:request_success_total{finished_reason=\"length\",model_name=\"tokenstorm-sim\"} 1\n"));
        QVERIFY(text.contains("tokenstorm_sim_write_lateness_seconds_count{model_name=\"tokenstorm-sim\"} 1\n"));
        QVERIFY(text.contains("tokenstorm_sim_write_lateness_seconds{quantile=\"0.99\","));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("messagePart");
        QTest::addRow("unknown path") << RawHttpClient::request("GET", "/v2/nothing") << 404 << QByteArray("Not Found");
        QTest::addRow("wrong method") << RawHttpClient::request("GET", "/v1/completions") << 405 << QByteArray("Method");
        QTest::addRow("post models") << RawHttpClient::request("POST", "/v1/models", "{}") << 405 << QByteArray("Method");
        QTest::addRow("bad json") << RawHttpClient::request("POST", "/v1/completions", "{\"prompt\":") << 400
                                  << QByteArray("JSON");
        QTest::addRow("not an object") << RawHttpClient::request("POST", "/v1/completions", "[1]") << 400
                                       << QByteArray("object");
        QTest::addRow("no prompt") << RawHttpClient::request("POST", "/v1/completions", R"({"max_tokens":3})") << 400
                                   << QByteArray("prompt");
        QTest::addRow("no messages") << RawHttpClient::request("POST", "/v1/chat/completions", R"({"model":"tokenstorm-sim"})")
                                     << 400 << QByteArray("messages");
        QTest::addRow("max_tokens 0") << RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":0})")
                                      << 400 << QByteArray("max_tokens");
        QTest::addRow("max_tokens text") << RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":"5"})")
                                         << 400 << QByteArray("max_tokens");
        QTest::addRow("stream not bool") << RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","stream":"yes"})")
                                         << 400 << QByteArray("stream");
        QTest::addRow("too long") << RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":40000})")
                                  << 400 << QByteArray("maximum context length is 32768");
        QTest::addRow("other model") << RawHttpClient::request("POST", "/v1/completions", R"({"model":"llama","prompt":"a"})")
                                     << 404 << QByteArray("The model `llama` does not exist.");
        QTest::addRow("tgi no inputs") << RawHttpClient::request("POST", "/generate", R"({"parameters":{}})") << 400
                                       << QByteArray("inputs");
        QTest::addRow("bad request line") << QByteArray("HELLO\r\n\r\n") << 400 << QByteArray("Malformed");
        QTest::addRow("bad version") << QByteArray("GET /health HTTP/2.0\r\n\r\n") << 400 << QByteArray("Malformed");
        QTest::addRow("bad length") << QByteArray("POST /v1/completions HTTP/1.1\r\ncontent-length: x\r\n\r\n") << 400
                                    << QByteArray("Malformed");
    }

    void errors()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        QFETCH(QByteArray, messagePart);
        const HttpReply reply = roundTrip(raw);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        const QJsonObject error = parseObject(reply.body).value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("code")).toInt(), status);
        QVERIFY2(error.value(QLatin1String("message")).toString().toUtf8().contains(messagePart), reply.body.constData());
        if (status == 405)
            QVERIFY(!reply.header("allow").isEmpty());
        QCOMPARE(m_server->counters().requestsRejected, qint64(1));
        QCOMPARE(m_server->counters().requestsServed, qint64(0));
    }

    void acceptAnyModel()
    {
        ts::SimServerConfig c = fastFixed();
        c.acceptAnyModel = true;
        c.modelId = QStringLiteral("my \"quoted\" model");
        m_server = std::make_unique<ts::SimServer>(c);
        QVERIFY(m_server->listen());
        const HttpReply reply = roundTrip(RawHttpClient::request(
            "POST", "/v1/completions", R"({"model":"whatever","prompt":"a","max_tokens":1})"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(parseObject(reply.body).value(QLatin1String("model")).toString(), c.modelId);
    }

    void keepAliveSequential()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        for (int i = 0; i < 3; ++i) {
            client.post("/v1/completions", R"({"prompt":"a","max_tokens":2,"stream":true})");
            HttpReply reply;
            QVERIFY(client.waitForReply(reply));
            QCOMPARE(reply.status, 200);
            QVERIFY(reply.header("connection").isEmpty());   // HTTP/1.1: open unless "close"
            QCOMPARE(int(reply.sseData().size()), 3);   // 2 tokens + [DONE]
        }
        client.get("/health");
        HttpReply health;
        QVERIFY(client.waitForReply(health));
        QCOMPARE(health.status, 200);
        QVERIFY(!client.closed());
        QCOMPARE(m_server->counters().connections, 1);
        QCOMPARE(m_server->counters().requestsServed, qint64(3));
    }

    // While a reply streams, the server does not watch the connection for reads; a client that
    // goes away must still be noticed, by the next token writes, and its sequence ended.
    void clientGoneMidStream()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.post("/v1/completions", R"({"prompt":"a","max_tokens":5000,"stream":true,"ignore_eos":true})");
        QVERIFY(tstest::waitUntil([&] { return client.partial().chunks.size() >= 3; }, 5000));
        QCOMPARE(m_server->counters().running, 1);
        client.socket()->abort();
        QVERIFY(tstest::waitUntil([&] {
            const ts::SimCounters c = m_server->counters();
            return c.requestsAborted == 1 && c.running == 0 && c.connections == 0;
        }, 5000));
        QCOMPARE(m_server->counters().requestsServed, qint64(0));
    }

    void pipelined()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        // Three requests in one write, the middle one streamed: replies come back in order.
        client.send(RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":2})")
                    + RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":3,"stream":true})")
                    + RawHttpClient::request("GET", "/health"));
        HttpReply first, second, third;
        QVERIFY(client.waitForReply(first));
        QVERIFY(client.waitForReply(second));
        QVERIFY(client.waitForReply(third));
        QCOMPARE(first.status, 200);
        QVERIFY(!first.chunked);
        QCOMPARE(parseObject(first.body).value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 2);
        QVERIFY(second.chunked);
        QCOMPARE(int(second.sseData().size()), 4);
        QCOMPARE(third.status, 200);
        QVERIFY(third.body.isEmpty());
    }

    void chunkedRequestBody()
    {
        const QByteArray body = R"({"prompt":"a","max_tokens":2})";
        const QByteArray raw = "POST /v1/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n"
            + QByteArray::number(10, 16) + "\r\n" + body.left(10) + "\r\n"
            + QByteArray::number(body.size() - 10, 16) + "\r\n" + body.mid(10) + "\r\n0\r\n\r\n";
        const HttpReply reply = roundTrip(raw);
        QCOMPARE(reply.status, 200);
        QCOMPARE(parseObject(reply.body).value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 2);
    }

    void connectionClose_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addRow("close, stream") << RawHttpClient::request("POST", "/v1/completions",
                                                                R"({"prompt":"a","max_tokens":2,"stream":true})",
                                                                "connection: close\r\n");
        QTest::addRow("close, json") << RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":2})",
                                                              "Connection: Close\r\n");
        QTest::addRow("close, error") << RawHttpClient::request("GET", "/nothing", {}, "connection: close\r\n");
        QTest::addRow("http/1.0") << QByteArray("GET /health HTTP/1.0\r\n\r\n");
    }

    void connectionClose()
    {
        QFETCH(QByteArray, raw);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(raw);
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QVERIFY(reply.status > 0);
        QCOMPARE(reply.header("connection"), QByteArray("close"));
        QVERIFY(client.waitForClosed());
        QTRY_COMPARE(m_server->counters().connections, 0);
    }

    // A body split over several TCP segments, sent with pauses.
    void slowBody()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        const QByteArray raw = RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"hello there","max_tokens":2})");
        for (qsizetype i = 0; i < raw.size(); i += 7) {
            client.send(raw.mid(i, 7));
            QTest::qWait(1);
        }
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, 200);
    }

    // curl sends "Expect: 100-continue" for larger bodies and waits for the interim reply.
    void expectContinue()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        const QByteArray body = R"({"prompt":"a","max_tokens":2})";
        client.send("POST /v1/completions HTTP/1.1\r\nexpect: 100-continue\r\ncontent-length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n");
        HttpReply interim;
        QVERIFY(client.waitForReply(interim));
        QCOMPARE(interim.status, 100);
        client.send(body);
        HttpReply reply;
        QVERIFY(client.waitForReply(reply));
        QCOMPARE(reply.status, 200);
    }

    void streamHeadersAsVllmSendsThem()
    {
        // vLLM's server sends these lines (and a date) and, by default, does not echo
        // x-request-id; a longer block would make the client's cost look higher than it is.
        const HttpReply reply = roundTrip(RawHttpClient::request(
            "POST", "/v1/completions", R"({"prompt":"a","max_tokens":1,"stream":true})", "x-request-id: abc-123\r\n"));
        QCOMPARE(reply.status, 200);
        QList<QByteArray> names;
        for (const auto &header : reply.headers)
            names.append(header.first);
        QCOMPARE(names, (QList<QByteArray> { "server", "content-type", "transfer-encoding" }));
        QCOMPARE(reply.header("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    }

    void countersChangedSignal()
    {
        ts::SimCounters last;
        int signals = 0;
        connect(m_server.get(), &ts::SimServer::countersChanged, this, [&](const ts::SimCounters &c) {
            last = c;
            ++signals;
        });
        roundTrip(RawHttpClient::request("POST", "/v1/completions", R"({"prompt":"a","max_tokens":2})"));
        QTRY_COMPARE(last.requestsServed, qint64(1));
        QVERIFY(signals >= 1);
        QCOMPARE(last.generatedTokens, qint64(2));
    }

    void listenFailures()
    {
        ts::SimServerConfig c = fastFixed();
        c.port = m_server->port();   // taken
        ts::SimServer second(c);
        QVERIFY(!second.listen());
        QVERIFY(!second.errorString().isEmpty());
        QCOMPARE(second.port(), quint16(0));

        ts::SimServerConfig bad;
        bad.maxNumSeqs = 0;
        ts::SimServer invalid(bad);
        QVERIFY(!invalid.listen());
        QVERIFY(!invalid.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
