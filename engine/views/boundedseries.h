#pragma once

#include <QList>
#include <QPointF>

namespace ts {

// A point buffer that never grows past its capacity: when full it drops every second point
// and from then on keeps only every second (fourth, ...) new one. The shape of a long run
// stays visible while a chart's repaint cost stays bounded.
class BoundedSeries
{
public:
    explicit BoundedSeries(int capacity = 1000)
        : m_capacity(std::max(2, capacity))
    {
    }

    void append(QPointF point)
    {
        if (m_seen++ % m_stride != 0)
            return;
        m_points.append(point);
        if (m_points.size() > m_capacity) {
            QList<QPointF> kept;
            kept.reserve(m_points.size() / 2 + 1);
            for (qsizetype i = 0; i < m_points.size(); i += 2)
                kept.append(m_points.at(i));
            m_points = std::move(kept);
            m_stride *= 2;
        }
    }

    void clear()
    {
        m_points.clear();
        m_seen = 0;
        m_stride = 1;
    }

    const QList<QPointF> &points() const { return m_points; }
    int capacity() const { return m_capacity; }
    qsizetype size() const { return m_points.size(); }
    bool isEmpty() const { return m_points.isEmpty(); }

private:
    QList<QPointF> m_points;
    int m_capacity;
    qint64 m_seen = 0;
    qint64 m_stride = 1;
};

} // namespace ts
