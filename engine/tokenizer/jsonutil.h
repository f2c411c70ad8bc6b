#pragma once

#include <QString>
#include <QStringDecoder>

#include <nlohmann/json.hpp>

#include <string_view>

namespace ts::tok {

// UTF-8 to QString keeping a leading U+FEFF, which QString::fromUtf8 drops: tokenizers have
// a token for it.
inline QString fromUtf8Exact(std::string_view utf8)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(QByteArrayView(utf8.data(), qsizetype(utf8.size())));
}

// Small readers over nlohmann::json that never throw: a missing key or a value of another type
// gives the fallback.
inline QString jsonString(const nlohmann::json &object, const char *key, const QString &fallback = {})
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return fromUtf8Exact(it->get_ref<const std::string &>());
}

inline bool jsonBool(const nlohmann::json &object, const char *key, bool fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

inline long long jsonInt(const nlohmann::json &object, const char *key, long long fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

inline const nlohmann::json &jsonMember(const nlohmann::json &object, const char *key)
{
    static const nlohmann::json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

// The type tag of a component ("type": "BPE", "NFC"...).
inline QString jsonType(const nlohmann::json &object)
{
    return jsonString(object, "type");
}

} // namespace ts::tok
