#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace ts::i18n {

namespace {

struct Installed
{
    std::unique_ptr<QTranslator> qt;
    std::unique_ptr<QTranslator> app;
    QString language = QStringLiteral("en");
};

Installed &installed()
{
    static Installed state;
    return state;
}

void remove(std::unique_ptr<QTranslator> &translator)
{
    if (translator) {
        QCoreApplication::removeTranslator(translator.get());
        translator.reset();
    }
}

} // namespace

QStringList availableLanguages()
{
    return { QStringLiteral("en"), QStringLiteral("zh_CN") };
}

QString nativeLanguageName(const QString &language)
{
    if (language == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

QString bestLanguage(const QLocale &locale)
{
    return locale.language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
}

QString installTranslators(const QLocale &locale)
{
    Installed &state = installed();
    remove(state.qt);
    remove(state.app);

    const QString language = bestLanguage(locale);
    const QLocale chosen(language);
    QLocale::setDefault(chosen);

    // Qt's own strings (standard buttons, context menus of line edits) come from the Qt
    // installation; English needs none.
    if (language != QLatin1String("en")) {
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(chosen, QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt.get());
            state.qt = std::move(qt);
        }
    }
    auto app = std::make_unique<QTranslator>();
    if (app->load(QStringLiteral(":/i18n/tokenstorm_") + language + QStringLiteral(".qm"))) {
        QCoreApplication::installTranslator(app.get());
        state.app = std::move(app);
    }
    state.language = language;
    return language;
}

QString currentLanguage()
{
    return installed().language;
}

} // namespace ts::i18n
