#include "sse/utf8validator.h"

namespace ts {

// The decoder of the WHATWG Encoding Standard, without the decoding: the narrowed ranges after
// E0, ED, F0 and F4 rule out overlong forms, surrogates and code points above U+10FFFF.
qsizetype Utf8Validator::feed(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char b = p[i];
        if (m_needed == 0) {
            if (b < 0x80)
                continue;
            if (b >= 0xC2 && b <= 0xDF) {
                m_needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0)
                    m_lower = 0xA0;
                else if (b == 0xED)
                    m_upper = 0x9F;
                m_needed = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0)
                    m_lower = 0x90;
                else if (b == 0xF4)
                    m_upper = 0x8F;
                m_needed = 3;
            } else {
                return i;
            }
            continue;
        }
        const bool inRange = b >= m_lower && b <= m_upper;
        m_lower = 0x80;
        m_upper = 0xBF;
        if (!inRange) {
            m_needed = 0;
            return i;
        }
        --m_needed;
    }
    return -1;
}

} // namespace ts
