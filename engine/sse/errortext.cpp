#include "sse/errortext.h"

#include "sse/sseparser.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>

namespace ts {

namespace {

using json = nlohmann::json;

// Bodies are cut before they are read: an error page is never worth more, and a proxy may send
// a huge one.
constexpr qsizetype kMaxTextBodyBytes = 64 * 1024;
constexpr qsizetype kMaxJsonBodyBytes = 1024 * 1024;
// Nesting and list length an error object may have before we stop looking into it.
constexpr int kMaxJsonDepth = 6;
constexpr std::size_t kMaxListedErrors = 3;

QString fromJsonString(const json &value)
{
    const auto &s = value.get_ref<const std::string &>();
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString messageFromJson(const json &value, int depth);

// A FastAPI / pydantic validation entry: {"loc": ["body", "model"], "msg": "field required"}.
QString validationEntry(const json &entry)
{
    const QString msg = fromJsonString(entry.at("msg")).simplified();
    QStringList path;
    if (const auto loc = entry.find("loc"); loc != entry.end() && loc->is_array()) {
        for (const json &part : *loc) {
            if (part.is_string())
                path.append(fromJsonString(part));
            else if (part.is_number_integer())
                path.append(QString::number(part.get<long long>()));
        }
    }
    // "body" only says the field was in the request body, which every field of ours is.
    if (!path.isEmpty() && path.front() == QLatin1String("body"))
        path.removeFirst();
    return path.isEmpty() ? msg : path.join(u'.') + QLatin1String(": ") + msg;
}

QString messageFromObject(const json &object, int depth)
{
    if (const auto msg = object.find("msg"); msg != object.end() && msg->is_string())
        return validationEntry(object);

    // Most specific first: a nested "error" object carries the message of OpenAI and llama.cpp;
    // "type" names only a category, so it is the last resort.
    static constexpr std::array<std::string_view, 7> keys = {
        "error", "message", "detail", "error_message", "errors", "error_type", "type"};
    for (const std::string_view key : keys) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null())
            continue;
        if ((key == "error_type" || key == "type") && !it->is_string())
            continue;
        QString text = messageFromJson(*it, depth + 1);
        if (!text.isEmpty())
            return text;
    }
    return {};
}

QString messageFromJson(const json &value, int depth)
{
    if (depth > kMaxJsonDepth)
        return {};
    switch (value.type()) {
    case json::value_t::string:
        return fromJsonString(value).simplified();
    case json::value_t::object:
        return messageFromObject(value, depth);
    case json::value_t::array: {
        QStringList parts;
        for (std::size_t i = 0; i < value.size() && i < kMaxListedErrors; ++i) {
            QString part = messageFromJson(value[i], depth + 1);
            if (!part.isEmpty())
                parts.append(part);
        }
        if (value.size() > kMaxListedErrors && !parts.isEmpty())
            parts.append(QStringLiteral("…"));
        return parts.join(QLatin1String("; "));
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return QString::fromStdString(value.dump());
    default:
        return {};
    }
}

// The few entities error pages use, and numeric references.
QString decodeHtmlEntities(const QString &text)
{
    if (!text.contains(u'&'))
        return text;
    static const QRegularExpression entity(QStringLiteral("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});"));
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = entity.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).sliced(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const QString name = m.captured(1);
        if (name.startsWith(u'#')) {
            bool ok = false;
            const bool hex = name.size() > 1 && (name.at(1) == u'x' || name.at(1) == u'X');
            const uint code = hex ? QStringView(name).sliced(2).toUInt(&ok, 16)
                                  : QStringView(name).sliced(1).toUInt(&ok, 10);
            if (ok && code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF)) {
                const char32_t c = code;
                out += QString::fromUcs4(&c, 1);
            } else {
                out += m.captured(0);
            }
        } else if (name == QLatin1String("amp")) {
            out += u'&';
        } else if (name == QLatin1String("lt")) {
            out += u'<';
        } else if (name == QLatin1String("gt")) {
            out += u'>';
        } else if (name == QLatin1String("quot")) {
            out += u'"';
        } else if (name == QLatin1String("apos")) {
            out += u'\'';
        } else if (name == QLatin1String("nbsp")) {
            out += u' ';
        } else {
            out += m.captured(0);
        }
    }
    out += QStringView(text).sliced(last);
    return out;
}

QString textFromHtml(const QString &html)
{
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title\\s*>"),
                                          QRegularExpression::CaseInsensitiveOption
                                              | QRegularExpression::DotMatchesEverythingOption);
    if (const auto m = title.match(html); m.hasMatch()) {
        QString text = decodeHtmlEntities(m.captured(1)).simplified();
        if (!text.isEmpty())
            return text;
    }
    // No title: the page's text, without what is never shown (scripts, styles, comments, head).
    static const QRegularExpression hidden(
        QStringLiteral("<!--.*?-->|<(script|style|head)\\b[^>]*>.*?</\\1\\s*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    QString text = html;
    text.remove(hidden);
    text.replace(tag, QStringLiteral(" "));
    return decodeHtmlEntities(text).simplified();
}

bool looksLikeHtml(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.contains("html"))
        return true;
    const QByteArray start = body.left(512).trimmed().toLower();
    return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head")
        || start.startsWith("<body") || start.startsWith("<title");
}

bool looksLikeJson(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.contains("json"))
        return true;
    const QByteArray start = body.left(64).trimmed();
    return start.startsWith('{') || start.startsWith('[');
}

// The readable message inside a body, or empty when there is none.
QString messageFromBody(const QByteArray &body, const QByteArray &contentType)
{
    const QByteArray type = contentType.toLower();
    if (looksLikeJson(body, type) && body.size() <= kMaxJsonBodyBytes) {
        try {
            const json parsed = json::parse(body.constBegin(), body.constEnd(), nullptr, false);
            if (!parsed.is_discarded()) {
                QString text = messageFromJson(parsed, 0);
                // "{}" says nothing; any other JSON without a known message is shown as it came.
                if (!text.isEmpty() || parsed.empty())
                    return text;
            }
        } catch (const json::exception &) {
            // Not the JSON it claimed to be: read it as text below.
        }
    }
    const QString text = QString::fromUtf8(body.left(kMaxTextBodyBytes));
    if (looksLikeHtml(body, type))
        return textFromHtml(text);
    return text.simplified();
}

// Cuts to `limit` characters with an ellipsis, never inside a surrogate pair.
QString capped(QString text, qsizetype limit)
{
    if (text.size() <= limit)
        return text;
    qsizetype cut = qMax<qsizetype>(limit - 1, 0);
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut;
    text.truncate(cut);
    return text + u'…';
}

QString genericStreamError()
{
    return QCoreApplication::translate("ts::ErrorText", "The server reported an error in the stream.");
}

} // namespace

QString httpReasonPhrase(int httpStatus)
{
    struct Phrase
    {
        int status;
        const char *text;
    };
    static constexpr Phrase phrases[] = {
        {400, QT_TRANSLATE_NOOP("ts::ErrorText", "Bad Request")},
        {401, QT_TRANSLATE_NOOP("ts::ErrorText", "Unauthorized")},
        {402, QT_TRANSLATE_NOOP("ts::ErrorText", "Payment Required")},
        {403, QT_TRANSLATE_NOOP("ts::ErrorText", "Forbidden")},
        {404, QT_TRANSLATE_NOOP("ts::ErrorText", "Not Found")},
        {405, QT_TRANSLATE_NOOP("ts::ErrorText", "Method Not Allowed")},
        {406, QT_TRANSLATE_NOOP("ts::ErrorText", "Not Acceptable")},
        {407, QT_TRANSLATE_NOOP("ts::ErrorText", "Proxy Authentication Required")},
        {408, QT_TRANSLATE_NOOP("ts::ErrorText", "Request Timeout")},
        {409, QT_TRANSLATE_NOOP("ts::ErrorText", "Conflict")},
        {410, QT_TRANSLATE_NOOP("ts::ErrorText", "Gone")},
        {411, QT_TRANSLATE_NOOP("ts::ErrorText", "Length Required")},
        {413, QT_TRANSLATE_NOOP("ts::ErrorText", "Payload Too Large")},
        {414, QT_TRANSLATE_NOOP("ts::ErrorText", "URI Too Long")},
        {415, QT_TRANSLATE_NOOP("ts::ErrorText", "Unsupported Media Type")},
        {421, QT_TRANSLATE_NOOP("ts::ErrorText", "Misdirected Request")},
        {422, QT_TRANSLATE_NOOP("ts::ErrorText", "Unprocessable Entity")},
        {424, QT_TRANSLATE_NOOP("ts::ErrorText", "Failed Dependency")},
        {425, QT_TRANSLATE_NOOP("ts::ErrorText", "Too Early")},
        {426, QT_TRANSLATE_NOOP("ts::ErrorText", "Upgrade Required")},
        {429, QT_TRANSLATE_NOOP("ts::ErrorText", "Too Many Requests")},
        {431, QT_TRANSLATE_NOOP("ts::ErrorText", "Request Header Fields Too Large")},
        {499, QT_TRANSLATE_NOOP("ts::ErrorText", "Client Closed Request")},
        {500, QT_TRANSLATE_NOOP("ts::ErrorText", "Internal Server Error")},
        {501, QT_TRANSLATE_NOOP("ts::ErrorText", "Not Implemented")},
        {502, QT_TRANSLATE_NOOP("ts::ErrorText", "Bad Gateway")},
        {503, QT_TRANSLATE_NOOP("ts::ErrorText", "Service Unavailable")},
        {504, QT_TRANSLATE_NOOP("ts::ErrorText", "Gateway Timeout")},
        {505, QT_TRANSLATE_NOOP("ts::ErrorText", "HTTP Version Not Supported")},
        {507, QT_TRANSLATE_NOOP("ts::ErrorText", "Insufficient Storage")},
    };
    for (const Phrase &p : phrases) {
        if (p.status == httpStatus)
            return QCoreApplication::translate("ts::ErrorText", p.text);
    }
    return {};
}

QString errorTextFromBody(int httpStatus, const QByteArray &body, const QByteArray &contentType)
{
    QString message = messageFromBody(body, contentType);

    if (httpStatus <= 0) {
        if (message.isEmpty())
            return QCoreApplication::translate("ts::ErrorText", "The server sent no details.");
        return capped(message, kMaxErrorTextLength);
    }

    // Pages like nginx's say "502 Bad Gateway"; the status is in our prefix already.
    const QString statusText = QString::number(httpStatus);
    if (message.startsWith(statusText) && message.size() > statusText.size()
        && message.at(statusText.size()) == u' ') {
        message = message.sliced(statusText.size() + 1).trimmed();
    }

    if (message.isEmpty()) {
        const QString reason = httpReasonPhrase(httpStatus);
        if (reason.isEmpty())
            return QCoreApplication::translate("ts::ErrorText", "HTTP %1").arg(statusText);
        return QCoreApplication::translate("ts::ErrorText", "HTTP %1 %2").arg(statusText, reason);
    }
    return capped(QCoreApplication::translate("ts::ErrorText", "HTTP %1: %2").arg(statusText, message),
                  kMaxErrorTextLength);
}

std::optional<QString> streamErrorMessage(const nlohmann::json &message)
{
    if (!message.is_object())
        return std::nullopt;
    try {
        if (const auto error = message.find("error"); error != message.end()) {
            if (error->is_null() || (error->is_boolean() && !error->get<bool>())
                || (error->is_string() && error->get_ref<const std::string &>().empty())) {
                return std::nullopt;
            }
            QString text = messageFromJson(*error, 0);
            if (text.isEmpty() && !error->is_boolean())
                text = QString::fromStdString(error->dump(-1, ' ', false, json::error_handler_t::replace)).simplified();
            if (text.isEmpty() || text == QLatin1String("{}"))
                text = genericStreamError();
            return capped(text, kMaxErrorTextLength);
        }
        if (const auto object = message.find("object");
            object != message.end() && object->is_string() && object->get_ref<const std::string &>() == "error") {
            QString text = messageFromObject(message, 0);
            return capped(text.isEmpty() ? genericStreamError() : text, kMaxErrorTextLength);
        }
    } catch (const json::exception &) {
        return genericStreamError();
    }
    return std::nullopt;
}

std::optional<QString> streamErrorMessage(const SseEvent &event, const nlohmann::json &payload)
{
    if (event.event != QByteArrayView("error"))
        return streamErrorMessage(payload);
    QString text;
    try {
        if (!payload.is_discarded())
            text = messageFromJson(payload, 0);
    } catch (const json::exception &) {
        text.clear();
    }
    if (text.isEmpty())
        text = QString::fromUtf8(event.data.left(kMaxTextBodyBytes)).simplified();
    if (text.isEmpty())
        text = genericStreamError();
    return capped(text, kMaxErrorTextLength);
}

} // namespace ts
