#pragma once

#include <QMetaType>
#include <QString>

namespace ts {

// The outcome of "test connection" or "fetch models" as facts, so the sentence shown for it
// can be written again in another language.
struct ConnectionReport
{
    enum Kind { None, Failed, Answered, ModelsListed };
    Kind kind = None;
    QString error;          // Failed: already translated by whoever found it
    QString url;            // Answered
    QString model;
    double ttftMs = 0.0;
    double latencyMs = 0.0;
    int outputTokens = 0;
    int modelCount = 0;     // ModelsListed

    bool ok() const { return kind == Answered || kind == ModelsListed; }
};

} // namespace ts

Q_DECLARE_METATYPE(ts::ConnectionReport)
