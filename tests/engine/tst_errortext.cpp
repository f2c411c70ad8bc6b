#include "sse/errortext.h"
#include "sse/sseparser.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using json = nlohmann::json;

namespace {

QByteArray fixture(const char *name)
{
    const QString path = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QLatin1String("/sse/")
        + QLatin1String(name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(path));
    return file.readAll();
}

json parse(const QByteArray &text)
{
    return json::parse(text.constBegin(), text.constEnd(), nullptr, false);
}

} // namespace

class TestErrorText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorTextFromBody_data();
    void errorTextFromBody();
    void longBodiesAreCut_data();
    void longBodiesAreCut();
    void reasonPhrases();
    void streamErrorMessage_data();
    void streamErrorMessage();
    void errorEvents_data();
    void errorEvents();
    void fixturesCarryTheirError_data();
    void fixturesCarryTheirError();
};

void TestErrorText::errorTextFromBody_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("expected");

    const QByteArray jsonType("application/json");

    QTest::addRow("openai error object")
        << 404
        << QByteArray(R"({"error":{"message":"The model `gpt-5` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}})")
        << jsonType << QStringLiteral("HTTP 404: The model `gpt-5` does not exist");
    QTest::addRow("vllm top-level message")
        << 400
        << QByteArray(R"({"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400})")
        << jsonType
        << QStringLiteral("HTTP 400: This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.");
    QTest::addRow("vllm nested error")
        << 404 << QByteArray(R"({"error":{"message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}})")
        << jsonType << QStringLiteral("HTTP 404: The model `x` does not exist.");
    QTest::addRow("error string")
        << 404 << QByteArray(R"({"error":"model 'llama3' not found, try pulling it first"})") << jsonType
        << QStringLiteral("HTTP 404: model 'llama3' not found, try pulling it first");
    QTest::addRow("message only") << 500 << QByteArray(R"({"message":"Internal error"})") << jsonType
                                  << QStringLiteral("HTTP 500: Internal error");
    QTest::addRow("fastapi detail string") << 401 << QByteArray(R"({"detail":"Not authenticated"})") << jsonType
                                           << QStringLiteral("HTTP 401: Not authenticated");
    QTest::addRow("fastapi detail list")
        << 422
        << QByteArray(R"({"detail":[{"loc":["body","model"],"msg":"field required","type":"value_error.missing"},)"
                      R"({"loc":["body","messages",0,"content"],"msg":"str type expected","type":"type_error.str"}]})")
        << jsonType << QStringLiteral("HTTP 422: model: field required; messages.0.content: str type expected");
    QTest::addRow("fastapi detail list without loc")
        << 422 << QByteArray(R"({"detail":[{"msg":"Input should be a valid integer"}]})") << jsonType
        << QStringLiteral("HTTP 422: Input should be a valid integer");
    QTest::addRow("tgi validation")
        << 422
        << QByteArray(R"({"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`","error_type":"validation"})")
        << jsonType
        << QStringLiteral("HTTP 422: Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`");
    QTest::addRow("tgi overloaded") << 429 << QByteArray(R"({"error":"Model is overloaded","error_type":"overloaded"})")
                                    << jsonType << QStringLiteral("HTTP 429: Model is overloaded");
    QTest::addRow("llama.cpp error object")
        << 503 << QByteArray(R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})") << jsonType
        << QStringLiteral("HTTP 503: Loading model");
    QTest::addRow("json sent as text/plain") << 400 << QByteArray(R"(  {"detail":"Bad key"})")
                                             << QByteArray("text/plain") << QStringLiteral("HTTP 400: Bad key");
    QTest::addRow("json with charset") << 404 << QByteArray(R"({"detail":"Not Found"})")
                                       << QByteArray("Application/JSON; charset=utf-8") << QStringLiteral("HTTP 404: Not Found");
    QTest::addRow("json message folded")
        << 500 << QByteArray(R"({"message":"Traceback (most recent call last):\n  File \"x.py\"\n\tValueError: bad"})")
        << jsonType << QStringLiteral("HTTP 500: Traceback (most recent call last): File \"x.py\" ValueError: bad");
    QTest::addRow("json unicode message") << 404 << QByteArray(R"({"error":"模型不存在"})") << jsonType
                                          << QStringLiteral("HTTP 404: 模型不存在");
    QTest::addRow("json with unknown keys") << 500 << QByteArray(R"({"foo": "bar"})") << jsonType
                                            << QStringLiteral("HTTP 500: {\"foo\": \"bar\"}");
    QTest::addRow("broken json") << 500 << QByteArray("{\"error\": \"trunc") << jsonType
                                 << QStringLiteral("HTTP 500: {\"error\": \"trunc");
    QTest::addRow("error type only") << 500 << QByteArray(R"({"error":{"type":"server_error","message":""}})") << jsonType
                                     << QStringLiteral("HTTP 500: server_error");

    QTest::addRow("nginx html")
        << 502
        << QByteArray("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                      "<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n")
        << QByteArray("text/html") << QStringLiteral("HTTP 502: Bad Gateway");
    QTest::addRow("html title with entities")
        << 500 << QByteArray("<!DOCTYPE html><html><head><TITLE>\n  Error &#8212; R&amp;D   &#x41;pp &lt;1&gt;\n</TITLE></head></html>")
        << QByteArray() << QStringLiteral("HTTP 500: Error \u2014 R&D App <1>");
    QTest::addRow("html without title")
        << 503
        << QByteArray("<html><head><style>h1 { color: red; }</style></head><body><h1>Service   Unavailable</h1>\n"
                      "<!-- upstream: 10.0.0.7 --><p>The server is temporarily&nbsp;&amp; unexpectedly down.</p>"
                      "<script>var retry = 1;</script></body></html>")
        << QByteArray("text/html; charset=utf-8")
        << QStringLiteral("HTTP 503: Service Unavailable The server is temporarily & unexpectedly down.");
    QTest::addRow("html empty title")
        << 403 << QByteArray("<html><head><title> </title></head><body><p>Access denied</p></body></html>")
        << QByteArray("text/html") << QStringLiteral("HTTP 403: Access denied");

    QTest::addRow("plain text") << 500 << QByteArray("Internal Server Error\n\n  something   broke\n")
                                << QByteArray("text/plain; charset=utf-8")
                                << QStringLiteral("HTTP 500: Internal Server Error something broke");
    QTest::addRow("go style text") << 404 << QByteArray("404 page not found\n") << QByteArray("text/plain")
                                   << QStringLiteral("HTTP 404: page not found");
    QTest::addRow("number that is not the status") << 404 << QByteArray("4040 reasons") << QByteArray()
                                                   << QStringLiteral("HTTP 404: 4040 reasons");

    QTest::addRow("empty 503") << 503 << QByteArray() << QByteArray() << QStringLiteral("HTTP 503 Service Unavailable");
    QTest::addRow("whitespace 429") << 429 << QByteArray(" \r\n") << QByteArray("text/plain")
                                    << QStringLiteral("HTTP 429 Too Many Requests");
    QTest::addRow("empty json 500") << 500 << QByteArray("{}") << jsonType
                                    << QStringLiteral("HTTP 500 Internal Server Error");
    QTest::addRow("empty unknown status") << 599 << QByteArray() << QByteArray() << QStringLiteral("HTTP 599");
    QTest::addRow("no status, message") << 0 << QByteArray(R"({"error":"connection reset"})") << jsonType
                                        << QStringLiteral("connection reset");
    QTest::addRow("no status, nothing") << 0 << QByteArray() << QByteArray() << QStringLiteral("The server sent no details.");
}

void TestErrorText::errorTextFromBody()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, expected);
    QCOMPARE(ts::errorTextFromBody(status, body, contentType), expected);
}

void TestErrorText::longBodiesAreCut_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("start");

    QByteArray words;
    for (int i = 0; i < 2000; ++i)
        words += "word" + QByteArray::number(i) + ' ';
    QTest::addRow("text") << words << QByteArray("text/plain") << QStringLiteral("HTTP 500: word0 word1 ");
    QTest::addRow("json message") << QByteArray(R"({"error":{"message":")" + words + R"("}})")
                                  << QByteArray("application/json") << QStringLiteral("HTTP 500: word0 word1 ");
    QTest::addRow("html") << QByteArray("<html><body><p>" + words + "</p></body></html>") << QByteArray("text/html")
                          << QStringLiteral("HTTP 500: word0 word1 ");
    // Cutting must not split a character outside the BMP in half.
    QByteArray emoji;
    for (int i = 0; i < 400; ++i)
        emoji += "\xF0\x9F\x98\x8A";
    QTest::addRow("surrogate pairs") << emoji << QByteArray("text/plain") << QStringLiteral("HTTP 500: \U0001F60A");
}

void TestErrorText::longBodiesAreCut()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, start);
    const QString text = ts::errorTextFromBody(500, body, contentType);
    QVERIFY(text.startsWith(start));
    QVERIFY(text.size() <= ts::kMaxErrorTextLength);
    QVERIFY(text.size() >= ts::kMaxErrorTextLength - 1);
    QVERIFY(text.endsWith(u'…'));
    QVERIFY(!text.at(text.size() - 2).isHighSurrogate());
    QVERIFY(!text.contains(QChar::ReplacementCharacter));
}

void TestErrorText::reasonPhrases()
{
    QCOMPARE(ts::httpReasonPhrase(404), QStringLiteral("Not Found"));
    QCOMPARE(ts::httpReasonPhrase(502), QStringLiteral("Bad Gateway"));
    QCOMPARE(ts::httpReasonPhrase(504), QStringLiteral("Gateway Timeout"));
    QVERIFY(ts::httpReasonPhrase(299).isEmpty());
    QVERIFY(ts::httpReasonPhrase(0).isEmpty());
}

void TestErrorText::streamErrorMessage_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<QString>("expected");

    const QString generic = QStringLiteral("The server reported an error in the stream.");

    QTest::addRow("vllm error object")
        << QByteArray(R"({"error": {"object": "error", "message": "m1", "type": "InternalServerError", "param": null, "code": 500}})")
        << true << QStringLiteral("m1");
    QTest::addRow("error string") << QByteArray(R"({"error":"m2"})") << true << QStringLiteral("m2");
    QTest::addRow("tgi") << QByteArray(R"({"error":"Request failed during generation: Server error: out of memory","error_type":"generation"})")
                         << true << QStringLiteral("Request failed during generation: Server error: out of memory");
    QTest::addRow("llama.cpp") << QByteArray(R"({"error":{"code":500,"message":"m4","type":"server_error"}})") << true
                               << QStringLiteral("m4");
    QTest::addRow("nested twice") << QByteArray(R"({"error":{"error":{"message":"m5","code":400}}})") << true
                                  << QStringLiteral("m5");
    QTest::addRow("vllm top-level object error")
        << QByteArray(R"({"object":"error","message":"m6","type":"BadRequestError","param":null,"code":400})") << true
        << QStringLiteral("m6");
    QTest::addRow("error object without message") << QByteArray(R"({"error":{"code":500}})") << true
                                                  << QStringLiteral("{\"code\":500}");
    QTest::addRow("empty error object") << QByteArray(R"({"error":{}})") << true << generic;
    QTest::addRow("error true") << QByteArray(R"({"error":true})") << true << generic;
    QTest::addRow("message folded") << QByteArray(R"({"error":"line one\n   line two"})") << true
                                    << QStringLiteral("line one line two");

    QTest::addRow("chat chunk")
        << QByteArray(R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"error"}}]})")
        << false << QString();
    QTest::addRow("usage chunk") << QByteArray(R"({"id":"c","choices":[],"usage":{"prompt_tokens":3}})") << false << QString();
    QTest::addRow("tgi token") << QByteArray(R"({"index":1,"token":{"id":1,"text":"x"},"generated_text":null,"details":null})")
                               << false << QString();
    QTest::addRow("error null") << QByteArray(R"({"error":null,"choices":[]})") << false << QString();
    QTest::addRow("error empty string") << QByteArray(R"({"error":""})") << false << QString();
    QTest::addRow("error false") << QByteArray(R"({"error":false})") << false << QString();
    QTest::addRow("array") << QByteArray(R"([{"error":"x"}])") << false << QString();
    QTest::addRow("string") << QByteArray(R"("error")") << false << QString();
    QTest::addRow("not json") << QByteArray("[DONE]") << false << QString();
}

void TestErrorText::streamErrorMessage()
{
    QFETCH(QByteArray, message);
    QFETCH(bool, isError);
    QFETCH(QString, expected);
    const std::optional<QString> got = ts::streamErrorMessage(parse(message));
    QCOMPARE(got.has_value(), isError);
    if (got)
        QCOMPARE(*got, expected);
}

void TestErrorText::errorEvents_data()
{
    QTest::addColumn<QByteArray>("eventType");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<QString>("expected");

    QTest::addRow("llama.cpp error field")
        << QByteArray("error") << QByteArray(R"({"code":400,"message":"the request exceeds the available context size","type":"invalid_request_error"})")
        << true << QStringLiteral("the request exceeds the available context size");
    QTest::addRow("typed error event")
        << QByteArray("error") << QByteArray(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
        << true << QStringLiteral("Overloaded");
    QTest::addRow("error event with text") << QByteArray("error") << QByteArray("upstream  timed out\n") << true
                                           << QStringLiteral("upstream timed out");
    QTest::addRow("error event, empty") << QByteArray("error") << QByteArray() << true
                                        << QStringLiteral("The server reported an error in the stream.");
    QTest::addRow("plain event with error object") << QByteArray() << QByteArray(R"({"error":"m"})") << true
                                                   << QStringLiteral("m");
    QTest::addRow("plain event") << QByteArray() << QByteArray(R"({"choices":[]})") << false << QString();
    QTest::addRow("other event type") << QByteArray("message") << QByteArray("not json") << false << QString();
}

void TestErrorText::errorEvents()
{
    QFETCH(QByteArray, eventType);
    QFETCH(QByteArray, data);
    QFETCH(bool, isError);
    QFETCH(QString, expected);
    const ts::SseEvent event{eventType, data, {}};
    const std::optional<QString> got = ts::streamErrorMessage(event, parse(data));
    QCOMPARE(got.has_value(), isError);
    if (got)
        QCOMPARE(*got, expected);
}

void TestErrorText::fixturesCarryTheirError_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("errorIndex");  // -1: no error in the stream
    QTest::addColumn<QString>("expected");

    QTest::addRow("vllm") << QByteArray("error_midstream_vllm.sse") << 3
                          << QStringLiteral("The engine died unexpectedly: CUDA error: an illegal memory access was encountered");
    QTest::addRow("tgi") << QByteArray("error_midstream_tgi.sse") << 3
                         << QStringLiteral("Request failed during generation: Server error: CUDA out of memory. Tried to allocate 2.00 GiB");
    QTest::addRow("llama.cpp error field")
        << QByteArray("error_field_llamacpp.sse") << 1
        << QStringLiteral("the request exceeds the available context size. try increasing the context size or enable context shift");
    QTest::addRow("vllm chat") << QByteArray("vllm_chat.sse") << -1 << QString();
    QTest::addRow("tgi clean") << QByteArray("tgi_generate_stream.sse") << -1 << QString();
    QTest::addRow("llama.cpp chat") << QByteArray("llamacpp_chat.sse") << -1 << QString();
}

void TestErrorText::fixturesCarryTheirError()
{
    QFETCH(QByteArray, file);
    QFETCH(int, errorIndex);
    QFETCH(QString, expected);

    QList<int> errorAt;
    QStringList messages;
    int index = 0;
    auto sink = [&](const ts::SseEvent &event) {
        if (auto message = ts::streamErrorMessage(event, parse(event.data))) {
            errorAt.append(index);
            messages.append(*message);
        }
        ++index;
    };
    ts::SseParser parser;
    parser.feed(fixture(file.constData()), sink);
    parser.finish(sink);

    if (errorIndex < 0) {
        QVERIFY2(errorAt.isEmpty(), qPrintable(messages.join(u'|')));
    } else {
        QCOMPARE(errorAt, QList<int>{errorIndex});
        QCOMPARE(messages.front(), expected);
    }
}

QTEST_GUILESS_MAIN(TestErrorText)
#include "tst_errortext.moc"
