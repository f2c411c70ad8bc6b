#pragma once

#include "datasets/dataset.h"
#include "datasets/datasetsummary.h"

#include <QTimer>
#include <QWidget>

#include <qcoro/qcorotask.h>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace ts {

class DistributionChart;
class PromptPreviewModel;
class Tokenizer;

// What a dataset file gives before a run: the number of prompts (and of skipped records), the
// first prompts, and histograms of their input and output lengths. Files are read off the GUI
// thread with a progress bar; a newer source cancels the load of an older one, so a 1 GB
// ShareGPT file never freezes the window.
class DatasetPreview : public QWidget
{
    Q_OBJECT
public:
    enum class Status { Empty, Loading, Ready, Failed };

    static constexpr int ShownPrompts = 10;
    static constexpr int HistogramBins = 30;

    explicit DatasetPreview(QWidget *parent = nullptr);
    ~DatasetPreview() override;

    // Previews what config would send; tokenizerPath as in the workload form (empty: lengths
    // are estimated); multiTurn: the conversations of a multi-turn run, every turn a prompt.
    // Waits a moment before loading, so typing a path does not start a load per key; the same
    // source again changes nothing.
    void setSource(const DatasetConfig &config, const QString &tokenizerPath, bool multiTurn = false);
    // Forgets the source and cancels a load in progress.
    void clear();

    Status status() const { return m_status; }
    // The engine's message (file, line or offset, what is wrong) when the load failed.
    QString error() const { return m_error; }
    const DatasetSummary &summary() const { return m_summary; }
    int conversations() const { return m_conversations; }   // multi-turn sources, else 0

    QProgressBar *progressBar() const { return m_progress; }
    QTableView *promptTable() const { return m_table; }
    DistributionChart *inputChart() const { return m_inputChart; }
    DistributionChart *outputChart() const { return m_outputChart; }
    QLabel *countLabel() const { return m_count; }

Q_SIGNALS:
    void statusChanged(ts::DatasetPreview::Status status);
    // Read so far, as the engine reports it (bytes of the file, then prompts built).
    void progressed(qint64 done, qint64 total);
    // Empty when the source loaded (or there is none).
    void errorChanged(const QString &error);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Job;
    struct Loaded;

    void startLoad();
    QCoro::Task<> load(std::shared_ptr<Job> job);
    void cancelLoad();
    void setStatus(Status status);
    void setError(const QString &error);
    void onProgress(qint64 done, qint64 total);
    void showLoaded(Loaded &loaded);
    void retranslateUi();

    DatasetConfig m_config;
    QString m_tokenizerPath;
    bool m_multiTurn = false;
    bool m_hasSource = false;
    QTimer m_delay;
    std::shared_ptr<Job> m_job;                        // the load in progress
    std::shared_ptr<const Tokenizer> m_tokenizer;      // loaded once per path
    QString m_loadedTokenizerPath;

    Status m_status = Status::Empty;
    QString m_error;
    QStringList m_warnings;
    DatasetSummary m_summary;
    int m_conversations = 0;
    bool m_lengthsEstimated = false;

    QLabel *m_count = nullptr;
    QLabel *m_notes = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QWidget *m_details = nullptr;
    QTableView *m_table = nullptr;
    PromptPreviewModel *m_model = nullptr;
    DistributionChart *m_inputChart = nullptr;
    DistributionChart *m_outputChart = nullptr;
};

} // namespace ts

Q_DECLARE_METATYPE(ts::DatasetPreview::Status)
