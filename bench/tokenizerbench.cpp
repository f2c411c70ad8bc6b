// Tokenizer throughput: encodes a mixed corpus (English, Chinese, code, numbers, emoji,
// whitespace runs) on one thread and prints MB/s of UTF-8 input.
//
//   tokenstorm-tokenizer-bench TOKENIZER [TEXT_FILE] [--mb N]
//
// Without TEXT_FILE the text is generated from tests/data/tokenizer/corpus.jsonl by shuffling
// its words (up to 40 characters) with a fixed seed: English, Chinese, code, numbers, emoji and
// whitespace runs, in a different order every line.

#include "tokenizer/tokenizer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <cstdio>
#include <random>

namespace {

QString generatedText(qsizetype targetBytes)
{
    QFile corpus(QStringLiteral(TOKENSTORM_SOURCE_DIR "/tests/data/tokenizer/corpus.jsonl"));
    if (!corpus.open(QIODevice::ReadOnly))
        return {};
    QStringList words;
    const QList<QByteArray> lines = corpus.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        // Each line is a JSON string; wrap it to parse it with Qt's reader.
        const QString text = QJsonDocument::fromJson('[' + line + ']').array().at(0).toString();
        QString word;
        for (QChar c : text) {
            word += c;
            if (c.isSpace()) {
                words.append(word);
                word.clear();
            }
        }
        if (!word.isEmpty())
            words.append(word);
    }
    // The corpus's stress lines (hundreds of the same letter) are single "words"; repeated
    // thousands of times they would stand for a text no one sends.
    words.removeIf([](const QString &w) { return w.size() > 40; });
    std::mt19937 rng(42);
    std::uniform_int_distribution<qsizetype> pick(0, words.size() - 1);
    QString text;
    qsizetype bytes = 0;
    while (bytes < targetBytes) {
        const QString &w = words.at(pick(rng));
        text += w;
        bytes += w.toUtf8().size();
    }
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    args.removeFirst();
    double megabytes = 8.0;
    const qsizetype mbIndex = args.indexOf(QStringLiteral("--mb"));
    if (mbIndex >= 0 && mbIndex + 1 < args.size()) {
        megabytes = args.at(mbIndex + 1).toDouble();
        args.remove(mbIndex, 2);
    }
    if (args.isEmpty()) {
        std::fprintf(stderr, "usage: tokenstorm-tokenizer-bench TOKENIZER [TEXT_FILE] [--mb N]\n");
        return 2;
    }
    QElapsedTimer timer;
    timer.start();
    QString error;
    const auto tokenizer = ts::Tokenizer::load(args.at(0), &error);
    if (!tokenizer) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const double loadS = timer.nsecsElapsed() / 1e9;

    QString text;
    if (args.size() > 1) {
        QFile file(args.at(1));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(args.at(1)));
            return 1;
        }
        text = QString::fromUtf8(file.readAll());
    } else {
        text = generatedText(qsizetype(megabytes * 1024 * 1024));
    }
    // Encode line-sized chunks, as prompts and streamed outputs are.
    QList<QStringView> chunks;
    for (qsizetype start = 0; start < text.size(); start += 2048)
        chunks.append(QStringView(text).mid(start, 2048));
    const double mb = text.toUtf8().size() / (1024.0 * 1024.0);

    timer.restart();
    qint64 tokens = 0;
    for (QStringView chunk : chunks)
        tokens += tokenizer->countTokens(chunk);
    const double seconds = timer.nsecsElapsed() / 1e9;
    std::printf("load %.2f s; encoded %.2f MB into %lld tokens in %.3f s: %.2f MB/s, %.0f tokens/s\n",
                loadS, mb, static_cast<long long>(tokens), seconds, mb / seconds, tokens / seconds);
    return 0;
}
