#pragma once

#include "i18n.h"
#include "mainwindow.h"

#include <QSize>
#include <QTest>

#include <memory>

namespace ts::test {

// The main window as the window tests drive it: English, no modal dialogs (errors go to the
// fileError signal), shown and exposed. Null when the window never became exposed.
inline std::unique_ptr<MainWindow> showMainWindow(Settings *settings, QSize size = QSize(1400, 900))
{
    i18n::installTranslators(QLocale(QLocale::English));
    auto window = std::make_unique<MainWindow>(settings);
    window->setProperty("noDialogs", true);
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

} // namespace ts::test
