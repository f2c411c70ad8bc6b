#include "charts/distributionchart.h"
#include "forms/datasetpreview.h"
#include "forms/fieldfeedback.h"
#include "forms/workloadform.h"
#include "models/promptpreviewmodel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <numeric>

using ts::DatasetPreview;

namespace {

// Text of n characters of plain words.
std::string words(int n, int seed)
{
    static const char *const vocabulary[] = { "token", "latency", "server", "prompt", "answer", "cache", "batch" };
    std::string text;
    int i = seed;
    while (int(text.size()) < n) {
        text += vocabulary[i++ % 7];
        text += ' ';
    }
    text.resize(std::size_t(n));
    return text;
}

// A ShareGPT file whose first two turns all pass vLLM's filters whatever the token estimate
// (40 to 900 characters each side); the later turns only make the file large.
int writeShareGpt(const QString &path, int conversations, int padding)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return -1;
    file.write("[");
    for (int c = 0; c < conversations; ++c) {
        nlohmann::json turns = nlohmann::json::array();
        turns.push_back({ { "from", "human" }, { "value", words(40 + (c * 37) % 860, c) } });
        turns.push_back({ { "from", "gpt" }, { "value", words(40 + (c * 53) % 860, c + 3) } });
        if (padding > 0) {
            turns.push_back({ { "from", "human" }, { "value", words(padding, c + 1) } });
            turns.push_back({ { "from", "gpt" }, { "value", words(padding, c + 2) } });
        }
        nlohmann::json entry = { { "id", "c" + std::to_string(c) }, { "conversations", turns } };
        if (c > 0)
            file.write(",\n");
        file.write(QByteArray::fromStdString(entry.dump()));
    }
    file.write("]");
    return int(file.size());
}

ts::DatasetConfig shareGpt(const QString &path, int numPrompts)
{
    ts::DatasetConfig config;
    config.name = QStringLiteral("sharegpt");
    config.path = path;
    config.numPrompts = numPrompts;
    return config;
}

int sum(const std::vector<int> &bins)
{
    return std::accumulate(bins.begin(), bins.end(), 0);
}

} // namespace

class TestDatasetPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_big = m_dir.filePath(QStringLiteral("big.json"));
        // About 8 MB: reading it takes long enough for progress to show.
        QVERIFY(writeShareGpt(m_big, 3000, 1200) > 6'000'000);
    }

    void largeFileShowsProgressThenCountAndHistograms()
    {
        DatasetPreview preview;
        preview.resize(900, 700);
        preview.show();
        QSignalSpy progressed(&preview, &DatasetPreview::progressed);
        int whileLoading = 0;
        connect(&preview, &DatasetPreview::progressed, &preview, [&] {
            if (preview.status() == DatasetPreview::Status::Loading && preview.progressBar()->isVisible())
                ++whileLoading;
        });
        const int wanted = 700;
        preview.setSource(shareGpt(m_big, wanted), QString());
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Loading, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Ready, 60000);

        // Progress reached the window while the worker was still reading.
        QVERIFY(whileLoading > 0);
        bool partial = false;
        for (const QList<QVariant> &args : progressed) {
            const qint64 done = args.at(0).toLongLong();
            const qint64 total = args.at(1).toLongLong();
            partial = partial || (done > 0 && done < total);
        }
        QVERIFY(partial);
        QVERIFY(!preview.progressBar()->isVisible());

        // Every conversation passes the filters: the count asked for, all in the histograms.
        QCOMPARE(preview.summary().count, wanted);
        QCOMPARE(sum(preview.summary().input.bins), wanted);
        QCOMPARE(sum(preview.summary().output.bins), wanted);
        QCOMPARE(preview.inputChart()->distribution().histogram.total(), wanted);
        QCOMPARE(preview.outputChart()->distribution().histogram.total(), wanted);
        QVERIFY2(preview.countLabel()->text().contains(QStringLiteral("700")), qPrintable(preview.countLabel()->text()));
        QCOMPARE(preview.promptTable()->model()->rowCount(), DatasetPreview::ShownPrompts);
        QVERIFY(preview.error().isEmpty());

        // The same source again does not read the file again.
        progressed.clear();
        preview.setSource(shareGpt(m_big, wanted), QString());
        QTest::qWait(500);
        QCOMPARE(progressed.count(), 0);
        QCOMPARE(preview.status(), DatasetPreview::Status::Ready);
    }

    void aNewerSourceReplacesAStaleLoad()
    {
        const QString small = m_dir.filePath(QStringLiteral("small.json"));
        QVERIFY(writeShareGpt(small, 30, 0) > 0);
        DatasetPreview preview;
        preview.setSource(shareGpt(m_big, 2000), QString());
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Loading, 5000);
        preview.setSource(shareGpt(small, 25), QString());
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Ready, 60000);
        QCOMPARE(preview.summary().count, 25);
        // Nothing of the stale load (2000 prompts) arrives later.
        QTest::qWait(300);
        QCOMPARE(preview.summary().count, 25);
    }

    void cancelStopsTheLoad()
    {
        DatasetPreview preview;
        preview.show();
        preview.setSource(shareGpt(m_big, 500), QString());
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Loading, 5000);
        auto *cancel = preview.findChild<QPushButton *>();
        QVERIFY(cancel && cancel->isVisible());
        cancel->click();
        QCOMPARE(preview.status(), DatasetPreview::Status::Empty);
        QTest::qWait(300);
        QCOMPARE(preview.status(), DatasetPreview::Status::Empty);
    }

    void multiTurnCountsConversationsAndTurns()
    {
        const QString path = m_dir.filePath(QStringLiteral("chats.json"));
        QVERIFY(writeShareGpt(path, 9, 100) > 0);
        DatasetPreview preview;
        preview.setSource(shareGpt(path, 6), QString(), true);
        QTRY_COMPARE_WITH_TIMEOUT(preview.status(), DatasetPreview::Status::Ready, 20000);
        QCOMPARE(preview.conversations(), 6);
        QCOMPARE(preview.summary().count, 12);   // two user turns with a reply each
        QVERIFY(preview.countLabel()->text().contains(QStringLiteral("6 conversations")));
    }

    void aBadFileShowsTheEnginesMessageAtTheField()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"},\n  {\"from\": \"gpt\" \"value\": 3}]}]");
        file.close();

        ts::WorkloadForm form;
        form.show();
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findData(QStringLiteral("sharegpt")));
        form.datasetPathEdit()->setText(path);
        QSignalSpy validity(&form, &ts::WorkloadForm::validityChanged);
        form.updatePreview(shareGpt(path, 10), false);
        QTRY_COMPARE_WITH_TIMEOUT(form.preview()->status(), DatasetPreview::Status::Failed, 20000);
        const QString error = form.preview()->error();
        QVERIFY2(error.contains(QStringLiteral("broken.json")), qPrintable(error));
        QVERIFY(validity.count() >= 1);
        bool atField = false;
        for (ts::FieldMessage *message : form.findChildren<ts::FieldMessage *>())
            atField = atField || (message->message() == error && message->isVisible());
        QVERIFY(atField);
        QCOMPARE(form.validate(0), error);

        // A good file clears it.
        const QString good = m_dir.filePath(QStringLiteral("good.json"));
        QVERIFY(writeShareGpt(good, 12, 0) > 0);
        form.datasetPathEdit()->setText(good);
        form.updatePreview(shareGpt(good, 10), false);
        QTRY_COMPARE_WITH_TIMEOUT(form.preview()->status(), DatasetPreview::Status::Ready, 20000);
        QVERIFY(form.preview()->error().isEmpty());
        QVERIFY(form.validate(0).isEmpty());
    }

    void multiTurnOptionIsForShareGptOverChat()
    {
        ts::WorkloadForm form;
        form.show();
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findData(QStringLiteral("random")));
        QVERIFY(!form.multiTurnBox()->isVisible());
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findData(QStringLiteral("sharegpt")));
        QVERIFY(form.multiTurnBox()->isVisible());
        form.multiTurnBox()->setChecked(true);
        ts::BenchmarkConfig config;
        QString path, tokenizer;
        form.apply(config, path, tokenizer);
        QVERIFY(config.multiTurn);
        const QString good = m_dir.filePath(QStringLiteral("good2.json"));
        QVERIFY(writeShareGpt(good, 5, 0) > 0);
        form.datasetPathEdit()->setText(good);
        QVERIFY(!form.validate(0, QStringLiteral("openai")).isEmpty());
        QVERIFY(form.validate(0, QStringLiteral("openai-chat")).isEmpty());
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findData(QStringLiteral("random")));
        form.apply(config, path, tokenizer);
        QVERIFY(!config.multiTurn);
    }

    void promptModelPassesTheModelTester()
    {
        ts::PromptPreviewModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ts::PromptSpec> prompts(3);
        prompts[0].prompt = QStringLiteral("line one\nline two");
        prompts[0].promptTokens = 7;
        prompts[0].expectedOutputTokens = 9;
        prompts[1].prompt = QString(500, u'x');
        prompts[2].messages = { { QStringLiteral("user"), QStringLiteral("hello") } };
        model.setPrompts(prompts);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, ts::PromptPreviewModel::PromptColumn).data().toString(), QStringLiteral("line one line two"));
        QCOMPARE(model.index(0, ts::PromptPreviewModel::InputTokensColumn).data().toString(), QStringLiteral("7"));
        QCOMPARE(model.index(1, ts::PromptPreviewModel::PromptColumn).data().toString().size(),
                 ts::PromptPreviewModel::ShownChars + 1);
        QVERIFY(model.index(2, ts::PromptPreviewModel::PromptColumn).data().toString().contains(QStringLiteral("hello")));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_big;
};

QTEST_MAIN(TestDatasetPreview)
#include "tst_datasetpreview.moc"
