#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

namespace ts::i18n {

// The languages Tokenstorm ships, as locale names: "en", "zh_CN".
QStringList availableLanguages();

// The name of a shipped language in that language ("English", "简体中文"), for menus that
// must be readable whatever language is active.
QString nativeLanguageName(const QString &language);

// The shipped language that fits locale best: any Chinese locale gives "zh_CN", anything
// else "en" (the source language).
QString bestLanguage(const QLocale &locale);

// Replaces the installed translators (Qt's own and ours) with those for the shipped language
// closest to locale, and makes it the default locale. Every widget then receives
// QEvent::LanguageChange. Returns the language now active. Call from the main thread.
QString installTranslators(const QLocale &locale);

// The language installTranslators() last activated ("en" before the first call).
QString currentLanguage();

} // namespace ts::i18n
