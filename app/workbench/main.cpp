// SENA Workbench: the desktop application.
#include "MainWindow.h"
#include "ScreenshotRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QTranslator>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SENA Workbench"));
    QApplication::setOrganizationName(QStringLiteral("SENA"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    // The app's strings and Qt's own (dialog buttons), for the system locale.
    QTranslator appTranslator, qtTranslator;
    if (appTranslator.load(QLocale(), QStringLiteral("sena"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Self-evolution workbench for multimodal models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("workspace"), QApplication::translate("main", "Workspace folder to open"));
    QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                   QApplication::translate("main", "Render every view into PNG files in <dir> and quit"),
                                   QStringLiteral("dir"));
    QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open (building if needed) the demo workspace"));
    parser.addOption(screenshots);
    parser.addOption(demo);
    parser.process(app);

    sena::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openWorkspace(parser.positionalArguments().first());
    else if (parser.isSet(demo))
        window.openDemo();
    if (!parser.isSet(screenshots))
        return app.exec();

    // Screenshot mode: wait for any background task (the demo build), then grab each view.
    const QString folder = parser.value(screenshots);
    QTimer::singleShot(0, &window, [&] {
        while (window.isBusy()) {
            QApplication::processEvents(QEventLoop::AllEvents, 50);
            QThread::msleep(20);
        }
        sena::ui::ScreenshotRunner runner(&window, folder);
        const QStringList files = runner.run();
        QTextStream(stdout) << files.join(QLatin1Char('\n')) << '\n';
        QApplication::exit(files.isEmpty() ? 1 : 0);
    });
    return app.exec();
}
