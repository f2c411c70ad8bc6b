#include "datasets/chattemplate.h"

#include <QDate>
#include <QLocale>

namespace ts {

namespace {

QString todayString(const QString &today)
{
    if (!today.isEmpty())
        return today;
    return QLocale::c().toString(QDate::currentDate(), QStringLiteral("dd MMM yyyy"));
}

// Python's str.strip() / Jinja's trim: Unicode whitespace on both ends.
QString stripped(const QString &text)
{
    return text.trimmed();
}

} // namespace

std::optional<QString> renderSingleUserPrompt(const QString &chatTemplate, const QString &bosToken,
                                              const QString &content, const QString &today)
{
    const QString &t = chatTemplate;
    if (t.isEmpty())
        return std::nullopt;

    if (t.contains(QLatin1String("<|im_start|>"))) {
        QString out;
        // Qwen2.5 and Qwen2 add a system message when the conversation has none.
        const QLatin1String qwen25("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.");
        if (t.contains(qwen25))
            out += QLatin1String("<|im_start|>system\n") + qwen25 + QLatin1String("<|im_end|>\n");
        else if (t.contains(QLatin1String("system\\nYou are a helpful assistant.")) || t.contains(QLatin1String("system\nYou are a helpful assistant.")))
            out += QLatin1String("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n");
        out += QLatin1String("<|im_start|>user\n") + content + QLatin1String("<|im_end|>\n<|im_start|>assistant\n");
        return out;
    }

    if (t.contains(QLatin1String("<|start_header_id|>"))) {
        QString out = bosToken;
        if (t.contains(QLatin1String("Cutting Knowledge Date"))) {
            // Llama 3.1 pins the date; 3.2 and later print today's.
            const QString date = t.contains(QLatin1String("strftime_now")) ? todayString(today) : QStringLiteral("26 Jul 2024");
            out += QLatin1String("<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: ")
                + date + QLatin1String("\n\n<|eot_id|>");
        }
        out += QLatin1String("<|start_header_id|>user<|end_header_id|>\n\n") + stripped(content)
            + QLatin1String("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        return out;
    }

    if (t.contains(QStringLiteral("<\uFF5CUser\uFF5C>"))) {
        QString out = bosToken + QStringLiteral("<\uFF5CUser\uFF5C>") + content + QStringLiteral("<\uFF5CAssistant\uFF5C>");
        // DeepSeek-R1 opens the reasoning block in the generation prompt.
        if (t.contains(QStringLiteral("<\uFF5CAssistant\uFF5C><think>\\n")) || t.contains(QStringLiteral("<\uFF5CAssistant\uFF5C><think>\n")))
            out += QLatin1String("<think>\n");
        return out;
    }

    if (t.contains(QLatin1String("[INST]"))) {
        if (t.contains(QLatin1String("<<SYS>>")) || t.contains(QLatin1String("content'].strip() + ' [/INST]'"))
            || t.contains(QLatin1String("content.strip() + ' [/INST]'")))
            return bosToken + QLatin1String("[INST] ") + stripped(content) + QLatin1String(" [/INST]");
        if (t.contains(QLatin1String("' [/INST]'")))
            return bosToken + QLatin1String("[INST] ") + content + QLatin1String(" [/INST]");
        return bosToken + QLatin1String("[INST] ") + content + QLatin1String("[/INST]");
    }
    return std::nullopt;
}

} // namespace ts
