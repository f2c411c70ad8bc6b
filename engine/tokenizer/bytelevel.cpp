#include "tokenizer/bytelevel.h"

namespace ts::tok {

const ByteLevelTable &ByteLevelTable::instance()
{
    static const ByteLevelTable table = [] {
        ByteLevelTable t;
        t.charToByte.fill(-1);
        auto printable = [](int b) {
            return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        };
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const int c = printable(b) ? b : next++;
            t.byteToChar[std::size_t(b)] = char16_t(c);
            t.charToByte[std::size_t(c)] = std::int16_t(b);
        }
        return t;
    }();
    return table;
}

bool byteLevelToBytes(QStringView token, QByteArray *bytes)
{
    const ByteLevelTable &table = ByteLevelTable::instance();
    bytes->clear();
    bytes->reserve(token.size());
    for (QChar c : token) {
        const int b = table.byteOf(c.unicode());
        if (b < 0)
            return false;
        bytes->append(char(b));
    }
    return true;
}

QString bytesToByteLevel(const QByteArray &bytes)
{
    const ByteLevelTable &table = ByteLevelTable::instance();
    QString out;
    out.reserve(bytes.size());
    for (char b : bytes)
        out.append(QChar(table.byteToChar[std::uint8_t(b)]));
    return out;
}

} // namespace ts::tok
