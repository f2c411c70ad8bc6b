#include "backends/backendregistry.h"
#include "forms/configpanel.h"
#include "forms/demoserverform.h"
#include "forms/fieldfeedback.h"
#include "forms/loadform.h"
#include "forms/targetform.h"
#include "forms/workloadform.h"
#include "settings.h"

#include <QComboBox>
#include <QLineEdit>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using ts::ConfigPanel;

class TestConfigPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fieldsFillTheConfig()
    {
        ConfigPanel panel;
        panel.demoServerForm()->setChecked(false);
        ts::TargetForm *t = panel.targetForm();
        t->backendBox()->setCurrentIndex(t->backendBox()->findData(QStringLiteral("openai-chat")));
        QCOMPARE(t->endpointEdit()->text(), QStringLiteral("/v1/chat/completions"));   // follows the backend
        t->baseUrlEdit()->setText(QStringLiteral("http://10.1.2.3:9000"));
        t->modelBox()->setCurrentText(QStringLiteral("qwen2.5-7b"));
        t->apiKeyEdit()->setText(QStringLiteral("sk-test"));
        t->headersEdit()->setPlainText(QStringLiteral("X-Tenant: blue"));
        panel.workloadForm()->inputLenBox()->setValue(256);
        panel.workloadForm()->outputLenBox()->setValue(64);
        panel.workloadForm()->rangeRatioBox()->setValue(0.5);
        panel.loadForm()->numPromptsBox()->setValue(123);
        panel.loadForm()->requestRateBox()->setValue(7.5);
        panel.loadForm()->maxConcurrencyBox()->setValue(16);
        panel.loadForm()->seedBox()->setValue(42);

        const ts::FormState s = panel.state();
        QVERIFY(!s.demoServer);
        QCOMPARE(s.config.target.backend, QStringLiteral("openai-chat"));
        QCOMPARE(s.config.target.baseUrl, QUrl(QStringLiteral("http://10.1.2.3:9000")));
        QCOMPARE(s.config.target.url(), QUrl(QStringLiteral("http://10.1.2.3:9000/v1/chat/completions")));
        QCOMPARE(s.config.target.model, QStringLiteral("qwen2.5-7b"));
        QCOMPARE(s.config.target.apiKey, QStringLiteral("sk-test"));
        QCOMPARE(s.config.target.headers.size(), 1);
        QCOMPARE(s.config.target.headers.first().first, QByteArray("X-Tenant"));
        QCOMPARE(s.config.random.inputLen, 256);
        QCOMPARE(s.config.random.outputLen, 64);
        QCOMPARE(s.config.random.rangeRatio, 0.5);
        QCOMPARE(s.config.load.numPrompts, 123);
        QCOMPARE(s.config.load.requestRate, 7.5);
        QCOMPARE(s.config.load.maxConcurrency, 16);
        QCOMPARE(s.config.load.seed, std::uint64_t(42));
        QVERIFY(panel.validate().isEmpty());

        panel.loadForm()->requestRateBox()->setValue(0);
        QVERIFY(!panel.state().config.load.hasFiniteRate());
        QVERIFY(!panel.loadForm()->burstinessBox()->isEnabled());
    }

    void apiTypesComeFromTheRegistry()
    {
        ts::TargetForm form;
        QComboBox *box = form.backendBox();
        QCOMPARE(box->count(), int(ts::backends().size()));
        for (int i = 0; i < box->count(); ++i) {
            const ts::BackendInfo *backend = ts::findBackend(box->itemData(i).toString());
            QVERIFY(backend);
            QCOMPARE(box->itemText(i), backend->translatedTitle());
            QCOMPARE(box->itemData(i, Qt::ToolTipRole).toString(), backend->translatedServers());
        }

        // A configuration that names the API by an alias keeps it until another API is chosen.
        ts::TargetConfig in;
        in.backend = QStringLiteral("vllm");
        in.endpoint = QStringLiteral("/v1/completions");
        form.load(in, QString());
        QCOMPARE(box->currentData().toString(), QStringLiteral("openai"));
        ts::TargetConfig out;
        QString headers;
        form.apply(out, headers);
        QCOMPARE(out.backend, QStringLiteral("vllm"));
        box->setCurrentIndex(box->findData(QStringLiteral("tgi")));
        form.apply(out, headers);
        QCOMPARE(out.backend, QStringLiteral("tgi"));
        QCOMPARE(out.endpoint, QStringLiteral("/generate_stream"));
        QVERIFY(form.fetchButton()->toolTip().contains(QLatin1String("/info")));
    }

    void demoServerReplacesAddressAndModel()
    {
        ConfigPanel panel;
        panel.demoServerForm()->setChecked(false);
        panel.targetForm()->baseUrlEdit()->setText(QStringLiteral("http://my-server:8000"));
        panel.targetForm()->modelBox()->setCurrentText(QStringLiteral("mine"));
        panel.demoServerForm()->setChecked(true);
        QVERIFY(!panel.targetForm()->baseUrlEdit()->isEnabled());
        QCOMPARE(panel.state().config.target.model, QStringLiteral("tokenstorm-sim"));
        // Switching back restores what the user typed.
        panel.demoServerForm()->setChecked(false);
        QCOMPARE(panel.targetForm()->baseUrlEdit()->text(), QStringLiteral("http://my-server:8000"));
        QCOMPARE(panel.state().config.target.model, QStringLiteral("mine"));
    }

    void urlCredentialsComeAndGoApartFromTheAddress()
    {
        ConfigPanel panel;
        panel.demoServerForm()->setChecked(false);
        ts::TargetForm *t = panel.targetForm();
        t->baseUrlEdit()->setText(QStringLiteral("http://my-server:8000"));
        QVERIFY(t->urlCredentials().isEmpty());
        // What the keychain gives back fills an address that has none, under the demo server too.
        panel.demoServerForm()->setChecked(true);
        t->setUrlCredentials(QStringLiteral("admin:secret"));
        QCOMPARE(t->urlCredentials(), QStringLiteral("admin:secret"));
        panel.demoServerForm()->setChecked(false);
        QCOMPARE(t->baseUrlEdit()->text(), QStringLiteral("http://admin:secret@my-server:8000"));
        // ... and never replaces those the user typed.
        t->setUrlCredentials(QStringLiteral("other:pw"));
        QCOMPARE(t->urlCredentials(), QStringLiteral("admin:secret"));
    }

    void invalidValuesAreMarkedAtTheField_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("headers");
        QTest::addColumn<QString>("invalidField");   // empty: all valid
        QTest::addRow("valid") << QStringLiteral("http://127.0.0.1:8000") << QStringLiteral("/v1/completions") << QString() << QString();
        QTest::addRow("no scheme") << QStringLiteral("127.0.0.1:8000") << QStringLiteral("/v1/completions") << QString() << QStringLiteral("baseUrl");
        QTest::addRow("ftp") << QStringLiteral("ftp://host") << QStringLiteral("/v1/completions") << QString() << QStringLiteral("baseUrl");
        QTest::addRow("empty address") << QString() << QStringLiteral("/v1/completions") << QString() << QStringLiteral("baseUrl");
        QTest::addRow("endpoint without slash") << QStringLiteral("https://api.example.com") << QStringLiteral("v1/completions") << QString() << QStringLiteral("endpoint");
        QTest::addRow("bad header") << QStringLiteral("http://h:1") << QStringLiteral("/v1/completions") << QStringLiteral("no colon here") << QStringLiteral("headers");
    }

    void invalidValuesAreMarkedAtTheField()
    {
        QFETCH(QString, baseUrl);
        QFETCH(QString, endpoint);
        QFETCH(QString, headers);
        QFETCH(QString, invalidField);
        ConfigPanel panel;
        panel.show();
        panel.demoServerForm()->setChecked(false);
        ts::TargetForm *t = panel.targetForm();
        t->baseUrlEdit()->setText(baseUrl);
        t->endpointEdit()->setText(endpoint);
        t->headersEdit()->setPlainText(headers);
        const QString problem = panel.validate();
        QCOMPARE(problem.isEmpty(), invalidField.isEmpty());

        const QHash<QString, QWidget *> fields { { QStringLiteral("baseUrl"), t->baseUrlEdit() },
                                                { QStringLiteral("endpoint"), t->endpointEdit() },
                                                { QStringLiteral("headers"), t->headersEdit() } };
        for (auto it = fields.cbegin(); it != fields.cend(); ++it)
            QCOMPARE(it.value()->property("invalid").toBool(), it.key() == invalidField);
        if (!invalidField.isEmpty()) {
            // The same sentence is shown right below the field.
            bool shown = false;
            const QList<ts::FieldMessage *> messages = t->findChildren<ts::FieldMessage *>();
            for (ts::FieldMessage *m : messages)
                shown = shown || (m->isVisible() && m->message() == problem);
            QVERIFY2(shown, qPrintable(problem));
        }
    }

    void lengthsBeyondTheDemoServerAreRejected()
    {
        ConfigPanel panel;
        panel.demoServerForm()->setPreset(QStringLiteral("cpu-small"));   // 4096 tokens
        panel.workloadForm()->inputLenBox()->setValue(4000);
        panel.workloadForm()->outputLenBox()->setValue(200);
        QVERIFY(!panel.validate().isEmpty());
        QVERIFY(panel.workloadForm()->inputLenBox()->property("invalid").toBool());
        panel.workloadForm()->inputLenBox()->setValue(1000);
        QVERIFY(panel.validate().isEmpty());
        QVERIFY(!panel.workloadForm()->inputLenBox()->property("invalid").toBool());
    }

    void fileDatasetsNeedAFile()
    {
        ConfigPanel panel;
        panel.show();
        ts::WorkloadForm *w = panel.workloadForm();
        w->datasetBox()->setCurrentIndex(w->datasetBox()->findData(QStringLiteral("sharegpt")));
        QVERIFY(!w->inputLenBox()->isVisible());
        QVERIFY(w->datasetPathEdit()->isVisible());
        QVERIFY(!panel.validate().isEmpty());
        QVERIFY(w->datasetPathEdit()->property("invalid").toBool());
        w->datasetPathEdit()->setText(QStringLiteral("/no/such/sharegpt.json"));
        QVERIFY(panel.validate().contains(QStringLiteral("/no/such/sharegpt.json")));
        w->datasetPathEdit()->setText(QStringLiteral(__FILE__));
        QVERIFY2(panel.validate().isEmpty(), qPrintable(panel.validate()));
        const ts::FormState s = panel.state();
        QCOMPARE(s.config.datasetName, QStringLiteral("sharegpt"));
        QCOMPARE(s.datasetPath, QStringLiteral(__FILE__));
        w->datasetBox()->setCurrentIndex(w->datasetBox()->findData(QStringLiteral("random")));
        QVERIFY(w->inputLenBox()->isVisible());
        QVERIFY(!w->datasetPathEdit()->isVisible());
    }

    void tokenizerIsCheckedAndRemembered()
    {
        const QString dataDir = qEnvironmentVariable("TOKENSTORM_TEST_DATA");
        QVERIFY2(!dataDir.isEmpty(), "TOKENSTORM_TEST_DATA is not set");
        const QString tiny = dataDir + QStringLiteral("/tokenizer/tiny-bytelevel.json");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        ConfigPanel panel;
        ts::WorkloadForm *w = panel.workloadForm();
        QVERIFY(w->tokenizerPathEdit());
        QVERIFY(!w->tokenizerPathEdit()->toolTip().isEmpty());
        QVERIFY(panel.validate().isEmpty());   // optional
        QCOMPARE(panel.state().tokenizerPath, QString());

        w->tokenizerPathEdit()->setText(QStringLiteral("/no/such/tokenizer.json"));
        QVERIFY(panel.validate().contains(QStringLiteral("/no/such/tokenizer.json")));
        QVERIFY(w->tokenizerPathEdit()->property("invalid").toBool());
        w->tokenizerPathEdit()->setText(dir.path());   // a folder without tokenizer.json
        QVERIFY(!panel.validate().isEmpty());

        w->tokenizerPathEdit()->setText(tiny);
        QVERIFY2(panel.validate().isEmpty(), qPrintable(panel.validate()));
        QVERIFY(!w->tokenizerPathEdit()->property("invalid").toBool());
        QCOMPARE(panel.state().tokenizerPath, tiny);

        const QString ini = dir.filePath(QStringLiteral("settings.ini"));
        {
            ts::Settings settings(ini);
            ts::storeFormState(settings, panel.state());
            settings.sync();
        }
        ts::Settings settings(ini);
        QCOMPARE(settings.stringValue(ts::Settings::Key::TokenizerPath), tiny);
        ConfigPanel restored;
        restored.setState(ts::loadFormState(settings));
        QCOMPARE(restored.workloadForm()->tokenizerPathEdit()->text(), tiny);
    }

    void scenariosFillTheGuidesNumbers_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("numPrompts");
        QTest::addColumn<int>("inputLen");
        QTest::addColumn<int>("outputLen");
        QTest::addColumn<double>("rate");   // 0 = inf
        QTest::addColumn<int>("concurrency");
        QTest::addRow("basic") << QStringLiteral("basic") << 10 << 100 << 50 << 0.0 << 0;
        QTest::addRow("baseline") << QStringLiteral("baseline") << 1000 << 512 << 128 << 0.0 << 0;
        QTest::addRow("stress") << QStringLiteral("stress") << 1000 << 512 << 128 << 50.0 << 100;
        QTest::addRow("realistic") << QStringLiteral("realistic") << 500 << 256 << 256 << 10.0 << 0;
    }

    void scenariosFillTheGuidesNumbers()
    {
        QFETCH(QString, id);
        QFETCH(int, numPrompts);
        QFETCH(int, inputLen);
        QFETCH(int, outputLen);
        QFETCH(double, rate);
        QFETCH(int, concurrency);
        ConfigPanel panel;
        QComboBox *box = panel.scenarioBox();
        const int index = box->findData(id);
        QVERIFY(index > 0);
        box->setCurrentIndex(index);
        Q_EMIT box->activated(index);
        const ts::FormState s = panel.state();
        QCOMPARE(s.scenario, id);
        QCOMPARE(s.config.load.numPrompts, numPrompts);
        QCOMPARE(s.config.random.inputLen, inputLen);
        QCOMPARE(s.config.random.outputLen, outputLen);
        QCOMPARE(s.config.load.hasFiniteRate() ? s.config.load.requestRate : 0.0, rate);
        QCOMPARE(s.config.load.maxConcurrency, concurrency);
        // Editing a field afterwards makes the form custom.
        panel.loadForm()->numPromptsBox()->setValue(numPrompts + 1);
        QCOMPARE(panel.state().scenario, QString());
    }

    void everyInputExplainsItself()
    {
        ConfigPanel panel;
        QList<QWidget *> inputs;
        for (QWidget *w : panel.findChildren<QWidget *>()) {
            if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QPlainTextEdit *>(w)
                || (qobject_cast<QComboBox *>(w)) || (qobject_cast<QLineEdit *>(w) && !qobject_cast<QAbstractSpinBox *>(w->parent())
                                                     && !qobject_cast<QComboBox *>(w->parent())))
                inputs << w;
        }
        QVERIFY(inputs.size() >= 20);
        for (QWidget *w : inputs) {
            // A combo box's own tooltip, or the one of the row it belongs to (the demo preset).
            const QString tip = w->toolTip().isEmpty() && w->parentWidget() ? w->parentWidget()->toolTip() : w->toolTip();
            QVERIFY2(!tip.isEmpty(), w->metaObject()->className());
        }
    }
};

QTEST_MAIN(TestConfigPanel)
#include "tst_configpanel.moc"
