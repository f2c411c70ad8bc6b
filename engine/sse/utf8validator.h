#pragma once

#include <QByteArrayView>

namespace ts {

// Checks a byte stream for well-formed UTF-8 as it arrives, a character may be split between
// two reads. A stream message that is not UTF-8 would otherwise only show as JSON that does not
// parse, with no word of where the bad byte was.
class Utf8Validator
{
public:
    // Position in bytes of the first byte that cannot be part of well-formed UTF-8 (an
    // unexpected continuation byte, a lead byte that is never valid, an overlong form, a
    // surrogate, a code point above U+10FFFF, or a character cut short), or -1 when all are fine.
    // After an error, the state is that of the start of a character again.
    qsizetype feed(QByteArrayView bytes);

    // No character is half read.
    bool atCharacterBoundary() const { return m_needed == 0; }

private:
    int m_needed = 0;              // continuation bytes still to come
    unsigned char m_lower = 0x80;  // range of the next continuation byte
    unsigned char m_upper = 0xBF;
};

} // namespace ts
