// The tokenizer loader on a tokenizer.json the user downloaded from anywhere, and, when it
// loads, a round of encoding and decoding: a file that loads must not break later on use.

#include "fuzzsupport.h"

#include "tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    QString error;
    const auto tokenizer = ts::Tokenizer::fromJson(ts::fuzz::bytesOf(data, size).toByteArray(), &error);
    if (!tokenizer) {
        ts::fuzz::check(!error.isEmpty(), "a tokenizer refused without a reason");
        return 0;
    }
    const QString text = QStringLiteral("Hello world! 你好，世界。 <|im_start|> 123 \t\n  é");
    const std::vector<int> ids = tokenizer->encode(text);
    (void)tokenizer->decode(ids);
    (void)tokenizer->decode(ids, true);
    (void)tokenizer->countTokens(text);
    for (int id : {0, 1, tokenizer->idCount() - 1, tokenizer->idCount(), -1}) {
        (void)tokenizer->idToToken(id);
        (void)tokenizer->isSpecialToken(id);
    }
    return 0;
}
