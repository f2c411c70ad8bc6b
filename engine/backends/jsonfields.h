#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <optional>

namespace ts::jsonfields {

// Lenient readers for the fields of a streamed message: a field of the wrong type reads as
// absent, since one odd message must not end the program (nlohmann's value() throws).

inline QString stringAt(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    const auto &s = it->get_ref<const std::string &>();
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

inline const nlohmann::json *objectAt(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_object() ? &*it : nullptr;
}

inline std::optional<int> intAt(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return std::nullopt;
    // Clamped: a count like 1e90 from a misbehaving server must not overflow the int.
    return int(std::clamp(it->get<double>(), double(std::numeric_limits<int>::min()),
                          double(std::numeric_limits<int>::max())));
}

inline bool typeIs(const nlohmann::json &message, const char *type)
{
    const auto it = message.find("type");
    return it != message.end() && it->is_string() && it->get_ref<const std::string &>() == type;
}

} // namespace ts::jsonfields
