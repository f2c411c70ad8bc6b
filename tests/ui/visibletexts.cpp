#include "visibletexts.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QValueAxis>

namespace {

QString plain(const QString &text)
{
    return Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
}

void addMenu(QMenu *menu, QStringList &out)
{
    out << QStringLiteral("QMenu: ") + menu->title();
    for (QAction *action : menu->actions()) {
        if (action->menu())
            addMenu(action->menu(), out);
        else if (!action->isSeparator())
            out << QStringLiteral("QAction: ") + action->text();
    }
}

} // namespace

QStringList visibleTexts(QWidget *window)
{
    QStringList out;
    out << QStringLiteral("window title: ") + window->windowTitle();
    if (auto *main = qobject_cast<QMainWindow *>(window)) {
        for (QAction *action : main->menuBar()->actions()) {
            if (action->menu())
                addMenu(action->menu(), out);
        }
    }
    const QList<QWidget *> widgets = window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisible())
            continue;
        const QString cls = QString::fromLatin1(w->metaObject()->className()) + QStringLiteral(": ");
        if (auto *label = qobject_cast<QLabel *>(w)) {
            out << cls + plain(label->text());
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            out << cls + button->text();
        } else if (auto *group = qobject_cast<QGroupBox *>(w)) {
            out << cls + group->title();
        } else if (auto *tabs = qobject_cast<QTabBar *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                out << cls + tabs->tabText(i);
        } else if (auto *combo = qobject_cast<QComboBox *>(w)) {
            if (!combo->isEditable())
                out << cls + combo->currentText();
            else if (combo->currentText().isEmpty())
                out << cls + combo->lineEdit()->placeholderText();
        } else if (auto *spin = qobject_cast<QAbstractSpinBox *>(w)) {
            out << cls + spin->text();
        } else if (auto *edit = qobject_cast<QLineEdit *>(w)) {
            if (edit->text().isEmpty() && !qobject_cast<QAbstractSpinBox *>(edit->parent()))
                out << cls + edit->placeholderText();
        } else if (auto *text = qobject_cast<QPlainTextEdit *>(w)) {
            if (text->toPlainText().isEmpty())
                out << cls + text->placeholderText();
        } else if (auto *progress = qobject_cast<QProgressBar *>(w)) {
            out << cls + progress->text();
        } else if (auto *header = qobject_cast<QHeaderView *>(w)) {
            if (header->orientation() == Qt::Horizontal && header->model()) {
                for (int i = 0; i < header->count(); ++i)
                    out << cls + header->model()->headerData(i, Qt::Horizontal).toString();
            }
        } else if (auto *view = qobject_cast<QChartView *>(w)) {
            QChart *chart = view->chart();
            out << cls + plain(chart->title());
            for (QAbstractAxis *axis : chart->axes())
                out << cls + axis->titleText();
            for (QLegendMarker *marker : chart->legend()->markers())
                out << cls + marker->label();
        }
    }
    return out;
}

QStringList englishWords(const QString &text, const QStringList &alsoAllowed)
{
    static const QSet<QString> allowed {
        // Metrics and units as the field writes them
        QStringLiteral("TTFT"), QStringLiteral("TPOT"), QStringLiteral("ITL"), QStringLiteral("E2EL"),
        QStringLiteral("CDF"), QStringLiteral("ms"), QStringLiteral("req"), QStringLiteral("tok"),
        QStringLiteral("token"), QStringLiteral("tokens"), QStringLiteral("inf"), QStringLiteral("KV"),
        QStringLiteral("SLO"), QStringLiteral("QPS"), QStringLiteral("goodput"), QStringLiteral("TTFRT"),
        QStringLiteral("TTFAT"),
        // The tag reasoning models write around their thinking
        QStringLiteral("think"),
        // Protocols, formats and hardware
        QStringLiteral("HTTP"), QStringLiteral("API"), QStringLiteral("URL"), QStringLiteral("JSON"),
        QStringLiteral("CSV"), QStringLiteral("PNG"), QStringLiteral("SVG"), QStringLiteral("TLS"),
        QStringLiteral("HTML"), QStringLiteral("PDF"),
        QStringLiteral("GPU"), QStringLiteral("CPU"), QStringLiteral("Bearer"),
        // Names of products, servers and APIs
        QStringLiteral("Tokenstorm"), QStringLiteral("tokenstorm"), QStringLiteral("sim"), QStringLiteral("vLLM"),
        QStringLiteral("OpenAI"), QStringLiteral("TGI"), QStringLiteral("llama"), QStringLiteral("cpp"),
        QStringLiteral("Anthropic"), QStringLiteral("Responses"), QStringLiteral("Messages"), QStringLiteral("Ollama"),
        QStringLiteral("SGLang"), QStringLiteral("Triton"), QStringLiteral("TensorRT"), QStringLiteral("LLM"),
        QStringLiteral("Mooncake"), QStringLiteral("JSONL"),
        QStringLiteral("English"),
    };
    static const QRegularExpression urls(QStringLiteral("\\S+://\\S+|(?<![\\w])/[\\w./-]+|[\\w.-]+\\.(json|jsonl|csv|png|svg)\\b"));
    // Whole tokens such as "E2EL" or "P99"; a word needs at least two letters in a row.
    static const QRegularExpression word(QStringLiteral("(?<![A-Za-z0-9])[A-Za-z0-9]*[A-Za-z]{2,}[A-Za-z0-9]*"));
    QString rest = text;
    rest.remove(urls);
    QStringList found;
    for (auto it = word.globalMatch(rest); it.hasNext();) {
        const QString w = it.next().captured();
        if (!allowed.contains(w) && !alsoAllowed.contains(w))
            found << w;
    }
    return found;
}
