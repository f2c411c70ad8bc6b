#include "render/palette.h"

namespace ts::palette {

QColor queueWait() { return QColor(0xb0, 0xb0, 0xb0); }
QColor firstTokenWait() { return QColor(0xf2, 0xa5, 0x3c); }
QColor decode() { return QColor(0x4c, 0x8b, 0xd6); }
QColor itlFast() { return QColor(0x3c, 0xa0, 0x5a); }
QColor itlMedium() { return QColor(0xe0, 0xc0, 0x30); }
QColor itlSlow() { return QColor(0xd6, 0x3c, 0x3c); }
QColor failed() { return QColor(0xa0, 0x1e, 0x1e); }
QColor inFlight() { return QColor(0x55, 0x55, 0x88); }
QColor highlight() { return QColor(0x8e, 0x2c, 0xc8); }
QColor reasoning() { return QColor(0x2a, 0x9d, 0xa8); }

QColor itlColor(double gapMs, double mediumFromMs, double slowFromMs)
{
    if (gapMs >= slowFromMs)
        return itlSlow();
    if (gapMs >= mediumFromMs)
        return itlMedium();
    return itlFast();
}

} // namespace ts::palette
