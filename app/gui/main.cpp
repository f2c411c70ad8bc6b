#include "compare/comparewindow.h"
#include "i18n.h"
#include "mainwindow.h"
#include "recovery/recoveryoffer.h"
#include "settings.h"
#include "sim/fdlimit.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenstorm"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenstorm"));
    QApplication::setOrganizationName(QStringLiteral("Tokenstorm"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENSTORM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(TOKENSTORM_APP_ID));
    // Hundreds of concurrent streams need as many sockets.
    ts::raiseFileDescriptorLimit();

    ts::Settings settings;
    const QString language = settings.stringValue(ts::Settings::Key::Language);
    ts::i18n::installTranslators(language.isEmpty() ? QLocale::system() : QLocale(language));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("ts::Main", "Load testing for LLM inference servers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QApplication::translate("ts::Main", "Start with the built-in demo server switched on."));
    parser.addOption(demo);
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QApplication::translate("ts::Main", "Result files to open: one is shown in the main window, two or more are compared."),
                                 QStringLiteral("[files...]"));
    parser.process(app);
    if (parser.isSet(demo))
        settings.set(ts::Settings::Key::DemoServerEnabled, true);

    ts::MainWindow window(&settings);
    window.show();
    const QStringList files = parser.positionalArguments();
    if (files.size() == 1)
        window.openResult(files.first());
    else if (files.size() > 1)
        window.showCompareWindow()->addFiles(files);
    // Once the window is up, so the offer shows over it.
    QTimer::singleShot(0, &window, [&window] { ts::offerRunRecovery(&window); });
    return app.exec();
}
