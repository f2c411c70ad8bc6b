#pragma once

#include "compare/comparison.h"

#include <QWidget>

#include <qcoro/qcorotask.h>

#include <memory>

QT_FORWARD_DECLARE_CLASS(QCheckBox)
QT_FORWARD_DECLARE_CLASS(QLabel)
QT_FORWARD_DECLARE_CLASS(QListWidget)
QT_FORWARD_DECLARE_CLASS(QPushButton)
QT_FORWARD_DECLARE_CLASS(QTabWidget)
QT_FORWARD_DECLARE_CLASS(QTableView)

namespace ts {

class ChartView;
class Exportable;
class CompareCharts;
class ComparisonModel;
class Settings;

// File > Compare results: two or more result files (ours or vLLM's) side by side. Their
// setups and headline metrics in one table, each later file's difference to the first in
// percent, and their latency distributions overlaid. Files are added with a dialog or by
// dropping them on the window, and read off the GUI thread. Not modal: runs go on meanwhile.
class CompareWindow : public QWidget
{
    Q_OBJECT
public:
    explicit CompareWindow(Settings *settings, QWidget *parent = nullptr);
    ~CompareWindow() override;

    // Reads the files (those not shown yet) off the GUI thread; comparisonChanged() follows,
    // and errorShown() for each file that could not be read.
    void addFiles(const QStringList &paths);
    void removeFile(int index);
    QStringList files() const;

    bool exportCsv(const QString &path, QString *error = nullptr);
    // An HTML or PDF report of the comparison (by the suffix).
    bool exportReport(const QString &path, QString *error = nullptr);

    ComparisonModel *model() const { return m_model; }
    CompareCharts *charts() const { return m_charts; }
    QTableView *table() const { return m_table; }
    QString errorText() const;
    QList<ChartView *> chartViews() const;

Q_SIGNALS:
    void comparisonChanged();
    // message is translated.
    void errorShown(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct Loaded
    {
        QString path;
        std::shared_ptr<const ResultFile> file;
    };

    QCoro::Task<> readFiles(QStringList paths);
    QCoro::Task<> rebuild();
    void showError(const QString &message);
    void updateFileList();
    void updateRowVisibility();
    void updateActions();
    void retranslateUi();
    void askForFiles();
    void askExportCsv();
    void askSaveCharts();
    void exportChart(const Exportable *view, const QString &format);
    QString askSavePath(const QString &title, const QString &name, const QString &filter);

    Settings *m_settings;
    std::vector<Loaded> m_files;
    std::shared_ptr<const Comparison> m_comparison;
    int m_generation = 0;
    int m_pendingReads = 0;
    QString m_error;

    QLabel *m_intro = nullptr;
    QListWidget *m_fileList = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QPushButton *m_csvButton = nullptr;
    QPushButton *m_reportButton = nullptr;
    QPushButton *m_chartsButton = nullptr;
    QLabel *m_errorLabel = nullptr;
    QTabWidget *m_tabs = nullptr;
    QCheckBox *m_onlyDiffering = nullptr;
    QTableView *m_table = nullptr;
    ComparisonModel *m_model = nullptr;
    CompareCharts *m_charts = nullptr;
};

} // namespace ts
