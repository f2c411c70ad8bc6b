#pragma once

#include <QString>

#include <optional>

namespace ts {

// What transformers' apply_chat_template([{"role": "user", "content": content}],
// add_generation_prompt=True, tokenize=False) gives, for the chat template families of the
// models Tokenstorm knows (ChatML: Qwen2/2.5/3; Llama 3 and 3.1+; DeepSeek-V3/R1; [INST]:
// Llama 2, Mistral). The family is recognised from the template's text (tokenizer_config.json);
// nullopt for a template of another family, which callers then treat as plain text.
// `today` is "%d %b %Y" for templates that print the current date (Llama 3.2+).
std::optional<QString> renderSingleUserPrompt(const QString &chatTemplate, const QString &bosToken,
                                              const QString &content, const QString &today = {});

} // namespace ts
