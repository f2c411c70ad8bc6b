#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json_fwd.hpp>

#include <optional>

namespace ts {

struct SseEvent;

// Longest text these helpers return; a server's traceback is cut, not shown whole.
inline constexpr qsizetype kMaxErrorTextLength = 300;

// The standard reason phrase of an HTTP status ("Service Unavailable"), translated; empty when the
// status is not a common one.
QString httpReasonPhrase(int httpStatus);

// One readable sentence for a failed HTTP reply, e.g. "HTTP 404: model 'x' not found".
// Understands the JSON error shapes of OpenAI, vLLM, FastAPI (detail as a string or as a list of
// {loc, msg}), TGI ({"error", "error_type"}) and llama.cpp ({"error": {code, message, type}}),
// HTML pages (their title, else their text) and plain text. Without a readable body, the status
// and its reason phrase alone ("HTTP 503 Service Unavailable"); with httpStatus 0 (no HTTP reply),
// the message alone. At most kMaxErrorTextLength characters.
QString errorTextFromBody(int httpStatus, const QByteArray &body, const QByteArray &contentType);

// The message of an error object sent inside a stream that began with HTTP 200:
// {"error": {"message": ...}}, {"error": "..."}, TGI's {"error": "...", "error_type": "..."} or
// vLLM's older {"object": "error", "message": ...}. nullopt for an ordinary message (also for
// "error": null).
std::optional<QString> streamErrorMessage(const nlohmann::json &message);

// As above, but also for events the stream itself marks as errors ("event: error", or the
// "error:" line of older llama.cpp servers, see SseParser): then the whole payload is the error,
// and `payload` may be discarded JSON (the event's text is used instead).
std::optional<QString> streamErrorMessage(const SseEvent &event, const nlohmann::json &payload);

} // namespace ts
