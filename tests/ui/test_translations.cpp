// The zh_CN translation: the .qm embedded under :/i18n loads and translates known strings (plain,
// numerus, with accelerators), the main window comes up in Chinese, and the .ts in the source tree
// is complete: every message finished, placeholders and accelerators kept, and (when lupdate is
// available) every tr() string in ui/ and app/workbench listed.
#include "MainWindow.h"
#include "workspace/StartPage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

struct TsMessage {
    QString context, source, translation;
    bool unfinished = false;
    bool numerus = false;
};

// Reads every message of a .ts file (numerus forms joined with '|').
QList<TsMessage> readTs(const QString& path, QString* error) {
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = TsMessage{context, {}, {}, false, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes")};
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            const auto type = xml.attributes().value(QLatin1String("type"));
            current.unfinished = type == QLatin1String("unfinished");
            if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
                continue;  // not shown to anyone
            if (current.numerus) {
                QStringList forms;
                while (xml.readNextStartElement())
                    forms << xml.readElementText();
                current.translation = forms.join(QLatin1Char('|'));
            } else {
                current.translation = xml.readElementText();
            }
            messages << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QString tsPath() { return QStringLiteral(SENA_SOURCE_DIR "/translations/sena_zh_CN.ts"); }

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

    QTranslator m_translator;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        // The same lookup main() does for a Chinese system locale.
        QVERIFY(m_translator.load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("sena"), QStringLiteral("_"),
                                  QStringLiteral(":/i18n")));
        QVERIFY(QCoreApplication::installTranslator(&m_translator));
    }

    void knownStringsTranslate() {
        auto tr = [](const char* context, const char* source, int n = -1) {
            return QCoreApplication::translate(context, source, nullptr, n);
        };
        QCOMPARE(tr("sena::ui::MainWindow", "&File"), QStringLiteral("文件(&F)"));
        QCOMPARE(tr("sena::ui::MainWindow", "Pairs"), QStringLiteral("偏好对"));
        QCOMPARE(tr("sena::ui::PairTableModel", "accepted"), QStringLiteral("已接受"));
        QCOMPARE(tr("sena::ui::PairInspector", "Self-questioning"), QStringLiteral("自我提问"));
        QCOMPARE(tr("sena::ui::MainWindow", "Opened %1").arg(QStringLiteral("/w")), QStringLiteral("已打开 /w"));
        QCOMPARE(tr("SetCurationCommand", "Accept %n pair(s)", 3), QStringLiteral("接受 3 个偏好对"));
        QCOMPARE(tr("SwapPairCommand", "Swap %n pair(s)", 1), QStringLiteral("交换 1 个偏好对"));
        QCOMPARE(tr("main", "Workspace folder to open"), QStringLiteral("要打开的工作区文件夹"));
    }

    void widgetsComeUpInChinese() {
        sena::ui::MainWindow window;
        QCOMPARE(window.windowTitle(), QStringLiteral("SENA 工作台"));
        auto* start = window.findChild<sena::ui::StartPage*>();
        QVERIFY(start);
        QStringList buttons;
        for (auto* b : start->findChildren<QPushButton*>())
            buttons << b->text();
        QVERIFY2(buttons.contains(QStringLiteral("打开演示")), qPrintable(buttons.join(QLatin1Char(','))));
    }

    void tsIsComplete() {
        QString error;
        const auto messages = readTs(tsPath(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 250);
        static const QRegularExpression placeholder(QStringLiteral("%(?:\\d+|n)"));
        // An accelerator: '&' before a letter or digit ("&&" is a literal ampersand).
        static const QRegularExpression accelerator(QStringLiteral("(?<!&)&([A-Za-z0-9])"));
        QStringList problems;
        for (const auto& m : messages) {
            const QString where = m.context + QStringLiteral(": ") + m.source;
            if (m.unfinished || m.translation.trimmed().isEmpty()) {
                problems << QStringLiteral("unfinished: ") + where;
                continue;
            }
            for (auto it = placeholder.globalMatch(m.source); it.hasNext();) {
                const QString p = it.next().captured();
                if (!m.translation.contains(p))
                    problems << QStringLiteral("lost %1: ").arg(p) + where;
            }
            const auto key = accelerator.match(m.source);
            if (key.hasMatch() && !m.translation.contains(QLatin1Char('&') + key.captured(1), Qt::CaseInsensitive))
                problems << QStringLiteral("lost accelerator: ") + where;
            if (m.source.contains(QLatin1Char('<')) != m.translation.contains(QLatin1Char('<')))
                problems << QStringLiteral("rich text differs: ") + where;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void tsListsEveryString() {
#ifndef SENA_LUPDATE
        QSKIP("lupdate was not found at configure time");
#else
        // Extract the sources afresh and compare: a tr() added without updating the .ts fails here.
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
        QProcess lupdate;
        lupdate.setWorkingDirectory(QStringLiteral(SENA_SOURCE_DIR));
        lupdate.start(QStringLiteral(SENA_LUPDATE), {QStringLiteral("ui"), QStringLiteral("app/workbench"),
                                                     QStringLiteral("-locations"), QStringLiteral("none"),
                                                     QStringLiteral("-ts"), fresh});
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);
        QString error;
        QSet<QString> listed;
        for (const auto& m : readTs(tsPath(), &error))
            listed.insert(m.context + QLatin1Char('\x1f') + m.source);
        QStringList missing;
        for (const auto& m : readTs(fresh, &error))
            if (!listed.contains(m.context + QLatin1Char('\x1f') + m.source))
                missing << m.context + QStringLiteral(": ") + m.source;
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in the .ts (run lupdate and translate):\n") +
                                               missing.join(QLatin1Char('\n'))));
#endif
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
