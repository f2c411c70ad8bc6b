// The simulated server's building blocks: prompt token counting, JSON escaping, the HTTP
// request parser, the lateness histogram, the configuration and its presets.

#include "sim/fdlimit.h"
#include "sim/simconfig.h"
#include "sim/simhttp.h"
#include "sim/simlateness.h"
#include "sim/simrequest.h"
#include "sim/simtokenizer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <cmath>

using ts::sim::HttpRequest;
using ts::sim::HttpRequestParser;

class TestSimUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promptTokens_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("tokens");
        QTest::addRow("empty") << QString() << 0;
        QTest::addRow("spaces only") << QStringLiteral("  \n\t ") << 0;
        QTest::addRow("short word") << QStringLiteral("cat") << 1;
        QTest::addRow("four letters") << QStringLiteral("word") << 1;
        QTest::addRow("five letters") << QStringLiteral("words") << 2;
        QTest::addRow("hello world") << QStringLiteral("Hello, world!") << 6;
        QTest::addRow("digits") << QStringLiteral("12345678 9") << 3;
        QTest::addRow("cjk") << QStringLiteral("你好，世界") << 5;
        QTest::addRow("mixed") << QStringLiteral("GPU推理abc") << 4;
        QTest::addRow("emoji") << QStringLiteral("ok 🚀") << 2;
        QTest::addRow("symbols") << QStringLiteral("a+b=c;") << 6;
    }

    void promptTokens()
    {
        QFETCH(QString, text);
        QFETCH(int, tokens);
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(ts::sim::countPromptTokens(std::string_view(utf8.constData(), std::size_t(utf8.size()))), tokens);
    }

    void jsonEscaping()
    {
        const QByteArray raw = "a\"b\\c\nd\re\tf\x01g 中文";
        QByteArray escaped;
        ts::sim::appendJsonEscaped(escaped, raw);
        QCOMPARE(escaped, QByteArray("a\\\"b\\\\c\\nd\\re\\tf\\u0001g 中文"));
        const QJsonObject o = QJsonDocument::fromJson("{\"t\":\"" + escaped + "\"}").object();
        QCOMPARE(o.value(QLatin1String("t")).toString().toUtf8(), raw);
    }

    void vocabulary()
    {
        QVERIFY(ts::sim::vocabularySize() > 100);
        QSet<int> ids;
        bool cjk = false;
        bool ascii = false;
        for (int i = 0; i < ts::sim::vocabularySize(); ++i) {
            const auto &t = ts::sim::vocabToken(i);
            QVERIFY(!t.text.isEmpty());
            QVERIFY(!ids.contains(t.id));
            ids.insert(t.id);
            QVERIFY(QJsonDocument::fromJson("[\"" + t.jsonEscaped + "\"]").isArray());
            cjk = cjk || uchar(t.text.at(0)) >= 0x80;
            ascii = ascii || (t.text.at(0) == ' ' && t.text.size() > 1);
        }
        QVERIFY(cjk && ascii);
        // Seeded: the same seed and position give the same token, others spread out.
        QCOMPARE(ts::sim::generatedToken(42, 3).id, ts::sim::generatedToken(42, 3).id);
        QSet<int> seen;
        for (int p = 0; p < 200; ++p)
            seen.insert(ts::sim::generatedToken(7, p).id);
        QVERIFY(seen.size() > 50);
    }

    void parserPipelined()
    {
        QByteArray buffer = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                            "POST /v1/completions HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                            "GET /metr";
        HttpRequestParser parser;
        HttpRequest req;
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::Complete);
        QCOMPARE(req.method, QByteArray("GET"));
        QCOMPARE(req.path, QByteArray("/health"));
        QCOMPARE(req.header("host"), QByteArray("x"));
        QVERIFY(req.keepAlive);
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::Complete);
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.body, QByteArray("hello"));
        QVERIFY(!req.keepAlive);
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::NeedMore);
        buffer += "ics?a=b HTTP/1.0\r\n\r\n";
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::Complete);
        QCOMPARE(req.path, QByteArray("/metrics"));
        QCOMPARE(req.query, QByteArray("a=b"));
        QCOMPARE(req.minorVersion, 0);
        QVERIFY(!req.keepAlive);
        QVERIFY(buffer.isEmpty());
    }

    void parserBodyInPieces()
    {
        const QByteArray whole = "POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
        HttpRequestParser parser;
        HttpRequest req;
        QByteArray buffer;
        for (qsizetype i = 0; i < whole.size(); ++i) {
            buffer += whole.at(i);
            const auto status = parser.parse(buffer, req);
            if (i + 1 < whole.size())
                QCOMPARE(status, HttpRequestParser::Status::NeedMore);
            else
                QCOMPARE(status, HttpRequestParser::Status::Complete);
        }
        QCOMPARE(req.body, QByteArray("0123456789"));
    }

    void parserChunked()
    {
        QByteArray buffer = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6;ext=1\r\npedia \r\n";
        HttpRequestParser parser;
        HttpRequest req;
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::NeedMore);
        buffer += "0\r\nTrailer: x\r\n\r\nGET";
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::Complete);
        QCOMPARE(req.body, QByteArray("Wikipedia "));
        QCOMPARE(buffer, QByteArray("GET"));
    }

    void parserErrors_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addRow("no method") << QByteArray(" / HTTP/1.1\r\n\r\n") << 400;
        QTest::addRow("relative target") << QByteArray("GET health HTTP/1.1\r\n\r\n") << 400;
        QTest::addRow("http/2") << QByteArray("GET / HTTP/2\r\n\r\n") << 400;
        QTest::addRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nbroken\r\n\r\n") << 400;
        QTest::addRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::addRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") << 413;
        QTest::addRow("bad chunk") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::addRow("huge head") << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(70000, 'a') << 431;
        QTest::addRow("length over the limit") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n") << 413;
        QTest::addRow("chunks over the limit")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800000\r\n") + QByteArray(0x800000, 'a')
                + "\r\n800001\r\n" << 413;
        QTest::addRow("huge trailers")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ") + QByteArray(70000, 'a') << 431;
    }

    void parserErrors()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        HttpRequestParser parser;
        HttpRequest req;
        QCOMPARE(parser.parse(raw, req), HttpRequestParser::Status::Error);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorMessage().isEmpty());
    }

    // The body limit is a setting; a body at the limit is whole, one byte more is refused.
    void parserBodyLimit()
    {
        HttpRequestParser parser;
        parser.setMaxBodyBytes(4);
        HttpRequest req;
        QByteArray atLimit = "POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd";
        QCOMPARE(parser.parse(atLimit, req), HttpRequestParser::Status::Complete);
        QCOMPARE(req.body, QByteArray("abcd"));
        QByteArray chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\n";
        QCOMPARE(parser.parse(chunked, req), HttpRequestParser::Status::Error);
        QCOMPARE(parser.errorStatus(), 413);
    }

    // Chunks leave the buffer as they are decoded: the bytes wait in memory once.
    void parserChunkedConsumesAsItGoes()
    {
        HttpRequestParser parser;
        HttpRequest req;
        QByteArray buffer = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nd";
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::NeedMore);
        QVERIFY(parser.readingBody());
        QCOMPARE(buffer, QByteArray("2\r\nd"));
        buffer += "e\r\n0\r\n\r\n";
        QCOMPARE(parser.parse(buffer, req), HttpRequestParser::Status::Complete);
        QVERIFY(!parser.readingBody());
        QCOMPARE(req.body, QByteArray("abcde"));
        QVERIFY(buffer.isEmpty());
    }

    void jsonNesting_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("deeper");
        QTest::addRow("flat") << QByteArray("{\"a\":[1,2],\"b\":{}}") << false;
        QTest::addRow("3 deep") << QByteArray("{\"a\":[{\"b\":1}]}") << false;
        QTest::addRow("4 deep") << QByteArray("{\"a\":[{\"b\":[]}]}") << true;
        QTest::addRow("brackets in a string") << QByteArray("{\"a\":\"[[[[{{{{\"}") << false;
        QTest::addRow("escaped quote") << QByteArray("{\"a\":\"\\\"[[[[\", \"b\":[[1]]}") << false;
        QTest::addRow("unclosed") << QByteArray("[[[[") << true;
    }

    void jsonNesting()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, deeper);
        QCOMPARE(ts::sim::jsonNestsDeeperThan(json, 3), deeper);
    }

    void latenessHistogram()
    {
        ts::sim::LatenessHistogram h;
        QCOMPARE(h.snapshot().count, qint64(0));
        // 1000 values: 100 us .. 100 ms, evenly
        for (int i = 1; i <= 1000; ++i)
            h.record(qint64(i) * 100'000);
        h.record(-5);   // early writes count as on time
        const ts::SimLateness s = h.snapshot();
        QCOMPARE(s.count, qint64(1001));
        QCOMPARE(s.maxS, 0.1);
        QCOMPARE(s.overOneMs, qint64(990));
        QVERIFY(qAbs(s.meanS - 0.05005 * 1000.0 / 1001.0) < 1e-9);
        QVERIFY2(qAbs(s.p50S - 0.050) < 0.050 * 0.07, qPrintable(QString::number(s.p50S)));
        QVERIFY2(qAbs(s.p90S - 0.090) < 0.090 * 0.07, qPrintable(QString::number(s.p90S)));
        QVERIFY2(qAbs(s.p99S - 0.099) < 0.099 * 0.07, qPrintable(QString::number(s.p99S)));
        QVERIFY(s.p50S <= s.p90S && s.p90S <= s.p99S && s.p99S <= s.p999S && s.p999S <= s.maxS);
        h.reset();
        QCOMPARE(h.snapshot().count, qint64(0));
        QCOMPARE(h.snapshot().maxS, 0.0);
    }

    void presets()
    {
        const auto presets = ts::simPresets();
        const QStringList names = ts::simPresetNames();
        QCOMPARE(names, QStringList({QStringLiteral("fixed"), QStringLiteral("gpu-fast"), QStringLiteral("gpu-small"),
                                     QStringLiteral("cpu-small"), QStringLiteral("saturating"), QStringLiteral("classroom")}));
        for (const auto &p : presets) {
            QVERIFY(!p.description.isEmpty());
            QVERIFY2(p.config.validate().isEmpty(), qPrintable(p.name + QLatin1String(": ") + p.config.validate()));
            QVERIFY(!p.config.summary().isEmpty());
        }
        QVERIFY(names.contains(ts::defaultSimPresetName()));
        QCOMPARE(ts::simPresetConfig(QStringLiteral("fixed"))->mode, ts::SimMode::FixedLatency);
        QCOMPARE(ts::simPresetConfig(QStringLiteral("fixed"))->ttftMs, 100.0);
        QCOMPARE(ts::simPresetConfig(QStringLiteral("fixed"))->itlMs, 50.0);
        QCOMPARE(ts::simPresetConfig(QStringLiteral(" Saturating "))->maxNumSeqs, 16);
        QCOMPARE(ts::simPresetConfig(QStringLiteral("cpu-small"))->maxNumSeqs, 4);
        QCOMPARE(ts::simPresetConfig(QStringLiteral("gpu-small"))->maxNumSeqs, 64);
        QCOMPARE(ts::simPresetConfig(QStringLiteral("gpu-fast"))->maxNumSeqs, 256);
        QVERIFY(!ts::simPresetConfig(QStringLiteral("nope")));
        // The defaults are the default preset.
        const ts::SimServerConfig defaults;
        const auto fast = *ts::simPresetConfig(ts::defaultSimPresetName());
        QCOMPARE(defaults.maxNumSeqs, fast.maxNumSeqs);
        QCOMPARE(defaults.baseStepMs, fast.baseStepMs);
        QCOMPARE(defaults.kvCacheTokens, fast.kvCacheTokens);
        QCOMPARE(defaults.modelId, QStringLiteral("tokenstorm-sim"));
    }

    void modeNames()
    {
        for (const auto mode : {ts::SimMode::Batching, ts::SimMode::FixedLatency})
            QCOMPARE(ts::simModeFromName(ts::simModeName(mode)), std::optional<ts::SimMode>(mode));
        QVERIFY(!ts::simModeFromName(QStringLiteral("turbo")));
    }

    void validation_data()
    {
        QTest::addColumn<int>("field");
        QTest::addRow("empty model") << 0;
        QTest::addRow("zero seqs") << 1;
        QTest::addRow("budget below seqs") << 2;
        QTest::addRow("zero prefill") << 3;
        QTest::addRow("negative step") << 4;
        QTest::addRow("kv below context") << 5;
        QTest::addRow("eos 1") << 6;
        QTest::addRow("jitter 1") << 7;
        QTest::addRow("negative ttft") << 8;
        QTest::addRow("zero default tokens") << 9;
        QTest::addRow("zero header timeout") << 10;
        QTest::addRow("negative body timeout") << 11;
        QTest::addRow("NaN keep-alive timeout") << 12;
        QTest::addRow("tiny body limit") << 13;
    }

    void validation()
    {
        QFETCH(int, field);
        ts::SimServerConfig c;
        QVERIFY(c.validate().isEmpty());
        switch (field) {
        case 0: c.modelId = QStringLiteral(" "); break;
        case 1: c.maxNumSeqs = 0; break;
        case 2: c.maxNumBatchedTokens = c.maxNumSeqs - 1; break;
        case 3: c.prefillTokensPerSecond = 0; break;
        case 4: c.baseStepMs = -1; break;
        case 5: c.kvCacheTokens = c.maxModelLen - 1; break;
        case 6: c.eosProbability = 1.0; break;
        case 7: c.jitter = 1.0; break;
        case 8: c.mode = ts::SimMode::FixedLatency; c.ttftMs = -1; break;
        case 9: c.defaultMaxTokens = 0; break;
        case 10: c.headerTimeoutS = 0; break;
        case 11: c.bodyTimeoutS = -1; break;
        case 12: c.keepAliveTimeoutS = std::nan(""); break;
        case 13: c.maxBodyBytes = 10; break;
        }
        QVERIFY(!c.validate().isEmpty());
    }

    void fileDescriptorLimit()
    {
        const ts::FdLimitResult r = ts::raiseFileDescriptorLimit();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.after == -1 || r.after >= r.before);
        // A second call finds the limit already raised.
        const ts::FdLimitResult again = ts::raiseFileDescriptorLimit();
        QCOMPARE(again.before, r.after);
    }
};

QTEST_GUILESS_MAIN(TestSimUnits)
#include "tst_simunits.moc"
