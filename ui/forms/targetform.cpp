#include "forms/targetform.h"

#include "backends/backendregistry.h"
#include "forms/fieldfeedback.h"
#include "forms/formstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace ts {

namespace {

QString defaultEndpoint(const QString &backend)
{
    const BackendInfo *info = findBackend(backend);
    return info ? info->defaultEndpoint : QString();
}

} // namespace

TargetForm::TargetForm(QWidget *parent)
    : QGroupBox(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_backend = new QComboBox(this);
    for (const BackendInfo &backend : backends())
        m_backend->addItem(QString(), backend.name);
    addFormRow(m_layout, m_backend);

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setClearButtonEnabled(true);
    addFormRow(m_layout, m_baseUrl);
    m_baseUrlMessage = new FieldMessage(this);
    m_layout->addRow(m_baseUrlMessage);

    m_endpoint = new QLineEdit(this);
    addFormRow(m_layout, m_endpoint);
    m_endpointMessage = new FieldMessage(this);
    m_layout->addRow(m_endpointMessage);

    m_modelRow = new QWidget(this);
    auto *modelLayout = new QHBoxLayout(m_modelRow);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    m_model = new QComboBox(m_modelRow);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_fetch = new QPushButton(m_modelRow);
    modelLayout->addWidget(m_model, 1);
    modelLayout->addWidget(m_fetch);
    addFormRow(m_layout, m_modelRow);

    m_apiKey = new QLineEdit(this);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setClearButtonEnabled(true);
    addFormRow(m_layout, m_apiKey);
    m_rememberKey = new QCheckBox(this);
    m_layout->addRow(QString(), m_rememberKey);

    m_headers = new QPlainTextEdit(this);
    m_headers->setTabChangesFocus(true);
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 3 + 12);
    addFormRow(m_layout, m_headers);
    m_headersMessage = new FieldMessage(this);
    m_layout->addRow(m_headersMessage);

    m_insecure = new QCheckBox(this);
    addFormRow(m_layout, m_insecure);
    m_watchMetrics = new QCheckBox(this);
    m_watchMetrics->setChecked(true);
    addFormRow(m_layout, m_watchMetrics);
    m_reasoningTags = new QCheckBox(this);
    addFormRow(m_layout, m_reasoningTags);

    m_test = new QPushButton(this);
    m_testResult = new QLabel(this);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layout->addRow(m_test);
    m_layout->addRow(m_testResult);
    m_testResult->setVisible(false);

    m_lastBackend = m_backend->currentData().toString();
    m_endpoint->setText(defaultEndpoint(m_lastBackend));
    connect(m_backend, &QComboBox::currentIndexChanged, this, &TargetForm::onBackendChanged);
    connect(m_baseUrl, &QLineEdit::textChanged, this, &TargetForm::changed);
    connect(m_endpoint, &QLineEdit::textChanged, this, &TargetForm::changed);
    connect(m_model, &QComboBox::currentTextChanged, this, &TargetForm::changed);
    connect(m_headers, &QPlainTextEdit::textChanged, this, &TargetForm::changed);
    connect(m_insecure, &QCheckBox::toggled, this, &TargetForm::changed);
    connect(m_watchMetrics, &QCheckBox::toggled, this, &TargetForm::changed);
    connect(m_reasoningTags, &QCheckBox::toggled, this, &TargetForm::changed);
    connect(m_fetch, &QPushButton::clicked, this, &TargetForm::fetchModelsRequested);
    connect(m_test, &QPushButton::clicked, this, &TargetForm::testConnectionRequested);
    retranslateUi();
}

void TargetForm::onBackendChanged()
{
    // Follow the backend with the endpoint unless the user typed an endpoint of their own.
    const QString backend = m_backend->currentData().toString();
    const QString endpoint = m_endpoint->text().trimmed();
    if (endpoint.isEmpty() || endpoint == defaultEndpoint(m_lastBackend))
        m_endpoint->setText(defaultEndpoint(backend));
    m_lastBackend = backend;
    m_backendAlias.clear();
    retranslateUi();
    Q_EMIT changed();
}

void TargetForm::apply(TargetConfig &target, QString &headersText) const
{
    target.backend = m_backendAlias.isEmpty() ? m_backend->currentData().toString() : m_backendAlias;
    if (!m_demo) {
        target.baseUrl = QUrl(m_baseUrl->text().trimmed());
        target.model = m_model->currentText().trimmed();
    }
    target.endpoint = m_endpoint->text().trimmed();
    target.apiKey = m_apiKey->text();
    headersText = m_headers->toPlainText();
    target.headers = parseHeaders(headersText).value_or(HeaderList());
    target.insecure = m_insecure->isChecked();
    target.reasoningTags = m_reasoningTags->isChecked();
}

void TargetForm::load(const TargetConfig &target, const QString &headersText)
{
    const BackendInfo *backend = findBackend(target.backend);
    const int index = backend ? m_backend->findData(backend->name) : -1;
    m_backend->setCurrentIndex(index >= 0 ? index : 0);
    m_lastBackend = m_backend->currentData().toString();
    // A configuration that names the API by an alias (vllm) keeps it, and so do its results.
    m_backendAlias = backend && backend->name != target.backend ? target.backend : QString();
    m_endpoint->setText(target.endpoint.isEmpty() ? defaultEndpoint(m_lastBackend) : target.endpoint);
    m_userBaseUrl = target.baseUrl.toString();
    m_userModel = target.model;
    if (!m_demo) {
        m_baseUrl->setText(m_userBaseUrl);
        m_model->setCurrentText(m_userModel);
    }
    m_headers->setPlainText(headersText);
    m_insecure->setChecked(target.insecure);
    m_reasoningTags->setChecked(target.reasoningTags);
}

QString TargetForm::urlCredentials() const
{
    return QUrl(m_demo ? m_userBaseUrl : m_baseUrl->text().trimmed()).userInfo();
}

void TargetForm::setUrlCredentials(const QString &userInfo)
{
    QUrl url(m_demo ? m_userBaseUrl : m_baseUrl->text().trimmed());
    if (userInfo.isEmpty() || !url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        return;
    url.setUserInfo(userInfo);
    if (m_demo)
        m_userBaseUrl = url.toString();
    else
        m_baseUrl->setText(url.toString());
}

bool TargetForm::watchServerMetrics() const
{
    return m_watchMetrics->isChecked();
}

void TargetForm::setWatchServerMetrics(bool on)
{
    m_watchMetrics->setChecked(on);
}

void TargetForm::setDemoMode(bool demo, const QString &demoModel)
{
    if (demo == m_demo) {
        if (demo)
            m_model->setCurrentText(demoModel);
        return;
    }
    if (demo) {
        m_userBaseUrl = m_baseUrl->text();
        m_userModel = m_model->currentText();
        m_baseUrl->clear();
        m_model->setCurrentText(demoModel);
    } else {
        m_baseUrl->setText(m_userBaseUrl);
        m_model->setCurrentText(m_userModel);
    }
    m_demo = demo;
    m_baseUrl->setEnabled(!demo);
    m_model->setEnabled(!demo);
    m_fetch->setEnabled(!demo && !m_fetchBusy);
    retranslateUi();
    Q_EMIT changed();
}

QString TargetForm::validate()
{
    QString baseUrlError;
    if (!m_demo) {
        const QUrl url(m_baseUrl->text().trimmed(), QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (m_baseUrl->text().trimmed().isEmpty())
            baseUrlError = tr("Enter the server address, e.g. http://127.0.0.1:8000.");
        else if (!url.isValid() || url.host().isEmpty()
                 || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            baseUrlError = tr("Write the address with http:// or https://, e.g. http://127.0.0.1:8000.");
    }
    setFieldError(m_baseUrl, m_baseUrlMessage, baseUrlError);

    QString endpointError;
    if (!m_endpoint->text().trimmed().startsWith(u'/'))
        endpointError = tr("The endpoint is a path that starts with “/”, e.g. %1.").arg(defaultEndpoint(m_backend->currentData().toString()));
    setFieldError(m_endpoint, m_endpointMessage, endpointError);

    QString headersError;
    parseHeaders(m_headers->toPlainText(), &headersError);
    setFieldError(m_headers, m_headersMessage, headersError);

    for (const QString &e : { baseUrlError, endpointError, headersError }) {
        if (!e.isEmpty())
            return e;
    }
    return {};
}

void TargetForm::setModels(const QStringList &models)
{
    const QString current = m_model->currentText();
    m_model->clear();
    m_model->addItems(models);
    m_model->setCurrentText(current.isEmpty() || !models.contains(current) ? models.value(0) : current);
}

void TargetForm::setFetchBusy(bool busy)
{
    m_fetchBusy = busy;
    m_fetch->setEnabled(!busy && !m_demo);
    retranslateUi();
}

void TargetForm::setTestBusy(bool busy)
{
    m_testBusy = busy;
    m_test->setEnabled(!busy);
    if (busy)
        setReport({});
    retranslateUi();
}

void TargetForm::setReport(const ConnectionReport &report)
{
    m_report = report;
    m_testResult->setStyleSheet(report.ok() ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b71c1c;"));
    retranslateUi();
}

QString TargetForm::reportText() const
{
    switch (m_report.kind) {
    case ConnectionReport::None:
        return {};
    case ConnectionReport::Failed:
        return QStringLiteral("✖ ") + m_report.error;
    case ConnectionReport::ModelsListed:
        return QStringLiteral("✔ ") + tr("The server lists %1 model(s).").arg(m_report.modelCount);
    case ConnectionReport::Answered:
        return QStringLiteral("✔ ")
            + tr("%1 answers with model “%2”: first token after %3 ms, the whole answer (%4 tokens) after %5 ms.")
                  .arg(m_report.url, m_report.model)
                  .arg(m_report.ttftMs, 0, 'f', 0)
                  .arg(m_report.outputTokens)
                  .arg(m_report.latencyMs, 0, 'f', 0);
    }
    return {};
}

void TargetForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void TargetForm::retranslateUi()
{
    setTitle(tr("Server to test"));
    QStringList endpoints;
    for (int i = 0; i < m_backend->count(); ++i) {
        const BackendInfo *backend = findBackend(m_backend->itemData(i).toString());
        m_backend->setItemText(i, backend->translatedTitle());
        m_backend->setItemData(i, backend->translatedServers(), Qt::ToolTipRole);
        if (!endpoints.contains(backend->defaultEndpoint))
            endpoints << backend->defaultEndpoint;
    }

    setFormLabel(m_layout, m_backend, tr("API type"));
    m_backend->setToolTip(fieldTip(tr("API type (--backend)"),
        tr("Which API the server speaks. vLLM, SGLang, llama.cpp and most other servers offer the OpenAI-compatible one; choose chat when the model needs its chat template. TGI is Hugging Face's Text Generation Inference.")));

    setFormLabel(m_layout, m_baseUrl, tr("Server address"));
    m_baseUrl->setPlaceholderText(m_demo ? tr("the built-in demo server") : QStringLiteral("http://127.0.0.1:8000"));
    m_baseUrl->setToolTip(fieldTip(tr("Server address (--base-url)"),
        tr("Scheme, host and port of the inference server, without the path. Switch off the built-in demo server to enter your own. A user name and password in it (http://user:password@host) are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.")));

    setFormLabel(m_layout, m_endpoint, tr("Endpoint"));
    m_endpoint->setToolTip(fieldTip(tr("Endpoint (--endpoint)"),
        tr("The path requests are sent to. It follows the API type: %1.").arg(endpoints.join(QLatin1String(", ")))));

    setFormLabel(m_layout, m_modelRow, tr("Model"));
    m_model->lineEdit()->setPlaceholderText(tr("the first model the server lists"));
    m_model->setToolTip(fieldTip(tr("Model (--model)"),
        tr("The model name the server expects. Leave it empty to use the first model the server lists, or press “Fetch” to choose from its list.")));
    m_fetch->setText(m_fetchBusy ? tr("Fetching…") : tr("Fetch"));
    const BackendInfo *current = findBackend(m_backend->currentData().toString());
    m_fetch->setToolTip(tr("Ask the server which models it serves (%1).").arg(current ? current->modelListPath : QString()));

    setFormLabel(m_layout, m_apiKey, tr("API key"));
    m_apiKey->setPlaceholderText(tr("none"));
    m_apiKey->setToolTip(fieldTip(tr("API key"),
        tr("Sent as “Authorization: Bearer …”. It is never written to result files or settings; only if you tick “Remember” is it kept, in the system keychain.")));

    m_rememberKey->setText(tr("Remember secrets in the system keychain"));
    m_rememberKey->setToolTip(fieldTip(tr("Remember secrets"),
        tr("The API key, the extra headers and a user name and password in the server address are never written to the settings file. Tick this to keep them in the system's keychain (GNOME Keyring, KWallet, ...) so they are filled in next time; untick to remove them from there.")));

    setFormLabel(m_layout, m_headers, tr("Extra headers"));
    m_headers->setPlaceholderText(tr("Name: value, one per line. Kept only in the system keychain, when “Remember secrets” is ticked."));
    m_headers->setToolTip(fieldTip(tr("Extra headers (--header)"),
        tr("HTTP headers added to every request, for example a routing or tenant header of a gateway. Since any of them may carry a token, they are not written to the settings file: only the system keychain keeps them, when “Remember secrets” is ticked.")));

    m_insecure->setText(tr("Accept any TLS certificate"));
    m_insecure->setToolTip(fieldTip(tr("Accept any TLS certificate (--insecure)"),
        tr("For https servers with a self-signed certificate. Leave it off for servers on the internet.")));

    m_watchMetrics->setText(tr("Watch the server's /metrics"));
    m_watchMetrics->setToolTip(fieldTip(tr("Watch the server's /metrics"),
        tr("During a run, read the server's own Prometheus metrics once a second and chart them in the Server tab: requests running and waiting, KV-cache use, prompt and generation tokens/s. vLLM, SGLang, TGI, llama.cpp (started with --metrics) and the built-in server publish them; a server without them is simply not charted.")));

    m_reasoningTags->setText(tr("Count <think>…</think> as reasoning"));
    m_reasoningTags->setToolTip(fieldTip(tr("Count <think>…</think> as reasoning (--reasoning-tags)"),
        tr("For servers that send a reasoning model's thinking inside the answer text, between <think> and </think>. That text is then measured as reasoning (TTFRT, reasoning tokens) and the answer starts after </think> (TTFAT).")));

    m_test->setText(m_testBusy ? tr("Testing…") : tr("Test connection"));
    m_test->setToolTip(tr("Send one short request and show how long the first token and the whole answer took."));
    m_testResult->setText(reportText());
    m_testResult->setVisible(m_report.kind != ConnectionReport::None);
}

} // namespace ts
