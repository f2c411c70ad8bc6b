#include "sse/sseparser.h"

#include <QFile>
#include <QJsonDocument>
#include <QList>
#include <QRandomGenerator>
#include <QTest>

#include <vector>

using ts::SseEvent;
using ts::SseParser;

namespace {

using Events = std::vector<SseEvent>;

QByteArray fixture(const char *name)
{
    const QString path = qEnvironmentVariable("TOKENSTORM_TEST_DATA") + QLatin1String("/sse/")
        + QLatin1String(name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(path));
    return file.readAll();
}

// A readable, comparable form of an event list, so a failing QCOMPARE shows what differs.
QByteArray describe(const Events &events)
{
    QByteArray out;
    for (const SseEvent &e : events) {
        out += "[event=" + e.event.toPercentEncoding() + " id=" + e.id.toPercentEncoding()
            + " data=" + e.data.toPercentEncoding() + "]\n";
    }
    return out;
}

// Feeds the stream cut at the given offsets (ascending), then finishes it.
Events parseInPieces(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    Events events;
    SseParser parser;
    auto sink = [&events](const SseEvent &e) { events.push_back(e); };
    qsizetype from = 0;
    for (const qsizetype cut : cuts) {
        parser.feed(QByteArrayView(stream).sliced(from, cut - from), sink);
        from = cut;
    }
    parser.feed(QByteArrayView(stream).sliced(from), sink);
    parser.finish(sink);
    return events;
}

Events parseWhole(const QByteArray &stream)
{
    return parseInPieces(stream, {});
}

// A second, deliberately plain reading of the same rules over the whole stream at once: normalise
// the line endings, split into lines, interpret each. The incremental parser must agree with it.
Events referenceParse(QByteArray stream)
{
    if (stream.startsWith("\xEF\xBB\xBF"))
        stream.remove(0, 3);
    stream.replace("\r\n", "\n");
    stream.replace('\r', '\n');
    QList<QByteArray> lines = stream.split('\n');
    if (lines.back().isEmpty())
        lines.removeLast();      // the stream ended with a line ending
    lines.append(QByteArray());  // end of stream dispatches what is pending

    Events events;
    QByteArray data, type, id;
    bool hasData = false;
    for (const QByteArray &line : lines) {
        if (line.isEmpty()) {
            if (hasData)
                events.push_back({type, data, id});
            data.clear();
            type.clear();
            hasData = false;
            continue;
        }
        if (line.startsWith(':'))
            continue;
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon < 0 ? line : line.left(colon);
        QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        if (name == "data" || name == "error") {
            data = hasData ? data + '\n' + value : value;
            hasData = true;
            if (name == "error")
                type = "error";
        } else if (name == "event") {
            type = value;
        } else if (name == "id" && !value.contains('\0')) {
            id = value;
        }
    }
    return events;
}

QByteArray withLineEndings(const QByteArray &lfStream, const char *ending)
{
    QByteArray out = lfStream;
    out.replace("\n", ending);
    return out;
}

const char *const kFixtures[] = {
    "vllm_completions.sse",
    "vllm_chat.sse",
    "llamacpp_chat.sse",
    "tgi_generate_stream.sse",
    "error_midstream_vllm.sse",
    "error_midstream_tgi.sse",
    "error_field_llamacpp.sse",
    "llamacpp_python_completions_crlf.sse",
    "fields_comments.sse",
    "multiline_data.sse",
    "done_without_blank_line.sse",
};

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtureEvents_data();
    void fixtureEvents();
    void everySplitGivesSameEvents_data();
    void everySplitGivesSameEvents();
    void lineEndingsAreEquivalent_data();
    void lineEndingsAreEquivalent();
    void crlfSplitAcrossFeeds();
    void crFollowedByCrIsBlankLine();
    void fieldsAndComments();
    void multiLineData();
    void eventTypeResetsAfterDispatch();
    void idWithNulIsIgnored();
    void doneDetection_data();
    void doneDetection();
    void finishDispatchesPendingEvent_data();
    void finishDispatchesPendingEvent();
    void finishLeavesParserReusable();
    void resetDropsPartialInput();
    void byteOrderMark_data();
    void byteOrderMark();
    void legacyErrorFieldIsDispatched();
    void pendingBytesStayBounded_data();
    void pendingBytesStayBounded();
    void longLineInSmallReads();
    void sinkMayKeepOrDropEvents();
};

void TestSseParser::fixtureEvents_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("endsWithDone");
    QTest::addColumn<bool>("jsonPayloads");

    // Counts were read off the files by eye: one per blank-line-terminated "data" block.
    QTest::addRow("vllm completions") << QByteArray("vllm_completions.sse") << 17 << true << true;
    QTest::addRow("vllm chat") << QByteArray("vllm_chat.sse") << 14 << true << true;
    QTest::addRow("llama.cpp chat") << QByteArray("llamacpp_chat.sse") << 13 << true << true;
    QTest::addRow("tgi generate_stream") << QByteArray("tgi_generate_stream.sse") << 7 << false << true;
    QTest::addRow("vllm error midstream") << QByteArray("error_midstream_vllm.sse") << 5 << true << true;
    QTest::addRow("tgi error midstream") << QByteArray("error_midstream_tgi.sse") << 4 << false << true;
    QTest::addRow("llama.cpp error field") << QByteArray("error_field_llamacpp.sse") << 3 << true << true;
    QTest::addRow("llama-cpp-python crlf") << QByteArray("llamacpp_python_completions_crlf.sse") << 7 << true << true;
    QTest::addRow("fields and comments") << QByteArray("fields_comments.sse") << 8 << false << false;
    QTest::addRow("multi-line data") << QByteArray("multiline_data.sse") << 3 << true << false;
    QTest::addRow("done without blank line") << QByteArray("done_without_blank_line.sse") << 3 << true << true;
}

void TestSseParser::fixtureEvents()
{
    QFETCH(QByteArray, file);
    QFETCH(int, count);
    QFETCH(bool, endsWithDone);
    QFETCH(bool, jsonPayloads);

    const QByteArray stream = fixture(file.constData());
    const Events events = parseWhole(stream);
    QCOMPARE(describe(events), describe(referenceParse(stream)));
    QCOMPARE(int(events.size()), count);
    QCOMPARE(SseParser::isDone(events.back()), endsWithDone);
    if (jsonPayloads) {
        for (const SseEvent &e : events) {
            if (SseParser::isDone(e))
                continue;
            QJsonParseError error;
            QJsonDocument::fromJson(e.data, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, e.data.constData());
        }
    }
}

void TestSseParser::everySplitGivesSameEvents_data()
{
    QTest::addColumn<QByteArray>("stream");
    for (const char *name : kFixtures) {
        const QByteArray stream = fixture(name);
        QTest::addRow("%s", name) << stream;
        if (!stream.contains('\r')) {
            QTest::addRow("%s as CRLF", name) << withLineEndings(stream, "\r\n");
            QTest::addRow("%s as CR", name) << withLineEndings(stream, "\r");
        }
    }
}

void TestSseParser::everySplitGivesSameEvents()
{
    QFETCH(QByteArray, stream);
    const QByteArray expected = describe(parseWhole(stream));
    QVERIFY(!expected.isEmpty());

    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        const QByteArray got = describe(parseInPieces(stream, {cut}));
        if (got != expected)
            QFAIL(qPrintable(QStringLiteral("differs when cut at byte %1").arg(cut)));
    }

    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < stream.size(); ++i)
        everyByte.append(i);
    QCOMPARE(describe(parseInPieces(stream, everyByte)), expected);

    QRandomGenerator random(20240611);
    for (int round = 0; round < 300; ++round) {
        QList<qsizetype> cuts;
        qsizetype at = 0;
        while (true) {
            // Mostly short reads, sometimes empty ones, sometimes long ones.
            const int kind = random.bounded(10);
            at += kind == 0 ? 0 : kind < 8 ? random.bounded(1, 24) : random.bounded(24, 700);
            if (at >= stream.size())
                break;
            cuts.append(at);
        }
        const QByteArray got = describe(parseInPieces(stream, cuts));
        if (got != expected)
            QFAIL(qPrintable(QStringLiteral("differs in random round %1").arg(round)));
    }
}

void TestSseParser::lineEndingsAreEquivalent_data()
{
    QTest::addColumn<QByteArray>("lfStream");
    for (const char *name : kFixtures) {
        QByteArray stream = fixture(name);
        stream.replace("\r\n", "\n");
        QTest::addRow("%s", name) << stream;
    }
}

void TestSseParser::lineEndingsAreEquivalent()
{
    QFETCH(QByteArray, lfStream);
    const QByteArray expected = describe(parseWhole(lfStream));
    QCOMPARE(describe(parseWhole(withLineEndings(lfStream, "\r\n"))), expected);
    QCOMPARE(describe(parseWhole(withLineEndings(lfStream, "\r"))), expected);

    // Each line ending drawn at random. A CR followed by the LF of a blank line would read as
    // one CRLF, so that pair is not drawn.
    QRandomGenerator random(7);
    for (int round = 0; round < 20; ++round) {
        QByteArray mixed;
        bool previousWasCr = false;
        qsizetype lineStart = 0;
        for (qsizetype i = 0; i < lfStream.size(); ++i) {
            if (lfStream.at(i) != '\n') {
                mixed += lfStream.at(i);
                continue;
            }
            const bool blankLine = i == lineStart;
            int choice = random.bounded(3);
            if (choice == 0 && blankLine && previousWasCr)
                choice = 1;
            mixed += choice == 0 ? "\n" : choice == 1 ? "\r\n" : "\r";
            previousWasCr = choice == 2;
            lineStart = i + 1;
        }
        QCOMPARE(describe(parseWhole(mixed)), expected);
    }
}

void TestSseParser::crlfSplitAcrossFeeds()
{
    // The CR ends one read, its LF starts the next (after an empty read): still one line ending,
    // so "a" and "b" belong to the same event.
    QCOMPARE(describe(parseInPieces(QByteArray("data: a\r\ndata: b\r\n\r\n"), {8, 8, 9})),
             describe({{{}, "a\nb", {}}}));
    // The LF after the CR is eaten only once: the next LF is a blank line.
    QCOMPARE(describe(parseInPieces(QByteArray("data: a\r\n\ndata: b\n\n"), {8})),
             describe({{{}, "a", {}}, {{}, "b", {}}}));
}

void TestSseParser::crFollowedByCrIsBlankLine()
{
    QCOMPARE(describe(parseInPieces(QByteArray("data: a\r\rdata: b\r\r"), {8})),
             describe({{{}, "a", {}}, {{}, "b", {}}}));
}

void TestSseParser::fieldsAndComments()
{
    const Events expected = {
        {"message_start", R"({"type":"message_start"})", "1"},
        {{}, "no space after the colon", "2"},
        {{}, " two spaces keep one", "2"},
        {{}, "", "2"},  // "data" with no colon
        {{}, "", "2"},  // "data:" with nothing after it
        {"content", "after the event that had no data\nsecond line", "3"},
        {{}, "colon: inside the value stays", ""},
        {{}, "the id was cleared", ""},
    };
    QCOMPARE(describe(parseWhole(fixture("fields_comments.sse"))), describe(expected));
}

void TestSseParser::multiLineData()
{
    const Events events = parseWhole(fixture("multiline_data.sse"));
    QCOMPARE(int(events.size()), 3);
    QCOMPARE(events[0].event, QByteArray("completion"));
    QCOMPARE(events[0].data, QByteArray("{\n  \"text\": \"line one\\nline two\",\n  \"index\": 0\n}"));
    const QJsonDocument doc = QJsonDocument::fromJson(events[0].data);
    QCOMPARE(doc[QLatin1String("text")].toString(), QStringLiteral("line one\nline two"));
    QCOMPARE(events[1].data, QByteArray("first\n\nthird"));
    QVERIFY(SseParser::isDone(events[2]));
}

void TestSseParser::eventTypeResetsAfterDispatch()
{
    QCOMPARE(describe(parseWhole("event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n")),
             describe({{"a", "1", {}}, {{}, "2", {}}, {{}, "3", {}}}));
}

void TestSseParser::idWithNulIsIgnored()
{
    const QByteArray stream = QByteArray("id: 1\ndata: a\n\nid: x") + '\0' + QByteArray("y\ndata: b\n\n");
    QCOMPARE(describe(parseWhole(stream)), describe({{{}, "a", "1"}, {{}, "b", "1"}}));
}

void TestSseParser::doneDetection_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("done");
    QTest::addRow("done") << QByteArray("[DONE]") << true;
    QTest::addRow("trailing space") << QByteArray("[DONE] ") << false;
    QTest::addRow("lower case") << QByteArray("[done]") << false;
    QTest::addRow("no brackets") << QByteArray("DONE") << false;
    QTest::addRow("json") << QByteArray(R"({"text":"[DONE]"})") << false;
    QTest::addRow("empty") << QByteArray() << false;
}

void TestSseParser::doneDetection()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, done);
    QCOMPARE(SseParser::isDone(SseEvent{{}, data, {}}), done);
}

void TestSseParser::finishDispatchesPendingEvent_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("beforeFinish");
    QTest::addColumn<int>("afterFinish");
    QTest::addColumn<QByteArray>("lastData");

    QTest::addRow("line ending, no blank line") << QByteArray("data: x\n\ndata: [DONE]\n") << 1 << 2 << QByteArray("[DONE]");
    QTest::addRow("no line ending at all") << QByteArray("data: x\n\ndata: [DONE]") << 1 << 2 << QByteArray("[DONE]");
    QTest::addRow("CR at the end") << QByteArray("data: x\r\rdata: [DONE]\r") << 1 << 2 << QByteArray("[DONE]");
    QTest::addRow("complete stream") << QByteArray("data: x\n\ndata: [DONE]\n\n") << 2 << 2 << QByteArray("[DONE]");
    QTest::addRow("trailing comment") << QByteArray("data: x\n\n: bye") << 1 << 1 << QByteArray("x");
    QTest::addRow("event without data") << QByteArray("data: x\n\nevent: end\n") << 1 << 1 << QByteArray("x");
    QTest::addRow("empty stream") << QByteArray() << 0 << 0 << QByteArray();
}

void TestSseParser::finishDispatchesPendingEvent()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, beforeFinish);
    QFETCH(int, afterFinish);
    QFETCH(QByteArray, lastData);

    Events events;
    auto sink = [&events](const SseEvent &e) { events.push_back(e); };
    SseParser parser;
    parser.feed(stream, sink);
    QCOMPARE(int(events.size()), beforeFinish);
    parser.finish(sink);
    QCOMPARE(int(events.size()), afterFinish);
    if (!events.empty())
        QCOMPARE(events.back().data, lastData);
    QCOMPARE(parser.pendingBytes(), 0);
    parser.finish(sink);
    QCOMPARE(int(events.size()), afterFinish);
}

void TestSseParser::finishLeavesParserReusable()
{
    Events events;
    auto sink = [&events](const SseEvent &e) { events.push_back(e); };
    SseParser parser;
    parser.feed("id: 7\nevent: x\ndata: first\r", sink);
    parser.finish(sink);
    // A new stream: no id, type or half line carried over, and its leading LF is a blank line.
    parser.feed("\ndata: second\n\n", sink);
    QCOMPARE(describe(events), describe({{"x", "first", "7"}, {{}, "second", {}}}));
}

void TestSseParser::resetDropsPartialInput()
{
    Events events;
    auto sink = [&events](const SseEvent &e) { events.push_back(e); };
    SseParser parser;
    parser.feed("id: 3\ndata: lost\ndata: half a li", sink);
    QVERIFY(parser.pendingBytes() > 0);
    parser.reset();
    QCOMPARE(parser.pendingBytes(), 0);
    parser.feed("ne\ndata: kept\n\n", sink);
    QCOMPARE(describe(events), describe({{{}, "kept", {}}}));
}

void TestSseParser::byteOrderMark_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("mark dropped") << QByteArray("\xEF\xBB\xBF" "data: x\n\n") << describe({{{}, "x", {}}});
    QTest::addRow("only at the start") << QByteArray("data: x\n\n\xEF\xBB\xBF" "data: y\n\n") << describe({{{}, "x", {}}});
    QTest::addRow("half a mark is content") << QByteArray("\xEF\xBB" "data: x\n\ndata: y\n\n") << describe({{{}, "y", {}}});
    QTest::addRow("half a mark at the end") << QByteArray("\xEF\xBB") << QByteArray();
    QTest::addRow("mark alone") << QByteArray("\xEF\xBB\xBF") << QByteArray();
}

void TestSseParser::byteOrderMark()
{
    QFETCH(QByteArray, stream);
    QFETCH(QByteArray, expected);
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        for (qsizetype second = cut; second <= stream.size(); ++second)
            QCOMPARE(describe(parseInPieces(stream, {cut, second})), expected);
    }
}

void TestSseParser::legacyErrorFieldIsDispatched()
{
    const Events events = parseWhole(fixture("error_field_llamacpp.sse"));
    QCOMPARE(int(events.size()), 3);
    QCOMPARE(events[1].event, QByteArray("error"));
    QVERIFY(events[1].data.startsWith("{\"code\":400,\"message\":\"the request exceeds"));
    QCOMPARE(events[2].event, QByteArray());
    QVERIFY(SseParser::isDone(events[2]));
}

void TestSseParser::pendingBytesStayBounded_data()
{
    everySplitGivesSameEvents_data();
}

void TestSseParser::pendingBytesStayBounded()
{
    QFETCH(QByteArray, stream);
    // Byte by byte: what is held never exceeds what arrived since the last event was dispatched,
    // and nothing is held right after a dispatch.
    SseParser parser;
    qsizetype sinceDispatch = 0;
    qsizetype largest = 0;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        int dispatched = 0;
        parser.feed(QByteArrayView(stream).sliced(i, 1), [&dispatched](const SseEvent &) { ++dispatched; });
        ++sinceDispatch;
        if (dispatched) {
            QCOMPARE(dispatched, 1);
            QCOMPARE(parser.pendingBytes(), 0);
            sinceDispatch = 0;
        }
        QVERIFY(parser.pendingBytes() <= sinceDispatch);
        largest = qMax(largest, parser.pendingBytes());
    }
    QVERIFY(largest > 0);
    QVERIFY(largest < stream.size() || parseWhole(stream).size() <= 1);
}

void TestSseParser::longLineInSmallReads()
{
    // A 1 MiB data line arriving in 1.5 KiB reads, as a long-context reply may.
    QByteArray payload(1024 * 1024, 'x');
    for (qsizetype i = 0; i < payload.size(); i += 997)
        payload[i] = char('a' + (i % 26));
    const QByteArray stream = "data: " + payload + "\r\n\r\ndata: [DONE]\r\n\r\n";

    Events events;
    SseParser parser;
    qsizetype largest = 0;
    for (qsizetype from = 0; from < stream.size(); from += 1536) {
        parser.feed(QByteArrayView(stream).sliced(from, qMin<qsizetype>(1536, stream.size() - from)),
                    [&events](const SseEvent &e) { events.push_back(e); });
        largest = qMax(largest, parser.pendingBytes());
    }
    QCOMPARE(int(events.size()), 2);
    QVERIFY(events[0].data == payload);
    QVERIFY(SseParser::isDone(events[1]));
    // The line is held until its end arrives, in the read that also dispatches it.
    QVERIFY(largest >= payload.size() - 1536);
    QVERIFY(largest <= payload.size() + 6);
    QCOMPARE(parser.pendingBytes(), 0);
}

void TestSseParser::sinkMayKeepOrDropEvents()
{
    // One sink keeps every other event (sharing the parser's buffers), the other only looks: the
    // kept copies must not change as the parser goes on reusing its buffers.
    const QByteArray stream = fixture("vllm_chat.sse");
    const Events expected = parseWhole(stream);
    Events kept;
    QList<QByteArray> seen;
    int n = 0;
    SseParser parser;
    for (qsizetype from = 0; from < stream.size(); from += 37) {
        parser.feed(QByteArrayView(stream).sliced(from, qMin<qsizetype>(37, stream.size() - from)),
                    [&](const SseEvent &e) {
                        seen.append(QByteArray(e.data.constData(), e.data.size()));
                        if (n++ % 2 == 0)
                            kept.push_back(e);
                    });
    }
    QCOMPARE(int(seen.size()), int(expected.size()));
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(seen[qsizetype(i)], expected[i].data);
    for (size_t i = 0; i < kept.size(); ++i)
        QCOMPARE(kept[i].data, expected[2 * i].data);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
