#pragma once

#include <QFont>

namespace ts {

// The smaller text of the anatomy's drawings (gap labels, token counts, bracket labels).
inline QFont anatomySmallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    return f;
}

} // namespace ts
