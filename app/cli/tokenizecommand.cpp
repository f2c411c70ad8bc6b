#include "commands.h"

#include "tokenizer/tokenizer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QStringDecoder>

#include <cstdio>

namespace ts::cli {

namespace {

QString translate(const char *text)
{
    return QCoreApplication::translate("ts::cli::Tokenize", text);
}

void appendLine(QByteArray &out, const std::vector<int> &ids, bool countOnly)
{
    if (countOnly) {
        out += QByteArray::number(qulonglong(ids.size()));
    } else {
        out += '[';
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i)
                out += ',';
            out += QByteArray::number(ids[i]);
        }
        out += ']';
    }
    out += '\n';
}

} // namespace

int tokenizeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        translate("Print the token ids of each input line as a JSON array, one output line per input line."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("tokenizer"), translate("A tokenizer.json file or a model folder holding one."), QStringLiteral("PATH") });
    parser.addOption({ QStringLiteral("text"), translate("The text to encode."), QStringLiteral("TEXT") });
    parser.addOption({ QStringLiteral("file"), translate("A UTF-8 text file to encode line by line (- reads standard input)."), QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("count"), translate("Print only the number of tokens of each line.") });
    parser.addOption({ QStringLiteral("no-special-tokens"), translate("Do not add the tokenizer's special tokens (such as BOS).") });

    if (const std::optional<int> done = parseCommandLine(parser, arguments))
        return *done;
    if (!parser.positionalArguments().isEmpty()) {
        printError(translate("Unexpected argument “%1”.").arg(parser.positionalArguments().constFirst()));
        return 2;
    }
    if (!parser.isSet(QStringLiteral("tokenizer"))) {
        printError(translate("--tokenizer is required."));
        return 2;
    }
    const bool hasText = parser.isSet(QStringLiteral("text"));
    const bool hasFile = parser.isSet(QStringLiteral("file"));
    if (hasText == hasFile) {
        printError(translate("Give either --text or --file."));
        return 2;
    }

    QString error;
    const auto tokenizer = Tokenizer::load(parser.value(QStringLiteral("tokenizer")), &error);
    if (!tokenizer) {
        printError(error);
        return 1;
    }

    QString input;
    if (hasText) {
        input = parser.value(QStringLiteral("text"));
    } else {
        const QString path = parser.value(QStringLiteral("file"));
        QFile file;
        const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                        : (file.setFileName(path), file.open(QIODevice::ReadOnly));
        if (!opened) {
            printError(translate("Cannot read %1: %2.").arg(path, file.errorString()));
            return 1;
        }
        // Keep a leading U+FEFF as text, as the reference library sees it.
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
        input = decoder.decode(file.readAll());
    }

    const bool countOnly = parser.isSet(QStringLiteral("count"));
    const bool addSpecial = !parser.isSet(QStringLiteral("no-special-tokens"));
    // A final line break ends the last line rather than starting an empty one; "\r\n" counts as
    // one break, as in a text-mode read.
    QStringView rest(input);
    if (rest.endsWith(u'\n'))
        rest.chop(1);
    QByteArray out;
    qsizetype start = 0;
    while (start <= rest.size()) {
        qsizetype end = rest.indexOf(u'\n', start);
        if (end < 0)
            end = rest.size();
        QStringView line = rest.mid(start, end - start);
        if (line.endsWith(u'\r'))
            line.chop(1);
        appendLine(out, tokenizer->encode(line, addSpecial), countOnly);
        if (out.size() > (1 << 20)) {
            std::fwrite(out.constData(), 1, std::size_t(out.size()), stdout);
            out.clear();
        }
        start = end + 1;
        if (interruptRequested())
            return 130;
    }
    std::fwrite(out.constData(), 1, std::size_t(out.size()), stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace ts::cli
