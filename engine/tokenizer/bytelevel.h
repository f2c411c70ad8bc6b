#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <array>

namespace ts::tok {

// GPT-2's reversible byte <-> printable character table, which byte-level BPE vocabularies are
// spelled in: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards.
struct ByteLevelTable
{
    std::array<char16_t, 256> byteToChar {};
    std::array<std::int16_t, 324> charToByte {};   // indexed by code point < 324, -1 = none

    static const ByteLevelTable &instance();

    int byteOf(char32_t c) const { return c < charToByte.size() ? charToByte[c] : -1; }
};

// The raw bytes a byte-level token string stands for; false when a character is outside the table.
bool byteLevelToBytes(QStringView token, QByteArray *bytes);

// The byte-level spelling of raw bytes.
QString bytesToByteLevel(const QByteArray &bytes);

} // namespace ts::tok
