#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <optional>

namespace ts {

// Typed reads of one field of a server's JSON message. A field of another type reads as absent:
// nlohmann's value() would throw, ending the program, when a server sends a surprise.

inline QString jsonString(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    const auto &s = it->get_ref<const std::string &>();
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

inline std::optional<int> jsonInt(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return std::nullopt;
    // Clamped: a count like 1e90 from a misbehaving server must not overflow the int.
    return int(std::clamp(it->get<double>(), double(std::numeric_limits<int>::min()),
                          double(std::numeric_limits<int>::max())));
}

inline bool jsonTrue(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

// The object at key; nullptr when absent or not an object.
inline const nlohmann::json *jsonObject(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_object() ? &*it : nullptr;
}

// Whether a typed event (Responses, Anthropic) has this "type".
inline bool jsonTypeIs(const nlohmann::json &message, const char *type)
{
    const auto it = message.find("type");
    return it != message.end() && it->is_string() && it->get_ref<const std::string &>() == type;
}

} // namespace ts
